// Tests of the `go test -json` decoder, alone and in front of the Scanner,
// on real captures (testdata/ci/*.jsonl, see testdata/ci/regen.sh).
#include "parsers/test2json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/classify.h"
#include "parsers/parse.h"
#include "parsers/scanner.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

struct Collected {
  std::string text;
  size_t lineno;
  std::string timestamp;
  bool unterminated;
  bool cut;
};

class Collector : public LineSink {
 public:
  void OnLine(const Line& l) override {
    lines.push_back({std::string(l.text), l.lineno, std::string(l.timestamp), l.unterminated, l.cut});
  }
  void OnEnd() override { ended = true; }
  std::vector<Collected> lines;
  bool ended = false;
};

std::string ReadCi(const std::string& name) {
  // A missing or empty input fails the test.
  return test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/ci/" + name);
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

TEST(Test2Json, LooksLikeEvent) {
  EXPECT_TRUE(Test2JsonDecoder::LooksLikeEvent(R"({"Time":"2026-01-02T03:04:05Z","Action":"run"})"));
  EXPECT_TRUE(Test2JsonDecoder::LooksLikeEvent(R"({"Action":"output","Output":"x\n"})"));
  EXPECT_FALSE(Test2JsonDecoder::LooksLikeEvent(R"({"log":"panic: x\n","stream":"stderr"})"));
  EXPECT_FALSE(Test2JsonDecoder::LooksLikeEvent("panic: boom"));
}

TEST(Test2Json, OutputLinesKeepTheirEventLineAndTime) {
  Test2JsonDecoder d;
  Collector c;
  EXPECT_TRUE(d.Feed(R"({"Time":"T1","Action":"run","Package":"p","Test":"TestA"})", 1, &c));
  EXPECT_TRUE(d.Feed(R"({"Time":"T2","Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"})", 2, &c));
  // One line split across three events (test2json flushes long or paused
  // lines), then an event carrying two lines.
  EXPECT_TRUE(d.Feed(R"({"Time":"T3","Action":"output","Package":"p","Test":"TestA","Output":"panic: a very "})", 3, &c));
  EXPECT_TRUE(d.Feed(R"({"Time":"T4","Action":"output","Package":"p","Test":"TestA","Output":"long "})", 4, &c));
  EXPECT_TRUE(d.Feed(R"({"Time":"T5","Action":"output","Package":"p","Test":"TestA","Output":"value\r\n\ngoroutine 1 [running]:\n"})", 5, &c));
  EXPECT_TRUE(d.Feed(R"({"Time":"T6","Action":"fail","Package":"p","Test":"TestA","Elapsed":0})", 6, &c));
  EXPECT_FALSE(d.Feed("plain text", 7, &c));
  EXPECT_FALSE(d.Feed(R"({"Time":"broken)", 8, &c));
  d.Flush(&c);
  ASSERT_EQ(c.lines.size(), 4u);
  EXPECT_EQ(c.lines[0].text, "=== RUN   TestA");
  EXPECT_EQ(c.lines[0].lineno, 2u);
  EXPECT_EQ(c.lines[0].timestamp, "T2");
  EXPECT_EQ(c.lines[1].text, "panic: a very long value");
  EXPECT_EQ(c.lines[1].lineno, 3u);
  EXPECT_EQ(c.lines[1].timestamp, "T3");
  EXPECT_EQ(c.lines[2].text, "");
  EXPECT_EQ(c.lines[2].lineno, 5u);
  EXPECT_EQ(c.lines[3].text, "goroutine 1 [running]:");
  EXPECT_EQ(c.lines[3].lineno, 5u);
  EXPECT_EQ(c.lines[3].timestamp, "T5");
  for (const auto& l : c.lines) EXPECT_FALSE(l.unterminated);
  EXPECT_FALSE(c.ended);  // OnEnd belongs to the caller
}

TEST(Test2Json, PartialLineEndsAtAnotherTestOrAtTheEnd) {
  Test2JsonDecoder d(/*max_line=*/8);
  Collector c;
  d.Feed(R"({"Action":"output","Package":"p","Test":"TestA","Output":"0123456789"})", 1, &c);
  d.Feed(R"({"Action":"output","Package":"p","Test":"TestB","Output":"b"})", 2, &c);
  d.Flush(&c);
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0].text, "01234567");
  EXPECT_TRUE(c.lines[0].cut);
  EXPECT_FALSE(c.lines[0].unterminated);
  EXPECT_EQ(c.lines[1].text, "b");
  EXPECT_EQ(c.lines[1].lineno, 2u);
  EXPECT_TRUE(c.lines[1].unterminated);
  EXPECT_FALSE(c.lines[1].cut);
}

