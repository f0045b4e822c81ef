// The command line; see app.h.
#include "cli/app.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/alertmanager.h"
#include "cli/command_docs.h"
#include "cli/diff.h"
#include "cli/escape.h"
#include "cli/redact.h"
#include "cli/render.h"
#include "cli/render_ci.h"
#include "cli/version.h"
#include "parsers/parse.h"
#include "rules/engine.h"
#include "rules/stream.h"

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
    "  gotriage --explain GT1001";

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

bool ColorWanted(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* nc = std::getenv("NO_COLOR");
  if (nc && *nc) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

// Columns for --explain: the terminal's width, 80 when not a terminal.
size_t OutputWidth() {
  struct winsize ws;
  if (isatty(STDOUT_FILENO) == 1 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
    return ws.ws_col;
  return 80;
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

int RunMain(int argc, char** argv, std::ostream& real_out, std::ostream& err, bool skip_teardown) {
  if (argc > 1 && std::string_view(argv[1]) == "diff") return RunDiffMain(argc - 1, argv + 1, real_out, err);
  // --redact: the whole output is written here first, then redacted.
  bool redact = false;
  for (int i = 1; i < argc; ++i) redact = redact || std::string_view(argv[i]) == "--redact";
  std::ostringstream redact_buf;
  std::vector<std::string> redact_names;
  struct RedactAtExit {
    bool on;
    std::ostringstream* buf;
    std::vector<std::string>* names;
    std::ostream* out;
    ~RedactAtExit() {
      if (on) *out << RedactText(buf->str(), *names) << std::flush;
    }
  } redact_at_exit{redact, &redact_buf, &redact_names, &real_out};
  std::ostream& out = redact ? static_cast<std::ostream&>(redact_buf) : real_out;
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
  const std::vector<std::string> kFormats = {"text", "json", "ndjson", "sarif", "github", "html"};
  const std::vector<std::string> kColors = {"auto", "always", "never"};
  std::vector<std::string> severities;
  for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                     Severity::kInfo}) {
    severities.push_back(SeverityName(s));
  }
  severities.push_back("never");
  std::vector<std::string> label_args;
  std::string group_by;

  std::string top_s = "10";
  std::string max_line_s = std::to_string(limits.max_line_bytes);
  std::string max_groups_s = std::to_string(limits.max_groups);
  std::string max_frames_s = std::to_string(limits.max_frames);

  app.add_option("inputs", inputs, "Files to read; '-' is standard input (default)");
  std::string summary_file;
  values(app.add_option("-f,--format", format,
                        "Output format: text, json, ndjson (one finding per line), sarif (SARIF "
                        "2.1.0), github (Actions annotations and job summary), html (one self-contained page)")
             ->check(CLI::IsMember(kFormats))
             ->capture_default_str(),
         K::kWords, "FORMAT", kFormats);
  std::string output;
  values(app.add_option("-o,--output", output, "Write the report to this file instead of standard output"),
         K::kFile, "FILE");
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
                        "Select rules by ID, category or glob, '-' to exclude: 'GT1*,-GT2005', "
                        "'goroutine_leak' (any case; matching no rule is an error)"),
         K::kRuleList, "IDS");
  values(app.add_option("--explain", explain,
                        "Print the documentation of a rule (ID or category, any case) and exit"),
         K::kRuleId, "ID");
  app.add_flag("--list-rules", list_rules, "List every rule and exit (--format json: as JSON)");
  values(app.add_option("--module", module, "Main module path (default: detected from the stacks)"),
         K::kNone, "PATH");
  values(app.add_option("--src", src,
                        "Application source root (a directory): culprit lines are quoted from it and "
                        "CI paths made relative to it"),
         K::kDir, "DIR");
  app.add_flag("--require-trace", require_trace, "Exit 4 when the input holds no Go output");
  values(app.add_option("--summary-file", summary_file,
                        "With --format github: append a Markdown summary to this file (default: "
                        "$GITHUB_STEP_SUMMARY when set)"),
         K::kFile, "FILE");
  app.add_flag("--follow", follow,
               "Read an endless stream and report each incident as soon as it is complete");
  std::string baseline;
  app.add_flag("--redact", redact,
               "Replace IPs, hostnames, e-mails, tokens, argument values, long hex/base64 runs and "
               "pod/namespace/node names by stable placeholders in the output");
  values(app.add_option("--baseline", baseline,
                        "Compare the input dump with this earlier dump (CI: start vs end of a test run); "
                        "goroutine groups that grew are findings"),
         K::kFile, "FILE");
  app.add_flag("-v,--verbose", verbose, "Show every goroutine group with its stack");
  values(app.add_option("--top", top_s, "Goroutine groups shown per incident in text output (>= 1)")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--label", label_args,
                        "Keep only goroutines carrying this runtime/pprof label (KEY=VALUE, repeatable: "
                        "all must match); the report says how many were filtered out")
             ->allow_extra_args(false),
         K::kNone, "KEY=VALUE");
  values(app.add_option("--group-by", group_by,
                        "Text output: show goroutine groups and findings per value of a label (label:KEY)"),
         K::kNone, "label:KEY");
  values(app.add_option("--max-line-bytes", max_line_s, "Longer lines are cut (>= 256)")
             ->capture_default_str(),
         K::kNone, "BYTES");
  values(app.add_option("--max-groups", max_groups_s, "Distinct stacks kept per incident (>= 1)")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--max-frames", max_frames_s, "Frames kept per goroutine (>= 1)")
             ->capture_default_str(),
         K::kNone, "N");
  values(app.add_option("--alertmanager", alertmanager.url,
                        "Also send the findings as alerts to this Alertmanager (http://HOST:PORT)"),
         K::kNone, "URL");
  values(app.add_option("--spool", alertmanager.spool,
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
    if (format == "json") {
      nlohmann::json rs = nlohmann::json::array();
      for (const auto& r : Catalog()) {
        const RuleDoc& d = r->doc();
        rs.push_back({{"id", d.id}, {"severity", SeverityName(d.severity)}, {"category", d.category},
                      {"title", d.title}, {"since", d.since}});
      }
      out << DumpJson(nlohmann::json{{"schema_version", kJsonSchemaVersion}, {"rules", rs}}, 2) << "\n";
      return kExitOk;
    }
    if (format != "text") {
      err << "gotriage: --list-rules prints text or json, not " << format << "\n";
      return kExitUsage;
    }
    size_t w_sev = 8, w_cat = 8;
    for (const auto& r : Catalog()) {
      w_sev = std::max(w_sev, std::string_view(SeverityName(r->doc().severity)).size());
      w_cat = std::max(w_cat, r->doc().category.size());
    }
    auto pad = [](std::string_view s, size_t w) { return std::string(s) + std::string(w - s.size() + 2, ' '); };
    out << pad("ID", 6) << pad("SEVERITY", w_sev) << pad("CATEGORY", w_cat) << "TITLE\n";
    for (const auto& r : Catalog()) {
      const RuleDoc& d = r->doc();
      out << pad(d.id, 6) << pad(SeverityName(d.severity), w_sev) << pad(d.category, w_cat) << d.title << "\n";
    }
    return kExitOk;
  }
  if (!explain.empty()) {
    std::vector<const Rule*> rs = FindRules(explain);
    if (rs.empty()) {
      err << "gotriage: no rule or category '" << EscapeForTerminal(explain)
          << "'; 'gotriage --list-rules' lists them\n";
      return kExitUsage;
    }
    size_t width = OutputWidth();
    for (size_t i = 0; i < rs.size(); ++i) out << (i ? "\n" : "") << ExplainRule(*rs[i], width);
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
  size_t top = 0;
  if (!ParseCount("--top", top_s, 1, &top, err) ||
      !ParseCount("--max-line-bytes", max_line_s, 256, &limits.max_line_bytes, err) ||
      !ParseCount("--max-groups", max_groups_s, 1, &limits.max_groups, err) ||
      !ParseCount("--max-frames", max_frames_s, 1, &limits.max_frames, err))
    return kExitUsage;
  if (app.count("--module") && !ValidModulePath(module)) {
    err << "gotriage: --module: '" << EscapeForTerminal(module)
        << "' is not a Go module path (example.com/service)\n";
    return kExitUsage;
  }
  if (app.count("--src")) {
    std::error_code ec;
    if (src.empty() || !std::filesystem::is_directory(src, ec)) {
      err << "gotriage: --src: '" << EscapeForTerminal(src) << "' is not a directory\n";
      return kExitUsage;
    }
  }
  if (!summary_file.empty() && format != "github") {
    err << "gotriage: --summary-file is for --format github\n";
    return kExitUsage;
  }
  if (app.count("--spool") && alertmanager.url.empty()) {
    err << "gotriage: --spool is where --alertmanager keeps unsent alerts; give --alertmanager URL too\n";
    return kExitUsage;
  }
  if (follow && format == "html") {
    err << "gotriage: --follow writes one record per incident; --format html is one page\n";
    return kExitUsage;
  }
  if (follow && redact) {
    err << "gotriage: --redact rewrites the whole report; it cannot be combined with --follow\n";
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
  std::vector<Label> wanted;
  for (const std::string& a : label_args) {
    size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "gotriage: --label: expected KEY=VALUE (e.g. --label tenant=t1), got '"
          << EscapeForTerminal(a) << "'\n";
      return kExitUsage;
    }
    wanted.push_back({a.substr(0, eq), a.substr(eq + 1)});
  }
  std::string group_key;
  if (!group_by.empty()) {
    if (group_by.rfind("label:", 0) != 0 || group_by.size() == 6) {
      err << "gotriage: --group-by: expected label:KEY (e.g. --group-by label:tenant), got '"
          << EscapeForTerminal(group_by) << "'\n";
      return kExitUsage;
    }
    if (format != "text") {
      err << "gotriage: --group-by applies to --format text only\n";
      return kExitUsage;
    }
    group_key = group_by.substr(6);
  }
  if (inputs.empty()) inputs.push_back("-");
  if (std::count(inputs.begin(), inputs.end(), "-") > 1) {
    err << "gotriage: standard input ('-') given more than once\n";
    return kExitUsage;
  }
  if (std::count(inputs.begin(), inputs.end(), "-") && isatty(STDIN_FILENO) == 1)
    err << "gotriage: reading standard input (the terminal); pipe or paste a trace, end with Ctrl-D. "
           "'gotriage --help' for usage.\n";

  // -o FILE: the report goes to the file; messages stay on stderr.
  std::ofstream output_file;
  struct RestoreBuf {
    std::ostream& os;
    std::streambuf* saved = nullptr;
    ~RestoreBuf() {
      if (saved) os.rdbuf(saved);
    }
  } restore_out{out};
  if (!output.empty()) {
    output_file.open(output, std::ios::binary | std::ios::trunc);
    if (!output_file) {
      err << "gotriage: cannot write " << EscapeForTerminal(output) << "\n";
      return kExitUsage;
    }
    restore_out.saved = out.rdbuf(output_file.rdbuf());
  }

  RenderOptions ropts;
  ropts.color = format == "text" && ColorWanted(color);
  ropts.top_groups = top;
  ropts.verbose = verbose;
  ropts.src_dir = src;
  ropts.fail_on = threshold;
  ropts.group_by_label = group_key;
  if (!baseline.empty()) return RunBaseline(baseline, inputs, format, ropts, never_fail, out, err);
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
  auto render_unit = [&](const ParsedInput& in, const std::vector<Finding>& fs) {
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
  StreamAnalyzer stream(eopts, wanted, [&](const ParsedInput& in, const std::vector<Finding>& fs) {
    count(fs);
    render_unit(in, fs);
    out.flush();
    alert(in, fs);
  });
  if (follow) {
    // Each incident and pod description is analysed and printed as soon as
    // it is complete; incidents are then dropped: memory stays bounded
    // however long the stream runs.
    popts.idle_flush_ms = 1000;
    popts.on_incident = [&](ParsedInput& in) {
      any_output = true;
      stream.OnIncident(in);
    };
    popts.on_pod = [&](ParsedInput& in) { stream.OnPod(in); };
  }

  Parser parser(popts);
  bool unreadable = false;
  for (const std::string& path : inputs) {
    std::string e;
    struct stat st;
    if (path != "-" && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      // Said once, before anything is read: no empty report for it.
      err << "gotriage: " << EscapeForTerminal(path)
          << ": is a directory; give the files in it (e.g. " << EscapeForTerminal(path) << "/*.txt)\n";
      unreadable = true;
      continue;
    }
    bool ok = path == "-" ? parser.AddFd(STDIN_FILENO, kStdinName, &e) : parser.AddFile(path, &e);
    if (!ok) {
      err << "gotriage: " << EscapeForTerminal(e) << "\n";
      unreadable = true;
    }
  }
  std::unique_ptr<ParsedInput> in = parser.Finish();
  if (redact) redact_names = RedactNames(*in);
  struct KeepAtExit {
    std::unique_ptr<ParsedInput>* in;
    bool keep;
    ~KeepAtExit() {
      static auto* kept = new std::vector<std::unique_ptr<ParsedInput>>();  // never freed
      if (keep) kept->push_back(std::move(*in));
    }
  } keep_at_exit{&in, skip_teardown};
  if (!in->pods.empty()) any_output = true;
  // Binary data is not what gotriage reads: said on stderr, and the input
  // counts as unreadable, unless Go output was found in it after all.
  for (const std::string& b : in->binary_sources) {
    bool found = std::any_of(in->incidents.begin(), in->incidents.end(),
                             [&](const Incident& i) { return i.source == b; }) ||
                 std::any_of(in->pods.begin(), in->pods.end(), [&](const PodStatus& p) { return p.source == b; });
    if (found) continue;
    err << "gotriage: " << EscapeForTerminal(b)
        << ": not text (binary data); gotriage reads the text Go prints: a pprof goroutine profile "
           "needs ?debug=1 or ?debug=2, a core dump needs 'dlv core'\n";
    unreadable = true;
  }
  // Nothing could be read at all: the error above is the whole answer (an
  // empty report would read as "no problem found").
  if (unreadable && in->incidents.empty() && in->pods.empty() &&
      in->sources.size() == in->binary_sources.size())
    return kExitUnreadable;

  if (!follow) {
    if (!wanted.empty()) ApplyLabelFilter(in.get(), wanted);
    std::vector<Finding> findings = Analyze(*in, eopts);
    count(findings);
    any_output = !in->incidents.empty() || !in->pods.empty();
    OutputFormat of = format == "json"     ? OutputFormat::kJson
                      : format == "ndjson" ? OutputFormat::kNdjson
                      : format == "sarif"  ? OutputFormat::kSarif
                      : format == "github" ? OutputFormat::kGithub
                      : format == "html"   ? OutputFormat::kHtml
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
      case OutputFormat::kHtml:
        RenderHtml(*in, findings, ropts, out);
        break;
      case OutputFormat::kText:
      default:
        RenderText(*in, findings, ropts, out);
        break;
    }
    out.flush();
    alert(*in, findings);
  } else {
    stream.Finish(*in);
  }
  out.flush();

  // Precedence (--help, README): a finding is never masked by a read error.
  if (any_at_threshold) return kExitFindings;
  if (unreadable) return kExitUnreadable;
  if (require_trace && !any_output) {
    err << "gotriage: no Go traceback, goroutine dump, race report or pod description in the input\n";
    return kExitNoTrace;
  }
  if (alerts_pending) return kExitSpooled;
  return kExitOk;
}

}  // namespace gotriage
