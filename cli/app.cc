// The command line; see app.h. The options are defined and checked in
// options.cc and the output formats are rows of formats.cc: this file runs
// what they say -- read the inputs, analyse, render, alert, exit.
#include "cli/app.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/alertmanager.h"
#include "cli/diff.h"
#include "cli/escape.h"
#include "cli/options.h"
#include "cli/redact.h"
#include "cli/render.h"
#include "cli/watch.h"
#include "parsers/parse.h"
#include "rules/engine.h"
#include "rules/stream.h"

namespace gotriage {

namespace {

// The inputs with every directory replaced by the regular files under it,
// recursively, in path order (a folder of collected dumps, a node's
// /var/log/pods tree: the kubelet path names each file's pod). Hidden
// entries (`.git`, editor files) are left out and counted on stderr; a
// directory with no file in it, or one that cannot be listed, is an
// unreadable input, said once.
std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs, bool* unreadable,
                                      std::ostream& err) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& path : inputs) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      out.push_back(path);
      continue;
    }
    std::vector<std::string> files;
    size_t hidden = 0;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      if (p.filename().string().rfind('.', 0) == 0) {
        ++hidden;
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) files.push_back(p.string());
    }
    if (ec) {
      err << "gotriage: " << EscapeForTerminal(path) << ": cannot list the directory: "
          << EscapeForTerminal(ec.message()) << "\n";
      *unreadable = true;
    }
    std::sort(files.begin(), files.end());
    if (hidden)
      err << "gotriage: " << EscapeForTerminal(path) << ": " << hidden << " hidden "
          << (hidden == 1 ? "entry" : "entries") << " (name starting with '.') not read\n";
    if (files.empty() && !ec) {
      err << "gotriage: " << EscapeForTerminal(path) << ": a directory with no file in it\n";
      *unreadable = true;
    }
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
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

}  // namespace

