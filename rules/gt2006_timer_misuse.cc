// GT2006: timer misuse -- time.AfterFunc callbacks piling up, and, with
// the application's source, timer.Reset without Stop+drain, time.After in
// loops, time.Tick and unstopped Tickers near the blocked frames.
#include <re2/re2.h>

#include <filesystem>
#include <fstream>

#include "base/strings.h"
#include "rules/catalog.h"
#include "rules/hang_util.h"
#include "rules/profile_top.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2006.id,
    .title = "Timer misuse",
    .category = rule_names::GT2006.category,
    .severity = Severity::kMedium,
    .what = "Timers are used in a way that blocks or leaks: `timer.Reset` on a timer whose channel "
            "may still hold a stale tick (before Go 1.23 semantics), `time.After` in a loop (a new "
            "timer per iteration), `time.Tick` or a Ticker that is never stopped, or time.AfterFunc "
            "callbacks that block and pile up.",
    .why = "Before Go 1.23 (or with GODEBUG=asynctimerchan=1, or a go.mod `go` line below 1.23), "
           "Reset does not drain the channel: a loop that Resets without Stop+drain reads a stale "
           "tick and runs at the wrong time, or blocks forever after Stop. Timers from time.After "
           "and time.Tick were not collected before Go 1.23.",
    .fix = "Before Go 1.23 semantics: `if !t.Stop() { select { case <-t.C: default: } }` before `t.Reset(d)`.\n"
           "Create one Timer or Ticker outside the loop and `defer t.Stop()`; avoid time.After inside for/select loops.\n"
           "Replace time.Tick with time.NewTicker plus Stop in long-lived code that can return.\n"
           "Keep AfterFunc callbacks short and non-blocking.\n"
           "Raise the go.mod `go` line to 1.23+ to get synchronous timer channels.",
    .before = "for {\n\tselect {\n\tcase <-timer.C:\n\t\tflush()\n\t\ttimer.Reset(interval) // stale tick may remain\n\tcase <-q.full:\n\t\tflush()\n\t\ttimer.Reset(interval)\n\t}\n}",
    .after = "for {\n\tselect {\n\tcase <-timer.C:\n\t\tflush()\n\tcase <-q.full:\n\t\tflush()\n\t\tif !timer.Stop() {\n\t\t\tselect {\n\t\t\tcase <-timer.C:\n\t\t\tdefault:\n\t\t\t}\n\t\t}\n\t}\n\ttimer.Reset(interval)\n}",
    .links = {"https://pkg.go.dev/time#Timer.Reset", "https://go.dev/doc/go1.23#timer-changes",
              "https://pkg.go.dev/time#Tick"},
};

namespace fs = std::filesystem;

// Resolves a frame's file inside \a root: the path itself when under root,
// else the longest suffix of it that exists under root. "" when none, or
// when the resolved file escapes root (.., symlinks).
std::string ResolveInRoot(const std::string& root, std::string_view file) {
  std::error_code ec;
  fs::path croot = fs::weakly_canonical(root, ec);
  if (ec || file.empty()) return "";
  std::string f(file);
  std::vector<fs::path> candidates;
  if (!f.empty() && f[0] == '/') candidates.emplace_back(f);
  for (size_t pos = f.find('/'); pos != std::string::npos; pos = f.find('/', pos + 1))
    candidates.push_back(croot / f.substr(pos + 1));
  candidates.push_back(croot / f);
  for (const fs::path& c : candidates) {
    if (!fs::is_regular_file(c, ec)) continue;
    fs::path cc = fs::weakly_canonical(c, ec);
    if (ec) continue;
    auto rel = cc.lexically_relative(croot);
    if (rel.empty() || *rel.begin() == "..") continue;
    return cc.string();
  }
  return "";
}

// The `go` version (minor) of the go.mod closest to \a file, within root; -1 if none.
int GoModMinor(const std::string& root, const std::string& file) {
  std::error_code ec;
  fs::path croot = fs::weakly_canonical(root, ec);
  for (fs::path d = fs::path(file).parent_path(); !d.empty(); d = d.parent_path()) {
    std::ifstream in(d / "go.mod");
    std::string line;
    while (in && std::getline(in, line)) {
      static const RE2 kGo(R"(^go\s+1\.(\d+))");
      int minor = -1;
      if (RE2::PartialMatch(line, kGo, &minor)) return minor;
    }
    if (d == croot || d == d.parent_path()) break;
  }
  return -1;
}

struct SourceHit {
  std::string what;
  std::string file;
  int line = 0;
};

