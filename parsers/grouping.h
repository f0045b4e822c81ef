// Folds goroutines with identical stacks into GoroutineGroups while they are
// parsed, so that memory grows with the number of distinct stacks, not with
// the number of goroutines.
#ifndef GOTRIAGE_PARSERS_GROUPING_H_
#define GOTRIAGE_PARSERS_GROUPING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parsers/limits.h"
#include "parsers/model.h"

namespace gotriage {

/// A goroutine being parsed. Its text lives in reusable scratch buffers, so
/// parsing a goroutine whose stack is already known allocates nothing.
class PendingGoroutine {
 public:
  struct RawFrame {
    uint32_t func_off = 0, func_len = 0;  // into key_
    uint32_t file_off = 0, file_len = 0;  // into key_
    uint32_t args_off = 0, args_len = 0;  // into args_
    int line = 0;
    uint64_t offset = 0;
    bool has_offset = false;
    bool inlined = false;
    bool has_file = false;
    size_t input_line = 0;
  };

  void Reset();
  /// Starts the key with the wait state (part of the group identity).
  void SetState(std::string_view state);
  void AddFunc(std::string_view function, std::string_view args, bool inlined, size_t lineno);
  /// Attaches a file line to the last function; false when there is none.
  bool AddFile(std::string_view file, int line, uint64_t offset, bool has_offset);
  void SetCreatedBy(std::string_view function, int64_t parent, size_t lineno);
  bool AddCreatedByFile(std::string_view file, int line, uint64_t offset, bool has_offset);

  std::string_view key() const { return key_; }
  size_t frame_count() const { return frames_.size(); }
  bool last_frame_has_file() const { return frames_.empty() || frames_.back().has_file; }
  bool has_created_by() const { return has_created_by_; }

  /// Builds a Goroutine, interning strings in \a pool. \a header fields are
  /// copied from the header fields below.
  /// \a like, when given, is an earlier goroutine with the same stack whose
  /// interned names are reused.
  Goroutine Materialize(StringPool* pool, const Goroutine* like = nullptr) const;

  // Header fields, set directly by the parser.
  int64_t id = -1;
  std::string_view state;  // interned
  int wait_minutes = -1;
  bool locked_to_thread = false, leaked = false, durable = false, scan = false;
  bool stack_unavailable = false, frames_elided = false, truncated = false;
  int elided_count = 0;
  uint64_t count = 1;
  size_t header_line = 0;
  std::string labels;
  std::vector<Goroutine> ancestors;

 private:
  std::string key_;   // state, then func \x1f file:line \x1e per frame
  std::string args_;
  std::vector<RawFrame> frames_;
  bool has_created_by_ = false;
  RawFrame created_by_;
  int64_t created_parent_ = -1;
  uint32_t frames_limit_hit_ = 0;
  friend class GroupBuilder;
};

/// Collects goroutines of one incident into groups.
class GroupBuilder {
 public:
  GroupBuilder(StringPool* pool, const Limits* limits, std::vector<LimitNote>* notes)
      : pool_(pool), limits_(limits), notes_(notes) {}

  /// Adds \a g; returns the index of its group.
  size_t Add(const PendingGoroutine& g);
  uint64_t goroutines() const { return goroutines_; }
  size_t groups() const { return groups_.size(); }
  /// Moves the groups out, largest first (ties in input order).
  std::vector<GoroutineGroup> Take();

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept;
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
  };
  StringPool* pool_;
  const Limits* limits_;
  std::vector<LimitNote>* notes_;
  std::unordered_map<std::string, size_t, Hash, Eq> index_;
  std::vector<GoroutineGroup> groups_;
  uint64_t goroutines_ = 0;
  size_t overflow_group_ = SIZE_MAX;
};

/// A fast, non-cryptographic 64-bit hash of a byte string.
uint64_t HashBytes(std::string_view s);

/// Records that a limit was hit (once per kind, with a running count).
void NoteLimit(std::vector<LimitNote>* notes, std::string_view what, uint64_t n = 1);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_GROUPING_H_
