// Incident facts: see incident_facts.h.
#include "rules/incident_facts.h"

#include <algorithm>
#include <cstdio>

#include "base/strings.h"
#include "rules/rule_names.h"
#include "rules/util.h"

namespace gotriage {

const Goroutine* CrashingGoroutine(const Incident& inc) {
  if (inc.crashing) return &*inc.crashing;
  for (const GoroutineGroup& g : inc.groups) {
    if (!g.samples.empty()) return &g.samples.front();
  }
  return nullptr;
}

std::string RootMessage(const Incident& inc) {
  if (!inc.fatal_error.empty()) return inc.fatal_error;
  if (!inc.panics.empty()) {
    std::string m = inc.panics.front().message;
    if (size_t nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
    while (!m.empty() && (m.back() == '\r' || m.back() == ' ')) m.pop_back();
    if (EndsWith(m, "^M")) m.resize(m.size() - 2);
    return m;
  }
  return "";
}

bool IsCrash(const Incident& inc) {
  return inc.kind == IncidentKind::kPanic || inc.kind == IncidentKind::kFatalError ||
         inc.kind == IncidentKind::kRecoveredPanic || IsSegvDump(inc);
}

bool IsSegvDump(const Incident& inc) {
  // `SIGSEGV: segmentation violation` then `PC=... m=N sigcode=N`: the
  // runtime dying of a fault it could not turn into a panic (in C code
  // called through cgo, or in the runtime). A SIGQUIT or SIGABRT dump is
  // a request for a dump, not a crash of its own.
  return inc.kind == IncidentKind::kSignalDump && inc.signal && inc.signal->name == "SIGSEGV";
}

int HeaderLostRaiser(const Incident& inc, std::string_view* rule, const Goroutine** g) {
  if (inc.kind != IncidentKind::kGoroutineDump) return -1;
  // A `runtime stack:` (or goroutine) whose runtime.throw was called by the
  // heap growing: `fatal error: runtime: out of memory` with its line lost.
  // Only the runtime's own allocator raises a throw from these frames; the
  // C runtime of Go 1.4 and before named them runtime.SysMap,
  // runtime.MHeap_SysAlloc, runtime.SysReserve and runtime.persistentalloc
  // (rwcarlsen/goexif#20, Go 1.2: throw from SysMap under MHeap_Grow).
  for (const GoroutineGroup& gr : inc.groups) {
    for (const Goroutine& s : gr.samples) {
      const std::vector<Frame>& fr = s.frames;
      if (fr.size() < 2 || BareFunc(fr[0].function) != "runtime.throw") continue;
      std::string_view caller = BareFunc(fr[1].function);
      if (caller == "runtime.sysMap" || caller == "runtime.(*mheap).sysAlloc" ||
          caller == "runtime.(*mheap).grow" || caller == "runtime.persistentalloc1" ||
          caller == "runtime.sysReserve" || caller == "runtime.(*mheap).sysAlloc.func1" ||
          caller == "runtime.SysMap" || caller == "runtime.MHeap_SysAlloc" || caller == "runtime.SysReserve" ||
          caller == "runtime.persistentalloc") {
        *rule = rule_names::GT1010.id;
        *g = &s;
        return 1;
      }
    }
  }
  const Goroutine* first = nullptr;
  for (const GoroutineGroup& gr : inc.groups) {
    for (const Goroutine& s : gr.samples)
      if (!first || s.header_line < first->header_line) first = &s;
  }
  if (!first || first->wait != WaitKind::kRunning) return -1;
  const std::vector<Frame>& fr = first->frames;
  size_t i = !fr.empty() && fr[0].is_panic ? 1 : 0;
  if (i >= fr.size()) return -1;
  std::string_view fn = BareFunc(fr[i].function);
  if (fn == "sync.(*WaitGroup).Add") {
    *rule = rule_names::GT1007.id;
  } else if (StartsWith(fn, "log.Panic") || StartsWith(fn, "log.(*Logger).Panic")) {
    *rule = rule_names::GT1011.id;
  } else {
    return -1;
  }
  *g = first;
  return static_cast<int>(i);
}

WaitKind EffectiveWait(const GoroutineGroup& g) {
  if (g.wait == WaitKind::kMutex && g.state == "semacquire" && !g.samples.empty()) {
    // Before Go 1.20 (or so) every semaphore wait said `semacquire`; the
    // call under the runtime's says which primitive (tiflow#680:
    // sync.(*WaitGroup).Wait). Newer runtimes name it in the state.
    for (const Frame& f : g.samples.front().frames) {
      if (f.kind == FrameKind::kRuntime || StartsWith(f.function, "sync.runtime_") ||
          StartsWith(f.function, "internal/sync.runtime_"))
        continue;
      if (f.function == "sync.(*WaitGroup).Wait") return WaitKind::kWaitGroup;
      if (f.function == "sync.(*Cond).Wait") return WaitKind::kCond;
      break;
    }
    return g.wait;
  }
  if (g.wait != WaitKind::kUnknown || g.samples.empty()) return g.wait;
  const std::vector<Frame>& fr = g.samples.front().frames;
  if (fr.empty()) return WaitKind::kUnknown;
  std::string_view top = fr.front().function;
  static constexpr std::pair<std::string_view, WaitKind> kTops[] = {
      {"runtime.chanrecv", WaitKind::kChanReceive},
      {"runtime.chansend", WaitKind::kChanSend},
      {"runtime.selectgo", WaitKind::kSelect},
      {"runtime.block", WaitKind::kSelectNoCases},
      {"time.Sleep", WaitKind::kSleep},
      {"internal/poll.runtime_pollWait", WaitKind::kIOWait},
      {"sync.runtime_Semacquire", WaitKind::kMutex},
      {"internal/sync.runtime_Semacquire", WaitKind::kMutex},
      {"sync.(*Mutex).Lock", WaitKind::kMutex},
      {"sync.(*RWMutex).", WaitKind::kMutex},
      {"sync.(*WaitGroup).Wait", WaitKind::kWaitGroup},
      {"sync.(*Cond).Wait", WaitKind::kCond},
      {"net/http.(*persistConn).", WaitKind::kSelect},
      {"runtime/pprof.", WaitKind::kRunning},
  };
  for (const auto& [p, k] : kTops) {
    if (StartsWith(top, p)) return k;
  }
  if (fr.front().kind == FrameKind::kApp || fr.front().kind == FrameKind::kDependency)
    return WaitKind::kOther;  // parked in a hidden runtime frame: chan op or select
  return WaitKind::kUnknown;
}

uint64_t NonIdleGoroutines(const Incident& inc) {
  uint64_t n = 0;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.wait != WaitKind::kRuntimeIdle) n += g.count;
  }
  return n;
}

}  // namespace gotriage
