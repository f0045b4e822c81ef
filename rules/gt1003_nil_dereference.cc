// GT1003: nil pointer dereference (SIGSEGV at a small address).
#include <algorithm>

#include "rules/catalog.h"
#include "rules/crash_rule.h"
#include "rules/incident_facts.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1003.id,
    .title = "Nil pointer dereference",
    .category = rule_names::GT1003.category,
    .severity = Severity::kCritical,
    .what = "The program read or wrote through a nil pointer (or a nil interface, map element "
            "pointer or function value). The runtime turned the SIGSEGV into the panic "
            "`runtime error: invalid memory address or nil pointer dereference`.",
    .why = "A pointer was never initialised, a constructor or lookup returned nil together with "
           "an error that was ignored, a field of a struct was left nil, or a method was called on "
           "a nil receiver. The small `addr=` of the signal line is the offset of the field read "
           "from the nil base.",
    .fix = "Open the culprit frame and find which pointer can be nil on that line.\n"
           "Check errors before using the value returned with them.\n"
           "Initialise the field in the constructor, or guard with `if x == nil { return ... }`.\n"
           "Add a test that reaches the line with the nil value.",
    .before = "u, err := store.Find(id)\nlog.Print(err)\nreturn u.Email // u is nil when err != nil",
    .after = "u, err := store.Find(id)\nif err != nil {\n\treturn \"\", fmt.Errorf(\"find %s: %w\", id, err)\n}\nreturn u.Email, nil",
    .links = {"https://go.dev/ref/spec#Address_operators", "https://go.dev/doc/effective_go#errors"},
};

// `panic: runtime error: invalid memory address or nil pointer dereference`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "invalid memory address or nil pointer dereference"},
};
// A SIGSEGV at an address below 4096, whatever the message says (a cgo or
// runtime fault printed without Go's nil-dereference wording).
bool LowAddressFault(const Incident& inc, std::string_view) {
  return inc.signal && inc.signal->name == "SIGSEGV" && inc.signal->has_addr && inc.signal->addr < 4096 &&
         inc.kind != IncidentKind::kFatalError;
}
// A panic whose value was lost (a logged stack without its message, a
// record cut before it) raised in a method called on a nil pointer
// receiver: `pkg.(*T).M(0x0, ...)` right under the `panic(...)` frame (the
// innermost one, for a panic raised while another was unwinding). That call
// faulting is the runtime's nil-dereference panic; any message that was
// kept is matched by the tables first, so only a lost one is read from the
// stack (traefik/traefik#6297, a recovery middleware's logged stack).
bool NilReceiverUnderPanic(const Incident& inc, std::string_view message) {
  if (!message.empty()) return false;
  const Goroutine* g = CrashingGoroutine(inc);
  if (!g) return false;
  const std::vector<Frame>& fr = g->frames;
  size_t raiser = fr.size();
  for (size_t k = 0; k < fr.size(); ++k)
    if (fr[k].is_panic) raiser = k + 1;
  if (raiser >= fr.size() || fr[raiser].inlined) return false;
  const Frame& f = fr[raiser];
  if (f.function.find(".(*") == std::string_view::npos) return false;
  std::string_view a = f.args;
  // `0x0` alone, or before the next argument; Go 1.18+ marks an argument
  // it may have read stale with `?` (`0x0?`).
  if (!a.starts_with("0x0")) return false;
  a.remove_prefix(3);
  if (a.starts_with("?")) a.remove_prefix(1);
  return a.empty() || a.starts_with(",");
}

bool Otherwise(const Incident& inc, std::string_view message) {
  return LowAddressFault(inc, message) || NilReceiverUnderPanic(inc, message) || IsSegvDump(inc);
}
const CrashClaim kClaim{.messages = kMessages, .otherwise = Otherwise};

class GT1003 : public CrashRule {
 public:
  GT1003() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    std::string addr;
    if (c.incident.signal && c.incident.signal->has_addr) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(c.incident.signal->addr));
      addr = buf;
      f->evidence.details.push_back("SIGSEGV addr=" + addr + " (offset from a nil base)");
      f->evidence.input_lines.push_back(c.incident.signal->input_line);
    }
    if (IsSegvDump(c.incident) && !LowAddressFault(c.incident, c.message)) {
      // A fault the runtime could not turn into a panic: no Go line to
      // blame for a nil pointer, only where the call left Go.
      bool cgo = c.goroutine && (HasFrame(c.goroutine->frames, "runtime.cgocall") ||
                                 HasFrame(c.goroutine->frames, "runtime.asmcgocall"));
      f->confidence = std::min(f->confidence, 0.6);
      f->summary = "The program died of SIGSEGV (segmentation violation) " +
                   std::string(cgo ? "in C code called through cgo" : "outside code the runtime could recover") +
                   " from " + c.CulpritText() +
                   ": a NULL, freed or out-of-bounds pointer on the C side (or memory the C code does "
                   "not own), which the Go runtime cannot turn into a panic.";
      return;
    }
    f->summary = c.GoroutineText() + " dereferenced a nil pointer in " + c.CulpritText() +
                 (addr.empty() ? "." : " (fault address " + addr + ", a field offset from nil).") +
                 " Some pointer, interface or receiver used on that line was nil.";
    if (c.message.empty() && !LowAddressFault(c.incident, c.message) && c.goroutine &&
        NilReceiverUnderPanic(c.incident, c.message)) {
      // Judged from the stack alone: say so, and trust it less.
      f->confidence = std::min(f->confidence, 0.6);
      f->evidence.details.push_back("panic value not in the input; nil receiver 0x0 right under panic()");
      f->summary += " The panic's value is not in the input: this is inferred from the method "
                    "called on a nil receiver (0x0) right under panic(), the call that raised it.";
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1003() { return std::make_unique<GT1003>(); }

}  // namespace gotriage
