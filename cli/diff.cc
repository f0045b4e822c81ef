// `gotriage diff` and `--baseline`; see diff.h.
#include "cli/diff.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <map>

#include "base/durations.h"
#include "cli/app.h"
#include "cli/escape.h"
#include "cli/render_ci.h"
#include "rules/engine.h"
#include "rules/hang_util.h"

namespace gotriage {
namespace {

// The signature of a stack: its non-runtime frames with their lines.
// Runtime frames are left out because pprof debug=1 and debug=2 print
// different ones for the same goroutine; goroutine IDs, arguments and
// offsets never enter. `created by` does (when printed) via the group key
// only, so that debug=1 and debug=2 snapshots still match.
std::string Signature(const Goroutine& g) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
  };
  for (const Frame& f : g.frames) {
    if (f.kind == FrameKind::kRuntime) continue;
    mix(BareFunc(f.function));
    mix(std::to_string(f.line));
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
  return buf;
}

// `2026-11-30T06:23:01` (or with a space) at the start of \a ts, as Unix
// seconds (UTC; an offset or zone after the seconds is ignored).
std::optional<int64_t> ParseTimestamp(std::string_view ts) {
  int y, mo, d, h, mi, s;
  std::string t(ts.substr(0, 19));
  if (t.size() < 19) return std::nullopt;
  if (t[10] == ' ') t[10] = 'T';
  if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm));
}

bool Idle(const GoroutineGroup& g) {
  WaitKind w = EffectiveWait(g);
  return w == WaitKind::kRunning || w == WaitKind::kRuntimeIdle || w == WaitKind::kSyscall;
}

// Groups whose size follows the load by design: requests being served,
// tests running.
bool RequestBound(const GoroutineGroup& g) {
  const std::vector<Frame>& fr = g.representative().frames;
  return HasFrame(fr, "net/http.(*conn).serve") || HasFrame(fr, "testing.");
}

// A worker waiting for its next job: parked on a channel receive or
// select in its own (application) code, like `for job := range jobs`. A
// select inside the standard library (an HTTP round trip, a dial) is a
// call waiting on a peer instead.
bool WaitsForWork(const GoroutineGroup& g) {
  WaitKind w = EffectiveWait(g);
  if (w != WaitKind::kChanReceive && w != WaitKind::kSelect && w != WaitKind::kOther && w != WaitKind::kCond)
    return false;
  for (const Frame& f : g.representative().frames) {
    if (f.kind == FrameKind::kRuntime) continue;
    return f.kind == FrameKind::kApp || f.kind == FrameKind::kDependency || f.kind == FrameKind::kUnknown;
  }
  return true;
}

std::string Thousands(int64_t n) {
  std::string s = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return (n < 0 ? "-" : "") + s;
}

std::string Series(const std::vector<uint64_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? " -> " : "") + Thousands(static_cast<int64_t>(v[i]));
  return s;
}

const RuleDoc& LeakDoc() { return FindRule("GT2003")->doc(); }

// Time between the oldest and the newest snapshot, and how it was known.
void Timeline(const std::vector<std::string>& paths, DiffResult* r) {
  const size_t n = r->snapshots.size();
  bool all = true;
  for (const DiffSnapshot& s : r->snapshots) all = all && s.unix_time.has_value();
  if (all && *r->snapshots.back().unix_time > *r->snapshots.front().unix_time) {
    r->time_basis = "envelope timestamps";
    r->elapsed_seconds = *r->snapshots.back().unix_time - *r->snapshots.front().unix_time;
    return;
  }
  // debug=2 wait minutes: a group parked in every snapshot ages by the
  // time between them (minute resolution; a lower bound).
  int64_t minutes = -1;
  for (const DiffGroup& g : r->groups) {
    if (g.max_wait.front() >= 0 && g.max_wait.back() >= 0 && g.counts.front() && g.counts.back())
      minutes = std::max<int64_t>(minutes, g.max_wait.back() - g.max_wait.front());
  }
  if (minutes >= 1) {
    r->time_basis = "wait minutes";  // minute resolution
    r->elapsed_seconds = minutes * 60;
    return;
  }
  std::vector<int64_t> mt;
  for (const std::string& p : paths) {
    struct stat st;
    if (p == "-" || stat(p.c_str(), &st) != 0) break;
    mt.push_back(static_cast<int64_t>(st.st_mtime));
  }
  bool increasing = mt.size() == n;
  for (size_t i = 1; increasing && i < mt.size(); ++i) increasing = mt[i] > mt[i - 1];
  if (increasing) {
    r->time_basis = "file mtimes";
    r->elapsed_seconds = mt.back() - mt.front();
    return;
  }
  r->time_basis = "per step";
}

