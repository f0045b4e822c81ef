// Race reports as findings: the culprit access, both goroutines, map races.
#ifndef GOTRIAGE_RULES_RACE_FINDING_H_
#define GOTRIAGE_RULES_RACE_FINDING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

namespace gotriage {

/// True when an access of the race report is inside a map operation.
bool RaceOnMap(const RaceReport& r);
/// A finding for a race report: culprit is the first non-runtime frame of
/// the first access; evidence names both goroutines.
Finding RaceFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_RACE_FINDING_H_
