// Fatal-level log records, as each logging library prints them
// (testdata/fatal-records/, captured by testdata/gen-loggers/capture from
// the libraries themselves), and the lines that only look like one.
#include "parsers/fatal_record.h"

#include <gtest/gtest.h>

#include <string>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

std::string Capture(const std::string& name) {
  return test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fatal-records/" + name);
}

const std::string kError = "dial tcp 10.0.0.7:5432: connect: connection refused";

struct Want {
  const char* file;
  const char* format;
  const char* level;
  std::string message;
  std::string error;
  const char* caller;
  const char* function;
};

TEST(FatalRecord, EachLibrarysRecordAsItPrintsIt) {
  const Want wants[] = {
      {"zap-json.txt", "json", "fatal", "failed to connect to database", kError, "gen-loggers/main.go:22", "main.main"},
      // zap's console encoder prints the caller's stack under the record.
      {"zap-console.txt", "zap", "FATAL", "failed to connect to database", kError, "gen-loggers/main.go:26", "main.main"},
      {"logrus-json.txt", "json", "fatal", "failed to connect to database", kError,
       "example.com/gen-loggers/main.go:31", "main.main"},
      {"logrus-text.txt", "logfmt", "fatal", "failed to connect to database", kError, "", ""},
      // On a terminal, in colour.
      {"logrus-tty.txt", "logrus", "FATA", "failed to connect to database", kError, "", ""},
      {"zerolog-json.txt", "json", "fatal", "failed to connect to database", kError,
       "example.com/gen-loggers/main.go:43", ""},
      {"zerolog-console.txt", "zerolog", "FTL", "failed to connect to database", kError,
       "example.com/gen-loggers/main.go:47", ""},
      // klog's header is a log envelope to the rest of gotriage: the
      // record is read from what the envelope layer peeled.
      {"klog.txt", "klog", "F", "failed to connect to database: " + kError, "", "main.go:58", ""},
  };
  for (const Want& w : wants) {
    SCOPED_TRACE(w.file);
    auto in = ParseText(Capture(w.file));
    ASSERT_EQ(in->incidents.size(), 1u);
    const Incident& inc = in->incidents[0];
    EXPECT_EQ(inc.kind, IncidentKind::kFatalRecord);
    ASSERT_TRUE(inc.fatal_record);
    const FatalRecord& r = *inc.fatal_record;
    EXPECT_EQ(r.format, w.format);
    EXPECT_EQ(r.level, w.level);
    EXPECT_EQ(r.message, w.message);
    EXPECT_EQ(r.error, w.error);
    EXPECT_EQ(r.caller, w.caller);
    EXPECT_EQ(r.function, w.function);
    EXPECT_EQ(r.input_line, 2u);  // after the info record
    EXPECT_EQ(inc.first_line, 2u);
    EXPECT_TRUE(inc.groups.empty());
  }
}

// glog prints the logging goroutine's stack after the record, then aborts:
// the runtime's SIGABRT dump follows. Both are the record's.
TEST(FatalRecord, GlogsStackAndAbortDumpBelongToTheRecord) {
  auto in = ParseText(Capture("glog.txt"));
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kFatalRecord);
  ASSERT_TRUE(inc.fatal_record);
  EXPECT_EQ(inc.fatal_record->format, "klog");  // glog's header is klog's
  EXPECT_EQ(inc.fatal_record->caller, "main.go:71");
  ASSERT_TRUE(inc.crashing);
  EXPECT_EQ(inc.crashing->frames.front().function, "github.com/golang/glog.Fatalf");
  ASSERT_TRUE(inc.signal);
  EXPECT_EQ(inc.signal->name, "SIGABRT");
  EXPECT_EQ(inc.goroutine_count, 8u);
  EXPECT_EQ(inc.first_line, 1u);
  EXPECT_EQ(inc.last_line, in->lines);
}

