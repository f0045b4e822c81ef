// Tests of the race report parser on real `go test -race` / `go run -race`
// output (testdata/fixtures/race-*.txt and inline captures from go1.26.8).
#include "parsers/race.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "parsers/classify.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

std::string ReadFixture(const std::string& rel) {
  // A missing or empty input fails the test.
  return test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/" + rel);
}

std::string Stack(const std::vector<Frame>& frames) {
  std::string s;
  for (const Frame& f : frames) {
    std::string file(f.file);
    if (size_t slash = file.rfind('/'); slash != std::string::npos) file = file.substr(slash + 1);
    s += "    " + std::string(f.function) + " " + file + ":" + std::to_string(f.line) + "\n";
  }
  return s;
}

// A compact, stable rendering of a race incident for whole-value asserts.
std::string Describe(const Incident& inc) {
  std::string s = std::string(IncidentKindName(inc.kind)) + " lines " + std::to_string(inc.first_line) +
                  "-" + std::to_string(inc.last_line);
  if (inc.partial) s += " partial(" + inc.partial_reason + ")";
  if (inc.exit_status >= 0) s += " exit " + std::to_string(inc.exit_status);
  s += "\n";
  if (!inc.race) return s + "  no race\n";
  const RaceReport& r = *inc.race;
  s += "  test " + (r.test_name.empty() ? std::string("-") : r.test_name) + " @" +
       std::to_string(r.test_line) + " detected @" + std::to_string(r.detected_line) + "\n";
  if (!r.global_var.empty()) s += "  location " + r.global_var + "\n";
  if (!r.heap_block.empty()) s += "  heap " + r.heap_block + "\n" + Stack(r.heap_allocated_at);
  for (const RaceAccess& a : r.accesses) {
    s += "  " + a.kind + " " + a.address + " by " +
         (a.goroutine < 0 ? std::string("main") : std::to_string(a.goroutine));
    if (a.stack_unavailable) s += " [no stack]";
    s += "\n" + Stack(a.frames);
    if (!a.goroutine_status.empty()) s += "   created (" + a.goroutine_status + ")\n" + Stack(a.created_at);
  }
  return s;
}

std::string DescribeAll(const ParsedInput& in) {
  std::string s;
  for (const Incident& inc : in.incidents) s += Describe(inc);
  return s;
}

// What a fixture says about itself, found by plain text search; the
// fixtures are recaptured from time to time (addresses, goroutine IDs and
// report counts change), so the expectations are derived, not written down.
struct FixtureFacts {
  std::vector<size_t> report_lines;  // `==================` opening each report
  std::string fail_test;             // the last `--- FAIL:` name
  size_t fail_line = 0, detected_line = 0;
};

FixtureFacts ScanFixture(const std::string& text) {
  FixtureFacts f;
  std::istringstream ss(text);
  std::string line;
  for (size_t n = 1; std::getline(ss, line); ++n) {
    if (line == "WARNING: DATA RACE") f.report_lines.push_back(n - 1);
    if (line.rfind("--- FAIL: ", 0) == 0) {
      f.fail_test = line.substr(10, line.find(" (") - 10);
      f.fail_line = n;
    }
    // go1.19 repeats the line for each parent test: the first one counts.
    if (line.find("race detected during execution of test") != std::string::npos && f.detected_line == 0)
      f.detected_line = n;
  }
  return f;
}

