// Tests of the gocheck PANIC report reader on gocheck's real output
// (testdata/gocheck/, made by testdata/gen-gocheck/capture) and on the
// Go 1.2 report of the corpus (streamtools#343).
#include "parsers/gocheck.h"

#include <gtest/gtest.h>

#include <string>

#include "base/strings.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

std::unique_ptr<ParsedInput> ParseCapture(const std::string& name) {
  // A missing or empty capture fails the test.
  return ParseText(test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/gocheck/" + name));
}

TEST(Gocheck, EachPanicReportIsACrash) {
  for (const char* name : {"plain.txt", "trimpath.txt"}) {
    SCOPED_TRACE(name);
    auto in = ParseCapture(name);
    ASSERT_EQ(in->incidents.size(), 4u);
    const char* values[] = {"runtime error: index out of range [0] with length 0",
                            "runtime error: invalid memory address or nil pointer dereference",
                            "assignment to entry in nil map", "interface conversion: interface {} is int, not string"};
    const char* app[] = {"firstItem", "StoreSuite.TestNilDereference", "cache.put", "decodeStatus"};
    for (size_t i = 0; i < 4; ++i) {
      const Incident& inc = in->incidents[i];
      SCOPED_TRACE(i);
      EXPECT_EQ(inc.kind, IncidentKind::kPanic);
      ASSERT_EQ(inc.panics.size(), 1u);
      EXPECT_EQ(inc.panics[0].message, values[i]);  // without gocheck's `(PC=0x...)`
      ASSERT_TRUE(inc.crashing);
      const std::vector<Frame>& fr = inc.crashing->frames;
      ASSERT_GE(fr.size(), 4u);
      // The runtime's frames get their package back; the test's keep
      // the name gocheck printed.
      EXPECT_EQ(fr[0].function, "runtime.gopanic");
      EXPECT_TRUE(fr[0].is_panic);
      bool found = false;
      for (const Frame& f : fr) found = found || (f.function == app[i] && EndsWith(f.file, "suite_test.go"));
      EXPECT_TRUE(found) << app[i];
    }
  }
}

TEST(Gocheck, Go12ReportAfterATravisLog) {
  auto in = ParseText(test_inputs::ReadInput(
      test_inputs::CorpusDir() / "fresh5/A-streamtools-343-travis-gocheck-PANIC-block-interface-conversion-go12.log"));
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  ASSERT_EQ(inc.panics.size(), 1u);
  EXPECT_EQ(inc.panics[0].message, "interface conversion: interface is string, not map[string]interface {}");
  ASSERT_TRUE(inc.crashing);
  ASSERT_EQ(inc.crashing->frames.size(), 5u);
  EXPECT_EQ(inc.crashing->frames[0].function, "runtime.panic");  // Go 1.2's panic.c
  EXPECT_EQ(inc.crashing->frames[1].function, "runtime.assertE2Tret");
  EXPECT_EQ(inc.crashing->frames[3].function, "StreamSuite.TestFromPostXML");
  EXPECT_EQ(inc.crashing->frames[3].file, "library_test.go");
  EXPECT_EQ(inc.crashing->frames[3].line, 1129);
}

TEST(Gocheck, FunctionsOfTheGoDistributionGetTheirPackage) {
  EXPECT_EQ(GocheckFunction("gopanic", "runtime/panic.go"), "runtime.gopanic");
  EXPECT_EQ(GocheckFunction("gopanic", "/usr/local/go/src/runtime/panic.go"), "runtime.gopanic");
  EXPECT_EQ(GocheckFunction("panic", "/opt/gvm/gos/go1.2/src/pkg/runtime/panic.c"), "runtime.panic");
  EXPECT_EQ(GocheckFunction("Value.Call", "reflect/value.go"), "reflect.Value.Call");
  EXPECT_EQ(GocheckFunction("mapassign_faststr", "internal/runtime/maps/runtime_faststr.go"),
            "internal/runtime/maps.mapassign_faststr");
  // The application's and a dependency's: as printed.
  EXPECT_EQ(GocheckFunction("firstItem", "suite_test.go"), "firstItem");
  EXPECT_EQ(GocheckFunction("firstItem", "example.com/gen-gocheck/suite_test.go"), "firstItem");
  EXPECT_EQ(GocheckFunction("T.M", "/go/src/github.com/a/b/c.go"), "T.M");
  EXPECT_EQ(GocheckFunction("T.M", "/srv/src/app/c.go"), "T.M");
  EXPECT_EQ(GocheckFunction("suiteRunner.forkTest.func1", "gopkg.in/check.v1@v1.0.0-2020/check.go"),
            "suiteRunner.forkTest.func1");
}

// Not a report: Macaron's log line, a gocheck FAIL, a line that only
// starts with the word. (Start reads nothing else before it says no.)
TEST(Gocheck, OnlyItsOwnHeadStartsIt) {
  for (const char* text : {"[Macaron] PANIC: runtime error: x\n", "FAIL: a_test.go:12: S.TestX\n",
                           "PANIC: the disk is full\n", "PANIC: a.go:x: S.T\n"}) {
    GocheckParser p(nullptr);
    Line l;
    l.text = std::string_view(text).substr(0, std::string_view(text).size() - 1);
    EXPECT_FALSE(p.Start(l)) << text;
  }
}

}  // namespace
}  // namespace gotriage
