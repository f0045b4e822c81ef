// The command line of `gotriage` (not `gotriage diff`, cli/diff.h): every
// option with its help and what its value may be, the man page and the
// completions made from those definitions, and the checks of the values.
// app.cc runs what the options say.
#ifndef GOTRIAGE_CLI_OPTIONS_H_
#define GOTRIAGE_CLI_OPTIONS_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/alertmanager.h"
#include "cli/formats.h"
#include "parsers/limits.h"
#include "parsers/model.h"
#include "rules/finding.h"

namespace gotriage {

/// What the command line asks for, as given (ParseCommandLine) and then
/// checked and converted (CheckOptions).
struct Options {
  std::vector<std::string> inputs;  ///< `-` is standard input; never empty once checked
  const OutputFormat* format = nullptr;
  std::string color = "auto";
  std::string output;        ///< -o FILE, or ""
  std::string rules;         ///< --rules selection
  std::string explain;       ///< --explain ID, or ""
  bool list_rules = false;
  std::string module;        ///< --module, or "" (detected)
  std::string src;           ///< --src, or ""
  bool require_trace = false;
  std::string summary_file;  ///< --summary-file, or ""
  bool follow = false;
  bool redact = false;
  std::string baseline;      ///< --baseline FILE, or ""
  bool verbose = false;
  AlertmanagerOptions alertmanager;
  Limits limits;             ///< --max-line-bytes, --max-groups, --max-frames
  size_t top = 10;           ///< --top

  // Set by CheckOptions from the text given.
  Severity fail_on = Severity::kHigh;
  bool never_fail = false;              ///< --fail-on never
  std::vector<Label> labels;            ///< --label KEY=VALUE
  std::string group_by_label;           ///< --group-by label:KEY: KEY, or ""

  // As given, for CheckOptions.
  std::string fail_on_text = "high";
  std::vector<std::string> label_args;
  std::string group_by;
  std::string top_text = "10";
  std::string max_line_text, max_groups_text, max_frames_text, max_incidents_text;
  bool module_given = false, src_given = false, spool_given = false;
};

/// Parses \a argv into \a opts. False when the command is already done,
/// with its exit code in \a exit_code: --help, --version, the hidden --man
/// and --completion (printed to \a out), or a usage error (said on \a err).
bool ParseCommandLine(int argc, char** argv, Options* opts, int* exit_code, std::ostream& out,
                      std::ostream& err);

/// Checks what CLI11 cannot (values, and options that go together) and
/// converts the values; false after saying why on \a err (a usage error).
bool CheckOptions(Options* opts, std::ostream& err);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_OPTIONS_H_
