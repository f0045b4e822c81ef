// `--format github`: GitHub Actions workflow annotations on standard output
// and a Markdown job summary (`--summary-file`, or `$GITHUB_STEP_SUMMARY`).
//
// Annotation syntax and escaping follow the documented workflow commands
// (`::error file=F,line=L,title=T::MESSAGE`; actions/toolkit command.ts
// escapeData/escapeProperty). Every text that came from the input is
// escaped, so a panic message cannot inject a workflow command.
#include <algorithm>
#include <fstream>

#include "base/strings.h"
#include "cli/escape.h"
#include "cli/render_ci.h"
#include "cli/source_map.h"

namespace gotriage {

namespace {

const char* AnnotationLevel(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    case Severity::kLow:
    case Severity::kInfo: return "notice";
  }
  return "notice";
}

// Text for Markdown: HTML and the inline Markdown punctuation escaped, one
// line (newlines become spaces) unless \a keep_newlines.
std::string Md(std::string_view s, bool keep_newlines = false) {
  std::string v = ValidUtf8(s);
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~': case '#':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\r': break;
      case '\n': out += keep_newlines ? "  \n" : " "; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        out.push_back(c);
    }
  }
  return out;
}

// A fenced code block that the content cannot close.
std::string Fence(std::string_view code, std::string_view lang) {
  size_t run = 0, longest = 0;
  for (char c : code) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + std::string(lang) + "\n" + ValidUtf8(code) + "\n" + fence + "\n";
}

std::string Where(const SourceMapper& map, const CodeRef& c, std::string* path, int* line) {
  *path = c.kind == "app" ? map.RepoPath(c.function, c.file, c.module) : "";
  *line = c.line;
  std::string file = !path->empty() ? *path : c.file;
  if (file.empty()) return c.function;
  return c.function + " (" + file + (c.line > 0 ? ":" + std::to_string(c.line) : "") + ")";
}

}  // namespace

