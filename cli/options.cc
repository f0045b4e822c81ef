// The command line of `gotriage`; see options.h.
#include "cli/options.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "cli/app.h"
#include "cli/command_docs.h"
#include "cli/escape.h"
#include "cli/version.h"
#include "rules/engine.h"

namespace gotriage {

namespace {

constexpr const char* kDescription =
    "gotriage reads what a crashed or hung Go service leaves behind -- panics,\n"
    "fatal errors, SIGQUIT dumps, pprof goroutine dumps (debug=1 and debug=2),\n"
    "go test -race reports, kubectl logs and kubectl describe output -- and says\n"
    "what went wrong, where, and how to fix it. Inputs are files or standard\n"
    "input ('-', the default; reports call it <stdin>); gzip is detected. Go\n"
    "output is found inside any surrounding log text.";

constexpr const char* kSummary = "diagnose crashed or hung Go services from what they leave behind";

constexpr const char* kExamples =
    "  kubectl logs POD --previous | gotriage\n"
    "  kubectl describe pod POD > pod.txt; kubectl logs POD --previous | gotriage pod.txt -\n"
    "  curl -s localhost:6060/debug/pprof/goroutine?debug=2 | gotriage\n"
    "  gotriage --format json dump.txt\n"
    "  go test -race ./... 2>&1 | gotriage --fail-on medium\n"
    "  kubectl logs -f POD | gotriage --follow --format ndjson\n"
    "  gotriage --explain GT1001\n"
    "  gotriage diff goroutines-0900.txt goroutines-0930.txt   (compare snapshots; see gotriage diff --help)\n"
    "  gotriage watch /var/log/pods --alertmanager http://alertmanager:9093   (node agent; gotriage watch --help)";

// --help's footer and the man page's EXIT STATUS section, in precedence
// order: when several apply, the first in this list wins.
const std::vector<std::pair<int, std::string_view>> kExitCodes = {
    {kExitUsage, "usage error (nothing is read)"},
    {kExitFindings,
     "a finding at or above --fail-on (default: high), also when another input could not be read: "
     "a read error never hides a finding"},
    {kExitUnreadable,
     "an input could not be opened or read to its end, or is not text (what was read is reported)"},
    {kExitNoTrace, "--require-trace was given and the input held no Go output"},
    {kExitSpooled, "--alertmanager could not be reached: the alerts were spooled (--spool) and are "
                   "sent by the next run"},
    {kExitOk, "none of the above"},
};

constexpr const char* kEnvironment = "NO_COLOR disables colour (as --color=never does).";

std::string Footer() {
  std::string f = std::string("Examples:\n") + kExamples +
                  "\n\nExit codes (when several apply, the first in this list wins):\n";
  for (const auto& [code, meaning] : kExitCodes) {
    f += "  " + std::to_string(code) + "  " + std::string(meaning) + "\n";
  }
  return f + "\nEnvironment: " + kEnvironment;
}

// --format's help: each format's name, with what it is when the name does
// not say it.
std::string FormatHelp() {
  std::string h = "Output format: ";
  bool first = true;
  for (const OutputFormat& f : OutputFormats()) {
    if (!first) h += ", ";
    first = false;
    h += f.name;
    if (!f.help.empty()) h += " (" + std::string(f.help) + ")";
  }
  return h;
}

// A --top/--max-* value: a whole number of at least \a min.
bool ParseCount(const std::string& flag, const std::string& v, size_t min, size_t* out,
                std::ostream& err) {
  size_t used = 0;
  unsigned long long n = 0;
  bool ok = !v.empty() && v[0] != '-' && v[0] != '+';
  if (ok) {
    try {
      n = std::stoull(v, &used);
    } catch (...) {
      ok = false;
    }
  }
  if (!ok || used != v.size() || n < min) {
    err << "gotriage: " << flag << ": '" << EscapeForTerminal(v) << "' is not a whole number >= " << min
        << "\n";
    return false;
  }
  *out = static_cast<size_t>(n);
  return true;
}

// Go module paths: letters, digits and -._~/ (golang.org/x/mod/module).
bool ValidModulePath(std::string_view m) {
  if (m.empty() || m.front() == '/' || m.back() == '/') return false;
  for (char c : m) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_' && c != '~' && c != '/')
      return false;
  }
  return true;
}

}  // namespace

