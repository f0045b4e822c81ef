// Two mechanisms from cockroach#16141 (fresh13/): a drop-in for sync's
// lock type (`syncutil.(*RWMutex).Lock`, go-deadlock's `(*Mutex).Lock`)
// is the program's name for sync's call, so the culprit is the code that
// called it; and an RWMutex writer pasted alone, ten minutes or more in
// Lock, is a lock never released (readers hold it: a recursive RLock), not
// a pool's queue. A Mutex waiter pasted alone still reads as one of a
// queue (argocd#17818 pasted one of 150), and a lock of the program's own
// design (argo-cd's `repositoryLock`) is where the program waits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/engine.h"
#include "tests/support/test_inputs.h"
#include "tests/support/triage.h"

namespace gotriage {
namespace {

using test_triage::Triage;

std::string Waiter(const std::string& minutes, const std::string& sync_call, const std::string& wrapper) {
  return "goroutine 106673 [semacquire, " + minutes + " minutes]:\n"
         "sync.runtime_Semacquire(0xc423ee39d8)\n\t/usr/local/go/src/runtime/sema.go:47 +0x34\n" +
         sync_call + "(0xc423ee39d0)\n\t/usr/local/go/src/sync/rwmutex.go:91 +0xdd\n" + wrapper +
         "(0xc423ee39d0)\n\t/go/src/example.com/db/pkg/lockutil/mutex.go:70 +0x3b\n"
         "example.com/db/pkg/sql.(*Executor).updateConfig(0xc423ee3860)\n"
         "\t/go/src/example.com/db/pkg/sql/executor.go:405 +0x4b\n"
         "created by example.com/db/pkg/stop.(*Stopper).RunWorker\n"
         "\t/go/src/example.com/db/pkg/stop/stopper.go:215 +0x161\n";
}

TEST(LockWrapper, TheRealPaste) {
  std::vector<Finding> fs = Triage(test_inputs::ReadInput(
      test_inputs::CorpusDir() / "fresh13/A-cockroach-16141-recursive-rlock-deadlock.log"));
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2001");
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "github.com/cockroachdb/cockroach/pkg/sql.(*Executor).updateSystemConfig");
}

TEST(LockWrapper, ADropInForSyncsTypeIsPassedOver) {
  for (const char* wrapper : {"example.com/db/pkg/lockutil.(*RWMutex).Lock", "example.com/db/pkg/lockutil.(*Mutex).Lock",
                              "example.com/db/pkg/lockutil.(*TimedMutex).Lock"}) {
    SCOPED_TRACE(wrapper);
    std::vector<Finding> fs = Triage(Waiter("12", "sync.(*RWMutex).Lock", wrapper));
    ASSERT_FALSE(fs.empty());
    ASSERT_TRUE(fs[0].culprit);
    EXPECT_EQ(fs[0].culprit->function, "example.com/db/pkg/sql.(*Executor).updateConfig");
  }
  // A lock of the program's own design, or a method of another name, is
  // where the program waits.
  for (const char* own : {"example.com/db/pkg/lockutil.(*repositoryLock).Lock",
                          "example.com/db/pkg/lockutil.(*RWMutex).LockWithTimeout"}) {
    SCOPED_TRACE(own);
    std::vector<Finding> fs = Triage(Waiter("12", "sync.(*RWMutex).Lock", own));
    ASSERT_FALSE(fs.empty());
    ASSERT_TRUE(fs[0].culprit);
    EXPECT_EQ(fs[0].culprit->function, own);
  }
  // A wrapper with nothing of the program's below it stays the culprit.
  std::string alone = "goroutine 5 [semacquire, 12 minutes]:\n"
                      "sync.runtime_Semacquire(0xc423ee39d8)\n\t/usr/local/go/src/runtime/sema.go:47 +0x34\n"
                      "sync.(*Mutex).Lock(0xc423ee39d0)\n\t/usr/local/go/src/sync/mutex.go:91 +0xdd\n"
                      "example.com/db/pkg/lockutil.(*Mutex).Lock(0xc423ee39d0)\n"
                      "\t/go/src/example.com/db/pkg/lockutil/mutex.go:70 +0x3b\n";
  std::vector<Finding> fs = Triage(alone);
  ASSERT_FALSE(fs.empty());
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "example.com/db/pkg/lockutil.(*Mutex).Lock");
}

TEST(LockWrapper, AWriterPastedAloneIsALockNeverReleased) {
  const std::string wrapper = "example.com/db/pkg/lockutil.(*RWMutex).Lock";
  struct Case {
    std::string minutes, sync_call, rule;
  };
  for (const Case& c : std::vector<Case>{{"12", "sync.(*RWMutex).Lock", "GT2001"},
                                         {"9", "sync.(*RWMutex).Lock", ""},
                                         {"12", "sync.(*Mutex).Lock", "GT2005"},
                                         {"75", "sync.(*Mutex).Lock", "GT2001"}}) {
    SCOPED_TRACE(c.sync_call + " " + c.minutes);
    std::vector<Finding> fs = Triage(Waiter(c.minutes, c.sync_call, wrapper));
    if (c.rule.empty()) {  // under ten minutes: a wait, not yet a finding
      EXPECT_TRUE(fs.empty());
      continue;
    }
    ASSERT_FALSE(fs.empty());
    EXPECT_EQ(fs[0].rule_id, c.rule);
  }
  // With another goroutine in the input, the writer is judged as before.
  std::string two = Waiter("12", "sync.(*RWMutex).Lock", wrapper) +
                    "\ngoroutine 9 [select]:\nexample.com/db/pkg/sql.(*Executor).serve(0xc4200)\n"
                    "\t/go/src/example.com/db/pkg/sql/serve.go:30 +0x41\n";
  std::vector<Finding> fs = Triage(two);
  EXPECT_EQ(test_triage::Of(fs, "GT2001"), nullptr);
}

}  // namespace
}  // namespace gotriage
