// Unit tests of each element of the traceback grammar. Each test names the
// item of docs/go-trace-format.md it covers.
#include "parsers/grammar.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/classify.h"
#include "parsers/model.h"
#include "parsers/newlines.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

// Item 1: `goroutine <id> [<status>[ (scan)][, <N> minutes][, locked to thread]]:`.
TEST(GoroutineHeader, StatusMinutesLocked) {
  GoroutineHeader h;
  ASSERT_TRUE(ParseGoroutineHeader("goroutine 5 [chan receive, 12 minutes, locked to thread]:", &h));
  EXPECT_EQ(h.id, 5);
  EXPECT_EQ(h.state, "chan receive");
  EXPECT_EQ(h.wait_minutes, 12);
  EXPECT_TRUE(h.locked_to_thread);
  ASSERT_TRUE(ParseGoroutineHeader("goroutine 1 [running]:", &h));
  EXPECT_EQ(h.state, "running");
  EXPECT_EQ(h.wait_minutes, -1);
  EXPECT_FALSE(h.locked_to_thread);
  ASSERT_TRUE(ParseGoroutineHeader("goroutine 7 [select (scan), 1 minutes]:", &h));
  EXPECT_EQ(h.state, "select");
  EXPECT_TRUE(h.scan);
  EXPECT_EQ(h.wait_minutes, 1);
}

// Item 2: the `gp=0x.. m=N mp=0x..` (or `m=nil`) form.
TEST(GoroutineHeader, GpMForm) {
  GoroutineHeader h;
  ASSERT_TRUE(ParseGoroutineHeader(
      "goroutine 279272 gp=0x4031d0ca80 m=6 mp=0x4006742008 [running]:", &h));
  EXPECT_EQ(h.id, 279272);
  EXPECT_EQ(h.state, "running");
  ASSERT_TRUE(ParseGoroutineHeader("goroutine 18 gp=0xc000102a80 m=nil [GC worker (idle)]:", &h));
  EXPECT_EQ(h.state, "GC worker (idle)");
}

// Items 3 and 4: wait reasons old and new, `(durable)`, `(leaked)`.
TEST(GoroutineHeader, WaitReasons) {
  struct Case {
    const char* line;
    const char* state;
    WaitKind kind;
    bool leaked, durable;
  } cases[] = {
      {"goroutine 3 [semacquire]:", "semacquire", WaitKind::kMutex, false, false},
      {"goroutine 3 [sync.Mutex.Lock]:", "sync.Mutex.Lock", WaitKind::kMutex, false, false},
      {"goroutine 3 [sync.RWMutex.RLock]:", "sync.RWMutex.RLock", WaitKind::kMutex, false, false},
      {"goroutine 3 [chan send (nil chan)]:", "chan send (nil chan)", WaitKind::kChanNil, false, false},
      {"goroutine 3 [chan receive (nil chan)]:", "chan receive (nil chan)", WaitKind::kChanNil, false, false},
      {"goroutine 3 [select (no cases)]:", "select (no cases)", WaitKind::kSelectNoCases, false, false},
      {"goroutine 3 [IO wait, 41 minutes]:", "IO wait", WaitKind::kIOWait, false, false},
      {"goroutine 3 [sync.WaitGroup.Wait]:", "sync.WaitGroup.Wait", WaitKind::kWaitGroup, false, false},
      {"goroutine 3 [sync.Cond.Wait]:", "sync.Cond.Wait", WaitKind::kCond, false, false},
      {"goroutine 3 [sleep]:", "sleep", WaitKind::kSleep, false, false},
      {"goroutine 3 [syscall, 5 minutes]:", "syscall", WaitKind::kSyscall, false, false},
      {"goroutine 3 [chan send (durable)]:", "chan send (durable)", WaitKind::kChanSend, false, true},
      {"goroutine 3 [select (durable)]:", "select (durable)", WaitKind::kSelect, false, true},
      {"goroutine 3 [sync.WaitGroup.Wait (durable)]:", "sync.WaitGroup.Wait (durable)", WaitKind::kWaitGroup, false, true},
      {"goroutine 3 [chan send (leaked)]:", "chan send", WaitKind::kChanSend, true, false},
      {"goroutine 3 [chan receive (leaked), 3 minutes]:", "chan receive", WaitKind::kChanReceive, true, false},
      {"goroutine 3 [GC worker (idle)]:", "GC worker (idle)", WaitKind::kRuntimeIdle, false, false},
      {"goroutine 3 [finalizer wait]:", "finalizer wait", WaitKind::kRuntimeIdle, false, false},
      {"goroutine 3 [synctest.Wait]:", "synctest.Wait", WaitKind::kOther, false, false},
  };
  for (const Case& c : cases) {
    GoroutineHeader h;
    ASSERT_TRUE(ParseGoroutineHeader(c.line, &h)) << c.line;
    EXPECT_EQ(h.state, c.state) << c.line;
    EXPECT_EQ(ClassifyWaitState(h.state), c.kind) << c.line;
    EXPECT_EQ(h.leaked, c.leaked) << c.line;
    EXPECT_EQ(h.durable, c.durable) << c.line;
  }
}

