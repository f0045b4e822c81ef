// GT3002: the kubelet restarted the container because its liveness probe
// failed (exit code 137 or 143 without OOMKilled, `Killing ... failed
// liveness probe` events).
#include "rules/catalog.h"
#include "rules/lifecycle.h"
#include "rules/util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT3002.id,
    .title = "Container restarted by a failing liveness probe",
    .category = rule_names::GT3002.category,
    .severity = Severity::kHigh,
    .what = "The kubelet's liveness probe failed failureThreshold times in a row, so the kubelet "
            "killed the container (SIGTERM, then SIGKILL after the grace period: exit code 143 "
            "or 137, reason Error, not OOMKilled) and started it again. The process did not "
            "crash; it was too slow or stuck to answer the probe within timeoutSeconds.",
    .why = "The health handler waits on the same thing the rest of the service is stuck on: a "
           "lock held across a slow call, a full worker pool, a database or HTTP call without a "
           "timeout, or CPU starvation under a low CPU limit. A probe that checks dependencies "
           "(database, downstream APIs) also fails whenever they are slow, restarting healthy pods.",
    .fix = "Take a goroutine dump before the kill (curl POD:PORT/debug/pprof/goroutine?debug=2, or kill -QUIT) and look for HTTP handler goroutines blocked longer than the probe timeout.\n"
           "Keep the liveness handler trivial: it should not take locks or call dependencies (use the readiness probe for those).\n"
           "Give outgoing calls timeouts (context.WithTimeout, http.Client.Timeout) so handlers cannot block forever.\n"
           "Raise timeoutSeconds/failureThreshold only after the blocking is understood, and add a startupProbe for slow starts.",
    .before = "http.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {\n\tif err := db.Ping(); err != nil { // no timeout, shared pool\n\t\thttp.Error(w, err.Error(), 500)\n\t}\n})",
    .after = "http.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(http.StatusOK) // liveness: the process serves HTTP\n})",
    .links = {"https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"},
};

// HTTP handler goroutines of the dumps that are blocked (not serving or
// waiting for a request), the longest wait, and the most common state.
struct Blocked {
  uint64_t goroutines = 0;
  int max_minutes = -1;
  std::string state;
  uint64_t state_count = 0;
};

Blocked BlockedHandlers(const ParsedInput& in) {
  Blocked b;
  for (const Incident& inc : in.incidents) {
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty()) continue;
      const auto& frames = g.representative().frames;
      if (!HasFrame(frames, "net/http.HandlerFunc.ServeHTTP") &&
          !HasFrame(frames, "net/http.serverHandler.ServeHTTP"))
        continue;
      // (A stack without its header, or a debug=1 record, says nothing of
      // what the goroutine waits on, or how long: not "blocked longer than
      // the probe timeout".)
      if (g.wait == WaitKind::kUnknown) continue;
      WaitKind w = EffectiveWait(g);
      if (w == WaitKind::kRunning || w == WaitKind::kIOWait || w == WaitKind::kSyscall) continue;
      b.goroutines += g.count;
      b.max_minutes = std::max(b.max_minutes, g.max_wait_minutes);
      if (g.count > b.state_count) {
        b.state_count = g.count;
        b.state = std::string(g.state);
      }
    }
  }
  return b;
}