// The decoder in front of a Scanner, as the envelope layer runs it.
std::unique_ptr<ParsedInput> DecodeAndParse(const std::string& text) {
  auto out = std::make_unique<ParsedInput>();
  ParseContext ctx;
  ctx.out = out.get();
  ctx.source = "test.jsonl";
  ctx.emit = [&](Incident&& inc) { out->incidents.push_back(std::move(inc)); };
  {
    Scanner scanner(&ctx);
    Test2JsonDecoder d;
    size_t n = 0;
    for (const std::string& raw : SplitLines(text)) {
      ++n;
      if (d.Feed(raw, n, &scanner)) continue;
      Line l;
      l.text = raw;
      l.lineno = n;
      scanner.OnLine(l);
    }
    d.Flush(&scanner);
    scanner.OnEnd();
  }
  ClassifyAll(out.get(), "");
  return out;
}

// 1-based number of the first line of \a text containing \a needle.
size_t LineOf(const std::string& text, const std::string& needle) {
  auto lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(needle) != std::string::npos) return i + 1;
  }
  return 0;
}

TEST(Test2Json, RealRaceReportThroughTheScanner) {
  for (const char* name : {"race-test-json.go126.jsonl", "race-test-json.go119.jsonl"}) {
    SCOPED_TRACE(name);
    std::string text = ReadCi(name);
    ASSERT_FALSE(text.empty());
    auto in = DecodeAndParse(text);
    ASSERT_EQ(in->incidents.size(), 1u);
    const Incident& inc = in->incidents[0];
    EXPECT_EQ(inc.kind, IncidentKind::kRaceReport);
    EXPECT_EQ(inc.first_line, LineOf(text, R"("Output":"==================\n")"));
    EXPECT_EQ(inc.race->test_name, "TestHitAll/two");
    EXPECT_EQ(inc.race->detected_line, LineOf(text, "race detected during execution of test"));
    ASSERT_EQ(inc.race->accesses.size(), 2u);
    EXPECT_EQ(inc.race->accesses[0].frames[0].function, "example.com/ci/race.(*Counter).Hit");
    EXPECT_EQ(inc.race->accesses[0].frames[0].file, "/work/main/testdata/ci/gen/race/counter.go");
    EXPECT_FALSE(inc.timestamp.empty());
    EXPECT_EQ(in->lines_unplaced, 0u);
  }
}

TEST(Test2Json, RealTestTimeoutThroughTheScanner) {
  for (const char* name : {"test-timeout-json.go126.jsonl", "test-timeout-json.go119.jsonl"}) {
    SCOPED_TRACE(name);
    std::string text = ReadCi(name);
    auto in = DecodeAndParse(text);
    ASSERT_EQ(in->incidents.size(), 1u);
    const Incident& inc = in->incidents[0];
    EXPECT_EQ(inc.kind, IncidentKind::kTestTimeout);
    EXPECT_EQ(inc.timeout, "2s");
    EXPECT_EQ(inc.first_line, LineOf(text, "panic: test timed out after 2s"));
    EXPECT_FALSE(inc.partial) << inc.partial_reason;
    bool found = false;
    for (const GoroutineGroup& g : inc.groups) {
      for (const Frame& f : g.representative().frames) found |= f.function == "example.com/ci/hang.(*Store).Count";
    }
    EXPECT_TRUE(found);
  }
  // go1.20+ lists the running tests.
  auto in = DecodeAndParse(ReadCi("test-timeout-json.go126.jsonl"));
  ASSERT_EQ(in->incidents[0].running_tests.size(), 1u);
  EXPECT_EQ(in->incidents[0].running_tests[0], "TestAdd (2s)");
}

TEST(Test2Json, RealTestPanicThroughTheScanner) {
  for (const char* name : {"test-panic-json.go126.jsonl", "test-panic-json.go119.jsonl"}) {
    SCOPED_TRACE(name);
    std::string text = ReadCi(name);
    auto in = DecodeAndParse(text);
    ASSERT_EQ(in->incidents.size(), 1u);
    const Incident& inc = in->incidents[0];
    EXPECT_EQ(inc.kind, IncidentKind::kPanic);
    ASSERT_TRUE(inc.crashing);
    EXPECT_EQ(inc.crashing->frames[0].function, "example.com/ci/bgpanic.Start.func1");
    EXPECT_EQ(inc.crashing->frames[0].line, 11);
    EXPECT_TRUE(inc.signal);
  }
}

TEST(Test2Json, EnvelopeLayerDecodesEvents) {
  // The same captures through the public entry point (parsers/envelope.cc
  // hands test2json lines to the decoder): same incidents, same lines.
  for (const char* name : {"race-test-json.go126.jsonl", "test-timeout-json.go126.jsonl",
                           "test-panic-json.go119.jsonl"}) {
    SCOPED_TRACE(name);
    std::string text = ReadCi(name);
    auto direct = DecodeAndParse(text);
    auto in = ParseText(text);
    ASSERT_EQ(in->incidents.size(), direct->incidents.size());
    for (size_t i = 0; i < in->incidents.size(); ++i) {
      EXPECT_EQ(in->incidents[i].kind, direct->incidents[i].kind);
      EXPECT_EQ(in->incidents[i].first_line, direct->incidents[i].first_line);
      EXPECT_EQ(in->incidents[i].last_line, direct->incidents[i].last_line);
      EXPECT_EQ(in->incidents[i].timestamp, direct->incidents[i].timestamp);
    }
  }
}

}  // namespace
}  // namespace gotriage