TEST(GoroutineHeader, Rejects) {
  GoroutineHeader h;
  for (const char* bad : {"goroutine profile: total 5", "goroutine 5", "goroutine x [running]:",
                          "Goroutine 7 (running) created at:", "goroutine 5 [running]",
                          "goroutine 5 something [running]:", ""}) {
    EXPECT_FALSE(ParseGoroutineHeader(bad, &h)) << bad;
  }
}

// Items 6 and 7: function lines and every argument form.
TEST(FuncLine, ArgumentForms) {
  struct Case {
    const char* line;
    const char* fn;
    const char* args;
    bool inlined;
  } cases[] = {
      {"main.main()", "main.main", "", false},
      {"net/http.(*conn).serve(0xc0001a2000, {0x7d4f30, 0xc000116000})", "net/http.(*conn).serve",
       "0xc0001a2000, {0x7d4f30, 0xc000116000}", false},
      {"main.(*Queue[...]).Add(0xc000010030?, {0x1, 0x2, ...})", "main.(*Queue[...]).Add",
       "0xc000010030?, {0x1, 0x2, ...}", false},
      {"main.isAdmin(...)", "main.isAdmin", "...", true},
      {"panic({0x4a6f80?, 0x5f1e30?})", "panic", "{0x4a6f80?, 0x5f1e30?}", false},
      {"main.worker.func1.2(0x0, 0x1, _)", "main.worker.func1.2", "0x0, 0x1, _", false},
      {"github.com/a/b.(*T).M(0xc42000e0a0, 0xc4200d8000, 0x2, 0x2)", "github.com/a/b.(*T).M",
       "0xc42000e0a0, 0xc4200d8000, 0x2, 0x2", false},
      {"gopkg.in/yaml.v2.(*parser).parse(0x1)", "gopkg.in/yaml.v2.(*parser).parse", "0x1", false},
  };
  for (const Case& c : cases) {
    FuncLine f;
    ASSERT_TRUE(ParseFuncLine(c.line, &f)) << c.line;
    EXPECT_EQ(f.function, c.fn);
    EXPECT_EQ(f.args, c.args);
    EXPECT_EQ(f.inlined, c.inlined);
  }
  FuncLine f;
  EXPECT_FALSE(ParseFuncLine("created by main.main in goroutine 1", &f));
  EXPECT_FALSE(ParseFuncLine("2026/11/23 12:00:00 request (3)", &f));
  EXPECT_FALSE(ParseFuncLine("\t/usr/local/go/src/runtime/proc.go:435 +0x1d", &f));
}

TEST(FuncLine, CutInsideTheArguments) {
  FuncLine f;
  ASSERT_TRUE(ParseCutFuncLine("github.com/a/b/logset.(*Actor).finalizeBucket(0xc00012ea60?, 0xc0011", &f));
  EXPECT_EQ(f.function, "github.com/a/b/logset.(*Actor).finalizeBucket");
  EXPECT_EQ(f.args, "0xc00012ea60?, 0xc0011");
  ASSERT_TRUE(ParseCutFuncLine("main.(*Queue[...]).Add({0x1, 0x2, ...", &f));
  EXPECT_EQ(f.function, "main.(*Queue[...]).Add");
  ASSERT_TRUE(ParseCutFuncLine("net/http.(*conn).serve(", &f));
  EXPECT_EQ(f.args, "");
  // Whole lines are ParseFuncLine's; log text is not a frame.
  EXPECT_FALSE(ParseCutFuncLine("main.main()", &f));
  EXPECT_FALSE(ParseCutFuncLine("level=info msg=main.run(0x1", &f));
  EXPECT_FALSE(ParseCutFuncLine("starting server (pid 12", &f));
  EXPECT_FALSE(ParseCutFuncLine("main.run(retrying in 5s", &f));
  EXPECT_FALSE(ParseCutFuncLine("run(0x1", &f));  // not qualified
  EXPECT_FALSE(ParseCutFuncLine("\t/app/main.go:12 +0x1d", &f));
}

