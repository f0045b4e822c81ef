// GT3003: a container that keeps exiting and being restarted (crash loop).
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

class GT3003 : public Rule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  void Check(const RuleContext& ctx, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
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
        Finding f = PodFinding(kDoc, in, p, c);
        std::string who = ContainerLabel(pod, cs);
        who[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(who[0])));
        f.summary = who + " " + RestartText(cs);
        if (cs.state_reason == "CrashLoopBackOff") f.summary += ", now in CrashLoopBackOff";
        f.summary += ".";
        if (cs.last_exit_code >= 0) f.summary += " " + ExitCodeMeaning(cs.last_exit_code) + ".";
        if (cs.last_uptime_seconds >= 0) {
          if (cs.last_uptime_seconds < 60)
            f.summary += " It ran only " + FormatUptime(cs.last_uptime_seconds) +
                         ": it fails at startup (configuration, an unreachable dependency, a bug in initialisation).";
          else if (cs.last_uptime_seconds >= 3600)
            f.summary += " It ran " + FormatUptime(cs.last_uptime_seconds) +
                         " before failing: a load- or time-dependent bug (race, leak, rare input), not a startup problem.";
        }
        if (cs.last_exit_code == 2 || cs.last_exit_code < 0) {
          f.summary += " Give gotriage the previous container's logs (kubectl logs " +
                       (pod.name.empty() ? std::string("POD") : pod.name) +
                       (cs.name.empty() ? "" : " -c " + cs.name) + " --previous) to find the crash.";
        }
        f.confidence = cs.last_exit_code >= 0 ? 0.85 : 0.6;
        if (!cs.last_reason.empty()) f.evidence.details.push_back("Last State reason " + cs.last_reason);
        if (cs.last_exit_code >= 0) f.evidence.details.push_back("exit code " + std::to_string(cs.last_exit_code));
        if (!cs.last_started.empty() && !cs.last_finished.empty())
          f.evidence.details.push_back("last run " + cs.last_started + " .. " + cs.last_finished);
        if (cs.restart_count >= 0) f.evidence.details.push_back("Restart Count " + std::to_string(cs.restart_count));
        AddDocRemediation(&f, kDoc);
        f.fingerprint = Fingerprint(kDoc.id, pod.name + "/" + cs.name, "exit " + std::to_string(cs.last_exit_code));
        out->push_back(std::move(f));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT3003() { return std::make_unique<GT3003>(); }

}  // namespace gotriage
