// Parsers of two text listings of CPU and allocation samples that users
// paste instead of the profile itself:
//
// - `go tool pprof -traces FILE`: a header (`File:`, `Type: cpu`, `Time:`,
//   `Duration: 6.04s, Total samples = 1.39s (23.00%)`), then one record per
//   distinct stack between separator lines
//   (`-----------+-------...`): optional label lines (`     bytes:  64B`),
//   the value and innermost function (`      10ms   runtime.scanobject`),
//   then one caller per line, outermost last (`             main.main`).
//   Printed by google/pprof internal/report printTraces as `%10s   %s`.
// - `perf report --stdio` (with or without `--no-children`, with or without
//   call graphs) and `perf top --stdio`: `# Samples: 2K of event
//   'cpu-clock:u'`, `# Event count (approx.): N`, the `# Overhead ...` or
//   `# Children      Self ...` column header, then one row per symbol,
//   `    23.56%  gc-churn  gc-churn  [.] runtime.tryDeferToSpanScan`,
//   each optionally followed by its call graph (`|`, `---`, `--12.88%--`).
//
// Both become the same Profile as a protobuf CPU or allocs profile (kind
// from `Type:`, or from the perf event), so the rules that weigh CPU and
// allocation samples (GT2008, GC pressure) read them unchanged. A perf row
// is a one-frame sample weighted by its self overhead: perf's call graphs
// are not kept (their percentages are of the total, not per stack).
// Positions are input lines (Profile::sample_lines).
#ifndef GOTRIAGE_PARSERS_PROFILE_LISTING_H_
#define GOTRIAGE_PARSERS_PROFILE_LISTING_H_

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "parsers/profile_model.h"
#include "parsers/sub_parser.h"

namespace gotriage {

/// The `-----------+-----...` line between `go tool pprof -traces` records.
bool IsTracesSeparator(std::string_view t);

/// One perf row: the self overhead (the only percentage, or the second of
/// `Children Self`) and the symbol after `[.] ` or `[k] `.
bool ParsePerfRow(std::string_view t, double* self_pct, std::string_view* symbol);

class PprofTracesParser : public SubParser {
 public:
  explicit PprofTracesParser(ParseContext* ctx) : ctx_(ctx) {}
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return state_ == State::kBetween; }
  void Finish(bool at_eof) override;

 private:
  enum class State : uint8_t { kBetween, kLabels, kFrames };
  uint32_t Function(std::string_view name);
  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  std::unique_ptr<Profile> profile_;
  std::unordered_map<std::string_view, uint32_t> functions_;  // interned name -> index
  std::vector<ProfileLabel> pending_labels_;  // label lines before a record's value line
  State state_ = State::kBetween;
  double scale_ = 1;  // from the listing's unit to the sample type's
};

class PerfReportParser : public SubParser {
 public:
  explicit PerfReportParser(ParseContext* ctx) : ctx_(ctx) {}
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return true; }
  void Finish(bool at_eof) override;

 private:
  void Begin(const Line& line);
  void AddRow(const Line& line, double pct, std::string_view symbol);
  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  std::unique_ptr<Profile> profile_;
  std::unordered_map<std::string_view, uint32_t> functions_;
  double event_count_ = 0;
  std::string event_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PROFILE_LISTING_H_
