// The interface of one rule, and the documentation it carries as data.
#ifndef GOTRIAGE_RULES_RULE_H_
#define GOTRIAGE_RULES_RULE_H_

#include <string>
#include <string_view>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"

namespace gotriage {

/// Documentation kept on the rule; `--explain` and docs/rules.md are made
/// from it.
struct RuleDoc {
  std::string_view id;        ///< GT1001; never reused
  std::string_view title;
  std::string_view category;  ///< one of the categories in docs/json-schema
  Severity severity = Severity::kHigh;
  std::string_view what;      ///< what it means
  std::string_view why;       ///< why it happens
  std::string_view fix;       ///< how to fix it (steps, one per line)
  std::string_view before;    ///< Go example with the bug
  std::string_view after;     ///< the same, fixed
  std::vector<std::string_view> links;
  std::string_view since = "0.1.0";
  /// A fallback rule speaks only when nothing else does: the engine drops
  /// its findings on an incident that another rule found something (above
  /// info) in.
  bool fallback = false;
};

/// What every rule sees.
struct RuleContext {
  const ParsedInput* input = nullptr;
  std::string src_dir;   ///< application source root for --src, or ""
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleDoc& doc() const = 0;
  /// Appends findings for \a ctx to \a out.
  virtual void Check(const RuleContext& ctx, std::vector<Finding>* out) const = 0;
};

/// A rule that judges one incident at a time, and may judge one pod at a
/// time too: the base class owns both loops, so a rule says only which
/// incidents it applies to, what it finds in one, and (if it reads pods)
/// what it finds in one pod (GT3001: a kernel log's OOM kill, or a pod's
/// OOMKilled container).
class IncidentRule : public Rule {
 public:
  void Check(const RuleContext& ctx, std::vector<Finding>* out) const final;
  /// Appends the findings on incident \a i of ctx.input alone: the engine
  /// folds them before it asks about the next (Analyze keeps the distinct
  /// findings, not one per incident of a fleet).
  void CheckOne(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const {
    if (AppliesTo(ctx.input->incidents[i])) CheckIncident(ctx, i, out);
  }
  /// Appends the findings on the input's pods (after its incidents').
  void CheckPods(const RuleContext& ctx, std::vector<Finding>* out) const;

 protected:
  /// True when the rule can say something about \a inc; the others are
  /// skipped before CheckIncident.
  virtual bool AppliesTo(const Incident& inc) const = 0;
  /// Appends the findings on incident \a i of ctx.input (AppliesTo held).
  virtual void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const = 0;
  /// Appends the findings on pod \a p of ctx.input; by default none.
  virtual void CheckPod(const RuleContext& ctx, size_t p, std::vector<Finding>* out) const {}
};

/// A rule that judges one pod at a time (`kubectl describe`, pod objects,
/// event tables: ParsedInput::pods): the base class owns the loop over the
/// input's pods, in IncidentRule's loop. (A rule that folds several pods into one finding, such as
/// GT3003's replicas restarting alike, judges the whole input instead.)
class PodRule : public IncidentRule {
 protected:
  bool AppliesTo(const Incident& /*inc*/) const final { return false; }
  void CheckIncident(const RuleContext& /*ctx*/, size_t /*i*/, std::vector<Finding>* /*out*/) const final {}
  /// Appends the findings on pod \a p of ctx.input.
  void CheckPod(const RuleContext& ctx, size_t p, std::vector<Finding>* out) const override = 0;
};

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_RULE_H_
