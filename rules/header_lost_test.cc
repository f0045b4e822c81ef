// Crashes whose `panic:` line the paste lost, and stuck locks judged from
// one goroutine: the rules infer them, and only from the shapes that say so.
// The real pastes are corpus cases (threads/130, 42, 115, 116); these small
// inputs pin down where the inference stops.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

std::string FirstCategory(const std::string& text) {
  auto in = ParseText(text);
  std::vector<Finding> fs = Analyze(*in, {});
  for (const Finding& f : fs)
    if (f.severity != Severity::kInfo) return f.category;
  return "none";
}

TEST(HeaderLost, RunningGoroutineInWaitGroupAddIsTheNegativeCounterPanic) {
  EXPECT_EQ(FirstCategory("goroutine 7 [running]:\n"
                          "sync.(*WaitGroup).Add(0xc000010000, 0xffffffffffffffff)\n"
                          "\t/usr/local/go/src/sync/waitgroup.go:64 +0xcd\n"
                          "sync.(*WaitGroup).Done(...)\n"
                          "\t/usr/local/go/src/sync/waitgroup.go:89\n"
                          "main.worker(0xc000010000)\n"
                          "\t/app/main.go:20 +0x1d\n"),
            "waitgroup_misuse");
}

TEST(HeaderLost, OnlyTheFirstGoroutineRunningCounts) {
  // A goroutine blocked in Add (Wait in progress) is no crash.
  EXPECT_EQ(FirstCategory("goroutine 1 [chan receive]:\n"
                          "main.main()\n\t/app/main.go:9 +0x1d\n\n"
                          "goroutine 7 [running]:\n"
                          "sync.(*WaitGroup).Add(0xc000010000, 0x1)\n"
                          "\t/usr/local/go/src/sync/waitgroup.go:64 +0xcd\n"
                          "main.worker(0xc000010000)\n\t/app/main.go:20 +0x1d\n"),
            "none");
}

TEST(StuckLock, LoneWaiterOfAnHourIsALockNeverReleased) {
  std::string one = "goroutine 54 [semacquire, 600 minutes]:\n"
                    "sync.runtime_SemacquireMutex(0xc0001d2c84, 0x0, 0x1)\n"
                    "\t/usr/local/go/src/runtime/sema.go:71 +0x47\n"
                    "sync.(*Mutex).Lock(0xc0001d2c80)\n"
                    "\t/usr/local/go/src/sync/mutex.go:81 +0x1d\n"
                    "example.com/app.(*conn).Write(0xc0001d2c80)\n"
                    "\t/app/conn.go:304 +0x1ec\n";
  EXPECT_EQ(FirstCategory(one), "deadlock");
  // Minutes, not an hour: no verdict from one goroutine.
  std::string minutes = one;
  minutes.replace(minutes.find("600"), 3, "12");
  EXPECT_NE(FirstCategory(minutes), "deadlock");
}

}  // namespace
}  // namespace gotriage
