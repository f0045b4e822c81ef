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

}  // namespace gotriage
