// GT1008: unlock of an unlocked sync.Mutex / RWMutex.
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1008.id,
    .title = "Unlock of an unlocked mutex",
    .category = rule_names::GT1008.category,
    .severity = Severity::kCritical,
    .what = "A sync.Mutex or sync.RWMutex was unlocked while not locked: `fatal error: sync: "
            "unlock of unlocked mutex`, `sync: Unlock of unlocked RWMutex`, `sync: RUnlock of "
            "unlocked RWMutex`. This is a fatal error: deferred functions and recover do not run.",
    .why = "Unlock is called twice (an explicit Unlock plus a deferred one, or Unlock on an early "
           "return after a deferred Unlock), Unlock is paired with RLock (or RUnlock with Lock), "
           "or a struct holding the mutex was copied.",
    .fix = "Pair every Lock with exactly one `defer mu.Unlock()` right after it.\n"
           "Do not mix Lock/RUnlock or RLock/Unlock.\n"
           "Pass structs that hold a mutex by pointer (go vet's copylocks check finds copies).",
    .before = "a.mu.Lock()\ndefer a.mu.Unlock()\nif a.balance < n {\n\ta.mu.Unlock() // second unlock\n\treturn ErrInsufficient\n}",
    .after = "a.mu.Lock()\ndefer a.mu.Unlock()\nif a.balance < n {\n\treturn ErrInsufficient\n}",
    .links = {"https://pkg.go.dev/sync#Mutex.Unlock", "https://pkg.go.dev/cmd/vet"},
};

// `fatal error: sync: unlock of unlocked mutex`, `sync: Unlock of unlocked RWMutex`, `sync: RUnlock of unlocked RWMutex`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "unlock of unlocked mutex"},
    {MessageMatch::kContains, "Unlock of unlocked RWMutex"},
    {MessageMatch::kContains, "RUnlock of unlocked RWMutex"},
    {MessageMatch::kContains, "sync: unlock of unlocked"},
};
const CrashClaim kClaim{.messages = kMessages};

class GT1008 : public CrashRule {
 public:
  GT1008() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    f->summary = c.GoroutineText() + " hit `fatal error: " + c.message + "` in " + c.CulpritText() +
                 ": a mutex was unlocked that it did not hold (a double Unlock or a Lock/RUnlock mix).";
    if (c.incident.signal) {
      f->summary += " A signal (" + c.incident.signal->name +
                    ") was reported first: an earlier panic in the same function may have been hidden "
                    "by this fatal error, because fatal errors do not run deferred functions.";
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1008() { return std::make_unique<GT1008>(); }

}  // namespace gotriage
