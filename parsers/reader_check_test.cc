// Every reader's fuzz invariants (tests/support/reader_check.h) on every fuzz
// regression and on the minimised seed corpus of its fuzz target
// (fuzz/corpus/TARGET): what a fuzz target once found stays fixed, and the
// checks themselves hold on real input.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/parse.h"
#include "tests/support/reader_check.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

struct ReaderCase {
  const char* target;  // fuzz/corpus/TARGET
  std::function<std::string(std::string_view)> check;
};

const ReaderCase kReaders[] = {
    {"grammar_fuzz", check::CheckGrammar},       {"traceback_fuzz", check::CheckTraceback},
    {"debug1_fuzz", check::CheckDebug1},         {"race_fuzz", check::CheckRace},
    {"goleak_fuzz", check::CheckGoleak},         {"describe_fuzz", check::CheckDescribe},
    {"gctrace_fuzz", check::CheckGcTrace},       {"envelope_fuzz", check::CheckEnvelopes},
    {"prefix_fuzz", check::CheckPrefixLearning}, {"delve_fuzz", check::CheckDelve},
    {"last_words_fuzz", check::CheckLastWords},
};

TEST(ReaderChecks, HoldOnEveryFuzzRegression) {
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::TestdataDir() / "fuzz-regressions")) {
    std::string data = Slurp(f);
    for (const ReaderCase& r : kReaders) EXPECT_EQ(r.check(data), "") << r.target << " on " << f;
  }
}

// The whole parser's line accounting on every real input and regression,
// with default limits and tiny ones (what parse_fuzz checks).
TEST(ReaderChecks, LineCountsHoldOnEveryInput) {
  std::vector<fs::path> files = test_inputs::FilesUnder(test_inputs::TestdataDir() / "fuzz-regressions");
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::FixturesDir())) files.push_back(f);
  for (const fs::path& f : test_inputs::FilesUnder(fs::path(GOTRIAGE_SOURCE_DIR) / "fuzz" / "corpus" / "parse_fuzz"))
    files.push_back(f);
  ASSERT_GT(files.size(), 100u);
  Limits tiny;
  tiny.max_line_bytes = 256;
  tiny.max_groups = 2;
  tiny.max_frames = 3;
  tiny.max_incidents = 2;
  tiny.max_message_lines = 2;
  for (const fs::path& f : files) {
    std::string data = Slurp(f);
    for (const Limits& limits : {Limits{}, tiny}) {
      ParseOptions o;
      o.limits = limits;
      Parser p(o);
      p.AddText("input", data);
      EXPECT_EQ(check::CheckLineCounts(*p.Finish()), "") << f;
    }
  }
}

TEST(ReaderChecks, HoldOnEachTargetsSeedCorpus) {
  for (const ReaderCase& r : kReaders) {
    fs::path dir = fs::path(GOTRIAGE_SOURCE_DIR) / "fuzz" / "corpus" / r.target;
    for (const fs::path& f : test_inputs::FilesUnder(dir)) EXPECT_EQ(r.check(Slurp(f)), "") << f;
  }
}

// The checks are not vacuous: each one fails on a model it must reject.
TEST(ReaderChecks, PrefixInvariantCountsGoroutines) {
  std::string dump =
      "goroutine 1 [running]:\nmain.main()\n\t/src/main.go:5 +0x1d\n\n"
      "goroutine 2 [chan send]:\nmain.f()\n\t/src/main.go:9 +0x2e\n";
  std::vector<std::string_view> lines = check::SplitLines(dump);
  check::ReaderResult whole = check::RunReader<TracebackParser>(lines, Limits{});
  EXPECT_EQ(whole.goroutines, 2u);
  std::vector<std::string_view> head(lines.begin(), lines.begin() + 3);
  EXPECT_EQ(check::RunReader<TracebackParser>(head, Limits{}).goroutines, 1u);
}

TEST(ReaderChecks, GrammarCheckComparesTheFastRecognisers) {
  EXPECT_EQ(check::CheckGrammarLine("goroutine 7 [chan send, 3 minutes]:"), "");
  EXPECT_EQ(check::CheckGrammarLine("\t/src/main.go:12 +0x1d"), "");
  EXPECT_EQ(check::CheckGrammarLine("created by main.main in goroutine 1"), "");
  std::string s = "abcdef";
  std::string_view whole(s);
  EXPECT_TRUE(check::Inside(whole.substr(2, 3), whole));
  EXPECT_FALSE(check::Inside(std::string_view("xyz"), whole));
}

}  // namespace
}  // namespace gotriage