// Scans the function around line \a at of \a path for the timer patterns.
std::vector<SourceHit> ScanSource(const std::string& path, int at, int go_minor) {
  static const RE2 kReset(R"(\b(\w+)\.Reset\()");
  static const RE2 kStop(R"(\.Stop\(\))");
  static const RE2 kAfter(R"(\btime\.After\()");
  static const RE2 kTick(R"(\btime\.Tick\()");
  static const RE2 kNewTicker(R"(\btime\.NewTicker\()");
  static const RE2 kLoop(R"(^\s*for\b)");
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string l;
  while (std::getline(in, l) && lines.size() < 200000) lines.push_back(l);
  std::vector<SourceHit> hits;
  if (at < 1 || at > static_cast<int>(lines.size())) return hits;
  static const RE2 kFunc(R"(^func\b)");
  int from = at, to = at;
  while (from > 1 && !RE2::PartialMatch(lines[from - 1], kFunc)) --from;
  while (to < static_cast<int>(lines.size()) && lines[to - 1] != "}") ++to;
  bool stop = false, ticker = false, loop = false;
  for (int n = from; n <= to; ++n) {
    const std::string& s = lines[n - 1];
    if (RE2::PartialMatch(s, kStop)) stop = true;
    if (RE2::PartialMatch(s, kLoop)) loop = true;
    if (RE2::PartialMatch(s, kNewTicker)) ticker = true;
  }
  bool legacy = go_minor >= 0 && go_minor < 23;
  for (int n = from; n <= to; ++n) {
    const std::string& s = lines[n - 1];
    std::string var;
    if (RE2::PartialMatch(s, kReset, &var) && !stop && (legacy || go_minor < 0))
      hits.push_back({var + ".Reset without Stop and drain of " + var + ".C" +
                          (legacy ? " (go.mod go 1." + std::to_string(go_minor) + ": pre-1.23 timer semantics)" : ""),
                      path, n});
    if (RE2::PartialMatch(s, kAfter) && loop) hits.push_back({"time.After inside a loop (one timer per iteration)", path, n});
    if (RE2::PartialMatch(s, kTick)) hits.push_back({"time.Tick (the Ticker can never be stopped)", path, n});
    if (RE2::PartialMatch(s, kNewTicker) && ticker && !stop) hits.push_back({"time.NewTicker without Stop", path, n});
  }
  return hits;
}

class GT2006 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  bool AppliesTo(const Incident& inc) const override { return inc.top || inc.profile || HasGroups(inc); }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    if (inc.top) {
      if (auto f = TopTimerLeak(kDoc, in, i)) out->push_back(std::move(*f));
      return;
    }
    if (inc.profile) {
      if (auto f = ProfileTimerLeak(kDoc, in, i)) out->push_back(std::move(*f));
      return;
    }
    if (!HasGroups(inc)) return;
    // AfterFunc callbacks piling up.
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty() || g.count < 20) continue;
      const Goroutine& r = g.representative();
      if (!r.created_by || !StartsWith(r.created_by->function, "time.goFunc")) continue;
      if (EffectiveWait(g) == WaitKind::kRunning) continue;
      Finding f = NewFinding(kDoc, in, i);
      int ci = GroupCulprit(g);
      SetCulprit(&f, r.frames, ci);
      AddGroupEvidence(&f, g);
      f.confidence = 0.8;
      f.summary = GroupText(g, ci) + ", all started by time.AfterFunc callbacks: the callbacks block, "
                  "and each new timer firing adds one more.";
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, "afterfunc pile-up");
      out->push_back(std::move(f));
      break;
    }
    if (ctx.src_dir.empty()) return;
    // Source check around the app frames of blocked groups.
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty()) continue;
      WaitKind w = EffectiveWait(g);
      if (w == WaitKind::kRunning || w == WaitKind::kRuntimeIdle) continue;
      std::vector<SourceHit> hits;
      const Frame* at = nullptr;
      for (const Frame& fr : g.representative().frames) {
        if (fr.kind != FrameKind::kApp || fr.line <= 0) continue;
        std::string path = ResolveInRoot(ctx.src_dir, fr.file);
        if (path.empty()) continue;
        hits = ScanSource(path, fr.line, GoModMinor(ctx.src_dir, path));
        if (!hits.empty()) {
          at = &fr;
          break;
        }
      }
      if (hits.empty()) continue;
      Finding f = NewFinding(kDoc, in, i);
      f.culprit = CodeRefFrom(*at);
      AddGroupEvidence(&f, g);
      f.confidence = 0.75;
      f.summary = GroupText(g, -1) + " in " + std::string(BareFunc(at->function)) + " (" +
                  Where(CodeRefFrom(*at)) + "), and the source next to it shows " + hits.front().what +
                  " at line " + std::to_string(hits.front().line) + ".";
      for (const SourceHit& h : hits) f.evidence.details.push_back(h.file + ":" + std::to_string(h.line) + ": " + h.what);
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, hits.front().what);
      out->push_back(std::move(f));
      break;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2006() { return std::make_unique<GT2006>(); }

}  // namespace gotriage