int RunMain(int argc, char** argv, std::ostream& real_out, std::ostream& err, bool skip_teardown) {
  if (argc > 1 && std::string_view(argv[1]) == "diff") return RunDiffMain(argc - 1, argv + 1, real_out, err);
  if (argc > 1 && std::string_view(argv[1]) == "watch") return RunWatchMain(argc - 1, argv + 1, real_out, err);
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

  Options opts;
  if (int rc = kExitOk; !ParseCommandLine(argc, argv, &opts, &rc, out, err)) return rc;
  const OutputFormat& format = *opts.format;
  if (opts.list_rules) {
    if (!format.rule_list) {
      err << "gotriage: --list-rules prints " << OutputFormatNames(&OutputFormat::rule_list) << ", not "
          << format.name << "\n";
      return kExitUsage;
    }
    format.rule_list(out);
    return kExitOk;
  }
  if (!opts.explain.empty()) {
    std::vector<const Rule*> rs = FindRules(opts.explain);
    if (rs.empty()) {
      err << "gotriage: no rule or category '" << EscapeForTerminal(opts.explain)
          << "'; 'gotriage --list-rules' lists them\n";
      return kExitUsage;
    }
    size_t width = OutputWidth();
    for (size_t i = 0; i < rs.size(); ++i) out << (i ? "\n" : "") << ExplainRule(*rs[i], width);
    return kExitOk;
  }
  if (!CheckOptions(&opts, err)) return kExitUsage;
  const std::vector<std::string>& inputs = opts.inputs;
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
  if (!opts.output.empty()) {
    output_file.open(opts.output, std::ios::binary | std::ios::trunc);
    if (!output_file) {
      err << "gotriage: cannot write " << EscapeForTerminal(opts.output) << "\n";
      return kExitUsage;
    }
    restore_out.saved = out.rdbuf(output_file.rdbuf());
  }

  RenderOptions ropts;
  ropts.color = format.color && ColorWanted(opts.color);
  ropts.top_groups = opts.top;
  ropts.verbose = opts.verbose;
  ropts.src_dir = opts.src;
  ropts.fail_on = opts.fail_on;
  ropts.group_by_label = opts.group_by_label;
  ropts.messages = &err;
  const bool never_fail = opts.never_fail;
  if (!opts.baseline.empty()) return RunBaseline(opts.baseline, inputs, format, ropts, never_fail, out, err);
  if (format.job_summary) {
    const char* step_summary = std::getenv("GITHUB_STEP_SUMMARY");
    ropts.summary_file = !opts.summary_file.empty() ? opts.summary_file : step_summary ? step_summary : "";
  }
  EngineOptions eopts;
  eopts.select = opts.rules;
  eopts.src_dir = opts.src;

  bool any_at_threshold = false;
  bool any_output = false;
  bool alerts_pending = false;  // --alertmanager: some alerts only spooled
  // Every report goes through here: batch (once) or --follow (per unit).
  auto report = [&](ReportRenderer render, const ParsedInput& in, const std::vector<Finding>& fs) {
    for (const Finding& f : fs) {
      if (!never_fail && f.severity >= opts.fail_on) any_at_threshold = true;
    }
    render(in, fs, ropts, out);
    out.flush();
    if (!opts.alertmanager.url.empty() &&
        DeliverAlerts(in, fs, opts.alertmanager, err) != DeliveryResult::kSent)
      alerts_pending = true;
  };

  ParseOptions popts;
  popts.limits = opts.limits;
  popts.module = opts.module;
  StreamAnalyzer stream(eopts, opts.labels, [&](const ParsedInput& in, const std::vector<Finding>& fs) {
    report(format.follow, in, fs);
  });
  if (opts.follow) {
    // Each incident and pod description is analysed and printed as soon as
    // it is complete; incidents are then dropped: memory stays bounded
    // however long the stream runs.
    // A dump is reported at the first foreign line after it (the traceback
    // parser, streaming), or after this much silence: an alert leaves
    // within 100 ms of the dump's last line.
    popts.idle_flush_ms = 100;
    popts.on_incident = [&](ParsedInput& in) {
      any_output = true;
      stream.OnIncident(in);
    };
    popts.on_pod = [&](ParsedInput& in) { stream.OnPod(in); };
  }

  Parser parser(popts);
  bool unreadable = false;
  const std::vector<std::string> paths = ExpandInputs(inputs, &unreadable, err);
  if (std::find(paths.begin(), paths.end(), "-") == paths.end()) {
    // Many files (a directory of pod logs, a fleet) are read in parallel.
    std::vector<std::string> errs;
    if (!parser.AddFiles(paths, std::min(8u, std::max(1u, std::thread::hardware_concurrency())), &errs))
      unreadable = true;
    for (const std::string& e : errs) err << "gotriage: " << EscapeForTerminal(e) << "\n";
  } else {
    for (const std::string& path : paths) {
      std::string e;
      bool ok = path == "-" ? parser.AddFd(STDIN_FILENO, kStdinName, &e) : parser.AddFile(path, &e);
      if (!ok) {
        err << "gotriage: " << EscapeForTerminal(e) << "\n";
        unreadable = true;
      }
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
                             [&](const Incident& i) {
                               return i.source == b || std::any_of(i.twins.begin(), i.twins.end(),
                                                                   [&](const Occurrence& o) { return o.source == b; });
                             }) ||
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

  if (!opts.follow) {
    if (!opts.labels.empty()) ApplyLabelFilter(in.get(), opts.labels);
    // Label values are redacted on the model (after --label filtered on
    // the real values), the rest of --redact on the printed text.
    if (redact) RedactLabels(in.get());
    any_output = !in->incidents.empty() || !in->pods.empty();
    report(format.report, *in, Analyze(*in, eopts));
  } else {
    stream.Finish(*in);
  }
  out.flush();

  // Precedence (--help, README): a finding is never masked by a read error.
  if (any_at_threshold) return kExitFindings;
  if (unreadable) return kExitUnreadable;
  if (opts.require_trace && !any_output) {
    err << "gotriage: no Go traceback, goroutine dump, race report or pod description in the input\n";
    return kExitNoTrace;
  }
  if (alerts_pending) return kExitSpooled;
  return kExitOk;
}

}  // namespace gotriage
