// Severity names; see finding.h.
#include "rules/finding.h"

namespace gotriage {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kCritical: return "critical";
    case Severity::kHigh: return "high";
    case Severity::kMedium: return "medium";
    case Severity::kLow: return "low";
    case Severity::kInfo: return "info";
  }
  return "info";
}

bool ParseSeverity(std::string_view s, Severity* out) {
  static constexpr Severity kAll[] = {Severity::kInfo, Severity::kLow, Severity::kMedium,
                                      Severity::kHigh, Severity::kCritical};
  for (Severity v : kAll) {
    if (s == SeverityName(v)) {
      *out = v;
      return true;
    }
  }
  return false;
}

std::string PodRefText(const PodRef& p) {
  std::string s;
  if (!p.name.empty()) s = "pod " + (p.namespace_.empty() ? "" : p.namespace_ + "/") + p.name;
  else if (!p.namespace_.empty()) s = "namespace " + p.namespace_;
  if (!p.container.empty()) s += (s.empty() ? "container " : ", container ") + p.container;
  if (!p.node.empty() && !s.empty()) s += ", node " + p.node;
  return s;
}

std::string FindingPodsText(const Finding& f) {
  if (f.pods.size() < 2) return PodRefText(f.pod_ref);
  std::string s = std::to_string(f.pod_count) + " pods: ";
  for (size_t i = 0; i < f.pods.size(); ++i) {
    const PodRef& p = f.pods[i];
    if (i) s += ", ";
    s += (p.namespace_.empty() ? "" : p.namespace_ + "/") + p.name + (p.container.empty() ? "" : "/" + p.container);
  }
  if (f.pod_count > f.pods.size()) s += " (and " + std::to_string(f.pod_count - f.pods.size()) + " more)";
  return s;
}

}  // namespace gotriage
