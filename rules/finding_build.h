// Building a Finding: identity from the rule's doc, culprit, remediation,
// evidence from goroutine groups and their labels.
#ifndef GOTRIAGE_RULES_FINDING_BUILD_H_
#define GOTRIAGE_RULES_FINDING_BUILD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

namespace gotriage {

/// Sets culprit (frames[idx]) and, when the culprit is not application
/// code, app_frame (the first application frame below it).
void SetCulprit(Finding* f, const std::vector<Frame>& frames, int idx);

/// A Finding with the rule's identity (id, category, severity, title).
Finding FindingOf(const RuleDoc& doc);
/// A Finding with the rule's identity and the incident's source, index,
/// timestamp and goroutine total filled in.
Finding NewFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident);
/// The pod objects of an input by name, built once for all of its
/// findings (a fleet run holds thousands of both). \a in must outlive it,
/// its pods unchanged.
class PodIndex {
 public:
  explicit PodIndex(const ParsedInput& in);
  /// The one pod object named r.name, in r's namespace when both say one;
  /// null when there is none, or one of that name in two namespaces.
  const PodStatus* Find(const PodRef& r) const;

 private:
  const ParsedInput& in_;
  std::unordered_multimap<std::string_view, size_t> by_name_;
};

/// Fills Finding::pod_ref: the pod of the finding's incident (its stream's
/// `kubectl logs --prefix` tag or log path) or the pod object it is about,
/// completed from the pod objects of \a in with the same name (the
/// namespace and node a `[pod/NAME/CONTAINER]` tag does not carry); and
/// incident_id. \a pods indexes \a in's pods.
void StampPod(const ParsedInput& in, const PodIndex& pods, Finding* f);
/// Fills remediation steps (doc.fix, one per line) and the examples.
void AddDocRemediation(Finding* f, const RuleDoc& doc);

Severity OneLower(Severity s);

/// `N goroutine(s)`.
std::string Count(uint64_t n, std::string_view singular, std::string_view plural = "");
/// Adds up to \a max goroutine IDs of \a g to the evidence.
void AddGroupEvidence(Finding* f, const GoroutineGroup& g, size_t max = 8);
/// Adds the label sets of \a g (weighted by their counts) to \a e.
void AddGroupLabels(Evidence* e, const GoroutineGroup& g);
/// Adds one goroutine's labels to \a e.
void AddGoroutineLabels(Evidence* e, const Goroutine& g);
/// `key=value`, the value Go-quoted when it holds anything but
/// [A-Za-z0-9./_] (as the Go 1.27 runtime prints it), likewise the key.
std::string FormatLabel(std::string_view key, std::string_view value);
/// The sentence a finding's summary gets for its evidence's labels: which
/// labels all its goroutines share, else the top values with counts; "" when
/// none carried labels.
std::string LabelSentence(const Evidence& e, uint64_t goroutines);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_FINDING_BUILD_H_
