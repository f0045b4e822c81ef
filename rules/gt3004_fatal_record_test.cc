// GT3004 on fatal-level log records (testdata/fatal-records/, each logging
// library's own output): the record is the first finding, its caller the
// culprit, and a logger's dump after it raises no hang of its own.
#include <gtest/gtest.h>

#include <string>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

std::vector<Finding> AnalyzeCapture(const std::string& name) {
  // A missing or empty capture fails the test.
  auto in = ParseText(test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fatal-records/" + name));
  return Analyze(*in, EngineOptions{});
}

TEST(FatalRecordRule, EveryLibrarysRecordIsTheProgramsExit) {
  for (const char* name : {"zap-json.txt", "zap-console.txt", "logrus-json.txt", "logrus-text.txt", "logrus-tty.txt",
                           "zerolog-json.txt", "zerolog-console.txt", "klog.txt", "glog.txt"}) {
    SCOPED_TRACE(name);
    std::vector<Finding> fs = AnalyzeCapture(name);
    ASSERT_EQ(fs.size(), 1u);  // glog's SIGABRT dump is the record's, not a stopped busy program
    const Finding& f = fs[0];
    EXPECT_EQ(f.rule_id, "GT3004");
    EXPECT_EQ(f.category, "error_exit");
    EXPECT_NE(f.summary.find("failed to connect to database"), std::string::npos) << f.summary;
    EXPECT_NE(f.summary.find("connection refused"), std::string::npos) << f.summary;
  }
}

TEST(FatalRecordRule, ARefusedCommandLineIsAnExitOnTheArguments) {
  for (const char* name : {"flag-unknown.txt", "flag-bad-value.txt", "cobra-unknown.txt"}) {
    SCOPED_TRACE(name);
    std::vector<Finding> fs = AnalyzeCapture(name);
    ASSERT_EQ(fs.size(), 1u);
    const Finding& f = fs[0];
    EXPECT_EQ(f.rule_id, "GT3004");
    EXPECT_EQ(f.category, "error_exit");
    EXPECT_NE(f.summary.find("refused its command line"), std::string::npos) << f.summary;
    EXPECT_EQ(f.summary.find("fatal level"), std::string::npos) << f.summary;
    EXPECT_FALSE(f.culprit);  // no frame: the arguments are the cause
    ASSERT_FALSE(f.remediation.steps.empty());
    EXPECT_NE(f.remediation.steps[0].find("args"), std::string::npos);
  }
  // flag.Parse exits with 2, cobra's command with what main makes of it.
  EXPECT_NE(AnalyzeCapture("flag-unknown.txt")[0].summary.find("status 2"), std::string::npos);
  EXPECT_EQ(AnalyzeCapture("cobra-unknown.txt")[0].summary.find("status 2"), std::string::npos);
}

TEST(FatalRecordRule, CulpritIsWhoLogged) {
  struct {
    const char* file;
    const char* function;
    const char* where;
    int line;
  } wants[] = {
      {"logrus-json.txt", "main.main", "example.com/gen-loggers/main.go", 31},
      {"zap-console.txt", "main.main", "gen-loggers/main.go", 26},
      {"zerolog-json.txt", "", "example.com/gen-loggers/main.go", 43},
      {"klog.txt", "", "main.go", 58},
      // From the logging goroutine's stack: the frame under glog's.
      {"glog.txt", "main.connect", "example.com/gen-loggers/main.go", 71},
  };
  for (const auto& w : wants) {
    SCOPED_TRACE(w.file);
    std::vector<Finding> fs = AnalyzeCapture(w.file);
    ASSERT_FALSE(fs.empty());
    ASSERT_TRUE(fs[0].culprit);
    EXPECT_EQ(fs[0].culprit->function, w.function);
    EXPECT_EQ(fs[0].culprit->file, w.where);
    EXPECT_EQ(fs[0].culprit->line, w.line);
  }
}

TEST(FatalRecordRule, GlogsAbortIsSaid) {
  std::vector<Finding> fs = AnalyzeCapture("glog.txt");
  ASSERT_FALSE(fs.empty());
  EXPECT_NE(fs[0].summary.find("SIGABRT"), std::string::npos) << fs[0].summary;
}

}  // namespace
}  // namespace gotriage
