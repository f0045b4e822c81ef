// GT2001 on a WaitGroup.Wait that never returns in a process the runtime
// keeps alive (no `all goroutines are asleep`): a real capture of
// testdata/gen/waitgroup-never-done and a real paste (neo-go#4080), and
// what keeps it from firing: a short wait, work still in progress.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

const std::string kSource = GOTRIAGE_SOURCE_DIR;

std::vector<Finding> TriageText(const std::string& text) {
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddText("-", text, &err)) << err;
  auto in = p.Finish();
  EXPECT_FALSE(in->incidents.empty());
  return Analyze(*in, {});
}

std::string Read(const std::string& rel) { return test_inputs::ReadInput(kSource + "/testdata/" + rel); }

const Finding* Of(const std::vector<Finding>& fs, const std::string& id) {
  for (const Finding& f : fs)
    if (f.rule_id == id) return &f;
  return nullptr;
}

void Replace(std::string* s, const std::string& from, const std::string& to) {
  size_t at = s->find(from);
  ASSERT_NE(at, std::string::npos) << from;
  s->replace(at, from.size(), to);
}

TEST(StuckWaitGroup, WaitThatNeverReturnsBesideAServer) {
  // The capture holds the listener's accept loop (IO wait, 2 minutes) and
  // the goroutine writing the profile (running): neither is the work.
  std::vector<Finding> fs = TriageText(Read("fixtures/waitgroup-never-done-debug2.go126.txt"));
  const Finding* f = Of(fs, "GT2001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(fs.front().rule_id, "GT2001");
  ASSERT_TRUE(f->culprit);
  EXPECT_EQ(f->culprit->function, "main.(*Auditor).Run");
  EXPECT_NE(f->summary.find("no other goroutine in the input could still call Done"), std::string::npos)
      << f->summary;
  // The paste that shows the waiter alone: the same finding, less sure.
  std::vector<Finding> paste = TriageText(Read("corpus/fresh/B-neo-go-4080-audit-missing-wg-done.log"));
  ASSERT_NE(Of(paste, "GT2001"), nullptr);
  EXPECT_LT(Of(paste, "GT2001")->confidence, f->confidence);
}

// Before Go 1.20 every semaphore wait said `semacquire`; the frame under
// the runtime's names the primitive (pingcap/tiflow#680 in fresh3/, a lone
// waiter of two minutes).
TEST(StuckWaitGroup, SemacquireInWaitGroupWaitIsTheSameWait) {
  std::vector<Finding> paste = TriageText(Read("corpus/fresh3/E-tiflow-680-waitgroup-wait-4space-trimpath.log"));
  const Finding* f = Of(paste, "GT2001");
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->culprit);
  EXPECT_EQ(f->culprit->function, "github.com/pingcap/ticdc/cdc/sink.(*mysqlSinkWorker).waitAllTxnsExecuted");
  // The capture with its state as an old runtime prints it: the same.
  std::string old = Read("fixtures/waitgroup-never-done-debug2.go126.txt");
  Replace(&old, "[sync.WaitGroup.Wait, 2 minutes]", "[semacquire, 2 minutes]");
  ASSERT_NE(Of(TriageText(old), "GT2001"), nullptr);
  // A `semacquire` under a Mutex is a lock wait, not this one.
  std::string lock = old;
  Replace(&lock, "sync.(*WaitGroup).Wait(", "sync.(*Mutex).Lock(");
  const Finding* l = Of(TriageText(lock), "GT2001");
  if (l) {
    EXPECT_EQ(l->summary.find("could still call Done"), std::string::npos) << l->summary;
  }
}

TEST(StuckWaitGroup, NotWhileTheWorkMayStillBeRunning) {
  const std::string dump = Read("fixtures/waitgroup-never-done-debug2.go126.txt");
  // Blocked under a minute: the runtime prints no minutes, a batch may
  // just be slow.
  std::string fresh = dump;
  Replace(&fresh, "[sync.WaitGroup.Wait, 2 minutes]", "[sync.WaitGroup.Wait]");
  EXPECT_EQ(Of(TriageText(fresh), "GT2001"), nullptr);
  // A worker that is still running, in a system call, reading the
  // network or sleeping may yet call Done.
  for (const char* state : {"running", "syscall", "IO wait", "sleep"}) {
    SCOPED_TRACE(state);
    std::string busy = dump + "\ngoroutine 12 [" + state +
                       "]:\nmain.(*Auditor).check(0x1dd3c5a04430, 0x1dd3c5a021d0, {0x6f7a1e, 0x18})\n"
                       "\t/work/main/testdata/gen/waitgroup-never-done/main.go:41 +0x4b\n"
                       "created by main.(*Auditor).Run in goroutine 1\n"
                       "\t/work/main/testdata/gen/waitgroup-never-done/main.go:50 +0x7a\n";
    EXPECT_EQ(Of(TriageText(busy), "GT2001"), nullptr);
  }
  // One blocked on a channel cannot: the finding counts it.
  std::string blocked = dump +
                        "\ngoroutine 12 [chan send, 2 minutes]:\nmain.(*Auditor).check(0x1dd3c5a04430, "
                        "0x1dd3c5a021d0, {0x6f7a1e, 0x18})\n"
                        "\t/work/main/testdata/gen/waitgroup-never-done/main.go:41 +0x4b\n"
                        "created by main.(*Auditor).Run in goroutine 1\n"
                        "\t/work/main/testdata/gen/waitgroup-never-done/main.go:50 +0x7a\n";
  std::vector<Finding> fs = TriageText(blocked);
  ASSERT_NE(Of(fs, "GT2001"), nullptr);
  EXPECT_NE(Of(fs, "GT2001")->summary.find("the 1 other goroutine that could call Done is blocked too"),
            std::string::npos)
      << Of(fs, "GT2001")->summary;
}

}  // namespace
}  // namespace gotriage
