// The output format table; see formats.h.
#include "cli/formats.h"

#include "cli/diff.h"
#include "cli/render_ci.h"

namespace gotriage {

const std::vector<OutputFormat>& OutputFormats() {
  static const std::vector<OutputFormat> kFormats = {
      {.name = "text",
       .help = "",
       .report = RenderText,
       .follow = RenderText,
       .diff = RenderDiffText,
       .rule_list = RenderRuleListText,
       .color = true,
       .group_by = true},
      // Under --follow, one JSON object per finding (as ndjson): a stream of
      // whole reports would not be one JSON document either.
      {.name = "json",
       .help = "",
       .report = RenderJson,
       .follow = RenderNdjson,
       .diff = RenderDiffJson,
       .rule_list = RenderRuleListJson},
      {.name = "ndjson",
       .help = "one finding per line",
       .report = RenderNdjson,
       .follow = RenderNdjson,
       .diff = RenderDiffNdjson},
      {.name = "sarif", .help = "SARIF 2.1.0", .report = RenderSarif, .diff = RenderDiffSarif},
      {.name = "github",
       .help = "Actions annotations and job summary",
       .report = RenderGithubReport,
       .follow = RenderGithubReport,
       .job_summary = true},
      {.name = "html", .help = "one self-contained page", .report = RenderHtml, .diff = RenderDiffHtml},
  };
  return kFormats;
}

const OutputFormat* FindOutputFormat(std::string_view name) {
  for (const OutputFormat& f : OutputFormats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace gotriage
