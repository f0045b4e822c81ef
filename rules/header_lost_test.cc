// Crashes whose `panic:` line the paste lost, and stuck locks judged from
// one goroutine: the rules infer them, and only from the shapes that say so.
// The real pastes are corpus cases (threads/130, 42, 115, 116); these small
// inputs pin down where the inference stops.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"
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


TEST(HeaderLost, RuntimeStackThrowFromSysMapIsOutOfMemory) {
  // mozilla/tls-observatory#377: the paste starts at `runtime stack:`;
  // `fatal error: runtime: out of memory` is not in it, but only the heap
  // growing raises a throw from runtime.sysMap.
  std::ifstream f(test_inputs::CorpusDir() / "threads/51-tls-observatory-377-out-of-memory-header-lost.log");
  std::stringstream ss;
  ss << f.rdbuf();
  ASSERT_FALSE(ss.str().empty());
  auto in = ParseText(ss.str());
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].category, "out_of_memory");
  EXPECT_DOUBLE_EQ(fs[0].confidence, 0.6);
  EXPECT_FALSE(fs[0].culprit);  // runtime frames only: no culprit
  EXPECT_NE(fs[0].summary.find("inferred from runtime.sysMap"), std::string::npos) << fs[0].summary;
  // A throw from anywhere else in the runtime says nothing about memory.
  EXPECT_NE(FirstCategory("runtime stack:\n"
                          "runtime.throw(0x6731d0, 0x16)\n"
                          "\t/usr/local/go/src/runtime/panic.go:608 +0x72\n"
                          "runtime.mapassign_faststr(0x5f2f20, 0xc000010000, 0x600000, 0x3)\n"
                          "\t/usr/local/go/src/runtime/map_faststr.go:211 +0x3f3\n"),
            "out_of_memory");
}

TEST(HeaderLost, TheCRuntimesOutOfMemoryThrowToo) {
  // rwcarlsen/goexif#20 (Go 1.2): the paste starts at runtime.throw, called
  // by runtime.SysMap under the C runtime's MHeap_SysAlloc and MHeap_Grow,
  // and is cut before the code that allocated: every frame is the
  // runtime's (MHeap_Grow too, printed with no package), so no culprit.
  auto in = ParseText(test_inputs::ReadInput(test_inputs::CorpusDir() /
                                             "fresh7/C-goexif-20-go12-c-runtime-oom-headerless-cut.log"));
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].category, "out_of_memory");
  EXPECT_FALSE(fs[0].culprit);
  EXPECT_NE(fs[0].summary.find("only the runtime's own frames"), std::string::npos) << fs[0].summary;
  // Go 1.3/1.4's other throw sites of the same kind.
  for (const char* caller : {"runtime.MHeap_SysAlloc", "runtime.persistentalloc", "runtime.SysReserve"}) {
    EXPECT_EQ(FirstCategory(std::string("runtime.throw(0xbd8337)\n"
                                        "\t/usr/local/go/src/pkg/runtime/panic.c:520 +0x69\n") +
                            caller + "(0xc51fc40000, 0x82700000)\n"
                                     "\t/usr/local/go/src/pkg/runtime/malloc.c:131 +0xfe\n"
                                     "main.load(0x1)\n\t/app/main.go:12 +0x1d\n"),
              "out_of_memory")
        << caller;
  }
}

