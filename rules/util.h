// Helpers shared by the rules, one header per kind; this one includes them
// all. Rules build Findings only through these so that every rule names
// things the same way.
//   rules/frames.h          naming frames, picking the culprit, lookups
//   rules/fingerprint.h     the fingerprint (docs/fingerprint.md)
//   rules/finding_build.h   a Finding from a rule's doc, evidence, labels
//   rules/incident_facts.h  crashing goroutine, root message, wait kinds
//   rules/race_finding.h    race reports as findings
#ifndef GOTRIAGE_RULES_UTIL_H_
#define GOTRIAGE_RULES_UTIL_H_

#include "rules/fingerprint.h"
#include "rules/finding_build.h"
#include "rules/frames.h"
#include "rules/incident_facts.h"
#include "rules/race_finding.h"

#endif  // GOTRIAGE_RULES_UTIL_H_
