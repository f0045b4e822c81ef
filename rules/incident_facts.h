// Facts about an incident the rules ask: its crashing goroutine and root
// message, whether it is a crash, how a group waits.
#ifndef GOTRIAGE_RULES_INCIDENT_FACTS_H_
#define GOTRIAGE_RULES_INCIDENT_FACTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

namespace gotriage {

/// The goroutine whose stack explains the incident: `crashing`, else the
/// first group's representative; nullptr when the incident has none.
const Goroutine* CrashingGoroutine(const Incident& inc);
/// The message that names the incident's root cause: the fatal error text,
/// else the first panic of the chain (what went wrong first).
std::string RootMessage(const Incident& inc);
/// True when the incident is a crash (panic, fatal error, logged panic).
bool IsCrash(const Incident& inc);
/// A `SIGSEGV: segmentation violation` dump: a fault the runtime could not
/// turn into a panic (cgo, the runtime); IsCrash counts it.
bool IsSegvDump(const Incident& inc);

/// A paste that starts at the crashing goroutine, its `panic:` line lost
/// above it: a bare dump whose first goroutine is running with, on top
/// (below a panic frame, if any), a call that raises one kind of panic
/// (sync.(*WaitGroup).Add: a negative counter; log.Panic*: a logged
/// panic). Returns that frame's index in the goroutine's frames and sets
/// \a rule (the ID of the rule that raise belongs to) and \a g; -1 when the
/// input shows no such crash.
int HeaderLostRaiser(const Incident& inc, std::string_view* rule, const Goroutine** g);

/// How a goroutine group waits, inferring it from the frames when the dump
/// did not print a state (pprof debug=1): a group whose innermost frame is
/// not runtime or stdlib code is parked in a channel operation or select
/// whose runtime frames were hidden; reported as kChanSend-or-receive
/// unknown, i.e. kOther.
WaitKind EffectiveWait(const GoroutineGroup& g);

/// Goroutines that are not the runtime's own (GC workers, finalizers...).
uint64_t NonIdleGoroutines(const Incident& inc);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_INCIDENT_FACTS_H_