TEST(HeaderLost, FramesAfterTheCrashLinesWithoutAGoroutineHeader) {
  // aws/amazon-vpc-resource-controller-k8s#238 (fresh9/): the panic and
  // signal lines in one block (CloudWatch's timestamp and tab on each),
  // the frames in another without `goroutine 1 [running]:`.
  auto in = ParseText(test_inputs::ReadInput(
      test_inputs::CorpusDir() / "fresh9/B-amazon-vpc-resource-controller-k8s-238-cloudwatch-tab-prefixed-panic-two-fences.log"));
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].category, "nil_dereference");
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "k8s.io/client-go/discovery.convertAPIResource");
  // The same with a blank line instead of the blocks' fences.
  const std::string crash =
      "panic: runtime error: invalid memory address or nil pointer dereference\n"
      "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x1354f30]\n\n"
      "example.com/app/store.(*DB).Get(0x0, {0x1, 0x2})\n\t/src/app/store/db.go:42 +0x1d\n"
      "main.main()\n\t/src/app/main.go:9 +0x25\n";
  auto one = ParseText(crash);
  fs = Analyze(*one, {});
  ASSERT_FALSE(fs.empty());
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "example.com/app/store.(*DB).Get");
  // A line right after `panic:` continues its (multi-line) message.
  auto msg = ParseText("panic: bad config\nexample.com/app.Load(x)\n\nexit status 2\n");
  ASSERT_EQ(msg->incidents.size(), 1u);
  ASSERT_EQ(msg->incidents[0].panics.size(), 1u);
  EXPECT_EQ(msg->incidents[0].panics[0].message, "bad config\nexample.com/app.Load(x)");
  EXPECT_EQ(msg->incidents[0].goroutine_count, 0u);
}

TEST(SignalDump, ASegvInCgoIsACrashAtTheGoCallSite) {
  // go-vgo/robotgo#612 (fresh10/): `SIGSEGV: segmentation violation`,
  // `signal arrived during cgo execution`, the goroutine in
  // runtime.cgocall under cgo's generated _Cfunc_get_PID.
  auto in = ParseText(test_inputs::ReadInput(
      test_inputs::CorpusDir() / "fresh10/C-robotgo-612-sigsegv-cgo-get-pid-minimized-window-first-record.log"));
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT1003");
  EXPECT_DOUBLE_EQ(fs[0].confidence, 0.6);
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "github.com/go-vgo/robotgo.GetPid");  // not the cgo glue
  EXPECT_NE(fs[0].summary.find("in C code called through cgo"), std::string::npos) << fs[0].summary;
  // A SIGQUIT dump is a dump someone asked for, not a crash.
  EXPECT_EQ(FirstCategory("SIGQUIT: quit\nPC=0x4650c1 m=0 sigcode=0\n\ngoroutine 1 [select]:\n"
                          "main.main()\n\t/app/main.go:9 +0x1d\n"),
            "none");
}

TEST(ValueLost, MethodOnANilReceiverUnderPanicIsANilDereference) {
  // traefik/traefik#6297: a recovery middleware logged the stack without
  // the panic's value; ping.(*Handler).ServeHTTP(0x0, ...) is right under
  // panic(). The receiver says what the lost value did not.
  std::ifstream f(test_inputs::CorpusDir() / "fresh2/C-traefik-6297-logrus-stack-field-compose-prefix-1000col-wrap.log");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string paste = ss.str();
  ASSERT_FALSE(paste.empty());
  std::vector<Finding> fs = Analyze(*ParseText(paste), {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].category, "nil_dereference");
  EXPECT_DOUBLE_EQ(fs[0].confidence, 0.6);
  EXPECT_NE(fs[0].summary.find("inferred from the method called on a nil receiver"), std::string::npos)
      << fs[0].summary;
  auto with = [&](std::string_view receiver) {
    std::string t = paste;
    size_t at = t.find("ServeHTTP(0x0, ");
    EXPECT_NE(at, std::string::npos);
    t.replace(at, 15, "ServeHTTP(" + std::string(receiver) + ", ");
    return FirstCategory(t);
  };
  EXPECT_EQ(with("0x0?"), "nil_dereference");  // Go 1.18+: maybe stale, still nil
  EXPECT_EQ(with("0xc000272c60"), "custom_panic");
  EXPECT_EQ(with("0x0a"), "custom_panic");
  // A value that was kept is read, not the receiver.
  std::string kept = "panic: boom [recovered]\n\tpanic: boom\n\ngoroutine 1 [running]:\n"
                     "main.main.func1()\n\t/app/main.go:5 +0x1d\n"
                     "panic({0x4a1b20, 0x4e8a10})\n\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
                     "main.(*T).M(0x0)\n\t/app/main.go:9 +0x1d\n"
                     "main.main()\n\t/app/main.go:12 +0x2f\n";
  EXPECT_EQ(FirstCategory(kept), "custom_panic");
}

}  // namespace
}  // namespace gotriage
