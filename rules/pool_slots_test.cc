// GT2005 on goroutines queued for a slot of a weighted semaphore
// (erigon#5125 in fresh10/: a read transaction waiting 10 minutes in
// golang.org/x/sync/semaphore's Acquire under the database's BeginRo), and
// where it stays quiet: a short wait of a few goroutines.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"
#include "tests/support/triage.h"

namespace gotriage {
namespace {

using test_triage::Triage;

std::string Waiters(int n, const std::string& minutes) {
  std::string out = "goroutine 1 [running]:\nmain.main()\n\t/src/app/main.go:9 +0x1d\n\n";
  for (int i = 0; i < n; ++i) {
    out += "goroutine " + std::to_string(100 + i) + " [select" + minutes + "]:\n"
           "golang.org/x/sync/semaphore.(*Weighted).Acquire(0xc0001500f0, {0x200d3b0, 0xc0cb6bbe90}, 0x1)\n"
           "\t/root/go/pkg/mod/golang.org/x/sync@v0.7.0/semaphore/semaphore.go:60 +0x345\n"
           "example.com/app/store.(*DB).BeginRo(0xc0002791e0, {0x200d3b0, 0xc0cb6bbe90})\n"
           "\t/src/app/store/db.go:425 +0x85\n"
           "created by example.com/app/server.(*Server).serve in goroutine 1\n\t/src/app/server/server.go:40 +0x55\n\n";
  }
  return out;
}

TEST(PoolSlots, TheRealPaste) {
  std::vector<Finding> fs = Triage(test_inputs::ReadInput(
      test_inputs::CorpusDir() / "fresh10/A-erigon-5125-sigusr1-dump-semaphore-acquire-10min-cut.log"));
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2005");
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "github.com/ledgerwatch/erigon-lib/kv/mdbx.(*MdbxKV).BeginRo");
  EXPECT_NE(fs[0].summary.find("a slot of a semaphore"), std::string::npos) << fs[0].summary;
}

TEST(PoolSlots, LongWaitsOrAQueue) {
  for (const auto& [n, minutes, fires] : std::vector<std::tuple<int, std::string, bool>>{
           {1, ", 10 minutes", true}, {20, "", true}, {3, ", 2 minutes", false}, {3, "", false}}) {
    std::vector<Finding> fs = Triage(Waiters(n, minutes));
    bool found = false;
    for (const Finding& f : fs) {
      if (f.rule_id != "GT2005") continue;
      found = true;
      ASSERT_TRUE(f.culprit);
      EXPECT_EQ(f.culprit->function, "example.com/app/store.(*DB).BeginRo");
    }
    EXPECT_EQ(found, fires) << n << minutes;
  }
}

}  // namespace
}  // namespace gotriage
