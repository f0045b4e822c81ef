// GT2009: a SIGQUIT/SIGABRT dump of a process that was busy. When a process
// is stopped by one of those signals (a timeout, an operator's kill -QUIT, a
// watchdog) and no other rule explains the dump, the goroutines executing
// application code are what it was doing: name that code.
#include <map>

#include "base/strings.h"
#include "rules/catalog.h"
#include "rules/hang_util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2009.id,
    .title = "Busy when stopped by SIGQUIT/SIGABRT",
    .category = rule_names::GT2009.category,
    .severity = Severity::kMedium,
    .what = "The process was stopped by SIGQUIT or SIGABRT (`kill -QUIT`, Ctrl+\\, a supervisor's or "
            "test runner's timeout, GOTRACEBACK=crash) and the runtime printed every goroutine. No "
            "goroutine was blocked in a way that explains a hang (no deadlock, leak, lock or missing "
            "timeout); instead goroutines were executing application code: running, runnable, or "
            "paused inside the runtime on behalf of that code (allocating, waiting for the garbage "
            "collector, preempted). That code is what the process was doing when it was stopped. "
            "Reported only when no other rule finds something in the same dump.",
    .why = "A CPU-bound loop that never ends or takes far longer than expected (a retry or polling "
           "loop without a sleep, a condition that never becomes false, an algorithm on a much "
           "larger input than planned, a spin on an atomic), or a long call into C through cgo. The "
           "process looks hung from outside (a liveness probe, a request timeout, a test timeout) "
           "while it is in fact busy.",
    .fix = "Read the named function at the printed line: find the loop it is in and what should end it.\n"
           "Take a CPU profile while it is busy (`go tool pprof http://HOST/debug/pprof/profile?seconds=30`) to see where the time goes.\n"
           "Bound the work: check ctx.Done() (or a deadline) inside long loops, and sleep or back off in retry and polling loops.\n"
           "When the frame is a cgo call, the time is spent in C: check the C library's blocking behaviour and call it with a timeout from a separate goroutine.",
    .before = "for !ready.Load() {\n\t// spins a whole CPU until another goroutine sets ready\n}",
    .after = "for !ready.Load() {\n\tselect {\n\tcase <-ctx.Done():\n\t\treturn ctx.Err()\n\tcase <-time.After(10 * time.Millisecond):\n\t}\n}",
    .links = {"https://pkg.go.dev/runtime#hdr-Environment_Variables", "https://go.dev/doc/diagnostics#profiling",
              "https://pkg.go.dev/os/signal#hdr-Default_behavior_of_signals_in_Go_programs"},
    .fallback = true,
};

bool IsStopSignal(const Incident& inc) {
  return inc.kind == IncidentKind::kSignalDump && inc.signal &&
         (inc.signal->name == "SIGQUIT" || inc.signal->name == "SIGABRT");
}

bool IsAppCode(const Frame& f) { return f.kind == FrameKind::kApp || f.kind == FrameKind::kDependency; }

// Runtime entry points through which Go code blocks on a channel or select:
// a goroutine parked there waits for a partner, it is not busy.
bool IsBlockingEntry(std::string_view fn) {
  for (std::string_view p : {"runtime.chanrecv", "runtime.chansend", "runtime.selectgo", "runtime.block",
                             "runtime.gopark", "runtime.goparkunlock", "runtime.closechan"}) {
    if (StartsWith(fn, p)) return true;
  }
  return false;
}

bool IsPark(std::string_view fn) { return fn == "runtime.gopark" || fn == "runtime.goparkunlock"; }

