// Folds goroutines with identical stacks into GoroutineGroups while they are
// parsed, so that memory grows with the number of distinct stacks, not with
// the number of goroutines.
#ifndef GOTRIAGE_PARSERS_GROUPING_H_
#define GOTRIAGE_PARSERS_GROUPING_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parsers/limits.h"
#include "parsers/model.h"

namespace gotriage {

/// An append-only byte buffer that keeps its capacity across clear(): the
/// scratch space of a goroutine being parsed (std::string's append does
/// more checking per call than this hot path can afford).
class ByteBuf {
 public:
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  std::string_view view() const { return std::string_view(data_.get(), size_); }
  void Append(std::string_view s) {
    Reserve(s.size());
    Copy(data_.get() + size_, s.data(), s.size());
    size_ += s.size();
  }
  /// Appends \a s, then \a c.
  void Append(std::string_view s, char c) {
    Reserve(s.size() + 1);
    Copy(data_.get() + size_, s.data(), s.size());
    size_ += s.size();
    data_[size_++] = c;
  }

 private:
  // Most pieces are a function name or a path of 10 to 80 bytes: copied
  // with overlapping 8- or 16-byte moves, not a call to memcpy (or the
  // `rep movs` GCC inlines for it when it can bound the size).
  static void Copy(char* d, const char* s, size_t n) {
    if (n >= 8 && n <= 32) {
      uint64_t a, b;
      if (n <= 16) {
        std::memcpy(&a, s, 8);
        std::memcpy(&b, s + n - 8, 8);
        std::memcpy(d, &a, 8);
        std::memcpy(d + n - 8, &b, 8);
      } else {
        uint64_t c, e;
        std::memcpy(&a, s, 8);
        std::memcpy(&b, s + 8, 8);
        std::memcpy(&c, s + n - 16, 8);
        std::memcpy(&e, s + n - 8, 8);
        std::memcpy(d, &a, 8);
        std::memcpy(d + 8, &b, 8);
        std::memcpy(d + n - 16, &c, 8);
        std::memcpy(d + n - 8, &e, 8);
      }
    } else if (n > 32) {
      CopyLong(d, s, n);
    } else {
      for (size_t i = 0; i < n; ++i) d[i] = s[i];
    }
  }
  static void CopyLong(char* d, const char* s, size_t n);
  void Reserve(size_t more) {
    if (more > cap_ - size_) Grow(more);
  }
  void Grow(size_t more);
  std::unique_ptr<char[]> data_;
  size_t size_ = 0, cap_ = 0;
};

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
    // Set by the FastFile form of AddFile: line and offset are still text,
    // the digits after FILE: in key_ and hex_len hex digits at hex_off in
    // args_ (see Line and Offset).
    bool lazy = false;
    uint8_t hex_len = 0;
    uint32_t hex_off = 0;
    size_t input_line = 0;
  };
  int Line(const RawFrame& r) const;
  uint64_t Offset(const RawFrame& r) const;

  void Reset();
  /// Starts the key with the wait state (part of the group identity).
  void SetState(std::string_view state);
  void AddFunc(std::string_view function, std::string_view args, bool inlined, size_t lineno);
  /// Attaches a file line to the last function; false when there is none.
  bool AddFile(std::string_view file, int line, uint64_t offset, bool has_offset);
  /// Same for a line read by FastFileLine: `FILE:LINE` is appended as
  /// printed, and the numbers are parsed only if this goroutine is kept.
  bool AddFile(const struct FastFile& f);
  void SetCreatedBy(std::string_view function, int64_t parent, size_t lineno);
  bool AddCreatedByFile(std::string_view file, int line, uint64_t offset, bool has_offset);

  std::string_view key() const { return key_.view(); }
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
  /// The label list as printed (between the braces) and its form; decoded
  /// only for kept goroutines and once per distinct set of a group.
  std::string labels;
  LabelForm label_form = LabelForm::kNone;
  uint64_t labels_hash = 0;  ///< HashBytes(labels), set with them
  std::vector<Goroutine> ancestors;

 private:
  // Appends `FILE:LINE` and the frame separator to key_.
  void AppendFileKey(std::string_view file, int line);
  ByteBuf key_;   // state, then func \x1f file:line \x1e per frame
  ByteBuf args_;
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
  /// True while group \a idx keeps the goroutines added to it in full.
  bool WantsSample(size_t idx) const;
  /// Adds \a g to group \a idx, which its stack is known to belong to, when
  /// the group keeps no more samples (WantsSample is false): only the
  /// header fields of \a g are read.
  void AddToGroup(size_t idx, const PendingGoroutine& g);
  /// The group stacks beyond --max-groups go to, or SIZE_MAX.
  size_t overflow_group() const { return overflow_group_; }
  uint64_t goroutines() const { return goroutines_; }
  size_t groups() const { return groups_.size(); }
  /// Moves the groups out, largest first (ties in input order).
  std::vector<GoroutineGroup> Take();

 private:
  // A group's key and its hash (the group's stack_hash), so that the key
  // is hashed once per goroutine added, not once to find and once to store.
  struct KeyRef {
    std::string_view text;
    uint64_t hash;
  };
  struct Key {
    std::string text;
    uint64_t hash;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(const Key& k) const noexcept { return static_cast<size_t>(k.hash); }
    size_t operator()(const KeyRef& k) const noexcept { return static_cast<size_t>(k.hash); }
  };
  struct Eq {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept {
      return a.hash == b.hash && std::string_view(a.text) == std::string_view(b.text);
    }
  };
  // Counts \a g in group \a idx: count, waits, IDs.
  void Count(size_t idx, const PendingGoroutine& g);
  StringPool* pool_;
  const Limits* limits_;
  std::vector<LimitNote>* notes_;
  std::unordered_map<Key, size_t, Hash, Eq> index_;
  std::vector<GoroutineGroup> groups_;
  // Per group, the distinct label lists as printed, with counts.
  struct RawLabelSet {
    std::string text;
    LabelForm form;
    uint64_t count;
    size_t first_line;
  };
  // The hashes sit apart from the texts, in one cache line or two: the
  // lookup runs once per labelled goroutine.
  struct GroupLabels {
    uint64_t hash[kMaxLabelSetsPerGroup];
    uint32_t n = 0;
    std::vector<RawLabelSet> sets;
  };
  std::vector<GroupLabels> raw_labels_;
  uint64_t goroutines_ = 0;
  size_t overflow_group_ = SIZE_MAX;
};

/// A fast, non-cryptographic 64-bit hash of a byte string (xxHash's XXH3).
uint64_t HashBytes(std::string_view s);

/// Records that a limit was hit (once per kind, with a running count).
void NoteLimit(std::vector<LimitNote>* notes, std::string_view what, uint64_t n = 1);

/// A group's label sets in the order reports list them: most goroutines
/// first, ties in the order first seen.
void SortLabelSets(std::vector<LabelSetCount>* sets);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_GROUPING_H_
