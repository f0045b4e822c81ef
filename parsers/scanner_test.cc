// The Scanner offers a run of lines to the traceback parser even while it
// sits between goroutines (Idle), when every other parser would first be
// asked whether the line starts its format. That is right only if no other
// parser starts on the lines the traceback parser takes there: blank lines
// and goroutine headers. Checked here on every such line of every fixture
// and corpus file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/describe.h"
#include "parsers/grammar.h"
#include "parsers/panicparse.h"
#include "parsers/pprof_debug1.h"
#include "parsers/scanner.h"
#include "parsers/pprof_top.h"
#include "parsers/race.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

TEST(Scanner, NoOtherParserStartsOnWhatAnIdleTracebackParserTakes) {
  std::vector<std::string> lines = {"", "goroutine 1 [running]:", "goroutine 7 [chan receive, 3 minutes]:",
                                    "goroutine 9 gp=0xc000 m=1 mp=0xc001 [running]:"};
  for (const std::filesystem::path& path : test_inputs::RealInputs()) {
    std::ifstream f(path, std::ios::binary);
    std::string line;
    while (std::getline(f, line)) {
      // The headers TracebackParser::TakeRun takes.
      GoroutineHeader h;
      if (FastGoroutineHeader(line, &h)) lines.push_back(line);
    }
  }
  ASSERT_GT(lines.size(), 1000u);
  ParsedInput out;
  ParseContext ctx;
  ctx.out = &out;
  ctx.emit = [](Incident&&) {};
  std::vector<std::unique_ptr<SubParser>> others;
  others.push_back(std::make_unique<PprofDebug1Parser>(&ctx));
  others.push_back(std::make_unique<RaceParser>(&ctx));
  others.push_back(std::make_unique<DescribeParser>(&ctx));
  others.push_back(std::make_unique<PprofTopParser>(&ctx));
  others.push_back(std::make_unique<PanicparseParser>(&ctx));
  size_t n = 0;
  for (const std::string& text : lines) {
    Line line;
    line.text = text;
    line.lineno = ++n;
    for (auto& p : others) EXPECT_FALSE(p->Start(line)) << "a parser starts on: " << text;
  }
}

// The readers' table: each once, each with the reason for its place, the
// traceback reader first and the loosest starter (bare perf rows) last.
TEST(SubParserTable, EveryReaderOnceWithItsReason) {
  std::set<std::string> names;
  for (const SubParserEntry& e : SubParsers()) {
    EXPECT_TRUE(names.insert(e.name).second) << e.name << " is listed twice";
    EXPECT_GT(std::string(e.why).size(), 20u) << e.name << ": no reason for its place";
    ParsedInput out;
    ParseContext ctx;
    ctx.out = &out;
    EXPECT_NE(e.make(&ctx), nullptr) << e.name;
  }
  ASSERT_GE(SubParsers().size(), 11u);
  EXPECT_STREQ(SubParsers().front().name, "traceback");
  EXPECT_STREQ(SubParsers().back().name, "perf-report");
  auto at = [&](const char* n) {
    for (size_t i = 0; i < SubParsers().size(); ++i)
      if (std::string(SubParsers()[i].name) == n) return i;
    ADD_FAILURE() << n << " is not in the table";
    return size_t{0};
  };
  EXPECT_LT(at("heap-text"), at("pprof-debug1"));
  EXPECT_LT(at("goleak"), at("describe"));
}

}  // namespace
}  // namespace gotriage
