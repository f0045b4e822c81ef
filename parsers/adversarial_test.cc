// Hostile and broken input at the parser layer: truncation at many offsets,
// binary bytes, and inputs built to exhaust memory (huge lines, messages,
// argument lists, labels, frame counts, goroutine counts, panic chains).
// Each limit of parsers/limits.h must bound what is kept, and be reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  return test_inputs::ReadInput(p);  // a missing or empty input fails
}

std::vector<fs::path> Fixtures() {
  std::vector<fs::path> out;
  for (const char* dir : {"/testdata/fixtures", "/testdata/ci"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(std::string(GOTRIAGE_SOURCE_DIR) + dir, ec)) {
      std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".txt" || ext == ".jsonl")) out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool HitLimit(const ParsedInput& in, std::string_view what) {
  for (const LimitNote& l : in.limits_hit)
    if (l.what.find(what) != std::string::npos) return true;
  return false;
}

std::string Notes(const ParsedInput& in) {
  std::string s;
  for (const LimitNote& l : in.limits_hit) s += l.what + "; ";
  return s;
}

// Every string a ParsedInput keeps for its incidents, in bytes.
size_t KeptBytes(const ParsedInput& in) {
  size_t n = in.strings.bytes();
  auto frames = [&](const std::vector<Frame>& fs) {
    for (const Frame& f : fs) n += f.args.size() + sizeof(Frame);
  };
  auto goroutine = [&](const Goroutine& g) {
    frames(g.frames);
    for (const Label& l : g.labels) n += l.key.size() + l.value.size();
  };
  for (const Incident& inc : in.incidents) {
    for (const PanicValue& p : inc.panics) n += p.message.size() + sizeof(PanicValue);
    n += inc.fatal_error.size() + inc.timeout.size() + inc.headline.size();
    for (const std::string& m : inc.runtime_messages) n += m.size();
    for (const std::string& t : inc.running_tests) n += t.size();
    if (inc.crashing) goroutine(*inc.crashing);
    if (inc.runtime_stack) goroutine(*inc.runtime_stack);
    for (const GoroutineGroup& g : inc.groups)
      for (const Goroutine& s : g.samples) goroutine(s);
    if (inc.race)
      for (const RaceAccess& a : inc.race->accesses) frames(a.frames);
  }
  return n;
}

// --- Truncation -----------------------------------------------------------

// Cut every fixture at many offsets: parsing never fails, and a cut in the
// middle of a stack line leaves an incident flagged partial.
TEST(Adversarial, EveryFixtureTruncatedAtManyOffsets) {
  std::vector<fs::path> files = Fixtures();
  ASSERT_GT(files.size(), 20u);
  size_t checked_partial = 0;
  for (const fs::path& p : files) {
    std::string text = ReadFile(p);
    std::unique_ptr<ParsedInput> full = ParseText(text);
    // Evenly spaced cuts, including 0 and 1 byte.
    for (size_t k = 0; k <= 24; ++k) {
      size_t cut = text.size() * k / 24;
      std::unique_ptr<ParsedInput> in = ParseText(std::string_view(text).substr(0, cut));
      EXPECT_LE(in->incidents.size(), full->incidents.size() + 1) << p << " cut at " << cut;
    }
    // A cut in the middle of a frame's function line inside the first
    // goroutine stack: the incident it belongs to must say it is partial.
    for (const Incident& inc : full->incidents) {
      if (inc.kind == IncidentKind::kPprofDebug1 || inc.kind == IncidentKind::kRaceReport) continue;
      if (inc.groups.empty() || inc.groups[0].samples[0].frames.size() < 2) continue;
      size_t line = inc.groups[0].samples[0].frames[1].input_line;
      if (line == 0) continue;
      size_t off = 0;
      for (size_t l = 1; l < line && off != std::string::npos; ++l) off = text.find('\n', off) + 1;
      if (off == std::string::npos || off == 0) continue;
      size_t eol = text.find('\n', off);
      if (eol == std::string::npos || eol - off < 4) continue;
      std::unique_ptr<ParsedInput> in =
          ParseText(std::string_view(text).substr(0, off + (eol - off) / 2));
      ASSERT_FALSE(in->incidents.empty()) << p << " cut in line " << line;
      EXPECT_TRUE(in->incidents.back().partial) << p << " cut in line " << line;
      ++checked_partial;
      break;
    }
  }
  EXPECT_GT(checked_partial, 20u);
}

// --- Binary and malformed bytes -------------------------------------------

TEST(Adversarial, RandomBinaryInput) {
  std::mt19937_64 rng(7);
  std::string bin(1 << 20, '\0');
  for (char& c : bin) c = static_cast<char>(rng());
  std::unique_ptr<ParsedInput> in = ParseText(bin);
  EXPECT_GT(in->lines, 1000u);
  std::unique_ptr<ParsedInput> nul = ParseText(std::string(1 << 20, '\0'));
  EXPECT_EQ(nul->lines, 1u);
  EXPECT_TRUE(nul->incidents.empty());
}

TEST(Adversarial, NulBytesInsideATrace) {
  std::string t(
      "panic: bad\0value\n\ngoroutine 1 [running]:\nmain.f\0g(0x1)\n\t/app/ma\0in.go:12 +0x1d\n"
      "main.main()\n\t/app/main.go:20 +0x2\nexit status 2\n",
      118);
  std::unique_ptr<ParsedInput> in = ParseText(t);
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_FALSE(in->incidents[0].panics.empty());
  EXPECT_EQ(in->incidents[0].panics[0].message, std::string("bad\0value", 9));
}

TEST(Adversarial, GarbageGzip) {
  std::string gz = "\x1f\x8b\x08\x00garbage that is not deflate data\n";
  std::string err;
  Parser p(ParseOptions{});
  EXPECT_FALSE(p.AddText("x.gz", gz, &err));
  EXPECT_NE(err.find("gzip"), std::string::npos) << err;
  std::unique_ptr<ParsedInput> in = p.Finish();
  EXPECT_FALSE(in->warnings.empty());
}

// --- Limits ---------------------------------------------------------------

TEST(Adversarial, HundredMiBLineWithoutNewlineIsCut) {
  std::string t = "panic: ";
  t.append(size_t{100} << 20, 'A');
  std::unique_ptr<ParsedInput> in = ParseText(t);
  EXPECT_TRUE(HitLimit(*in, "max-line-bytes")) << Notes(*in);
  EXPECT_EQ(in->lines, 1u);
  EXPECT_LT(KeptBytes(*in), size_t{2} << 20);
  // The same line followed by a real trace: the trace is still found.
  t += "\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n";
  in = ParseText(t);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kPanic);
  EXPECT_LE(in->incidents[0].panics[0].message.size(), Limits{}.max_message_bytes);
}

