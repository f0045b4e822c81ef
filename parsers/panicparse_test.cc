// panicparse's condensed dumps (parsers/panicparse.h): its bucket headers
// and call lines, the import paths put back, and the real tool's output of
// the bundled fixtures read as the same goroutines as the runtime's dump.
#include "parsers/panicparse.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/strings.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

TEST(Panicparse, BucketHeaders) {
  PanicparseHeader h;
  ASSERT_TRUE(ParsePanicparseHeader("1: IO wait [77 minutes] [Created by client.TestRelay @ methods.go:110]", &h));
  EXPECT_EQ(h.count, 1u);
  EXPECT_EQ(h.state, "IO wait");
  EXPECT_EQ(h.wait_minutes, 77);
  EXPECT_EQ(h.created_by, "client.TestRelay");
  EXPECT_EQ(h.created_at, "methods.go:110");
  ASSERT_TRUE(ParsePanicparseHeader("12: chan receive [1~5 minutes] [locked]", &h));
  EXPECT_EQ(h.count, 12u);
  EXPECT_EQ(h.wait_minutes, 5);
  EXPECT_TRUE(h.locked);
  EXPECT_TRUE(h.created_by.empty());
  ASSERT_TRUE(ParsePanicparseHeader("3: sync.WaitGroup.Wait", &h));
  EXPECT_EQ(h.state, "sync.WaitGroup.Wait");
  ASSERT_TRUE(ParsePanicparseHeader(
      "1: select [Created by main.main @ /srv/app/cmd/poller/main.go:83]", &h));
  EXPECT_EQ(h.created_at, "/srv/app/cmd/poller/main.go:83");
  // Not a runtime state, or not panicparse's brackets: a numbered line.
  for (const char* s : {"1: fix the build", "2: running late", "0: running", "1: running [soon]",
                        "1: select [Created by main.main]", "x: running", "1:running", "1: ",
                        "99999999999999999: running"}) {
    EXPECT_FALSE(ParsePanicparseHeader(s, &h)) << s;
  }
}

TEST(Panicparse, CallLines) {
  PanicparseCall c;
  ASSERT_TRUE(ParsePanicparseCall(
      "    http    transport.go:2911     (*persistConn).roundTrip(*persistConn(#134), *transportRequest(#144))", &c));
  EXPECT_EQ(c.dir, "http");
  EXPECT_EQ(c.src, "transport.go:2911");
  EXPECT_EQ(c.name, "(*persistConn).roundTrip");
  EXPECT_EQ(c.args, "*persistConn(#134), *transportRequest(#144)");
  ASSERT_TRUE(ParsePanicparseCall("    main  main.go:26       main.func1.1({#2, #9})", &c));
  EXPECT_EQ(c.name, "main.func1.1");
  ASSERT_TRUE(ParsePanicparseCall("    linux   asm_linux_amd64.s:36  Syscall6()", &c));
  EXPECT_EQ(c.name, "Syscall6");
  EXPECT_EQ(c.args, "");
  for (const char* s : {"main  main.go:26  main()", "    main  main.go  main()", "    main  main.go:26",
                        "    main  main.txt:26  main()", "    (...)", "    main  main.go:26  main(x"}) {
    EXPECT_FALSE(ParsePanicparseCall(s, &c)) << s;
  }
}

TEST(Panicparse, ImportPathsPutBack) {
  std::string buf;
  // A base name: the standard library's package by its last element, or
  // the element alone.
  EXPECT_EQ(PanicparseFunction("tls", "conn.go:974", "(*Conn).Handshake", &buf), "crypto/tls.(*Conn).Handshake");
  EXPECT_EQ(PanicparseFunction("http", "server.go:1", "(*conn).serve", &buf), "net/http.(*conn).serve");
  EXPECT_EQ(PanicparseFunction("sync", "waitgroup.go:206", "(*WaitGroup).Wait", &buf), "sync.(*WaitGroup).Wait");
  EXPECT_EQ(PanicparseFunction("client", "static.go:203", "(*staticClient).connect", &buf),
            "client.(*staticClient).connect");
  // -rel-path, -full-path: from the path, a module cache's versions dropped.
  EXPECT_EQ(PanicparseFunction("linux", "internal/runtime/syscall/linux/asm_linux_amd64.s:36", "Syscall6", &buf),
            "internal/runtime/syscall/linux.Syscall6");
  EXPECT_EQ(PanicparseFunction("http", "/usr/local/go/src/net/http/transport.go:2911", "(*persistConn).roundTrip",
                               &buf),
            "net/http.(*persistConn).roundTrip");
  EXPECT_EQ(PanicparseFunction("errgroup", "/go/pkg/mod/golang.org/x/sync@v0.7.0/errgroup/errgroup.go:78",
                               "(*Group).Go.func1", &buf),
            "golang.org/x/sync/errgroup.(*Group).Go.func1");
  EXPECT_EQ(PanicparseFunction("b", "/opt/gopath/src/github.com/a/vendor/github.com/x/b/b.go:3", "F", &buf),
            "github.com/x/b.F");
  // A path that does not end in the printed element: the element.
  EXPECT_EQ(PanicparseFunction("main", "/srv/app/cmd/poller/main.go:83", "main", &buf), "main.main");
}

