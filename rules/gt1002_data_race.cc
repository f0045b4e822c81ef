// GT1002: data race reported by the race detector (not on a map).
#include <algorithm>

#include "rules/catalog.h"
#include "rules/util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1002.id,
    .title = "Data race",
    .category = rule_names::GT1002.category,
    .severity = Severity::kHigh,
    .what = "The race detector (`go test -race`, `go build -race`) saw two goroutines access the "
            "same memory without synchronization, at least one of them writing: `WARNING: DATA "
            "RACE`. The report names both accesses and where each goroutine was created.",
    .why = "A struct field, slice, counter or pointer is shared between goroutines (a server's "
           "state, a closure capturing a loop variable, a result written by a worker and read "
           "by the caller) without a mutex, channel or atomic.",
    .fix = "Look at both stacks: the two functions touch the same variable (the `Location is` line names it when it is global).\n"
           "Protect it with a sync.Mutex, use sync/atomic for counters, or hand ownership over a channel.\n"
           "Re-run the test with -race -count=20 to confirm the fix.",
    .before = "func (s *Server) Handle() {\n\ts.requests++ // from many goroutines\n}",
    .after = "func (s *Server) Handle() {\n\ts.requests.Add(1) // requests is an atomic.Int64\n}",
    .links = {"https://go.dev/doc/articles/race_detector", "https://go.dev/ref/mem"},
};

class GT1002 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  bool AppliesTo(const Incident& inc) const override { return inc.race && !RaceOnMap(*inc.race); }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    Finding f = RaceFinding(kDoc, in, i);
    const RaceReport& r = *inc.race;
    std::string where = f.culprit ? FuncAndWhere(f.culprit->function, *f.culprit) : "an unknown frame";
    std::string kind = r.accesses.empty() ? "access" : r.accesses.front().kind;
    for (char& ch : kind) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    f.summary = "The race detector saw an unsynchronized " + kind + " in " + where;
    if (int dep = r.accesses.empty() ? -1 : DependencyAccess(r.accesses.front().frames); dep >= 0) {
      const Frame& d = r.accesses.front().frames[static_cast<size_t>(dep)];
      f.summary += ", inside the dependency's " + FuncAndWhere(BareFunc(d.function), CodeRefFrom(d)) +
                   " (state of the dependency that the application reaches from more than one goroutine)";
    }
    if (r.accesses.size() > 1) {
      const RaceAccess& b = r.accesses[1];
      int ci = RaceCulpritIndex(b.frames);
      std::string other = b.kind;
      for (char& ch : other) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (ci >= 0) f.summary += " racing with a " + other + " in " + std::string(BareFunc(b.frames[ci].function));
      else if (b.stack_unavailable) f.summary += " racing with a " + other + " whose stack could not be restored";
    }
    f.summary += ".";
    if (!r.global_var.empty()) f.summary += " " + r.global_var + ".";
    if (!r.test_name.empty()) f.summary += " Detected in " + r.test_name + ".";
    AddDocRemediation(&f, kDoc);
    // One race is often reported twice, once from each side (read then
    // write, write then read): the fingerprint is the set of the two
    // sides' code locations, in no particular order, so both reports fold
    // into one finding.
    std::vector<std::string> sides;
    for (const RaceAccess& a : r.accesses) {
      int ci = CulpritIndex(a.frames, false);
      if (ci >= 0) sides.push_back(std::string(BareFunc(a.frames[ci].function)) + ":" + std::to_string(a.frames[ci].line));
    }
    std::sort(sides.begin(), sides.end());
    std::string key = "race";
    for (const std::string& side : sides) key += " " + side;
    SetFingerprint(&f, key);
    out->push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1002() { return std::make_unique<GT1002>(); }

}  // namespace gotriage
