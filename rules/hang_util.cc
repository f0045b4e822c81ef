// Helpers for the hang rules; see hang_util.h.
#include "rules/hang_util.h"

#include <algorithm>

#include "base/chars.h"
#include "base/strings.h"
#include "parsers/grammar.h"

namespace gotriage {

bool IsChanWait(WaitKind w) {
  return w == WaitKind::kChanSend || w == WaitKind::kChanReceive || w == WaitKind::kChanNil ||
         w == WaitKind::kSelect || w == WaitKind::kSelectNoCases || w == WaitKind::kOther;
}

bool HasGroups(const Incident& inc) {
  return inc.kind != IncidentKind::kRaceReport && !inc.groups.empty();
}

int GroupCulprit(const GoroutineGroup& g) {
  return g.samples.empty() ? -1 : CulpritIndex(g.representative().frames, false);
}

std::string StateName(const GoroutineGroup& g) {
  if (!g.state.empty()) return std::string(g.state);
  switch (EffectiveWait(g)) {
    case WaitKind::kOther: return "a channel operation or select";
    case WaitKind::kRunning: return "running";
    default: return WaitKindName(EffectiveWait(g));
  }
}

std::string WaitText(const GoroutineGroup& g) {
  if (g.max_wait_minutes <= 0) return "";
  return ", for up to " + Count(static_cast<uint64_t>(g.max_wait_minutes), "minute");
}

std::string GroupText(const GoroutineGroup& g, int frame) {
  std::string s = Count(g.count, "goroutine") + " blocked on " + StateName(g);
  if (!g.samples.empty() && frame >= 0) {
    CodeRef c = CodeRefFrom(g.representative().frames[frame]);
    s += " in " + FuncAndWhere(c.function, c);
  }
  return s + WaitText(g);
}

bool SparseEvidence(const GoroutineGroup& g) {
  return g.max_wait_minutes < 0 && (g.samples.empty() || !g.representative().created_by);
}

bool PastedExcerpt(const Incident& inc, bool headerless) {
  if (inc.groups.size() > 8) return false;
  bool few = inc.kind == IncidentKind::kGoroutineDump ||
             (inc.kind == IncidentKind::kPprofDebug1 &&
              ((headerless && inc.declared_total == 0) || inc.declared_total > inc.goroutine_count));
  if (!few) return false;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty()) continue;
    if (EffectiveWait(g) == WaitKind::kRunning || g.representative().id == 1) return false;
  }
  return true;
}

namespace {

// `pkg.F.func1.2` -> `pkg.F`; "" when \a fn is not a closure (or a
// `go` wrapper `F.gowrap1`).
std::string_view ClosureParent(std::string_view fn) {
  fn = BareFunc(fn);
  size_t slash = fn.rfind('/');
  size_t base = slash == std::string_view::npos ? 0 : slash + 1;
  bool closure = false;
  for (;;) {
    size_t dot = fn.rfind('.');
    if (dot == std::string_view::npos || dot < base) break;
    std::string_view last = fn.substr(dot + 1);
    bool digits = !last.empty() && std::all_of(last.begin(), last.end(), IsDigit);
    bool funcn = (StartsWith(last, "func") || StartsWith(last, "gowrap")) && last.size() > 4 &&
                 std::all_of(last.begin() + (last[0] == 'f' ? 4 : 6), last.end(),
                             IsDigit);
    if (!digits && !funcn) break;
    closure = true;
    fn = fn.substr(0, dot);
  }
  return closure ? fn : std::string_view();
}

bool RunsOnce(std::string_view fn) {
  fn = BareFunc(fn);
  if (fn == "main.main") return true;
  size_t dot = fn.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view last = fn.substr(dot + 1);
  if (last == "init") return true;
  // `pkg.init.0`: numbered init functions.
  size_t d2 = fn.substr(0, dot).rfind('.');
  return d2 != std::string_view::npos && fn.substr(d2 + 1, dot - d2 - 1) == "init" &&
         std::all_of(last.begin(), last.end(), IsDigit);
}

}  // namespace