TEST(RaceParser, EveryRaceFixture) {
  const struct {
    const char* file;
    const char* app_function;  // the racing access's first app frame
  } kCases[] = {
      {"race-field.go126.txt", "example.com/fixtures/race-field.(*Server).Handle"},
      {"race-field.go119.txt", "example.com/fixtures/race-field.(*Server).Handle"},
      {"race-map.go126.txt", "example.com/fixtures/race-map.(*Memo)."},
      {"race-map.go119.txt", "example.com/fixtures/race-map.(*Memo)."},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.file);
    std::string text = ReadFixture(c.file);
    ASSERT_FALSE(text.empty());
    FixtureFacts facts = ScanFixture(text);
    auto in = ParseText(text);
    ASSERT_EQ(in->incidents.size(), facts.report_lines.size());
    EXPECT_EQ(in->lines_unplaced, 0u);
    for (size_t i = 0; i < in->incidents.size(); ++i) {
      const Incident& inc = in->incidents[i];
      EXPECT_EQ(inc.kind, IncidentKind::kRaceReport);
      EXPECT_FALSE(inc.partial);
      EXPECT_EQ(inc.first_line, facts.report_lines[i]);
      ASSERT_TRUE(inc.race);
      const RaceReport& r = *inc.race;
      EXPECT_EQ(r.test_name, facts.fail_test);
      EXPECT_EQ(r.test_line, facts.fail_line);
      EXPECT_EQ(r.detected_line, facts.detected_line);
      ASSERT_EQ(r.accesses.size(), 2u);
      EXPECT_TRUE(r.accesses[0].kind == "Read" || r.accesses[0].kind == "Write");
      EXPECT_EQ(r.accesses[1].kind.rfind("Previous ", 0), 0u);
      for (const RaceAccess& a : r.accesses) {
        EXPECT_GE(a.goroutine, 1);
        EXPECT_FALSE(a.goroutine_status.empty());
        EXPECT_FALSE(a.created_at.empty());
        ASSERT_FALSE(a.frames.empty());
        for (const Frame& f : a.frames) {
          EXPECT_FALSE(f.file.empty()) << f.function;
          EXPECT_GT(f.line, 0) << f.function;
          EXPECT_TRUE(f.has_offset);
          EXPECT_GT(f.input_line, inc.first_line);
          EXPECT_LT(f.input_line, inc.last_line);
        }
      }
      int app = FirstAppFrame(r.accesses[0].frames);
      ASSERT_GE(app, 0);
      EXPECT_EQ(std::string(r.accesses[0].frames[app].function).rfind(c.app_function, 0), 0u)
          << r.accesses[0].frames[app].function;
      EXPECT_EQ(r.accesses[0].frames[app].package,
                std::string_view(c.app_function).substr(0, std::string_view(c.app_function).find(".(")));
    }
  }
}

std::string ReadCi(const std::string& name) {
  // A missing or empty input fails the test.
  return test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/ci/" + name);
}

// testdata/ci captures (regen.sh): go test -race, go test -race -v and
// go run -race, with go1.19 and go1.26.
TEST(RaceParser, CiCaptures) {
  const struct {
    const char* file;
    const char* test;
    int64_t first_goroutine;  // -1: main goroutine, 0: any goroutine
  } kCases[] = {
      {"race-test.go126.txt", "TestHitAll/two", 0},
      {"race-test.go119.txt", "TestHitAll/two", 0},
      {"race-test-v.go126.txt", "TestHitAll/two", 0},
      {"race-test-v.go119.txt", "TestHitAll/two", 0},
      {"race-run.go126.txt", "", -1},
      {"race-run.go119.txt", "", -1},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.file);
    std::string text = ReadCi(c.file);
    ASSERT_FALSE(text.empty());
    FixtureFacts facts = ScanFixture(text);
    auto in = ParseText(text);
    ASSERT_EQ(in->incidents.size(), 1u);
    const Incident& inc = in->incidents[0];
    EXPECT_EQ(inc.first_line, facts.report_lines[0]);
    EXPECT_EQ(inc.race->test_name, c.test);
    EXPECT_EQ(inc.race->detected_line, facts.detected_line);
    ASSERT_EQ(inc.race->accesses.size(), 2u);
    if (c.first_goroutine < 0) {
      // Either access may be main's, depending on the scheduling.
      const RaceAccess& a = inc.race->accesses[0];
      const RaceAccess& b = inc.race->accesses[1];
      const RaceAccess& main_access = a.goroutine == -1 ? a : b;
      const RaceAccess& other = a.goroutine == -1 ? b : a;
      EXPECT_EQ(main_access.goroutine, -1);
      EXPECT_TRUE(main_access.created_at.empty());
      EXPECT_EQ(main_access.frames[0].function, "main.main");
      EXPECT_GE(other.goroutine, 1);
      EXPECT_FALSE(other.goroutine_status.empty());
      EXPECT_EQ(other.created_at[0].function, "main.main");
    } else {
      EXPECT_EQ(inc.race->accesses[0].frames[0].function, "example.com/ci/race.(*Counter).Hit");
      EXPECT_EQ(inc.race->accesses[0].frames[0].line, 10);
    }
    EXPECT_EQ(in->lines_unplaced, 0u);
  }
}

