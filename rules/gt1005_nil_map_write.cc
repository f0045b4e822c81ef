// GT1005: assignment to entry in nil map.
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1005.id,
    .title = "Write to a nil map",
    .category = rule_names::GT1005.category,
    .severity = Severity::kCritical,
    .what = "The program stored into a map that was never made: `panic: assignment to entry in "
            "nil map`. Reading a nil map is allowed; writing is not.",
    .why = "A map field of a struct was not initialised in its constructor (or the struct was "
           "built as a literal that skipped it), or a map was reset to nil.",
    .fix = "Make the map where the struct is created: `m: make(map[K]V)`.\n"
           "Or make it lazily before the first write: `if r.m == nil { r.m = make(map[K]V) }`.\n"
           "Prefer a constructor over struct literals for types that hold maps.",
    .before = "type Registry struct{ byName map[string]Handler }\n\nvar r Registry\nr.byName[\"x\"] = h",
    .after = "func NewRegistry() *Registry {\n\treturn &Registry{byName: make(map[string]Handler)}\n}\n\nr := NewRegistry()\nr.byName[\"x\"] = h",
    .links = {"https://go.dev/blog/maps", "https://go.dev/ref/spec#Map_types"},
};

// `panic: assignment to entry in nil map`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "assignment to entry in nil map"},
};
const CrashClaim kClaim{.messages = kMessages};

class GT1005 : public CrashRule {
 public:
  GT1005() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    f->summary = c.GoroutineText() + " wrote to a nil map in " + c.CulpritText() +
                 ": the map being assigned on that line was never created with make().";
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1005() { return std::make_unique<GT1005>(); }

}  // namespace gotriage
