// GT3004: a container that ended with a non-zero exit code, without a
// restart loop, OOM kill or probe kill to explain it.
#include "rules/catalog.h"
#include "rules/lifecycle.h"
#include "rules/util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT3004.id,
    .title = "Container exited with an error code",
    .category = rule_names::GT3004.category,
    .severity = Severity::kMedium,
    .what = "The container's process ended with a non-zero exit code and was not restarted "
            "(restartPolicy Never or OnFailure, a Job, or an init container). The code says "
            "how it ended: 2 is the Go runtime's exit for an unrecovered panic or fatal error, 1 "
            "an error exit, 128+N a signal.",
    .why = "For a Go program: exit code 2 with a trace on stderr is a crash; exit code 2 without "
           "one is the program's own os.Exit(2) (bad flags); 1 is log.Fatal or an error returned "
           "from main; 137 and 143 come from outside (SIGKILL, SIGTERM).",
    .fix = "Read the container's output: kubectl logs POD -c CONTAINER (add --previous after a restart).\n"
           "Make main print the error before exiting, so that the exit code is never the only clue.",
    .before = "if err := run(); err != nil {\n\tos.Exit(2) // nothing logged\n}",
    .after = "if err := run(); err != nil {\n\tfmt.Fprintln(os.Stderr, \"error:\", err)\n\tos.Exit(1)\n}",
    .links = {"https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states"},
};

class GT3004 : public PodRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void CheckPod(const RuleContext& ctx, size_t p, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const PodStatus& pod = in.pods[p];
    for (size_t c = 0; c < pod.containers.size(); ++c) {
      const ContainerStatus& cs = pod.containers[c];
      // Restarts are GT3003's, 137 GT3001/GT3002's.
      if (cs.state != "Terminated") continue;
      if (cs.restart_count > 0 || cs.state_reason == "CrashLoopBackOff") continue;
      if (cs.last_exit_code <= 0 || OomKilled(cs) || cs.last_exit_code == 137) continue;
      Finding f = PodFinding(kDoc, in, p, c);
      std::string who = ContainerLabel(pod, cs);
      who[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(who[0])));
      f.summary = who + " terminated with " + ExitCodeMeaning(cs.last_exit_code) + ".";
      if (cs.last_uptime_seconds >= 0) f.summary += " It ran " + FormatUptime(cs.last_uptime_seconds) + ".";
      if (!cs.last_message.empty()) f.evidence.details.push_back("Message: " + cs.last_message);
      f.evidence.details.push_back("exit code " + std::to_string(cs.last_exit_code));
      f.confidence = 0.7;
      AddDocRemediation(&f, kDoc);
      f.fingerprint = Fingerprint(kDoc.id, pod.name + "/" + cs.name, "exit " + std::to_string(cs.last_exit_code));
      out->push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT3004() { return std::make_unique<GT3004>(); }

}  // namespace gotriage
