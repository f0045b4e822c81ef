// The CI and alerting outputs: `--format sarif`, `--format github` (workflow
// annotations plus a Markdown job summary) and `--format ndjson` (one
// finding per line, for alert routers and `--follow`).
#ifndef GOTRIAGE_CLI_RENDER_CI_H_
#define GOTRIAGE_CLI_RENDER_CI_H_

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/render.h"

namespace gotriage {

/// SARIF result level of a severity: error (critical, high), warning
/// (medium), note (low, info).
const char* SarifLevel(Severity s);
/// The SARIF 2.1.0 log (`--format sarif`).
nlohmann::json SarifLog(const ParsedInput& in, const std::vector<Finding>& findings,
                        const RenderOptions& opts);
void RenderSarif(const ParsedInput& in, const std::vector<Finding>& findings,
                 const RenderOptions& opts, std::ostream& os);

/// GitHub Actions workflow command escaping (actions/toolkit command.ts):
/// the message escapes `%`, `\r`, `\n`; properties also `:` and `,`.
std::string GithubEscapeData(std::string_view s);
std::string GithubEscapeProperty(std::string_view s);
/// One `::error|warning|notice file=..,line=..,title=..::message` line per
/// finding (`--format github`).
void RenderGithub(const ParsedInput& in, const std::vector<Finding>& findings,
                  const RenderOptions& opts, std::ostream& os);
/// The Markdown job summary for `$GITHUB_STEP_SUMMARY`.
std::string GithubSummaryMarkdown(const ParsedInput& in, const std::vector<Finding>& findings,
                                  const RenderOptions& opts);
/// Appends \a markdown to \a path (GitHub appends every step's summary);
/// false with \a err when the file cannot be written.
bool AppendGithubSummary(const std::string& path, const std::string& markdown, std::string* err);
/// `--format github`: the annotations, and the job summary appended to
/// opts.summary_file when set (once per report: per incident under
/// --follow); a summary that cannot be written is said on opts.messages.
void RenderGithubReport(const ParsedInput& in, const std::vector<Finding>& findings,
                        const RenderOptions& opts, std::ostream& os);

/// One finding per line, each a JSON object as in the `findings` array of
/// `--format json` (`#/$defs/finding` of docs/gotriage.schema.json).
void RenderNdjson(const ParsedInput& in, const std::vector<Finding>& findings,
                  const RenderOptions& opts, std::ostream& os);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_RENDER_CI_H_
