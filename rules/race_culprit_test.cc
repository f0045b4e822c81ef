// The culprit of a race report when the racing access is inside a
// dependency the application reached (cerbos#2607 and etcd#21298 in
// fresh9/: grpclog.SetLoggerV2 writing grpc's package logger while another
// goroutine reads it): the application's call site, with the dependency's
// frame kept in the finding. A race wholly inside the application, or
// wholly inside a dependency, keeps its first frame.
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

TEST(RaceCulprit, TheApplicationsCallIntoADependency) {
  for (const auto& [file, want] : std::vector<std::pair<std::string, std::string>>{
           {"fresh9/A-cerbos-2607-gha-link-damaged-address-cut.log",
            "github.com/cerbos/cerbos/internal/observability/logging.doInitLogging"},
           {"fresh9/A-etcd-21298-gotestsum-FAIL-line-go126-prow-cut.log",
            "go.etcd.io/etcd/tests/v3/framework/integration.BeforeTest"}}) {
    SCOPED_TRACE(file);
    std::vector<Finding> fs = Triage(test_inputs::ReadInput(test_inputs::CorpusDir() / file));
    ASSERT_FALSE(fs.empty());
    EXPECT_EQ(fs[0].rule_id, "GT1002");
    ASSERT_TRUE(fs[0].culprit);
    EXPECT_EQ(fs[0].culprit->function, want);
    EXPECT_NE(fs[0].summary.find("inside the dependency's google.golang.org/grpc/grpclog.SetLoggerV2"),
              std::string::npos)
        << fs[0].summary;
  }
}

std::string Race(const std::string& first_frames) {
  return "==================\nWARNING: DATA RACE\nWrite at 0x00c000124010 by goroutine 8:\n" + first_frames +
         "\nPrevious read at 0x00c000124010 by goroutine 7:\n"
         "  example.com/shop/server.(*Server).Stats()\n      /src/shop/server/server.go:40 +0x44\n\n"
         "Goroutine 8 (running) created at:\n  example.com/shop/server.Start()\n"
         "      /src/shop/server/server.go:20 +0x1d\n==================\n";
}

TEST(RaceCulprit, FirstFrameWhenNoDependencyIsInBetween) {
  // The access in the application's own code.
  std::vector<Finding> fs = Triage(Race("  example.com/shop/server.(*Server).Handle()\n"
                                        "      /src/shop/server/server.go:31 +0x5c\n"));
  ASSERT_FALSE(fs.empty());
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "example.com/shop/server.(*Server).Handle");
  EXPECT_EQ(fs[0].summary.find("inside the dependency"), std::string::npos) << fs[0].summary;
  // A dependency's own goroutine, no application frame: the dependency.
  fs = Triage(Race("  github.com/lib/cache.(*LRU).evict()\n"
                   "      /root/go/pkg/mod/github.com/lib/cache@v1.2.0/lru.go:88 +0x5c\n"
                   "  github.com/lib/cache.(*LRU).loop()\n"
                   "      /root/go/pkg/mod/github.com/lib/cache@v1.2.0/lru.go:60 +0x21\n"));
  ASSERT_FALSE(fs.empty());
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "github.com/lib/cache.(*LRU).evict");
  // The same dependency reached from the application: the call site.
  fs = Triage(Race("  github.com/lib/cache.(*LRU).Add()\n"
                   "      /root/go/pkg/mod/github.com/lib/cache@v1.2.0/lru.go:40 +0x5c\n"
                   "  example.com/shop/server.(*Server).Handle()\n"
                   "      /src/shop/server/server.go:31 +0x5c\n"));
  ASSERT_FALSE(fs.empty());
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "example.com/shop/server.(*Server).Handle");
  EXPECT_NE(fs[0].summary.find("inside the dependency's github.com/lib/cache.(*LRU).Add"), std::string::npos)
      << fs[0].summary;
}

}  // namespace
}  // namespace gotriage