// `go run -race .` (go1.26.8): the main goroutine races, no test around it.
constexpr std::string_view kGoRun = R"(==================
WARNING: DATA RACE
Read at 0x0000006204d8 by goroutine 7:
  main.bump()
      /tmp/racex/main.go:10 +0x24

Previous write at 0x0000006204d8 by main goroutine:
  main.main()
      /tmp/racex/main.go:14 +0x4b

Goroutine 7 (running) created at:
  main.main()
      /tmp/racex/main.go:13 +0x27
==================
==================
WARNING: DATA RACE
Read at 0x0000006204d8 by main goroutine:
  main.main()
      /tmp/racex/main.go:16 +0x76

Previous write at 0x0000006204d8 by goroutine 7:
  main.bump()
      /tmp/racex/main.go:10 +0x3c

Goroutine 7 (finished) created at:
  main.main()
      /tmp/racex/main.go:13 +0x27
==================
2
Found 2 data race(s)
exit status 66
)";

TEST(RaceParser, GoRunMainGoroutine) {
  auto in = ParseText(kGoRun);
  EXPECT_EQ(DescribeAll(*in),
            "race_report lines 1-14\n"
            "  test - @0 detected @0\n"
            "  Read 0x0000006204d8 by 7\n"
            "    main.bump main.go:10\n"
            "   created (running)\n"
            "    main.main main.go:13\n"
            "  Previous write 0x0000006204d8 by main\n"
            "    main.main main.go:14\n"
            "race_report lines 15-28\n"
            "  test - @0 detected @0\n"
            "  Read 0x0000006204d8 by main\n"
            "    main.main main.go:16\n"
            "  Previous write 0x0000006204d8 by 7\n"
            "    main.bump main.go:10\n"
            "   created (finished)\n"
            "    main.main main.go:13\n");
}

// `go test -race ./t` (go1.26.8), frames trimmed: a subtest race, then a
// test that panics.
constexpr std::string_view kSubtestPlain = R"(==================
WARNING: DATA RACE
Write at 0x00c00008c038 by goroutine 13:
  example.com/racex/t.TestSub.func1.1()
      /tmp/racex/t/x_test.go:26 +0x33

Previous write at 0x00c00008c038 by goroutine 12:
  example.com/racex/t.TestSub.func1()
      /tmp/racex/t/x_test.go:27 +0x104

Goroutine 13 (running) created at:
  example.com/racex/t.TestSub.func1()
      /tmp/racex/t/x_test.go:26 +0xf9

Goroutine 12 (running) created at:
  testing.(*T).Run()
      /usr/local/go/src/testing/testing.go:2101 +0xb12
==================
--- FAIL: TestSub (0.00s)
    --- FAIL: TestSub/inner (0.00s)
        x_test.go:29: a log line of the test
        testing.go:1712: race detected during execution of test
--- FAIL: TestPanics (0.00s)
panic: assignment to entry in nil map [recovered, repanicked]

goroutine 7 [running]:
example.com/racex/t.TestPanics(0xc00001cfc8?)
	/tmp/racex/t/x_test.go:36 +0x3f
testing.tRunner(0xc00001cfc8, 0x654590)
	/usr/local/go/src/testing/testing.go:2036 +0x21d
