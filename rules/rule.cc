// The loop the per-incident rules share; see rule.h.
#include "rules/rule.h"

namespace gotriage {

void IncidentRule::Check(const RuleContext& ctx, std::vector<Finding>* out) const {
  const ParsedInput& in = *ctx.input;
  for (size_t i = 0; i < in.incidents.size(); ++i) {
    if (AppliesTo(in.incidents[i])) CheckIncident(ctx, i, out);
  }
}

}  // namespace gotriage
