// The human report (`--format text`, the default): findings first, most
// important first, then each incident with the crashing goroutine's stack
// (application frames marked) and the largest goroutine groups.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "base/durations.h"
#include "cli/escape.h"
#include "cli/render.h"
#include "rules/engine.h"
#include "rules/util.h"
#include "parsers/grammar.h"

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

// The whole path, as the summary and the JSON give it: a cut path would
// read as another file.
std::string CodeRefLine(const CodeRef& c) {
  std::string s = E(c.function);
  if (!c.file.empty()) s += "  " + E(c.file) + (c.line > 0 ? ":" + std::to_string(c.line) : "");
  std::string kind = c.kind;
  if (!c.module.empty() && c.kind == "dependency") {
    kind += " " + E(c.module);
    if (!c.module_version.empty()) kind += " " + E(c.module_version);
  }
  if (!kind.empty()) s += "  (" + kind + ")";
  return s;
}

// \a several: more than one input, so evidence lines name their file.
// \a samples: the finding's positions are sample numbers of a binary
// profile, not input lines.
void RenderFinding(const Finding& f, bool several, bool samples, const RenderOptions& opts,
                   const Style& st, std::ostream& os) {
  os << st(SeverityColor(f.severity)) << Upper(SeverityName(f.severity)) << st(kReset) << "  "
     << st(kBold) << f.rule_id << "  " << E(f.title) << st(kReset) << "  " << st(kDim) << "["
     << f.category << ", confidence " << static_cast<int>(f.confidence * 100 + 0.5) << "%]"
     << st(kReset);
  if (f.occurrences > 1) os << "  x" << f.occurrences;
  os << "\n";
  os << Wrap(E(f.summary), 96, "  ");
  if (std::string pods = FindingPodsText(f); !pods.empty())
    os << "  " << st(kBold) << "where:     " << st(kReset) << E(pods) << "\n";
  // With --verbose, the arguments the runtime printed (0x0: nil); with a
  // source root, the line itself.
  auto extra = [&](const CodeRef& c) {
    if (opts.verbose && !c.args.empty() && c.args != "...") os << "             args (" << E(c.args) << ")\n";
    if (!c.source_line.empty()) os << "             | " << E(c.source_line) << "\n";
  };
  if (f.culprit) {
    os << "  " << st(kBold) << "culprit:   " << st(kReset) << CodeRefLine(*f.culprit) << "\n";
    extra(*f.culprit);
  }
  if (f.app_frame) {
    os << "  " << st(kBold) << "app frame: " << st(kReset) << st(kGreen) << CodeRefLine(*f.app_frame)
       << st(kReset) << "\n";
    extra(*f.app_frame);
  }
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
  if (several && !f.source.empty()) ev += (ev.empty() ? "in " : " in ") + E(f.source);
  if (!ev.empty()) os << "  " << st(kBold) << "evidence:  " << st(kReset) << ev << "\n";
  for (const std::string& d : e.details) os << "             - " << E(d) << "\n";
  if (!opts.group_by_label.empty() && e.labelled) {
    std::string by;
    uint64_t with = 0;
    for (const LabelValueCount& l : e.labels) {
      if (l.key != opts.group_by_label) continue;
      with += l.count;
      if (!by.empty()) by += ", ";
      by += FormatLabel(l.key, l.value) + " (" + std::to_string(l.count) + ")";
    }
    uint64_t all = e.goroutines_involved ? e.goroutines_involved : e.labelled;
    if (with < all) by += std::string(by.empty() ? "" : ", ") + "without " + FormatLabel(opts.group_by_label, "").substr(0, FormatLabel(opts.group_by_label, "").size() - 1) + " (" + std::to_string(all - with) + ")";
    os << "  " << st(kBold) << "by label:  " << st(kReset) << E(by) << "\n";
  }
  if (!f.test.empty())
    os << "  " << st(kBold) << "test:      " << st(kReset) << E(f.test)
       << (f.test_package.empty() ? "" : "  (" + E(f.test_package) + ")") << "\n";
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

// The wait a stack's top frames show (a debug=1 profile prints no state).
std::string StateFromStack(const GoroutineGroup& g) {
  if (g.samples.empty()) return "";
  static constexpr std::pair<std::string_view, std::string_view> kTop[] = {
      {"runtime.chansend", "chan send"},       {"runtime.chanrecv", "chan receive"},
      {"runtime.selectgo", "select"},          {"runtime.block", "select (no cases)"},
      {"sync.(*Mutex).Lock", "sync.Mutex.Lock"}, {"sync.(*RWMutex).Lock", "sync.RWMutex.Lock"},
      {"sync.(*RWMutex).RLock", "sync.RWMutex.RLock"}, {"sync.(*WaitGroup).Wait", "sync.WaitGroup.Wait"},
      {"sync.(*Cond).Wait", "sync.Cond.Wait"}, {"internal/poll.runtime_pollWait", "IO wait"},
      {"time.Sleep", "sleep"},                 {"runtime.notetsleepg", "syscall"},
      {"syscall.Syscall", "syscall"},          {"internal/sync.(*Mutex).Lock", "sync.Mutex.Lock"},
  };
  const auto& frames = g.samples.front().frames;
  for (size_t i = 0; i < frames.size() && i < 6; ++i) {
    for (const auto& [fn, state] : kTop) {
      if (StartsWith(frames[i].function, fn)) return std::string(state);
    }
  }
  return "";
}

// A debug=1 profile prints no state: it is inferred from the blocking
// frame when it can be, and said to be missing otherwise.
std::string GroupStateLine(const GoroutineGroup& g) {
  std::string s;
  if (!g.state.empty()) {
    s = E(g.state);
  } else if (std::string inferred = StateFromStack(g); !inferred.empty()) {
    s = inferred + ", from the stack";
  } else {
    s = "state not in debug=1";
  }
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

// `--group-by label:KEY`: the incident's goroutines per value of KEY, each
// value with its groups.
void RenderByLabel(const Incident& inc, const std::string& key, const RenderOptions& opts, const Style& st,
                   std::ostream& os) {
  struct Row {
    size_t group;
    uint64_t count;
  };
  std::vector<std::pair<std::string, std::vector<Row>>> values;  // "" key: without it
  auto add = [&](const std::string* v, size_t gi, uint64_t n) {
    std::string name = v ? FormatLabel(key, *v) : "without " + key;
    for (auto& [have, rows] : values) {
      if (have == name) {
        rows.push_back({gi, n});
        return;
      }
    }
    values.push_back({name, {{gi, n}}});
  };
  for (size_t gi = 0; gi < inc.groups.size(); ++gi) {
    const GoroutineGroup& g = inc.groups[gi];
    uint64_t with = 0;
    std::vector<std::pair<const std::string*, uint64_t>> per;
    for (const LabelSetCount& s : g.label_sets) {
      for (const Label& l : s.labels) {
        if (l.key != key) continue;
        with += s.count;
        bool merged = false;
        for (auto& [v, n] : per) {
          if (*v == l.value) {
            n += s.count;
            merged = true;
          }
        }
        if (!merged) per.push_back({&l.value, s.count});
      }
    }
    for (auto& [v, n] : per) add(v, gi, n);
    if (with < g.count) add(nullptr, gi, g.count - with);
  }
  auto total = [](const std::vector<Row>& rows) {
    uint64_t n = 0;
    for (const Row& r : rows) n += r.count;
    return n;
  };
  std::stable_sort(values.begin(), values.end(),
                   [&](const auto& a, const auto& b) { return total(a.second) > total(b.second); });
  os << "  by label " << E(key) << ":\n";
  for (const auto& [name, rows] : values) {
    os << "  " << st(kBold) << E(name) << st(kReset) << ": " << total(rows) << " goroutine"
       << (total(rows) == 1 ? "" : "s") << "\n";
    for (size_t i = 0; i < rows.size() && i < opts.top_groups; ++i) {
      const GoroutineGroup& g = inc.groups[rows[i].group];
      os << "    " << rows[i].count << " x [" << GroupStateLine(g) << "]";
      if (!g.samples.empty()) {
        const auto& frames = g.samples.front().frames;
        int at = g.first_app_frame >= 0 ? g.first_app_frame : g.crash_site_frame;
        if (at >= 0 && static_cast<size_t>(at) < frames.size())
          os << "  " << E(frames[at].function) << "  " << st(kDim) << E(ShortFile(frames[at].file)) << ":"
             << frames[at].line << st(kReset);
      }
      os << "\n";
    }
  }
}

void RenderIncident(const Incident& inc, size_t index, const RenderOptions& opts, const Style& st,
                    std::ostream& os) {
  os << st(kBold) << "Incident " << index + 1 << ": " << st(kReset) << E(inc.Title()) << "  "
     << st(kDim) << "(" << E(inc.source) << (inc.sample_positions ? ": samples " : ":") << inc.first_line << "-"
     << inc.last_line;
  if (!inc.timestamp.empty()) os << ", " << E(inc.timestamp);
  if (!inc.pod.empty()) os << ", " << E(PodRefText(inc.pod));
  if (inc.read_bottom_up) os << ", read bottom-up: newest line first";
  os << ")" << st(kReset) << "\n";
  if (inc.amended)
    os << "  amended: more of this dump arrived after other lines; this report replaces the earlier one\n";
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
    // Two groups are two different stacks: when their lines would read the
    // same, the first frame where the stacks part is added.
    std::map<std::string, size_t> printed;
    for (size_t i = 0; i < n; ++i) {
      const GoroutineGroup& g = inc.groups[i];
      std::string line = "[" + GroupStateLine(g) + "]";
      std::string plain = line;
      if (!g.samples.empty()) {
        const auto& frames = g.samples.front().frames;
        int at = g.first_app_frame >= 0 ? g.first_app_frame : g.crash_site_frame;
        if (at >= 0 && static_cast<size_t>(at) < frames.size()) {
          const Frame& f = frames[at];
          std::string where = E(ShortFile(f.file)) + ":" + std::to_string(f.line);
          line += "  " + E(f.function) + "  " + st(kDim) + where + st(kReset);
          plain += "  " + E(f.function) + "  " + where;
        }
        if (g.samples.front().created_by) {
          std::string c = "  created by " + E(g.samples.front().created_by->function);
          line += st(kDim) + c + st(kReset);
          plain += c;
        }
        auto [it, fresh] = printed.emplace(plain, i);
        if (!fresh && !inc.groups[it->second].samples.empty()) {
          const auto& other = inc.groups[it->second].samples.front().frames;
          size_t k = 0;
          while (k < frames.size() && k < other.size() && frames[k].function == other[k].function &&
                 frames[k].line == other[k].line)
            ++k;
          std::string d = k < frames.size()
                              ? "  (other stack: " + E(frames[k].function) + "  " + E(ShortFile(frames[k].file)) +
                                    ":" + std::to_string(frames[k].line) + ")"
                              : "  (other stack: " + std::to_string(frames.size()) + " frames)";
          line += st(kDim) + d + st(kReset);
        }
      }
      os << "  " << st(kBold) << (g.count > 1 ? std::to_string(g.count) + " x " : "1 x ") << st(kReset) << line;
      os << "\n";
      if (!g.label_sets.empty() && opts.group_by_label.empty()) {
        // Labels shared by the whole group, else its most common set.
        const LabelSetCount& s = g.label_sets.front();
        std::string t;
        for (const Label& l : s.labels) t += (t.empty() ? "" : ", ") + FormatLabel(l.key, l.value);
        os << "      " << st(kDim) << "labels " << E(t);
        if (s.count != g.count) os << " (" << s.count << " of " << g.count << ")";
        os << st(kReset) << "\n";
      }
      if (opts.verbose && !g.samples.empty()) RenderFrames(g.samples.front().frames, opts.max_frames, st, os);
    }
    if (!opts.group_by_label.empty()) RenderByLabel(inc, opts.group_by_label, opts, st, os);
  }
  os << "\n";
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
      // As the findings say it (rules/lifecycle.cc): one uptime, one form.
      if (c.last_uptime_seconds >= 0) os << " after " << FormatUptime(c.last_uptime_seconds) << " up";
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

std::string LabelFilterText(const LabelFilterReport& r) {
  std::string w;
  for (const Label& l : r.wanted) w += (w.empty() ? "" : ", ") + FormatLabel(l.key, l.value);
  std::string s = "label filter " + E(w) + ": kept " + std::to_string(r.goroutines_kept) + " goroutine" +
                  (r.goroutines_kept == 1 ? "" : "s") + ", filtered out " +
                  std::to_string(r.goroutines_filtered_out);
  if (r.incidents_filtered_out)
    s += " (and " + std::to_string(r.incidents_filtered_out) + " incident" +
         (r.incidents_filtered_out == 1 ? "" : "s") + " left with none)";
  if (r.goroutines_unknown)
    s += "; " + std::to_string(r.goroutines_unknown) +
         " of them had a label set beyond the per-group bound (not known to match)";
  return s;
}

void RenderText(const ParsedInput& in, const std::vector<Finding>& findings,
                const RenderOptions& opts, std::ostream& os) {
  Style st{opts.color};
  std::string sources = SourcesText(in.sources, [](const std::string& n) { return E(n); });
  const uint64_t incidents = in.IncidentsRead();
  os << st(kBold) << "gotriage" << st(kReset) << ": " << sources << ": " << incidents << " incident"
     << (incidents == 1 ? "" : "s");
  if (!in.pods.empty()) os << ", " << in.pods.size() << " pod" << (in.pods.size() == 1 ? "" : "s");
  os << ", " << findings.size() << " finding" << (findings.size() == 1 ? "" : "s") << "  " << st(kDim)
     << "(" << in.lines << (in.lines == 1 ? " line, " : " lines, ") << in.lines_in_traces << " parsed";
  if (in.lines_unplaced) os << ", " << in.lines_unplaced << " not understood";
  size_t binary = 0;
  for (const Incident& inc : in.incidents) binary += inc.sample_positions;
  if (binary) os << ", " << binary << " binary profile" << (binary == 1 ? "" : "s");
  os << ")" << st(kReset) << "\n\n";
  if (in.label_filter) os << LabelFilterText(*in.label_filter) << "\n\n";
  for (const Finding& f : findings) {
    const Incident* inc = in.IncidentAt(f.incident);
    bool samples = inc && inc->sample_positions;
    RenderFinding(f, in.sources.size() > 1, samples, opts, st, os);
  }
  if (findings.empty() && !in.incidents.empty())
    os << st(kGreen) << "No problem found." << st(kReset) << "\n\n";
  if (in.incidents.empty() && in.pods.empty())
    os << "No Go traceback, goroutine dump, race report or pod description found in the input.\n";
  // Identical incidents (a recovered panic logged for every request: same
  // title, same stacks) print once, with how many there were and where.
  auto key = [](const Incident& inc) {
    std::string k = inc.Title();
    k += '\n';
    if (inc.crashing) {
      for (const Frame& f : inc.crashing->frames) k += std::string(f.function) + ":" + std::to_string(f.line) + ";";
    }
    for (const GoroutineGroup& g : inc.groups) k += "|" + std::to_string(g.count) + "@" + std::to_string(g.stack_hash);
    return k;
  };
  std::map<std::string, std::vector<size_t>> same;  // key -> incident indexes
  std::vector<std::string> keys(in.incidents.size());
  for (size_t i = 0; i < in.incidents.size(); ++i) {
    keys[i] = key(in.incidents[i]);
    same[keys[i]].push_back(i);
  }
  size_t shown = 0;
  for (size_t i = 0; i < in.incidents.size(); ++i) {
    const std::vector<size_t>& twins = same[keys[i]];
    if (twins.front() != i) continue;  // printed with its first twin
    if (shown == 20 && !opts.verbose) {
      size_t rest = 0;
      for (size_t j = i; j < in.incidents.size(); ++j) rest += same[keys[j]].front() == j;
      os << "... " << rest << " more incident" << (rest == 1 ? "" : "s") << " (use --verbose)\n\n";
      break;
    }
    // Those of other inputs were folded into one as they were read
    // (Incident::twins); the last of all is the latest read.
    uint64_t count = 0;
    std::set<std::string_view> from;
    const Incident& first = in.incidents[i];
    using Place = std::tuple<uint32_t, size_t, std::string_view>;
    Place last{first.input, first.first_line, first.timestamp};
    for (size_t t : twins) {
      const Incident& inc = in.incidents[t];
      count += 1 + inc.twins.size();
      from.insert(inc.source);
      last = std::max(last, Place{inc.input, inc.first_line, inc.timestamp});
      for (const Occurrence& o : inc.twins) {
        from.insert(o.source);
        last = std::max(last, Place{o.input, o.first_line, o.timestamp});
      }
    }
    if (count > 1) {
      os << st(kBold) << count << " identical incidents" << st(kReset) << st(kDim) << " (";
      if (from.size() > 1) os << "in " << from.size() << " inputs, ";
      os << "input lines " << first.first_line << " .. " << std::get<1>(last);
      if (!first.timestamp.empty() && !std::get<2>(last).empty())
        os << ", " << E(first.timestamp) << " .. " << E(std::get<2>(last));
      os << "); the first:" << st(kReset) << "\n";
    }
    RenderIncident(in.incidents[i], in.first_incident + i, opts, st, os);  // --follow: its number in the stream
    ++shown;
  }
  for (const PodStatus& p : in.pods) RenderPod(p, st, os);
  for (const LimitNote& l : in.limits_hit)
    os << st(kYellow) << "limit hit: " << E(l.what) << " (" << l.count << " times)" << st(kReset) << "\n";
  for (const std::string& w : in.warnings) os << st(kYellow) << "warning: " << E(w) << st(kReset) << "\n";
}

std::string SourcesText(const std::vector<std::string>& sources,
                        const std::function<std::string(const std::string&)>& name) {
  constexpr size_t kNamed = 8;
  std::string out;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (i == kNamed && sources.size() > kNamed + 1) {
      out += " (and " + std::to_string(sources.size() - kNamed) + " more inputs)";
      break;
    }
    if (i) out += ", ";
    out += name(sources[i]);
  }
  return out;
}

void RenderRuleListText(std::ostream& out) {
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
}

}  // namespace gotriage
