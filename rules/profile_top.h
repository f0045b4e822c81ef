// Reading `go tool pprof -top` listings for the leak and timer rules: they
// have no stacks, only where the profile's weight sits, so the evidence is
// the share of the profile under the functions named.
#ifndef GOTRIAGE_RULES_PROFILE_TOP_H_
#define GOTRIAGE_RULES_PROFILE_TOP_H_

#include <optional>

#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

namespace gotriage {

/// A goroutine-count listing where most goroutines are parked in channel
/// operations or selects under one function: a goroutine leak (GT2003).
std::optional<Finding> TopGoroutineLeak(const RuleDoc& doc, const ParsedInput& in, size_t incident);

/// A heap listing where runtime.malg (goroutine descriptors, never freed)
/// holds a large share: the goroutine count reached tens of thousands at
/// once, a leak or a pile-up (GT2003).
std::optional<Finding> TopHeapGoroutines(const RuleDoc& doc, const ParsedInput& in, size_t incident);

/// The same on a heap profile (protobuf or debug=1 text): inuse_space
/// under runtime.malg.
std::optional<Finding> ProfileHeapGoroutines(const RuleDoc& doc, const ParsedInput& in, size_t incident);

/// A goroutine-count listing where a large share of goroutines is parked
/// reading network connections (TLS or plain): connections nothing times
/// out, piling up (GT2004).
std::optional<Finding> TopNetworkReads(const RuleDoc& doc, const ParsedInput& in, size_t incident);

/// A heap or allocation listing dominated by timers and tickers
/// (time.NewTicker, time.NewTimer, time.Tick, time.After): timers that are
/// created over and over and never stopped (GT2006).
std::optional<Finding> TopTimerLeak(const RuleDoc& doc, const ParsedInput& in, size_t incident);
/// GT2006 on a heap profile (protobuf or text): timers and tickers hold a
/// large share of the heap in use; the culprit is the caller outside the
/// standard library that created most of them.
std::optional<Finding> ProfileTimerLeak(const RuleDoc& doc, const ParsedInput& in, size_t incident);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_PROFILE_TOP_H_
