// GT2002: a goroutine blocked on a channel operation while holding a lock
// that other goroutines wait for.
#include "rules/catalog.h"
#include "rules/hang_util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2002.id,
    .title = "Lock held across a channel operation",
    .category = rule_names::GT2002.category,
    .severity = Severity::kHigh,
    .what = "A goroutine is blocked sending, receiving or selecting on a channel inside a method "
            "of an object whose mutex other goroutines are waiting for. The lock holder waits for "
            "a channel partner, and everyone else queues behind the lock: requests pile up, and "
            "if the partner itself needs the lock the program is deadlocked.",
    .why = "A method takes `mu.Lock()` (often with `defer mu.Unlock()`) and then sends on an "
           "unbuffered or full channel, or waits for a reply, while still holding the lock. The "
           "consumer of the channel may need the same lock (a flusher calling Drain), or simply be "
           "slow.",
    .fix = "Do not block on channels while holding a lock: copy what you need, unlock, then send.\n"
           "Or make the send non-blocking (select with default, or a buffered channel sized for the burst) and handle the full case.\n"
           "Make sure the channel's consumer never needs the lock the producer holds.",
    .before = "func (q *Queue) Add(r Report) {\n\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n\tq.pending = append(q.pending, r)\n\tif len(q.pending) >= q.threshold {\n\t\tq.flush <- struct{}{} // blocks with q.mu held\n\t}\n}",
    .after = "func (q *Queue) Add(r Report) {\n\tq.mu.Lock()\n\tq.pending = append(q.pending, r)\n\tfull := len(q.pending) >= q.threshold\n\tq.mu.Unlock()\n\tif full {\n\t\tselect {\n\t\tcase q.flush <- struct{}{}:\n\t\tdefault: // a flush is already pending\n\t\t}\n\t}\n}",
    .links = {"https://go.dev/doc/effective_go#channels", "https://pkg.go.dev/sync#Mutex",
              "https://go.dev/wiki/MutexOrChannel"},
};

// True when frame \a w (of a lock waiter) works on the same object as the
// holder frame \a h.
bool SameObject(const Frame& h, const Frame& w) {
  if (BareFunc(h.function) == BareFunc(w.function)) return true;
  std::string hp = FirstArg(h), wp = FirstArg(w);
  std::string ht = ReceiverType(h.function), wt = ReceiverType(w.function);
  if (!hp.empty() && hp == wp) return true;
  if (!ht.empty() && ht == wt) return hp.empty() || wp.empty() || hp == wp;
  return false;
}

class GT2002 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  bool AppliesTo(const Incident& inc) const override { return HasGroups(inc); }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    std::vector<const GoroutineGroup*> waiters;
    for (const GoroutineGroup& g : inc.groups) {
      if (EffectiveWait(g) == WaitKind::kMutex && !g.samples.empty()) waiters.push_back(&g);
    }
    if (waiters.empty()) return;
    for (const GoroutineGroup& h : inc.groups) {
      if (h.samples.empty() || !IsChanWait(EffectiveWait(h))) continue;
      int hi = GroupCulprit(h);
      if (hi < 0) continue;
      const Frame& hf = h.representative().frames[hi];
      if (hf.kind != FrameKind::kApp && hf.kind != FrameKind::kDependency) continue;
      std::vector<const GoroutineGroup*> matched;
      for (const GoroutineGroup* w : waiters) {
        for (const Frame& wf : w->representative().frames) {
          if (wf.kind != FrameKind::kApp && wf.kind != FrameKind::kDependency) continue;
          if (SameObject(hf, wf)) {
            matched.push_back(w);
            break;
          }
        }
      }
      if (matched.empty()) continue;
      out->push_back(Report(in, i, h, matched, false));
      return;
    }
    // Nothing ties a waiter to a holder by its frames, but the person
    // pasted just the two sides: a lock's waiters and the one goroutine of
    // the same code blocked on a channel (its stack cut above the Lock).
    std::vector<const GoroutineGroup*> excerpt;
    if (const GoroutineGroup* h = ExcerptLockHolder(inc, &excerpt)) out->push_back(Report(in, i, *h, excerpt, true));
  }

 private:
  Finding Report(const ParsedInput& in, size_t i, const GoroutineGroup& h,
                 const std::vector<const GoroutineGroup*>& matched, bool excerpt) const {
    const Incident& inc = in.incidents[i];
    int hi = GroupCulprit(h);
    const Frame& hf = h.representative().frames[hi];
    uint64_t nwait = 0;
    for (const GoroutineGroup* w : matched) nwait += w->count;
    Finding f = NewFinding(kDoc, in, i);
    f.confidence = excerpt ? 0.5 : EffectiveWait(h) == WaitKind::kOther ? 0.8 : 0.9;
    SetCulprit(&f, h.representative().frames, hi);
    AddGroupEvidence(&f, h);
    std::string wlist;
    for (size_t k = 0; k < matched.size(); ++k) {
      AddGroupEvidence(&f, *matched[k], 4);
      int wi = GroupCulprit(*matched[k]);
      if (k < 3) {
        wlist += (k ? ", " : "") + std::to_string(matched[k]->count) + " in " +
                 (wi >= 0 ? ShortFunc(matched[k]->representative().frames[wi].function) : "?");
      }
    }
    f.summary = GroupText(h, hi) + ", most likely while holding the lock that " +
                Count(nwait, "goroutine") + (nwait == 1 ? " waits for on " : " wait for on ") + StateName(*matched.front()) + " (" +
                wlist + ")";
    std::string p = FirstArg(hf);
    if (!excerpt && !p.empty()) f.summary += "; they work on the same object " + p;
    f.summary += ". The lock is held across the channel operation, so every caller queues behind it";
    if (!excerpt && (inc.declared_total || inc.goroutine_count))
      f.summary += " (" + std::to_string(nwait + h.count) + " of " +
                   std::to_string(inc.declared_total ? inc.declared_total : inc.goroutine_count) +
                   " goroutines are stuck)";
    f.summary += ".";
    if (excerpt) {
      f.summary += " Judged from the goroutines the input holds and nothing else (an excerpt someone "
                   "picked out: no goroutine runs, the holder's stack may be cut above its Lock): the "
                   "lock and the channel are the same package's code, but no frame shows which lock "
                   "the holder took.";
    }
    f.evidence.details.push_back("holder: " + std::string(BareFunc(hf.function)) + " on " + StateName(h));
    AddDocRemediation(&f, kDoc);
    f.remediation.steps.insert(f.remediation.steps.begin(),
                               "In " + FuncAndWhere(BareFunc(hf.function), CodeRefFrom(hf)) +
                                   ", release the lock before the channel operation.");
    // Not the wait state: debug=1 does not print it, and one state must
    // keep one fingerprint in every form (docs/fingerprint.md).
    SetFingerprint(&f, "lock held across a channel operation");
    return f;
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2002() { return std::make_unique<GT2002>(); }

}  // namespace gotriage
