// GT2005: every worker of a pool blocked on the same external call or lock.
#include "base/strings.h"
#include "rules/catalog.h"
#include "rules/hang_util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2005.id,
    .title = "Worker-pool exhaustion",
    .category = rule_names::GT2005.category,
    .severity = Severity::kHigh,
    .what = "All workers of a bounded pool (or all requests for one resource) are blocked on the "
            "same slow external call or on a lock held by one, so no work makes progress and the "
            "queue in front of the pool grows.",
    .why = "An external dependency (HTTP service, database, git or another subprocess) hangs and "
           "the calls have no timeout, or one long operation runs under a lock that every other "
           "request needs. The pool size caps throughput at zero while the stall lasts.",
    .fix = "Put a deadline on every external call made by the workers (context.WithTimeout, exec.CommandContext).\n"
           "Do not hold a shared lock across slow I/O; narrow the critical section or use per-key locks.\n"
           "Expose queue length and in-flight time as metrics, and shed load when the pool is saturated.",
    .before = "for job := range jobs { // 8 workers\n\tresp, err := http.Get(job.URL) // no timeout\n\t...\n}",
    .after = "client := &http.Client{Timeout: 10 * time.Second}\nfor job := range jobs {\n\tctx, cancel := context.WithTimeout(ctx, 15*time.Second)\n\terr := process(ctx, client, job)\n\tcancel()\n\t...\n}",
    .links = {"https://pkg.go.dev/context#WithTimeout", "https://pkg.go.dev/os/exec#CommandContext"},
};

// Where a goroutine waits for a slot of a bounded pool: a weighted
// semaphore's Acquire (golang.org/x/sync/semaphore, its vendored copies).
int SlotWait(const std::vector<Frame>& fr) {
  for (size_t k = 0; k < fr.size() && k < 8; ++k) {
    std::string_view fn = fr[k].function;
    if (fn.find("/sync/semaphore.(*Weighted).Acquire") != std::string_view::npos ||
        StartsWith(fn, "golang.org/x/sync/semaphore.(*Weighted).Acquire"))
      return static_cast<int>(k);
  }
  return -1;
}

bool ExternalCall(const std::vector<Frame>& fr) {
  return HasFrame(fr, "net/http.") || HasFrame(fr, "os/exec.") || HasFrame(fr, "database/sql.") ||
         HasFrame(fr, "net.(*conn).Read") || HasFrame(fr, "syscall.");
}

class GT2005 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  bool AppliesTo(const Incident& inc) const override { return HasGroups(inc) && !IsCrash(inc) && inc.kind != IncidentKind::kTestTimeout; }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    const GoroutineGroup* pool = nullptr;
    const GoroutineGroup* locked = nullptr;
    const GoroutineGroup* queued = nullptr;
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty()) continue;
      const std::vector<Frame>& fr = g.representative().frames;
      WaitKind w = EffectiveWait(g);
      // Waiting minutes for a slot (erigon#5125 in fresh10/: a read
      // transaction queued 10 minutes on the database's semaphore): the
      // slots' holders have not given one back.
      if (SlotWait(fr) >= 0 && (g.max_wait_minutes >= 10 || g.count >= 16) &&
          (!queued || g.count > queued->count))
        queued = &g;
      int ci = GroupCulprit(g);
      bool app = ci >= 0 && fr[ci].kind != FrameKind::kStdlib;
      if (app && g.count >= 4 && w != WaitKind::kRunning && w != WaitKind::kMutex && ExternalCall(fr) &&
          !HasFrame(fr, "net/http.(*persistConn).readLoop") && !HasFrame(fr, "net/http.(*persistConn).writeLoop") &&
          !HasFrame(fr, "net/http.(*conn).serve") && (!pool || g.count > pool->count))
        pool = &g;
      if (app && w == WaitKind::kMutex && g.max_wait_minutes >= 10 &&
          !HasFrame(fr, "sync.(*RWMutex).RLock") && (!locked || g.max_wait_minutes > locked->max_wait_minutes))
        locked = &g;
    }
    // One goroutine waiting an hour for a lock with nobody queued behind
    // it: nothing is exhausted, the lock is never released (GT2001).
    if (locked && locked == LoneStuckLockWaiter(inc)) locked = nullptr;
    const GoroutineGroup* g = locked ? locked : pool ? pool : queued;
    if (!g) return;
    Finding f = NewFinding(kDoc, in, i);
    int ci = GroupCulprit(*g);
    if (g == queued) {
      // The code that asked for the slot, below the semaphore's frames.
      const std::vector<Frame>& fr = g->representative().frames;
      for (size_t k = static_cast<size_t>(SlotWait(fr)) + 1; k < fr.size(); ++k) {
        if (fr[k].kind == FrameKind::kApp || fr[k].kind == FrameKind::kDependency) {
          ci = static_cast<int>(k);
          break;
        }
      }
    }
    SetCulprit(&f, g->representative().frames, ci);
    AddGroupEvidence(&f, *g);
    if (g == queued) {
      f.confidence = 0.7;
      f.summary = GroupText(*g, ci) + ", waiting for a slot of a semaphore: every slot of the bounded pool is held and none comes back, so the requests "
                  "queue. The holders are doing something that does not finish (a slow call without a "
                  "deadline) or returned without Release.";
      f.remediation.steps.push_back(
          "Release every slot on every path (defer sem.Release(n) right after a successful Acquire), "
          "and give the work done under a slot a deadline.");
      SetFingerprint(&f, "pool slots exhausted");
    } else if (g == locked) {
      f.confidence = 0.75;
      f.summary = GroupText(*g, ci) + ". Work for this resource is queued behind one lock holder that "
                  "has not released it for that long, typically because it runs a slow external "
                  "operation (network, subprocess) without a deadline; every other request stalls.";
      SetFingerprint(&f, "queued behind lock");
    } else {
      f.confidence = 0.7;
      f.summary = GroupText(*g, ci) + ": all of them wait on the same external call, so the pool "
                  "does no other work until it returns.";
      const Goroutine& r = g->representative();
      if (r.created_by) f.summary += " The workers are started by " + std::string(BareFunc(r.created_by->function)) + ".";
      SetFingerprint(&f, "pool blocked on external call");
    }
    AddDocRemediation(&f, kDoc);
    out->push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2005() { return std::make_unique<GT2005>(); }

}  // namespace gotriage
