// delve's stacks and goroutine listings (parsers/delve.h), in the forms
// `dlv` and VS Code print them. Real pastes of both are corpus cases
// (testdata/corpus/threads/26-*, 96-*); these pin down each line form.
#include <gtest/gtest.h>

#include <string>

#include "parsers/delve.h"
#include "parsers/model.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

// The real delve's terminal (testdata/fixtures/delve/README.md): a stop at
// an unrecovered panic, `bt`, `goroutines -t`.
TEST(Delve, RealStopAtAnUnrecoveredPanic) {
  auto in = ParseText(test_inputs::ReadInput(test_inputs::FixturesDir() / "delve" /
                                             "unrecovered-panic-stop-bt-goroutines.go126.txt"));
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kPanic);
  ASSERT_EQ(inc.panics.size(), 1u);
  EXPECT_EQ(inc.panics[0].message, "runtime error: index out of range [2] with length 2");
  EXPECT_EQ(inc.panics[0].input_line, 6u);  // `runtime.curg._panic.arg: ...`
  ASSERT_TRUE(inc.crashing);
  // bt: runtime.fatalpanic ... main.parseRow, main.main, runtime.main, runtime.goexit.
  ASSERT_EQ(inc.crashing->frames.size(), 8u);
  EXPECT_EQ(inc.crashing->frames[4].function, "main.parseRow");
  EXPECT_EQ(inc.crashing->frames[4].line, 18);
  EXPECT_EQ(inc.crashing->frames[4].input_line, 26u);
  // The listing's goroutines join the crash, as GOTRACEBACK=all's would
  // (goroutine 1 is the stack bt showed, once more).
  EXPECT_EQ(inc.goroutine_count, 6u);
  bool scavenge = false;
  for (const GoroutineGroup& g : inc.groups)
    if (!g.ids.empty() && g.ids[0] == 4) scavenge = g.state == "GC scavenge wait";
  EXPECT_TRUE(scavenge);
  EXPECT_EQ(inc.last_line, 88u);
}

