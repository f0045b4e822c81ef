// GT2007: go test killed by -timeout; names the hung test and what it waits on.
#include <cctype>
#include <string>

#include "base/strings.h"
#include "rules/catalog.h"
#include "rules/crash_claim.h"
#include "rules/hang_util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2007.id,
    .title = "go test timeout (hung test)",
    .category = rule_names::GT2007.category,
    .severity = Severity::kHigh,
    .what = "`go test` stopped the test binary with `panic: test timed out after D` because a test "
            "ran longer than -timeout (10m by default). The dump that follows shows every "
            "goroutine; the `running tests:` list (Go 1.21+) names the tests that were still running.",
    .why = "The test (or the code under test) waits for something that never happens: a channel "
           "nobody sends on, a lock held by a blocked goroutine, a WaitGroup whose workers are stuck, "
           "a network call without a deadline.",
    .fix = "Start from the test named in the finding and the goroutine it waits on.\n"
           "Fix the deadlock or missing signal in the code under test (see the blocked frame).\n"
           "Give waits in tests their own deadline (select with time.After or t.Context/ctx) so they fail fast with a message.",
    .before = "func TestReserve(t *testing.T) {\n\tvar wg sync.WaitGroup\n\t// workers block forever on s.mu\n\twg.Wait()\n}",
    .after = "func TestReserve(t *testing.T) {\n\tdone := make(chan struct{})\n\tgo func() { wg.Wait(); close(done) }()\n\tselect {\n\tcase <-done:\n\tcase <-time.After(5 * time.Second):\n\t\tt.Fatal(\"workers did not finish\")\n\t}\n}",
    .links = {"https://pkg.go.dev/cmd/go#hdr-Testing_flags", "https://pkg.go.dev/testing"},
};

bool IsTestHarness(const Frame& f) {
  return StartsWith(f.function, "testing.") || f.function == "main.main" ||
         f.file.find("_testmain.go") != std::string_view::npos;
}

// A bare goroutine dump (its `panic: test timed out` header not pasted: a
// fragment of a CI log) in which the test runner has waited minutes in
// t.Run: the minutes say a test hung; the longest wait is returned.
int HeaderlessTestHang(const Incident& inc) {
  if (inc.kind != IncidentKind::kGoroutineDump) return 0;
  int minutes = 0;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty() || g.max_wait_minutes < 1) continue;
    if (HasFrame(g.representative().frames, "testing.(*T).Run")) minutes = std::max(minutes, g.max_wait_minutes);
  }
  return minutes;
}

