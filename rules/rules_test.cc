// Table-driven tests of the rule catalog over the real corpus
// (testdata/corpus/*/labels.jsonl) and the captured fixtures
// (testdata/manifest.json), plus per-rule must-not-fire cases, selection,
// folding and the generated docs.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "parsers/grammar.h"
#include "parsers/parse.h"
#include "rules/engine.h"
#include "rules/rule_names.h"
#include "tests/support/test_inputs.h"
#include "rules/util.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSource = GOTRIAGE_SOURCE_DIR;

std::unique_ptr<ParsedInput> ParseFile(const std::string& path) {
  Parser p(ParseOptions{});
  std::string err;
  // A missing or empty input fails the test (never an empty, silent pass).
  EXPECT_TRUE(p.AddFile(path, &err)) << err;
  EXPECT_EQ(test_inputs::FileProblem(path), "");
  return p.Finish();
}

std::vector<Finding> AnalyzeFile(const std::string& path, const EngineOptions& opts = {}) {
  auto in = ParseFile(path);
  return Analyze(*in, opts);
}

std::string Bare(std::string s) {
  if (s.size() > 5 && s.compare(s.size() - 5, 5, "(...)") == 0) s.resize(s.size() - 5);
  return s;
}

struct Case {
  std::string path, category, culprit;
  std::vector<std::string> also;
  std::vector<std::string> must_not_fire;  ///< rule IDs (manifest.json)
};

// Cases that cannot be met, with the reason. A case listed here that starts
// passing fails the test, so the list stays honest.
const std::map<std::string, std::string> kKnownDisagreements = {
    {"09-go14946-timer-stop-then-receive-deadlock.txt",
     "labelled timer_misuse: the trace alone is `all goroutines are asleep` with main blocked on "
     "`chan receive`; only the source (receive from timer.C after Stop) shows the timer, which "
     "the playground paste does not include. GT2001 names main.main"},
};

std::string Check(const Case& c) {
  std::vector<Finding> fs = AnalyzeFile(c.path);
  for (const std::string& id : c.must_not_fire) {
    for (const Finding& f : fs)
      if (f.rule_id == id) return id + " fired, which must not (" + f.summary.substr(0, 200) + ")";
  }
  if (c.category.empty() || c.category == "healthy_no_issue" || c.category == "none") {
    for (const Finding& f : fs) {
      if (f.severity > Severity::kInfo) return "healthy input got " + f.rule_id + " (" + f.summary + ")";
    }
    return "";
  }
  if (fs.empty()) return "no finding, want " + c.category;
  const Finding& f = fs.front();
  bool cat = f.category == c.category ||
             std::find(c.also.begin(), c.also.end(), f.category) != c.also.end();
  if (!cat) return "first finding " + f.rule_id + " " + f.category + ", want " + c.category;
  if (!c.culprit.empty()) {
    std::string got = f.culprit ? f.culprit->function : "";
    if (Bare(got) != Bare(c.culprit)) return "culprit " + got + ", want " + c.culprit;
  }
  return "";
}

std::string Str(const json& j, const char* k) {
  return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : "";
}

// Checks one labelled case; \a key names it in kKnownDisagreements.
void RunCase(const std::string& key, const Case& c) {
  std::string problem = Check(c);
  auto known = kKnownDisagreements.find(key);
  if (known != kKnownDisagreements.end()) {
    EXPECT_FALSE(problem.empty()) << key << " now passes; remove it from kKnownDisagreements";
    return;
  }
  EXPECT_EQ(problem, "") << key;
}

Case FromLabel(const test_inputs::LabelledCase& lc, const char* category_field) {
  Case c{lc.path.string(), Str(lc.label, category_field), Str(lc.label, "culprit_function"), {}, {}};
  if (lc.label.contains("also_acceptable") && lc.label["also_acceptable"].is_array())
    for (const auto& a : lc.label["also_acceptable"]) c.also.push_back(a.get<std::string>());
  if (lc.label.contains("must_not_fire") && lc.label["must_not_fire"].is_array())
    for (const auto& a : lc.label["must_not_fire"]) c.must_not_fire.push_back(a.get<std::string>());
  return c;
}

