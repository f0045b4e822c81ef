// Shared by the GT3xxx rules (Kubernetes and process lifecycle): reading a
// pod's containers, naming exit codes, and the post-step that joins a pod's
// restarts with the crash found in its logs.
#ifndef GOTRIAGE_RULES_LIFECYCLE_H_
#define GOTRIAGE_RULES_LIFECYCLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/durations.h"  // FormatUptime, for the GT3xxx rules
#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

namespace gotriage {

/// What a container exit code means for a Go program: `2` is the runtime's
/// exit for an unrecovered panic or fatal error, `137` SIGKILL, ...
std::string ExitCodeMeaning(int code);

/// `pod NAME, container C` with whatever names are known; `the container`.
std::string ContainerLabel(const PodStatus& pod, const ContainerStatus& c);

/// `restarted 4 times, last exit code 2 after 3h32m up` from what is known.
std::string RestartText(const ContainerStatus& c);

/// True when the container's last run ended (Last State, or a current
/// Terminated state).
bool Terminated(const ContainerStatus& c);
/// True when the container was OOM-killed (reason OOMKilled).
bool OomKilled(const ContainerStatus& c);
/// Events of \a pod that report liveness-probe kills or failures; \a kills
/// gets the number of `Killing ... failed liveness probe` occurrences.
int LivenessEvents(const PodStatus& pod, int* kills);
/// The kubelet's kills of \a pod when they loop with no reason given
/// (`Killing <id>`, `Created`, `Started`, `Killing <id>`: the restarted
/// container killed again), the way 2015-16 Kubernetes reported liveness-
/// probe restarts. 0 when an event names a reason (a liveness probe, a
/// failed hook, an OOM kill) or the kills do not loop.
int UnexplainedKillRestarts(const PodStatus& pod);
/// True when the pod's events or a container's state say it is restarting.
bool BackOff(const PodStatus& pod, const ContainerStatus& c);

/// A finding about container \a c of pod \a pod.
Finding PodFinding(const RuleDoc& doc, const ParsedInput& in, size_t pod, size_t container);

/// The post-step the engine runs after every rule: when the input holds
/// both a pod whose container exited (restarts, exit code 2) and the crash
/// from its logs, the crash finding gets the pod's context in its summary
/// and evidence (one combined diagnosis), and the separate GT3003/GT3004
/// finding for that container is dropped.
void CorrelateLifecycle(const ParsedInput& in, std::vector<Finding>* findings);

/// True for the finding \a g that CorrelateLifecycle drops once a crash
/// finding has joined pod \a pod: its GT3003/GT3004 lifecycle finding.
bool ExplainedByCrash(const Finding& g, int pod);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_LIFECYCLE_H_
