// Findings folded as the rules find them: one finding per fingerprint, which
// counts its occurrences, the inputs and pods it came from and when it was
// first and last seen (a fleet's thousands of copies of one crash are one
// finding). An incident held once for identical incidents of several inputs
// (Incident::twins, parsers/twins.h) is folded once more for each of them,
// in reading order, so the result is the one every copy held would give.
#ifndef GOTRIAGE_RULES_FINDING_FOLD_H_
#define GOTRIAGE_RULES_FINDING_FOLD_H_

#include <cstdint>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/finding_build.h"

namespace gotriage {

class FindingFold {
 public:
  /// \a pods indexes \a in's pods (StampPod); both outlive the fold.
  FindingFold(const ParsedInput& in, const PodIndex& pods) : in_(in), pods_(pods) {}

  /// Folds \a f, after the twins read before its incident; its incident's
  /// own twins wait for Flush or a finding read after them.
  void Add(Finding&& f);
  /// Folds the twins still waiting (at the end of each rule's findings).
  void Flush();
  /// The folded findings, in the order each fingerprint was first seen.
  std::vector<Finding> Take() { return std::move(out_); }

 private:
  struct TwinPlace {
    uint32_t input;
    size_t line;
    const Occurrence* o;
    std::string fingerprint;
    uint64_t occurrences;
    bool operator>(const TwinPlace& b) const { return input != b.input ? input > b.input : line > b.line; }
  };
  void Fold(Finding& f);
  void FoldTwin(const TwinPlace& p);

  const ParsedInput& in_;
  const PodIndex& pods_;
  std::vector<Finding> out_;
  std::map<std::string, size_t> seen_;                  // fingerprint -> index in out_
  std::map<std::string, std::set<std::string>> sources_;  // fingerprint -> inputs
  std::priority_queue<TwinPlace, std::vector<TwinPlace>, std::greater<>> twins_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_FINDING_FOLD_H_