// A screen that cut the line at its edge left its mark there (thoj/go-ircevent#35:
// `SendRawf(0xc2087ebe00, 0x6bdd30, 0x7,$`).
TEST(FuncLine, CutAtTheScreensEdgeWithItsMark) {
  FuncLine f;
  for (const char* t : {"github.com/thoj/go-ircevent.(*Connection).SendRawf(0xc2087ebe00, 0x6bdd30, 0x7,$",
                        "github.com/thoj/go-ircevent.(*Connection).SendRawf(0xc2087ebe00, 0x6bdd30, 0x7,>",
                        "github.com/thoj/go-ircevent.(*Connection).SendRawf(0xc2087ebe00, 0x6bdd30, 0x7,\xe2\x80\xa6"}) {
    ASSERT_TRUE(ParseCutFuncLine(t, &f)) << t;
    EXPECT_EQ(f.function, "github.com/thoj/go-ircevent.(*Connection).SendRawf");
    EXPECT_EQ(f.args, "0xc2087ebe00, 0x6bdd30, 0x7,");
  }
  // One mark, at the end only.
  EXPECT_FALSE(ParseCutFuncLine("main.run(0x1$, 0x2", &f));
  EXPECT_FALSE(ParseCutFuncLine("main.run(0x1, $$", &f));
  EXPECT_FALSE(ParseCutFuncLine("cost: main.run($", &f));
}

// Markdown took the stars of two receivers for emphasis, or wrote them as `_`
// (thoj/go-ircevent#35, apcera/nats#34); the runtime prints `.(` only before `*`.
TEST(FuncName, ReceiverStarsRepaired) {
  std::string out;
  ASSERT_TRUE(RepairReceiverStars("github.com/thoj/go-ircevent.(_Connection).SendRawf", &out));
  EXPECT_EQ(out, "github.com/thoj/go-ircevent.(*Connection).SendRawf");
  ASSERT_TRUE(RepairReceiverStars("net.(pollDesc).Wait", &out));
  EXPECT_EQ(out, "net.(*pollDesc).Wait");
  ASSERT_TRUE(RepairReceiverStars("main.(_Queue[...]).Add.func1", &out));
  EXPECT_EQ(out, "main.(*Queue[...]).Add.func1");
  out = "untouched";
  for (const char* fn : {"net.(*pollDesc).Wait", "main.T.M", "main.main.func1", "main.(*T[...]).M",
                         "runtime.gopanic", "main.(T)", "main.(1T).M", "main.(T x).M", "(T).M"}) {
    EXPECT_FALSE(RepairReceiverStars(fn, &out)) << fn;
    EXPECT_EQ(out, "untouched");
  }
}

// The loose form holds a line for its rest; the strict one keeps it as a
// frame when no rest came. Every strict one is a loose one.
TEST(FuncLine, MayBeCutIsTheLooseForm) {
  FuncLine f;
  for (const char* t : {"github.com/a/b/logset.(*Actor).finalizeBucket(0xc00012ea60?, 0xc0011",
                        "main.(*Queue[...]).Add({0x1, 0x2, ...", "net/http.(*conn).serve("}) {
    EXPECT_TRUE(ParseCutFuncLine(t, &f)) << t;
    EXPECT_TRUE(MayBeCutFuncLine(t)) << t;
  }
  // Argument text a strict read refuses (a string's bytes) may still be
  // continued on the next line.
  EXPECT_TRUE(MayBeCutFuncLine("main.handle({0x9a3c20, 0x12}, \"GET /x"));
  EXPECT_FALSE(ParseCutFuncLine("main.handle({0x9a3c20, 0x12}, \"GET /x", &f));
  EXPECT_FALSE(MayBeCutFuncLine("main.main()"));
  EXPECT_FALSE(MayBeCutFuncLine("run(0x1"));  // no `.` before the `(`
  EXPECT_FALSE(MayBeCutFuncLine("starting server (pid 12"));
  // zap's bare names are neither; ParseBareFuncName reads them.
  EXPECT_FALSE(MayBeCutFuncLine("main.handle"));
  ASSERT_TRUE(ParseBareFuncName("  main.(*T).handle ", &f));
  EXPECT_EQ(f.function, "main.(*T).handle");
  EXPECT_EQ(f.args, "");
  EXPECT_FALSE(ParseBareFuncName("main.handle()", &f));
  EXPECT_FALSE(ParseBareFuncName("panic recovered", &f));
  EXPECT_FALSE(ParseBareFuncName(".main", &f));
}

TEST(PackageOf, Paths) {
  EXPECT_EQ(PackageOf("net/http.(*conn).serve"), "net/http");
  EXPECT_EQ(PackageOf("main.main.func1"), "main");
  EXPECT_EQ(PackageOf("github.com/a/b.F[...]"), "github.com/a/b");
  EXPECT_EQ(PackageOf("gopkg.in/yaml.v2.(*parser).parse"), "gopkg.in/yaml.v2");
  EXPECT_EQ(PackageOf("example.com/apiclient.(*Params).DeepCopy"), "example.com/apiclient");
  EXPECT_EQ(PackageOf("internal/runtime/maps.fatal"), "internal/runtime/maps");
}

