// Factories of every rule in the catalog (rules/rules.def), one per rule
// file. Only rules/catalog.cc calls them.
#ifndef GOTRIAGE_RULES_CATALOG_H_
#define GOTRIAGE_RULES_CATALOG_H_

#include <memory>

#include "rules/rule.h"
#include "rules/rule_names.h"

namespace gotriage {

#define GOTRIAGE_RULE(ID, CATEGORY) std::unique_ptr<Rule> New##ID();
#include "rules/rules.def"
#undef GOTRIAGE_RULE

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_CATALOG_H_