// One test per labelled file of testdata/corpus (every folder with a
// labels.jsonl): the first finding has the label's category (or one of
// also_acceptable) and blames the labelled culprit.
class CorpusCase : public testing::TestWithParam<test_inputs::LabelledCase> {};

TEST_P(CorpusCase, YieldsItsCategoryAndCulprit) {
  const test_inputs::LabelledCase& lc = GetParam();
  ASSERT_EQ(lc.problem, "");
  std::string key = lc.path.filename().string();
  if (kKnownDisagreements.count(key)) {
    RunCase(key, FromLabel(lc, "expected_class"));
    return;
  }
  test_inputs::ExpectAsRecorded("classify", lc, Check(FromLabel(lc, "expected_class")));
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusCase, testing::ValuesIn(test_inputs::CorpusCases()),
                         test_inputs::CaseParamName);

// One test per fixture of testdata/manifest.json.
class ManifestCase : public testing::TestWithParam<test_inputs::LabelledCase> {};

TEST_P(ManifestCase, YieldsItsCategoryAndCulprit) {
  const test_inputs::LabelledCase& lc = GetParam();
  ASSERT_EQ(lc.problem, "");
  RunCase(lc.name, FromLabel(lc, "category"));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ManifestCase, testing::ValuesIn(test_inputs::ManifestCases()),
                         test_inputs::CaseParamName);

// Every entry of kKnownDisagreements names a case that exists, so that a
// renamed file cannot leave a stale excuse behind.
TEST(Corpus, KnownDisagreementsNameExistingCases) {
  std::set<std::string> keys;
  for (const auto& c : test_inputs::CorpusCases()) keys.insert(c.path.filename().string());
  for (const auto& c : test_inputs::ManifestCases()) keys.insert(c.name);
  for (const auto& [key, why] : kKnownDisagreements) EXPECT_TRUE(keys.count(key)) << key << " is not a case";
}

std::string Fixture(const std::string& name) { return kSource + "/testdata/fixtures/" + name; }

bool Fires(const std::vector<Finding>& fs, const std::string& id) {
  return std::any_of(fs.begin(), fs.end(), [&](const Finding& f) { return f.rule_id == id; });
}

// Each hang rule must stay silent on healthy dumps and on crashes of other
// kinds; each crash rule on dumps.
TEST(MustNotFire, HealthyFixturesGiveNothingAboveInfo) {
  for (const char* name : {"healthy-idle-server-debug1.go119.txt", "healthy-idle-server-debug1.go126.txt",
                           "healthy-idle-server-debug2.go119.txt", "healthy-idle-server-debug2.go126.txt",
                           "healthy-tickers.go119.txt", "healthy-tickers.go126.txt",
                           // Idle pools of any size (issue 16 item 2): only pools of 64 or
                           // fewer used to be exempt.
                           "healthy-worker-pool-256-debug1.go126.txt", "healthy-worker-pool-256-debug2.go126.txt",
                           "healthy-worker-pool-1000-debug1.go126.txt", "healthy-worker-pool-1000-debug2.go126.txt",
                           "healthy-worker-pool-10000-debug1.go126.txt", "healthy-worker-pool-10000-debug2.go126.txt"}) {
    // The fixture must be there and hold a dump: silence on a renamed or
    // empty file would pass for nothing.
    ASSERT_EQ(test_inputs::FileProblem(Fixture(name)), "") << name;
    auto in = ParseFile(Fixture(name));
    ASSERT_FALSE(in->incidents.empty()) << name << ": nothing parsed";
    for (const Finding& f : Analyze(*in, {})) {
      EXPECT_LE(f.severity, Severity::kInfo) << name << ": " << f.rule_id << " " << f.summary;
    }
  }
}