CreatorInfo CreatorOf(const GoroutineGroup& g) {
  CreatorInfo c;
  if (g.samples.empty()) return c;
  const Goroutine& r = g.representative();
  if (r.created_by) {
    c.function = std::string(BareFunc(r.created_by->function));
    c.parent = r.created_by_goroutine;
  } else if (!r.frames.empty() && !r.frames_elided && !r.truncated) {
    std::string_view parent = ClosureParent(r.frames.back().function);
    if (!parent.empty()) {
      c.function = std::string(parent);
      c.from_name = true;
    }
  }
  c.once = !c.function.empty() && (RunsOnce(c.function) || c.parent == 1);
  return c;
}

std::string PoolReason(const GoroutineGroup& g) {
  if (g.samples.empty() || g.any_leaked) return "";
  WaitKind w = EffectiveWait(g);
  // Waiting for work: a receive or a select. kOther is debug=1's hidden
  // channel wait (send or receive cannot be told apart there).
  if (w != WaitKind::kChanReceive && w != WaitKind::kSelect && w != WaitKind::kOther) return "";
  const Goroutine& r = g.representative();
  int ci = GroupCulprit(g);
  if (ci < 0 || r.frames[ci].kind == FrameKind::kStdlib || r.frames[ci].kind == FrameKind::kRuntime) return "";
  CreatorInfo c = CreatorOf(g);
  if (r.created_by) {
    // Started at start-up by one creator frame, and waiting for work.
    if (c.once)
      return "all created by " + c.function + (c.parent == 1 ? " in the main goroutine" : "") +
             " and waiting for work on a channel";
    return "";
  }
  if (w != WaitKind::kOther && !SparseEvidence(g)) return "";
  // No creators printed (debug=1): judge from the goroutine's own function.
  if (c.from_name) {
    if (c.once) return "closures of " + c.function + ", which runs once, waiting on a channel";
    return "";  // a closure of a function that runs per call: started per call
  }
  // A named function at the bottom of the stack, parked in its own body:
  // the shape of a long-lived worker loop (`go worker(jobs)`).
  if (static_cast<size_t>(ci) + 1 == r.frames.size() && !r.frames_elided && !r.truncated)
    return "each one a long-lived loop (" + std::string(BareFunc(r.frames[ci].function)) +
           ") parked in its own body on a channel";
  return "";
}

const GoroutineGroup* LoneStuckLockWaiter(const Incident& inc) {
  const GoroutineGroup* lone = nullptr;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty() || EffectiveWait(g) != WaitKind::kMutex) continue;
    if (lone || g.count != 1) return nullptr;  // a queue, not one waiter
    lone = &g;
  }
  if (!lone) return nullptr;
  const std::vector<Frame>& fr = lone->representative().frames;
  if (HasFrame(fr, "sync.(*RWMutex).RLock")) return nullptr;  // a reader waits behind a writer (GT2001)
  // An hour: a lock is held that long on no path of a working program. A
  // writer of an RWMutex pasted alone (cockroach#16141: 12 minutes in Lock
  // behind a recursive RLock), ten minutes: readers hold it, and no
  // request queues behind it in the input. (One Mutex waiter pasted alone
  // may stand for a queue: argocd#17818's 150 behind a git fetch.)
  bool lone_writer = inc.groups.size() == 1 && HasFrame(fr, "sync.(*RWMutex).Lock");
  if (lone->max_wait_minutes < (lone_writer ? 10 : 60)) return nullptr;
  return lone;
}

namespace {

// Goroutines every service has that are no batch's work: a listener's
// accept loop, the goroutine writing the profile (pprof debug=2 dumps hold
// it, running), the runtime's own.
bool NeverTheWork(const GoroutineGroup& g) {
  const std::vector<Frame>& fr = g.representative().frames;
  return EffectiveWait(g) == WaitKind::kRuntimeIdle || HasFrame(fr, "net.(*TCPListener).Accept") ||
         HasFrame(fr, "net.(*UnixListener).Accept") || HasFrame(fr, "runtime/pprof.writeGoroutineStacks") ||
         HasFrame(fr, "runtime/pprof.writeGoroutine");
}

}  // namespace