// Item 6: file lines with and without offset, fp/sp/pc, autogenerated,
// Windows and trimmed paths.
TEST(FileLine, Forms) {
  struct Case {
    const char* line;
    const char* file;
    int ln;
    bool has_off;
    uint64_t off;
  } cases[] = {
      {"\t/usr/local/go/src/runtime/proc.go:435 +0x1d", "/usr/local/go/src/runtime/proc.go", 435, true, 0x1d},
      {"\t/app/main.go:20", "/app/main.go", 20, false, 0},
      {"\t/usr/local/go/src/runtime/panic.go:1181 +0x18 fp=0xc000 sp=0xc001 pc=0x4820e3",
       "/usr/local/go/src/runtime/panic.go", 1181, true, 0x18},
      {"\t<autogenerated>:1 +0x2b", "<autogenerated>", 1, true, 0x2b},
      {"\tC:/Users/dev/go/src/app/main.go:12 +0x1d", "C:/Users/dev/go/src/app/main.go", 12, true, 0x1d},
      {"\texample.com/fixtures/nil-deref/main.go:26 +0x4", "example.com/fixtures/nil-deref/main.go", 26, true, 4},
      {"        /usr/local/go/src/sync/waitgroup.go:75 +0x1fe", "/usr/local/go/src/sync/waitgroup.go", 75, true, 0x1fe},
  };
  for (const Case& c : cases) {
    FileLine f;
    ASSERT_TRUE(ParseFileLine(c.line, &f)) << c.line;
    EXPECT_EQ(f.file, c.file);
    EXPECT_EQ(f.line, c.ln);
    EXPECT_EQ(f.has_offset, c.has_off);
    EXPECT_EQ(f.offset, c.off);
  }
  FileLine f;
  EXPECT_FALSE(ParseFileLine("main.main()", &f));
  EXPECT_FALSE(ParseFileLine("\t/app/main.go:abc", &f));
}

// Item 5: `created by`, with and without the parent goroutine.
TEST(CreatedBy, Forms) {
  std::string_view fn;
  int64_t parent;
  ASSERT_TRUE(ParseCreatedBy("created by main.main in goroutine 1", &fn, &parent));
  EXPECT_EQ(fn, "main.main");
  EXPECT_EQ(parent, 1);
  ASSERT_TRUE(ParseCreatedBy("created by net/http.(*Server).Serve", &fn, &parent));
  EXPECT_EQ(fn, "net/http.(*Server).Serve");
  EXPECT_EQ(parent, -1);
}

// Item 8: both elision texts.
TEST(Elided, Forms) {
  int n;
  ASSERT_TRUE(ParseElided("...additional frames elided...", &n));
  EXPECT_EQ(n, 0);
  ASSERT_TRUE(ParseElided("...102 frames elided...", &n));
  EXPECT_EQ(n, 102);
  EXPECT_FALSE(ParseElided("... frames elided...", &n));
}

// What people put where they cut frames out of a pasted stack.
TEST(PasteElision, Forms) {
  for (const char* yes : {"...", "    ...", "\t....", "\xE2\x80\xA6", "[...]", "(...)", "<snip>", "[snip]", "...snip...",
                          "(truncated)", "<omitted>", "etc...", "... 12 more lines", "...3 more", "12 frames omitted",
                          "// more stuff", "      // more stuff ///", "//"}) {
    EXPECT_TRUE(ParsePasteElision(yes)) << yes;
  }
  for (const char* no : {"", "..", "main.main()", "12", "... 12", "12 lines", "snip snap", "[signal SIGSEGV]",
                         "...additional frames elided...x", "exit status 2", "# 0x4a5b6c\tmain.f+0x1\t/x.go:3",
                         "<nil>", "(0x0)"}) {
    EXPECT_FALSE(ParsePasteElision(no)) << no;
  }
}

