// GT3001: a container killed at its memory limit (OOMKilled, exit code 137).
#include "rules/catalog.h"
#include "rules/lifecycle.h"
#include "rules/util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT3001.id,
    .title = "Container OOM-killed at its memory limit",
    .category = rule_names::GT3001.category,
    .severity = Severity::kCritical,
    .what = "The kernel's OOM killer ended the container with SIGKILL (exit code 137, Last State "
            "reason OOMKilled) because its memory use reached the container's memory limit. Go "
            "prints nothing: no panic, no trace, the logs just stop.",
    .why = "The process needs more memory than the limit allows: the limit is too low for the "
           "working set, or memory grows without bound (a goroutine leak, an unbounded cache or "
           "queue, reading whole request bodies). The Go runtime does not know about the cgroup "
           "limit unless GOMEMLIMIT is set, so the GC lets the heap grow past it.",
    .fix = "Compare the limit with the heap the service really needs (go tool pprof "
           "http://POD:PORT/debug/pprof/heap, or runtime/metrics) and raise resources.limits.memory if it is just too small.\n"
           "Set GOMEMLIMIT to about 90% of the limit so the GC works harder before the kernel kills the process.\n"
           "If memory grows over time, take a goroutine dump (debug/pprof/goroutine?debug=2) and a heap profile before the limit is hit; a growing goroutine count is a leak.\n"
           "Bound caches, queues and request body sizes (http.MaxBytesReader).",
    .before = "resources:\n  limits:\n    memory: 90Mi   # below the working set; no GOMEMLIMIT",
    .after = "resources:\n  limits:\n    memory: 256Mi\nenv:\n- name: GOMEMLIMIT\n  value: \"230MiB\"",
    .links = {"https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/",
              "https://go.dev/doc/gc-guide#Memory_limit"},
};

class GT3001 : public PodRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void CheckPod(const RuleContext& ctx, size_t p, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    // The largest goroutine dump given with the pod, if any.
    uint64_t goroutines = 0;
    for (const Incident& inc : in.incidents)
      goroutines = std::max(goroutines, inc.declared_total ? inc.declared_total : inc.goroutine_count);
    const PodStatus& pod = in.pods[p];
    int kills = 0;
    LivenessEvents(pod, &kills);
    for (size_t c = 0; c < pod.containers.size(); ++c) {
      const ContainerStatus& cs = pod.containers[c];
      bool oom = OomKilled(cs);
      // 137 with reason Error and no liveness kill: SIGKILL from the
      // memory limit is the usual cause (a child process OOM-killed, or
      // the node's OOM killer), but not certain.
      bool maybe = !oom && cs.last_exit_code == 137 && kills == 0;
      if (!oom && !maybe) continue;
      Finding f = PodFinding(kDoc, in, p, c);
      std::string who = ContainerLabel(pod, cs);
      who[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(who[0])));
      if (oom) {
        f.confidence = 0.95;
        f.summary = who + " was killed by the kernel OOM killer (OOMKilled, exit code 137)";
        f.summary += cs.memory_limit.empty() ? " at its memory limit" : " at its memory limit of " + cs.memory_limit;
      } else {
        f.severity = Severity::kHigh;
        f.confidence = 0.55;
        f.summary = who + " was killed with SIGKILL (exit code 137) although the reason is " +
                    (cs.last_reason.empty() ? std::string("not shown") : "'" + cs.last_reason + "'") +
                    " rather than OOMKilled, and no liveness-probe kill is in the events: the "
                    "memory limit is the usual cause (the OOM killer picked a child process, or the "
                    "node ran out of memory)";
        if (!cs.memory_limit.empty()) f.summary += "; the memory limit is " + cs.memory_limit;
      }
      if (cs.last_uptime_seconds >= 0) f.summary += ", after " + FormatUptime(cs.last_uptime_seconds) + " up";
      if (cs.restart_count > 0) f.summary += "; restarted " + Count(static_cast<uint64_t>(cs.restart_count), "time");
      if (cs.state_reason == "CrashLoopBackOff") f.summary += ", now in CrashLoopBackOff";
      f.summary += ".";
      if (!cs.memory_request.empty() && !cs.memory_limit.empty())
        f.evidence.details.push_back("memory request " + cs.memory_request + ", limit " + cs.memory_limit);
      if (!cs.last_reason.empty()) f.evidence.details.push_back("Last State reason " + cs.last_reason);
      if (goroutines > 0) {
        f.evidence.goroutines_total = goroutines;
        f.summary += " The goroutine dump given with it holds " + Count(goroutines, "goroutine") +
                     (goroutines >= 10000 ? ": that many goroutines (each with its stack and what it "
                                            "holds) is itself a likely cause; look for the largest group "
                                          : ".");
        if (goroutines >= 10000) f.summary += "blocked in the same place.";
      }
      if (cs.memory_limit.empty() && oom)
        f.evidence.details.push_back("no memory limit in the input: the limit may come from a LimitRange or the node");
      AddDocRemediation(&f, kDoc);
      f.fingerprint = Fingerprint(kDoc.id, pod.name + "/" + cs.name, oom ? "OOMKilled" : "137");
      out->push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT3001() { return std::make_unique<GT3001>(); }

}  // namespace gotriage
