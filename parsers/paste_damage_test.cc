// The grammar of stacks that pasting or old loggers damaged: file-only
// frames after a logged panic, a stack without its goroutine header, hard
// wraps, blank lines inside a frame, a goleak record without its headline.
// The real pastes these come from are corpus cases (testdata/corpus/threads);
// these small inputs pin down each rule and its limits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "parsers/model.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

TEST(PasteDamage, FileOnlyFramesAfterALoggedPanic) {
  // Old klog `Observed a panic` and Macaron `PANIC:` print runtime.Caller's
  // file:line per frame, no function names.
  auto in = ParseText(
      "E0523 11:48:18.127847       1 runtime.go:69] Observed a panic: \"assignment to entry in nil map\" "
      "(assignment to entry in nil map)\n"
      "/go/src/github.com/x/op/vendor/k8s.io/apimachinery/pkg/util/runtime/runtime.go:76\n"
      "/usr/local/go/src/runtime/panic.go:513\n"
      "/usr/local/go/src/runtime/map_faststr.go:192\n"
      "/go/src/github.com/x/op/pkg/inventory/service.go:36 (0x4144ac)\n"
      "next log line\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kRecoveredPanic);
  ASSERT_EQ(inc.panics.size(), 1u);
  EXPECT_NE(inc.panics[0].message.find("assignment to entry in nil map"), std::string::npos);
  ASSERT_TRUE(inc.crashing);
  ASSERT_EQ(inc.crashing->frames.size(), 4u);
  const Frame& app = inc.crashing->frames[3];
  EXPECT_EQ(app.function, "");
  EXPECT_EQ(app.package, "github.com/x/op/pkg/inventory");  // from the GOPATH layout
  EXPECT_EQ(app.line, 36);
  EXPECT_EQ(inc.crashing->frames[0].package, "k8s.io/apimachinery/pkg/util/runtime");  // vendored
  EXPECT_TRUE(inc.crashing->frames[1].is_panic);  // runtime/panic.go raises it
  EXPECT_EQ(inc.goroutine_count, 1u);
}

TEST(PasteDamage, FileLinesWithoutAPanicBeforeThemAreNotAStack) {
  auto in = ParseText("building\n/src/app/main.go:12\n/src/app/util.go:3\n");
  EXPECT_TRUE(in->incidents.empty());
  // A line that merely mentions a panic does not announce one.
  in = ParseText("no panic here\n/src/app/main.go:12\n");
  EXPECT_TRUE(in->incidents.empty());
}

TEST(PasteDamage, StackWithoutItsGoroutineHeader) {
  auto in = ParseText(
      "Test appears to have leaked a Transport:\n"
      "\t\tnet/http.(*persistConn).readLoop(0xc20858c0b0)\n"
      "\t\t\t/usr/local/go/src/net/http/transport.go:858 +0x4eb\n"
      "\t\tcreated by net/http.(*Transport).dialConn\n"
      "\t\t\t/usr/local/go/src/net/http/transport.go:660 +0x10d4\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_EQ(in->incidents[0].groups.size(), 1u);
  const Goroutine& g = in->incidents[0].groups[0].samples.at(0);
  EXPECT_EQ(g.id, -1);  // not in the input
  ASSERT_EQ(g.frames.size(), 1u);
  EXPECT_EQ(g.frames[0].function, "net/http.(*persistConn).readLoop");
  ASSERT_TRUE(g.created_by);
}

TEST(PasteDamage, ALoneCallLikeLineIsNoStack) {
  auto in = ParseText("calling main.run(cfg)\nmain.run(cfg)\nthen something else\n");
  EXPECT_TRUE(in->incidents.empty());
}

TEST(PasteDamage, HardWrappedFrameLinesAreJoined) {
  auto in = ParseText(
      "fatal error: concurrent map iteration and map write\n\n"
      "goroutine 821 [running]:\n"
      "runtime.throw(0x19dce6f, 0x26)\n"
      "/usr/local/go/src/runtime/panic.go:617 +0x72 fp=0xc0014018f0 sp=0xc0014018c0 pc\n"
      "=0x42ce72\n"
      "example.com/app/logmanager.publishLogMetrics(0xc00165d680, 0xc001\n"
      "401e18)\n"
      "/app/logmanager.go:785 +\n"
      "0x13e\n"
      "created by example.com/app/logmanager.Run\n"
      "/app/logmanager.go:348 +0x182a\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_TRUE(in->incidents[0].crashing);
  const Goroutine& g = *in->incidents[0].crashing;
  ASSERT_EQ(g.frames.size(), 2u);
  EXPECT_EQ(g.frames[1].function, "example.com/app/logmanager.publishLogMetrics");
  EXPECT_EQ(g.frames[1].args, "0xc00165d680, 0xc001401e18");
  EXPECT_EQ(g.frames[1].line, 785);
  EXPECT_EQ(g.frames[1].pc_offset, 0x13eu);
  ASSERT_TRUE(g.created_by);
}

// An issue's paste cut off inside a frame's arguments (testdata/corpus
// threads 10 and 111 are real ones): the frame is known all the same, and
// it is the culprit's frame.
TEST(PasteDamage, PasteEndsInsideAFramesArguments) {
  const std::string head =
      "panic: runtime error: invalid memory address or nil pointer dereference\n"
      "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x14881a0]\n\n"
      "goroutine 527 [running]:\n"
      "panic({0x1626040, 0x25d39a0})\n"
      "\t/usr/local/go/src/runtime/panic.go:838 +0x207\n"
      "example.com/app/logset.(*Actor).finalizeBucket(0xc00012ea60?, 0xc0011";
  for (const std::string& tail : {std::string(""), std::string("\n"), std::string("\n\nnext log line\n")}) {
    SCOPED_TRACE(tail);
    auto in = ParseText(head + tail);
    ASSERT_EQ(in->incidents.size(), 1u);
    ASSERT_TRUE(in->incidents[0].crashing);
    const Goroutine& g = *in->incidents[0].crashing;
    ASSERT_EQ(g.frames.size(), 2u);
    EXPECT_EQ(g.frames[1].function, "example.com/app/logset.(*Actor).finalizeBucket");
    EXPECT_EQ(g.frames[1].args, "0xc00012ea60?, 0xc0011");
    EXPECT_EQ(g.frames[1].input_line, 7u);
    EXPECT_TRUE(g.frames[1].file.empty());
  }
}

// A paste that lost the newlines before the first goroutine's header
// glues it to the crash's line (`panic: ... goroutine 32 [running]:`,
// ctop#254): the line, then the goroutine, as if they had been apart.
TEST(PasteDamage, GoroutineHeaderGluedToTheCrashLine) {
  for (const char* name : {"index-out-of-range.go126.txt", "nil-deref.go127.txt", "concurrent-map-writes.go119.txt"}) {
    SCOPED_TRACE(name);
    std::string text = test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/" + name);
    size_t header = text.find("\ngoroutine ");
    ASSERT_NE(header, std::string::npos);
    size_t line_end = text.find_last_not_of('\n', header);
    std::string glued = text.substr(0, line_end + 1) + " " + text.substr(header + 1);
    auto want = ParseText(text), got = ParseText(glued);
    ASSERT_EQ(got->incidents.size(), want->incidents.size());
    const Incident &g = got->incidents[0], &w = want->incidents[0];
    EXPECT_EQ(g.kind, w.kind);
    EXPECT_EQ(g.fatal_error, w.fatal_error);
    ASSERT_EQ(g.panics.size(), w.panics.size());
    if (!w.panics.empty()) {
      EXPECT_EQ(g.panics[0].message, w.panics[0].message);
    }
    EXPECT_EQ(g.signal.has_value(), w.signal.has_value());
    ASSERT_TRUE(g.crashing);
    EXPECT_EQ(g.crashing->id, w.crashing->id);
    ASSERT_EQ(g.crashing->frames.size(), w.crashing->frames.size());
    for (size_t i = 0; i < w.crashing->frames.size(); ++i)
      EXPECT_EQ(g.crashing->frames[i].function, w.crashing->frames[i].function);
    EXPECT_EQ(g.goroutine_count, w.goroutine_count);
  }
  // Text that merely mentions a goroutine is not a header.
  auto in = ParseText("panic: worker stopped: goroutine 7 [exited]\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_EQ(in->incidents[0].panics.size(), 1u);
  EXPECT_EQ(in->incidents[0].panics[0].message, "worker stopped: goroutine 7 [exited]");
  EXPECT_EQ(in->incidents[0].crashing->id, 1);
}

// A code block's indent is learned from the paste's first two lines that
// say something: blank lines may open the block (speedtest-go#165 in
// fresh/: debug=1 records without their header, after a blank line).
TEST(PasteDamage, CodeIndentAfterBlankLinesOpeningThePaste) {
  std::string text = test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) +
                                            "/testdata/fixtures/goroutine-leak-debug1-t1.go126.txt");
  ASSERT_EQ(text.rfind("goroutine profile: total ", 0), 0u);
  std::string records = text.substr(text.find('\n') + 1);  // the header cut off
  auto want = ParseText(records);
  ASSERT_EQ(want->incidents.size(), 1u);
  for (const std::string& open : {std::string("\n"), std::string("    \n"), std::string("\n\n    \n")}) {
    SCOPED_TRACE("opened with " + std::to_string(open.size()) + " bytes of blank lines");
    std::string indented = open;
    size_t at = 0;
    while (at < records.size()) {
      size_t nl = records.find('\n', at);
      if (nl == std::string::npos) nl = records.size();
      indented += "    " + records.substr(at, nl - at) + "\n";
      at = nl + 1;
    }
    auto got = ParseText(indented);
    ASSERT_EQ(got->incidents.size(), 1u);
    EXPECT_EQ(got->incidents[0].goroutine_count, want->incidents[0].goroutine_count);
    EXPECT_EQ(got->incidents[0].groups.size(), want->incidents[0].groups.size());
  }
}

TEST(PasteDamage, BlankLineBetweenAFunctionAndItsFile) {
  auto in = ParseText(
      "fatal error: sync: unlock of unlocked mutex\n\n"
      "goroutine 222 [running]:\n"
      "sync.(*Mutex).Unlock(0xc0011d27e8)\n\n"
      "\t/usr/local/go/src/sync/mutex.go:214 +0x55\n"
      "example.com/app.f()\n\n"
      "\t/app/f.go:33 +0x3a\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_TRUE(in->incidents[0].crashing);
  EXPECT_EQ(in->incidents[0].crashing->frames.size(), 2u);
  // Without a file line after it, the blank line still ends the goroutine.
  in = ParseText(
      "goroutine 1 [chan receive]:\nmain.main()\n\nsome log line\n");
  ASSERT_EQ(in->incidents.size(), 1u);
}

// A copy that put a blank line after every line (a CI console's copy:
// pingcap/tiproxy#434, pingcap/tidb#41490): one blank is the paste's, two
// the runtime's one. Every real panic and debug=2 dump of the fixtures,
// double-spaced, gives the goroutines (states, counts, frames) it gives
// as printed.
std::string Goroutines(const ParsedInput& in) {
  std::string s;
  for (const Incident& inc : in.incidents) {
    s += std::string(IncidentKindName(inc.kind)) + "\n";
    auto add = [&](const Goroutine& g, uint64_t count) {
      s += "  " + std::to_string(count) + " [" + std::string(g.state) + "]";
      for (const Frame& f : g.frames) s += " " + std::string(f.function) + "@" + std::to_string(f.line);
      if (g.created_by) s += " by " + std::string(g.created_by->function);
      s += "\n";
    };
    if (inc.crashing) add(*inc.crashing, 1);
    for (const GoroutineGroup& g : inc.groups)
      if (!g.samples.empty()) add(g.representative(), g.count);
  }
  return s;
}

TEST(PasteDamage, DoubleSpacedTracebacksAndDumps) {
  size_t checked = 0;
  for (const std::filesystem::path& f : test_inputs::FilesUnder(test_inputs::FixturesDir())) {
    std::string name = f.filename().string();
    if (f.parent_path() != test_inputs::FixturesDir() || f.extension() != ".txt") continue;
    std::string text = test_inputs::ReadInput(f), doubled;
    auto want = ParseText(text);
    // The traceback reader's inputs: panics, fatal errors, SIGQUIT and
    // debug=2 dumps, test timeouts. Not a recovered panic: what tells the
    // application's logged `panic: V` line from the runtime's is the blank
    // the runtime prints before the stack, which a double-spaced paste
    // puts after every line. debug=1, race and goleak reports have readers
    // of their own (not yet here).
    bool traceback = !want->incidents.empty();
    for (const Incident& inc : want->incidents) {
      traceback = traceback && (inc.kind == IncidentKind::kPanic || inc.kind == IncidentKind::kFatalError ||
                                inc.kind == IncidentKind::kSignalDump || inc.kind == IncidentKind::kTestTimeout ||
                                (inc.kind == IncidentKind::kGoroutineDump && inc.Title().find("goleak") == std::string::npos));
    }
    if (!traceback) continue;
    for (char c : text) {
      doubled += c;
      if (c == '\n') doubled += '\n';
    }
    auto got = ParseText(doubled);
    EXPECT_EQ(Goroutines(*got), Goroutines(*want)) << name;
    ++checked;
  }
  EXPECT_GT(checked, 50u);
}

TEST(PasteDamage, GoleakRecordWithoutItsHeadline) {
  auto in = ParseText(
      " Goroutine 708 in state select, with net/http.(*persistConn).writeLoop on top of the stack:\n"
      "net/http.(*persistConn).writeLoop(0xc0020ff8c0)\n"
      "        /usr/local/go/src/net/http/transport.go:2421 +0xe5\n"
      "created by net/http.(*Transport).dialConn in goroutine 703\n"
      "        /usr/local/go/src/net/http/transport.go:1777 +0x16f1\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].Title().rfind("found unexpected goroutines", 0), 0u) << in->incidents[0].Title();
  ASSERT_EQ(in->incidents[0].groups.size(), 1u);
  EXPECT_EQ(in->incidents[0].groups[0].samples.at(0).id, 708);
}

// Older goleak versions repeat the runtime's own header under each record
// and separate records with a blank line; the prefix layer, learning an
// indent at that header, peels it (open-telemetry/opentelemetry-collector-
// contrib#9126 in fresh2/). The report stays one incident of every record.
TEST(PasteDamage, GoleakRecordsWithTheRuntimesHeadersAndBlankLines) {
  auto in = ParseText(test_inputs::ReadInput((test_inputs::CorpusDir() / "fresh2/C-otel-contrib-9126-goleak-verifynone-test-indented-idbatcher.log").string()));
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].Title(), "found unexpected goroutines after TestConcurrentTraceMapSize (goleak)");
  ASSERT_EQ(in->incidents[0].groups.size(), 2u);
  EXPECT_EQ(in->incidents[0].groups[0].samples.at(0).id, 6);
  EXPECT_EQ(in->incidents[0].groups[1].samples.at(0).id, 11);
  // Unindented, records split by an empty line (VerifyTestMain's form).
  const std::string two =
      "goleak: Errors on successful test run: found unexpected goroutines:\n"
      "[Goroutine 6 in state select, with example.com/a.f on top of the stack:\n"
      "goroutine 6 [select]:\n"
      "example.com/a.f(0xc00003a080)\n\t/x/a.go:276 +0x177\n"
      "created by example.com/a.g\n\t/x/a.go:34 +0xf7\n"
      "\n"
      " Goroutine 11 in state chan receive, with example.com/b.New.func1 on top of the stack:\n"
      "goroutine 11 [chan receive]:\n"
      "example.com/b.New.func1()\n\t/x/b.go:106 +0x79\n"
      "created by example.com/b.New\n\t/x/b.go:100 +0x1\n"
      "]\n";
  in = ParseText(two);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].goroutine_count, 2u);
  // After the blank line anything but another record ends the report.
  in = ParseText(two.substr(0, two.find(" Goroutine 11")) + "FAIL\texample.com/a\t0.917s\n"
                 "goroutine 1 [running]:\nmain.main()\n\t/x/main.go:3 +0x1\n");
  ASSERT_EQ(in->incidents.size(), 2u);
  EXPECT_EQ(in->incidents[0].goroutine_count, 1u);
  EXPECT_EQ(in->incidents[1].Title().rfind("found unexpected", 0), std::string::npos);
}

