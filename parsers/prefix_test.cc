// Unit tests of the prefix layer's grammar (parsers/prefix.h). Whole
// inputs are tested on real pastes (tests/pastes.sh, testdata/pastes).
#include "parsers/prefix.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/envelope.h"
#include "parsers/grammar.h"

namespace gotriage {
namespace {

struct Collect : LineSink {
  std::vector<std::string> lines;
  void OnLine(const Line& l) override { lines.emplace_back(l.text); }
  void OnEnd() override {}
};

std::vector<std::string> Learn(const std::vector<std::string>& in) {
  Collect c;
  PrefixLearner p;
  size_t n = 0;
  for (const std::string& s : in) {
    Line l;
    l.text = s;
    l.lineno = ++n;
    p.Process(l, &c);
  }
  p.Flush(&c);
  return c.lines;
}

using V = std::vector<std::string>;

TEST(Prefix, FindsMarkersAfterOtherText) {
  bool strong = false;
  EXPECT_EQ(FindGoMarker("]: panic: boom", &strong), 3u);
  EXPECT_FALSE(strong);
  EXPECT_EQ(FindGoMarker("app  | goroutine 7 [running]:", &strong), 7u);
  EXPECT_TRUE(strong);
  EXPECT_EQ(FindGoMarker("> SIGQUIT: quit", &strong), 2u);
  EXPECT_TRUE(strong);
  EXPECT_EQ(FindGoMarker("x | WARNING: DATA RACE", &strong), 4u);
  EXPECT_EQ(FindGoMarker("[pod/a/b] goroutine profile: total 12", &strong), 10u);
  // goleak.VerifyTestMain's lead-in is its headline's, not a prefix
  // (open-telemetry/opentelemetry-collector#9230 quoted).
  EXPECT_EQ(FindGoMarker("> goleak: Errors on successful test run: found unexpected goroutines:", &strong), 2u);
  EXPECT_EQ(FindGoMarker("goleak: Errors on successful test run: found unexpected goroutines:", &strong),
            std::string_view::npos);
  EXPECT_EQ(FindGoMarker("    leak_test.go:31: found unexpected goroutines:", &strong), 21u);
  EXPECT_EQ(FindGoMarker("    leak_test.go:31: found unexpected goroutines:", &strong), 21u);
  EXPECT_EQ(FindGoMarker("\x1b[31mpanic: red", &strong), 5u);  // after an ANSI colour
  // Nothing before it, inside a word, or the runtime's own text.
  EXPECT_EQ(FindGoMarker("panic: boom", &strong), std::string_view::npos);
  EXPECT_EQ(FindGoMarker("dontpanic: boom", &strong), std::string_view::npos);
  EXPECT_EQ(FindGoMarker("[signal SIGSEGV: segmentation violation code=0x1]", &strong),
            std::string_view::npos);
  EXPECT_EQ(FindGoMarker("Previous write at 0x00c by goroutine 7:", &strong), std::string_view::npos);
  EXPECT_EQ(FindGoMarker("x goroutine 7 [running]: trailing", &strong), std::string_view::npos);
  // A frame's function line, whatever its arguments spell (the fast lane
  // reads it as a frame without this layer; found by fast_lane_fuzz).
  EXPECT_EQ(FindGoMarker("main.f({{goroutine profile: total 0x1, 0x2}, ...)", &strong),
            std::string_view::npos);
  EXPECT_EQ(FindGoMarker("main.(*T).g(0x1, panic: 0x2)", &strong), std::string_view::npos);
}

// A markdown fence glued to the marker is that line's markup, not a
// prefix (govmomi#1335 in fresh/); a quote around it is one.
TEST(Prefix, FenceGluedToTheMarkerIsPeeledFromItsLineOnly) {
  EXPECT_EQ(Learn({"```goroutine 887 [select, 14 minutes]:", "net/http.(*persistConn).readLoop(0xc4208a65a0)"}),
            (V{"goroutine 887 [select, 14 minutes]:", "net/http.(*persistConn).readLoop(0xc4208a65a0)"}));
  EXPECT_EQ(Learn({"> ```go panic: boom", "> ", "> goroutine 1 [running]:", "> main.main()"}),
            (V{"panic: boom", "", "goroutine 1 [running]:", "main.main()"}));
  EXPECT_TRUE(IsCodeFence("```"));
  EXPECT_TRUE(IsCodeFence("  ~~~console "));
  EXPECT_FALSE(IsCodeFence("``"));
  EXPECT_FALSE(IsCodeFence("```go run ."));  // text after it: not markup alone
  EXPECT_FALSE(IsCodeFence("> ```"));
}

TEST(Prefix, ShapeLetsDigitsDiffer) {
  EXPECT_EQ(CarriesPrefix("2024/01/02 03:04:06.1 main.f()", "2024/01/02 03:04:05.999 "), 22u);
  EXPECT_EQ(CarriesPrefix("app_2 | x", "app_1 | "), 8u);
  EXPECT_EQ(CarriesPrefix("web | x", "app | "), 0u);
  EXPECT_EQ(CarriesPrefix("\t/x.go:1", "    "), 0u);
}

TEST(Prefix, StrongMarkerTeachesThePrefix) {
  EXPECT_EQ(Learn({"app  | goroutine 7 [running]:", "app  | main.f()", "app  | \t/x/y.go:12 +0x1d",
                 "other line"}),
            (V{"goroutine 7 [running]:", "main.f()", "\t/x/y.go:12 +0x1d", "other line"}));
}

// Markdown bold opened before the marker (go-cfclient#257 pasted its
// profile as `**goroutine profile: total 8` ... `**`), under an indent or a
// quote: the lines after it carry the indent or quote, not the `**`.
TEST(Prefix, EmphasisMarksOpenOnTheMarkerLineOnly) {
  EXPECT_EQ(Learn({"    **goroutine profile: total 8", "    2 @ 0x1032760 0x105fc71", "    #\t0x1308068\tf+0x9\t/a.go:1**"}),
            (V{"goroutine profile: total 8", "2 @ 0x1032760 0x105fc71", "#\t0x1308068\tf+0x9\t/a.go:1**"}));
  EXPECT_EQ(Learn({"> **goroutine profile: total 8", "> 2 @ 0x1032760 0x105fc71"}),
            (V{"goroutine profile: total 8", "2 @ 0x1032760 0x105fc71"}));
}

// A weak marker alone (no traceback after it) still counts when its
// message is in the runtime's own words: firestack#121 kept only this
// logcat line of the crash.
TEST(Prefix, LoneMarkerInTheRuntimesWords) {
  EXPECT_EQ(Learn({"12-01 12:31:35.108 22021 22154 E GoLog   : fatal error: sync: unlock of unlocked mutex"}),
            (V{"fatal error: sync: unlock of unlocked mutex"}));
  // The testing package's alarm, quoted: its next line is not a crash's.
  EXPECT_EQ(Learn({"> panic: test timed out after 3s", "> \trunning tests:"}),
            (V{"panic: test timed out after 3s", "\trunning tests:"}));
  // The runtime prints no goroutines after this one.
  EXPECT_EQ(Learn({"    main: handing off", "    fatal error: no goroutines (main called runtime.Goexit) - deadlock!"}),
            (V{"    main: handing off", "fatal error: no goroutines (main called runtime.Goexit) - deadlock!"}));
  EXPECT_EQ(Learn({"I0102 svc] panic: runtime error: index out of range [3] with length 3", "I0102 svc] next"}),
            (V{"panic: runtime error: index out of range [3] with length 3", "next"}));
  // The program's own panic value, or a logged stack after the line (no
  // blank line: a recovered panic, even under a paste's indent), are not.
  EXPECT_EQ(Learn({"E GoLog   : panic: bad config", "E GoLog   : next"}),
            (V{"E GoLog   : panic: bad config", "E GoLog   : next"}));
  EXPECT_EQ(Learn({"    2024/01/02 03:04:05 panic: runtime error: x", "    goroutine 1 [running]:"}),
            (V{"    2024/01/02 03:04:05 panic: runtime error: x", "goroutine 1 [running]:"}));
}

TEST(Prefix, TrailingSpaceOfThePrefixMayBeGone) {
  EXPECT_EQ(Learn({"> goroutine 7 [running]:", "> main.f()", ">\t/x/y.go:12", ">"}),
            (V{"goroutine 7 [running]:", "main.f()", "\t/x/y.go:12", ""}));
}

TEST(Prefix, WeakMarkerNeedsACrashAfterIt) {
  // The runtime's form: a blank line, then the goroutine.
  EXPECT_EQ(Learn({"]: panic: boom", "]: ", "]: goroutine 1 [running]:"}),
            (V{"panic: boom", "", "goroutine 1 [running]:"}));
  // `[signal` right after it.
  EXPECT_EQ(Learn({"$ ./svc panic: boom", "[signal SIGSEGV: segmentation violation]"}),
            (V{"panic: boom", "[signal SIGSEGV: segmentation violation]"}));
  // A log line that merely says so stays as it is.
  EXPECT_EQ(Learn({"level=info msg=\"recovered panic: x\"", "next"}),
            (V{"level=info msg=\"recovered panic: x\"", "next"}));
  // A logged recovered panic (log.Printf("panic: %v\n%s", r, debug.Stack())):
  // no blank line before its stack, so it is not made an unrecovered one.
  EXPECT_EQ(Learn({"2024/01/02 03:04:05 panic: boom", "goroutine 1 [running]:"}),
            (V{"2024/01/02 03:04:05 panic: boom", "goroutine 1 [running]:"}));
  // A paste that lost the blank line: the header carries the same prefix
  // (the whole stream is prefixed), or the prefix is paste markup.
  EXPECT_EQ(Learn({"]: panic: boom", "]: goroutine 1 [running]:", "]: main.f()"}),
            (V{"panic: boom", "goroutine 1 [running]:", "main.f()"}));
  EXPECT_EQ(Learn({"`panic: boom", "goroutine 1 [running]:"}),
            (V{"panic: boom", "goroutine 1 [running]:"}));
  EXPECT_EQ(Learn({"> panic: boom", "> goroutine 1 [running]:"}),
            (V{"panic: boom", "goroutine 1 [running]:"}));
  // The runtime's own `\tpanic: B` of a re-panic teaches nothing.
  EXPECT_EQ(Learn({"panic: A [recovered]", "\tpanic: B", "", "goroutine 1 [running]:"}),
            (V{"panic: A [recovered]", "\tpanic: B", "", "goroutine 1 [running]:"}));
  // Held lines come out at the end of the input too.
  EXPECT_EQ(Learn({"x panic: y"}), (V{"x panic: y"}));
}

TEST(Prefix, FirstLineCutInsideItsPrefix) {
  EXPECT_EQ(Learn({":05.1 svc | panic: boom", "2024/01/02 03:04:05.2 svc | ",
                 "2024/01/02 03:04:05.3 svc | goroutine 1 [running]:",
                 "2024/01/02 03:04:05.4 svc | main.f()"}),
            (V{"panic: boom", "", "goroutine 1 [running]:", "main.f()"}));
}

TEST(Prefix, RepairsDebug1FrameLines) {
  EXPECT_EQ(Learn({"        0x822124\tnet/http.(*persistConn).writeLoop+0x164\t/usr/local/go/src/net/http/transport.go:1759",
                 "#    0x4a5b3c    main.f+0x1c    /x/y.go:12",
                 "0x4a5b3c main.f+0x1c /x/y.go:12",
                 "#\t0x4a5b3c\tmain.f+0x1c\t/x/y.go:12"}),
            (V{"#\t0x822124\tnet/http.(*persistConn).writeLoop+0x164\t/usr/local/go/src/net/http/transport.go:1759",
               "#\t0x4a5b3c\tmain.f+0x1c\t/x/y.go:12", "#\t0x4a5b3c\tmain.f+0x1c\t/x/y.go:12",
               "#\t0x4a5b3c\tmain.f+0x1c\t/x/y.go:12"}));
  // Not a frame: left alone.
  EXPECT_EQ(Learn({"0x10 bytes left"}), (V{"0x10 bytes left"}));
}

TEST(Prefix, ElisionMarksBetweenRecords) {
  EXPECT_EQ(Learn({"a", "", "...", "", "[snip]", "b", "--"}), (V{"a", "", "", "", "", "b", "--"}));
  EXPECT_TRUE(IsElisionMark("(truncated)"));
  EXPECT_FALSE(IsElisionMark("...more"));
}

TEST(Prefix, EnvelopeFastLaneAgreesWithIt) {
  // Lines the prefix layer would change never pass the fast lane.
  EXPECT_FALSE(EnvelopeUnwrapper::PassesUnchanged("]: goroutine 1 [running]:"));
  EXPECT_FALSE(EnvelopeUnwrapper::PassesUnchanged("    goroutine 1 [running]:"));
  EXPECT_FALSE(EnvelopeUnwrapper::PassesUnchanged("\t0x4a5b3c\tmain.f+0x1c\t/x/y.go:12"));
  // A debug=1 frame whose indent is a tab and then spaces (found by
  // envelope_fuzz, testdata/fuzz-regressions/envelope-tab-then-spaces-*):
  // the prefix layer repairs it, so it does not pass unchanged.
  EXPECT_FALSE(EnvelopeUnwrapper::PassesUnchanged("\t    0x820f96\tnet/http.(*persistConn).readLoop+0x7a6\t/x/y.go:16"));
  EXPECT_FALSE(EnvelopeUnwrapper::PassesUnchanged("..."));
  EXPECT_FALSE(EnvelopeUnwrapper::PassesUnchanged("T ERROR x {\"stacktrace\": \"goroutine 1 [running]:\\n\"}"));
  EXPECT_TRUE(EnvelopeUnwrapper::PassesUnchanged("main.f(0x1)"));
  EXPECT_TRUE(EnvelopeUnwrapper::PassesUnchanged("\t/x/y.go:12 +0x1d"));
  EXPECT_TRUE(EnvelopeUnwrapper::PassesUnchanged("goroutine 1 [running]:"));
  // A logfmt record may carry a line of a stack in a field (CarriedLine).
  EXPECT_FALSE(EnvelopeUnwrapper::PassesUnchanged("ns=kernel at=panic trace=\"main.main()\""));
  // A line holding an editor's autolink is undone by the slow lane.
  EXPECT_FALSE(EnvelopeUnwrapper::PassesUnchanged("[k8s.io/x.F(](http://k8s.io/x.F()0x1)"));
}

// An issue editor turns a word that looks like a host name into a markdown
// link to itself when it is pasted (kubernetes-sigs/kueue#10640: every
// `\nsigs.k8s.io/...` of a zap stack became `\[nsigs.k8s.io/...](http://nsigs.k8s.io/...)`).
TEST(Prefix, UndoesAutolinksToTheirOwnText) {
  std::string out;
  ASSERT_TRUE(UndoAutolinks("\\[nk8s.io/a/runtime.logPanic(](http://nk8s.io/a/runtime.logPanic(){0x1, 0x2})", &out));
  EXPECT_EQ(out, "\\nk8s.io/a/runtime.logPanic({0x1, 0x2})");
  // The link's text holds brackets of its own; https; two links in a line.
  ASSERT_TRUE(UndoAutolinks("x [sigs.k8s.io/c.(*C[..](https://sigs.k8s.io/c.(*C[..).]).R() and "
                            "[github.com/a/b.F(0x0,](http://github.com/a/b.F(0x0,) 0x1)",
                            &out));
  EXPECT_EQ(out, "x sigs.k8s.io/c.(*C[...]).R() and github.com/a/b.F(0x0, 0x1)");
  // A real link (its target is not its text) is content: left alone.
  EXPECT_FALSE(UndoAutolinks("see [the docs](https://go.dev/doc/) and [go.dev](https://go.dev/)x", &out));
  EXPECT_FALSE(UndoAutolinks("goroutine 1 [running]:", &out));
  EXPECT_FALSE(MayHoldAutolink("goroutine 1 [running]:"));
  EXPECT_TRUE(MayHoldAutolink("a [b](http://b)"));
}

}  // namespace
}  // namespace gotriage
