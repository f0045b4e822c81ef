// The output format table (cli/formats.h) is what the command line offers:
// every row is a --format choice in --help, the man page and the
// completions; --follow, --baseline, `gotriage diff` and --list-rules take
// exactly the formats whose row has a renderer for them.
#include "cli/formats.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "tests/support/run_cli_test_util.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

using test_cli::RunCli;

const std::string kCrash = (test_inputs::FixturesDir() / "nil-deref.go126.txt").string();
const std::string kSnap1 = (test_inputs::TestdataDir() / "overtime/leak-debug2-s1.txt").string();
const std::string kSnap2 = (test_inputs::TestdataDir() / "overtime/leak-debug2-s2.txt").string();

TEST(Formats, TableIsWellFormed) {
  ASSERT_FALSE(OutputFormats().empty());
  EXPECT_EQ(OutputFormats().front().name, "text");  // the default
  for (const OutputFormat& f : OutputFormats()) {
    EXPECT_NE(f.report, nullptr) << f.name;
    EXPECT_EQ(FindOutputFormat(f.name), &f);
  }
  EXPECT_EQ(FindOutputFormat("pdf"), nullptr);
}

TEST(Formats, EveryRowIsOfferedByHelpManPageAndCompletions) {
  std::string help, man, bash;
  ASSERT_EQ(RunCli({"--help"}, &help), kExitOk);
  ASSERT_EQ(RunCli({"--man"}, &man), kExitOk);
  ASSERT_EQ(RunCli({"--completion", "bash"}, &bash), kExitOk);
  for (const OutputFormat& f : OutputFormats()) {
    std::string name(f.name);
    EXPECT_NE(help.find(f.help.empty() ? name : name + " (" + std::string(f.help) + ")"), std::string::npos) << name;
    EXPECT_NE(man.find(name), std::string::npos) << name;
    EXPECT_NE(bash.find(name), std::string::npos) << name;
  }
}

TEST(Formats, EachRowDecidesWhereItIsTaken) {
  for (const OutputFormat& f : OutputFormats()) {
    std::string name(f.name), out, err;
    SCOPED_TRACE(name);
    // Batch: every format renders the crash (exit 1: a high finding).
    EXPECT_EQ(RunCli({"--format", name, kCrash}, &out, &err), kExitFindings) << err;
    EXPECT_FALSE(out.empty());
    // --follow: only the formats that stream.
    int rc = RunCli({"--follow", "--format", name, kCrash}, &out, &err);
    EXPECT_EQ(rc, f.follow ? kExitFindings : kExitUsage) << err;
    if (!f.follow) {
      EXPECT_NE(err.find("--format " + name + " writes one document"), std::string::npos) << err;
    }
    // --baseline and `gotriage diff`: only the formats that render a diff.
    rc = RunCli({"--baseline", kSnap1, "--format", name, kSnap2}, &out, &err);
    EXPECT_EQ(rc == kExitUsage, !f.diff) << err;
    rc = RunCli({"diff", "--format", name, kSnap1, kSnap2}, &out, &err);
    EXPECT_EQ(rc == kExitUsage, !f.diff) << err;
    // --list-rules: only the formats that list rules.
    rc = RunCli({"--list-rules", "--format", name}, &out, &err);
    EXPECT_EQ(rc, f.rule_list ? kExitOk : kExitUsage) << err;
    if (f.rule_list) {
      EXPECT_NE(out.find("GT1001"), std::string::npos);
    }
  }
}

TEST(Formats, NamesListsTheRowsThatHaveIt) {
  EXPECT_EQ(OutputFormatNames(&OutputFormat::follow), "text, json, ndjson or github");
  EXPECT_EQ(OutputFormatNames(&OutputFormat::diff, ", "), "text, json, ndjson, sarif, html");
  EXPECT_EQ(OutputFormatNames(&OutputFormat::job_summary), "github");
}

}  // namespace
}  // namespace gotriage