// Rules that must not fire on a scenario are listed with it in
// testdata/manifest.py (MUST_NOT_FIRE) and checked by ManifestCase; this
// checks that they are there and that the check bites.
TEST(MustNotFire, ManifestListsThemAndTheCheckBites) {
  size_t listed = 0;
  for (const auto& lc : test_inputs::ManifestCases()) {
    Case c = FromLabel(lc, "category");
    if (c.must_not_fire.empty()) continue;
    ++listed;
    for (const std::string& id : c.must_not_fire) {
      bool known = false;
      for (const RuleName& r : kRuleNames) known |= r.id == id;
      EXPECT_TRUE(known) << lc.name << ": " << id << " is not a rule";
    }
  }
  EXPECT_GE(listed, 30u);
  // The check fails a fixture on a rule it does fire.
  Case c{Fixture("nil-deref.go126.txt"), "nil_dereference", "", {}, {"GT1003"}};
  EXPECT_NE(Check(c).find("GT1003 fired"), std::string::npos);
}

const Finding* First(const std::vector<Finding>& fs, const std::string& id) {
  for (const Finding& f : fs)
    if (f.rule_id == id) return &f;
  return nullptr;
}

// Issue 16 item 4: requests hung for minutes on one shared client give the
// missing timeout with the same count in every form, the wait where the
// form has one, and no advice about a client per request.
TEST(SharedClient, HungRequestsCountTheSameInEveryFormWithTheirWait) {
  for (const char* form : {"debug2", "sigquit", "debug1"}) {
    std::string name = std::string("http-no-timeout-pool-40-held-") + form + ".go126.txt";
    std::vector<Finding> fs = AnalyzeFile(Fixture(name));
    const Finding* f = First(fs, "GT2004");
    ASSERT_NE(f, nullptr) << name;
    EXPECT_EQ(f->evidence.goroutines_involved, 40u) << name;
    EXPECT_NE(f->summary.find("40 goroutines are waiting inside the net/http client"), std::string::npos)
        << name << ": " << f->summary;
    bool minutes = std::string_view(form) != "debug1";
    EXPECT_EQ(f->summary.find("for up to 2 minutes") != std::string::npos, minutes) << name << ": " << f->summary;
    for (const Finding& g : fs) {
      EXPECT_EQ(g.summary.find("per request"), std::string::npos) << name << ": " << g.rule_id;
      for (const std::string& step : g.remediation.steps) EXPECT_EQ(step.find("per request"), std::string::npos) << name;
    }
  }
}

// Sparse evidence (issue 15 item 5): counts without wait minutes or
// creators still give the finding, with lower confidence and the reason.
TEST(SparseEvidence, LeakFromCountsAndShapeSaysWhyConfidenceIsLower) {
  std::vector<Finding> d1 = AnalyzeFile(Fixture("reader-leak-debug1.go126.txt"));
  std::vector<Finding> d2 = AnalyzeFile(Fixture("reader-leak-debug2.go126.txt"));
  ASSERT_FALSE(d1.empty());
  ASSERT_FALSE(d2.empty());
  EXPECT_EQ(d1[0].rule_id, "GT2003");
  EXPECT_EQ(d2[0].rule_id, "GT2003");
  ASSERT_TRUE(d1[0].culprit);
  EXPECT_EQ(d1[0].culprit->function, "main.GetObject.func1");
  EXPECT_LT(d1[0].confidence, d2[0].confidence);
  EXPECT_NE(d1[0].summary.find("no wait times and no creators"), std::string::npos) << d1[0].summary;
  EXPECT_NE(d1[0].summary.find("closure started by main.GetObject"), std::string::npos) << d1[0].summary;
  EXPECT_EQ(d2[0].summary.find("no wait times"), std::string::npos) << d2[0].summary;
}

