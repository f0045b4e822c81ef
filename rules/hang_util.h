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
/// `N goroutines blocked on STATE in FUNC (file:line)`.
std::string GroupText(const GoroutineGroup& g, int frame);
/// Wait time phrase: ", for up to 41 minutes" or "".
std::string WaitText(const GoroutineGroup& g);
/// Culprit frame of a blocked group: first app/dependency frame.
int GroupCulprit(const GoroutineGroup& g);
/// Name of a group's state, inferring debug=1 waits.
std::string StateName(const GoroutineGroup& g);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_HANG_UTIL_H_
