// The human report (`--format text`, the default): findings first, most
// important first, then each incident with the crashing goroutine's stack
// (application frames marked) and the largest goroutine groups.
#include <algorithm>
#include <sstream>

#include "cli/escape.h"
#include "cli/render.h"

namespace gotriage {

namespace {

struct Style {
  bool on;
  const char* operator()(const char* code) const { return on ? code : ""; }
};
constexpr const char* kReset = "\033[0m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kGreen = "\033[32m";
constexpr const char* kCyan = "\033[36m";
constexpr const char* kMagenta = "\033[35m";

std::string E(std::string_view s) { return EscapeForTerminal(s); }

const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kCritical: return "\033[1;31m";
    case Severity::kHigh: return kRed;
    case Severity::kMedium: return kYellow;
    case Severity::kLow: return kCyan;
    case Severity::kInfo: break;
  }
  return kDim;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return s;
}

// Wraps a paragraph at \a width columns, each line prefixed by \a indent.
std::string Wrap(std::string_view text, size_t width, std::string_view indent) {
  std::string out, line;
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += std::string(indent) + line + "\n";
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  if (!line.empty()) out += std::string(indent) + line + "\n";
  return out;
}

std::string ShortFile(std::string_view file) {
  // Keep the last two path elements: enough to find the file, short enough
  // to read.
  size_t last = file.rfind('/');
  if (last == std::string_view::npos || last == 0) return std::string(file);
  size_t prev = file.rfind('/', last - 1);
  return std::string(prev == std::string_view::npos ? file : file.substr(prev + 1));
}

std::string CodeRefLine(const CodeRef& c) {
  std::string s = E(c.function);
  if (!c.file.empty()) s += "  " + E(ShortFile(c.file)) + (c.line > 0 ? ":" + std::to_string(c.line) : "");
  std::string kind = c.kind;
  if (!c.module.empty() && c.kind == "dependency") {
    kind += " " + E(c.module);
    if (!c.module_version.empty()) kind += " " + E(c.module_version);
  }
  if (!kind.empty()) s += "  (" + kind + ")";
  return s;
}

// \a samples: the finding's positions are sample numbers of a binary
// profile, not input lines.
void RenderFinding(const Finding& f, const Style& st, std::ostream& os, bool samples) {
  os << st(SeverityColor(f.severity)) << Upper(SeverityName(f.severity)) << st(kReset) << "  "
     << st(kBold) << f.rule_id << "  " << E(f.title) << st(kReset) << "  " << st(kDim) << "["
     << f.category << ", confidence " << static_cast<int>(f.confidence * 100 + 0.5) << "%]"
     << st(kReset);
  if (f.occurrences > 1) os << "  x" << f.occurrences;
  os << "\n";
  os << Wrap(E(f.summary), 96, "  ");
  if (f.culprit) os << "  " << st(kBold) << "culprit:   " << st(kReset) << CodeRefLine(*f.culprit) << "\n";
  if (f.app_frame)
    os << "  " << st(kBold) << "your code: " << st(kReset) << st(kGreen) << CodeRefLine(*f.app_frame)
       << st(kReset) << "\n";
  const Evidence& e = f.evidence;
  std::string ev;
  if (!e.goroutine_ids.empty()) {
    ev += "goroutine";
    ev += e.goroutine_ids.size() > 1 ? "s " : " ";
    for (size_t i = 0; i < e.goroutine_ids.size() && i < 8; ++i) {
      if (i) ev += ", ";
      ev += std::to_string(e.goroutine_ids[i]);
    }
    if (e.goroutine_ids.size() > 8) ev += ", ...";
  }
  if (e.goroutines_involved > 0 && e.goroutines_total > 0) {
    if (!ev.empty()) ev += "; ";
    ev += std::to_string(e.goroutines_involved) + " of " + std::to_string(e.goroutines_total) +
          " goroutines";
  }
  if (e.max_wait_minutes >= 0) {
    if (!ev.empty()) ev += "; ";
    ev += "waiting up to " + std::to_string(e.max_wait_minutes) + " min";
  }
  if (!e.input_lines.empty()) {
    if (!ev.empty()) ev += "; ";
    ev += samples ? "profile sample" : "input line";
    ev += e.input_lines.size() > 1 ? "s " : " ";
    for (size_t i = 0; i < e.input_lines.size() && i < 6; ++i) {
      if (i) ev += ", ";
      ev += std::to_string(e.input_lines[i]);
    }
    if (e.input_lines.size() > 6) ev += ", ...";
  }
  if (!f.source.empty() && f.source != "-") ev += " of " + E(f.source);
  if (!ev.empty()) os << "  " << st(kBold) << "evidence:  " << st(kReset) << ev << "\n";
  for (const std::string& d : e.details) os << "             - " << E(d) << "\n";
  if (!f.first_seen.empty())
    os << "  " << st(kBold) << "seen:      " << st(kReset) << E(f.first_seen)
       << (f.last_seen.empty() || f.last_seen == f.first_seen ? "" : " .. " + E(f.last_seen)) << "\n";
  if (!f.remediation.steps.empty()) {
    os << "  " << st(kBold) << "fix:" << st(kReset) << "\n";
    int n = 1;
    for (const std::string& s : f.remediation.steps) {
      std::string lead = "    " + std::to_string(n++) + ". ";
      std::string w = Wrap(E(s), 90, "       ");  // steps quote names from the input
      if (w.size() > 7) w = lead + w.substr(7);
      os << w;
    }
  }
  os << "  " << st(kDim) << "fingerprint " << f.fingerprint << "   gotriage --explain " << f.rule_id
     << st(kReset) << "\n\n";
}

void RenderFrames(const std::vector<Frame>& frames, size_t max, const Style& st, std::ostream& os) {
  size_t shown = 0;
  for (const Frame& f : frames) {
    if (shown == max) {
      os << "      " << st(kDim) << "... " << frames.size() - max << " more frames" << st(kReset) << "\n";
      break;
    }
    ++shown;
    bool app = f.kind == FrameKind::kApp;
    bool dep = f.kind == FrameKind::kDependency;
    os << "    " << (app ? st(kGreen) : dep ? st(kMagenta) : st(kDim)) << (app ? "> " : "  ")
       << E(f.function) << st(kReset);
    if (!f.file.empty()) os << "  " << st(kDim) << E(f.file) << ":" << f.line << st(kReset);
    if (app) os << "  " << st(kGreen) << "[app]" << st(kReset);
    if (dep) os << "  " << st(kMagenta) << "[dep]" << st(kReset);
    os << "\n";
  }
}

std::string GroupStateLine(const GoroutineGroup& g) {
  std::string s = E(g.state.empty() ? "unknown" : g.state);
  if (g.min_wait_minutes >= 0) {
    s += ", ";
    s += g.min_wait_minutes == g.max_wait_minutes
             ? std::to_string(g.max_wait_minutes)
             : std::to_string(g.min_wait_minutes) + "-" + std::to_string(g.max_wait_minutes);
    s += " min";
  }
  if (g.any_leaked) s += ", leaked";
  return s;
}

void RenderIncident(const Incident& inc, size_t index, const RenderOptions& opts, const Style& st,
                    std::ostream& os) {
  os << st(kBold) << "Incident " << index + 1 << ": " << st(kReset) << E(inc.Title()) << "  "
     << st(kDim) << "(" << E(inc.source) << (inc.sample_positions ? ": samples " : ":") << inc.first_line << "-"
     << inc.last_line;
  if (!inc.timestamp.empty()) os << ", " << E(inc.timestamp);
  os << ")" << st(kReset) << "\n";
  for (size_t i = 1; i < inc.panics.size(); ++i)
    os << "  then panic: " << E(inc.panics[i].message) << (inc.panics[i].recovered ? " [recovered]" : "")
       << "\n";
  if (inc.signal && !inc.signal->name.empty())
    os << "  signal " << E(inc.signal->name) << (inc.signal->has_addr ? " addr=0x" : "")
       << (inc.signal->has_addr ? [&] {
            char b[24];
            std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(inc.signal->addr));
            return std::string(b);
          }()
                                   : std::string())
       << "\n";
  for (const std::string& m : inc.runtime_messages) os << "  " << st(kDim) << E(m) << st(kReset) << "\n";
  if (inc.partial) os << "  " << st(kYellow) << "partial input: " << E(inc.partial_reason) << st(kReset) << "\n";
  if (inc.crashing) {
    const Goroutine& g = *inc.crashing;
    os << "  goroutine " << g.id << " [" << E(g.state) << "]"
       << (inc.kind == IncidentKind::kGoroutineDump ? "" : "  (crashing)") << ":\n";
    RenderFrames(g.frames, opts.max_frames, st, os);
  }
  if (inc.goroutine_count > 0) {
    size_t n = std::min(opts.top_groups, inc.groups.size());
    os << "  " << inc.goroutine_count << " goroutine" << (inc.goroutine_count == 1 ? "" : "s") << " in "
       << inc.groups.size() << " group" << (inc.groups.size() == 1 ? "" : "s");
    if (inc.declared_total && inc.declared_total != inc.goroutine_count)
      os << " (profile says " << inc.declared_total << ")";
    os << (n < inc.groups.size() ? ", largest " + std::to_string(n) + ":" : ":") << "\n";
    for (size_t i = 0; i < n; ++i) {
      const GoroutineGroup& g = inc.groups[i];
      os << "  " << st(kBold) << (g.count > 1 ? std::to_string(g.count) + " x " : "1 x ") << st(kReset)
         << "[" << GroupStateLine(g) << "]";
      if (!g.samples.empty()) {
        const auto& frames = g.samples.front().frames;
        int at = g.first_app_frame >= 0 ? g.first_app_frame : g.crash_site_frame;
        if (at >= 0 && static_cast<size_t>(at) < frames.size()) {
          const Frame& f = frames[at];
          os << "  " << E(f.function) << "  " << st(kDim) << E(ShortFile(f.file)) << ":" << f.line
             << st(kReset);
        }
        if (g.samples.front().created_by)
          os << st(kDim) << "  created by " << E(g.samples.front().created_by->function) << st(kReset);
      }
      os << "\n";
      if (opts.verbose && !g.samples.empty()) RenderFrames(g.samples.front().frames, opts.max_frames, st, os);
    }
  }
  os << "\n";
}

