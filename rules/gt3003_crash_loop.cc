// GT3003: a container that keeps exiting and being restarted (crash loop).
#include <map>

#include "rules/catalog.h"
#include "rules/lifecycle.h"
#include "rules/util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT3003.id,
    .title = "Container restarting (crash loop)",
    .category = rule_names::GT3003.category,
    .severity = Severity::kHigh,
    .what = "The container's process exited and Kubernetes restarted it (Last State Terminated, "
            "Restart Count above 0, CrashLoopBackOff). The exit code says how it ended: 2 is the "
            "Go runtime's exit for an unrecovered panic or fatal error, 1 an error exit "
            "(log.Fatal), 143 SIGTERM, 0 a normal return from main.",
    .why = "The uptime before each exit separates the causes: seconds means the program fails at "
           "startup (configuration, a dependency that is not reachable, a nil pointer in "
           "initialisation); hours means a load- or time-dependent bug (a data race, a leak, a "
           "rare input).",
    .fix = "Read the previous container's output: kubectl logs POD -c CONTAINER --previous; for exit code 2 the Go trace is at its end, and gotriage can read it together with this describe output.\n"
           "For exit code 1, the last log lines before the exit name the error.\n"
           "For exit code 0, the program returned from main: a server must block (http.ListenAndServe's error must be handled, not ignored).\n"
           "If nothing is logged, make main print the error before os.Exit.",
    .before = "func main() {\n\tgo http.ListenAndServe(\":8080\", nil) // main returns at once: exit 0, restart\n}",
    .after = "func main() {\n\tlog.Fatal(http.ListenAndServe(\":8080\", nil))\n}",
    .links = {"https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts",
              "https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/"},
};

// The workload a pod belongs to, from its name: a ReplicaSet's or
// DaemonSet's pod `NAME-x2kqp` (five characters from the alphabet
// Kubernetes draws generated suffixes from), a StatefulSet's `NAME-3`. Any
// other name is its own.
std::string WorkloadOf(std::string_view pod) {
  size_t dash = pod.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return std::string(pod);
  std::string_view tail = pod.substr(dash + 1);
  bool generated = tail.size() == 5 && tail.find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string_view::npos;
  bool ordinal = !tail.empty() && tail.size() <= 5 && tail.find_first_not_of("0123456789") == std::string_view::npos;
  return std::string(generated || ordinal ? pod.substr(0, dash) : pod);
}

// A whole-input rule rather than a PodRule: replicas of one workload that
// restart alike are folded into one finding across pods.
class GT3003 : public Rule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  void Check(const RuleContext& ctx, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    // Replicas of one workload restarting the same way (container, exit
    // code) are one finding that names each pod with its restarts.
    struct Group {
      Finding f;
      std::vector<std::string> heads;  // per pod: who and how often
      std::string tail;                // what the exit says (the first pod's)
      std::string workload;
    };
    std::vector<Group> groups;
    std::map<std::string, size_t> index;
    for (size_t p = 0; p < in.pods.size(); ++p) {
      const PodStatus& pod = in.pods[p];
      int kills = 0;
      LivenessEvents(pod, &kills);
      for (size_t c = 0; c < pod.containers.size(); ++c) {
        const ContainerStatus& cs = pod.containers[c];
        bool restarted = (cs.last_state == "Terminated" && cs.state != "Terminated") ||
                         cs.state_reason == "CrashLoopBackOff" || cs.restart_count > 0;
        if (!restarted) continue;
        if (OomKilled(cs)) continue;                        // GT3001
        if (cs.last_exit_code == 137 && kills == 0) continue;  // GT3001 (SIGKILL, likely memory)
        if (kills > 0 && (cs.last_exit_code == 137 || cs.last_exit_code == 143)) continue;  // GT3002
        std::string who = ContainerLabel(pod, cs);
        std::string head = who + " " + RestartText(cs);
        if (cs.state_reason == "CrashLoopBackOff") head += ", now in CrashLoopBackOff";
        std::string workload = WorkloadOf(pod.name);
        std::string key = pod.namespace_ + "/" + workload + "/" + cs.name + "/" + std::to_string(cs.last_exit_code);
        auto [it, fresh] = index.try_emplace(key, groups.size());
        if (!fresh) {
          Group& g = groups[it->second];
          g.heads.push_back(head);
          PodRef ref{pod.namespace_, pod.name, cs.name, pod.node};
          if (g.f.pods.empty()) g.f.pods.push_back(g.f.pod_ref);
          if (g.f.pods.size() < kMaxInputSources) g.f.pods.push_back(ref);
          g.f.pod_count = g.f.pod_count ? g.f.pod_count + 1 : 2;
          size_t line = cs.first_line ? cs.first_line : pod.first_line;
          if (line) g.f.evidence.input_lines.push_back(line);
          if (cs.restart_count >= 0)
            g.f.evidence.details.push_back(pod.name + ": Restart Count " + std::to_string(cs.restart_count));
          continue;
        }
        Finding f = PodFinding(kDoc, in, p, c);
        f.pod_ref = PodRef{pod.namespace_, pod.name, cs.name, pod.node};
        std::string tail;
        if (cs.last_exit_code >= 0) tail += " " + ExitCodeMeaning(cs.last_exit_code) + ".";
        if (cs.last_uptime_seconds >= 0) {
          if (cs.last_uptime_seconds < 60)
            tail += " It ran only " + FormatUptime(cs.last_uptime_seconds) +
                    ": it fails at startup (configuration, an unreachable dependency, a bug in initialisation).";
          else if (cs.last_uptime_seconds >= 3600)
            tail += " It ran " + FormatUptime(cs.last_uptime_seconds) +
                    " before failing: a load- or time-dependent bug (race, leak, rare input), not a startup problem.";
        }
        if (cs.last_exit_code == 2 || cs.last_exit_code < 0) {
          tail += " Give gotriage the previous container's logs (kubectl logs " +
                  (pod.name.empty() ? std::string("POD") : pod.name) + (cs.name.empty() ? "" : " -c " + cs.name) +
                  " --previous) to find the crash.";
        }
        f.confidence = cs.last_exit_code >= 0 ? 0.85 : 0.6;
        if (!cs.last_reason.empty()) f.evidence.details.push_back("Last State reason " + cs.last_reason);
        if (cs.last_exit_code >= 0) f.evidence.details.push_back("exit code " + std::to_string(cs.last_exit_code));
        if (!cs.last_started.empty() && !cs.last_finished.empty())
          f.evidence.details.push_back("last run " + cs.last_started + " .. " + cs.last_finished);
        if (cs.restart_count >= 0)
          f.evidence.details.push_back("Restart Count " + std::to_string(cs.restart_count));
        AddDocRemediation(&f, kDoc);
        f.fingerprint = Fingerprint(kDoc.id, pod.namespace_ + "/" + workload + "/" + cs.name,
                                    "exit " + std::to_string(cs.last_exit_code));
        groups.push_back(Group{std::move(f), {head}, tail, workload});
      }
    }
    for (Group& g : groups) {
      std::string summary;
      if (g.heads.size() == 1) {
        summary = g.heads[0];
      } else {
        summary = std::to_string(g.heads.size()) + " pods of " + g.workload + " restarted the same way: ";
        for (size_t k = 0; k < g.heads.size(); ++k) summary += (k ? "; " : "") + g.heads[k];
      }
      summary[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(summary[0])));
      g.f.summary = summary + "." + g.tail;
      out->push_back(std::move(g.f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT3003() { return std::make_unique<GT3003>(); }

}  // namespace gotriage
