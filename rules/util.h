// Helpers shared by the rules: naming frames, picking the culprit,
// fingerprinting, reading goroutine groups. Rules build Findings only
// through these so that every rule names things the same way.
#ifndef GOTRIAGE_RULES_UTIL_H_
#define GOTRIAGE_RULES_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

namespace gotriage {

/// The CodeRef of \a f (kind as FrameKindName).
CodeRef CodeRefFrom(const Frame& f);
/// `file:line` of \a c (or the function when there is no file).
std::string Where(const CodeRef& c);
/// `pkg.(*T).M` without the import path directories: `dockershim.(*dockerService).Create`.
std::string ShortFunc(std::string_view function);
/// Removes a trailing `(...)` that some pastes keep on inlined frames.
std::string_view BareFunc(std::string_view function);

/// Keeps the first line of \a msg with addresses replaced by `0x?` and
/// numbers by `#`, so that the same bug yields the same text across runs
/// and restarts.
std::string NormalizeMessage(std::string_view msg);
/// 16 hex digits of FNV-1a over rule id, culprit function and the
/// normalized message. Never depends on addresses, IDs, counts or times.
std::string Fingerprint(std::string_view rule_id, std::string_view function,
                        std::string_view message);

/// Index of the frame to blame in \a frames: the first application or
/// dependency frame, searched below the last `panic(` frame when
/// \a below_panic is true; falls back to the first non-runtime frame. -1
/// when the stack has no frame at all.
int CulpritIndex(const std::vector<Frame>& frames, bool below_panic);
/// Index of the first application frame at or after \a from, or -1.
int AppFrameFrom(const std::vector<Frame>& frames, int from);

/// Sets culprit (frames[idx]) and, when the culprit is not application
/// code, app_frame (the first application frame below it).
void SetCulprit(Finding* f, const std::vector<Frame>& frames, int idx);

/// A Finding with the rule's identity (id, category, severity, title).
Finding FindingOf(const RuleDoc& doc);
/// A Finding with the rule's identity and the incident's source, index,
/// timestamp and goroutine total filled in.
Finding NewFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident);
/// Fills remediation steps (doc.fix, one per line) and the examples.
void AddDocRemediation(Finding* f, const RuleDoc& doc);
/// Sets the fingerprint from rule id, culprit function and \a message.
void SetFingerprint(Finding* f, std::string_view message);

Severity OneLower(Severity s);

/// The goroutine whose stack explains the incident: `crashing`, else the
/// first group's representative; nullptr when the incident has none.
const Goroutine* CrashingGoroutine(const Incident& inc);
/// The message that names the incident's root cause: the fatal error text,
/// else the first panic of the chain (what went wrong first).
std::string RootMessage(const Incident& inc);
/// True when the incident is a crash (panic, fatal error, logged panic).
bool IsCrash(const Incident& inc);

/// The crash families the GT1xxx rules split panics and fatal errors into.
enum class CrashClass : uint8_t {
  kNone,
  kConcurrentMap,
  kNilDeref,
  kIndexRange,
  kNilMapWrite,
  kClosedChannel,
  kWaitGroup,
  kMutexMisuse,
  kStackOverflow,
  kOutOfMemory,
  kDeadlock,      ///< checkdead: handled by GT2001
  kTestTimeout,   ///< handled by GT2007
  kOther,         ///< any other panic or fatal error: GT1011
};
CrashClass ClassifyCrash(const Incident& inc);

/// How a goroutine group waits, inferring it from the frames when the dump
/// did not print a state (pprof debug=1): a group whose innermost frame is
/// not runtime or stdlib code is parked in a channel operation or select
/// whose runtime frames were hidden; reported as kChanSend-or-receive
/// unknown, i.e. kOther.
WaitKind EffectiveWait(const GoroutineGroup& g);
/// True when some frame's function starts with \a prefix.
bool HasFrame(const std::vector<Frame>& frames, std::string_view prefix);
/// Index of the first frame whose function starts with \a prefix, or -1.
int FindFrame(const std::vector<Frame>& frames, std::string_view prefix);
/// The first argument of a frame (the receiver of a method), without a
/// trailing `?`; "" when not printed or not a pointer.
std::string FirstArg(const Frame& f);
/// The receiver type of a method, `(*T)` of `pkg.(*T).M`, with its package;
/// "" for plain functions.
std::string ReceiverType(std::string_view function);

/// Goroutines that are not the runtime's own (GC workers, finalizers...).
uint64_t NonIdleGoroutines(const Incident& inc);

/// `N goroutine(s)`.
std::string Count(uint64_t n, std::string_view singular, std::string_view plural = "");
/// Adds up to \a max goroutine IDs of \a g to the evidence.
void AddGroupEvidence(Finding* f, const GoroutineGroup& g, size_t max = 8);
/// Adds the label sets of \a g (weighted by their counts) to \a e.
void AddGroupLabels(Evidence* e, const GoroutineGroup& g);
/// Adds one goroutine's labels to \a e.
void AddGoroutineLabels(Evidence* e, const Goroutine& g);
/// `key=value`, the value Go-quoted when it holds anything but
/// [A-Za-z0-9./_] (as the Go 1.27 runtime prints it), likewise the key.
std::string FormatLabel(std::string_view key, std::string_view value);
/// The sentence a finding's summary gets for its evidence's labels: which
/// labels all its goroutines share, else the top values with counts; "" when
/// none carried labels.
std::string LabelSentence(const Evidence& e, uint64_t goroutines);

/// True when \a f is a runtime map operation (mapaccess*, mapassign*,
/// mapiter*, mapdelete*, mapclear, internal/runtime/maps).
bool IsMapOpFrame(const Frame& f);
/// True when an access of the race report is inside a map operation.
bool RaceOnMap(const RaceReport& r);
/// A finding for a race report: culprit is the first non-runtime frame of
/// the first access; evidence names both goroutines.
Finding RaceFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_UTIL_H_