// The frame of \a g's representative at which it executes application
// code, or -1 when the group is not busy. Busy: the first frame outside
// the runtime is application or dependency code that entered the runtime
// other than through a channel operation or select (allocation, GC assist,
// preemption, stack growth, cgo, or nothing at all: running); or it is
// standard-library code that is running or runnable without having
// parked (crypto, encoding, sorting called from the application), blamed
// on the first application frame below it. Waits in sync, time, net and
// os (stdlib frames that parked) are not busy, whatever the state says.
int BusyFrame(const GoroutineGroup& g) {
  if (g.samples.empty()) return -1;
  const Goroutine& r = g.representative();
  // Goroutine 0 is the scheduler's own stack (g0): never application code,
  // whatever a damaged paste makes of its frames.
  if (r.id == 0) return -1;
  const std::vector<Frame>& fr = r.frames;
  size_t k = 0;
  while (k < fr.size() && fr[k].kind == FrameKind::kRuntime) ++k;
  if (k == fr.size()) return -1;  // the runtime's own goroutine (or none)
  // No runtime frame above the first application one: the traceback hid
  // them (the runtime shows its own frames only for the crashing
  // goroutine, or under GOTRACEBACK=system), so the header's state is the
  // only evidence, and a parked state is waiting, not busy.
  if (k == 0) switch (g.wait) {
    case WaitKind::kChanReceive:
    case WaitKind::kChanSend:
    case WaitKind::kChanNil:
    case WaitKind::kSelect:
    case WaitKind::kSelectNoCases:
    case WaitKind::kMutex:
    case WaitKind::kWaitGroup:
    case WaitKind::kCond:
    case WaitKind::kIOWait:
    case WaitKind::kSleep:
    case WaitKind::kRuntimeIdle:
      return -1;
    default:
      break;
  }
  bool parked = false;
  for (size_t i = 0; i < k; ++i) parked = parked || IsPark(fr[i].function);
  // A frame without a location is not evidence enough (a garbled line).
  if (IsAppCode(fr[k]) && fr[k].line <= 0) return -1;
  if (IsAppCode(fr[k])) {
    if (k > 0 && IsBlockingEntry(fr[k - 1].function)) return -1;
    return static_cast<int>(k);
  }
  if (fr[k].kind != FrameKind::kStdlib || parked || g.wait != WaitKind::kRunning) return -1;
  int ci = CulpritIndex(fr, false);
  return ci >= 0 && IsAppCode(fr[static_cast<size_t>(ci)]) && fr[static_cast<size_t>(ci)].line > 0 ? ci : -1;
}

class GT2009 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  bool AppliesTo(const Incident& inc) const override { return IsStopSignal(inc) && HasGroups(inc); }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    // Busy goroutines by the function they execute; the function with
    // the most goroutines is named, the first in the dump on a tie.
    struct Busy {
      uint64_t goroutines = 0;
      std::vector<const GoroutineGroup*> groups;
      std::vector<int> frames;
    };
    std::map<std::string_view, Busy> by_function;
    uint64_t busy_total = 0;
    for (const GoroutineGroup& g : inc.groups) {
      int bf = BusyFrame(g);
      if (bf < 0) continue;
      Busy& b = by_function[g.representative().frames[static_cast<size_t>(bf)].function];
      b.goroutines += g.count;
      b.groups.push_back(&g);
      b.frames.push_back(bf);
      busy_total += g.count;
    }
    if (busy_total == 0) return;
    const Busy* best = nullptr;
    for (const auto& [fn, b] : by_function) {
      if (!best || b.goroutines > best->goroutines ||
          (b.goroutines == best->goroutines && b.groups.front()->first_line < best->groups.front()->first_line))
        best = &b;
    }
    const GoroutineGroup& g = *best->groups.front();
    const std::vector<Frame>& fr = g.representative().frames;
    int ci = best->frames.front();

    Finding f = NewFinding(kDoc, in, i);
    f.confidence = inc.partial ? 0.5 : 0.6;
    SetCulprit(&f, fr, ci);
    for (const GoroutineGroup* x : best->groups) AddGroupEvidence(&f, *x);
    f.evidence.goroutines_involved = best->goroutines;
    if (inc.signal && inc.signal->input_line) f.evidence.input_lines.push_back(inc.signal->input_line);

    bool cgo = HasFrame(fr, "runtime.cgocall") || fr[static_cast<size_t>(ci)].function.find("._Cfunc_") != std::string_view::npos;
    std::string states;
    for (const GoroutineGroup* x : best->groups) {
      std::string s = StateName(*x);
      if (states.find(s) == std::string::npos) states += (states.empty() ? "" : ", ") + s;
    }
    f.summary = "The process was stopped by " + inc.signal->name + " while " +
                Count(best->goroutines, "goroutine") + " " + (best->goroutines == 1 ? "was" : "were") +
                " executing " + FuncAndWhere(f.culprit->function, *f.culprit) + " [" + states + "]" +
                (cgo ? ", in C code called through cgo" : "") + ".";
    if (busy_total > best->goroutines)
      f.summary += " " + Count(busy_total - best->goroutines, "more goroutine") + " ran other application code.";
    f.summary += " No goroutine was blocked in a way that explains a hang: the process was busy, not stuck; "
                 "that code (a loop that does not end, or work far larger than expected) is what it was doing when it was stopped.";
    if (inc.partial) f.summary += " The dump was cut off, so goroutines after the cut are not counted.";
    f.evidence.details.push_back(inc.signal->name + ": " + Count(busy_total, "goroutine") +
                                 " executing application code, " + Count(best->goroutines, "goroutine") + " in " +
                                 ShortFunc(f.culprit->function));
    AddDocRemediation(&f, kDoc);
    SetFingerprint(&f, "busy at " + inc.signal->name, fr, ci);
    out->push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2009() { return std::make_unique<GT2009>(); }

}  // namespace gotriage
