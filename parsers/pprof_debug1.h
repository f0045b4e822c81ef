// Parser of `/debug/pprof/goroutine?debug=1` (and `goroutineleak`) profiles:
// `goroutine profile: total N`, then per distinct stack `COUNT @ 0xPC ...`,
// an optional `# labels: {...}` line and `#\t0xPC\tFUNC+0xOFF\tFILE:LINE`
// frame lines (runtime/pprof printCountProfile).
#ifndef GOTRIAGE_PARSERS_PPROF_DEBUG1_H_
#define GOTRIAGE_PARSERS_PPROF_DEBUG1_H_

#include <memory>

#include "parsers/grouping.h"
#include "parsers/sub_parser.h"

namespace gotriage {

/// Guesses the runtime's wait state from the innermost frames of a stack
/// that was printed without one (debug=1 profiles, race reports).
std::string_view InferWaitState(const std::vector<std::string_view>& innermost_functions);

class PprofDebug1Parser : public SubParser {
 public:
  explicit PprofDebug1Parser(ParseContext* ctx);
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return between_records_; }
  void Finish(bool at_eof) override;

 private:
  void BeginRecord(const Line& line, uint64_t count);
  void EndRecord();

  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  GroupBuilder groups_;
  PendingGoroutine pending_;
  std::vector<std::string> top_functions_;
  bool record_open_ = false;
  bool between_records_ = false;
  bool leak_profile_ = false;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PPROF_DEBUG1_H_
