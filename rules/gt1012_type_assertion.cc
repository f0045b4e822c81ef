// GT1012: a failed type assertion, `panic: interface conversion: ...` (the
// runtime's TypeAssertionError): x.(T) without the comma-ok form, on a value
// whose dynamic type is not T, on a nil interface, or on a type that lacks
// one of interface T's methods.
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1012.id,
    .title = "Failed type assertion (interface conversion)",
    .category = rule_names::GT1012.category,
    .severity = Severity::kCritical,
    .what = "A type assertion `x.(T)` without the comma-ok form found something other than a T in x, "
            "and the runtime panicked: `interface conversion: interface {} is float64, not int` (x held "
            "another type), `interface conversion: interface {} is nil, not string` (x held nothing), or "
            "`interface conversion: *pkg.A is not pkg.I: missing method M` (the type does not "
            "implement the interface).",
    .why = "Values that come through `any` lose their static type: JSON decoded into `map[string]any` "
           "holds every number as float64 and every object as map[string]any; a context value, a "
           "sync.Map or a cache entry was stored under the same key with another type, or never "
           "stored; a plugin or a mock returns a type that lacks a method the code expects.",
    .fix = "Use the comma-ok form and handle the other case: `v, ok := x.(T); if !ok { return fmt.Errorf(\"want T, got %T\", x) }`.\n"
           "With several possible types, switch on them: `switch v := x.(type) { case float64: ...; case int: ...; default: ... }`.\n"
           "For decoded data, decode into a struct with typed fields instead of map[string]any (or use json.Decoder.UseNumber and convert).\n"
           "For a missing method, add it to the type, or assert the interface the type really implements.",
    .before = "var cfg map[string]any\njson.Unmarshal(doc, &cfg)\nport := cfg[\"port\"].(int) // JSON numbers are float64",
    .after = "var cfg struct {\n\tPort int `json:\"port\"`\n}\nif err := json.Unmarshal(doc, &cfg); err != nil {\n\treturn err\n}\nport := cfg.Port",
    .links = {"https://go.dev/ref/spec#Type_assertions", "https://go.dev/doc/effective_go#interface_conversions",
              "https://pkg.go.dev/runtime#TypeAssertionError"},
    .since = "0.1.0",
};

// runtime.TypeAssertionError's three forms (runtime/error.go), each after
// `interface conversion: `; re-panicked by a recovery handler, the message
// may carry a prefix of its own.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "interface conversion: "},
};
const CrashClaim kClaim{.messages = kMessages};

// What the message says went wrong, in words (empty when it is not one of
// the runtime's forms).
std::string Meaning(std::string_view msg) {
  size_t at = msg.find("interface conversion: ");
  if (at == std::string_view::npos) return "";
  std::string_view m = msg.substr(at + 22);
  if (size_t miss = m.find(": missing method "); miss != std::string_view::npos) {
    std::string_view types = m.substr(0, miss), method = m.substr(miss + 17);
    if (size_t is_not = types.find(" is not "); is_not != std::string_view::npos)
      return std::string(types.substr(0, is_not)) + " does not implement " + std::string(types.substr(is_not + 8)) +
             " (it has no method " + std::string(method.substr(0, method.find_first_of(" \t"))) + ")";
    return "";
  }
  size_t is = m.find(" is ");
  size_t comma_not = m.rfind(", not ");
  if (is == std::string_view::npos || comma_not == std::string_view::npos || comma_not < is) return "";
  std::string_view iface = m.substr(0, is);
  std::string_view held = m.substr(is + 4, comma_not - is - 4);
  std::string_view want = m.substr(comma_not + 6);
  want = want.substr(0, want.find(" (types from different"));
  if (held.empty() || want.empty()) return "";
  if (held == "nil")
    return "the " + std::string(iface) + " held no value (nil) where " + std::string(want) + " was asserted";
  bool vowel = std::string_view("aeiou").find(held[0]) != std::string_view::npos;
  return "the " + std::string(iface) + " held " + (vowel ? "an " : "a ") + std::string(held) + " where " + std::string(want) +
         " was asserted" + (held == "float64" && (want == "int" || want == "int64") ? "; JSON numbers decode as float64" : "");
}

class GT1012 : public CrashRule {
 public:
  GT1012() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    std::string meaning = Meaning(c.message);
    f->summary = c.GoroutineText() + " panicked with `" + c.message + "` in " + c.CulpritText() +
                 ": a type assertion without the comma-ok form failed" +
                 (meaning.empty() ? std::string(".") : " (" + meaning + ").");
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1012() { return std::make_unique<GT1012>(); }

}  // namespace gotriage
