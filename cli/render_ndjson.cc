// `--format ndjson`: one finding per line, each the object that `--format
// json` puts in its `findings` array, for alert routers (jq, Vector,
// Fluent Bit, a webhook relay) and for `--follow`, which prints each line as
// soon as the incident behind it is complete. Unlike in the report, a line
// holds no `incident` index: `incident_id` names its incident.
#include "cli/render_ci.h"

namespace gotriage {

void RenderNdjson(const ParsedInput& in, const std::vector<Finding>& findings,
                  const RenderOptions& opts, std::ostream& os) {
  for (const Finding& f : findings) {
    // A line stands alone: no index into an `incidents` array it does not
    // carry (incident_id names the incident; the pod is given by name).
    nlohmann::json j = FindingJson(f);
    j.erase("incident");
    os << DumpJson(j) << '\n';
  }
}

}  // namespace gotriage
