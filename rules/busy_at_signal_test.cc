// GT2009 (busy when stopped by SIGQUIT/SIGABRT) on real dumps: the
// sigquit-busy captures (Go 1.19, 1.26, 1.27; SIGQUIT and GOTRACEBACK=crash),
// a SIGQUIT of a cgo program pasted in golang/go#30098, and the stop-signal
// dumps it must stay quiet on: idle processes and blocked ones.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

const std::string kSource = GOTRIAGE_SOURCE_DIR;

std::vector<Finding> Triage(const std::string& rel, const std::string& select = "") {
  std::string path = kSource + "/testdata/" + rel;
  EXPECT_EQ(test_inputs::FileProblem(path), "") << rel;
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(path, &err)) << err;
  auto in = p.Finish();
  EXPECT_FALSE(in->incidents.empty()) << rel << ": nothing parsed";
  EngineOptions opts;
  opts.select = select;
  return Analyze(*in, opts);
}

// Every capture of the CPU-bound program: the four hashLoop workers are
// busy whatever state the runtime printed for them (running, runnable,
// `semacquire` inside a GC assist, `stopping the world` inside an
// allocation); the two goroutines parked in `<-c` and main in time.Sleep
// are not.
TEST(BusyAtSignal, NamesTheFunctionTheBusyGoroutinesRun) {
  for (const char* name :
       {"sigquit-busy.go119.txt", "sigquit-busy.go126.txt", "sigquit-busy.go127.txt",
        "sigquit-busy-crash.go119.txt", "sigquit-busy-crash.go126.txt", "sigquit-busy-crash.go127.txt"}) {
    std::vector<Finding> fs = Triage(std::string("fixtures/") + name);
    ASSERT_EQ(fs.size(), 1u) << name;
    const Finding& f = fs[0];
    EXPECT_EQ(f.rule_id, "GT2009") << name;
    EXPECT_EQ(f.category, "other") << name;
    EXPECT_EQ(f.severity, Severity::kMedium) << name;
    ASSERT_TRUE(f.culprit) << name;
    EXPECT_EQ(f.culprit->function, "main.hashLoop") << name;
    EXPECT_EQ(f.culprit->kind, "app") << name;
    EXPECT_EQ(f.evidence.goroutines_involved, 4u) << name << ": " << f.summary;
    EXPECT_NE(f.summary.find("stopped by SIGQUIT while 4 goroutines were executing main.hashLoop"),
              std::string::npos)
        << name << ": " << f.summary;
    EXPECT_EQ(f.summary.find("more goroutine"), std::string::npos) << name << ": " << f.summary;
  }
}

// golang/go#30098: goroutine 1 [running] in the application's loop around
// cgo calls, the paste cut inside the next goroutine.
TEST(BusyAtSignal, NamesTheRunningFrameOfAPastedDump) {
  std::vector<Finding> fs = Triage("corpus/crashes/43-cgo-app-hang-sigquit-dump.log");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].rule_id, "GT2009");
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "github.com/cburdick/myapp/cmd/myapp/app.Run");
  EXPECT_EQ(fs[0].culprit->line, 25);
  EXPECT_EQ(fs[0].evidence.goroutines_involved, 1u);
}

// Stop-signal dumps with nothing running application code: Ctrl+\ on idle
// daemons (moby#44791, lxd#11923: only the scheduler's goroutine 0 printed)
// and two dumps garbled into each other (golang/go#36976). The rule is run
// alone so that its own judgement is tested, not the fallback.
TEST(BusyAtSignal, QuietOnIdleAndDamagedDumps) {
  for (const char* rel : {"corpus/threads/86-moby-44791-dockerd-ctrl-backslash-sigquit-healthy.log",
                          "corpus/threads/87-lxd-11923-lxc-monitor-yaml-then-sigquit-healthy.log",
                          "corpus/threads/88-go-36976-interleaved-sigquit-output-corrupted-healthy.log"}) {
    for (const Finding& f : Triage(rel, "GT2009")) ADD_FAILURE() << rel << ": " << f.summary;
  }
}

// SIGQUIT dumps of blocked processes: requests parked in HTTP reads, on a
// channel under a lock, on a mutex, in time.Sleep. A goroutine that entered
// the runtime through a channel operation or select, or parked in sync,
// net or time code, is waiting, not busy, even when the dump prints it
// runnable.
TEST(BusyAtSignal, QuietOnBlockedProcesses) {
  for (const char* rel : {"fixtures/http-no-timeout-pool-sigquit.go119.txt",
                          "fixtures/http-no-timeout-pool-sigquit.go126.txt",
                          "fixtures/http-no-timeout-pool-sigquit.go127.txt",
                          "fixtures/seed-report-queue-sigquit.go119.txt",
                          "fixtures/seed-report-queue-sigquit.go126.txt",
                          "fixtures/seed-report-queue-sigquit.go127.txt"}) {
    for (const Finding& f : Triage(rel, "GT2009")) ADD_FAILURE() << rel << ": " << f.summary;
  }
}

// Only a process stopped by a signal: a goroutine dump fetched over HTTP
// always shows the handler that writes it running (runtime/pprof under
// net/http), which says nothing about what the process was busy with.
TEST(BusyAtSignal, QuietOnDumpsNotMadeByAStopSignal) {
  for (const char* rel : {"fixtures/healthy-idle-server-debug2.go126.txt",
                          "fixtures/healthy-idle-server-debug1.go126.txt",
                          "fixtures/healthy-tickers.go126.txt"}) {
    for (const Finding& f : Triage(rel, "GT2009")) ADD_FAILURE() << rel << ": " << f.summary;
  }
}

// The fallback: a GT2009 finding goes when another rule found something
// above info in the same incident, stays when the other finding is about
// another incident or is only informational.
TEST(BusyAtSignal, FallbackYieldsToAnotherRuleOnTheSameIncident) {
  std::vector<Finding> busy = Triage("fixtures/sigquit-busy.go126.txt");
  ASSERT_EQ(busy.size(), 1u);
  Finding other;
  other.rule_id = "GT2003";
  other.severity = Severity::kHigh;
  other.incident = busy[0].incident;

  std::vector<Finding> raw = {busy[0], other};
  DropOverriddenFallbacks(&raw);
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].rule_id, "GT2003");

  other.incident = busy[0].incident + 1;
  raw = {busy[0], other};
  DropOverriddenFallbacks(&raw);
  EXPECT_EQ(raw.size(), 2u);

  other.incident = busy[0].incident;
  other.severity = Severity::kInfo;
  raw = {busy[0], other};
  DropOverriddenFallbacks(&raw);
  EXPECT_EQ(raw.size(), 2u);
}

}  // namespace
}  // namespace gotriage