std::string Duration(int64_t secs) {
  std::string s;
  if (secs >= 86400) s += std::to_string(secs / 86400) + "d";
  if (secs >= 3600) s += std::to_string(secs % 86400 / 3600) + "h";
  if (secs >= 60) s += std::to_string(secs % 3600 / 60) + "m";
  if (secs < 3600) s += std::to_string(secs % 60) + "s";
  return s;
}

void RenderPod(const PodStatus& p, const Style& st, std::ostream& os) {
  std::string name = p.name.empty() ? "(name not in the input)" : p.name;
  os << st(kBold) << "Pod " << st(kReset) << E(p.namespace_.empty() ? name : p.namespace_ + "/" + name);
  if (!p.status.empty()) os << "  " << E(p.status);
  if (!p.node.empty()) os << st(kDim) << "  on " << E(p.node) << st(kReset);
  os << "  " << st(kDim) << "(" << E(p.source) << ":" << p.first_line << ")" << st(kReset) << "\n";
  for (const ContainerStatus& c : p.containers) {
    os << "  container " << E(c.name) << ": " << E(c.state);
    if (!c.state_reason.empty()) os << " (" << E(c.state_reason) << ")";
    if (c.restart_count >= 0) os << ", " << c.restart_count << " restarts";
    if (!c.last_state.empty()) {
      os << "; last " << E(c.last_state);
      if (!c.last_reason.empty()) os << " " << E(c.last_reason);
      if (c.last_exit_code >= 0) os << ", exit code " << c.last_exit_code;
      if (c.last_uptime_seconds >= 0) os << " after " << Duration(c.last_uptime_seconds) << " up";
    }
    if (!c.memory_limit.empty()) os << "; memory limit " << E(c.memory_limit);
    os << "\n";
  }
  size_t warnings = 0;
  for (const PodEvent& e : p.events) {
    if (e.type != "Warning" || warnings == 5) continue;
    ++warnings;
    os << "  " << st(kYellow) << E(e.reason) << st(kReset) << (e.count > 1 ? " x" + std::to_string(e.count) : "")
       << ": " << E(e.message.substr(0, 160)) << "\n";
  }
  os << "\n";
}

}  // namespace

