// The renderers' escaping contracts (tests/support/render_check.h) on every fuzz
// regression and on render_fuzz's seed corpus, and each check shown to
// reject what it must.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/render_check.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST(RenderChecks, HoldOnEveryFuzzRegression) {
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::TestdataDir() / "fuzz-regressions"))
    EXPECT_EQ(check::CheckRenderers(Slurp(f)), "") << f;
}

TEST(RenderChecks, HoldOnTheSeedCorpus) {
  for (const fs::path& f : test_inputs::FilesUnder(fs::path(GOTRIAGE_SOURCE_DIR) / "fuzz/corpus/render_fuzz"))
    EXPECT_EQ(check::CheckRenderers(Slurp(f)), "") << f;
}

TEST(RenderChecks, HostileTextIsEscaped) {
  EXPECT_EQ(check::CheckRenderers("panic: <script>alert(1)</script>\x1b[31m\xe2\x80\xae\n\n"
                                  "goroutine 1 [running]:\nmain.<img src=x>()\n\t/src/a\"b.go:3 +0x1\n"),
            "");
}

TEST(RenderChecks, RejectWhatTheyMust) {
  EXPECT_NE(check::CheckHtmlPage("<p>ok</p><img src=x onerror=alert(1)>"), "");
  EXPECT_NE(check::CheckHtmlPage("<p>\x1b[31m</p>"), "");
  EXPECT_NE(check::CheckHtmlPage("<script type=\"application/json\">{\"a\":\"</b>\"}</script>"), "");
  EXPECT_EQ(check::CheckHtmlPage("<!DOCTYPE html><p class=\"x\">a &lt; b</p><script>if (a < b) f()</script>"), "");
  EXPECT_FALSE(check::DisplayClean("a\xe2\x80\xae"));
  EXPECT_TRUE(check::DisplayClean("a\tb\n"));
}

}  // namespace
}  // namespace gotriage