namespace {

// The one group whose wait \a waits names, blocked a minute or more while
// nothing else in the input could be what it waits for (see
// StuckWaitGroupWaiter).
// A goroutine in a select may be \a waits' partner when \a select_partner
// (one of its cases may be the other end of a channel).
const GoroutineGroup* LoneStuckWaiter(const Incident& inc, bool (*waits)(WaitKind), bool select_partner,
                                      uint64_t* others) {
  const GoroutineGroup* waiter = nullptr;
  uint64_t blocked = 0;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty() || NeverTheWork(g)) continue;
    WaitKind w = EffectiveWait(g);
    if (waits(w)) {
      if (waiter) return nullptr;
      waiter = &g;
      continue;
    }
    switch (w) {
      case WaitKind::kUnknown:
      case WaitKind::kRunning:
      case WaitKind::kSyscall:
      case WaitKind::kIOWait:
      case WaitKind::kSleep:
        return nullptr;  // it may be the work being waited for
      case WaitKind::kSelect:
        if (select_partner) return nullptr;
        blocked += g.count;
        break;
      default:
        blocked += g.count;
        break;
    }
  }
  if (!waiter || waiter->max_wait_minutes < 1) return nullptr;
  if (others) *others = blocked;
  return waiter;
}

}  // namespace

const GoroutineGroup* StuckWaitGroupWaiter(const Incident& inc, uint64_t* others) {
  return LoneStuckWaiter(inc, [](WaitKind w) { return w == WaitKind::kWaitGroup; }, false, others);
}

const GoroutineGroup* StuckChannelWaiter(const Incident& inc, uint64_t* others) {
  return LoneStuckWaiter(
      inc, [](WaitKind w) { return w == WaitKind::kChanSend || w == WaitKind::kChanReceive; }, true, others);
}

const GoroutineGroup* CrossedChannelWaiters(const Incident& inc, const GoroutineGroup** receiver) {
  if (!PastedExcerpt(inc, false)) return nullptr;
  const GoroutineGroup* send = nullptr;
  const GoroutineGroup* recv = nullptr;
  const GoroutineGroup* waiter = nullptr;
  uint64_t n = 0;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty()) return nullptr;
    if (NeverTheWork(g)) continue;
    WaitKind w = EffectiveWait(g);
    if (w != WaitKind::kChanSend && w != WaitKind::kChanReceive && w != WaitKind::kWaitGroup) return nullptr;
    int site = GroupCulprit(g);
    if (site < 0 || g.representative().frames[static_cast<size_t>(site)].kind != FrameKind::kApp) return nullptr;
    n += g.count;
    const GoroutineGroup*& first = w == WaitKind::kChanSend ? send : w == WaitKind::kChanReceive ? recv : waiter;
    if (!first) first = &g;
  }
  if (n < 2 || n > 4) return nullptr;
  // A sender and the one that would take its value, or wait for it to
  // finish; a receiver and the one waiting for it to finish (which would
  // have closed the channel after the wait).
  if (send && (recv || waiter)) {
    *receiver = recv ? recv : waiter;
    return send;
  }
  if (recv && waiter) {
    *receiver = waiter;
    return recv;
  }
  return nullptr;
}

const GoroutineGroup* ExcerptLockHolder(const Incident& inc, std::vector<const GoroutineGroup*>* waiters) {
  waiters->clear();
  if (!PastedExcerpt(inc, false)) return nullptr;
  const GoroutineGroup* holder = nullptr;
  uint64_t n = 0;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty()) return nullptr;
    if (NeverTheWork(g)) continue;
    int site = GroupCulprit(g);
    if (site < 0 || g.representative().frames[static_cast<size_t>(site)].kind != FrameKind::kApp) return nullptr;
    WaitKind w = EffectiveWait(g);
    if (w == WaitKind::kMutex) {
      waiters->push_back(&g);
    } else if (IsChanWait(w) && !holder) {
      holder = &g;
    } else {
      return nullptr;
    }
    n += g.count;
  }
  if (!holder || waiters->empty() || n < 2 || n > 4) return nullptr;
  // Code of one package: the lock and the channel are the same code's.
  std::string_view pkg =
      PackageOf(BareFunc(holder->representative().frames[static_cast<size_t>(GroupCulprit(*holder))].function));
  for (const GoroutineGroup* w : *waiters) {
    if (PackageOf(BareFunc(w->representative().frames[static_cast<size_t>(GroupCulprit(*w))].function)) != pkg)
      return nullptr;
  }
  return holder;
}

}  // namespace gotriage
