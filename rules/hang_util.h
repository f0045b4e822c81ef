// Helpers for the GT2xxx rules, which read goroutine groups rather than a
// single crashing goroutine.
#ifndef GOTRIAGE_RULES_HANG_UTIL_H_
#define GOTRIAGE_RULES_HANG_UTIL_H_

#include <string>
#include <vector>

#include "rules/util.h"

namespace gotriage {

/// True for waits on a channel operation or select (including debug=1
/// groups parked in hidden runtime frames).
bool IsChanWait(WaitKind w);
/// The incidents the hang rules read: dumps, and crashes that printed more
/// than the crashing goroutine (their other goroutines were blocked too).
bool HasGroups(const Incident& inc);

/// The one goroutine of \a inc that has waited an hour or more (ten
/// minutes for an RWMutex's writer that is all the input holds) for a
/// sync.Mutex or a write lock while no other goroutine waits for a lock:
/// nothing is queued behind it, the lock was never released (a holder
/// stuck forever, or an Unlock missed on some path). nullptr when none.
const GoroutineGroup* LoneStuckLockWaiter(const Incident& inc);
/// The goroutine of \a inc that has waited a minute or more in
/// sync.WaitGroup.Wait while nothing else in the input can be doing the work
/// it waits for: no goroutine runs, is in a system call, waits on the
/// network or sleeps (every other one is blocked on Go synchronisation, or
/// there is none: an excerpt showing the waiter alone), leaving out those
/// that are never a batch's work (a listener's accept loop, the goroutine
/// writing the profile, the runtime's own). Its Done calls will never
/// come. nullptr when none, or when several groups wait.
/// \a others, when set, gets the number of other goroutines that could
/// have been the work (all blocked).
const GoroutineGroup* StuckWaitGroupWaiter(const Incident& inc, uint64_t* others = nullptr);
/// The same for one group blocked on a channel send or receive (not a
/// select, whose other cases may still fire): a minute or more, while no
/// other goroutine in the input runs, waits on the network, sleeps or
/// selects, so none is left to be its partner.
const GoroutineGroup* StuckChannelWaiter(const Incident& inc, uint64_t* others = nullptr);
/// In an excerpt a person pasted (PastedExcerpt), the program's goroutines
/// when they are two to four, all blocked in their own code on a channel
/// send or receive or a WaitGroup, a sender with a receiver or a WaitGroup
/// waiter, or a receiver with a waiter, and nothing else of the program
/// runs, sleeps, waits on the network or selects: the goroutines the person
/// chose, waiting on each other (a test waiting for a worker that waits to
/// hand the test a result; a Wait before the close the receivers wait for).
/// The channel side's group (the sender's first), with its partner's in
/// \a receiver; nullptr when the input is not such a pair.
const GoroutineGroup* CrossedChannelWaiters(const Incident& inc, const GoroutineGroup** receiver);
/// In an excerpt a person pasted (PastedExcerpt), the program's goroutines
/// when they are two to four, in code of one package: goroutines waiting
/// for a lock and one goroutine blocked on a channel or in a select, and
/// nothing else of the program: the lock's waiters and, most likely, its
/// holder, whose stack may be cut above the Lock (weave#418 in fresh9/).
/// The holder's group, with the waiters in \a waiters; nullptr when the
/// input is not such an excerpt.
const GoroutineGroup* ExcerptLockHolder(const Incident& inc, std::vector<const GoroutineGroup*>* waiters);
/// `N goroutines blocked on STATE in FUNC (file:line)`.
std::string GroupText(const GoroutineGroup& g, int frame);
/// Wait time phrase: ", for up to 41 minutes" or "".
std::string WaitText(const GoroutineGroup& g);
/// Culprit frame of a blocked group: first app/dependency frame.
int GroupCulprit(const GoroutineGroup& g);
/// Name of a group's state, inferring debug=1 waits.
std::string StateName(const GoroutineGroup& g);

/// True when the group's goroutines printed neither a wait time nor a
/// creator (pprof debug=1 records, fragments pasted without them): the
/// hang rules then judge from counts and the stack's shape alone, with
/// lower confidence, and say so.
bool SparseEvidence(const GoroutineGroup& g);
/// True when \a inc looks like the goroutines someone chose to paste, not
/// a whole dump: a goroutine dump of at most 8 groups, or a debug=1
/// profile of at most 8 groups whose header declares more goroutines than
/// it holds (a whole profile always holds the goroutine that wrote it),
/// with no running goroutine and no goroutine 1. With \a headerless, also
/// a debug=1 fragment without its header (which may as well be an example
/// someone gave of the format: counts mean little there).
bool PastedExcerpt(const Incident& inc, bool headerless);

/// Who starts a group's goroutines, as far as the input shows it.
struct CreatorInfo {
  std::string function;   ///< creating function, "" when unknown
  bool from_name = false; ///< inferred from the closure name `F.funcN`
  int64_t parent = -1;    ///< `in goroutine N` of the kept sample, -1 if not printed
  bool once = false;      ///< started once: by main.main or init, or from the main goroutine
};
CreatorInfo CreatorOf(const GoroutineGroup& g);

/// Why a group of parked goroutines is an idle worker pool rather than a
/// leak, or "" when it is not one. A pool waits for work (chan receive,
/// select, or a hidden channel wait in debug=1) and was started in one go.
/// Groups are keyed by stack including the `created by` frame, so all of a
/// group's goroutines share one creator frame; the parser keeps one sample
/// in full (the fast lane does not read the other goroutines' `in goroutine
/// N`), so "one go" is read from that creator: main.main or an init
/// function, or any creator running in the main goroutine (goroutine 1,
/// start-up code), which is how pools are started. Without creators
/// (debug=1), the goroutines are closures of main/init, or named loop
/// functions parked in their own body. A leak is started per request (a
/// creator running in a request goroutine, or a closure of a function other
/// than main/init) or blocks where no work can come (chan send, nil
/// channel, sleep). Size is not part of it: a pool of 10,000 is a pool.
std::string PoolReason(const GoroutineGroup& g);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_HANG_UTIL_H_
