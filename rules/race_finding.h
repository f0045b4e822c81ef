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
/// The frame of a race access to name as its culprit: the first frame of
/// the application's own code, else the first non-runtime frame. An access
/// inside a dependency reached from the application (grpclog.SetLoggerV2
/// writing its package's logger, called by two servers a test starts) is
/// the application calling it concurrently: the call site is what a fix
/// can change (cerbos#2607, etcd#21298 in fresh9/). The dependency's frame
/// stays in the finding (DependencyAccess).
int RaceCulpritIndex(const std::vector<Frame>& frames);
/// Where the access happened inside a dependency when RaceCulpritIndex
/// named an application frame below it, or -1.
int DependencyAccess(const std::vector<Frame>& frames);
/// A finding for a race report: culprit is RaceCulpritIndex's frame of the
/// first access; evidence names both goroutines.
Finding RaceFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_RACE_FINDING_H_
