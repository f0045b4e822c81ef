// The rules a `--rules` selection turns on (rules/selection.cc); FindRule,
// FindRules and ValidateSelection are in engine.h.
#ifndef GOTRIAGE_RULES_SELECTION_H_
#define GOTRIAGE_RULES_SELECTION_H_

#include <string>
#include <vector>

#include "rules/rule.h"

namespace gotriage {

/// The catalog's rules that \a select (`GT1*,-GT2005`; empty: all) turns
/// on, in ID order. Patterns ValidateSelection refuses are ignored.
std::vector<const Rule*> Selected(const std::string& select);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_SELECTION_H_