TEST(PasteDamage, JsonFieldHoldingACaptureWithItsEnvelope) {
  // A journald capture logged as one string field: its lines go through the
  // envelope layers again.
  auto in = ParseText(
      "{\"level\":\"error\",\"msg\":\"dump\",\"stack\":\""
      "Oct 01 22:57:16 host svc[19647]: goroutine 54 [semacquire, 14409 minutes]:\\n"
      "Oct 01 22:57:16 host svc[19647]: sync.(*Mutex).Lock(0x106a17e8)\\n"
      "Oct 01 22:57:16 host svc[19647]: \\t/go/src/sync/mutex.go:82 +0x1fc\\n\"}\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_EQ(in->incidents[0].groups.size(), 1u);
  const Goroutine& g = in->incidents[0].groups[0].samples.at(0);
  EXPECT_EQ(g.id, 54);
  EXPECT_EQ(g.wait_minutes, 14409);
  ASSERT_EQ(g.frames.size(), 1u);
  EXPECT_EQ(g.frames[0].line, 82);
  // A klog `Observed a panic` with file-only frames, logged the same way.
  in = ParseText(
      "{\"msg\":\"x\",\"stack\":\""
      "E1207 17:55:55.339885   50630 runtime.go:66] Observed a panic: \\\"boom\\\" (boom)\\n"
      "/go/src/runtime/panic.go:491\\n"
      "/go/src/example.com/app/ctl.go:162\\n\"}\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kRecoveredPanic);
  ASSERT_TRUE(in->incidents[0].crashing);
  EXPECT_EQ(in->incidents[0].crashing->frames.size(), 2u);
}

// A log view that lists the newest line first, copied whole: every real
// crash fixture with its lines in reverse order is read bottom-up, giving
// the crashing goroutine's frames the fixture gives, at the same input
// lines counted in the pasted order.
TEST(PasteDamage, NewestFirstPasteIsReadBottomUp) {
  namespace fs = std::filesystem;
  size_t checked = 0;
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::FixturesDir())) {
    // The runtime's own output: a debugger's (fixtures/delve) and
    // panicparse's buckets (fixtures/panicparse) have no runtime header to
    // tell the order by.
    if (f.parent_path().filename() == "delve" || f.parent_path().filename() == "panicparse") continue;
    std::string text = test_inputs::ReadInput(f);
    if (text.size() > (512 << 10) || text.find('\0') != std::string::npos) continue;
    auto fwd = ParseText(text);
    if (fwd->incidents.size() != 1 || !fwd->incidents[0].crashing ||
        fwd->incidents[0].crashing->frames.empty())
      continue;
    // A stack folded into one log record (a JSON field) reads the same
    // either way.
    const auto& fr = fwd->incidents[0].crashing->frames;
    if (fr.front().input_line == fr.back().input_line) continue;
    std::vector<std::string> lines;
    for (size_t at = 0; at < text.size();) {
      size_t nl = text.find('\n', at);
      if (nl == std::string::npos) nl = text.size();
      lines.push_back(text.substr(at, nl - at));
      at = nl + 1;
    }
    std::string reversed;
    for (size_t i = lines.size(); i-- > 0;) reversed += lines[i] + "\n";
    auto rev = ParseText(reversed);
    ASSERT_EQ(rev->incidents.size(), 1u) << f;
    const Incident& a = fwd->incidents[0];
    const Incident& b = rev->incidents[0];
    EXPECT_TRUE(b.read_bottom_up) << f;
    EXPECT_EQ(b.kind, a.kind) << f;
    ASSERT_TRUE(b.crashing) << f;
    ASSERT_EQ(b.crashing->frames.size(), a.crashing->frames.size()) << f;
    const size_t n = lines.size();
    for (size_t i = 0; i < a.crashing->frames.size(); ++i) {
      EXPECT_EQ(b.crashing->frames[i].function, a.crashing->frames[i].function) << f;
      EXPECT_EQ(b.crashing->frames[i].line, a.crashing->frames[i].line) << f;
      EXPECT_EQ(b.crashing->frames[i].input_line, n + 1 - a.crashing->frames[i].input_line) << f;
    }
    EXPECT_EQ(b.first_line, n + 1 - a.last_line) << f;
    EXPECT_EQ(b.last_line, n + 1 - a.first_line) << f;
    ++checked;
  }
  EXPECT_GT(checked, 40u);
}

