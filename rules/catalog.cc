// The rule catalog: every rule of rules/rules.def, in its (ID) order. No
// rule registers itself (static registration can be dropped by the linker
// from a static library); the list is explicit, one line per rule there.
#include "rules/catalog.h"

#include "rules/engine.h"

namespace gotriage {

const std::vector<std::unique_ptr<Rule>>& Catalog() {
  static const std::vector<std::unique_ptr<Rule>>* const kRules = [] {
    auto* v = new std::vector<std::unique_ptr<Rule>>();
#define GOTRIAGE_RULE(ID, CATEGORY) v->push_back(New##ID());
#include "rules/rules.def"
#undef GOTRIAGE_RULE
    return v;
  }();
  return *kRules;
}

}  // namespace gotriage
