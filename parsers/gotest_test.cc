// Which test an incident happened in (parsers/gotest.h): the tracker on
// go test's own lines, and TestOf on real captures of every runtime
// (testdata/ci, see testdata/ci/regen.sh), plain, -v and -json.
#include "parsers/gotest.h"

#include <gtest/gtest.h>

#include <string>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

std::string ReadCi(const std::string& name) {
  return test_inputs::ReadInput(test_inputs::TestdataDir() / "ci" / name);
}

std::unique_ptr<ParsedInput> Parse(std::string_view text) {
  Parser p{ParseOptions{}};
  p.AddText("ci", text);
  return p.Finish();
}

Line L(std::string_view text, std::string_view package = "") {
  Line l;
  l.text = text;
  l.test_package = package;
  return l;
}

TEST(TestTracker, DeepestFailSinceTheLastRun) {
  TestTracker t;
  EXPECT_FALSE(t.Current(L("panic: x")));
  t.Observe(L("=== RUN   TestSet"));
  t.Observe(L("=== RUN   TestSet/made"));
  EXPECT_EQ(t.Current(L("panic: x"))->name, "TestSet/made");
  // go test prints the parent's FAIL first, the subtest's indented below;
  // test2json puts the subtest's first. Either way the deepest wins.
  t.Observe(L("--- FAIL: TestSet (0.00s)"));
  t.Observe(L("    --- PASS: TestSet/made (0.00s)"));
  t.Observe(L("    --- FAIL: TestSet/empty (0.00s)"));
  EXPECT_EQ(t.Current(L("panic: x"))->name, "TestSet/empty");
  TestTracker j;
  j.Observe(L("--- FAIL: TestSet/empty (0.00s)", "example.com/p"));
  j.Observe(L("--- FAIL: TestSet (0.00s)", "example.com/p"));
  EXPECT_EQ(j.Current(L("panic: x", "example.com/p"))->name, "TestSet/empty");
  EXPECT_EQ(j.Current(L("panic: x", "example.com/p"))->package, "example.com/p");
  // A package's result ends its tests: a later crash is not theirs.
  t.Observe(L("FAIL\texample.com/p\t0.01s"));
  EXPECT_FALSE(t.Current(L("panic: x")));
  t.Observe(L("=== RUN   TestB"));
  t.Observe(L("ok  \texample.com/q\t0.01s"));
  EXPECT_FALSE(t.Current(L("panic: x")));
}

TEST(TestTracker, TestFunctionNames) {
  EXPECT_TRUE(IsTestFunctionName("Test"));
  EXPECT_TRUE(IsTestFunctionName("TestSet"));
  EXPECT_TRUE(IsTestFunctionName("Test_set"));
  EXPECT_TRUE(IsTestFunctionName("BenchmarkX"));
  EXPECT_TRUE(IsTestFunctionName("FuzzParse"));
  EXPECT_FALSE(IsTestFunctionName("Testify"));
  EXPECT_FALSE(IsTestFunctionName("helper"));
}

// A panic in one subtest, as every runtime prints it with and without -v
// and as test2json events: the subtest and its package.
TEST(TestOf, RealSubtestPanicEveryRuntimeAndForm) {
  int files = 0;
  for (const char* v : {"119", "126", "127"}) {
    for (const std::string& name : {std::string("subtest-panic.go") + v + ".txt", std::string("subtest-panic-v.go") + v + ".txt",
                             std::string("subtest-panic-json.go") + v + ".jsonl"}) {
      SCOPED_TRACE(name);
      auto in = Parse(ReadCi(name));
      ASSERT_EQ(in->incidents.size(), 1u);
      std::optional<TestRef> t = TestOf(in->incidents[0]);
      ASSERT_TRUE(t);
      EXPECT_EQ(t->name, "TestSet/empty");
      EXPECT_EQ(t->package, "example.com/ci/subpanic");
      ++files;
    }
  }
  EXPECT_EQ(files, 9);
}

// The same paste from `panic:` on (go test's lines lost): the stack still
// names the test function and its package.
TEST(TestOf, FromTheStackAlone) {
  std::string text = ReadCi("subtest-panic.go126.txt");
  text = text.substr(text.find("panic: "));
  auto in = Parse(text);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_FALSE(in->incidents[0].test);
  std::optional<TestRef> t = TestOf(in->incidents[0]);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name, "TestSet");
  EXPECT_EQ(t->package, "example.com/ci/subpanic");
}

// A timeout names its running test; a race report the test after it. The
// runner's own goroutines (testing.runTests.func1 above tRunner) are not
// a test.
TEST(TestOf, RealTimeoutAndRace) {
  for (const char* name : {"test-timeout.go126.txt", "test-timeout-json.go126.jsonl"}) {
    SCOPED_TRACE(name);
    auto in = Parse(ReadCi(name));
    ASSERT_EQ(in->incidents.size(), 1u);
    std::optional<TestRef> t = TestOf(in->incidents[0]);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->name, "TestAdd");
    EXPECT_EQ(t->package, "example.com/ci/hang");
  }
  for (const char* name : {"race-test.go126.txt", "race-test-json.go119.jsonl", "race-test-v.go127.txt"}) {
    SCOPED_TRACE(name);
    auto in = Parse(ReadCi(name));
    ASSERT_GE(in->incidents.size(), 1u);
    std::optional<TestRef> t = TestOf(in->incidents[0]);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->name, "TestHitAll/two");
    EXPECT_EQ(t->package, "example.com/ci/race");
  }
}

// A crash outside go test has no test.
TEST(TestOf, NoTestOutsideGoTest) {
  auto in = Parse(test_inputs::ReadInput(test_inputs::FixturesDir() / "nil-deref.go126.txt"));
  ASSERT_GE(in->incidents.size(), 1u);
  EXPECT_FALSE(TestOf(in->incidents[0]));
}

}  // namespace
}  // namespace gotriage