class GT3002 : public PodRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void CheckPod(const RuleContext& ctx, size_t p, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const PodStatus& pod = in.pods[p];
    int kills = 0;
    int failures = LivenessEvents(pod, &kills);
    // Old Kubernetes said only `Killing <id>`: a container killed and
    // started again, over and over, with no crash and no OOM kill.
    int silent = failures == 0 ? UnexplainedKillRestarts(pod) : 0;
    if (failures == 0 && silent < 2) return;
    // The container the probe belongs to: the one with a liveness probe
    // and a SIGKILL/SIGTERM exit, else the first one.
    size_t ci = pod.containers.size();
    for (size_t c = 0; c < pod.containers.size(); ++c) {
      const ContainerStatus& cs = pod.containers[c];
      if (OomKilled(cs)) continue;
      if (ci == pod.containers.size() || cs.last_exit_code == 137 || cs.last_exit_code == 143) ci = c;
    }
    if (ci == pod.containers.size() && !pod.containers.empty()) return;  // all OOMKilled: GT3001
    Finding f = PodFinding(kDoc, in, p, ci);
    const ContainerStatus* cs = ci < pod.containers.size() ? &pod.containers[ci] : nullptr;
    std::string who = cs ? ContainerLabel(pod, *cs) : (pod.name.empty() ? "" : "pod " + pod.name);
    if (!cs) {
      // `Container NAME failed liveness probe, will be restarted`.
      for (const PodEvent& e : pod.events) {
        if (e.reason != "Killing" || e.message.rfind("Container ", 0) != 0) continue;
        size_t end = e.message.find(' ', 10);
        if (end == std::string::npos) continue;
        who += (who.empty() ? "container " : ", container ") + e.message.substr(10, end - 10);
        break;
      }
      if (who.empty()) who = "the container";
    }
    f.confidence = kills > 0 ? 0.9 : 0.6;
    if (silent > 0) {
      f.summary = "The kubelet killed " + who + " " + Count(static_cast<uint64_t>(silent), "time") +
                  ", starting it again in between, without saying why (early Kubernetes wrote only "
                  "`Killing <container id>`). No crash and no OOM kill is reported: killing and "
                  "restarting a container in place, again and again, is what a failing liveness "
                  "probe does";
    } else if (kills > 0) {
      f.summary = "The kubelet killed " + who + " " + Count(static_cast<uint64_t>(kills), "time") +
                  " because its liveness probe failed";
    } else {
      f.summary = "The liveness probe of " + who + " failed " + Count(static_cast<uint64_t>(failures), "time") +
                  "; the kubelet restarts the container once failureThreshold is reached";
    }
    if (cs && cs->last_exit_code >= 0) f.summary += " (last exit code " + std::to_string(cs->last_exit_code) + ")";
    f.summary += ".";
    if (cs && cs->liveness_timeout_seconds > 0) {
      f.summary += " The probe gives up after " + std::to_string(cs->liveness_timeout_seconds) + "s";
      if (cs->liveness_failure_threshold > 0 && cs->liveness_period_seconds > 0)
        f.summary += " and restarts after " + std::to_string(cs->liveness_failure_threshold) +
                     " failures " + std::to_string(cs->liveness_period_seconds) + "s apart";
      f.summary += ".";
      f.evidence.details.push_back("Liveness: " + cs->liveness);
    }
    Blocked b = BlockedHandlers(in);
    if (b.goroutines > 0) {
      f.confidence = std::max(f.confidence, 0.85);
      f.evidence.goroutines_involved = b.goroutines;
      f.evidence.max_wait_minutes = b.max_minutes;
      f.summary += " The goroutine dump shows " + Count(b.goroutines, "HTTP handler goroutine") +
                   " blocked (mostly [" + b.state + "]";
      if (b.max_minutes > 0) f.summary += ", up to " + std::to_string(b.max_minutes) + " minutes";
      f.summary += "), far longer than the probe timeout: the health check is stuck behind the "
                   "same wait.";
    }
    for (const PodEvent& e : pod.events) {
      if (e.message.find("iveness probe") == std::string::npos && !(silent > 0 && e.reason == "Killing"))
        continue;
      std::string d;
      for (const std::string* part : {&e.type, &e.reason, &e.age})
        if (!part->empty()) d += (d.empty() ? "" : " ") + *part;
      f.evidence.details.push_back(d + ": " + e.message);
      if (e.input_line) f.evidence.input_lines.push_back(e.input_line);
    }
    AddDocRemediation(&f, kDoc);
    f.fingerprint = Fingerprint(kDoc.id, pod.name + "/" + (cs ? cs->name : ""), "liveness");
    out->push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT3002() { return std::make_unique<GT3002>(); }

}  // namespace gotriage