TEST(Adversarial, LineLimitIsConfigurable) {
  ParseOptions o;
  o.limits.max_line_bytes = 300;
  std::string t = "panic: " + std::string(1000, 'x') + "\n\ngoroutine 1 [running]:\nmain.main()\n"
                  "\t/app/main.go:5 +0x1d\n";
  std::unique_ptr<ParsedInput> in = ParseText(t, o);
  EXPECT_TRUE(HitLimit(*in, "max-line-bytes")) << Notes(*in);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_LE(in->incidents[0].panics[0].message.size(), 300u);
}

TEST(Adversarial, TenMegabytePanicMessageOverManyLines) {
  std::string t = "panic: first line\n";
  for (int i = 0; i < 200000; ++i) t += "more of the message, line " + std::to_string(i) + "\n";
  t += "\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\nexit status 2\n";
  std::unique_ptr<ParsedInput> in = ParseText(t);
  ASSERT_FALSE(in->incidents.empty());
  ASSERT_FALSE(in->incidents[0].panics.empty());
  EXPECT_LE(in->incidents[0].panics[0].message.size(), Limits{}.max_message_bytes);
  EXPECT_LT(KeptBytes(*in), size_t{1} << 20);
  EXPECT_FALSE(in->limits_hit.empty());
}

TEST(Adversarial, TenMegabyteArgumentList) {
  std::string args;
  while (args.size() < (10u << 20)) args += "0xc000123456, ";
  ParseOptions o;
  o.limits.max_line_bytes = 16 << 20;  // let the whole line through
  std::string t = "panic: boom\n\ngoroutine 1 [running]:\nmain.f(" + args + "0x1)\n"
                  "\t/app/main.go:5 +0x1d\nmain.main()\n\t/app/main.go:9 +0x2\n";
  std::unique_ptr<ParsedInput> in = ParseText(t, o);
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_TRUE(in->incidents[0].crashing);
  ASSERT_FALSE(in->incidents[0].crashing->frames.empty());
  EXPECT_EQ(in->incidents[0].crashing->frames[0].function, "main.f");
  EXPECT_LE(in->incidents[0].crashing->frames[0].args.size(), Limits{}.max_args_bytes);
  EXPECT_LT(KeptBytes(*in), size_t{1} << 20);
}

