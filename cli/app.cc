// The command line; see app.h.
#include "cli/app.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <map>

#include "cli/alertmanager.h"
#include "cli/command_docs.h"
#include "cli/escape.h"
#include "cli/render.h"
#include "cli/render_ci.h"
#include "cli/version.h"
#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage {

namespace {

constexpr const char* kDescription =
    "gotriage reads what a crashed or hung Go service leaves behind -- panics,\n"
    "fatal errors, SIGQUIT dumps, pprof goroutine dumps (debug=1 and debug=2),\n"
    "go test -race reports, kubectl logs and kubectl describe output -- and says\n"
    "what went wrong, where, and how to fix it. Inputs are files or standard\n"
    "input ('-', the default); gzip is detected. Go output is found inside any\n"
    "surrounding log text.";

constexpr const char* kSummary = "diagnose crashed or hung Go services from what they leave behind";

constexpr const char* kExamples =
    "  kubectl logs POD --previous | gotriage\n"
    "  kubectl describe pod POD > pod.txt; kubectl logs POD --previous | gotriage pod.txt -\n"
    "  curl -s localhost:6060/debug/pprof/goroutine?debug=2 | gotriage\n"
    "  gotriage --format json dump.txt\n"
    "  go test -race ./... 2>&1 | gotriage --fail-on medium\n"
    "  kubectl logs -f POD | gotriage --follow --format ndjson\n"
    "  gotriage --explain GT1001";

// --help's footer and the man page's EXIT STATUS section.
const std::vector<std::pair<int, std::string_view>> kExitCodes = {
    {kExitOk, "no finding at or above --fail-on"},
    {kExitFindings, "findings at or above --fail-on (default: high)"},
    {kExitUsage, "usage error"},
    {kExitUnreadable, "an input could not be opened or read to its end (what was read is reported)"},
    {kExitNoTrace, "--require-trace was given and the input held no Go output"},
    {kExitSpooled, "--alertmanager could not be reached: the alerts were spooled (--spool) and are "
                   "sent by the next run"},
};

constexpr const char* kEnvironment = "NO_COLOR disables colour (as --color=never does).";

std::string Footer() {
  std::string f = std::string("Examples:\n") + kExamples + "\n\nExit codes:\n";
  for (const auto& [code, meaning] : kExitCodes) {
    f += "  " + std::to_string(code) + "  " + std::string(meaning) + "\n";
  }
  return f + "\nEnvironment: " + kEnvironment;
}

bool ColorWanted(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* nc = std::getenv("NO_COLOR");
  if (nc && *nc) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

}  // namespace

int RunMain(int argc, char** argv, std::ostream& out, std::ostream& err, bool skip_teardown) {
  CLI::App app{kDescription, "gotriage"};
  app.footer(Footer());
  app.set_version_flag("--version", VersionText());

  std::vector<std::string> inputs;
  std::string format = "text";
  std::string color = "auto";
  std::string fail_on = "high";
  std::string rules;
  std::string explain;
  std::string module;
  std::string src;
  bool list_rules = false;
  bool require_trace = false;
  bool follow = false;
  bool verbose = false;
  size_t top = 10;
  Limits limits;
  bool man = false;
  std::string completion;
  AlertmanagerOptions alertmanager;

  // What each option's value may be, for the man page and the completions
  // (cli/command_docs.h); the word lists are the ones the options check.
  CommandDoc doc{.app = &app,
                 .name = "gotriage",
                 .summary = kSummary,
                 .description = kDescription,
                 .examples = kExamples,
                 .exit_codes = kExitCodes,
                 .environment = kEnvironment};
  using K = OptionValues::Kind;
  auto values = [&doc](CLI::Option* o, K kind, std::string metavar,
                       std::vector<std::string> words = {}) {
    doc.values[o] = OptionValues{kind, std::move(metavar), std::move(words)};
    return o;
  };
  const std::vector<std::string> kFormats = {"text", "json", "ndjson", "sarif", "github"};
  const std::vector<std::string> kColors = {"auto", "always", "never"};
  std::vector<std::string> severities;
  for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                     Severity::kInfo}) {
    severities.push_back(SeverityName(s));
  }
  severities.push_back("never");

  app.add_option("inputs", inputs, "Files to read; '-' is standard input (default)");
  std::string summary_file;
  values(app.add_option("-f,--format", format,
                        "Output format: text, json, ndjson (one finding per line), sarif (SARIF "
                        "2.1.0), github (Actions annotations and job summary)")
             ->check(CLI::IsMember(kFormats))
             ->capture_default_str(),
         K::kWords, "FORMAT", kFormats);
  values(app.add_option("--color", color, "Colour in text output")
             ->check(CLI::IsMember(kColors))
             ->capture_default_str(),
         K::kWords, "WHEN", kColors);
  values(app.add_option("--fail-on", fail_on,
                        "Exit 1 when a finding has this severity or higher: critical, high, "
                        "medium, low, info, or never")
             ->capture_default_str(),
         K::kWords, "SEVERITY", severities);
  values(app.add_option("--rules", rules,
                        "Select rules by ID or glob, '-' to exclude: 'GT1*,-GT2005'"),
         K::kRuleList, "IDS");
  values(app.add_option("--explain", explain, "Print the documentation of a rule and exit"),
         K::kRuleId, "ID");
  app.add_flag("--list-rules", list_rules, "List every rule and exit");
  values(app.add_option("--module", module, "Main module path (default: detected from the stacks)"),
         K::kNone, "PATH");
  values(app.add_option("--src", src,
                        "Application source root, read to check the lines of culprit frames"),
         K::kDir, "DIR");
  app.add_flag("--require-trace", require_trace, "Exit 4 when the input holds no Go output");
  values(app.add_option("--summary-file", summary_file,
                        "With --format github: append a Markdown summary to this file (default: "
                        "$GITHUB_STEP_SUMMARY when set)"),
         K::kFile, "FILE");
  app.add_flag("--follow", follow,
               "Read an endless stream and report each incident as soon as it is complete");
  app.add_flag("-v,--verbose", verbose, "Show every goroutine group with its stack");
  values(app.add_option("--top", top, "Goroutine groups shown per incident in text output")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--max-line-bytes", limits.max_line_bytes, "Longer lines are cut")
             ->capture_default_str(),
         K::kNone, "BYTES");
  values(app.add_option("--max-groups", limits.max_groups, "Distinct stacks kept per incident")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--max-frames", limits.max_frames, "Frames kept per goroutine")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--alertmanager", alertmanager.url,
                        "Also send the findings as alerts to this Alertmanager (http://HOST:PORT)"),
         K::kNone, "URL");
  values(app.add_option("--spool", alertmanager.spool,
                        "Where alerts wait while Alertmanager is unreachable (default: "
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
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "gotriage: " << e.what() << "\n"
        << "Run 'gotriage --help' for usage.\n";
    return kExitUsage;
  }

  if (man) {
    out << ManPage(doc, kVersion);
    return kExitOk;
  }
  if (!completion.empty()) {
    out << Completion(doc, completion);
    return kExitOk;
  }
  if (list_rules) {
    for (const auto& r : Catalog()) {
      const RuleDoc& d = r->doc();
      out << d.id << "  " << SeverityName(d.severity) << "  " << d.category << "  " << d.title << "\n";
    }
    return kExitOk;
  }
  if (!explain.empty()) {
    const Rule* r = FindRule(explain);
    if (!r) {
      err << "gotriage: no rule " << EscapeForTerminal(explain)
          << "; 'gotriage --list-rules' lists them\n";
      return kExitUsage;
    }
    out << ExplainRule(*r);
    return kExitOk;
  }

  Severity threshold = Severity::kHigh;
  bool never_fail = fail_on == "never" || fail_on == "none";
  if (!never_fail && !ParseSeverity(fail_on, &threshold)) {
    err << "gotriage: --fail-on: unknown severity '" << EscapeForTerminal(fail_on)
        << "' (critical, high, medium, low, info, never)\n";
    return kExitUsage;
  }
  std::string sel_err;
  if (!ValidateSelection(rules, &sel_err)) {
    err << "gotriage: --rules: " << EscapeForTerminal(sel_err) << "\n";
    return kExitUsage;
  }
  if (limits.max_line_bytes < 256 || limits.max_groups < 1 || limits.max_frames < 1) {
    err << "gotriage: limits too small (--max-line-bytes >= 256, --max-groups and --max-frames >= 1)\n";
    return kExitUsage;
  }
  if (follow && format == "sarif") {
    err << "gotriage: --follow writes one record per incident; use --format ndjson, json, github "
           "or text (SARIF is one document)\n";
    return kExitUsage;
  }
  if (std::string e; !alertmanager.url.empty() && !ValidAlertmanagerUrl(alertmanager.url, &e)) {
    err << "gotriage: " << EscapeForTerminal(e) << "\n";
    return kExitUsage;
  }
  if (inputs.empty()) inputs.push_back("-");
  if (std::count(inputs.begin(), inputs.end(), "-") > 1) {
    err << "gotriage: standard input ('-') given more than once\n";
    return kExitUsage;
  }

  RenderOptions ropts;
  ropts.color = format == "text" && ColorWanted(color);
  ropts.top_groups = top;
  ropts.verbose = verbose;
  ropts.src_dir = src;
  ropts.fail_on = threshold;
  if (format == "github") {
    const char* step_summary = std::getenv("GITHUB_STEP_SUMMARY");
    ropts.summary_file = !summary_file.empty() ? summary_file : step_summary ? step_summary : "";
  }
  // --format github: the job summary is appended once per report (per
  // incident with --follow); a failure to write it is reported, not fatal.
  auto github = [&](const ParsedInput& in, const std::vector<Finding>& fs) {
    RenderGithub(in, fs, ropts, out);
    std::string e;
    if (!ropts.summary_file.empty() &&
        !AppendGithubSummary(ropts.summary_file, GithubSummaryMarkdown(in, fs, ropts), &e))
      err << "gotriage: " << EscapeForTerminal(e) << "\n";
  };
  // With --follow, each batch of findings as it comes.
  auto stream = [&](const ParsedInput& in, const std::vector<Finding>& fs) {
    if (format == "json" || format == "ndjson") {
      RenderNdjson(in, fs, ropts, out);
    } else if (format == "github") {
      github(in, fs);
    } else {
      RenderText(in, fs, ropts, out);
    }
  };
  EngineOptions eopts;
  eopts.select = rules;
  eopts.src_dir = src;

  bool any_at_threshold = false;
  bool any_output = false;
  bool alerts_pending = false;  // --alertmanager: some alerts only spooled
  auto alert = [&](const ParsedInput& in, const std::vector<Finding>& fs) {
    if (!alertmanager.url.empty() &&
        DeliverAlerts(in, fs, alertmanager, err) != DeliveryResult::kSent)
      alerts_pending = true;
  };
  auto count = [&](const std::vector<Finding>& fs) {
    for (const Finding& f : fs) {
      if (!never_fail && f.severity >= threshold) any_at_threshold = true;
    }
  };

  ParseOptions popts;
  popts.limits = limits;
  popts.module = module;
  if (follow) {
    // Each incident is analysed and printed as soon as it is complete, then
    // dropped: memory stays bounded however long the stream runs.
    popts.idle_flush_ms = 1000;
    popts.on_incident = [&](Incident&& inc, ParsedInput& in) {
      any_output = true;
      in.incidents.push_back(std::move(inc));
      std::vector<Finding> fs = Analyze(in, eopts);
      count(fs);
      stream(in, fs);
      out.flush();
      alert(in, fs);
      in.incidents.clear();
    };
  }

  Parser parser(popts);
  bool unreadable = false;
  for (const std::string& path : inputs) {
    std::string e;
    if (!parser.AddFile(path, &e)) {
      err << "gotriage: " << EscapeForTerminal(e) << "\n";
      unreadable = true;
    }
  }
  std::unique_ptr<ParsedInput> in = parser.Finish();
  struct KeepAtExit {
    std::unique_ptr<ParsedInput>* in;
    bool keep;
    ~KeepAtExit() {
      static auto* kept = new std::vector<std::unique_ptr<ParsedInput>>();  // never freed
      if (keep) kept->push_back(std::move(*in));
    }
  } keep_at_exit{&in, skip_teardown};
  if (!in->pods.empty()) any_output = true;
  // Nothing could be read at all: the error above is the whole answer (an
  // empty report would read as "no problem found").
  if (unreadable && in->sources.empty()) return kExitUnreadable;

  if (!follow) {
    std::vector<Finding> findings = Analyze(*in, eopts);
    count(findings);
    any_output = !in->incidents.empty() || !in->pods.empty();
    OutputFormat of = format == "json"     ? OutputFormat::kJson
                      : format == "ndjson" ? OutputFormat::kNdjson
                      : format == "sarif"  ? OutputFormat::kSarif
                      : format == "github" ? OutputFormat::kGithub
                                           : OutputFormat::kText;
    switch (of) {
      case OutputFormat::kJson:
        RenderJson(*in, findings, ropts, out);
        break;
      case OutputFormat::kNdjson:
        RenderNdjson(*in, findings, ropts, out);
        break;
      case OutputFormat::kSarif:
        RenderSarif(*in, findings, ropts, out);
        break;
      case OutputFormat::kGithub:
        github(*in, findings);
        break;
      case OutputFormat::kText:
      default:
        RenderText(*in, findings, ropts, out);
        break;
    }
    out.flush();
    alert(*in, findings);
  } else if (!in->pods.empty()) {
    std::vector<Finding> fs = Analyze(*in, eopts);
    count(fs);
    stream(*in, fs);
    out.flush();
    alert(*in, fs);
  }
  out.flush();

  if (unreadable) return kExitUnreadable;
  if (alerts_pending) return kExitSpooled;
  if (require_trace && !any_output) {
    err << "gotriage: no Go traceback, goroutine dump, race report or pod description in the input\n";
    return kExitNoTrace;
  }
  return any_at_threshold ? kExitFindings : kExitOk;
}

}  // namespace gotriage