// A reporter's mark inside a stack does not end the goroutine: the frames
// after it are still its own (Shopify/brigade#18 cut frames with
// `// more stuff`).
TEST(PasteElision, StackGoesOnAfterTheMark) {
  auto in = ParseText(
      "goroutine 7 [select, 2886 minutes]:\n"
      "net/http.(*persistConn).roundTrip(0xc21c83c000, 0xc208259c60, 0x0, 0x0, 0x0)\n"
      "    /usr/local/go/src/pkg/net/http/transport.go:1015 +0x6db\n"
      "      // more stuff\n"
      "example.com/s3.(*S3).run(0xc2081042c0)\n"
      "\t/src/example.com/s3/s3.go:40 +0x2b\n"
      "[...]\n"
      "main.main()\n"
      "\t/src/app/main.go:9 +0x1f\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  ASSERT_EQ(inc.groups.size(), 1u);
  const Goroutine& g = inc.groups[0].representative();
  ASSERT_EQ(g.frames.size(), 3u);
  EXPECT_EQ(g.frames[1].function, "example.com/s3.(*S3).run");
  EXPECT_EQ(g.frames[1].line, 40);
  EXPECT_EQ(g.frames[2].function, "main.main");
  EXPECT_TRUE(g.frames_elided);
}

// The same inside a debug=1 record (grep's `--` between its matches,
// prometheus/prom2json#71): one record, its frames on both sides.
TEST(PasteElision, Debug1RecordGoesOnAfterTheMark) {
  auto in = ParseText(
      "goroutine profile: total 3\n"
      "1 @ 0x7fd71c 0x7f2e0b 0xffffeb\n"
      "#\t0x7fd71b\tnet/http.(*persistConn).roundTrip+0x75b\t\tGOROOT/src/net/http/transport.go:2194\n"
      "--\n"
      "#\t0x7f2e0a\tnet/http.(*Transport).roundTrip+0xa1a\t\tGOROOT/src/net/http/transport.go:481\n"
      "....\n"
      "#\t0xffffea\texample.com/x.Fetch+0x2ca\t\tx/fetch.go:156\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_EQ(in->incidents[0].groups.size(), 1u);
  const Goroutine& g = in->incidents[0].groups[0].representative();
  ASSERT_EQ(g.frames.size(), 3u);
  EXPECT_EQ(g.frames[2].function, "example.com/x.Fetch");
  EXPECT_TRUE(g.frames_elided);
}

// Frame classification and module paths.
TEST(Classify, Kinds) {
  EXPECT_TRUE(IsStdlibPackage("net/http"));
  EXPECT_TRUE(IsStdlibPackage("vendor/golang.org/x/net/http2/hpack"));
  EXPECT_FALSE(IsStdlibPackage("github.com/a/b"));
  EXPECT_FALSE(IsStdlibPackage("main"));
  EXPECT_TRUE(IsRuntimePackage("internal/runtime/maps"));
  ModuleRef m = ModuleFromFile("/root/go/pkg/mod/github.com/!sirupsen/logrus@v1.9.3/entry.go");
  EXPECT_EQ(m.path, "github.com/Sirupsen/logrus");
  EXPECT_EQ(m.version, "v1.9.3");
  m = ModuleFromFile("github.com/dtapps/go-library@v1.0.157/utils/gorequest/params.go");
  EXPECT_EQ(m.path, "github.com/dtapps/go-library");
  EXPECT_EQ(m.version, "v1.0.157");
  m = ModuleFromFile("/go/src/app/vendor/github.com/pkg/errors/errors.go");
  EXPECT_EQ(m.path, "github.com/pkg/errors");
  EXPECT_TRUE(m.vendored);
  EXPECT_TRUE(ModuleFromFile("/app/internal/db/db.go").path.empty());
  // Go 1.4's C runtime printed its static functions with no package.
  MainModuleInfo mm;
  Frame c;
  c.function = "MHeap_Grow";
  c.file = "/usr/local/go/src/pkg/runtime/mheap.c";
  EXPECT_EQ(ClassifyFrame(c, mm), FrameKind::kRuntime);
  c.function = "cnew";
  c.file = "/opt/go1.2/src/runtime/malloc.goc";
  EXPECT_EQ(ClassifyFrame(c, mm), FrameKind::kRuntime);
  c.function = "main.cnew";  // a package: not the C runtime's
  c.file = "/app/src/runtime/x.go";
  EXPECT_EQ(ClassifyFrame(c, mm), FrameKind::kApp);
}

// A panic's value without `panic: ` (quoted in prose, printed by a recover
// handler) is the panic it was: olric#282 in fresh8/ quotes only the
// TypeAssertionError's text. Only the runtime's own phrasings count.
TEST(Traceback, RuntimeErrorTextWithoutThePanicWord) {
  auto in = ParseText(test_inputs::ReadInput(test_inputs::CorpusDir() / "fresh8/B-olric-282-blockquote-one-line-message-with-url.log"));
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kRecoveredPanic);
  ASSERT_EQ(in->incidents[0].panics.size(), 1u);
  EXPECT_TRUE(StartsWith(in->incidents[0].panics[0].message, "interface conversion: interface {} is nil, not string"));
  for (const char* line : {"runtime error: index out of range [5] with length 3",
                           "  > runtime error: invalid memory address or nil pointer dereference",
                           "interface conversion: main.T is not main.I: missing method M"}) {
    auto one = ParseText(std::string(line) + "\nsome prose\n");
    ASSERT_EQ(one->incidents.size(), 1u) << line;
    EXPECT_EQ(one->incidents[0].kind, IncidentKind::kRecoveredPanic) << line;
  }
  for (const char* line : {"runtime error: the job failed", "interface conversion: see the docs",
                           "error: runtime error: index out of range [5] with length 3"}) {
    EXPECT_TRUE(ParseText(std::string(line) + "\n")->incidents.empty()) << line;
  }
}

// A paste whose selection started one character late (amfora#300 in
// fresh10/: `atal error: sync: Unlock of unlocked RWMutex`).
TEST(Traceback, CrashLineThatLostItsFirstCharacter) {
  auto in = ParseText(test_inputs::ReadInput(test_inputs::CorpusDir() /
                                             "fresh10/C-amfora-300-sync-rwmutex-unlock-first-char-lost-cut.log"));
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kFatalError);
  EXPECT_EQ(in->incidents[0].fatal_error, "sync: Unlock of unlocked RWMutex");
  auto p = ParseText("anic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n");
  ASSERT_EQ(p->incidents.size(), 1u);
  EXPECT_EQ(p->incidents[0].kind, IncidentKind::kPanic);
  ASSERT_EQ(p->incidents[0].panics.size(), 1u);
  EXPECT_EQ(p->incidents[0].panics[0].message, "boom");
}

