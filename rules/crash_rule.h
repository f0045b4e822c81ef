// The common shape of the GT1xxx crash rules: take the incidents the rule
// claims (its CrashClaim: the runtime's messages it declares; see
// crash_claim.h), blame the crash site, and let the rule word the summary. Recovered panics (logged with their stack) go
// through the same rules one severity step lower.
#ifndef GOTRIAGE_RULES_CRASH_RULE_H_
#define GOTRIAGE_RULES_CRASH_RULE_H_

#include <string>
#include <vector>

#include "rules/crash_claim.h"
#include "rules/rule.h"
#include "rules/util.h"

namespace gotriage {

/// What a crash rule's hook sees.
struct CrashContext {
  const ParsedInput& input;
  const Incident& incident;
  size_t index;
  const Goroutine* goroutine;  ///< crashing goroutine, may be null
  int culprit;                 ///< index into goroutine->frames, or -1
  std::string message;         ///< RootMessage(incident)
  bool recovered;

  /// `main.f (file.go:12)` of the culprit, or "an unknown frame".
  std::string CulpritText() const;
  /// `goroutine 12` or "the crashing goroutine".
  std::string GoroutineText() const;
};

/// The culprit frame of a crashing goroutine: below the last panic() for a
/// recovered panic; otherwise the first application or dependency frame,
/// skipping a framework's panic handler (deferred frames above a panic()
/// frame with no application code, such as apimachinery's HandleCrash
/// re-raising the panic). \a handler receives the handler's first frame
/// index, or -1. \a cut: the input ended inside the stack; a recovered
/// panic's stack cut before any panic() frame is its handler's alone, and
/// names no culprit.
int CrashCulprit(const std::vector<Frame>& frames, bool recovered, int* handler, bool cut = false);

class CrashRule : public IncidentRule, public ClaimsCrashes {
 public:
  /// \a claim must outlive the rule (a constant of the rule's file).
  explicit CrashRule(const CrashClaim& claim) : claim_(claim) {}
  const CrashClaim& claim() const final { return claim_; }

 protected:
  /// Words the finding: sets summary (the part that is specific to the
  /// rule), details and extra remediation steps. The base class appends the
  /// recovered/partial notes, doc remediation and fingerprint.
  virtual void Explain(const CrashContext& c, Finding* f) const = 0;
  /// True when the rule takes \a inc; by default, when ClassifyCrash names it.
  bool AppliesTo(const Incident& inc) const override;
  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override;

 private:
  const CrashClaim& claim_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_CRASH_RULE_H_