TEST(SparseEvidence, TestHangFromRunnerWaitWithoutTimeoutHeader) {
  // Real CI fragments without `panic: test timed out`: milvus-io/milvus#7977
  // (one goroutine, GitHub Actions line numbers and timestamps). In
  // matrixone#19185 the header's line was cut inside its timestamp; the
  // header is read all the same (the second line's envelope tells where the
  // cut one ends), so that finding is conclusive.
  const std::string threads = test_inputs::CorpusDir().string() + "/threads/";
  std::vector<Finding> m = AnalyzeFile(threads + "60-milvus-7977-test-timeout-gha-line-numbers-fragment.log");
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].rule_id, "GT2007");
  EXPECT_DOUBLE_EQ(m[0].confidence, 0.6);
  ASSERT_TRUE(m[0].culprit);
  EXPECT_EQ(m[0].culprit->function, "github.com/milvus-io/milvus/internal/proxy.TestProxy");
  EXPECT_NE(m[0].summary.find("waiting 9 minutes in t.Run"), std::string::npos) << m[0].summary;
  EXPECT_NE(m[0].summary.find("no `panic: test timed out` header"), std::string::npos) << m[0].summary;
  std::vector<Finding> x = AnalyzeFile(threads + "62-matrixone-19185-test-timeout-gha-first-timestamp-cut.log");
  ASSERT_FALSE(x.empty());
  EXPECT_EQ(x[0].rule_id, "GT2007");
  EXPECT_DOUBLE_EQ(x[0].confidence, 0.95);
  EXPECT_NE(x[0].summary.find("killed after 40m0s while running TestCancelRunningTask"), std::string::npos)
      << x[0].summary;
  // With its header the same kind of dump is conclusive.
  std::vector<Finding> full = AnalyzeFile(Fixture("test-timeout.go126.txt"));
  ASSERT_FALSE(full.empty());
  EXPECT_EQ(full[0].rule_id, "GT2007");
  EXPECT_GT(full[0].confidence, 0.9);
  // A runner goroutine without wait minutes says nothing about a hang.
  auto in = ParseText("goroutine 7 [chan receive]:\ntesting.(*T).Run(0xc0003fb980, 0x2fad3d1, 0xf, 0xc001b99cc0, 0x1)\n"
                      "\t/usr/local/go/src/testing/testing.go:1179 +0x7cf\n");
  for (const Finding& f : Analyze(*in, {})) EXPECT_NE(f.rule_id, "GT2007");
}

TEST(SparseEvidence, ConnectionLeakFromPersistConnCountsNamesUnclosedBodies) {
  for (const char* name : {"persistconn-leak-debug1.go126.txt", "persistconn-leak-debug2.go126.txt"}) {
    std::vector<Finding> fs = AnalyzeFile(Fixture(name));
    ASSERT_FALSE(fs.empty()) << name;
    EXPECT_EQ(fs[0].rule_id, "GT2003") << name;
    EXPECT_NE(fs[0].summary.find("about 300 connections are open"), std::string::npos) << fs[0].summary;
    EXPECT_NE(fs[0].summary.find("response bodies are not closed"), std::string::npos) << fs[0].summary;
    EXPECT_FALSE(Fires(fs, "GT2004")) << name << ": idle server connections without minutes";
  }
  // In-flight requests hold their connections: not a connection leak.
  EXPECT_FALSE(Fires(AnalyzeFile(Fixture("http-no-timeout-pool-debug1.go126.txt")), "GT2003"));
}

TEST(SparseEvidence, MissingTimeoutFromRoundTripStacksWithoutMinutes) {
  // Both dumps were taken within a minute of the stall: neither has minutes.
  for (const char* name : {"http-no-timeout-pool-debug1.go126.txt", "http-no-timeout-pool-debug2.go126.txt"}) {
    std::vector<Finding> fs = AnalyzeFile(Fixture(name));
    const Finding* a = First(fs, "GT2004");
    ASSERT_TRUE(a) << name;
    ASSERT_TRUE(a->culprit);
    EXPECT_EQ(a->culprit->function, "main.(*Poller).fetch");
    EXPECT_LE(a->confidence, 0.75) << name;
    EXPECT_NE(a->summary.find("no wait times"), std::string::npos) << a->summary;
    EXPECT_NE(a->summary.find("judged from 8 of "), std::string::npos) << a->summary;
  }
}

// A framework that logs or re-raises a panic prints its own frames above
// panic(): the culprit is below them (issue 15 item 5).
TEST(Rules, FrameworkPanicHandlerIsNotTheCulprit) {
  for (const char* name : {"k8s-handlecrash-klog-text.go126.txt", "k8s-handlecrash-really-crash.go126.txt"}) {
    std::vector<Finding> fs = AnalyzeFile(Fixture(name));
    ASSERT_FALSE(fs.empty()) << name;
    for (const Finding& f : fs) {
      EXPECT_EQ(f.rule_id, "GT1003") << name;
      ASSERT_TRUE(f.culprit) << name;
      EXPECT_EQ(f.culprit->function, "main.(*Controller).desiredReplicas") << name;
      EXPECT_NE(f.summary.find("util/runtime."), std::string::npos) << f.summary;
    }
  }
  // The application's own deferred function that re-panics stays the culprit.
  std::vector<Finding> fs = AnalyzeFile(Fixture("repanic.go126.txt"));
  ASSERT_FALSE(fs.empty());
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "main.replayDifferent.func1");
}

