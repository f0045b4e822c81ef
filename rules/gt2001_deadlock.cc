// GT2001: deadlock -- the runtime's checkdead, and lock wait chains in
// goroutine dumps (re-entrant locking, readers stuck behind a writer).
#include <algorithm>

#include "base/strings.h"
#include "rules/catalog.h"
#include "rules/crash_rule.h"
#include "rules/hang_util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2001.id,
    .title = "Deadlock",
    .category = rule_names::GT2001.category,
    .severity = Severity::kCritical,
    .what = "Goroutines wait for each other and none can proceed. When every goroutine is blocked "
            "the runtime stops the process with `fatal error: all goroutines are asleep - "
            "deadlock!` (or `no goroutines (main called runtime.Goexit) - deadlock!`). When other "
            "goroutines (timers, network pollers) keep the process alive, the deadlock only shows "
            "in a goroutine dump: goroutines blocked on the same lock for a long time, or a "
            "sync.WaitGroup.Wait that has waited minutes while nothing is left to call Done.",
    .why = "A channel send or receive without a partner (an unbuffered channel nobody reads, a "
           "WaitGroup waited on before the senders are drained), a lock taken twice by the same "
           "goroutine (sync.Mutex and sync.RWMutex are not re-entrant; a recursive RLock blocks as "
           "soon as a writer is waiting), two locks taken in opposite orders, or a WaitGroup Add "
           "whose Done a return path skips.",
    .fix = "[if drain] Drain the results before wg.Wait() (receive them in the caller, or close the channel from a goroutine that waits), or give the channel a buffer for every worker's result.\n"
           "[if lock] Never call a method that locks from code that already holds the same lock; split into a locked wrapper and an unlocked helper.\n"
           "[if lock] Take several locks in one global order.\n"
           "Follow the blocked goroutines: who should send, receive or unlock what each one waits for.",
    .before = "func (s *Shell) Pwd() string {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\treturn s.cwd\n}\n\nfunc (s *Shell) Cache() {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\ts.tpl.Dir = s.Pwd() // locks s.mu again: deadlock\n}",
    .after = "func (s *Shell) pwdLocked() string { return s.cwd } // caller holds s.mu\n\nfunc (s *Shell) Cache() {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\ts.tpl.Dir = s.pwdLocked()\n}",
    .links = {"https://go.dev/ref/mem", "https://pkg.go.dev/sync#RWMutex",
              "https://go.dev/doc/effective_go#channels"},
};

// The re-entrant frame: a frame deeper than \a from with the same receiver
// pointer as the frame at \a from; -1 when none.
int ReentrantFrame(const std::vector<Frame>& fr, int from) {
  if (from < 0) return -1;
  std::string p = FirstArg(fr[from]);
  if (p.empty() || ReceiverType(fr[from].function).empty()) return -1;
  for (size_t i = from + 1; i < fr.size(); ++i) {
    if (fr[i].kind == FrameKind::kRuntime || fr[i].kind == FrameKind::kStdlib) continue;
    if (FirstArg(fr[i]) == p && ReceiverType(fr[i].function) == ReceiverType(fr[from].function) &&
        fr[i].function != fr[from].function)
      return static_cast<int>(i);
  }
  return -1;
}

// A finding on one stuck group of a dump that no runtime check reported:
// high, with the group's goroutines and its frame \a site as the culprit.
Finding StuckGroupFinding(const ParsedInput& in, size_t i, const GoroutineGroup& g, int site) {
  Finding f = NewFinding(kDoc, in, i);
  f.severity = Severity::kHigh;
  AddGroupEvidence(&f, g);
  SetCulprit(&f, g.representative().frames, site);
  return f;
}

// checkdead: `fatal error: all goroutines are asleep - deadlock!`, `no goroutines (main called runtime.Goexit) - deadlock!`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "all goroutines are asleep - deadlock"},
    {MessageMatch::kContains, "no goroutines (main called runtime.Goexit)"},
};
const CrashClaim kClaim{.messages = kMessages};

class GT2001 : public CrashRule {
 public:
  GT2001() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