// A file is read bottom-up only when all of it fits the second reading's
// buffer (1 MiB); a plain file over that is not copied aside at all
// (Parser::ReadFd), so the bound must hold at the same byte: padded with log
// lines after its newest-first trace to 1 MiB the file is turned over, one
// byte more and it is not.
TEST(PasteDamage, NewestFirstFileIsReadBottomUpUpToOneMebibyte) {
  const std::string dump =
      "panic: boom\n\ngoroutine 1 [running]:\nmain.f(...)\n\t/app/main.go:9 +0x2e\n"
      "main.main()\n\t/app/main.go:5 +0x1d\nexit status 2\n";
  std::vector<std::string> lines;
  for (size_t at = 0; at < dump.size();) {
    size_t nl = dump.find('\n', at);
    lines.push_back(dump.substr(at, nl - at));
    at = nl + 1;
  }
  std::string reversed;
  for (size_t i = lines.size(); i-- > 0;) reversed += lines[i] + "\n";
  const std::string path = testing::TempDir() + "/newest-first.log";
  for (size_t extra : {0, 1}) {
    std::string text = reversed;
    while (text.size() + 64 <= (1u << 20)) text += "INFO request served in 12ms, nothing to see here at all..\n";
    text += std::string((1u << 20) - text.size() - 1, 'x') + "\n";
    text.insert(reversed.size(), std::string(extra, '.'));
    ASSERT_EQ(text.size(), (1u << 20) + extra);
    {
      std::ofstream f(path, std::ios::binary);
      f << text;
    }
    Parser p{ParseOptions{}};
    std::string err;
    ASSERT_TRUE(p.AddFile(path, &err)) << err;
    std::unique_ptr<ParsedInput> in = p.Finish();
    ASSERT_FALSE(in->incidents.empty()) << extra;
    EXPECT_EQ(in->incidents[0].read_bottom_up, extra == 0) << extra;
  }
  std::filesystem::remove(path);
}