TEST(Rules, RecoveredPanicIsOneStepLowerAndBlamesTheFrameBelowPanic) {
  std::vector<Finding> fs = AnalyzeFile(Fixture("nil-deref-recovered.go126.txt"));
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT1003");
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "main.isAdmin");
  EXPECT_NE(fs[0].summary.find("recovered"), std::string::npos);
}

TEST(Rules, SharedClientNamesDependencySiteAppFrameAndPeers) {
  std::vector<Finding> fs = AnalyzeFile(Fixture("seed-shared-client.go126.txt"));
  ASSERT_FALSE(fs.empty());
  const Finding& f = fs[0];
  EXPECT_EQ(f.rule_id, "GT1001");
  ASSERT_TRUE(f.culprit && f.app_frame);
  EXPECT_EQ(f.culprit->kind, "dependency");
  EXPECT_EQ(f.app_frame->function, "main.(*Handler).lookupStock");
  EXPECT_NE(f.summary.find("shares one instance"), std::string::npos) << f.summary;
  EXPECT_GE(f.evidence.goroutine_ids.size(), 2u);
}

TEST(Rules, StackOverflowNamesTheCycle) {
  std::vector<Finding> fs = AnalyzeFile(Fixture("stack-overflow.go126.txt"));
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT1009");
  EXPECT_NE(fs[0].summary.find("main.renderNode -> main.renderChildren -> main.renderNode"), std::string::npos)
      << fs[0].summary;
}

TEST(Rules, LockHeldAcrossChannelNamesHolderAndWaiters) {
  std::vector<Finding> fs = AnalyzeFile(Fixture("seed-report-queue-debug2.go126.txt"));
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2002");
  EXPECT_NE(fs[0].summary.find("147 goroutines"), std::string::npos) << fs[0].summary;
  EXPECT_NE(fs[0].summary.find("Drain"), std::string::npos) << fs[0].summary;
}

TEST(Rules, TimerResetFoundInSourceOnlyWithARoot) {
  std::string dump = Fixture("seed-report-queue-debug2.go119.txt");
  EXPECT_FALSE(Fires(AnalyzeFile(dump), "GT2006"));
  EngineOptions o;
  o.src_dir = kSource + "/testdata/gen/seed-report-queue";
  std::vector<Finding> fs = AnalyzeFile(dump, o);
  auto it = std::find_if(fs.begin(), fs.end(), [](const Finding& f) { return f.rule_id == "GT2006"; });
  ASSERT_NE(it, fs.end());
  ASSERT_TRUE(it->culprit);
  EXPECT_EQ(it->culprit->function, "main.flushLoop");
  // A root that does not hold the file gives nothing (no escape with ..).
  o.src_dir = kSource + "/testdata/gen/seed-report-queue/../nil-deref";
  EXPECT_FALSE(Fires(AnalyzeFile(dump, o), "GT2006"));
}

TEST(Rules, LeakProfileIsConclusive) {
  std::vector<Finding> fs = AnalyzeFile(Fixture("goroutine-leak-profile-debug1.go126.txt"));
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2003");
  EXPECT_GE(fs[0].confidence, 0.95);
}

TEST(Engine, FingerprintIsStableAcrossCapturesAndFoldsCrashLoops) {
  // Two captures of the same bug (different addresses and goroutine IDs).
  std::vector<Finding> a = AnalyzeFile(Fixture("nil-deref.go126.txt"));
  std::vector<Finding> b = AnalyzeFile(Fixture("nil-deref.go119.txt"));
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(a[0].fingerprint, b[0].fingerprint);
  std::ifstream f1(Fixture("nil-deref.go126.txt"));
  std::stringstream ss;
  ss << f1.rdbuf();
  std::string twice = ss.str() + "\n" + ss.str();
  auto in = ParseText(twice);
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].occurrences, 2u);
  EXPECT_EQ(std::count_if(fs.begin(), fs.end(), [](const Finding& f) { return f.rule_id == "GT1003"; }), 1);
}