  bool AppliesTo(const Incident& inc) const override { return CrashRule::AppliesTo(inc) || (HasGroups(inc) && !IsCrash(inc) && inc.kind != IncidentKind::kTestTimeout); }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    if (CrashRule::AppliesTo(inc)) CrashRule::CheckIncident(ctx, i, out);
    if (!HasGroups(inc) || IsCrash(inc) || inc.kind == IncidentKind::kTestTimeout) return;
    for (const GoroutineGroup& g : inc.groups) {
      if (EffectiveWait(g) != WaitKind::kMutex || g.samples.empty()) continue;
      const std::vector<Frame>& fr = g.representative().frames;
      int site = GroupCulprit(g);
      int re = ReentrantFrame(fr, site);
      bool rlock = HasFrame(fr, "sync.(*RWMutex).RLock");
      // A read lock waits only behind a writer: long waits, or many readers
      // piled up for minutes, mean the writer is itself stuck.
      bool stuck_rlock = rlock && (g.max_wait_minutes >= 5 || (g.count >= 20 && g.max_wait_minutes >= 1));
      if (re < 0 && !stuck_rlock) continue;
      Finding f = NewFinding(kDoc, in, i);
      f.severity = Severity::kHigh;
      AddGroupEvidence(&f, g);
      if (re >= 0) {
        SetCulprit(&f, fr, re);
        f.confidence = 0.85;
        f.summary = GroupText(g, site) + ", while the same goroutine already holds that lock further "
                    "down its stack in " + std::string(BareFunc(fr[re].function)) + " (" +
                    Where(CodeRefFrom(fr[re])) + ", same receiver " + FirstArg(fr[re]) +
                    "): a re-entrant lock, which Go mutexes do not allow. The goroutine waits for itself.";
      } else {
        SetCulprit(&f, fr, site);
        f.confidence = 0.75;
        f.summary = GroupText(g, site) + " in sync.(*RWMutex).RLock. A read lock only blocks while a writer "
                    "holds or waits for the lock; waiting this long means the writer waits for a reader "
                    "that is itself blocked (often a recursive RLock): a lock-order deadlock.";
      }
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, re >= 0 ? "reentrant lock" : "rlock behind writer");
      out->push_back(std::move(f));
      return;  // one finding per dump: the first chain explains it
    }
    if (const GoroutineGroup* g = LoneStuckLockWaiter(inc)) {
      // Judged from one goroutine's wait time alone: the holder is not in
      // the input, so the confidence says so.
      int site = GroupCulprit(*g);
      Finding f = StuckGroupFinding(in, i, *g, site);
      f.confidence = 0.6;
      f.summary = GroupText(*g, site) + " for a lock, and no other goroutine in the input waits for one: "
                  "nothing is queued behind it, so this is not contention. No lock is held that long on "
                  "purpose: its holder is blocked forever (often on this goroutine, or on a channel), or "
                  "an Unlock was missed on some return path. The holder's stack is not in the input; "
                  "a full dump (SIGQUIT, debug=2) shows who holds it.";
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, "lock never released");
      out->push_back(std::move(f));
      return;
    }
    uint64_t others = 0;
    if (const GoroutineGroup* g = StuckWaitGroupWaiter(inc, &others)) {
      // A partial deadlock the runtime cannot see (other goroutines, the
      // server's, keep it from checkdead): Wait, and no Done to come.
      int site = GroupCulprit(*g);
      Finding f = StuckGroupFinding(in, i, *g, site);
      f.confidence = inc.groups.size() == 1 ? 0.6 : 0.7;  // an excerpt of the waiter alone: less seen
      f.summary = GroupText(*g, site) +
                  (others == 0 ? ", and no other goroutine in the input could still call Done"
                               : ", and the " + Count(others, "other goroutine") + " that could call Done " +
                                     (others == 1 ? "is" : "are") + " blocked too") +
                  ". The counter will not reach zero: an Add without its Done (a return, continue or "
                  "recovered panic that skips it, or Add called once per item but Done once per batch), "
                  "or the goroutines that would call Done are blocked on something this one holds.";
      f.remediation.steps.push_back(
          "Call wg.Add(1) right before each go statement and make `defer wg.Done()` the goroutine's first "
          "line, so every path calls it (or use wg.Go on Go 1.25+).");
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, "waitgroup never done");
      out->push_back(std::move(f));
      return;
    }
    // An excerpt of the waiter alone says nothing of its partners.
    if (const GoroutineGroup* g = inc.goroutine_count >= 2 ? StuckChannelWaiter(inc, &others) : nullptr) {
      int site = GroupCulprit(*g);
      if (site < 0 || g->representative().frames[static_cast<size_t>(site)].kind == FrameKind::kStdlib) return;
      Finding f = StuckGroupFinding(in, i, *g, site);
      f.confidence = inc.partial || inc.groups.size() == 1 ? 0.55 : 0.7;  // an excerpt: less seen
      bool send = EffectiveWait(*g) == WaitKind::kChanSend;
      f.summary = GroupText(*g, site) + ", and no other goroutine in the input can " +
                  (send ? "receive" : "send") + ": " +
                  (others == 0 ? "every other one is the runtime's own"
                               : "the " + Count(others, "other goroutine") + " of the program " +
                                     (others == 1 ? "is" : "are") + " blocked too") +
                  ". The channel has no partner left. This is a deadlock the runtime cannot report as one "
                  "(it says `all goroutines are asleep` only when no timer, network poller or signal handler "
                  "could still wake one), so the process hangs instead of crashing.";
      if (inc.partial) f.summary += " The dump was cut off: a partner after the cut is not ruled out.";
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, send ? "send without receiver" : "receive without sender");
      out->push_back(std::move(f));
      return;
    }
    const GoroutineGroup* receiver = nullptr;
    if (const GoroutineGroup* g = CrossedChannelWaiters(inc, &receiver)) {
      // Judged from what the person chose to paste, without wait times or
      // the channels' identity: the confidence says so.
      int site = GroupCulprit(*g);
      int rsite = GroupCulprit(*receiver);
      Finding f = StuckGroupFinding(in, i, *g, site);
      f.confidence = 0.5;
      AddGroupEvidence(&f, *receiver);
      bool group_wait = EffectiveWait(*receiver) == WaitKind::kWaitGroup;
      bool sends = EffectiveWait(*g) == WaitKind::kChanSend;
      f.summary = GroupText(*g, site) + ", and " + GroupText(*receiver, rsite) +
                  ": the goroutines of the program in this excerpt, each blocked on a channel" +
                  (group_wait ? " or a WaitGroup" : "") + " and none running. " +
                  (group_wait ? (sends ? "When the Wait waits for the sender to finish while the sender waits "
                                         "for a receiver that is not coming"
                                       : "When the Wait waits for the receiver to finish while the receiver "
                                         "waits for a value or a close that only comes after the Wait")
                              : "When the receiver waits for the sender (for it to finish, or on another "
                                "channel) while the sender waits to hand it a value") +
                  ", neither can go on: a deadlock the runtime reports only when no other goroutine is "
                  "left, so the program (or test) hangs instead.";
      if (inc.partial) f.summary += " The paste was cut off: what came after the cut is not known.";
      if (sends) {
        f.remediation.steps.push_back(
            "Give the channel the sender blocks on a buffer (or make the send a select with a done "
            "channel or ctx.Done()), so it can finish while the other goroutine waits for it.");
      } else {
        f.remediation.steps.push_back(
            "Close the channel the receiver ranges over or waits on where the last sender is done "
            "(in a goroutine that does wg.Wait() then close(ch)), not after a Wait that waits for "
            "the receiver.");
      }
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, "send and receive wait on each other");
      out->push_back(std::move(f));
    }
  }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    const Incident& inc = c.incident;
    if (c.message.find("Goexit") != std::string::npos) {
      f->culprit.reset();
      f->app_frame.reset();
      f->summary = "main called runtime.Goexit and no other goroutine was left to run: the program "
                   "can never finish. Goexit in main (often via t.FailNow/log helpers outside tests) "
                   "waits for goroutines that do not exist.";
      return;
    }
    // Prefer the goroutines blocked on a channel: they are why the waiter
    // waits. Among them, those whose own code does the channel operation
    // (their first frame past the runtime's is the culprit) before those
    // that wait inside the standard library, which there waits for
    // goroutines of its own (os/exec's Cmd.Wait for the copiers it
    // started, curlie#76: the copier blocked in the program's Write is why).
    auto own_op = [](const GoroutineGroup& g) {
      const std::vector<Frame>& fr = g.representative().frames;
      size_t i = 0;
      while (i < fr.size() && fr[i].kind == FrameKind::kRuntime) ++i;
      return static_cast<int>(i) == GroupCulprit(g);
    };
    const GoroutineGroup* best = nullptr;
    bool best_own = false;
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty() || !IsChanWait(EffectiveWait(g)) || EffectiveWait(g) == WaitKind::kOther) continue;
      if (GroupCulprit(g) < 0 || g.representative().frames[GroupCulprit(g)].kind == FrameKind::kStdlib) continue;
      bool own = own_op(g);
      if (!best || (own && !best_own) || (own == best_own && g.count > best->count)) {
        best = &g;
        best_own = own;
      }
    }
    std::string head = "The runtime found every goroutine blocked (" + c.message + ").";
    // Whether that group is the crashing goroutine's: by id, or where the
    // input names none (panicparse's buckets) by its stack.
    auto is_crashing = [&](const Goroutine& r) {
      if (r.id >= 0 || c.goroutine->id >= 0) return r.id == c.goroutine->id;
      return std::equal(r.frames.begin(), r.frames.end(), c.goroutine->frames.begin(), c.goroutine->frames.end(),
                        [](const Frame& a, const Frame& b) { return a.function == b.function && a.line == b.line; });
    };
    if (best && (!c.goroutine || !is_crashing(best->representative()))) {
      f->culprit.reset();
      f->app_frame.reset();
      f->evidence.input_lines.clear();
      SetCulprit(f, best->representative().frames, GroupCulprit(*best));
      AddGroupEvidence(f, *best);
      f->summary = head + " " + GroupText(*best, GroupCulprit(*best)) + " with no goroutine left to "
                   "take the other side";
      if (c.goroutine && c.culprit >= 0)
        f->summary += ", while " + c.GoroutineText() + " waits on " + std::string(c.goroutine->state) +
                      " in " + c.CulpritText();
      f->summary += ".";
      return;
    }
    f->summary = head + " " + c.GoroutineText() + " waits on " +
                 (c.goroutine ? std::string(c.goroutine->state) : "?") + " in " + c.CulpritText() + ".";
    if (c.goroutine) {
      int re = ReentrantFrame(c.goroutine->frames, c.culprit);
      if (re >= 0)
        f->summary += " It already holds that lock further down its stack, in " +
                      std::string(BareFunc(c.goroutine->frames[re].function)) +
                      " (same receiver): a re-entrant lock.";
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2001() { return std::make_unique<GT2001>(); }

}  // namespace gotriage