std::string Growth(const DiffGroup& g, const DiffResult& r) {
  size_t steps = g.counts.size() - 1;
  std::string s = "+" + Thousands(g.growth) + " goroutines";
  if (r.elapsed_seconds && *r.elapsed_seconds > 0) {
    s += " in " + FormatRoughDuration(*r.elapsed_seconds) + ", " + FormatRate(g.growth, *r.elapsed_seconds);
  } else {
    char b[48];
    std::snprintf(b, sizeof b, "%.0f", static_cast<double>(g.growth) / std::max<size_t>(1, steps));
    s += " in " + std::to_string(steps) + (steps == 1 ? " step" : " steps") + ", " + b + " per step";
  }
  return s;
}

Finding LeakFinding(const DiffGroup& g, const DiffResult& r, bool baseline) {
  const GoroutineGroup& gr = *g.last;
  Finding f = FindingOf(LeakDoc());
  f.source = r.snapshots[g.last_snapshot].source;
  f.incident = g.last_snapshot + 1 == r.snapshots.size() ? g.last_incident : -1;
  int ci = GroupCulprit(gr);
  SetCulprit(&f, gr.representative().frames, ci);
  AddGroupEvidence(&f, gr);
  f.evidence.goroutines_total = r.snapshots.back().goroutines;
  f.evidence.max_wait_minutes = gr.max_wait_minutes;
  std::string where = f.culprit ? f.culprit->function + " (" + Where(*f.culprit) + ")" : "an unknown frame";
  std::string created = g.created_by ? ", created by " + g.created_by->function + " (" + Where(*g.created_by) + ")" : "";
  size_t n = g.counts.size();
  if (g.growth > 0) {
    f.summary = Growth(g, r) + " (" + Series(g.counts) + " across " + std::to_string(n) +
                " snapshots), parked in " + StateName(gr) + " at " + where + created + ".";
    f.evidence.details.push_back("counts " + Series(g.counts));
    f.evidence.details.push_back("growth " + Growth(g, r));
    if (baseline) {
      f.summary += " Compared with the baseline dump these goroutines were started and are still "
                   "parked: something started them without a way to finish.";
    } else if (n == 2) {
      f.summary += " Two snapshots only: a third one later tells a leak from a busy moment.";
    }
  } else {
    f.summary = Count(g.counts.back(), "goroutine") + " parked in " + StateName(gr) + " at " + where + created +
                " for longer in every snapshot: the oldest wait grew from " +
                std::to_string(g.max_wait.front()) + " to " + std::to_string(g.max_wait.back()) +
                " minutes (" + r.time_basis + "). They never finish; a call without a timeout or a "
                "channel nobody serves keeps them.";
  }
  if (!g.wait_grew_every_step && g.growth > 0 && gr.max_wait_minutes > 0)
    f.summary += " The oldest has waited " + Count(static_cast<uint64_t>(gr.max_wait_minutes), "minute") + ".";
  if (g.wait_grew_every_step && g.growth > 0)
    f.summary += " Their oldest wait grew too (" + std::to_string(g.max_wait.front()) + " to " +
                 std::to_string(g.max_wait.back()) + " minutes).";
  bool strong = g.grew_every_step && n >= 3;
  f.confidence = strong ? 0.9 : g.wait_grew_every_step ? 0.8 : 0.7;
  f.severity = strong || baseline || g.growth >= 100 ? Severity::kHigh : Severity::kMedium;
  f.evidence.details.push_back("time basis: " + r.time_basis);
  AddDocRemediation(&f, LeakDoc());
  // The fingerprint of the single-dump GT2003 finding for the same stack.
  SetFingerprint(&f, "leak", gr.representative().frames, ci);
  return f;
}

}  // namespace