TEST(Engine, NormalizeMessageDropsAddressesAndNumbers) {
  EXPECT_EQ(NormalizeMessage("index out of range [3] with length 2"), "index out of range [#] with length #");
  EXPECT_EQ(NormalizeMessage("bad ptr 0xc000123456 at 12"), "bad ptr 0x? at #");
}

TEST(Engine, Selection) {
  std::string err;
  EXPECT_TRUE(ValidateSelection("", &err));
  EXPECT_TRUE(ValidateSelection("GT1*,-GT1002", &err));
  EXPECT_TRUE(ValidateSelection("gt2001", &err));
  EXPECT_FALSE(ValidateSelection("GT9999", &err));
  EXPECT_NE(err.find("GT9999"), std::string::npos);
  EXPECT_FALSE(ValidateSelection("GT1*,,GT2*", &err));
  EXPECT_FALSE(ValidateSelection("GT1;rm", &err));
  EngineOptions o;
  o.select = "GT2*";
  EXPECT_TRUE(AnalyzeFile(Fixture("nil-deref.go126.txt"), o).empty());
  o.select = "-GT1003";
  EXPECT_FALSE(Fires(AnalyzeFile(Fixture("nil-deref.go126.txt"), o), "GT1003"));
  o.select = "GT1003";
  EXPECT_TRUE(Fires(AnalyzeFile(Fixture("nil-deref.go126.txt"), o), "GT1003"));
}

// The catalog is rules/rules.def: the same IDs and categories, in its order.
TEST(Catalog, IsRulesDefInOrder) {
  ASSERT_EQ(Catalog().size(), std::size(kRuleNames));
  for (size_t i = 0; i < Catalog().size(); ++i) {
    const RuleDoc& d = Catalog()[i]->doc();
    EXPECT_EQ(d.id, kRuleNames[i].id) << i;
    EXPECT_EQ(d.category, kRuleNames[i].category) << d.id;
  }
}

TEST(Catalog, IdsAreUniqueSortedAndDocumented) {
  std::string prev;
  std::set<std::string> used;
  for (const auto& r : Catalog()) {
    const RuleDoc& d = r->doc();
    std::string id(d.id);
    EXPECT_GT(id, prev);
    prev = id;
    EXPECT_EQ(FindRule(id), r.get());
    // One category per rule: --rules and --explain take category names.
    EXPECT_TRUE(used.insert(std::string(d.category)).second) << id << " shares " << d.category;
    for (std::string_view field : {d.title, d.what, d.why, d.fix, d.before, d.after}) EXPECT_FALSE(field.empty()) << id;
    EXPECT_FALSE(d.links.empty()) << id;
    std::string text = ExplainRule(*r);
    EXPECT_NE(text.find(id), std::string::npos);
    EXPECT_NE(text.find("How to fix it"), std::string::npos);
  }
}

// A rule's `since` (--explain, docs/rules.md) is a version that has been
// released or is being built: never past project(VERSION) in
// CMakeLists.txt, the one version source (--version reads it too, as
// GOTRIAGE_VERSION), and scripts/new-rule writes that version in.
TEST(Docs, EverySinceIsAtMostTheProjectVersion) {
  auto parse = [](std::string_view v, std::vector<int>* out) {
    out->clear();
    for (size_t at = 0; at <= v.size();) {
      size_t dot = v.find('.', at);
      if (dot == std::string_view::npos) dot = v.size();
      int64_t n = 0;
      if (!ParseInt(v.substr(at, dot - at), &n)) return false;
      out->push_back(static_cast<int>(n));
      at = dot + 1;
    }
    return out->size() == 3;
  };
  std::vector<int> project, since;
  ASSERT_TRUE(parse(GOTRIAGE_VERSION, &project)) << GOTRIAGE_VERSION;
  for (const auto& r : Catalog()) {
    const RuleDoc& d = r->doc();
    ASSERT_TRUE(parse(d.since, &since)) << d.id << ": since " << d.since;
    EXPECT_LE(since, project) << d.id << ": since " << d.since << " is past the project's " << GOTRIAGE_VERSION;
  }
}

