// GT2001 on an excerpt of a few goroutines that wait on each other through
// channels (orbs-network-go#1339 in fresh5/: a test blocked receiving in
// Stop while the worker it waits for is blocked sending the test a
// result) or a channel and a WaitGroup (kopia#654 in fresh7/: a subtest
// blocked sending while another waits for it on a WaitGroup), and what
// keeps it from firing: a goroutine of the program that still runs or
// selects, waits in one direction only, a whole dump.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"
#include "tests/support/triage.h"

namespace gotriage {
namespace {

using test_triage::Of;
using test_triage::Triage;

const char kPaste[] = "fresh5/B-orbs-network-go-1339-bare-records-chan-receive-vs-chan-send-cut.log";

// Two goroutines of a program: `recv` blocked receiving, `send` sending.
std::string Pair(const std::string& recv_state, const std::string& send_state) {
  return "goroutine 73 [" + recv_state + "]:\n"
         "example.com/app/sync.(*Trigger).Stop(...)\n\t/src/app/sync/trigger.go:68\n"
         "example.com/app/sync_test.TestTrigger(0xc0001c0400)\n\t/src/app/sync/trigger_test.go:140 +0x5a\n"
         "testing.tRunner(0xc0001c0400, 0x8797a8)\n\t/usr/local/go/src/testing/testing.go:865 +0xc0\n"
         "created by testing.(*T).Run\n\t/usr/local/go/src/testing/testing.go:916 +0x35a\n\n"
         "goroutine 74 [" + send_state + "]:\n"
         "example.com/app/sync_test.(*collector).Error(0xc0001ca008)\n\t/src/app/sync/trigger_test.go:29 +0x80\n"
         "example.com/app/sync.(*Trigger).run(0xc0001b4280)\n\t/src/app/sync/trigger.go:40 +0x204\n"
         "created by example.com/app/sync.NewTrigger\n\t/src/app/sync/trigger.go:30 +0x3a\n\n";
}

TEST(CrossedChannels, TheRealPaste) {
  std::vector<Finding> fs = Triage(test_inputs::ReadInput(test_inputs::CorpusDir() / kPaste));
  ASSERT_FALSE(fs.empty());
  const Finding& f = fs.front();
  EXPECT_EQ(f.rule_id, "GT2001");
  ASSERT_TRUE(f.culprit);
  EXPECT_EQ(f.culprit->function, "github.com/orbs-network/orbs-network-go/synchronization_test.(*collector).Error");
  EXPECT_NE(f.summary.find("(*PeriodicalTrigger).Stop"), std::string::npos) << f.summary;  // the other half
  EXPECT_LE(f.confidence, 0.5);
}

TEST(CrossedChannels, TheRealPasteWithAWaitGroup) {
  std::vector<Finding> fs = Triage(test_inputs::ReadInput(
      test_inputs::CorpusDir() / "fresh7/B-kopia-654-travis-gimme-timeout-dump-no-header.log"));
  ASSERT_FALSE(fs.empty());
  const Finding& f = fs.front();
  EXPECT_EQ(f.rule_id, "GT2001");
  ASSERT_TRUE(f.culprit);
  EXPECT_EQ(f.culprit->function, "github.com/kopia/kopia/internal/faketime.TestTimeAdvanceConcurrent.func1");
  EXPECT_NE(f.summary.find("TestTimeAdvanceConcurrent.func2"), std::string::npos) << f.summary;
  EXPECT_NE(f.summary.find("WaitGroup"), std::string::npos) << f.summary;
}

TEST(CrossedChannels, AChannelAndAWaitGroup) {
  // A sender and a Wait: the sender is where it is stuck.
  std::vector<Finding> fs = Triage(Pair("sync.WaitGroup.Wait", "chan send"));
  const Finding* f = Of(fs, "GT2001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->culprit->function, "example.com/app/sync_test.(*collector).Error");
  // A receiver and a Wait (the close it waits for comes after the Wait).
  fs = Triage(Pair("chan receive", "sync.WaitGroup.Wait"));
  f = Of(fs, "GT2001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->culprit->function, "example.com/app/sync.(*Trigger).Stop");
  EXPECT_NE(f->remediation.steps.front().find("close"), std::string::npos);
}

TEST(CrossedChannels, ASendAndAReceiveOfTheProgram) {
  std::vector<Finding> fs = Triage(Pair("chan receive", "chan send"));
  const Finding* f = Of(fs, "GT2001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->culprit->function, "example.com/app/sync_test.(*collector).Error");
}

TEST(CrossedChannels, NotWhenOneCanStillMoveOrBothWaitAlike) {
  for (const auto& [recv, send] : std::vector<std::pair<std::string, std::string>>{
           {"chan receive", "running"},     // the sender runs
           {"select", "chan send"},         // a select's other case may fire
           {"chan receive", "sleep"},       // it sleeps, then goes on
           {"chan receive", "IO wait"},     // the network may wake it
           {"chan send", "chan send"},      // no receiver among them
           {"chan receive", "chan receive"},
           {"sync.WaitGroup.Wait", "sync.WaitGroup.Wait"},  // no channel among them
           {"sync.Mutex.Lock", "chan send"}}) {              // a lock: GT2002's to judge
    SCOPED_TRACE(recv + " / " + send);
    EXPECT_EQ(Of(Triage(Pair(recv, send)), "GT2001"), nullptr);
  }
  // A dump with goroutine 1 is a whole program, not a chosen excerpt.
  std::string whole = Pair("chan receive", "chan send");
  whole.replace(whole.find("goroutine 73 "), 13, "goroutine 1 ");
  EXPECT_EQ(Of(Triage(whole), "GT2001"), nullptr);
}

}  // namespace
}  // namespace gotriage