created by testing.(*T).Run in goroutine 1
	/usr/local/go/src/testing/testing.go:2101 +0xb13
FAIL	example.com/racex/t	0.036s
FAIL
)";

TEST(RaceParser, SubtestNonVerboseTakesInnermostFailThenPanicFollows) {
  auto in = ParseText(kSubtestPlain);
  ASSERT_EQ(in->incidents.size(), 2u);
  const Incident& r = in->incidents[0];
  EXPECT_EQ(r.kind, IncidentKind::kRaceReport);
  EXPECT_EQ(r.race->test_name, "TestSub/inner");
  EXPECT_EQ(r.race->test_line, 20u);
  EXPECT_EQ(r.race->detected_line, 22u);
  EXPECT_EQ(in->incidents[1].kind, IncidentKind::kPanic);
  EXPECT_EQ(in->incidents[1].first_line, 24u);
}

// `go test -race -v ./t` (go1.26.8), frames trimmed.
constexpr std::string_view kSubtestVerbose = R"(=== RUN   TestGlobal
--- PASS: TestGlobal (0.00s)
=== RUN   TestSub
=== RUN   TestSub/inner
==================
WARNING: DATA RACE
Write at 0x00c000018358 by goroutine 13:
  example.com/racex/t.TestSub.func1.1()
      /tmp/racex/t/x_test.go:26 +0x33

Previous write at 0x00c000018358 by goroutine 12:
  example.com/racex/t.TestSub.func1()
      /tmp/racex/t/x_test.go:27 +0x104
==================
    testing.go:1712: race detected during execution of test
--- FAIL: TestSub (0.00s)
    --- FAIL: TestSub/inner (0.00s)
=== RUN   TestPanics
--- PASS: TestPanics (0.00s)
FAIL
)";

TEST(RaceParser, VerboseUsesRunLine) {
  auto in = ParseText(kSubtestVerbose);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].race->test_name, "TestSub/inner");
  EXPECT_EQ(in->incidents[0].race->test_line, 4u);
  EXPECT_EQ(in->incidents[0].race->detected_line, 15u);
  EXPECT_EQ(in->incidents[0].last_line, 14u);
}

// TSan's Go printer also has these forms (compiler-rt tsan_report.cpp,
// SANITIZER_GO): a lost history, a heap block and a global. Constructed.
constexpr std::string_view kRareForms = R"(==================
WARNING: DATA RACE
Write at 0x00c000120000 by goroutine 9:
  example.com/svc.(*Cache).Put()
      /src/svc/cache.go:40 +0x64

Previous read at 0x00c000120000 by goroutine 8:
  [failed to restore the stack]

Heap block of size 16 at 0x00c000120000 allocated by main goroutine:
  example.com/svc.NewCache()
      /src/svc/cache.go:12 +0x30

Global var example.com/svc.hits of size 8 at 0x000000a1b2c3 declared at /src/svc/cache.go:5

Goroutine 9 (running) created at:
  example.com/svc.Serve()
      /src/svc/serve.go:20 +0x99

Goroutine 8 (finished) created at:
  [failed to restore the stack]
==================
)";

TEST(RaceParser, RareForms) {
  auto in = ParseText(kRareForms);
  EXPECT_EQ(DescribeAll(*in),
            "race_report lines 1-22\n"
            "  test - @0 detected @0\n"
            "  location Global var example.com/svc.hits of size 8 at 0x000000a1b2c3 declared at "
            "/src/svc/cache.go:5\n"
            "  heap Heap block of size 16 at 0x00c000120000 allocated by main goroutine\n"
            "    example.com/svc.NewCache cache.go:12\n"
            "  Write 0x00c000120000 by 9\n"
            "    example.com/svc.(*Cache).Put cache.go:40\n"
            "   created (running)\n"
            "    example.com/svc.Serve serve.go:20\n"
            "  Previous read 0x00c000120000 by 8 [no stack]\n"
            "   created (finished)\n");
  EXPECT_EQ(in->lines_unplaced, 0u);
}