TEST(FatalRecord, ARefusedCommandLineIsTheProgramsLastWords) {
  // flag.Parse and cobra (pflag) refusing the arguments, as they print it
  // (testdata/gen-loggers/flags.go): the error line is the record, the
  // usage after it belongs to it.
  const struct {
    const char* file;
    const char* format;
    const char* message;
  } wants[] = {
      {"flag-unknown.txt", "flag", "flag provided but not defined: -metrics-addr"},
      {"flag-bad-value.txt", "flag", "invalid value \"600\" for flag -sync-period: parse error"},
      {"cobra-unknown.txt", "cobra", "unknown flag: --zap-log-level"},
  };
  for (const auto& w : wants) {
    SCOPED_TRACE(w.file);
    std::string text = Capture(w.file);
    auto in = ParseText(text);
    ASSERT_EQ(in->incidents.size(), 1u);
    const Incident& inc = in->incidents[0];
    ASSERT_TRUE(inc.fatal_record);
    EXPECT_EQ(inc.fatal_record->format, w.format);
    EXPECT_EQ(inc.fatal_record->message, w.message);
    EXPECT_EQ(inc.fatal_record->input_line, 1u);
    // The usage is the record's, to its last line (cobra ends it with a
    // blank one).
    size_t last = 0, n = 0;
    for (size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
      ++n;
      if (text[at] != '\n') last = n;
    }
    EXPECT_EQ(inc.last_line, last);
  }
  FatalRecord r;
  for (const char* line : {
           "flag needs an argument: -kubeconfig",
           "bad flag syntax: ---x",
           "invalid boolean value \"maybe\" for -leader-elect: parse error",
           "Error: unknown shorthand flag: 'z' in -z",
           "invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax",
       }) {
    EXPECT_TRUE(ReadFatalRecord(line, &r)) << line;
  }
  // Prose about flags, and the flag package's words after a log prefix
  // that is not an envelope (a test's own message).
  for (const char* line : {
           "flag provided but not defined",
           "the flag provided but not defined: -x",
           "invalid value for flag -x",
           "Error: flag provided but not defined: -x",
           "unknown flag",
       }) {
    EXPECT_FALSE(ReadFatalRecord(line, &r)) << line;
  }
}

TEST(FatalRecord, LinesThatOnlyMentionFatalAreNone) {
  FatalRecord r;
  for (const char* line : {
           R"({"level":"error","msg":"fatal mistake in config","error":"x"})",
           R"(time="2026-12-02T03:27:59Z" level=info msg="non-fatal: retrying")",
           "E1202 03:27:59.546786   22870 main.go:52] \"failed\" err=\"fatal\"",
           "Fatal: the build failed",
           "2026-12-02T03:27:59.497Z\tERROR\tmain.go:24\tfatal-ish\t{}",
           "3:27AM ERR main.go:45 > not FTL here",
           "FATAL ERROR in native method",
           "F1202 not a klog header",
       }) {
    EXPECT_FALSE(ReadFatalRecord(line, &r)) << line;
  }
}

// The level is found wherever it is in the line (the search looks at 16
// bytes at a time, in overlapping windows, then the line's last 16).
TEST(FatalRecord, LevelFoundAtEveryOffset) {
  for (size_t pad = 0; pad < 48; ++pad) {
    for (const char* level : {"fatal", "FATAL", "Fatal"}) {
      std::string line = "{\"k\":\"" + std::string(pad, 'x') + "\",\"level\":\"" + level + "\",\"msg\":\"m\"}";
      FatalRecord r;
      EXPECT_TRUE(ReadFatalRecord(line, &r)) << line;
      EXPECT_EQ(r.message, "m");
      // The same record with the level last, at the very end of the line.
      std::string last = "{\"msg\":\"m\",\"k\":\"" + std::string(pad, 'x') + "\",\"level\":\"" + level + "\"}";
      EXPECT_TRUE(ReadFatalRecord(last, &r)) << last;
    }
  }
}

// A record pretty-printed over several lines (a log viewer's expanded
// JSON): the fields before the level line and after it, up to the brace.
TEST(FatalRecord, PrettyPrintedRecordTakesItsFieldsFromBothSides) {
  auto in = ParseText(
      "{\n"
      "  \"caller\": \"cmd/main.go:40\",\n"
      "  \"error\": \"no such host\",\n"
      "  \"level\": \"fatal\",\n"
      "  \"msg\": \"cannot reach the API server\",\n"
      "  \"func\": \"main.run\"\n"
      "}\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_TRUE(in->incidents[0].fatal_record);
  const FatalRecord& r = *in->incidents[0].fatal_record;
  EXPECT_EQ(r.format, "pretty");
  EXPECT_EQ(r.message, "cannot reach the API server");
  EXPECT_EQ(r.error, "no such host");
  EXPECT_EQ(r.caller, "cmd/main.go:40");
  EXPECT_EQ(r.function, "main.run");
  EXPECT_EQ(in->incidents[0].last_line, 7u);
}

}  // namespace
}  // namespace gotriage
