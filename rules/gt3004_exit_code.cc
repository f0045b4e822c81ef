// GT3004: a program that ended on purpose, on an error: a fatal-level
// log record (klog, logrus, zap, zerolog: the record, then os.Exit(1)), or
// a container that ended with a non-zero exit code without a restart loop,
// OOM kill or probe kill to explain it.
#include <charconv>

#include "rules/catalog.h"
#include "rules/finding_build.h"
#include "rules/fingerprint.h"
#include "rules/frames.h"
#include "rules/lifecycle.h"
#include "rules/util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT3004.id,
    .title = "Program exited on an error",
    .category = rule_names::GT3004.category,
    .severity = Severity::kMedium,
    .what = "The program ended on purpose, on an error. Either it logged a record at fatal level "
            "(klog.Fatal, logrus' or zap's Fatal, zerolog's Fatal, log.Fatal), which logs and then "
            "calls os.Exit(1): the record is its last words, and no traceback follows (klog before "
            "v2.80 dumps every goroutine after it; goroutine 1 there is the one that logged). Or "
            "it refused its command line: flag.Parse prints `flag provided but not defined: -x` "
            "(or `invalid value ... for flag -x`) and the usage, then exits with 2; cobra prints "
            "`Error: unknown flag: --x` and the usage. Or "
            "the container's process ended with a non-zero exit code and was not restarted "
            "(restartPolicy Never or OnFailure, a Job, or an init container): 2 is the Go "
            "runtime's exit for an unrecovered panic or fatal error, 1 an error exit, 128+N a "
            "signal.",
    .why = "A fatal record is the program deciding it cannot go on: a dependency it could not "
           "reach at start-up, a lost leader election, bad configuration. Under Kubernetes each "
           "one is a restart, and a loop of them a CrashLoopBackOff. For an exit code: 2 with a "
           "trace on stderr is a crash; 2 without one is the program's own os.Exit(2) (bad "
           "flags); 1 is log.Fatal or an error returned from main; 137 and 143 come from outside "
           "(SIGKILL, SIGTERM).",
    .fix = "Read the record's message and error: they name what the program could not do; fix that "
           "(the dependency, the permission, the configuration), and look at the lines before it.\n"
           "If the condition is transient (a lost lease, an API server restart), retry or wait "
           "instead of exiting, or exit cleanly so the restart is expected.\n"
           "Read the container's output: kubectl logs POD -c CONTAINER (add --previous after a restart).\n"
           "Make main print the error before exiting, so that the exit code is never the only clue.",
    .before = "if err := run(); err != nil {\n\tos.Exit(2) // nothing logged\n}",
    .after = "if err := run(); err != nil {\n\tfmt.Fprintln(os.Stderr, \"error:\", err)\n\tos.Exit(1)\n}",
    .links = {"https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states"},
};

// The logging libraries' own frames, above the caller of Fatal in the
// goroutine that logged (klog's dump).
bool LoggerFrame(const Frame& f) {
  std::string_view fn = f.function;
  for (std::string_view lib : {"k8s.io/klog", "github.com/golang/glog", "/vendor/k8s.io/klog", "github.com/sirupsen/logrus",
                               "go.uber.org/zap", "github.com/rs/zerolog", "github.com/go-logr/"})
    if (fn.find(lib) != std::string_view::npos) return true;
  return f.kind == FrameKind::kRuntime || f.kind == FrameKind::kStdlib;
}

// `path/file.go:123` into \a ref (file and line), as a record names its caller.
void CallerInto(std::string_view caller, CodeRef* ref) {
  size_t colon = caller.rfind(':');
  int line = 0;
  if (colon != std::string_view::npos &&
      std::from_chars(caller.data() + colon + 1, caller.data() + caller.size(), line).ec == std::errc() && line > 0) {
    ref->file.assign(caller.substr(0, colon));
    ref->line = line;
  } else {
    ref->file.assign(caller);
  }
}