TEST(RaceParser, InputEndsInsideReport) {
  std::string cut(kGoRun.substr(0, kGoRun.find("Previous write")));
  auto in = ParseText(cut);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_TRUE(in->incidents[0].partial);
  EXPECT_EQ(in->incidents[0].partial_reason, "input ends inside the race report");
  ASSERT_EQ(in->incidents[0].race->accesses.size(), 1u);
  EXPECT_EQ(in->incidents[0].race->accesses[0].frames.size(), 1u);
}

TEST(RaceParser, PasteStartsAtTheFirstAccess) {
  // consul#9458 (fresh9/): the report pasted from its `Write at` line on.
  auto in = ParseText(test_inputs::ReadInput(test_inputs::CorpusDir() /
                                             "fresh9/A-consul-9458-no-WARNING-header-starts-at-Write-cut.log"));
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kRaceReport);
  EXPECT_TRUE(inc.partial);
  ASSERT_EQ(inc.race->accesses.size(), 2u);
  EXPECT_EQ(inc.race->accesses[0].kind, "Write");
  EXPECT_EQ(inc.race->accesses[0].goroutine, 167);
  EXPECT_EQ(inc.race->accesses[0].frames.size(), 3u);
  EXPECT_EQ(inc.race->accesses[1].kind, "Previous read");
  // kGoRun's two reports, the first from its first access on: the same
  // reports, the same accesses.
  auto whole = ParseText(kGoRun);
  auto cut = ParseText(kGoRun.substr(kGoRun.find("Read at")));
  ASSERT_EQ(whole->incidents.size(), 2u);
  ASSERT_EQ(cut->incidents.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(cut->incidents[i].race->accesses.size(), whole->incidents[i].race->accesses.size());
    EXPECT_EQ(cut->incidents[i].race->accesses[0].frames.size(), whole->incidents[i].race->accesses[0].frames.size());
  }
  // Words that only resemble an access are not one.
  for (const char* line : {"Write at 0x10 by goroutine", "Read at 0x10 by someone:", "Written at 0x10 by goroutine 3:"})
    EXPECT_TRUE(ParseText(std::string(line) + "\n")->incidents.empty()) << line;
}

TEST(RaceParser, SeparatorAloneIsNotARace) {
  auto in = ParseText(
      "==================\n"
      "build finished\n"
      "==================\n"
      "panic: boom\n"
      "\n"
      "goroutine 1 [running]:\n"
      "main.main()\n"
      "\t/src/main.go:5 +0x1d\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kPanic);
}

TEST(RaceParser, QueueIsBounded) {
  // Reports waiting for their test are emitted once the queue is full.
  std::string one(kGoRun.substr(0, kGoRun.find("2\nFound")));
  std::string text;
  for (size_t i = 0; i < RaceParser::kMaxQueued; ++i) text += one;
  std::vector<int> seen;
  ParseOptions opts;
  size_t emitted_before_end = 0;
  opts.on_incident = [&](ParsedInput&) { ++emitted_before_end; };
  Parser p(opts);
  p.AddText("<text>", text);
  // 2 reports per copy: the queue filled and flushed before the end.
  EXPECT_EQ(emitted_before_end, 2 * RaceParser::kMaxQueued);
}

TEST(RaceParser, StreamsReportsWhenTheTestIsKnown) {
  // With on_incident, the reports are handed over at the `race detected`
  // line, before the rest of the output is read.
  std::string text = ReadFixture("race-field.go126.txt");
  FixtureFacts facts = ScanFixture(text);
  std::vector<uint64_t> lines_at_emit;
  ParseOptions opts;
  opts.on_incident = [&](ParsedInput& in) { lines_at_emit.push_back(in.lines); };
  Parser p(opts);
  p.AddText("<text>", text);
  ASSERT_EQ(lines_at_emit.size(), facts.report_lines.size());
  for (uint64_t n : lines_at_emit) EXPECT_EQ(n, facts.detected_line);
}

}  // namespace
}  // namespace gotriage
