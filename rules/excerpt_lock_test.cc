// GT2002 on an excerpt of a lock's waiter and, most likely, its holder
// (weave#418 in fresh9/: a goroutine waiting on a peer's RWMutex pasted
// with one of the same package blocked in a select, its stack cut above
// the Lock), and what keeps it from firing: code of two packages, a
// goroutine that runs, a whole dump, no channel side.
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

std::string Excerpt(const std::string& holder_state, const std::string& holder_pkg) {
  return "goroutine 21 [semacquire]:\n"
         "sync.runtime_Semacquire(0xc2080042a8)\n\t/usr/local/go/src/runtime/sema.go:71 +0x30\n"
         "sync.(*RWMutex).Lock(0xc2080042a0)\n\t/usr/local/go/src/sync/rwmutex.go:83 +0xa3\n"
         "example.com/mesh/router.(*Peer).addConnection(0xc2080042a0, 0xc209230780)\n"
         "\t/src/mesh/router/peer.go:90 +0x32\n\n"
         "goroutine 34 [" + holder_state + "]:\n"
         "example.com/mesh/" + holder_pkg + ".(*Conn).sendQuery(0xc20921a000, 0x0)\n"
         "\t/src/mesh/" + holder_pkg + "/conn.go:201 +0x16e\n\n";
}

TEST(ExcerptLock, TheRealPaste) {
  std::vector<Finding> fs = Triage(test_inputs::ReadInput(
      test_inputs::CorpusDir() / "fresh9/C-weave-418-two-quad-fenced-blocks-semacquire-vs-select-holder-cut.log"));
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2002");
  EXPECT_DOUBLE_EQ(fs[0].confidence, 0.5);
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "github.com/zettio/weave/router.(*LocalConnection).sendQuery");
  EXPECT_NE(fs[0].summary.find("(*Peer).addConnection"), std::string::npos) << fs[0].summary;
  EXPECT_NE(fs[0].summary.find("no frame shows which lock"), std::string::npos) << fs[0].summary;
}

TEST(ExcerptLock, AWaiterAndAHolderOfOnePackage) {
  for (const char* state : {"select", "chan send", "chan receive"}) {
    std::vector<Finding> fs = Triage(Excerpt(state, "router"));
    const Finding* f = Of(fs, "GT2002");
    ASSERT_NE(f, nullptr) << state;
    EXPECT_EQ(f->culprit->function, "example.com/mesh/router.(*Conn).sendQuery");
  }
}

TEST(ExcerptLock, NotWhenNothingTiesThem) {
  std::vector<Finding> fs = Triage(Excerpt("select", "metrics"));  // another package's channel
  EXPECT_EQ(Of(fs, "GT2002"), nullptr);
  fs = Triage(Excerpt("running", "router"));  // it runs: no one is stuck
  EXPECT_EQ(Of(fs, "GT2002"), nullptr);
  fs = Triage(Excerpt("sleep", "router"));  // no channel side
  EXPECT_EQ(Of(fs, "GT2002"), nullptr);
  std::string whole = Excerpt("select", "router");  // goroutine 1: a whole program, not a choice
  whole.replace(whole.find("goroutine 21 "), 13, "goroutine 1 ");
  fs = Triage(whole);
  EXPECT_EQ(Of(fs, "GT2002"), nullptr);
}

}  // namespace
}  // namespace gotriage