// `go test -timeout` killed the binary: its own incident kind, and the
// `panic: test timed out after 10m0s` message wherever else it is found.
bool IsTestTimeoutIncident(const Incident& inc) { return inc.kind == IncidentKind::kTestTimeout; }
constexpr CrashMessage kMessages[] = {{MessageMatch::kPrefix, "test timed out after"}};
// A test's own watchdog: `panic: test network took more than 60s ... hang`,
// raised in a test (testing.tRunner on the stack) with a message no other
// rule claims.
bool WatchdogPanic(const Incident& inc, std::string_view message) {
  if (inc.kind != IncidentKind::kPanic || !inc.crashing || !HasFrame(inc.crashing->frames, "testing.tRunner"))
    return false;
  std::string low(message);
  for (char& ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (std::string_view w : {"hang", "timed out", "timeout", "took more than", "deadline exceeded"})
    if (low.find(w) != std::string::npos) return true;
  return false;
}
const CrashClaim kClaim{.messages = kMessages, .shape = IsTestTimeoutIncident, .otherwise = WatchdogPanic};

class GT2007 : public IncidentRule, public ClaimsCrashes {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  const CrashClaim& claim() const override { return kClaim; }
  bool AppliesTo(const Incident& inc) const override {
    return ClassifyCrash(inc) == kDoc.id || HeaderlessTestHang(inc) > 0;
  }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    Finding f = NewFinding(kDoc, in, i);
    f.confidence = 0.95;
    int hang_minutes = HeaderlessTestHang(inc);
    if (inc.kind != IncidentKind::kTestTimeout && hang_minutes == 0) {
      // A test's own watchdog panicked: blame the frame below the panic.
      // No goroutine at all when the stacks were cut off after the header.
      const Goroutine* g = CrashingGoroutine(inc);
      std::string test;
      if (g) {
        for (const Frame& x : g->frames) {
          std::string s = ShortFunc(x.function);
          if (s.find(".Test") != std::string::npos) test = s.substr(s.find(".Test") + 1);
        }
        SetCulprit(&f, g->frames, CulpritIndex(g->frames, true));
      }
      f.confidence = 0.8;
      f.summary = "The test " + (test.empty() ? std::string("") : test + " ") + "gave up with `" +
                  (inc.kind == IncidentKind::kFatalError ? "fatal error: " : "panic: ") + RootMessage(inc) +
                  "`: its own watchdog detected a hang";
      if (f.culprit) f.summary += " in " + f.culprit->function + " (" + Where(*f.culprit) + ")";
      f.summary += ".";
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, RootMessage(inc));
      out->push_back(std::move(f));
      return;
    }
    // The hung test: running tests list, else the Test* frame under tRunner.
    std::string test;
    if (!inc.running_tests.empty()) test = inc.running_tests.front();
    // What it waits on: a blocked goroutine in the code under test,
    // channel waits first (they usually hold what the others wait for).
    const GoroutineGroup* best = nullptr;
    int best_rank = 99;
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty()) continue;
      const std::vector<Frame>& fr = g.representative().frames;
      if (HasFrame(fr, "testing.(*M).startAlarm")) continue;
      for (const Frame& x : fr) {
        std::string s = ShortFunc(x.function);
        if (test.empty() && s.find(".Test") != std::string::npos) test = s.substr(s.find(".Test") + 1);
      }
      int ci = GroupCulprit(g);
      if (ci < 0 || IsTestHarness(fr[ci])) continue;
      bool in_test = ShortFunc(fr[ci].function).find(".Test") != std::string::npos;
      WaitKind w = EffectiveWait(g);
      int rank = in_test ? 3 : IsChanWait(w) ? 0 : w == WaitKind::kMutex ? 1 : 2;
      if (rank < best_rank) {
        best = &g;
        best_rank = rank;
      }
    }
    if (hang_minutes > 0) {
      // Sparse evidence: no timeout header, only the runner's wait.
      f.confidence = 0.6;
      f.summary = "A test has been waiting " + std::to_string(hang_minutes) + " minutes in t.Run" +
                  (test.empty() ? std::string("") : " (" + test + ")") +
                  "; the paste has no `panic: test timed out` header, so this is read from the wait "
                  "times alone (a go test -timeout kill, or a hang on its way to one).";
      f.evidence.details.push_back("no timeout header in the input; test runner blocked " +
                                   std::to_string(hang_minutes) + " minutes");
    } else {
      f.summary = "The test binary was killed after " + (inc.timeout.empty() ? std::string("its timeout") : inc.timeout) +
                  (test.empty() ? std::string(".")
                                : " while running " + test +
                                      (f.test_package.empty() ? "" : " in package " + f.test_package) + ".");
    }
    if (best) {
      int ci = GroupCulprit(*best);
      SetCulprit(&f, best->representative().frames, ci);
      AddGroupEvidence(&f, *best);
      f.summary += " It hangs on " + GroupText(*best, ci) + ".";
      uint64_t others = 0;
      for (const GoroutineGroup& g : inc.groups) {
        if (&g == best || g.samples.empty()) continue;
        int gi = GroupCulprit(g);
        if (gi >= 0 && ci >= 0 && g.representative().frames[gi].function == best->representative().frames[ci].function) {
          others += g.count;
          AddGroupEvidence(&f, g, 4);
        }
      }
      if (others) f.summary += " " + Count(others, "more goroutine") + " are blocked in the same function.";
    } else {
      f.summary += " No goroutine outside the test harness was printed, so what it waits on is unknown.";
    }
    AddDocRemediation(&f, kDoc);
    // The test by name (`TestX`, not the closure `TestX.func1` that Go
    // 1.19 reports as running).
    SetFingerprint(&f, "test timeout " + test.substr(0, test.find_first_of(" .")));
    out->push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2007() { return std::make_unique<GT2007>(); }

}  // namespace gotriage