TEST(Adversarial, TenMegabytePprofLabels) {
  std::string labels = "{";
  while (labels.size() < (10u << 20)) labels += "\"key\":\"value\", ";
  labels += "\"k\":\"v\"}";
  ParseOptions o;
  o.limits.max_line_bytes = 16 << 20;
  std::string t = "goroutine profile: total 1\n1 @ 0x1 0x2\n# labels: " + labels +
                  "\n#\t0x1\tmain.f+0x1\t/app/main.go:1\n\n";
  std::unique_ptr<ParsedInput> in = ParseText(t, o);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_LT(KeptBytes(*in), size_t{1} << 20);
}

TEST(Adversarial, TwoHundredThousandFramesInOneGoroutine) {
  std::string t = "panic: deep\n\ngoroutine 1 [running]:\n";
  for (int i = 0; i < 200000; ++i) t += "main.f(0x1)\n\t/app/main.go:10 +0x1d\n";
  t += "main.main()\n\t/app/main.go:20 +0x2\n";
  std::unique_ptr<ParsedInput> in = ParseText(t);
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_TRUE(in->incidents[0].crashing);
  EXPECT_LE(in->incidents[0].crashing->frames.size(), Limits{}.max_frames);
  EXPECT_TRUE(HitLimit(*in, "max-frames")) << Notes(*in);
  EXPECT_LT(KeptBytes(*in), size_t{4} << 20);

  ParseOptions o;
  o.limits.max_frames = 10;
  in = ParseText(t, o);
  ASSERT_TRUE(in->incidents[0].crashing);
  EXPECT_LE(in->incidents[0].crashing->frames.size(), 10u);
}

TEST(Adversarial, MillionGoroutineHeadersWithoutFrames) {
  std::string t;
  t.reserve(40 << 20);
  for (int i = 1; i <= 1000000; ++i) t += "goroutine " + std::to_string(i) + " [chan receive]:\n";
  std::unique_ptr<ParsedInput> in = ParseText(t);
  ASSERT_FALSE(in->incidents.empty());
  size_t groups = 0, ids = 0;
  for (const Incident& inc : in->incidents)
    for (const GoroutineGroup& g : inc.groups) {
      ++groups;
      ids += g.ids.size();
      EXPECT_LE(g.samples.size(), Limits{}.max_samples_per_group);
    }
  EXPECT_LE(groups, 16u);
  EXPECT_LE(ids, 16 * Limits{}.max_ids_per_group);
  EXPECT_LT(KeptBytes(*in), size_t{4} << 20);
}