TEST(PasteDamage, TopDownReadingWithFramesIsKept) {
  // A log that reads top-down is never turned over, even with a stray
  // goroutine header: only a reading without a frame is retried.
  const std::string dump =
      "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n\n"
      "goroutine 2 [chan send]:\nmain.f()\n\t/app/main.go:9 +0x2e\n";
  auto in = ParseText(dump);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_FALSE(in->incidents[0].read_bottom_up);
  // Nothing a reversal could make a stack of: left as it is.
  in = ParseText("goroutine 7 is mentioned in this log line\nnothing else\n");
  EXPECT_TRUE(in->incidents.empty());
}

// DataDog/datadog-operator#750 (testdata/corpus/fresh4/): apimachinery's
// `Observed a panic: V` line, then the handler's own stack, cut after
// logPanic and HandleCrash, before any panic() frame. The line announced
// the panic: a recovered one, whose value is the line's.
TEST(PasteDamage, AnnouncedPanicWithTheHandlersStackCutShort) {
  auto in = ParseText(
      "Observed a panic: \"invalid memory address or nil pointer dereference\" (runtime error: invalid memory "
      "address or nil pointer dereference)\n"
      "goroutine 771 [running]:\n"
      "k8s.io/apimachinery/pkg/util/runtime.logPanic({0x19600c0?, 0x2ce8cb0})\n"
      "\t/go/pkg/mod/k8s.io/apimachinery@v0.23.5/pkg/util/runtime/runtime.go:74 +0x86\n"
      "k8s.io/apimachinery/pkg/util/runtime.HandleCrash({0x0, 0x0, 0x73?})\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kRecoveredPanic);
  ASSERT_EQ(inc.panics.size(), 1u);
  EXPECT_NE(inc.panics[0].message.find("nil pointer dereference"), std::string::npos);
  EXPECT_TRUE(inc.panics[0].recovered);
  // Not after an unrelated line: a running goroutine alone stays a dump.
  auto plain = ParseText(
      "starting workers\n"
      "goroutine 771 [running]:\n"
      "k8s.io/apimachinery/pkg/util/runtime.logPanic({0x19600c0?, 0x2ce8cb0})\n"
      "\t/go/pkg/mod/k8s.io/apimachinery@v0.23.5/pkg/util/runtime/runtime.go:74 +0x86\n");
  ASSERT_EQ(plain->incidents.size(), 1u);
  EXPECT_EQ(plain->incidents[0].kind, IncidentKind::kGoroutineDump);
}

TEST(PasteDamage, IndentedLinesOfAProfileRecord) {
  // A paste's margin before a record's lines, on all of them or only some
  // (bfenetworks/bfe#1209: ` #       0xb85ec5 ...`, its tabs made spaces):
  // no line of a profile starts with a blank, so the margin is no content.
  for (const std::string& margin : {std::string(" "), std::string("    "), std::string("\t")}) {
    const std::string text = "goroutine profile: total 9\n"
                             "9 @ 0x43d2d6 0x4079ee 0x981c70 0x471041\n" +
                             margin + "#       0x981c6f        github.com/acme/w.run+0x4f       /w/run.go:61\n" + margin +
                             "#\t0x4079ed\tgithub.com/acme/w.main+0x2d\t/w/main.go:12\n\n";
    auto in = ParseText(text);
    ASSERT_EQ(in->incidents.size(), 1u);
    ASSERT_EQ(in->incidents[0].groups.size(), 1u);
    const std::vector<Frame>& fr = in->incidents[0].groups[0].representative().frames;
    ASSERT_EQ(fr.size(), 2u) << "margin '" << margin << "'";
    EXPECT_EQ(fr[0].function, "github.com/acme/w.run");
    EXPECT_EQ(fr[0].line, 61);
    EXPECT_EQ(fr[1].function, "github.com/acme/w.main");
  }
}

}  // namespace
}  // namespace gotriage
