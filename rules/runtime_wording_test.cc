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

// A failed type assertion says which of the runtime's three forms it was
// (the messages as Go 1.26 prints them for x.(string) on a nil interface,
// r.(io.Writer) on a type without Write, and the captured reproducer's
// float64 asserted as int).
TEST(RuntimeWording, EveryTypeAssertionFormIsSaidInWords) {
  struct Case {
    const char* message;
    const char* words;
  };
  for (const Case& c : {Case{"interface conversion: interface {} is nil, not string",
                             "the interface {} held no value (nil) where string was asserted"},
                        Case{"interface conversion: main.R is not io.Writer: missing method Write",
                             "main.R does not implement io.Writer (it has no method Write)"},
                        Case{"interface conversion: interface {} is int, not string",
                             "the interface {} held an int where string was asserted"}}) {
    auto in = ParseText(std::string("panic: ") + c.message +
                        "\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:20 +0x1d\nexit status 2\n");
    ASSERT_FALSE(in->incidents.empty()) << c.message;
    std::vector<Finding> fs = Analyze(*in, {});
    ASSERT_FALSE(fs.empty()) << c.message;
    EXPECT_EQ(fs[0].rule_id, "GT1012") << c.message;
    EXPECT_NE(fs[0].summary.find(c.words), std::string::npos) << fs[0].summary;
  }
  auto in = ParseRel("fixtures/type-assertion.go126.txt");
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT1012");
  EXPECT_NE(fs[0].summary.find("held a float64 where int was asserted; JSON numbers decode as float64"),
            std::string::npos)
      << fs[0].summary;
}

}  // namespace
}  // namespace gotriage
