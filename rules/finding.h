// What a rule reports: a Finding, with its evidence, culprit and remedy.
#ifndef GOTRIAGE_RULES_FINDING_H_
#define GOTRIAGE_RULES_FINDING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/model.h"

namespace gotriage {

enum class Severity : uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };
const char* SeverityName(Severity s);
/// Parses `critical`, `high`, ...; false when unknown.
bool ParseSeverity(std::string_view s, Severity* out);

/// A frame named by a finding.
struct CodeRef {
  std::string function;
  std::string file;
  int line = 0;
  std::string module;
  std::string module_version;
  std::string kind;         ///< app, dependency, stdlib, runtime
  size_t input_line = 0;    ///< where the frame is in the input
  std::string args;         ///< arguments as printed (`0x0, {0xc000..., 0x5}`)
  std::vector<std::string> nil_args;  ///< `receiver`, `arg 2`: printed as 0x0
  std::string source_line;  ///< the line at file:line, read from the source root
};

/// How many goroutines of a finding's evidence carry one label value.
struct LabelValueCount {
  std::string key, value;
  uint64_t count = 0;
};

struct Evidence {
  std::vector<int64_t> goroutine_ids;   ///< a bounded sample
  std::vector<uint64_t> group_sizes;    ///< goroutines per group involved
  uint64_t goroutines_involved = 0;
  uint64_t goroutines_total = 0;
  int max_wait_minutes = -1;
  std::vector<size_t> input_lines;      ///< 1-based lines in the input
  std::vector<std::string> details;     ///< short facts, one per line
  /// runtime/pprof label values of the goroutines involved, by key then
  /// most goroutines first; `labelled` of them carried labels at all.
  std::vector<LabelValueCount> labels;
  uint64_t labelled = 0;
  /// Some label sets were beyond the per-group bound: counts are lower bounds.
  bool labels_partial = false;
};

struct Remediation {
  std::vector<std::string> steps;
  std::string example_before;  ///< Go code
  std::string example_after;
};

/// Version of the fingerprint recipe (docs/fingerprint.md); a change that
/// alters any fingerprint bumps it.
constexpr int kFingerprintVersion = 1;
/// Input names listed per folded finding (the count goes on).
constexpr size_t kMaxInputSources = 50;

/// `pod shop/api-1, container app, node n1` (the parts known), "" for none.
std::string PodRefText(const PodRef& p);
/// The pods of a finding: its own, or when folded from several pods,
/// `pods a, b, c (and 7 more)` (namespace/name/container each).
std::string FindingPodsText(const struct Finding& f);

struct Finding {
  std::string rule_id;
  std::string category;
  Severity severity = Severity::kInfo;
  double confidence = 0.0;   ///< 0..1
  std::string title;
  std::string summary;       ///< one paragraph with the input's names/numbers
  std::optional<CodeRef> culprit;
  std::optional<CodeRef> app_frame;
  Evidence evidence;
  Remediation remediation;
  std::string fingerprint;   ///< stable across runs, for de-duplication
  /// The incident's ordinal in the input, the same under --follow as in a
  /// batch run (ParsedInput::IncidentAt); -1: none.
  int incident = -1;
  /// The incident as a name that needs no `incidents` array (NDJSON,
  /// --follow): `SOURCE:LINE`, its input (`<stdin>` for standard input) and first line; "" for none.
  std::string incident_id;
  int pod = -1;              ///< index into ParsedInput::pods, -1: none
  /// The namespace, pod, container and node the finding came from, as far
  /// as the input tells (a `kubectl logs --prefix` tag, a CRI log path, a
  /// pod object or description); every output format shows it.
  PodRef pod_ref;
  /// Identical findings from several pods folded into one (fleet roll-up):
  /// the distinct pods (at most kMaxInputSources, first seen first) and how
  /// many there were. Empty when the finding came from one pod or none.
  std::vector<PodRef> pods;
  uint64_t pod_count = 0;
  std::string source;        ///< input name
  uint64_t occurrences = 1;  ///< identical findings folded (crash loops)
  uint64_t input_count = 1;  ///< distinct inputs (files, replicas) the folded findings came from
  std::vector<std::string> input_sources;  ///< the first of them (at most kMaxInputSources), when more than one
  std::string first_seen, last_seen;  ///< envelope timestamps, when known
  /// The go test test it happened in (parsers/gotest.h TestOf): its name
  /// (`TestField/a`) and import path, "" when none or unknown.
  std::string test, test_package;
  /// --follow: its incident was reported before with less of its dump; this
  /// finding replaces the one reported then (same incident, same rule).
  bool amendment = false;
};

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_FINDING_H_
