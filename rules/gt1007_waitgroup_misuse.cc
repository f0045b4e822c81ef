// GT1007: sync.WaitGroup misuse (negative counter, reuse before Wait returned).
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1007.id,
    .title = "sync.WaitGroup misuse",
    .category = rule_names::GT1007.category,
    .severity = Severity::kCritical,
    .what = "A sync.WaitGroup counter went below zero (`sync: negative WaitGroup counter`: more "
            "Done calls than Add), or the group was reused before a previous Wait returned.",
    .why = "Done is called twice for one Add (a deferred Done plus an explicit one, or Done in a "
           "retry loop), Add is called inside the goroutine instead of before `go`, or one "
           "WaitGroup is shared by two rounds of work.",
    .fix = "Call wg.Add(1) before the go statement, and exactly one `defer wg.Done()` at the top of the goroutine.\n"
           "Remove extra Done calls on error paths.\n"
           "Use a new WaitGroup per round of work (or wg.Go on Go 1.25+).",
    .before = "for _, j := range jobs {\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tif err := run(j); err != nil {\n\t\t\twg.Done() // second Done\n\t\t\treturn\n\t\t}\n\t}()\n}",
    .after = "for _, j := range jobs {\n\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tif err := run(j); err != nil {\n\t\t\tlog.Print(err)\n\t\t}\n\t}()\n}\nwg.Wait()",
    .links = {"https://pkg.go.dev/sync#WaitGroup"},
};

// `panic: sync: negative WaitGroup counter`, `sync: WaitGroup is reused before previous Wait has returned`,
// `sync: WaitGroup misuse: Add called concurrently with Wait`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "negative WaitGroup counter"},
    {MessageMatch::kContains, "WaitGroup is reused"},
    {MessageMatch::kContains, "WaitGroup misuse"},
};
const CrashClaim kClaim{.messages = kMessages};

class GT1007 : public CrashRule {
 public:
  GT1007() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    bool reuse = c.message.find("reused") != std::string::npos;
    f->summary = c.GoroutineText() + (reuse ? " reused a sync.WaitGroup before the previous Wait returned, in "
                                            : " drove a sync.WaitGroup counter below zero (one Done too many), in ") +
                 c.CulpritText() + ".";
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1007() { return std::make_unique<GT1007>(); }

}  // namespace gotriage