bool ParseCommandLine(int argc, char** argv, Options* opts, int* exit_code, std::ostream& out,
                      std::ostream& err) {
  Options& o = *opts;
  CLI::App app{kDescription, "gotriage"};
  app.footer(Footer());
  app.set_version_flag("--version", VersionText());

  bool man = false;
  std::string completion;
  std::string format = std::string(OutputFormats().front().name);
  o.max_line_text = std::to_string(o.limits.max_line_bytes);
  o.max_groups_text = std::to_string(o.limits.max_groups);
  o.max_frames_text = std::to_string(o.limits.max_frames);
  o.max_incidents_text = std::to_string(o.limits.max_incidents);
  o.top_text = std::to_string(o.top);

  // What each option's value may be, for the man page and the completions
  // (cli/command_docs.h); the word lists are the ones the options check.
  CommandDoc doc{.app = &app,
                 .name = "gotriage",
                 .summary = kSummary,
                 .description = kDescription,
                 .examples = kExamples,
                 .exit_codes = kExitCodes,
                 .environment = kEnvironment,
                 .values = {}};
  using K = OptionValues::Kind;
  auto values = [&doc](CLI::Option* opt, K kind, std::string metavar,
                       std::vector<std::string> words = {}) {
    doc.values[opt] = OptionValues{kind, std::move(metavar), std::move(words)};
    return opt;
  };
  const std::vector<std::string> kFormats = OutputFormatList(&OutputFormat::report);
  const std::vector<std::string> kColors = {"auto", "always", "never"};
  std::vector<std::string> severities;
  for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                     Severity::kInfo}) {
    severities.push_back(SeverityName(s));
  }
  severities.push_back("never");

  app.add_option("inputs", o.inputs,
                 "Files to read; a directory: every file under it (hidden ones left out); '-' is standard input (default)");
  values(app.add_option("-f,--format", format, FormatHelp())->check(CLI::IsMember(kFormats))->capture_default_str(),
         K::kWords, "FORMAT", kFormats);
  values(app.add_option("-o,--output", o.output, "Write the report to this file instead of standard output"),
         K::kFile, "FILE");
  values(app.add_option("--color", o.color, "Colour in text output")
             ->check(CLI::IsMember(kColors))
             ->capture_default_str(),
         K::kWords, "WHEN", kColors);
  values(app.add_option("--fail-on", o.fail_on_text,
                        "Exit 1 when a finding has this severity or higher: critical, high, "
                        "medium, low, info, or never")
             ->capture_default_str(),
         K::kWords, "SEVERITY", severities);
  values(app.add_option("--rules", o.rules,
                        "Select rules by ID, category or glob, '-' to exclude: 'GT1*,-GT2005', "
                        "'goroutine_leak' (any case; matching no rule is an error)"),
         K::kRuleList, "IDS");
  values(app.add_option("--explain", o.explain,
                        "Print the documentation of a rule (ID or category, any case) and exit"),
         K::kRuleId, "ID");
  app.add_flag("--list-rules", o.list_rules, "List every rule and exit (--format json: as JSON)");
  values(app.add_option("--module", o.module, "Main module path (default: detected from the stacks)"),
         K::kNone, "PATH");
  values(app.add_option("--src", o.src,
                        "Application source root (a directory): culprit lines are quoted from it and "
                        "CI paths made relative to it"),
         K::kDir, "DIR");
  app.add_flag("--require-trace", o.require_trace, "Exit 4 when the input holds no Go output");
  values(app.add_option("--summary-file", o.summary_file,
                        "With --format github: append a Markdown summary to this file (default: "
                        "$GITHUB_STEP_SUMMARY when set)"),
         K::kFile, "FILE");
  app.add_flag("--follow", o.follow,
               "Read an endless stream and report each incident as soon as it is complete");
  app.add_flag("--redact", o.redact,
               "Replace IPs, hostnames, e-mails, tokens, argument values, long hex/base64 runs and "
               "pod/namespace/node names by stable placeholders in the output");
  values(app.add_option("--baseline", o.baseline,
                        "Compare the input dump with this earlier dump (CI: start vs end of a test run); "
                        "goroutine groups that grew are findings"),
         K::kFile, "FILE");
  app.add_flag("-v,--verbose", o.verbose, "Show every goroutine group with its stack");
  values(app.add_option("--top", o.top_text, "Goroutine groups shown per incident in text output (>= 1)")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--label", o.label_args,
                        "Keep only goroutines carrying this runtime/pprof label (KEY=VALUE, repeatable: "
                        "all must match); the report says how many were filtered out")
             ->allow_extra_args(false),
         K::kNone, "KEY=VALUE");
  values(app.add_option("--group-by", o.group_by,
                        "Text output: show goroutine groups and findings per value of a label (label:KEY)"),
         K::kNone, "label:KEY");
  values(app.add_option("--max-line-bytes", o.max_line_text, "Longer lines are cut (>= 256)")
             ->capture_default_str(),
         K::kNone, "BYTES");
  values(app.add_option("--max-groups", o.max_groups_text, "Distinct stacks kept per incident (>= 1)")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--max-frames", o.max_frames_text, "Frames kept per goroutine (>= 1)")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--max-incidents", o.max_incidents_text,
                        "Incidents kept per run (>= 1); copies of one incident from other inputs are kept as one")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--alertmanager", o.alertmanager.url,
                        "Also send the findings as alerts to this Alertmanager (http://HOST:PORT)"),
         K::kNone, "URL");
  values(app.add_option("--spool", o.alertmanager.spool,
                        "With --alertmanager: where alerts wait while it is unreachable (default: "
                        "$XDG_STATE_HOME/gotriage/spool, else /var/lib/gotriage/spool)"),
         K::kDir, "DIR");
  // Hidden (empty group): used by the build to generate the installed man
  // page and completions from the definitions above.
  app.add_flag("--man", man, "Print the man page (roff) and exit")->group("");
  app.add_option("--completion", completion, "Print a completion script for SHELL and exit")
      ->check(CLI::IsMember({"bash", "zsh", "fish"}))
      ->group("");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    *exit_code = kExitOk;
    return false;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    *exit_code = kExitOk;
    return false;
  } catch (const CLI::ParseError& e) {
    err << "gotriage: " << e.what() << "\n"
        << "Run 'gotriage --help' for usage.\n";
    *exit_code = kExitUsage;
    return false;
  }
  if (man) {
    out << ManPage(doc, kVersion);
    *exit_code = kExitOk;
    return false;
  }
  if (!completion.empty()) {
    out << Completion(doc, completion);
    *exit_code = kExitOk;
    return false;
  }
  o.format = FindOutputFormat(format);  // IsMember checked it
  o.module_given = app.count("--module") > 0;
  o.src_given = app.count("--src") > 0;
  o.spool_given = app.count("--spool") > 0;
  return true;
}