bool DiffSnapshots(const std::vector<std::string>& paths, const DiffOptions& opts, DiffResult* r,
                   std::string* error) {
  const size_t n = paths.size();
  std::map<std::string, size_t> index;  // signature -> groups
  for (size_t si = 0; si < n; ++si) {
    Parser p(opts.parse);
    if (!p.AddFile(paths[si], error)) return false;
    DiffSnapshot snap;
    snap.source = paths[si];
    snap.input = p.Finish();
    bool any = false;
    for (size_t ii = 0; ii < snap.input->incidents.size(); ++ii) {
      const Incident& inc = snap.input->incidents[ii];
      if (inc.groups.empty()) continue;
      any = true;
      if (!snap.unix_time && !inc.timestamp.empty()) snap.unix_time = ParseTimestamp(inc.timestamp);
      for (const GoroutineGroup& g : inc.groups) {
        if (g.samples.empty()) continue;
        snap.goroutines += g.count;
        std::string sig = Signature(g.representative());
        auto [it, fresh] = index.emplace(sig, r->groups.size());
        if (fresh) {
          DiffGroup d;
          d.signature = sig;
          d.counts.assign(n, 0);
          d.max_wait.assign(n, -1);
          r->groups.push_back(std::move(d));
        }
        DiffGroup& d = r->groups[it->second];
        d.counts[si] += g.count;
        // Dumps that print wait states (debug=2, SIGQUIT) print minutes
        // from one minute on: no minutes there means under a minute.
        // pprof debug=1 prints no waits at all.
        bool prints_waits = inc.kind != IncidentKind::kPprofDebug1;
        d.max_wait[si] = std::max({d.max_wait[si], g.max_wait_minutes, prints_waits ? 0 : -1});
        // Keep the richest group of the newest snapshot: debug=2 (states,
        // creators) over debug=1, the largest when equal.
        if (!d.last || d.last_snapshot < si ||
            (d.last_snapshot == si && (g.count > d.last->count))) {
          d.last = &g;
          d.last_snapshot = si;
          d.last_incident = static_cast<int>(ii);
        }
      }
    }
    if (!any) {
      *error = paths[si] + ": no goroutine dump or stacks to compare";
      return false;
    }
    r->snapshots.push_back(std::move(snap));
  }
  Timeline(paths, r);

  for (DiffGroup& d : r->groups) {
    const GoroutineGroup& g = *d.last;
    const Goroutine& rep = g.representative();
    int ci = GroupCulprit(g);
    if (ci >= 0) d.culprit = CodeRefFrom(rep.frames[static_cast<size_t>(ci)]);
    if (rep.created_by) d.created_by = CodeRefFrom(*rep.created_by);
    d.state = StateName(g);
    d.growth = static_cast<int64_t>(d.counts.back()) - static_cast<int64_t>(d.counts.front());
    d.status = d.counts.front() == 0   ? "new"
               : d.counts.back() == 0  ? "gone"
               : d.growth > 0          ? "grown"
               : d.growth < 0          ? "shrunk"
                                       : "same";
    d.grew_every_step = true;
    for (size_t i = 1; i < n; ++i) d.grew_every_step = d.grew_every_step && d.counts[i] > d.counts[i - 1];
    // The oldest wait grew between every pair of snapshots that printed it.
    int known = 0;
    bool up = true;
    for (size_t i = 0; i < n; ++i) {
      if (d.counts[i] == 0) up = false;
      if (d.max_wait[i] < 0) continue;
      if (known && d.max_wait[i] <= d.max_wait[i - 1]) up = false;
      ++known;
    }
    d.wait_grew_every_step = up && known == static_cast<int>(n) && d.max_wait.back() > d.max_wait.front();
  }

  // Leaks: parked groups that grew in every step (not the ones that grow
  // with the load by design), or that are never let go (their oldest wait
  // grows; an idle pool waiting for work is not that).
  std::vector<const DiffGroup*> leaks;
  for (const DiffGroup& d : r->groups) {
    const GoroutineGroup& g = *d.last;
    if (Idle(g) || d.counts.back() == 0) continue;
    bool grew = d.grew_every_step && !RequestBound(g) &&
                (opts.baseline ? d.growth >= 1 : d.growth >= 3);
    // Stuck: the application's own call waits longer in every snapshot
    // (the stdlib goroutines it keeps busy, e.g. a connection's writeLoop,
    // follow from it; an idle pool or a socket read waits for work).
    bool app = false;
    for (const Frame& fr : g.representative().frames)
      app = app || fr.kind == FrameKind::kApp || fr.kind == FrameKind::kDependency;
    bool stuck = d.wait_grew_every_step && app && !WaitsForWork(g) && EffectiveWait(g) != WaitKind::kIOWait;
    if (grew || stuck) leaks.push_back(&d);
  }
  std::stable_sort(leaks.begin(), leaks.end(), [](const DiffGroup* a, const DiffGroup* b) {
    if (a->growth != b->growth) return a->growth > b->growth;
    return a->max_wait.back() > b->max_wait.back();
  });
  for (const DiffGroup* d : leaks) {
    r->findings.push_back(LeakFinding(*d, *r, opts.baseline));
    // `[if http-client]` steps only with client frames, as in a report.
    FitFixSteps(*r->snapshots[d->last_snapshot].input, &r->findings.back());
  }

  std::stable_sort(r->groups.begin(), r->groups.end(), [](const DiffGroup& a, const DiffGroup& b) {
    bool ca = a.status != "same", cb = b.status != "same";
    if (ca != cb) return ca;
    return std::llabs(a.growth) > std::llabs(b.growth);
  });
  return true;
}

