// GT1011: any other panic or fatal error (custom panics, divide by zero,
// failed type assertions, ...).
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1011.id,
    .title = "Unrecovered panic",
    .category = rule_names::GT1011.category,
    .severity = Severity::kCritical,
    .what = "The program panicked with a value of its own (`panic(err)`, `log.Panicf`, a failed "
            "`Must...` helper) or with a runtime error that no more specific rule covers "
            "(integer divide by zero, ...), and nothing recovered it.",
    .why = "An invariant the code asserts with panic was broken by real input, or an error that "
           "should have been returned was turned into a panic. In a goroutine, an unrecovered "
           "panic kills the whole process.",
    .fix = "Read the panic value: it says which invariant broke, and the culprit frame says where.\n"
           "Return an error instead of panicking on bad input; reserve panic for programming errors.\n"
           "In servers, recover at the request or job boundary and log the stack (net/http does this per request).",
    .before = "func validate(inv Invoice) {\n\tif inv.Total != sum(inv.Lines) {\n\t\tpanic(fmt.Errorf(\"invoice %s: total mismatch\", inv.ID))\n\t}\n}",
    .after = "func validate(inv Invoice) error {\n\tif inv.Total != sum(inv.Lines) {\n\t\treturn fmt.Errorf(\"invoice %s: total mismatch\", inv.ID)\n\t}\n\treturn nil\n}",
    .links = {"https://go.dev/blog/defer-panic-and-recover", "https://go.dev/doc/effective_go#panic"},
};

// Any other panic or fatal error.
const CrashClaim kClaim{.catch_all = true};

class GT1011 : public CrashRule {
 public:
  GT1011() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    bool runtime = c.message.rfind("runtime error:", 0) == 0 || c.incident.kind == IncidentKind::kFatalError;
    if (runtime) f->category = "other";
    std::string what = c.incident.kind == IncidentKind::kFatalError ? "fatal error: " : "panic: ";
    // (A paste that lost its panic line has no value to quote.)
    std::string raised = c.message.empty() ? " raised a panic" : " raised `" + what + c.message.substr(0, 200) + "`";
    f->summary = c.GoroutineText() + raised + " in " + c.CulpritText() +
                 (runtime            ? "."
                  : c.message.empty() ? "; its value is not in the input."
                                      : "; the panic value comes from the program itself.");
    if (c.goroutine && c.goroutine->frames_elided)
      f->summary += " The stack was deep enough for the runtime to elide frames.";
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1011() { return std::make_unique<GT1011>(); }

}  // namespace gotriage