bool CheckOptions(Options* opts, std::ostream& err) {
  Options& o = *opts;
  const OutputFormat& format = *o.format;
  o.never_fail = o.fail_on_text == "never" || o.fail_on_text == "none";
  if (!o.never_fail && !ParseSeverity(o.fail_on_text, &o.fail_on)) {
    err << "gotriage: --fail-on: unknown severity '" << EscapeForTerminal(o.fail_on_text)
        << "' (critical, high, medium, low, info, never)\n";
    return false;
  }
  std::string sel_err;
  if (!ValidateSelection(o.rules, &sel_err)) {
    err << "gotriage: --rules: " << EscapeForTerminal(sel_err) << "\n";
    return false;
  }
  if (!ParseCount("--top", o.top_text, 1, &o.top, err) ||
      !ParseCount("--max-line-bytes", o.max_line_text, 256, &o.limits.max_line_bytes, err) ||
      !ParseCount("--max-groups", o.max_groups_text, 1, &o.limits.max_groups, err) ||
      !ParseCount("--max-frames", o.max_frames_text, 1, &o.limits.max_frames, err) ||
      !ParseCount("--max-incidents", o.max_incidents_text, 1, &o.limits.max_incidents, err))
    return false;
  if (o.module_given && !ValidModulePath(o.module)) {
    err << "gotriage: --module: '" << EscapeForTerminal(o.module)
        << "' is not a Go module path (example.com/service)\n";
    return false;
  }
  if (o.src_given) {
    std::error_code ec;
    if (o.src.empty() || !std::filesystem::is_directory(o.src, ec)) {
      err << "gotriage: --src: '" << EscapeForTerminal(o.src) << "' is not a directory\n";
      return false;
    }
  }
  if (!o.summary_file.empty() && !format.job_summary) {
    err << "gotriage: --summary-file is for --format " << OutputFormatNames(&OutputFormat::job_summary)
        << "\n";
    return false;
  }
  if (o.spool_given && o.alertmanager.url.empty()) {
    err << "gotriage: --spool is where --alertmanager keeps unsent alerts; give --alertmanager URL too\n";
    return false;
  }
  if (o.follow && !format.follow) {
    err << "gotriage: --follow writes one record per incident; --format " << format.name
        << " writes one document (use --format " << OutputFormatNames(&OutputFormat::follow) << ")\n";
    return false;
  }
  if (o.follow && o.redact) {
    err << "gotriage: --redact rewrites the whole report; it cannot be combined with --follow\n";
    return false;
  }
  if (std::string e; !o.alertmanager.url.empty() && !ValidAlertmanagerUrl(o.alertmanager.url, &e)) {
    err << "gotriage: " << EscapeForTerminal(e) << "\n";
    return false;
  }
  for (const std::string& a : o.label_args) {
    size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "gotriage: --label: expected KEY=VALUE (e.g. --label tenant=t1), got '"
          << EscapeForTerminal(a) << "'\n";
      return false;
    }
    o.labels.push_back({a.substr(0, eq), a.substr(eq + 1)});
  }
  if (!o.group_by.empty()) {
    if (o.group_by.rfind("label:", 0) != 0 || o.group_by.size() == 6) {
      err << "gotriage: --group-by: expected label:KEY (e.g. --group-by label:tenant), got '"
          << EscapeForTerminal(o.group_by) << "'\n";
      return false;
    }
    if (!format.group_by) {
      err << "gotriage: --group-by applies to --format " << OutputFormatNames(&OutputFormat::group_by)
          << " only\n";
      return false;
    }
    o.group_by_label = o.group_by.substr(6);
  }
  if (o.inputs.empty()) o.inputs.push_back("-");
  if (std::count(o.inputs.begin(), o.inputs.end(), "-") > 1) {
    err << "gotriage: standard input ('-') given more than once\n";
    return false;
  }
  return true;
}

}  // namespace gotriage
