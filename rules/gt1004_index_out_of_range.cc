// GT1004: index or slice bounds out of range.
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1004.id,
    .title = "Index or slice bounds out of range",
    .category = rule_names::GT1004.category,
    .severity = Severity::kCritical,
    .what = "An index or slice expression used a position outside the slice, array or string: "
            "`runtime error: index out of range [i] with length n` or `slice bounds out of range`.",
    .why = "The code assumed a length it did not check: an empty result, a short input line, an "
           "off-by-one loop bound, or a slice shared and shrunk by another goroutine.",
    .fix = "Read the index and length in the message and find the expression on the culprit line.\n"
           "Check `len(x)` before indexing; treat short or empty input as an error, not a crash.\n"
           "Add a test with the empty and the shortest input.",
    .before = "fields := strings.Split(line, \",\")\nprice := fields[2]",
    .after = "fields := strings.Split(line, \",\")\nif len(fields) < 3 {\n\treturn fmt.Errorf(\"line %q: want 3 fields, got %d\", line, len(fields))\n}\nprice := fields[2]",
    .links = {"https://go.dev/ref/spec#Index_expressions", "https://go.dev/ref/spec#Slice_expressions"},
};

// `panic: runtime error: index out of range [5] with length 3`, `slice bounds out of range [:7] with capacity 4`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "index out of range"},
    {MessageMatch::kContains, "slice bounds out of range"},
};
const CrashClaim kClaim{.messages = kMessages};

class GT1004 : public CrashRule {
 public:
  GT1004() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    f->summary = c.GoroutineText() + " panicked with `" + c.message + "` in " + c.CulpritText() +
                 ": an index or slice bound on that line was not checked against the length.";
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1004() { return std::make_unique<GT1004>(); }

}  // namespace gotriage
