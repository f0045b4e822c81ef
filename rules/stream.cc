// The rule engine over a stream; see stream.h.
#include "rules/stream.h"

#include <algorithm>

#include "rules/lifecycle.h"

namespace gotriage {

StreamAnalyzer::StreamAnalyzer(EngineOptions opts, std::vector<Label> labels, Sink sink)
    : opts_(std::move(opts)), labels_(std::move(labels)), sink_(std::move(sink)) {}

void StreamAnalyzer::OnIncident(ParsedInput& in) {
  // An amendment (more of the dump just reported) keeps its number.
  bool amends = in.incidents.size() == 1 && in.incidents[0].amended && next_incident_ > 0 && last_kept_;
  in.first_incident = amends ? next_incident_ - 1 : next_incident_;
  if (!labels_.empty()) ApplyLabelFilter(&in, labels_);
  std::vector<Finding> fs = Analyze(in, opts_);
  if (!amends) next_incident_ += in.incidents.size();
  last_kept_ = !in.incidents.empty();
  Pass(in, std::move(fs));
}

void StreamAnalyzer::OnPod(ParsedInput& in) { Pass(in, Analyze(in, opts_)); }

void StreamAnalyzer::Finish(const ParsedInput& in) {
  if (held_.empty()) return;
  std::vector<Finding> rest = std::move(held_);
  held_.clear();
  sink_(in, rest);
}

// Findings about an incident are new: each incident is analysed once. Those
// about the pods (and the input as a whole) come again with every unit, as
// the pods stay in the input: each is passed on once, by fingerprint (the
// key a batch run folds them by).
void StreamAnalyzer::Pass(const ParsedInput& in, std::vector<Finding> fs) {
  for (const Finding& f : fs) {
    if (f.incident >= 0 && f.pod >= 0) joined_.insert(f.pod);
  }
  auto explained = [this](const Finding& g) {
    return std::any_of(joined_.begin(), joined_.end(), [&](int p) { return ExplainedByCrash(g, p); });
  };
  held_.erase(std::remove_if(held_.begin(), held_.end(), explained), held_.end());
  std::vector<Finding> out;
  for (Finding& f : fs) {
    if (f.incident >= 0) {
      out.push_back(std::move(f));
      continue;
    }
    if (!reported_.insert(f.fingerprint).second || explained(f)) continue;
    if (ExplainedByCrash(f, f.pod)) {
      held_.push_back(std::move(f));  // a crash may yet explain it
      continue;
    }
    out.push_back(std::move(f));
  }
  sink_(in, out);
}

}  // namespace gotriage
