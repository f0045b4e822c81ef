// The rule catalog: every rule, listed explicitly in ID order. No rule
// registers itself (static registration can be dropped by the linker from a
// static library); adding a rule means one factory in rules/catalog.h and
// one line here.
#include "rules/catalog.h"

#include "rules/engine.h"

namespace gotriage {

const std::vector<std::unique_ptr<Rule>>& Catalog() {
  static const std::vector<std::unique_ptr<Rule>>* const kRules = [] {
    auto* v = new std::vector<std::unique_ptr<Rule>>();
    // GT1xxx: crashes (panics and fatal errors).
    v->push_back(NewGT1001());
    v->push_back(NewGT1002());
    v->push_back(NewGT1003());
    v->push_back(NewGT1004());
    v->push_back(NewGT1005());
    v->push_back(NewGT1006());
    v->push_back(NewGT1007());
    v->push_back(NewGT1008());
    v->push_back(NewGT1009());
    v->push_back(NewGT1010());
    v->push_back(NewGT1011());
    // GT2xxx: hangs and leaks.
    v->push_back(NewGT2001());
    v->push_back(NewGT2002());
    v->push_back(NewGT2003());
    v->push_back(NewGT2004());
    v->push_back(NewGT2005());
    v->push_back(NewGT2006());
    v->push_back(NewGT2007());
    v->push_back(NewGT2008());
    // GT3xxx: Kubernetes and process lifecycle.
    v->push_back(NewGT3001());
    v->push_back(NewGT3002());
    v->push_back(NewGT3003());
    v->push_back(NewGT3004());
    return v;
  }();
  return *kRules;
}

}  // namespace gotriage
