// GT1001: concurrent map access, from the runtime's fatal error or from a
// race report on a map operation.
#include <set>

#include "base/strings.h"
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1001.id,
    .title = "Concurrent map access",
    .category = rule_names::GT1001.category,
    .severity = Severity::kCritical,
    .what = "Two goroutines used the same map at the same time and at least one of them wrote. "
            "The runtime detects this and stops the process with `fatal error: concurrent map "
            "writes` (or `concurrent map read and map write`, `concurrent map iteration and map "
            "write`, `concurrent map clone and map write`); the race detector reports it as a "
            "DATA RACE inside runtime.mapaccess/mapassign. It is a fatal error: recover cannot "
            "catch it and deferred functions do not run.",
    .why = "A map is shared between goroutines (a cache, a counter, a struct field, a client's "
           "parameters) without a lock. Often the map is inside an object that the application "
           "creates once and hands to every request handler, and the crash site is in the "
           "library that owns the map while the bug is the sharing in the application.",
    .fix = "[if peers] Find every goroutine that touches the map (the peers listed in the finding) and protect the map with a sync.Mutex or sync.RWMutex held for every read, write and range.\n"
           "[if single] Run again with GOTRACEBACK=all (or send SIGQUIT to a live process): the goroutine that touched the map at the same time is among the others it prints.\n"
           "[if dependency] Check the dependency's docs for concurrency safety; if it is not safe, create one instance per goroutine or serialize calls in the application.\n"
           "[if no-peers] Find every goroutine that touches the map and protect the map with a sync.Mutex or sync.RWMutex held for every read, write and range.\n"
           "Or stop sharing: give each request/goroutine its own object or a copy of the map.\n"
           "Run the tests with -race to find the other access.",
    .before = "type hitCounter struct{ hits map[string]int }\n\nfunc (c *hitCounter) record(path string) {\n\tc.hits[path]++ // called from many goroutines\n}",
    .after = "type hitCounter struct {\n\tmu   sync.Mutex\n\thits map[string]int\n}\n\nfunc (c *hitCounter) record(path string) {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\tc.hits[path]++\n}",
    .links = {"https://go.dev/doc/faq#atomic_maps", "https://go.dev/blog/maps#concurrency",
              "https://pkg.go.dev/sync#Map", "https://go.dev/doc/articles/race_detector"},
};

std::string MapOpVerb(std::string_view msg) {
  if (msg.find("iteration") != std::string_view::npos) return "iterated over a map while another goroutine wrote it";
  if (msg.find("clone") != std::string_view::npos) return "cloned a map while another goroutine wrote it";
  if (msg.find("read") != std::string_view::npos) return "read a map while another goroutine wrote it";
  return "wrote a map while another goroutine also wrote it";
}

// `fatal error: concurrent map writes`, `... read and map write`, `... iteration and map write`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kPrefix, "concurrent map "},
};
const CrashClaim kClaim{.messages = kMessages};

class GT1001 : public CrashRule {
 public:
  GT1001() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

  bool AppliesTo(const Incident& inc) const override { return CrashRule::AppliesTo(inc) || (inc.race && RaceOnMap(*inc.race)); }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    if (CrashRule::AppliesTo(inc)) CrashRule::CheckIncident(ctx, i, out);
    if (!inc.race || !RaceOnMap(*inc.race)) return;
    Finding f = RaceFinding(kDoc, in, i);
    f.severity = Severity::kHigh;  // found by the race detector, not a crash
    std::string where = f.culprit ? FuncAndWhere(f.culprit->function, *f.culprit) : "an unknown frame";
    f.summary = "The race detector caught two goroutines using the same map at once, one of them "
                "writing; the first access is in " + where + ".";
    if (inc.race->accesses.size() > 1) {
      const RaceAccess& b = inc.race->accesses[1];
      int ci = CulpritIndex(b.frames, false);
      if (ci >= 0) f.summary += " The other access is in " + std::string(BareFunc(b.frames[ci].function)) + ".";
      else if (b.stack_unavailable) f.summary += " The other goroutine's stack could not be restored.";
    }
    f.summary += " Without -race this becomes `fatal error: concurrent map writes` in production.";
    AddDocRemediation(&f, kDoc);
    SetFingerprint(&f, "race on map");
    out->push_back(std::move(f));
  }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    f->summary = c.GoroutineText() + " " + MapOpVerb(c.message) + ", in " + c.CulpritText() + ".";
    f->evidence.details.push_back("fatal error: " + c.message);
    if (!c.goroutine || c.culprit < 0) return;
    const Frame& site = c.goroutine->frames[c.culprit];
    // Peers: other goroutines running the same function, or inside a map
    // operation, or calling the same dependency object.
    std::set<std::string> rtypes;
    std::set<std::string> ptrs;
    for (const Frame& fr : c.goroutine->frames) {
      if (fr.kind != FrameKind::kDependency) continue;
      std::string rt = ReceiverType(fr.function), p = FirstArg(fr);
      if (!rt.empty()) rtypes.insert(rt);
      if (!rt.empty() && !p.empty()) ptrs.insert(rt + "@" + p);
    }
    std::vector<std::string> peers;
    bool shared_object = false;
    uint64_t peer_count = 0;
    for (const GoroutineGroup& g : c.incident.groups) {
      if (g.samples.empty()) continue;
      const Goroutine& s = g.representative();
      if (s.id == c.goroutine->id && g.count == 1) continue;
      bool peer = false;
      for (const Frame& fr : s.frames) {
        if (fr.function == site.function || IsMapOpFrame(fr)) peer = true;
        std::string rt = ReceiverType(fr.function);
        if (!rt.empty() && rtypes.count(rt)) {
          peer = true;
          std::string p = FirstArg(fr);
          if (!p.empty() && ptrs.count(rt + "@" + p)) shared_object = true;
        }
      }
      if (!peer) continue;
      peer_count += g.count;
      int ci = CulpritIndex(s.frames, false);
      std::string name = ci >= 0 ? ShortFunc(s.frames[ci].function) : "?";
      peers.push_back("goroutine " + std::to_string(s.id) + " (" + name + ", " + std::string(s.state) + ")");
      for (int64_t id : g.ids) {
        if (id != c.goroutine->id && f->evidence.goroutine_ids.size() < 12) f->evidence.goroutine_ids.push_back(id);
      }
      f->evidence.group_sizes.push_back(g.count);
    }
    if (!peers.empty()) {
      std::string list;
      for (size_t i = 0; i < peers.size() && i < 4; ++i) list += (i ? ", " : "") + peers[i];
      f->summary += " Other goroutines in the same code at the time: " + list + ".";
      f->evidence.goroutines_involved = peer_count + 1;
      f->evidence.details.push_back("peers: " + list);
    }
    if (site.kind == FrameKind::kDependency && f->app_frame) {
      f->summary += " The crash site is in the dependency " + std::string(site.module) +
                    ", called from the application's " + FuncAndWhere(f->app_frame->function, *f->app_frame);
      if (shared_object || !peers.empty()) {
        f->summary += ", and several goroutines call the same object: the application shares one "
                      "instance (e.g. an API client) between concurrent requests. The fix belongs in "
                      "the application: one instance per request or goroutine, or a lock around its use.";
        f->remediation.steps.push_back("Create one " + ShortFunc(ReceiverType(site.function)) +
                                       " per request (or guard the shared one with a mutex) in " +
                                       f->app_frame->function + ".");
      } else {
        f->summary += "; check whether the application shares that object between goroutines.";
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1001() { return std::make_unique<GT1001>(); }

}  // namespace gotriage
