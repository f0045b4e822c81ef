// The runtime's words for running out of memory, on real output: the
// captured `fatal error: out of memory` and golang/go#19514's Windows
// `runtime: cannot map pages in arena address space` (VirtualAlloc failed
// with errno 1455, the commit limit) both name GT1010.
#include <gtest/gtest.h>

#include <string>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"
#include "rules/engine.h"
#include "rules/crash_claim.h"
#include "rules/util.h"

namespace gotriage {
namespace {

std::unique_ptr<ParsedInput> ParseRel(const std::string& rel) {
  std::string path = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/" + rel;
  EXPECT_EQ(test_inputs::FileProblem(path), "") << rel;
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(path, &err)) << err;
  return p.Finish();
}

TEST(RuntimeWording, EveryOutOfMemoryThrowIsOutOfMemory) {
  for (const char* rel : {"fixtures/out-of-memory.go126.txt", "fixtures/out-of-memory.go119.txt",
                          "corpus/threads/54-go-19514-windows-cannot-map-pages-from-runaway-recursion.log"}) {
    auto in = ParseRel(rel);
    ASSERT_FALSE(in->incidents.empty()) << rel;
    EXPECT_EQ(ClassifyCrash(in->incidents[0]), "GT1010") << rel << ": " << RootMessage(in->incidents[0]);
    std::vector<Finding> fs = Analyze(*in, {});
    ASSERT_FALSE(fs.empty()) << rel;
    EXPECT_EQ(fs[0].rule_id, "GT1010") << rel;
  }
}

}  // namespace
}  // namespace gotriage