TEST(Delve, VsCodeExceptionIsAPanicWithItsStack) {
  auto in = ParseText(
      "Exception has occurred: panic \"runtime error: index out of range [1] with length 1\"\n"
      "Stack:\n"
      "\t3  0x0000000000c16509 in shop.initialize\n"
      "\t    at C:/src/shop/shop.go:88\n"
      "\t4  0x0000000000c18037 in main.main\n"
      "\t    at C:/src/shop/main.go:22\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kPanic);
  ASSERT_EQ(inc.panics.size(), 1u);
  EXPECT_EQ(inc.panics[0].message, "runtime error: index out of range [1] with length 1");
  EXPECT_EQ(inc.panics[0].input_line, 1u);
  ASSERT_TRUE(inc.crashing);
  EXPECT_EQ(inc.crashing->id, -1);  // not in the input
  ASSERT_EQ(inc.crashing->frames.size(), 2u);
  EXPECT_EQ(inc.crashing->frames[0].function, "shop.initialize");
  EXPECT_EQ(inc.crashing->frames[0].file, "C:/src/shop/shop.go");
  EXPECT_EQ(inc.crashing->frames[0].line, 88);
  EXPECT_EQ(inc.crashing->frames[0].input_line, 3u);
  EXPECT_EQ(inc.crashing->frames[1].function, "main.main");
  EXPECT_EQ(inc.last_line, 6u);
  EXPECT_EQ(in->lines_unplaced, 0u);
}

TEST(Delve, FatalErrorException) {
  auto in = ParseText(
      "Exception has occurred: fatal error \"concurrent map writes\"\n"
      "\t0  0x0000000000435a4e in runtime.throw\n"
      "\t    at /usr/local/go/src/runtime/panic.go:1077\n"
      "\t1  0x00000000004a1b2c in main.(*Cache).Put\n"
      "\t    at /src/cache.go:41\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kFatalError);
  EXPECT_EQ(in->incidents[0].fatal_error, "concurrent map writes");
  ASSERT_TRUE(in->incidents[0].crashing);
  EXPECT_EQ(in->incidents[0].crashing->frames.size(), 2u);
}

TEST(Delve, GoroutinesListingIsADumpWithStatesAndWaits) {
  auto in = ParseText(
      "(dlv) goroutines -t\n"
      "* Goroutine 1 - User: /src/main.go:12 main.main (0x4a1b2c) (thread 4711)\n"
      "\t0  0x00000000004a1b2c in main.main\n"
      "\t    at /src/main.go:12\n"
      "  Goroutine 200 - User: /src/net.go:1631 app.(*N).handle (0x8cbcdc) [chan send 2h3m45.5s]\n"
      "\t0  0x000000000043f725 in runtime.gopark\n"
      "\t    at /usr/lib/golang/src/runtime/proc.go:337\n"
      "\t1  0x00000000008cbcdc in app.(*N).handle\n"
      "\t    at /src/net.go:1631\n"
      "  Goroutine 201 - User: /src/net.go:1640 app.(*N).loop (0x8cbd00) [select]\n"
      "[3 goroutines]\n"
      "(dlv) exit\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kGoroutineDump);
  EXPECT_EQ(inc.headline, kDelveListingHeadline);
  EXPECT_EQ(inc.goroutine_count, 3u);
  EXPECT_EQ(inc.declared_total, 3u);  // `[3 goroutines]`
  EXPECT_FALSE(inc.partial);
  EXPECT_EQ(inc.first_line, 2u);
  EXPECT_EQ(inc.last_line, 11u);
  bool send = false, running = false, select = false;
  for (const GoroutineGroup& g : inc.groups) {
    ASSERT_FALSE(g.ids.empty());
    if (g.ids[0] == 200) {
      send = true;
      EXPECT_EQ(g.state, "chan send");
      EXPECT_EQ(g.max_wait_minutes, 123);  // 2h3m45.5s
      ASSERT_EQ(g.samples.size(), 1u);
      ASSERT_EQ(g.samples[0].frames.size(), 2u);
      EXPECT_EQ(g.samples[0].frames[1].function, "app.(*N).handle");
      EXPECT_EQ(g.samples[0].frames[1].line, 1631);
    } else if (g.ids[0] == 1) {
      running = true;
      EXPECT_EQ(g.state, "running");  // on a thread, no wait reason
    } else if (g.ids[0] == 201) {
      select = true;
      EXPECT_EQ(g.state, "select");
      EXPECT_EQ(g.max_wait_minutes, -1);
    }
  }
  EXPECT_TRUE(send && running && select);
}

TEST(Delve, QuotedInMarkdown) {
  auto in = ParseText(
      "> Exception has occurred: panic \"boom\"\n"
      "> Stack:\n"
      ">     2  0x0000000000c16509 in shop.initialize\n"
      ">         at /src/shop/shop.go:88\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_TRUE(in->incidents[0].crashing);
  EXPECT_EQ(in->incidents[0].crashing->frames.size(), 1u);
}

TEST(Delve, AListingCutShortIsPartial) {
  auto in = ParseText(
      "  Goroutine 9 - User: /src/a.go:3 main.f (0x1) [chan receive 12m0s]\n"
      "[40 goroutines]\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].declared_total, 40u);
  EXPECT_TRUE(in->incidents[0].partial);
  EXPECT_EQ(in->incidents[0].groups[0].max_wait_minutes, 12);
}

TEST(Delve, BareBacktraceIsAStackWithoutItsHeader) {
  auto in = ParseText(
      "0  0x000000000043f725 in runtime.gopark\n"
      "   at /usr/local/go/src/runtime/proc.go:398\n"
      "1  0x00000000004a1b2c in main.worker\n"
      "   at /src/main.go:30\n"
      "some later log line\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_EQ(in->incidents[0].groups.size(), 1u);
  ASSERT_EQ(in->incidents[0].groups[0].samples.size(), 1u);
  EXPECT_EQ(in->incidents[0].groups[0].samples[0].frames.size(), 2u);
  EXPECT_EQ(in->incidents[0].last_line, 4u);
}

TEST(Delve, OtherLinesAreNotDelve) {
  // Shapes close to delve's that are not: no `0x`, a space in the
  // function, a header without its location kind, an exception of another
  // kind.
  for (const char* text : {"3  1234 in main.f\n   at /src/a.go:3\n", "3  0x12 in main f\n   at /src/a.go:3\n",
                           "Goroutine 7 - somewhere\n", "Exception has occurred: breakpoint\n",
                           "Goroutine 7 - User /src/a.go:3 main.f (0x1)\n"}) {
    auto in = ParseText(text);
    EXPECT_TRUE(in->incidents.empty()) << text;
  }
}

TEST(Delve, ARuntimeTraceAfterAListingIsReadToo) {
  auto in = ParseText(
      "  Goroutine 9 - User: /src/a.go:3 main.f (0x1) [chan receive]\n"
      "\t0  0x0000000000000001 in main.f\n"
      "\t    at /src/a.go:3\n"
      "panic: boom\n\n"
      "goroutine 1 [running]:\nmain.main()\n\t/src/main.go:5 +0x1d\n");
  ASSERT_EQ(in->incidents.size(), 2u);
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kGoroutineDump);
  EXPECT_EQ(in->incidents[1].kind, IncidentKind::kPanic);
  EXPECT_EQ(in->incidents[1].first_line, 4u);
}

}  // namespace
}  // namespace gotriage
