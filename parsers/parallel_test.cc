// A large file is parsed in two parts on two threads; the result must be the
// one a sequential parse gives.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

std::string ReadFile(const std::string& path) {
  return test_inputs::ReadInput(path);  // a missing or empty input fails
}

std::map<std::string, uint64_t> GroupCounts(const Incident& inc) {
  std::map<std::string, uint64_t> m;
  for (const GoroutineGroup& g : inc.groups) {
    std::string key(g.state);
    for (const Frame& f : g.representative().frames) key += "|" + std::string(f.function);
    m[key] += g.count;
  }
  return m;
}

// The goroutines of \a body with their IDs raised by \a by.
std::string Renumbered(const std::string& body, int64_t by) {
  std::string out;
  size_t start = 0;
  while (start < body.size()) {
    size_t nl = body.find('\n', start);
    if (nl == std::string::npos) nl = body.size();
    std::string_view line(body.data() + start, nl - start);
    size_t sp = line.find(' ', 10);
    if (line.rfind("goroutine ", 0) == 0 && sp != std::string_view::npos) {
      out += "goroutine " + std::to_string(std::stoll(std::string(line.substr(10, sp - 10))) + by);
      out += line.substr(sp);
    } else {
      out += line;
    }
    out += '\n';
    start = nl + 1;
  }
  return out;
}

// The real dump, its goroutines repeated past the split threshold with new
// IDs (a dump never prints one goroutine twice: a repeated first goroutine
// starts a second dump), so that wherever a part starts it continues the
// one dump; \a prefix goes before every line.
std::string BigDump(const std::string& prefix,
                    const std::string& fixture = "goroutine-leak-debug2-t2.go126.txt") {
  std::string dump = ReadFile(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/" + fixture);
  std::string body = dump.substr(dump.find("\n\ngoroutine ") + 2);
  std::string text = dump;
  int copies = 0;
  while (text.size() < (40u << 20)) {
    text += "\n";
    text += Renumbered(body, int64_t{1000000} * ++copies);
  }
  if (prefix.empty()) return text;
  std::string out;
  out.reserve(text.size() + text.size() / 20 * prefix.size());
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += prefix;
    out.append(text, start, nl - start);
    out += '\n';
    start = nl + 1;
  }
  return out;
}

// \a text parsed from a file, as gotriage reads one (a large one in
// parts); nullptr, with a test failure, when it cannot be read.
std::unique_ptr<ParsedInput> ParseFromFile(const std::string& text) {
  // One file per test and process: CTest runs the tests of this file side
  // by side, and other clones' suites may run at the same time.
  std::string path = ::testing::TempDir() + "/gotriage_parallel_" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                     std::to_string(getpid()) + ".txt";
  {
    std::ofstream f(path, std::ios::binary);
    f << text;
  }
  Parser par{ParseOptions()};
  std::string err;
  bool ok = par.AddFile(path, &err);
  std::remove(path.c_str());
  if (!ok) {
    ADD_FAILURE() << err;
    return nullptr;
  }
  return par.Finish();
}

// Parses \a text from a file (split in parts) and in memory (never split).
void ExpectSameAsSequential(const std::string& text) {
  auto a = ParseFromFile(text);
  ASSERT_TRUE(a);
  auto b = ParseText(text);
  ASSERT_EQ(a->incidents.size(), b->incidents.size());
  ASSERT_EQ(a->incidents.size(), 1u);
  EXPECT_FALSE(a->parts.empty()) << "the file was not split";
  EXPECT_EQ(a->incidents[0].goroutine_count, b->incidents[0].goroutine_count);
  EXPECT_EQ(a->incidents[0].last_line, b->incidents[0].last_line);
  EXPECT_EQ(a->incidents[0].timestamp, b->incidents[0].timestamp);
  EXPECT_EQ(a->lines, b->lines);
  EXPECT_EQ(GroupCounts(a->incidents[0]), GroupCounts(b->incidents[0]));
  // The pprof labels each group's goroutines carried, counted per set.
  auto labels = [](const Incident& inc) {
    std::vector<std::string> v;
    for (const GoroutineGroup& g : inc.groups) {
      std::string s = std::to_string(g.count) + " labelled " + std::to_string(g.labelled) + " other " +
                      std::to_string(g.label_sets_other) + ":";
      for (const LabelSetCount& ls : g.label_sets) {
        s += " {";
        for (const Label& l : ls.labels) s += l.key + "=" + l.value + ",";
        s += "} x" + std::to_string(ls.count) + " @" + std::to_string(ls.first_line);
      }
      v.push_back(s);
    }
    return v;
  };
  EXPECT_EQ(labels(a->incidents[0]), labels(b->incidents[0]));
  // And in the same order (largest first, ties in input order).
  auto order = [](const Incident& inc) {
    std::vector<std::pair<uint64_t, size_t>> v;
    for (const GoroutineGroup& g : inc.groups) v.emplace_back(g.count, g.first_line);
    return v;
  };
  EXPECT_EQ(order(a->incidents[0]), order(b->incidents[0]));
}

