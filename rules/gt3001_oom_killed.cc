// GT3001: a process killed by the kernel's OOM killer: a container at its
// memory limit (OOMKilled, exit code 137 in its pod's status), or any
// process the kernel's log names (a cgroup's limit, or the node out of
// memory).
#include "rules/catalog.h"
#include "rules/finding_build.h"
#include "rules/fingerprint.h"
#include "rules/lifecycle.h"
#include "rules/util.h"

#include <cstdio>

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT3001.id,
    .title = "Killed by the kernel's OOM killer",
    .category = rule_names::GT3001.category,
    .severity = Severity::kCritical,
    .what = "The kernel's OOM killer ended the process with SIGKILL. In Kubernetes the container's "
            "Last State says OOMKilled (exit code 137): its memory use reached the container's "
            "memory limit. The node's kernel log (dmesg, journalctl -k) says `Memory cgroup out of "
            "memory: Killed process N (NAME)` for a cgroup's limit, or `Out of memory: Killed "
            "process` when the node itself ran out of memory and the kernel chose the largest "
            "process. Go prints nothing: no panic, no trace, the logs just stop.",
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

// `3.5 GiB` for a size in kB.
std::string KiB(uint64_t kb) {
  char buf[32];
  if (kb >= (1u << 20)) snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(kb) / (1u << 20));
  else snprintf(buf, sizeof buf, "%.0f MiB", static_cast<double>(kb) / (1u << 10));
  return buf;
}

class GT3001 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  bool AppliesTo(const Incident& inc) const override {
    return inc.kind == IncidentKind::kKernelOomKill && inc.oom_kill;
  }

  // A kill the kernel's log reports.
  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const KernelOomKill& k = *in.incidents[i].oom_kill;
    Finding f = NewFinding(kDoc, in, i);
    f.confidence = 0.9;

    if (k.pid < 0) {
      // A report cut before the line that names its victim.
      f.confidence = 0.8;
      f.summary = "The kernel's OOM killer was invoked by " + (k.invoker.empty() ? std::string("a process") : k.invoker);
    } else {
      f.summary = "The kernel's OOM killer killed process " + std::to_string(k.pid) + " (" + k.process + ")";
    }
    if (k.anon_rss_kb) f.summary += " holding " + KiB(k.anon_rss_kb) + " of anonymous memory";
    if (k.cgroup) {
      f.summary += ", at its cgroup's memory limit (a container's limit, or a systemd unit's MemoryMax)";
    } else if (k.node) {
      f.summary += ": the node ran out of memory (no cgroup limit was hit), and the kernel chose the process "
                   "with the largest memory score, not necessarily the one that grew";
      f.remediation.steps.push_back(
          "The node itself ran out of memory: give every pod on it memory requests close to what it uses (and "
          "limits), so the scheduler does not overcommit the node, and reserve memory for the system "
          "(kubelet --system-reserved, --eviction-hard) so the kubelet evicts before the kernel kills.");
    } else if (!k.constraint.empty()) {
      f.summary += " (" + k.constraint + ")";
    } else {
      f.summary += ": the log does not say whether a cgroup's limit or the node's memory ran out";
    }
    f.summary += ".";
    if (k.pid < 0)
      f.summary += " The input ends before the line that names the process it killed (`Killed process N "
                   "(NAME)`): the one with the largest memory score in that scope, often the invoker itself.";
    if (k.pid >= 0 && !k.invoker.empty() && k.invoker != k.process)
      f.summary += " The allocation that invoked the killer was " + k.invoker + "'s.";
    if (!k.memcg.empty()) f.evidence.details.push_back("cgroup " + k.memcg);
    if (!k.constraint.empty()) f.evidence.details.push_back("constraint " + k.constraint);
    if (k.anon_rss_kb) f.evidence.details.push_back("anon-rss " + std::to_string(k.anon_rss_kb) + " kB, total-vm " +
                                                    std::to_string(k.total_vm_kb) + " kB");
    if (k.input_line) f.evidence.input_lines.push_back(k.input_line);
    AddDocRemediation(&f, kDoc);
    f.fingerprint = Fingerprint(kDoc.id, k.pid < 0 ? k.invoker : k.process, k.cgroup ? "cgroup OOM kill" : "OOM kill");
    out->push_back(std::move(f));
  }

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