namespace {

// The workflow-command escaping; properties also escape ':' and ','.
std::string GithubEscape(std::string_view s, bool property) {
  // Control characters, C1, bidi overrides and invalid UTF-8 first become
  // visible `\xNN` text: the Actions log viewer interprets ANSI escapes.
  std::string safe = EscapeForTerminal(s, /*keep_newlines=*/true, /*keep_tabs=*/true);
  std::string out;
  for (char c : safe) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string GithubEscapeData(std::string_view s) { return GithubEscape(s, false); }

std::string GithubEscapeProperty(std::string_view s) { return GithubEscape(s, true); }

void RenderGithub(const ParsedInput& in, const std::vector<Finding>& findings,
                  const RenderOptions& opts, std::ostream& os) {
  SourceMapper map(opts.src_dir);
  // One annotation per line of code: findings that point at the same file
  // and line (a hung test and the lock that hangs it) share one, with every
  // rule in its title and each finding's message in turn; a line annotated
  // twice reads as two problems.
  struct Annotation {
    Severity severity = Severity::kInfo;
    std::string path;
    int line = 0;
    std::vector<std::string> ids, titles, messages, tests;
  };
  std::vector<Annotation> notes;
  for (const Finding& f : findings) {
    std::string path;
    int line = 0;
    std::string where;
    const CodeRef* ref = f.culprit ? &*f.culprit : f.app_frame ? &*f.app_frame : nullptr;
    if (ref) where = Where(map, *ref, &path, &line);
    // Frames outside the repository: try the first application frame.
    if (path.empty() && f.app_frame && ref != &*f.app_frame) {
      std::string p2;
      int l2;
      Where(map, *f.app_frame, &p2, &l2);
      if (!p2.empty()) {
        path = p2;
        line = l2;
      }
    }
    std::string msg = f.summary.empty() ? f.title : f.summary;
    if (!where.empty()) msg += "\nCulprit: " + where;
    if (!f.test.empty())
      msg += "\nTest: " + f.test + (f.test_package.empty() ? "" : " (" + f.test_package + ")");
    if (f.occurrences > 1) msg += "\nSeen " + std::to_string(f.occurrences) + " times";
    if (std::string pods = FindingPodsText(f); !pods.empty()) msg += "\nWhere: " + pods;
    if (!f.remediation.steps.empty()) msg += "\nFix: " + f.remediation.steps.front();
    msg += "\n(" + std::string(SeverityName(f.severity)) + "; gotriage --explain " + f.rule_id + ")";
    Annotation* a = nullptr;
    if (!path.empty()) {
      for (Annotation& n : notes)
        if (n.path == path && n.line == line) a = &n;
    }
    if (!a) {
      notes.emplace_back();
      a = &notes.back();
      a->path = path;
      a->line = line;
      a->severity = f.severity;
    }
    a->severity = std::max(a->severity, f.severity);
    a->ids.push_back(f.rule_id);
    a->titles.push_back(ValidUtf8(f.title));
    a->tests.push_back(ValidUtf8(f.test));
    a->messages.push_back(std::move(msg));
  }
  for (const Annotation& a : notes) {
    std::string props;
    if (!a.path.empty()) {
      props += "file=" + GithubEscapeProperty(a.path);
      if (a.line > 0) props += ",line=" + std::to_string(a.line);
      props += ",";
    }
    std::string ids, titles, msg;
    for (size_t i = 0; i < a.ids.size(); ++i) {
      ids += (i ? ", " : "") + a.ids[i];
      titles += (i ? "; " : "") + a.titles[i];
      msg += (i ? "\n\n" : "") + (a.ids.size() > 1 ? a.ids[i] + ": " : std::string()) + a.messages[i];
    }
    // The test, once when the findings share it.
    if (!a.tests.front().empty() && std::count(a.tests.begin(), a.tests.end(), a.tests.front()) ==
                                        static_cast<std::ptrdiff_t>(a.tests.size()))
      titles += " in " + a.tests.front();
    props += "title=" + GithubEscapeProperty("gotriage " + ids + ": " + titles);
    os << "::" << AnnotationLevel(a.severity) << " " << props << "::" << GithubEscapeData(ValidUtf8(msg))
       << "\n";
  }
  if (findings.empty()) {
    const uint64_t read = in.IncidentsRead();
    os << "gotriage: no problem found (" << read << " incident" << (read == 1 ? "" : "s") << " read)\n";
  }
}

std::string GithubSummaryMarkdown(const ParsedInput& in, const std::vector<Finding>& findings,
                                  const RenderOptions& opts) {
  SourceMapper map(opts.src_dir);
  std::string md;
  if (findings.empty()) {
    md += "### gotriage: no problem found\n\n";
    md += std::to_string(in.IncidentsRead()) + " Go incident(s) read from " +
          std::to_string(in.sources.size()) + " input(s).\n";
    return md;
  }
  Severity highest = Severity::kInfo;
  for (const Finding& f : findings) highest = std::max(highest, f.severity);
  md += "### gotriage: " + std::to_string(findings.size()) + " finding" +
        (findings.size() == 1 ? "" : "s") + " (highest severity: " + SeverityName(highest) + ")\n\n";
  md += "| Severity | Rule | Finding | Where |\n|---|---|---|---|\n";
  for (const Finding& f : findings) {
    std::string where;
    if (const CodeRef* c = f.culprit ? &*f.culprit : f.app_frame ? &*f.app_frame : nullptr) {
      std::string path;
      int line;
      Where(map, *c, &path, &line);
      where = Md(c->function);
      if (!path.empty()) where += " in " + Md(path + (line > 0 ? ":" + std::to_string(line) : ""));
    }
    md += "| " + std::string(SeverityName(f.severity)) + " | " + Md(f.rule_id) + " | " + Md(f.title) +
          (f.occurrences > 1 ? " (x" + std::to_string(f.occurrences) + ")" : "") + " | " + where + " |\n";
  }
  for (const Finding& f : findings) {
    md += "\n<details><summary><b>" + Md(f.rule_id) + "</b> " + Md(f.title) + "</summary>\n\n";
    if (!f.summary.empty()) md += Md(f.summary, true) + "\n\n";
    if (std::string pods = FindingPodsText(f); !pods.empty()) md += "Where: " + Md(pods) + "\n\n";
    if (f.culprit) {
      std::string path;
      int line;
      md += "**Culprit:** " + Md(Where(map, *f.culprit, &path, &line)) + "\n\n";
    }
    if (!f.evidence.details.empty()) {
      md += "**Evidence**\n\n";
      for (const std::string& d : f.evidence.details) md += "- " + Md(d) + "\n";
      md += "\n";
    }
    if (!f.remediation.steps.empty()) {
      md += "**How to fix it**\n\n";
      for (size_t i = 0; i < f.remediation.steps.size(); ++i)
        md += std::to_string(i + 1) + ". " + Md(f.remediation.steps[i]) + "\n";
      md += "\n";
    }
    if (!f.remediation.example_before.empty()) md += "Before:\n\n" + Fence(f.remediation.example_before, "go") + "\n";
    if (!f.remediation.example_after.empty()) md += "After:\n\n" + Fence(f.remediation.example_after, "go") + "\n";
    md += "Source: " + Md(f.source.empty() ? std::string("-") : f.source) + "; `gotriage --explain " + f.rule_id +
          "`\n\n</details>\n";
  }
  return md;
}

bool AppendGithubSummary(const std::string& path, const std::string& markdown, std::string* err) {
  std::ofstream f(path, std::ios::app | std::ios::binary);
  if (f) f << markdown << '\n';
  if (!f) {
    if (err) *err = path + ": cannot write the job summary";
    return false;
  }
  return true;
}

void RenderGithubReport(const ParsedInput& in, const std::vector<Finding>& findings,
                        const RenderOptions& opts, std::ostream& os) {
  RenderGithub(in, findings, opts, os);
  std::string e;
  if (!opts.summary_file.empty() &&
      !AppendGithubSummary(opts.summary_file, GithubSummaryMarkdown(in, findings, opts), &e) && opts.messages)
    *opts.messages << "gotriage: " << EscapeForTerminal(e) << "\n";
}

}  // namespace gotriage