class GT3004 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  bool AppliesTo(const Incident& inc) const override {
    return inc.kind == IncidentKind::kFatalRecord && inc.fatal_record;
  }

  // A record the program logged at fatal level before it exited.
  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    const FatalRecord& r = *inc.fatal_record;
    Finding f = NewFinding(kDoc, in, i);
    // The program's own decision to stop: a restart, as certain as a crash.
    f.severity = Severity::kHigh;
    f.confidence = 0.85;
    if (r.format == "flag" || r.format == "cobra") {
      // The flag package (or pflag under cobra) refused the command line.
      f.summary = "The program refused its command line (\"" + r.message + "\") and exited" +
                  (r.format == "flag" ? " with status 2 (flag.Parse)" : "") +
                  ": the arguments it was started with name a flag this binary does not define or a "
                  "value it cannot parse. In Kubernetes every restart fails the same way (a crash loop) "
                  "until the arguments or the image change.";
      f.evidence.details.push_back("refused flag (" + r.format + "): " + r.message);
      if (r.input_line) f.evidence.input_lines.push_back(r.input_line);
      f.remediation.steps = {
          "Compare the container's args (the Deployment, StatefulSet, Helm values or operator manifest) "
          "with the flags this binary defines, which it printed after the error: a flag renamed or "
          "removed in the image's version is still passed (a manifest and an image of different "
          "releases).",
          "Upgrade the manifest with the image (or pin the image tag the manifest was written for), "
          "or drop the flag; for a value it cannot parse, fix its syntax (durations as `30s`, "
          "booleans as `-flag=false`)."};
      f.fingerprint = Fingerprint(kDoc.id, "", "flag " + r.message);
      out->push_back(std::move(f));
      return;
    }
    std::string what = r.message.empty() ? std::string("a fatal-level log record") : "\"" + r.message + "\"";
    bool aborted = inc.signal && inc.signal->name == "SIGABRT";
    f.summary = "The program logged " + what + (r.error.empty() ? "" : " (error: " + r.error + ")") +
                " at fatal level and " + (aborted ? "aborted (the logger raised SIGABRT)" : "exited (os.Exit(1))") +
                ": an exit on purpose, not a crash.";
    f.evidence.details.push_back("fatal record (" + r.format + "): " + (r.message.empty() ? "-" : r.message));
    if (!r.error.empty()) f.evidence.details.push_back("error: " + r.error);
    if (r.input_line) f.evidence.input_lines.push_back(r.input_line);
    // Who logged it: the caller in klog's dump of the logging goroutine,
    // else what the record itself names.
    const Goroutine* logger = nullptr;
    if (inc.crashing && !inc.crashing->frames.empty() && LoggerFrame(inc.crashing->frames.front())) logger = &*inc.crashing;
    for (const GoroutineGroup& g : inc.groups)
      for (const Goroutine& s : g.samples)
        if (!logger && !s.frames.empty() && LoggerFrame(s.frames.front()) && s.state == "running") logger = &s;
    int idx = -1;
    if (logger) {
      for (size_t k = 0; k < logger->frames.size() && idx < 0; ++k)
        if (!LoggerFrame(logger->frames[k])) idx = static_cast<int>(k);
      f.summary += " The logger printed goroutine stacks after it; goroutine " + std::to_string(logger->id) +
                   " is the one that logged.";
    }
    if (idx >= 0) {
      SetCulprit(&f, logger->frames, idx);
    } else if (!r.function.empty() || !r.caller.empty()) {
      CodeRef c;
      c.function = r.function;
      CallerInto(r.caller, &c);
      c.input_line = r.input_line;
      f.culprit = std::move(c);
    }
    AddDocRemediation(&f, kDoc);
    f.fingerprint = Fingerprint(kDoc.id, f.culprit ? std::string_view(f.culprit->function) : std::string_view(),
                                "fatal " + r.message);
    out->push_back(std::move(f));
  }

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
