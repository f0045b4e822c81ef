// --follow gives the findings a batch run gives: every fixture parsed both
// ways (StreamAnalyzer over the parser's hand-overs, Analyze over the whole
// input), and a pod description followed by three crashes.
#include "rules/stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

// What the comparison looks at: rule, incident number, culprit; for a
// finding about a pod (no incident), the pod's number.
std::string Key(const Finding& f) {
  std::string k = f.rule_id + " incident " + std::to_string(f.incident);
  if (f.incident < 0) k += " pod " + std::to_string(f.pod);
  if (f.culprit) k += " culprit " + f.culprit->function + " " + f.culprit->file + ":" + std::to_string(f.culprit->line);
  return k;
}

struct Runs {
  std::vector<Finding> batch;
  std::vector<Finding> stream;  // every finding passed on, in order
  size_t stream_units = 0;      // sink calls
};

Runs RunBoth(const std::string& name, const std::string& text) {
  Runs r;
  {
    Parser p(ParseOptions{});
    p.AddText(name, text);
    r.batch = Analyze(*p.Finish(), EngineOptions{});
  }
  StreamAnalyzer stream(EngineOptions{}, {}, [&](const ParsedInput& in, const std::vector<Finding>& fs) {
    ++r.stream_units;
    for (const Finding& f : fs) {
      // Every finding indexes what the sink was given.
      if (f.incident >= 0) { EXPECT_NE(in.IncidentAt(f.incident), nullptr) << Key(f); }
      if (f.pod >= 0) { EXPECT_LT(static_cast<size_t>(f.pod), in.pods.size()) << Key(f); }
      r.stream.push_back(f);
    }
  });
  ParseOptions o;
  o.on_incident = [&](ParsedInput& in) { stream.OnIncident(in); };
  o.on_pod = [&](ParsedInput& in) { stream.OnPod(in); };
  Parser p(o);
  p.AddText(name, text);
  std::unique_ptr<ParsedInput> in = p.Finish();
  stream.Finish(*in);
  return r;
}

// The batch run folds identical findings (same fingerprint) into the first;
// the stream reports each as it happens. Folded the same way, the two must
// be the same list.
std::vector<std::string> Folded(const std::vector<Finding>& fs) {
  std::map<std::string, std::string> first;  // fingerprint -> key
  std::vector<std::string> out;
  for (const Finding& f : fs) {
    if (first.emplace(f.fingerprint, Key(f)).second) out.push_back(Key(f));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Keys(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const Finding& f : fs) out.push_back(Key(f));
  std::sort(out.begin(), out.end());
  return out;
}

class StreamEqualsBatch : public testing::TestWithParam<std::filesystem::path> {};

TEST_P(StreamEqualsBatch, SameFindingsAndIncidentNumbers) {
  std::string text = test_inputs::ReadInput(GetParam());
  std::string name = std::filesystem::relative(GetParam(), test_inputs::TestdataDir()).generic_string();
  Runs r = RunBoth(name, text);
  EXPECT_EQ(Keys(r.batch), Folded(r.stream));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, StreamEqualsBatch, testing::ValuesIn(test_inputs::FilesUnder(test_inputs::FixturesDir())),
                         [](const testing::TestParamInfo<std::filesystem::path>& i) {
                           return test_inputs::ParamName(
                               std::filesystem::relative(i.param, test_inputs::FixturesDir()).generic_string());
                         });

// An alerting pipeline behind --follow pages once per finding: a pod
// description (a real paste: OOMKilled, 230 restarts) followed by three
// crashes (a real capture, three times) is one OOMKilled finding and one
// crash finding per crash, numbered 0, 1, 2 -- not the OOMKilled finding
// again with every crash.
TEST(Stream, DescribeThenThreeCrashesReportsThePodOnce) {
  std::string describe = test_inputs::ReadInput(test_inputs::CorpusDir() / "dumps/14-kyma3195-prometheus-oomkilled-describe.txt");
  std::string crash = test_inputs::ReadInput(test_inputs::FixturesDir() / "nil-deref.go126.txt");
  std::string text = describe + "\n" + crash + crash + crash;
  Runs r = RunBoth("describe-then-crashes", text);

  auto ids = [](const std::vector<Finding>& fs, std::string_view id) {
    std::vector<int> incidents;
    for (const Finding& f : fs)
      if (f.rule_id == id) incidents.push_back(f.incident);
    return incidents;
  };
  EXPECT_EQ(ids(r.batch, "GT3001"), std::vector<int>{-1});
  EXPECT_EQ(ids(r.batch, "GT1003"), std::vector<int>{0});
  ASSERT_EQ(r.batch.size(), 2u) << Keys(r.batch).front();
  for (const Finding& f : r.batch)
    if (f.rule_id == "GT1003") { EXPECT_EQ(f.occurrences, 3u); }

  EXPECT_EQ(ids(r.stream, "GT3001"), std::vector<int>{-1});
  EXPECT_EQ(ids(r.stream, "GT1003"), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(r.stream.size(), 4u);
  EXPECT_EQ(r.stream_units, 4u);  // the pod, then each crash
  EXPECT_EQ(Keys(r.batch), Folded(r.stream));
}

}  // namespace
}  // namespace gotriage
