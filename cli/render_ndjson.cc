// `--format ndjson`: one finding per line, each the object that `--format
// json` puts in its `findings` array, for alert routers (jq, Vector,
// Fluent Bit, a webhook relay) and for `--follow`, which prints each line as
// soon as the incident behind it is complete.
#include "cli/render_ci.h"

namespace gotriage {

void RenderNdjson(const ParsedInput& in, const std::vector<Finding>& findings,
                  const RenderOptions& opts, std::ostream& os) {
  for (const Finding& f : findings) os << DumpJson(FindingJson(f)) << '\n';
}

}  // namespace gotriage
