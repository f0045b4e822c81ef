// The rules tests' two steps on a text: parse it and analyse it, then pick
// a finding by rule ID. Header-only; see tests/support/README.md.
#ifndef GOTRIAGE_TESTS_SUPPORT_TRIAGE_H_
#define GOTRIAGE_TESTS_SUPPORT_TRIAGE_H_

#include <string>
#include <string_view>
#include <vector>

#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage::test_triage {

/// The findings gotriage gives \a text with the default options.
inline std::vector<Finding> Triage(const std::string& text) {
  auto in = ParseText(text);
  return Analyze(*in, {});
}

/// The first finding of rule \a id in \a fs, or nullptr. \a fs must outlive
/// the pointer (keep the vector in a variable, not a temporary).
inline const Finding* Of(const std::vector<Finding>& fs, std::string_view id) {
  for (const Finding& f : fs)
    if (f.rule_id == id) return &f;
  return nullptr;
}

}  // namespace gotriage::test_triage

#endif  // GOTRIAGE_TESTS_SUPPORT_TRIAGE_H_
