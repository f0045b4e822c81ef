// Folding findings; see finding_fold.h.
#include "rules/finding_fold.h"

#include <algorithm>
#include <utility>

#include "rules/finding_build.h"

namespace gotriage {

void FindingFold::Fold(Finding& f) {
  if (f.fingerprint.empty()) f.fingerprint = f.rule_id;
  auto it = seen_.find(f.fingerprint);
  bool new_source = sources_[f.fingerprint].insert(f.source).second;
  if (it == seen_.end()) {
    seen_.emplace(f.fingerprint, out_.size());
    out_.push_back(std::move(f));
    return;
  }
  Finding& g = out_[it->second];
  if (!f.pod_ref.empty() && !(f.pod_ref == g.pod_ref) &&
      std::find(g.pods.begin(), g.pods.end(), f.pod_ref) == g.pods.end()) {
    // Another pod: the folded finding lists the pods it came from.
    if (g.pods.empty()) {
      if (!g.pod_ref.empty()) g.pods.push_back(g.pod_ref);
      g.pod_count = g.pods.size();
    }
    ++g.pod_count;
    if (g.pods.size() < kMaxInputSources) g.pods.push_back(f.pod_ref);
  }
  if (new_source) {
    if (g.input_sources.empty()) g.input_sources.push_back(g.source);
    ++g.input_count;
    if (g.input_sources.size() < kMaxInputSources) g.input_sources.push_back(f.source);
  }
  g.occurrences += f.occurrences;
  if (!f.first_seen.empty() && (g.first_seen.empty() || f.first_seen < g.first_seen)) g.first_seen = f.first_seen;
  if (!f.last_seen.empty() && (g.last_seen.empty() || f.last_seen > g.last_seen)) g.last_seen = f.last_seen;
  g.confidence = std::max(g.confidence, f.confidence);
}

// The finding its twin's copy of the incident would have given: the same,
// from another input, pod and time.
void FindingFold::FoldTwin(const TwinPlace& p) {
  Finding t;
  t.fingerprint = p.fingerprint;
  t.source = p.o->source;
  t.pod_ref = p.o->pod;
  t.first_seen = t.last_seen = p.o->timestamp;
  t.occurrences = p.occurrences;
  t.confidence = 0;
  StampPod(in_, pods_, &t);
  Fold(t);
}

void FindingFold::Add(Finding&& f) {
  const Incident* inc = in_.IncidentAt(f.incident);
  if (inc) {
    const TwinPlace here{inc->input, inc->first_line, nullptr, "", 0};
    for (; !twins_.empty() && here > twins_.top(); twins_.pop()) FoldTwin(twins_.top());
  }
  if (f.fingerprint.empty()) f.fingerprint = f.rule_id;
  if (inc)
    for (const Occurrence& o : inc->twins) twins_.push({o.input, o.first_line, &o, f.fingerprint, f.occurrences});
  Fold(f);
}

void FindingFold::Flush() {
  for (; !twins_.empty(); twins_.pop()) FoldTwin(twins_.top());
}

}  // namespace gotriage