void RenderText(const ParsedInput& in, const std::vector<Finding>& findings,
                const RenderOptions& opts, std::ostream& os) {
  Style st{opts.color};
  std::string sources;
  for (size_t i = 0; i < in.sources.size(); ++i) {
    if (i) sources += ", ";
    sources += E(in.sources[i] == "-" ? "stdin" : in.sources[i]);
  }
  os << st(kBold) << "gotriage" << st(kReset) << ": " << sources << ": " << in.incidents.size()
     << " incident" << (in.incidents.size() == 1 ? "" : "s");
  if (!in.pods.empty()) os << ", " << in.pods.size() << " pod" << (in.pods.size() == 1 ? "" : "s");
  os << ", " << findings.size() << " finding" << (findings.size() == 1 ? "" : "s") << "  " << st(kDim)
     << "(" << in.lines << (in.lines == 1 ? " line, " : " lines, ") << in.lines_in_traces << " parsed";
  if (in.lines_unplaced) os << ", " << in.lines_unplaced << " not understood";
  size_t binary = 0;
  for (const Incident& inc : in.incidents) binary += inc.sample_positions;
  if (binary) os << ", " << binary << " binary profile" << (binary == 1 ? "" : "s");
  os << ")" << st(kReset) << "\n\n";
  for (const Finding& f : findings)
    RenderFinding(f, st, os,
                  f.incident >= 0 && static_cast<size_t>(f.incident) < in.incidents.size() &&
                      in.incidents[static_cast<size_t>(f.incident)].sample_positions);
  if (findings.empty() && !in.incidents.empty())
    os << st(kGreen) << "No problem found." << st(kReset) << "\n\n";
  if (in.incidents.empty() && in.pods.empty())
    os << "No Go traceback, goroutine dump, race report or pod description found in the input.\n";
  size_t shown = 0;
  for (size_t i = 0; i < in.incidents.size(); ++i) {
    if (shown == 20 && !opts.verbose) {
      os << "... " << in.incidents.size() - i << " more incidents (use --verbose)\n\n";
      break;
    }
    RenderIncident(in.incidents[i], i, opts, st, os);
    ++shown;
  }
  for (const PodStatus& p : in.pods) RenderPod(p, st, os);
  for (const LimitNote& l : in.limits_hit)
    os << st(kYellow) << "limit hit: " << E(l.what) << " (" << l.count << " times)" << st(kReset) << "\n";
  for (const std::string& w : in.warnings) os << st(kYellow) << "warning: " << E(w) << st(kReset) << "\n";
}

}  // namespace gotriage
