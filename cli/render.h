// Output renderers: one function per format, each named in its row of the
// format table (cli/formats.h). Every renderer gets the parsed input and the
// findings.
#ifndef GOTRIAGE_CLI_RENDER_H_
#define GOTRIAGE_CLI_RENDER_H_

#include <nlohmann/json.hpp>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"

namespace gotriage {

/// The name of standard input in every output (reports, JSON `source`,
/// messages); `-` is only how it is given on the command line.
inline constexpr const char* kStdinName = "<stdin>";

struct RenderOptions {
  bool color = false;
  size_t top_groups = 10;      ///< goroutine groups shown per incident (text)
  size_t max_frames = 20;      ///< frames shown per stack (text)
  bool verbose = false;
  std::string src_dir;         ///< --src, maps culprits to files (SARIF)
  std::string summary_file;    ///< Markdown summary path (github)
  Severity fail_on = Severity::kHigh;
  std::string group_by_label;  ///< --group-by label:KEY (text): KEY, or ""
  /// Where a renderer says what went wrong beside the report (a job summary
  /// it could not write); nullptr: nowhere.
  std::ostream* messages = nullptr;
};

/// `route=/v1/orders, tenant=t1` as `--label` takes them (text).
std::string LabelFilterText(const LabelFilterReport& r);

/// Labels as the Go 1.27 runtime prints them: `{k: v, k2: "a b"}`.
std::string LabelText(const std::vector<Label>& ls);

/// Version of the JSON document layout (docs/gotriage.schema.json).
constexpr int kJsonSchemaVersion = 2;  // 2: a finding's `pod` is a name (was an index), `incident_id`

void RenderText(const ParsedInput& in, const std::vector<Finding>& findings,
                const RenderOptions& opts, std::ostream& os);
/// `--list-rules`: one aligned line per rule.
void RenderRuleListText(std::ostream& os);

/// The input names a report's heading lists, each through \a name (which
/// escapes it for the format): all of them, or for a fleet's thousands of
/// files the first eight and `(and N more inputs)`.
std::string SourcesText(const std::vector<std::string>& sources,
                        const std::function<std::string(const std::string&)>& name);
/// `--list-rules --format json`.
void RenderRuleListJson(std::ostream& os);

/// The whole JSON report (`--format json`); without \a with_incidents its
/// `incidents` array is left empty (RenderJson writes it one at a time).
nlohmann::json ReportJson(const ParsedInput& in, const std::vector<Finding>& findings,
                          const RenderOptions& opts, bool with_incidents = true);
nlohmann::json FindingJson(const Finding& f);
nlohmann::json IncidentJson(const Incident& inc, size_t max_groups);
/// The same incident as text, appended to \a out: what DumpJson(IncidentJson(
/// inc, max_groups), 2) prints, nested \a indent spaces in (its lines after
/// the first), with its groups written without a tree (cli/json_writer.h).
/// With \a flush_to, \a out is written there and emptied whenever it holds
/// kFlushBytes between two groups: on return it holds what is left to write.
void AppendIncidentJson(const Incident& inc, size_t max_groups, unsigned indent, std::string* out,
                        std::ostream* flush_to = nullptr);
inline constexpr size_t kFlushBytes = 64 << 10;
nlohmann::json FrameJson(const Frame& f);
/// `--label` filter report (the top-level `label_filter` of the JSON).
nlohmann::json LabelFilterJson(const LabelFilterReport& r);
void RenderJson(const ParsedInput& in, const std::vector<Finding>& findings,
                const RenderOptions& opts, std::ostream& os);

/// One self-contained HTML page (`--format html`): findings, then each
/// incident's stacks and goroutine groups; see cli/render_html.cc.
void RenderHtml(const ParsedInput& in, const std::vector<Finding>& findings,
                const RenderOptions& opts, std::ostream& os);

/// Serialises JSON so that it is valid UTF-8 whatever the input held.
std::string DumpJson(const nlohmann::json& j, int indent = -1);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_RENDER_H_