// Items 11-13: headers of an incident, in a small inline trace whose shape
// is the runtime's (the same lines appear in testdata/fixtures).
TEST(Traceback, PanicChainAndSignal) {
  auto in = ParseText(
      "panic: first [recovered]\n"
      "\tpanic: second\n"
      "[signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0x48f5b2]\n"
      "\n"
      "goroutine 1 [running]:\n"
      "main.main()\n"
      "\t/app/main.go:9 +0x1d\n"
      "exit status 2\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kPanic);
  ASSERT_EQ(inc.panics.size(), 2u);
  EXPECT_EQ(inc.panics[0].message, "first");
  EXPECT_TRUE(inc.panics[0].recovered);
  EXPECT_EQ(inc.panics[1].message, "second");
  ASSERT_TRUE(inc.signal);
  EXPECT_EQ(inc.signal->name, "SIGSEGV");
  EXPECT_EQ(inc.signal->addr, 0x10u);
  EXPECT_EQ(inc.exit_status, 2);
  EXPECT_EQ(inc.goroutine_count, 1u);
  EXPECT_FALSE(inc.partial);
}

TEST(Traceback, RepanickedAndReraised) {
  for (const char* suffix : {"[recovered, repanicked]", "[recovered, reraised]"}) {
    std::string text = std::string("panic: boom ") + suffix +
                       "\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n";
    auto in = ParseText(text);
    ASSERT_EQ(in->incidents.size(), 1u);
    ASSERT_EQ(in->incidents[0].panics.size(), 1u);
    EXPECT_EQ(in->incidents[0].panics[0].message, "boom");
    EXPECT_TRUE(in->incidents[0].panics[0].repanicked);
  }
}

TEST(Traceback, MultiLinePanicMessage) {
  auto in = ParseText(
      "panic: line one\nline two\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].panics[0].message, "line one\nline two");
}

// Item 9 and 10: running on another thread; ancestors.
TEST(Traceback, OtherThreadAndAncestors) {
  auto in = ParseText(
      "goroutine 1 [running]:\n"
      "main.main()\n"
      "\t/app/main.go:9 +0x1d\n"
      "\n"
      "goroutine 7 [running]:\n"
      "\tgoroutine running on other thread; stack unavailable\n"
      "created by main.main in goroutine 1\n"
      "\t/app/main.go:8 +0x2a\n"
      "\n"
      "goroutine 9 [chan receive]:\n"
      "main.worker()\n"
      "\t/app/main.go:20 +0x30\n"
      "[originating from goroutine 1]:\n"
      "main.main(...)\n"
      "\t/app/main.go:8 +0x2a\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.goroutine_count, 3u);
  bool saw_unavailable = false, saw_ancestor = false;
  for (const auto& g : inc.groups) {
    for (const auto& s : g.samples) {
      saw_unavailable |= s.stack_unavailable;
      if (!s.ancestors.empty()) {
        saw_ancestor = true;
        EXPECT_EQ(s.ancestors[0].id, 1);
        ASSERT_EQ(s.ancestors[0].frames.size(), 1u);
        EXPECT_EQ(s.ancestors[0].frames[0].function, "main.main");
      }
    }
  }
  EXPECT_TRUE(saw_unavailable);
  EXPECT_TRUE(saw_ancestor);
}

// A dump cut off mid-goroutine is reported as partial.
TEST(Traceback, TruncatedDumpIsPartial) {
  auto in = ParseText(
      "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n\n"
      "goroutine 2 [chan receive, 3 minutes]:\nmain.worker(0xc000010000)\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_TRUE(in->incidents[0].partial);
  EXPECT_EQ(in->incidents[0].goroutine_count, 2u);
  auto cut = ParseText("goroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n\ngoroutine 2 [ch");
  ASSERT_EQ(cut->incidents.size(), 1u);
  EXPECT_EQ(cut->incidents[0].goroutine_count, 1u);
}

// Log lines before, between and after goroutines; lines are numbered.
TEST(Traceback, NoiseAroundAndBetween) {
  auto in = ParseText(
      "level=info msg=starting\n"
      "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n\n"
      "level=info msg=between\n"
      "goroutine 2 [select]:\nmain.loop()\n\t/app/main.go:30 +0x1d\n\n"
      "level=info msg=after\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].goroutine_count, 2u);
  EXPECT_EQ(in->incidents[0].first_line, 2u);
  EXPECT_EQ(in->lines, 11u);
}

// Item 14: pprof debug=1, including labels and the leak profile header.
TEST(PprofDebug1, RecordsAndLabels) {
  auto in = ParseText(
      "goroutineleak profile: total 3\n"
      "2 @ 0x43a3d6 0x4084ad 0x6c4bfc 0x46e281\n"
      "# labels: {\"handler\":\"orders\"}\n"
      "#\t0x408078\truntime.chansend1+0x18\t/usr/local/go/src/runtime/chan.go:161\n"
      "#\t0x6c4bfb\tmain.fetch.func1+0x3b\t\t/app/main.go:12\n"
      "\n"
      "1 @ 0x43a3d6 0x46e281\n"
      "#\t0x46e280\tmain.main+0x20\t/app/main.go:30\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kPprofDebug1);
  EXPECT_EQ(inc.declared_total, 3u);
  EXPECT_EQ(inc.goroutine_count, 3u);
  ASSERT_EQ(inc.groups.size(), 2u);
  EXPECT_EQ(inc.groups[0].count, 2u);
  EXPECT_EQ(inc.groups[0].state, "chan send");
  EXPECT_TRUE(inc.groups[0].any_leaked);
  ASSERT_EQ(inc.groups[0].samples[0].labels.size(), 1u);
  EXPECT_EQ(inc.groups[0].samples[0].labels[0].key, "handler");
  EXPECT_EQ(inc.groups[0].samples[0].labels[0].value, "orders");
  EXPECT_EQ(inc.groups[0].samples[0].frames[1].function, "main.fetch.func1");
  EXPECT_EQ(inc.groups[0].samples[0].frames[1].line, 12);
}

TEST(Grouping, FoldsIdenticalStacksKeepsBoundedSamples) {
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += "goroutine " + std::to_string(i + 10) + " [chan receive, " + std::to_string(i % 7 + 1) +
            " minutes]:\nmain.worker(0xc0000" + std::to_string(i) +
            ")\n\t/app/main.go:20 +0x30\ncreated by main.main in goroutine 1\n\t/app/main.go:8 +0x2a\n\n";
  }
  auto in = ParseText(text);
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  ASSERT_EQ(inc.groups.size(), 1u);
  const GoroutineGroup& g = inc.groups[0];
  EXPECT_EQ(g.count, 100u);
  EXPECT_EQ(g.min_wait_minutes, 1);
  EXPECT_EQ(g.max_wait_minutes, 7);
  EXPECT_EQ(g.samples.size(), Limits().max_samples_per_group);
  EXPECT_EQ(g.ids.size(), Limits().max_ids_per_group);
}

TEST(Limits, LongLinesAreCutAndReported) {
  ParseOptions o;
  o.limits.max_line_bytes = 300;
  std::string text = "panic: " + std::string(5000, 'x') + "\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n";
  auto in = ParseText(text, o);
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].goroutine_count, 1u);
  ASSERT_FALSE(in->limits_hit.empty());
  EXPECT_NE(in->limits_hit[0].what.find("max-line-bytes"), std::string::npos);
}

// The fast recognisers accept a subset of what the general ones accept and
// give the same values: every line of the real inputs, and lines made to
// sit on their edges (tails longer than the 16 bytes read at once, odd
// digits, spaces, `=`).
TEST(Grammar, FastFrameLinesAgreeWithGeneralOnes) {
  std::vector<std::string> lines;
  for (const std::filesystem::path& path : test_inputs::RealInputs()) {
    std::ifstream f(path, std::ios::binary);
    std::string l;
    while (std::getline(f, l)) lines.push_back(l);
  }
  for (std::string file : {"/a.go", "/app/x/main.go", "C:/w/a b.go", "/a=b/c.go", "x.go", "/very/long/path/to/some/package/file_name.go"}) {
    for (std::string num : {"", "0", "7", "012", "123", "123456789", "1234567890", "12a"}) {
      for (std::string off : {"", " +0x", " +0x1", " +0x1d", " +0xABCdef", " +0x0123456789abcdef", " +0x0123456789abcdef0",
                              " +0xg", "  +0x1d", " 0x1d", " +0x1d fp=0x1 sp=0x2 pc=0x3", " +0x1d\r"}) {
        lines.push_back("\t" + file + ":" + num + off);
        lines.push_back("\t" + file + num + off);
      }
    }
  }
  size_t fast_files = 0, fast_funcs = 0;
  for (const std::string& l : lines) {
    FastFile ff;
    if (FastFileLine(l, &ff)) {
      ++fast_files;
      FileLine want;
      ASSERT_TRUE(ParseFileLine(l, &want)) << l;
      FileLine got = FastFileValues(ff);
      EXPECT_EQ(got.file, want.file) << l;
      EXPECT_EQ(got.line, want.line) << l;
      EXPECT_EQ(got.offset, want.offset) << l;
      EXPECT_EQ(got.has_offset, want.has_offset) << l;
      if (FastFileCanonical(ff)) {
        EXPECT_EQ(ff.key, std::string(want.file) + ":" + std::to_string(want.line)) << l;
      }
    }
    FuncLine fl;
    if (FastFuncLine(l, &fl)) {
      ++fast_funcs;
      FuncLine want;
      ASSERT_TRUE(ParseFuncLine(l, &want)) << l;
      EXPECT_EQ(fl.function, want.function) << l;
      EXPECT_EQ(fl.args, want.args) << l;
      EXPECT_EQ(fl.inlined, want.inlined) << l;
    }
  }
  EXPECT_GT(fast_files, 1000u);
  EXPECT_GT(fast_funcs, 1000u);
}

TEST(Newlines, CursorFindsWhatMemchrFinds) {
  std::string buf;
  uint32_t x = 12345;
  for (int i = 0; i < 5000; ++i) {
    x = x * 1103515245 + 12345;
    buf.push_back((x >> 16) % 7 == 0 ? '\n' : static_cast<char>('a' + (x >> 20) % 26));
  }
  for (size_t start : {0, 1, 13, 64, 100}) {
    for (size_t len : {0, 1, 63, 64, 65, 127, 128, 129, 1000, 4900}) {
      const char* p = buf.data() + start;
      const char* end = p + len;
      NewlineCursor c(p, end);
      const char* q = p;
      for (;;) {
        const char* want = static_cast<const char*>(std::memchr(q, '\n', static_cast<size_t>(end - q)));
        const char* got = c.Next();
        ASSERT_EQ(got, want) << start << "+" << len;
        if (!want) break;
        q = want + 1;
      }
    }
  }
}

TEST(Grammar, FastCreatedByAgreesWithParseCreatedBy) {
  const std::vector<std::string> accepted = {
      "created by main.main", "created by main.main in goroutine 1",
      "created by net/http.(*Server).Serve in goroutine 34",
      "created by main.(*T).run", "created by main.main in goroutine 1234567890123456789",
      "created by golang.org/x/sync/errgroup.(*Group).Go in goroutine 7",
  };
  for (const std::string& l : accepted) {
    std::string_view fn, want_fn;
    int64_t parent = 0, want_parent = 0;
    bool in = false;
    ASSERT_TRUE(FastCreatedBy(l, &fn, &parent, &in)) << l;
    ASSERT_TRUE(ParseCreatedBy(l, &want_fn, &want_parent)) << l;
    EXPECT_EQ(fn, want_fn) << l;
    EXPECT_EQ(parent, want_parent) << l;
    EXPECT_EQ(in, l.find(" in goroutine ") != std::string::npos) << l;
  }
  // Anything with something to trim, a blank in the name, another tail or a
  // line end the envelope layer would change is left to ParseCreatedBy.
  const std::vector<std::string> refused = {
      "created by ", "created by  main.main", "created by main.main ", "created by main.main\t",
      "created by main.main\r", "created by main.main^M", "created by main.main in goroutine ",
      "created by main.main in goroutine 1\r", "created by main.main in goroutine 1 ",
      "created by main.main in goroutine x", "created by main.main in goroutine 12345678901234567890",
      "created by main.main at 1", "created by main\tmain", " created by main.main", "created main.main",
  };
  for (const std::string& l : refused) {
    std::string_view fn;
    int64_t parent;
    bool in;
    EXPECT_FALSE(FastCreatedBy(l, &fn, &parent, &in)) << l;
  }
}

}  // namespace
}  // namespace gotriage
