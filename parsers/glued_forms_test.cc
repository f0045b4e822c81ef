// Paste forms from the fifteenth held-out batch (testdata/corpus/fresh13/),
// each read by a mechanism for its whole kind, checked on the real paste
// and on variants that must and must not be read so:
//   - a stack escaped into a JSON string that is no record's field (an
//     array's element: tidb#7408's CI status line);
//   - a JSON record behind a markdown quote (`> {"log":...}`);
//   - a leak checker's stack whose first frame is glued to its message
//     (`... appears to have leaked: pkg.F.func1(0xc0...)`, tiflow#1916);
//   - file-only frames of a recovery middleware on Go 1.0 to 1.4, where the
//     runtime's files are C (`runtime/panic.c`) and the standard library
//     lives in `$GOROOT/src/pkg/` (martini, gogs#285).
#include <gtest/gtest.h>

#include <string>

#include "parsers/model.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

std::unique_ptr<ParsedInput> Fresh13(const char* name) {
  return ParseText(test_inputs::ReadInput(test_inputs::CorpusDir() / "fresh13" / name));
}

const Goroutine* First(const Incident& inc) {
  if (inc.crashing) return &*inc.crashing;
  return inc.groups.empty() ? nullptr : &inc.groups[0].representative();
}

TEST(GluedForms, StackEscapedIntoALoneJsonString) {
  auto in = Fresh13("A-tidb-7408-etcd-watcher-leak-escaped.log");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Goroutine* g = First(in->incidents[0]);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->id, 849);
  EXPECT_EQ(g->wait_minutes, 20);
  ASSERT_FALSE(g->frames.empty());
  EXPECT_EQ(g->frames[0].function, "github.com/pingcap/tidb/vendor/google.golang.org/grpc/transport.(*recvBufferReader).read");

  // The same in a quoted message of prose, and cut before its closing quote.
  const std::string stack =
      "goroutine 7 [chan send, 3 minutes]:\\nmain.worker(0xc000010000)\\n\\t/src/app/main.go:12 +0x25\\n"
      "created by main.main in goroutine 1\\n\\t/src/app/main.go:20 +0x3a";
  for (const std::string& line : {"step failed: \"leaked:\\n" + stack + "\\n\" (exit 1)\n",
                                  "status [\"ok\", \"leaked:\\n" + stack + "\n"}) {
    SCOPED_TRACE(line);
    auto v = ParseText(line);
    ASSERT_EQ(v->incidents.size(), 1u);
    const Goroutine* w = First(v->incidents[0]);
    ASSERT_TRUE(w);
    EXPECT_EQ(w->id, 7);
    ASSERT_FALSE(w->frames.empty());
    EXPECT_EQ(w->frames[0].function, "main.worker");
    EXPECT_EQ(w->frames[0].line, 12);
  }
  // An escaped `\ngoroutine` that heads no goroutine, and one outside any
  // string, are no stack.
  EXPECT_TRUE(ParseText("note \"see\\ngoroutine docs\\n\"\n")->incidents.empty());
  EXPECT_TRUE(ParseText("raw text\\ngoroutine 7 [running]:\\nmain.f()\n")->incidents.empty());
}

TEST(GluedForms, JsonRecordBehindAMarkdownQuote) {
  const std::string rec =
      "{\"log\":\"goroutine 34 [running]:\\n\",\"stream\":\"stderr\",\"time\":\"2016-12-02T11:28:04.59Z\"}\n"
      "{\"log\":\"main.f(0x1)\\n\",\"stream\":\"stderr\",\"time\":\"2016-12-02T11:28:04.59Z\"}\n"
      "{\"log\":\"\\u0009/x/main.go:3 +0x1\\n\",\"stream\":\"stderr\",\"time\":\"2016-12-02T11:28:04.59Z\"}\n";
  std::string quoted;
  for (size_t at = 0; at < rec.size();) {
    size_t nl = rec.find('\n', at);
    quoted += "> " + rec.substr(at, nl + 1 - at);
    at = nl + 1;
  }
  for (const std::string& text : {rec, quoted}) {
    auto in = ParseText(text);
    ASSERT_EQ(in->incidents.size(), 1u) << text;
    EXPECT_EQ(in->lines_unplaced, 0u) << text;
    const Goroutine* g = First(in->incidents[0]);
    ASSERT_TRUE(g);
    ASSERT_EQ(g->frames.size(), 1u);
    EXPECT_EQ(g->frames[0].function, "main.f");
    EXPECT_EQ(g->frames[0].file, "/x/main.go");
  }
}

TEST(GluedForms, FirstFrameGluedToALeakCheckersMessage) {
  auto in = Fresh13("A-tiflow-1916-testleak-embed-etcd-jenkins.log");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Goroutine* g = First(in->incidents[0]);
  ASSERT_TRUE(g);
  ASSERT_EQ(g->frames.size(), 1u);
  EXPECT_EQ(g->frames[0].function, "github.com/pingcap/ticdc/pkg/etcd.(*etcdSuite).SetUpTest.func1");
  EXPECT_EQ(g->frames[0].line, 45);
  ASSERT_TRUE(g->created_by);
  EXPECT_EQ(g->created_by->function, "github.com/pingcap/ticdc/pkg/etcd.(*etcdSuite).SetUpTest");

  // Without its file line after it, a call glued to a message is only words.
  EXPECT_TRUE(ParseText("error: retrying pkg.(*T).Do(0x1)\nnext line\n")->incidents.empty());
}

TEST(GluedForms, RecoveryFramesOfTheCRuntime) {
  auto in = Fresh13("B-gogs-285-martini-windows-index-range.log");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  ASSERT_FALSE(inc.panics.empty());
  EXPECT_EQ(inc.panics[0].message, "runtime error: index out of range");
  const Goroutine* g = First(inc);
  ASSERT_TRUE(g);
  ASSERT_GE(g->frames.size(), 4u);
  // panic.c is where the runtime raised it, and its package is the runtime,
  // not `pkg/runtime`; reflect's files under src/pkg/ are reflect's.
  EXPECT_EQ(g->frames[0].file, "D:/go/src/pkg/runtime/panic.c");
  EXPECT_EQ(g->frames[0].package, "runtime");
  EXPECT_TRUE(g->frames[1].is_panic);
  EXPECT_EQ(g->frames[2].package, "github.com/gogits/gogs/modules/middleware");
  EXPECT_EQ(g->frames[2].line, 226);
  EXPECT_EQ(g->frames[4].package, "reflect");

  // A C file outside the runtime after a panic's words is no Go frame.
  EXPECT_TRUE(ParseText("[app] PANIC: boom\n/usr/src/lib/parse.c:12 (0x4155e8)\n")->incidents.empty());
}

}  // namespace
}  // namespace gotriage
