// GT1009: goroutine stack exceeds the limit; names the recursive cycle.
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1009.id,
    .title = "Stack overflow (unbounded recursion)",
    .category = rule_names::GT1009.category,
    .severity = Severity::kCritical,
    .what = "A goroutine's stack grew past the limit (`runtime: goroutine stack exceeds "
            "1000000000-byte limit`, `fatal error: stack overflow`). The process dies; recover "
            "cannot catch it.",
    .why = "Recursion without a working base case: a cyclic data structure walked recursively, "
           "mutual recursion between two functions, a String/MarshalJSON method that calls itself "
           "through fmt or encoding/json, or input nested deeper than the code expects.",
    .fix = "Find the repeating frames (named in the summary) and the base case that should stop them.\n"
           "Track visited nodes when walking graphs that may contain cycles.\n"
           "Bound the depth on untrusted input, or convert the recursion to a loop with an explicit stack.\n"
           "In String() methods, convert to a type without the method before calling fmt.",
    .before = "func (n *Node) render(b *strings.Builder) {\n\tfor _, c := range n.Children {\n\t\tc.render(b) // a cycle never ends\n\t}\n}",
    .after = "func (n *Node) render(b *strings.Builder, seen map[*Node]bool) {\n\tif seen[n] {\n\t\treturn\n\t}\n\tseen[n] = true\n\tfor _, c := range n.Children {\n\t\tc.render(b, seen)\n\t}\n}",
    .links = {"https://pkg.go.dev/runtime/debug#SetMaxStack"},
};

// The shortest sequence of functions that repeats at least three times
// from the first non-runtime frame; empty when none does.
std::vector<std::string> RecursiveCycle(const std::vector<Frame>& fr, int start) {
  if (start < 0) return {};
  size_t s = static_cast<size_t>(start);
  for (size_t p = 1; p <= 8; ++p) {
    if (s + 3 * p > fr.size()) break;
    bool ok = true;
    for (size_t i = s; i < s + 2 * p && ok; ++i) ok = fr[i].function == fr[i + p].function;
    if (ok) {
      std::vector<std::string> cyc;
      for (size_t i = s; i < s + p; ++i) cyc.push_back(ShortFunc(fr[i].function));
      return cyc;
    }
  }
  return {};
}

// `fatal error: stack overflow` after `runtime: goroutine stack exceeds 1000000000-byte limit`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kEquals, "stack overflow"},
    {MessageMatch::kContains, "goroutine stack exceeds"},
};
const CrashClaim kClaim{.messages = kMessages};

class GT1009 : public CrashRule {
 public:
  GT1009() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    std::string limit;
    for (const std::string& m : c.incident.runtime_messages) {
      if (m.find("stack exceeds") != std::string::npos) {
        limit = m;
        f->evidence.details.push_back(m);
      }
    }
    f->summary = c.GoroutineText() + " overflowed its stack in " + c.CulpritText() + ".";
    if (c.goroutine) {
      std::vector<std::string> cyc = RecursiveCycle(c.goroutine->frames, c.culprit);
      if (!cyc.empty()) {
        std::string chain;
        for (const std::string& s : cyc) chain += s + " -> ";
        chain += cyc.front();
        f->summary += " The stack repeats the cycle " + chain + ", recursion that never reaches its base case.";
        f->evidence.details.push_back("recursive cycle: " + chain);
      }
    }
    if (!limit.empty()) f->summary += " (" + limit.substr(limit.find(':') + 2) + ")";
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1009() { return std::make_unique<GT1009>(); }

}  // namespace gotriage
