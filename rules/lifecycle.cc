// Helpers of the GT3xxx rules and the pod/crash correlation; see
// lifecycle.h.
#include "rules/lifecycle.h"

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "rules/util.h"

namespace gotriage {

std::string ExitCodeMeaning(int code) {
  switch (code) {
    case 0:
      return "exit code 0: the process ended normally (it returned from main or called "
             "os.Exit(0)), and Kubernetes restarted it because the pod's restartPolicy is Always";
    case 1:
      return "exit code 1: the program exited with an error (log.Fatal, os.Exit(1), or main "
             "returning an error through a CLI framework); its last log lines say why";
    case 2:
      return "exit code 2: what the Go runtime uses for an unrecovered panic or a fatal error "
             "(the trace is on stderr: kubectl logs --previous), or the program's own os.Exit(2) "
             "(the flag package uses it for bad command-line flags)";
    case 134:
      return "exit code 134 (128+6, SIGABRT): a Go crash with GOTRACEBACK=crash, or a C abort() "
             "in cgo code";
    case 137:
      return "exit code 137 (128+9, SIGKILL): killed from outside, by the kernel OOM killer at "
             "the memory limit, or by the kubelet after a failed liveness probe or an expired "
             "termination grace period";
    case 139:
      return "exit code 139 (128+11, SIGSEGV) without a Go trace: a crash in C code (cgo) or a "
             "signal the Go runtime did not handle";
    case 143:
      return "exit code 143 (128+15, SIGTERM): the process was stopped (kubelet stop, eviction, "
             "rollout, or a liveness-probe restart) and did not handle SIGTERM itself";
    default:
      break;
  }
  if (code > 128 && code < 160)
    return "exit code " + std::to_string(code) + " (128+" + std::to_string(code - 128) +
           "): killed by signal " + std::to_string(code - 128);
  return "exit code " + std::to_string(code) + ": the program's own os.Exit(" +
         std::to_string(code) + ")";
}

std::string ContainerLabel(const PodStatus& pod, const ContainerStatus& c) {
  std::string s;
  if (!pod.name.empty()) s = "pod " + pod.name;
  if (!c.name.empty()) s += (s.empty() ? "container " : ", container ") + c.name;
  return s.empty() ? "the container" : s;
}

std::string RestartText(const ContainerStatus& c) {
  std::string s;
  if (c.restart_count > 0) {
    s = "restarted " + Count(static_cast<uint64_t>(c.restart_count), "time");
  } else {
    s = "restarted";
  }
  if (c.last_exit_code >= 0) s += ", last exit code " + std::to_string(c.last_exit_code);
  if (!c.last_reason.empty() && c.last_reason != "Error") s += " (" + c.last_reason + ")";
  if (c.last_uptime_seconds >= 0) s += " after " + FormatUptime(c.last_uptime_seconds) + " up";
  return s;
}

bool Terminated(const ContainerStatus& c) {
  return c.last_state == "Terminated" || c.state == "Terminated";
}

bool OomKilled(const ContainerStatus& c) {
  return c.last_reason == "OOMKilled" || c.state_reason == "OOMKilled";
}

int LivenessEvents(const PodStatus& pod, int* kills) {
  int n = 0;
  *kills = 0;
  for (const PodEvent& e : pod.events) {
    bool live = e.message.find("liveness probe") != std::string::npos ||
                e.message.find("Liveness probe") != std::string::npos;
    if (!live) continue;
    n += e.count;
    if (e.reason == "Killing") *kills += e.count;
  }
  return n;
}

int UnexplainedKillRestarts(const PodStatus& pod) {
  int kills = 0;
  bool started_after_kill = false, looped = false;
  for (const PodEvent& e : pod.events) {
    if (e.message.find("iveness probe") != std::string::npos || e.reason == "FailedPostStartHook" ||
        e.reason == "FailedPreStopHook" || e.reason == "OOMKilling")
      return 0;
    if (e.reason == "Killing") {
      kills += e.count;
      looped |= started_after_kill || e.count > 1;  // the restarted container killed again
    } else if ((e.reason == "Created" || e.reason == "Started") && kills > 0) {
      started_after_kill = true;
    }
  }
  return looped ? kills : 0;
}

bool BackOff(const PodStatus& pod, const ContainerStatus& c) {
  if (c.state_reason == "CrashLoopBackOff" || c.restart_count > 0 || c.last_state == "Terminated")
    return true;
  for (const PodEvent& e : pod.events)
    if (e.reason == "BackOff") return true;
  return false;
}

Finding PodFinding(const RuleDoc& doc, const ParsedInput& in, size_t pod, size_t container) {
  Finding f = FindingOf(doc);
  if (pod < in.pods.size()) {
    const PodStatus& p = in.pods[pod];
    f.pod = static_cast<int>(pod);
    f.source = p.source;
    if (container < p.containers.size()) f.pod_ref.container = p.containers[container].name;
    size_t line = p.first_line;
    if (container < p.containers.size() && p.containers[container].first_line)
      line = p.containers[container].first_line;
    if (line) f.evidence.input_lines.push_back(line);
  }
  return f;
}

namespace {

// The pod facts a combined diagnosis lists as evidence.
void AddPodEvidence(Finding* f, const PodStatus& p, const ContainerStatus& c) {
  std::string s = ContainerLabel(p, c) + ":";
  if (!c.last_state.empty()) s += " Last State " + c.last_state;
  if (!c.last_reason.empty()) s += ", Reason " + c.last_reason;
  if (c.last_exit_code >= 0) s += ", Exit Code " + std::to_string(c.last_exit_code);
  if (!c.last_started.empty()) s += ", Started " + c.last_started;
  if (!c.last_finished.empty()) s += ", Finished " + c.last_finished;
  f->evidence.details.push_back(s);
  if (c.restart_count >= 0)
    f->evidence.details.push_back("Restart Count " + std::to_string(c.restart_count));
  size_t line = c.first_line ? c.first_line : p.first_line;
  if (line) f->evidence.input_lines.push_back(line);
  // The combination runs after the engine made evidence a sorted set: keep
  // it one (the pod's line usually comes before the crash's).
  auto& il = f->evidence.input_lines;
  std::sort(il.begin(), il.end());
  il.erase(std::unique(il.begin(), il.end()), il.end());
}

// `in gorequest.(*Params).DeepCopy (dependency github.com/x/y v1.0.157),
// entered from your code at unionpddservice.go:143`.
std::string CrashSite(const Finding& f) {
  std::string s;
  if (f.culprit) {
    s = " in " + ShortFunc(f.culprit->function);
    if (f.culprit->kind == "dependency" && !f.culprit->module.empty()) {
      s += " (dependency " + f.culprit->module;
      if (!f.culprit->module_version.empty()) s += " " + f.culprit->module_version;
      s += ")";
    }
  }
  if (f.app_frame && f.app_frame->file.size()) {
    std::string file = f.app_frame->file;
    if (size_t slash = file.find_last_of("/\\"); slash != std::string::npos) file = file.substr(slash + 1);
    s += ", entered from your code at " + file + ":" + std::to_string(f.app_frame->line);
  }
  return s;
}

}  // namespace

void CorrelateLifecycle(const ParsedInput& in, std::vector<Finding>* findings) {
  if (in.pods.empty()) return;
  // Containers whose last run ended in a way a Go crash explains: exit code
  // 2 (the runtime's), or unknown.
  struct Candidate {
    size_t pod, container;
  };
  std::vector<Candidate> cands;
  for (size_t p = 0; p < in.pods.size(); ++p) {
    const PodStatus& pod = in.pods[p];
    for (size_t c = 0; c < pod.containers.size(); ++c) {
      const ContainerStatus& cs = pod.containers[c];
      if (!Terminated(cs) || OomKilled(cs)) continue;
      if (cs.last_exit_code != 2 && cs.last_exit_code != -1) continue;
      cands.push_back({p, c});
    }
  }
  auto ends_process = [&](const Finding& f) {
    const Incident* inc = in.IncidentAt(f.incident);
    return inc && IsCrash(*inc) && inc->kind != IncidentKind::kRecoveredPanic;
  };
  // A crash whose logs name their pod (a `kubectl logs --prefix` tag, a
  // kubelet log path; replicas folded into one finding list theirs) joins
  // the state of exactly those pods: a crash-looping deployment is one
  // finding with each pod's restarts.
  std::map<size_t, std::vector<Candidate>> by_finding;
  for (const Candidate& c : cands) {
    const PodStatus& pod = in.pods[c.pod];
    const ContainerStatus& cs = pod.containers[c.container];
    auto same = [&](const PodRef& r) {
      return !r.name.empty() && r.name == pod.name &&
             (r.namespace_.empty() || pod.namespace_.empty() || r.namespace_ == pod.namespace_) &&
             (r.container.empty() || cs.name.empty() || r.container == cs.name);
    };
    int best = -1;
    for (size_t i = 0; i < findings->size(); ++i) {
      const Finding& f = (*findings)[i];
      if (!ends_process(f) || !(same(f.pod_ref) || std::any_of(f.pods.begin(), f.pods.end(), same))) continue;
      if (best < 0 || f.incident > (*findings)[best].incident) best = static_cast<int>(i);
    }
    if (best >= 0) by_finding[static_cast<size_t>(best)].push_back(c);
  }
  if (!by_finding.empty()) {
    std::vector<int> joined_pods;
    for (auto& [i, mine] : by_finding) {
      Finding& f = (*findings)[i];
      const Incident& inc = *in.IncidentAt(f.incident);
      std::string cause = RootMessage(inc);
      if (inc.kind == IncidentKind::kFatalError) cause = "fatal error: " + cause;
      else if (inc.kind == IncidentKind::kPanic) cause = "panic: " + cause;
      std::string head;
      if (mine.size() == 1) {
        const PodStatus& pod = in.pods[mine[0].pod];
        head = ContainerLabel(pod, pod.containers[mine[0].container]);
        head[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(head[0])));
        head += " " + RestartText(pod.containers[mine[0].container]);
      } else {
        head = std::to_string(mine.size()) + " pods restarted:";
        for (size_t k = 0; k < mine.size(); ++k) {
          const PodStatus& pod = in.pods[mine[k].pod];
          head += std::string(k ? "; " : " ") + ContainerLabel(pod, pod.containers[mine[k].container]) + " " +
                  RestartText(pod.containers[mine[k].container]);
        }
      }
      f.summary = head + "; cause: " + cause + CrashSite(f) + ". " + f.summary;
      const PodStatus& first = in.pods[mine[0].pod];
      f.pod = static_cast<int>(mine[0].pod);
      if (f.pod_ref.name.empty() || f.pod_ref.name == first.name) {
        f.pod_ref.name = first.name;
        f.pod_ref.container = first.containers[mine[0].container].name;
      }
      for (const Candidate& c : mine) {
        AddPodEvidence(&f, in.pods[c.pod], in.pods[c.pod].containers[c.container]);
        joined_pods.push_back(static_cast<int>(c.pod));
      }
    }
    // The crash explains those pods' restarts: their own lifecycle
    // findings go.
    findings->erase(std::remove_if(findings->begin(), findings->end(),
                                   [&](const Finding& g) {
                                     return std::any_of(joined_pods.begin(), joined_pods.end(),
                                                        [&](int p) { return ExplainedByCrash(g, p); });
                                   }),
                    findings->end());
    return;
  }
  if (cands.size() != 1) return;  // ambiguous (or nothing): keep them apart
  // The crash that ended the run: the last process-ending crash in the
  // input (`kubectl logs --previous` ends with it).
  int best = -1;
  for (size_t i = 0; i < findings->size(); ++i) {
    const Finding& f = (*findings)[i];
    if (!ends_process(f)) continue;
    if (best < 0 || f.incident > (*findings)[best].incident ||
        (f.incident == (*findings)[best].incident && f.severity > (*findings)[best].severity))
      best = static_cast<int>(i);
  }
  if (best < 0) return;
  const PodStatus& pod = in.pods[cands[0].pod];
  const ContainerStatus& cs = pod.containers[cands[0].container];
  Finding& f = (*findings)[best];
  const Incident& inc = *in.IncidentAt(f.incident);
  std::string cause = RootMessage(inc);
  if (inc.kind == IncidentKind::kFatalError) cause = "fatal error: " + cause;
  else if (inc.kind == IncidentKind::kPanic) cause = "panic: " + cause;
  std::string head = ContainerLabel(pod, cs);
  head[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(head[0])));
  head += " " + RestartText(cs) + "; cause: " + cause + CrashSite(f) + ".";
  f.summary = head + " " + f.summary;
  f.pod = static_cast<int>(cands[0].pod);
  if (f.pod_ref.name.empty() || f.pod_ref.name == pod.name) {
    f.pod_ref.name = pod.name;
    f.pod_ref.container = cs.name;
  }
  AddPodEvidence(&f, pod, cs);
  // The crash explains the restarts: drop the separate lifecycle finding.
  findings->erase(std::remove_if(findings->begin(), findings->end(),
                                 [joined = f.pod](const Finding& g) { return ExplainedByCrash(g, joined); }),
                  findings->end());
}

bool ExplainedByCrash(const Finding& g, int pod) {
  return pod >= 0 && g.pod == pod && g.incident < 0 && (g.rule_id == "GT3003" || g.rule_id == "GT3004");
}

}  // namespace gotriage
