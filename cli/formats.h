// The output formats as one table: `--format`'s choices and help, which
// formats `--follow`, `--baseline`, `gotriage diff` and `--list-rules` can
// write, which options apply to each, and the function that renders each,
// all come from its rows. A new format is its renderer and one row here.
#ifndef GOTRIAGE_CLI_FORMATS_H_
#define GOTRIAGE_CLI_FORMATS_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/render.h"

namespace gotriage {

struct DiffResult;

/// Renders the findings on \a in (the whole input, or under --follow the
/// incident or pod description just completed).
using ReportRenderer = void (*)(const ParsedInput& in, const std::vector<Finding>& findings,
                                const RenderOptions& opts, std::ostream& os);
/// Renders a comparison of snapshots (`gotriage diff`, `--baseline`).
using DiffRenderer = void (*)(const DiffResult& r, const RenderOptions& opts, std::ostream& os);
/// Renders the rule catalog (`--list-rules`).
using RuleListRenderer = void (*)(std::ostream& os);

/// One output format.
struct OutputFormat {
  std::string_view name;  ///< `--format NAME`
  std::string_view help;  ///< what it is, in --help after the name ("" : the name says it)
  ReportRenderer report;  ///< the report on the whole input
  /// Under --follow, each incident's or pod's findings as they come;
  /// nullptr: the format is one document, not written under --follow.
  ReportRenderer follow = nullptr;
  DiffRenderer diff = nullptr;            ///< nullptr: not for diff/--baseline
  RuleListRenderer rule_list = nullptr;   ///< nullptr: not for --list-rules
  bool color = false;        ///< --color applies
  bool group_by = false;     ///< --group-by applies
  bool job_summary = false;  ///< --summary-file applies
};

/// Every format, in --help's order; the first is the default.
const std::vector<OutputFormat>& OutputFormats();
/// The format called \a name, or nullptr.
const OutputFormat* FindOutputFormat(std::string_view name);
/// The names of the formats that have \a what (say, &OutputFormat::follow):
/// `text, json, ndjson or github`.
template <typename T>
std::string OutputFormatNames(T OutputFormat::*what, std::string_view last_sep = " or ");
/// The names of every format that has \a what, for CLI11's IsMember.
template <typename T>
std::vector<std::string> OutputFormatList(T OutputFormat::*what);

template <typename T>
std::vector<std::string> OutputFormatList(T OutputFormat::*what) {
  std::vector<std::string> out;
  for (const OutputFormat& f : OutputFormats()) {
    if (f.*what) out.emplace_back(f.name);
  }
  return out;
}

template <typename T>
std::string OutputFormatNames(T OutputFormat::*what, std::string_view last_sep) {
  std::vector<std::string> names = OutputFormatList(what);
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) s += i + 1 == names.size() ? std::string(last_sep) : std::string(", ");
    s += names[i];
  }
  return s;
}

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_FORMATS_H_