namespace {

nlohmann::json CodeRefJ(const std::optional<CodeRef>& c) {
  if (!c) return nullptr;
  return {{"function", c->function}, {"file", c->file}, {"line", c->line}};
}

nlohmann::json DiffJson(const DiffResult& r) {
  nlohmann::json snaps = nlohmann::json::array();
  for (const DiffSnapshot& s : r.snapshots) {
    nlohmann::json j{{"source", s.source}, {"goroutines", s.goroutines}};
    if (s.unix_time) j["unix_time"] = *s.unix_time;
    snaps.push_back(std::move(j));
  }
  nlohmann::json groups = nlohmann::json::array();
  for (const DiffGroup& g : r.groups) {
    groups.push_back({{"signature", g.signature},
                      {"status", g.status},
                      {"counts", g.counts},
                      {"max_wait_minutes", g.max_wait},
                      {"growth", g.growth},
                      {"grew_every_step", g.grew_every_step},
                      {"wait_grew_every_step", g.wait_grew_every_step},
                      {"state", g.state},
                      {"culprit", CodeRefJ(g.culprit)},
                      {"created_by", CodeRefJ(g.created_by)}});
  }
  nlohmann::json fs = nlohmann::json::array();
  for (const Finding& f : r.findings) fs.push_back(FindingJson(f));
  nlohmann::json j{{"schema_version", kJsonSchemaVersion},
                   {"tool", {{"name", "gotriage"}, {"version", GOTRIAGE_VERSION}}},
                   {"mode", "diff"},
                   {"time_basis", r.time_basis},
                   {"snapshots", snaps},
                   {"groups", groups},
                   {"findings", fs}};
  if (r.elapsed_seconds) j["elapsed_seconds"] = *r.elapsed_seconds;
  return j;
}

std::string Clean(const std::string& s) { return EscapeForTerminal(s); }

void DiffText(const DiffResult& r, const RenderOptions& opts, std::ostream& os) {
  os << "gotriage diff: " << r.snapshots.size() << " snapshots";
  if (r.elapsed_seconds) os << " over " << FormatRoughDuration(*r.elapsed_seconds);
  os << " (time from " << r.time_basis << ")\n";
  for (size_t i = 0; i < r.snapshots.size(); ++i)
    os << "  #" << i + 1 << "  " << Clean(r.snapshots[i].source) << "  " << Thousands(r.snapshots[i].goroutines)
       << " goroutines\n";
  os << "\n";
  if (r.findings.empty()) {
    os << "No leak: no parked group grew in every step and no wait grew in every snapshot.\n";
  }
  for (const Finding& f : r.findings) {
    os << SeverityName(f.severity) << "  " << f.rule_id << "  " << f.title << "\n  " << Clean(f.summary) << "\n";
    os << "  fingerprint " << f.fingerprint << "\n\n";
  }
  size_t shown = 0;
  for (const DiffGroup& g : r.groups) {
    if (g.status == "same" && !g.wait_grew_every_step) continue;
    if (shown == 0) os << "Changed groups (counts per snapshot):\n";
    if (++shown > opts.top_groups && !opts.verbose) {
      os << "  ... (-v shows all)\n";
      break;
    }
    os << "  " << g.status << "  " << Series(g.counts) << "  " << Clean(g.state);
    if (g.culprit) os << " at " << Clean(g.culprit->function) << " (" << Clean(Where(*g.culprit)) << ")";
    if (g.wait_grew_every_step)
      os << ", wait " << g.max_wait.front() << " -> " << g.max_wait.back() << " min";
    os << "\n";
  }
  if (shown == 0) os << "No group changed.\n";
}

}  // namespace

