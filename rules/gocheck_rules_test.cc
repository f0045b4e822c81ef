// The crash rules on gocheck's PANIC reports (testdata/gocheck/, gocheck's
// real output; parsers/gocheck.h): one finding per test that panicked, by
// its message, its culprit the test's own frame below the runtime's.
#include <gtest/gtest.h>

#include <string>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

TEST(GocheckRules, EachPanickedTestIsAFinding) {
  for (const char* name : {"plain.txt", "trimpath.txt"}) {
    SCOPED_TRACE(name);
    auto in = ParseText(test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/gocheck/" + name));
    std::vector<Finding> fs = Analyze(*in, EngineOptions{});
    ASSERT_EQ(fs.size(), 4u);
    struct {
      const char* rule;
      const char* culprit;
      int line;
    } wants[] = {{"GT1004", "firstItem", 44},
                 {"GT1003", "StoreSuite.TestNilDereference", 52},
                 {"GT1005", "cache.put", 37},
                 {"GT1012", "decodeStatus", 27}};
    for (size_t i = 0; i < 4; ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(fs[i].rule_id, wants[i].rule);
      ASSERT_TRUE(fs[i].culprit);
      EXPECT_EQ(fs[i].culprit->function, wants[i].culprit);
      EXPECT_EQ(fs[i].culprit->line, wants[i].line);
      EXPECT_EQ(fs[i].culprit->kind, "app");
    }
  }
}

}  // namespace
}  // namespace gotriage