// docs/rules.md is generated from the rules; GOTRIAGE_REGEN=1 rewrites it.
TEST(Docs, RulesMarkdownIsUpToDate) {
  std::string path = kSource + "/docs/rules.md";
  std::string want = RulesMarkdown();
  const char* regen = std::getenv("GOTRIAGE_REGEN");
  if (regen && std::string(regen) == "1") {
    std::ofstream(path) << want;
  }
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), want) << "docs/rules.md is stale: run GOTRIAGE_REGEN=1 ./build/rules_test --gtest_filter='Docs.*'";
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

// The same state captured in several forms (a reproducer's debug=1,
// debug=2 and SIGQUIT dumps of one runtime version) must give each rule
// the same goroutine count: a SIGQUIT dump shows frames a debug=2 dump
// hides (`go` statement wrappers, runtime frames), and a rule that
// counted them said 24 where the other form said 8 (issue 16 item 4).
// Captures are separate runs, so only those that caught the same state
// are compared: the same goroutines per function (the first frame past the
// runtime's own) wherever two or more wait alike; single goroutines (main,
// the one writing the dump) differ between forms by design.
std::map<std::string, uint64_t> StateOf(const ParsedInput& in) {
  std::map<std::string, uint64_t> state;
  for (const Incident& inc : in.incidents) {
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty()) continue;
      for (const Frame& f : g.representative().frames) {
        if (f.function.rfind("runtime.", 0) == 0 || f.function.rfind("runtime/internal", 0) == 0 ||
            f.function.rfind("internal/runtime", 0) == 0)
          continue;
        state[std::string(f.function)] += g.count;
        break;
      }
    }
  }
  std::erase_if(state, [](const auto& kv) { return kv.second < 2; });
  return state;
}

TEST(CrossForm, EveryRuleCountsTheSameGoroutinesInEveryForm) {
  namespace fs = std::filesystem;
  struct Capture {
    std::string form;
    std::map<std::string, uint64_t> state, involved;  // involved: rule -> goroutines
  };
  std::map<std::string, std::vector<Capture>> seen;  // scenario + runtime -> captures
  for (const auto& e : fs::directory_iterator(test_inputs::FixturesDir())) {
    std::string name = e.path().filename().string();
    size_t go = name.rfind(".go");
    if (go == std::string::npos || e.path().extension() != ".txt") continue;
    std::string stem = name.substr(0, go), version = name.substr(go + 1, name.size() - go - 5);
    for (const char* form : {"-debug1", "-debug2", "-sigquit"}) {
      size_t at = stem.rfind(form);
      if (at == std::string::npos || at + std::strlen(form) != stem.size()) continue;
      auto in = ParseFile(e.path().string());
      Capture c{form + 1, StateOf(*in), {}};
      for (const Finding& f : Analyze(*in, EngineOptions{})) c.involved[f.rule_id] = f.evidence.goroutines_involved;
      seen[stem.substr(0, at) + " " + version].push_back(std::move(c));
    }
  }
  size_t compared = 0;
  for (const auto& [scenario, caps] : seen) {
    for (size_t a = 0; a < caps.size(); ++a) {
      for (size_t b = a + 1; b < caps.size(); ++b) {
        if (caps[a].state != caps[b].state) continue;  // another moment of the program
        for (const auto& [rule, n] : caps[a].involved) {
          auto it = caps[b].involved.find(rule);
          if (it == caps[b].involved.end()) continue;
          ++compared;
          EXPECT_EQ(n, it->second) << scenario << ": " << rule << " counts " << n << " goroutines in the "
                                   << caps[a].form << " form, " << it->second << " in the " << caps[b].form
                                   << " form";
        }
      }
    }
  }
  EXPECT_GE(compared, 6u) << "too few fixtures captured in several forms of one state: the test compared nothing";
}

}  // namespace
}  // namespace gotriage