TEST(ParallelParse, SameResultAsSequentialWithTimestamps) {
  // As `kubectl logs --timestamps` prints it: split inside the envelope.
  ExpectSameAsSequential(BigDump("2026-11-23T10:00:00.123456789Z "));
}

TEST(ParallelParse, SameResultAsSequentialInCriRecords) {
  ExpectSameAsSequential(BigDump("2026-11-23T10:00:00.123456789Z stderr F "));
}

TEST(ParallelParse, SameResultAsSequentialInDockerRecords) {
  // docker json-file: the split is found inside the decoded records.
  std::string text = BigDump("");
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += "{\"log\":\"";
    for (size_t i = start; i < nl; ++i) {
      char c = text[i];
      if (c == '"' || c == '\\') out += '\\', out += c;
      else if (c == '\t') out += "\\t";
      else out += c;
    }
    out += "\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-23T10:00:00.123456789Z\"}\n";
    start = nl + 1;
  }
  ExpectSameAsSequential(out);
}

TEST(ParallelParse, TiesKeepInputOrder) {
  // P is seen once in each part, Q twice in the first: both end with 2
  // goroutines, and P, seen first, must come first as in a sequential parse.
  auto g = [](int id, const char* fn) {
    return "goroutine " + std::to_string(id) + " [select]:\nmain." + fn +
           "()\n\t/app/main.go:7 +0x1\n\n";
  };
  std::string dump = BigDump("");
  size_t mid = dump.find("\n\ngoroutine ", dump.size() * 3 / 4) + 2;
  std::string text = g(2000001, "p") + g(2000002, "q") + g(2000003, "q") + dump.substr(0, mid) +
                     g(2000004, "p") + dump.substr(mid);
  ExpectSameAsSequential(text);
}

TEST(ParallelParse, SameResultAsSequential) { ExpectSameAsSequential(BigDump("")); }

TEST(ParallelParse, SameLabelSetsAsSequential) {
  // Go 1.27 prints each goroutine's pprof labels in its header: a group's
  // label sets are counted in each part and added up (exactly while a
  // group has at most 16 sets, as in this capture; see MergeIncident).
  ExpectSameAsSequential(BigDump("", "labels/leak-debug2.go127.txt"));
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

// A race report in the second part of a split file names the lines of the
// whole file: every input line of it moves by the lines of the first part,
// the race's own (detection, test, allocation stack) included.
TEST(ParallelParse, RaceInTheSecondPartNamesTheFilesLines) {
  std::string race = ReadFile(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/ci/race-test.go126.txt");
  std::string text = BigDump("") + "\n" + race;
  auto a = ParseFromFile(text);
  ASSERT_TRUE(a);
  auto b = ParseText(text);
  EXPECT_FALSE(a->parts.empty()) << "the file was not split";
  auto race_of = [](const ParsedInput& in) -> const Incident* {
    for (const Incident& inc : in.incidents)
      if (inc.race) return &inc;
    return nullptr;
  };
  const Incident* ra = race_of(*a);
  const Incident* rb = race_of(*b);
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(ra->first_line, rb->first_line);
  EXPECT_EQ(ra->last_line, rb->last_line);
  EXPECT_EQ(ra->race->detected_line, rb->race->detected_line);
  EXPECT_EQ(ra->race->test_line, rb->race->test_line);
  ASSERT_EQ(ra->race->accesses.size(), rb->race->accesses.size());
  for (size_t i = 0; i < ra->race->accesses.size(); ++i) {
    ASSERT_EQ(ra->race->accesses[i].frames.size(), rb->race->accesses[i].frames.size());
    for (size_t k = 0; k < ra->race->accesses[i].frames.size(); ++k)
      EXPECT_EQ(ra->race->accesses[i].frames[k].input_line, rb->race->accesses[i].frames[k].input_line);
  }
  ASSERT_EQ(ra->race->heap_allocated_at.size(), rb->race->heap_allocated_at.size());
  for (size_t k = 0; k < ra->race->heap_allocated_at.size(); ++k)
    EXPECT_EQ(ra->race->heap_allocated_at[k].input_line, rb->race->heap_allocated_at[k].input_line);
  EXPECT_GT(rb->race->detected_line, 0u);
}

}  // namespace
}  // namespace gotriage
