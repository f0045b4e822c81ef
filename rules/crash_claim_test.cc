// The crash rules' message tables (rules/crash_claim.h): every message a
// rule declares is claimed by that rule alone, and no real crash of the
// fixtures or the corpus matches two rules' messages, so the catalog order
// that ClassifyCrash asks them in decides nothing.
#include "rules/crash_claim.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"
#include "rules/engine.h"
#include "rules/util.h"

namespace gotriage {
namespace {

std::unique_ptr<ParsedInput> ParseString(const std::string& text) {
  Parser p(ParseOptions{});
  p.AddText("claims", text);
  return p.Finish();
}

std::unique_ptr<ParsedInput> ParsePath(const std::string& path) {
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(path, &err)) << path << ": " << err;
  return p.Finish();
}

TEST(Claims, EveryDeclaredMessageIsItsOwnRulesAlone) {
  size_t checked = 0;
  std::set<std::string_view> catch_all;
  for (const auto& r : Catalog()) {
    const auto* c = dynamic_cast<const ClaimsCrashes*>(r.get());
    if (!c) continue;
    if (c->claim().catch_all) catch_all.insert(r->doc().id);
    for (const CrashMessage& m : c->claim().messages) {
      // The message alone, as the runtime prints an unrecovered panic (a
      // prefix or a part with more after it).
      std::string text(m.text);
      if (m.match != MessageMatch::kEquals) text += "x (more)";
      auto in = ParseString("panic: " + text +
                            "\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\nexit status 2\n");
      ASSERT_FALSE(in->incidents.empty()) << m.text;
      const Incident& inc = in->incidents[0];
      ASSERT_TRUE(IsCrash(inc)) << m.text;
      EXPECT_TRUE(Matches(m, RootMessage(inc))) << r->doc().id << ": '" << m.text << "' vs '" << RootMessage(inc) << "'";
      std::vector<std::string_view> ids = MessageClaimants(inc);
      EXPECT_EQ(ids, std::vector<std::string_view>{r->doc().id}) << "'" << m.text << "'";
      EXPECT_EQ(ClassifyCrash(inc), r->doc().id) << "'" << m.text << "'";
      ++checked;
    }
  }
  EXPECT_GE(checked, 20u);
  EXPECT_EQ(catch_all, std::set<std::string_view>{"GT1011"});
}

TEST(Claims, NoRealCrashMatchesTwoRulesMessages) {
  std::vector<test_inputs::LabelledCase> cases = test_inputs::ManifestCases();
  for (auto& c : test_inputs::CorpusCases()) cases.push_back(std::move(c));
  size_t crashes = 0;
  std::set<std::string_view> claimed;
  for (const auto& c : cases) {
    ASSERT_EQ(c.problem, "") << c.name;
    auto in = ParsePath(c.path.string());
    for (const Incident& inc : in->incidents) {
      if (!IsCrash(inc)) continue;
      ++crashes;
      std::vector<std::string_view> ids = MessageClaimants(inc);
      std::string all;
      for (std::string_view id : ids) all += std::string(id) + " ";
      EXPECT_LE(ids.size(), 1u) << c.name << ": '" << RootMessage(inc).substr(0, 200) << "' is claimed by " << all;
      std::string_view id = ClassifyCrash(inc);
      EXPECT_FALSE(id.empty()) << c.name << ": a crash no rule claims";
      claimed.insert(id);
    }
  }
  EXPECT_GT(crashes, 200u);
  // Every rule that claims crashes by message claims some real one.
  for (const char* id : {"GT1001", "GT1003", "GT1004", "GT1005", "GT1006", "GT1007", "GT1008", "GT1009", "GT1010",
                         "GT1011", "GT2001"})
    EXPECT_TRUE(claimed.count(id)) << id << " claims no fixture or corpus crash";
}

TEST(Claims, OrderOfTheQuestions) {
  // By shape first: a `go test` timeout is GT2007 whatever follows.
  auto t = ParseString(
      "panic: test timed out after 10m0s\n\trunning tests:\n\t\tTestX (10m0s)\n\n"
      "goroutine 7 [running]:\ntesting.(*M).startAlarm.func1()\n\t/usr/local/go/src/testing/testing.go:2373 +0x385\n");
  ASSERT_FALSE(t->incidents.empty());
  EXPECT_EQ(ClassifyCrash(t->incidents[0]), "GT2007");
  // `otherwise`: a SIGSEGV at a low address with a message no table has.
  auto s = ParseString(
      "panic: something odd\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x45a2b3]\n\n"
      "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n");
  ASSERT_FALSE(s->incidents.empty());
  EXPECT_EQ(ClassifyCrash(s->incidents[0]), "GT1003");
  // The catch-all: any other panic.
  auto o = ParseString("panic: invoice 7 does not match line sum\n\ngoroutine 1 [running]:\nmain.main()\n"
                       "\t/app/main.go:5 +0x1d\n");
  ASSERT_FALSE(o->incidents.empty());
  EXPECT_EQ(ClassifyCrash(o->incidents[0]), "GT1011");
  EXPECT_TRUE(MessageClaimants(o->incidents[0]).empty());
  // Not a crash: nothing.
  auto d = ParseString("goroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:5 +0x1d\n");
  ASSERT_FALSE(d->incidents.empty());
  EXPECT_EQ(ClassifyCrash(d->incidents[0]), "");
}

}  // namespace
}  // namespace gotriage
