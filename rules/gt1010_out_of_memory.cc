// GT1010: the Go runtime could not get memory from the OS.
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1010.id,
    .title = "Out of memory (Go runtime)",
    .category = rule_names::GT1010.category,
    .severity = Severity::kCritical,
    .what = "The Go runtime asked the operating system for memory and was refused: `runtime: out "
            "of memory: cannot allocate N-byte block (M in use)` followed by `fatal error: out of "
            "memory`. (A container killed by the kernel's OOM killer prints nothing; see the "
            "Kubernetes rules for OOMKilled.)",
    .why = "The heap outgrew the address-space or memory limit (ulimit -v, cgroup without swap "
           "accounting, 32-bit address space), usually because of an unbounded cache, a whole "
           "file or response read into memory, or a leak of goroutines or buffers.",
    .fix = "Look at the allocating frame and the size in the message: bound caches, stream large inputs instead of reading them whole.\n"
           "Set GOMEMLIMIT below the container limit so the GC works harder before the limit is hit.\n"
           "Take a heap profile (/debug/pprof/heap) before the limit to find what grows.",
    .before = "body, _ := io.ReadAll(resp.Body) // unbounded\ncache[key] = body          // never evicted",
    .after = "body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))\nif err != nil {\n\treturn err\n}\ncache.Add(key, body) // size-bounded LRU",
    .links = {"https://go.dev/doc/gc-guide#Memory_limit", "https://pkg.go.dev/runtime/pprof"},
};

// `fatal error: runtime: out of memory`; the runtime's other words for memory it could not get from
// the OS: a failed mmap/VirtualAlloc of heap arenas (`runtime: cannot map pages in arena address space`,
// Windows errno 1455 = commit limit), and ENOMEM (`runtime: ... cannot allocate memory`, in `also`).
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "out of memory"},
    {MessageMatch::kContains, "cannot map pages in arena address space"},
};
bool CannotAllocate(const Incident&, std::string_view m) {
  return m.starts_with("runtime: ") && m.find("cannot allocate memory") != std::string_view::npos;
}
const CrashClaim kClaim{.messages = kMessages, .also = CannotAllocate};

class GT1010 : public CrashRule {
 public:
  GT1010() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    std::string alloc;
    for (const std::string& m : c.incident.runtime_messages) {
      if (m.find("cannot allocate") != std::string::npos) {
        alloc = m.substr(m.find("cannot allocate"));
        f->evidence.details.push_back(m);
      }
    }
    f->summary = "The Go runtime ran out of memory";
    if (!alloc.empty()) f->summary += " (" + alloc + ")";
    if (c.goroutine && c.culprit >= 0) {
      f->summary += " while " + c.GoroutineText() + " was allocating in " + c.CulpritText() + ".";
    } else if (c.goroutine && !c.goroutine->frames.empty()) {
      f->summary += "; the stack in the input holds only the runtime's own frames (it ends before the "
                    "code that allocated), so the allocating code is unknown.";
    } else {
      f->summary += "; the input holds no goroutine stack, so the allocating code is unknown.";
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1010() { return std::make_unique<GT1010>(); }

}  // namespace gotriage
