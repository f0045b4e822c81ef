// Parser of `/debug/pprof/goroutine?debug=1` (and `goroutineleak`) profiles:
// `goroutine profile: total N`, then per distinct stack `COUNT @ 0xPC ...`,
// an optional `# labels: {...}` line and `#\t0xPC\tFUNC+0xOFF\tFILE:LINE`
// frame lines (runtime/pprof printCountProfile).
#ifndef GOTRIAGE_PARSERS_PPROF_DEBUG1_H_
#define GOTRIAGE_PARSERS_PPROF_DEBUG1_H_

#include <memory>
#include <string>
#include <unordered_map>

#include "parsers/grouping.h"
#include "parsers/sub_parser.h"

namespace gotriage {

/// Guesses the runtime's wait state from the innermost frames of a stack
/// that was printed without one (debug=1 profiles, race reports).
std::string_view InferWaitState(const std::vector<std::string_view>& innermost_functions);

/// A record's count line exactly as runtime/pprof prints it (`20281 @
/// 0x7905ee 0xb9047f`): the one PprofDebug1Parser's run takes between
/// records, without asking the envelope layer.
bool PlainRecordHeader(std::string_view line);

class PprofDebug1Parser : public SubParser {
 public:
  explicit PprofDebug1Parser(ParseContext* ctx);
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  /// The lines the runtime prints are taken here without the per-line
  /// layers: inside a record its frame lines (PlainFrameLine in the .cc)
  /// and the blank line after them, between records the next count line
  /// (PlainRecordHeader): the bulk of a large profile. Any other line stops
  /// the run and goes through the Scanner to Next.
  size_t TakeRun(const LineRun& run, size_t* lines) override;
  bool Idle() const override { return between_records_; }
  void Finish(bool at_eof) override;

 private:
  void BeginRecord(const Line& line, uint64_t count, std::string_view pcs);
  void EndRecord();
  // At the first frame line of a record whose PC list and frame lines are
  // those of a record already read, and whose group keeps no more samples:
  // counts it there and takes its lines and the blank line after them.
  size_t TakeKnownRecord(const LineRun& run, size_t* lines);
  size_t TakeRecordRun(const LineRun& run, size_t* lines);

  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  GroupBuilder groups_;
  PendingGoroutine pending_;
  // The innermost functions of the record being read (at most 6, each
  // followed by `\n`), and the state inferred from each such list seen so
  // far (interned; lists of at most kMaxStateCacheBytes in all): most
  // records of a large profile share a stack and differ only in labels.
  std::string top_key_;
  int top_count_ = 0;
  static constexpr size_t kMaxStateCacheBytes = 1 << 20;
  size_t state_cache_bytes_ = 0;
  std::unordered_map<std::string, std::string_view> state_cache_;
  // Records read whole by TakeRun (plain frame lines, then a blank line),
  // by the hash of their PC list (`@ 0x..`, never 0): their frame lines,
  // in known_text_, and their group. Most records of a large profile
  // repeat a stack with other labels; one that matches a known record byte
  // for byte is counted in its group without being parsed again.
  struct KnownRecord {
    size_t offset = 0, bytes = 0;  // into known_text_, through the last `\n`
    size_t lines = 0, longest_line = 0;
    size_t group = 0;
  };
  static constexpr size_t kMaxKnownBytes = 4 << 20;
  uint64_t pcs_hash_ = 0;  // of the record being read; 0 without a PC list
  size_t last_group_ = 0;  // where EndRecord put the last record
  std::unordered_map<uint64_t, KnownRecord> known_;
  std::string known_text_;
  bool record_open_ = false;
  bool between_records_ = false;
  bool leak_profile_ = false;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PPROF_DEBUG1_H_