TEST(Adversarial, ManyDistinctStacksAreCappedByMaxGroups) {
  std::string t = "goroutine profile: total 0\n";
  t = "";
  for (int i = 1; i <= 50000; ++i)
    t += "goroutine " + std::to_string(i) + " [select]:\nmain.f" + std::to_string(i) +
         "()\n\t/app/main.go:" + std::to_string(i) + " +0x1\n\n";
  ParseOptions o;
  o.limits.max_groups = 100;
  std::unique_ptr<ParsedInput> in = ParseText(t, o);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_LE(in->incidents[0].groups.size(), 101u);  // plus one overflow group
  EXPECT_EQ(in->incidents[0].goroutine_count, 50000u);
  EXPECT_TRUE(HitLimit(*in, "max-groups")) << Notes(*in);
}

TEST(Adversarial, ThousandsOfNestedPanics) {
  std::string t = "panic: first [recovered]\n";
  for (int i = 0; i < 20000; ++i) t += "\tpanic: nested " + std::to_string(i) + " [recovered]\n";
  t += "\tpanic: last\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n";
  std::unique_ptr<ParsedInput> in = ParseText(t);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_LE(in->incidents[0].panics.size(), 1024u);
  EXPECT_TRUE(in->incidents[0].crashing);
  EXPECT_LT(KeptBytes(*in), size_t{1} << 20);
}

TEST(Adversarial, ManyIncidentsAreCapped) {
  std::string one = "panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n\n";
  std::string t;
  for (int i = 0; i < 200; ++i) t += one;
  ParseOptions o;
  o.limits.max_incidents = 50;
  std::unique_ptr<ParsedInput> in = ParseText(t, o);
  EXPECT_EQ(in->incidents.size(), 50u);
  EXPECT_TRUE(HitLimit(*in, "incidents")) << Notes(*in);
}

TEST(Adversarial, HugeCriPartialChainIsJoinedWithinBounds) {
  // 64 MiB of `P` pieces that never end with an `F` record.
  std::string piece = "2024-05-01T10:00:00.000000000Z stderr P " + std::string(4000, 'y') + "\n";
  std::string t = "2024-05-01T10:00:00.000000000Z stderr F panic: boom\n";
  while (t.size() < (64u << 20)) t += piece;
  std::unique_ptr<ParsedInput> in = ParseText(t);
  EXPECT_LT(KeptBytes(*in), size_t{8} << 20);
}

TEST(Adversarial, JsonLogLineWithHugeEscapedStack) {
  std::string stack = "goroutine 1 [running]:\\n";
  while (stack.size() < (8u << 20)) stack += "main.f(0x1)\\n\\t/app/main.go:10 +0x1d\\n";
  std::string t = "{\"level\":\"error\",\"msg\":\"boom \\u001b[2J\",\"stacktrace\":\"" + stack + "\"}\n";
  ParseOptions o;
  o.limits.max_line_bytes = 16 << 20;
  std::unique_ptr<ParsedInput> in = ParseText(t, o);
  EXPECT_LT(KeptBytes(*in), size_t{8} << 20);
  for (const Incident& inc : in->incidents) {
    if (inc.crashing) {
      EXPECT_LE(inc.crashing->frames.size(), Limits{}.max_frames);
    }
  }
}

TEST(Adversarial, DescribeWithHundredThousandEventsIsCapped) {
  std::string t = test_inputs::ReadInput(test_inputs::CorpusDir() / "dumps" /
                                         "26-ingressnginx8790-liveness-kill-events-describe.txt");
  size_t ev = t.find("\nEvents:\n");
  ASSERT_NE(ev, std::string::npos);
  size_t rows = t.find("  ----", ev);
  size_t first = t.find('\n', rows) + 1;
  std::string row = t.substr(first, t.find('\n', first) + 1 - first);
  std::string many;
  for (int i = 0; i < 100000; ++i) many += row;
  t.insert(first, many);
  std::unique_ptr<ParsedInput> in = ParseText(t);
  ASSERT_FALSE(in->pods.empty());
  EXPECT_LE(in->pods[0].events.size(), 1000u);
  EXPECT_TRUE(HitLimit(*in, "events per pod")) << Notes(*in);
}

}  // namespace
}  // namespace gotriage
