// The rules' IDs and categories as constants, made from rules/rules.def:
// each rule's RuleDoc takes its own from here, and the catalog tests check
// the catalog against kRuleNames.
#ifndef GOTRIAGE_RULES_RULE_NAMES_H_
#define GOTRIAGE_RULES_RULE_NAMES_H_

#include <string_view>

namespace gotriage {

/// A rule's ID and category as rules/rules.def lists them.
struct RuleName {
  std::string_view id;
  std::string_view category;
};

namespace rule_names {
#define GOTRIAGE_RULE(ID, CATEGORY) inline constexpr RuleName ID{#ID, #CATEGORY};
#include "rules/rules.def"
#undef GOTRIAGE_RULE
}  // namespace rule_names

/// Every rule of rules/rules.def, in its (ID) order.
inline constexpr RuleName kRuleNames[] = {
#define GOTRIAGE_RULE(ID, CATEGORY) rule_names::ID,
#include "rules/rules.def"
#undef GOTRIAGE_RULE
};

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_RULE_NAMES_H_
