// The loops the per-incident and per-pod rules share; see rule.h.
#include "rules/rule.h"

namespace gotriage {

void IncidentRule::Check(const RuleContext& ctx, std::vector<Finding>* out) const {
  const ParsedInput& in = *ctx.input;
  for (size_t i = 0; i < in.incidents.size(); ++i) CheckOne(ctx, i, out);
  CheckPods(ctx, out);
}

void IncidentRule::CheckPods(const RuleContext& ctx, std::vector<Finding>* out) const {
  for (size_t p = 0; p < ctx.input->pods.size(); ++p) CheckPod(ctx, p, out);
}

}  // namespace gotriage