TEST(Panicparse, ADumpOfBuckets) {
  const std::string text =
      "3: chan receive [10 minutes] [Created by main.start @ main.go:20]\n"
      "    runtime proc.go:462     gopark(func(#1), Pointer(0x1))\n"
      "    main    main.go:31      worker(#2)\n"
      "    (...)\n"
      "1: running\n"
      "    main    main.go:40      main()\n"
      "\n"
      "after the dump\n";
  auto in = ParseText(text);
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kGoroutineDump);
  EXPECT_EQ(inc.goroutine_count, 4u);
  EXPECT_EQ(inc.last_line, 7u);
  ASSERT_EQ(inc.groups.size(), 2u);
  const GoroutineGroup& g = inc.groups[0];
  EXPECT_EQ(g.count, 3u);
  EXPECT_EQ(g.state, "chan receive");
  EXPECT_EQ(g.max_wait_minutes, 10);
  const Goroutine& r = g.representative();
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_EQ(r.frames[0].function, "runtime.gopark");
  EXPECT_EQ(r.frames[1].function, "main.worker");
  EXPECT_EQ(r.frames[1].line, 31);
  ASSERT_TRUE(r.created_by);
  EXPECT_EQ(r.created_by->function, "main.start");
  EXPECT_TRUE(r.frames_elided);
}

TEST(Panicparse, ANumberedLineIsNoDump) {
  // `1: running` in prose, and no call line after it: no incident, and
  // the line stays a line of the input no reader took.
  auto in = ParseText("Steps:\n1: running\nthe server, then\n2: select a page\n");
  EXPECT_TRUE(in->incidents.empty());
}

TEST(Panicparse, ABucketHeaderInAPanicMessageIsTheMessage) {
  // A panic whose message goes on with `1: running` but no call line after
  // it: the runtime's goroutines that follow are still the crash's.
  auto in = ParseText("panic: step failed\n1: running\n\ngoroutine 1 [running]:\nmain.main()\n"
                      "\t/src/app/main.go:9 +0x25\nexit status 2\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kPanic);
  ASSERT_TRUE(inc.crashing);
  ASSERT_FALSE(inc.crashing->frames.empty());
  EXPECT_EQ(inc.crashing->frames[0].function, "main.main");
  EXPECT_EQ(inc.crashing->id, 1);
}

// The real panicparse (v2.5.0, see testdata/fixtures/panicparse/README.md)
// on fixtures of the runtime's dumps: the same goroutines in the same
// states, with the same functions at the same lines, once the import paths
// are put back.
TEST(Panicparse, TheRealToolsOutputIsTheRuntimesDump) {
  namespace fs = std::filesystem;
  const fs::path dir = test_inputs::FixturesDir() / "panicparse";
  size_t files = 0;
  for (const fs::path& p : test_inputs::FilesUnder(dir)) {
    if (p.extension() != ".txt") continue;
    ++files;
    std::string name = p.filename().string();
    std::string raw_name = name.substr(0, name.find(".pp")) + ".txt";
    auto pp = ParseText(test_inputs::ReadInput(p));
    auto raw = ParseText(test_inputs::ReadInput(test_inputs::FixturesDir() / raw_name));
    ASSERT_EQ(pp->incidents.size(), 1u) << name;
    ASSERT_EQ(raw->incidents.size(), 1u) << raw_name;
    const Incident& a = raw->incidents[0];
    const Incident& b = pp->incidents[0];
    EXPECT_EQ(b.kind, a.kind) << name;
    if (a.kind == IncidentKind::kGoroutineDump)
      EXPECT_EQ(b.Title(), "goroutine dump condensed by panicparse: " + std::to_string(a.goroutine_count) +
                               " goroutines") << name;
    else
      EXPECT_EQ(b.Title(), a.Title()) << name;
    // The runtime's own goroutines that panicparse drops, or prints, alike.
    EXPECT_EQ(b.goroutine_count, a.goroutine_count) << name;
    EXPECT_EQ(b.crashing.has_value(), a.crashing.has_value()) << name;
    if (a.crashing && b.crashing) {
      ASSERT_EQ(b.crashing->frames.size(), a.crashing->frames.size()) << name;
      for (size_t i = 0; i < a.crashing->frames.size(); ++i) {
        EXPECT_EQ(b.crashing->frames[i].function, a.crashing->frames[i].function) << name << " frame " << i;
        EXPECT_EQ(b.crashing->frames[i].line, a.crashing->frames[i].line) << name << " frame " << i;
      }
    }
    // Every group of the dump, by state, count and innermost application
    // frame (panicparse splits a group whose arguments differ).
    auto census = [](const Incident& inc) {
      std::map<std::string, uint64_t> m;
      for (const GoroutineGroup& g : inc.groups) {
        const Goroutine& r = g.representative();
        std::string top;
        for (const Frame& f : r.frames)
          if (StartsWith(f.function, "main.")) {
            top = std::string(f.function) + ":" + std::to_string(f.line);
            break;
          }
        m[std::string(g.state) + " " + top] += g.count;
      }
      return m;
    };
    EXPECT_EQ(census(b), census(a)) << name;
  }
  EXPECT_GE(files, 9u);
}

}  // namespace
}  // namespace gotriage