void RenderDiffText(const DiffResult& r, const RenderOptions& opts, std::ostream& os) { DiffText(r, opts, os); }

void RenderDiffJson(const DiffResult& r, const RenderOptions& opts, std::ostream& os) {
  os << DumpJson(DiffJson(r), 2) << "\n";
}

void RenderDiffNdjson(const DiffResult& r, const RenderOptions& opts, std::ostream& os) {
  RenderNdjson(*r.snapshots.back().input, r.findings, opts, os);
}

void RenderDiffSarif(const DiffResult& r, const RenderOptions& opts, std::ostream& os) {
  RenderSarif(*r.snapshots.back().input, r.findings, opts, os);
}

namespace {

int Finish(const DiffResult& r, const OutputFormat& format, const RenderOptions& ropts, bool never_fail,
           std::ostream& out) {
  format.diff(r, ropts, out);
  out.flush();
  for (const Finding& f : r.findings) {
    if (!never_fail && f.severity >= ropts.fail_on) return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

int RunDiffMain(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"Compare goroutine snapshots of one process, oldest first (debug=1, debug=2, SIGQUIT, "
               "in any envelope), by stack signature: which groups are new, gone, grown or shrunk, "
               "whose waits grew, and which grow in every step (a leak, GT2003).",
               "gotriage diff"};
  std::vector<std::string> inputs;
  std::string format = std::string(OutputFormats().front().name), fail_on = "high";
  bool verbose = false;
  app.add_option("snapshots", inputs, "Two or more snapshot files, oldest first")->required();
  app.add_option("-f,--format", format, "Output format: " + OutputFormatNames(&OutputFormat::diff, ", "))
      ->check(CLI::IsMember(OutputFormatList(&OutputFormat::diff)))
      ->capture_default_str();
  app.add_option("--fail-on", fail_on, "Exit 1 when a finding has this severity or higher, or never")
      ->capture_default_str();
  app.add_flag("-v,--verbose", verbose, "Show every changed group");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "gotriage diff: " << e.what() << "\nRun 'gotriage diff --help' for usage.\n";
    return kExitUsage;
  }
  RenderOptions ropts;
  ropts.verbose = verbose;
  bool never_fail = fail_on == "never" || fail_on == "none";
  if (!never_fail && !ParseSeverity(fail_on, &ropts.fail_on)) {
    err << "gotriage diff: --fail-on: unknown severity '" << EscapeForTerminal(fail_on) << "'\n";
    return kExitUsage;
  }
  if (inputs.size() < 2) {
    err << "gotriage diff: give two or more snapshots, oldest first\n";
    return kExitUsage;
  }
  DiffResult r;
  std::string e;
  if (!DiffSnapshots(inputs, DiffOptions{}, &r, &e)) {
    err << "gotriage diff: " << EscapeForTerminal(e) << "\n";
    return kExitUnreadable;
  }
  return Finish(r, *FindOutputFormat(format), ropts, never_fail, out);  // IsMember checked it
}

int RunBaseline(const std::string& baseline, const std::vector<std::string>& inputs,
                const OutputFormat& format, const RenderOptions& ropts, bool never_fail,
                std::ostream& out, std::ostream& err) {
  if (inputs.size() != 1) {
    err << "gotriage: --baseline compares one input dump with the baseline; give exactly one\n";
    return kExitUsage;
  }
  if (!format.diff) {
    err << "gotriage: --baseline writes " << OutputFormatNames(&OutputFormat::diff) << ", not " << format.name
        << "\n";
    return kExitUsage;
  }
  DiffOptions o;
  o.baseline = true;
  DiffResult r;
  std::string e;
  if (!DiffSnapshots({baseline, inputs.front()}, o, &r, &e)) {
    err << "gotriage: " << EscapeForTerminal(e) << "\n";
    return kExitUnreadable;
  }
  return Finish(r, format, ropts, never_fail, out);
}

}  // namespace gotriage
