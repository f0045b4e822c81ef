// Text output for binary profiles: positions are sample numbers and the
// output says so, never "input line".
#include <gtest/gtest.h>

#include <sstream>

#include "cli/render.h"
#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

const std::string kDir = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/profiles/";

std::string Text(std::initializer_list<std::string> names) {
  Parser p(ParseOptions{});
  for (const std::string& n : names) p.AddFile(kDir + n, nullptr);
  auto in = p.Finish();
  auto findings = Analyze(*in, EngineOptions{});
  std::ostringstream os;
  RenderText(*in, findings, RenderOptions{}, os);
  return os.str();
}

TEST(ProfileRender, BinaryPositionsAreSamplesNotLines) {
  std::string t = Text({"leak-go126/goroutine.pb.gz"});
  EXPECT_NE(t.find("1 binary profile"), std::string::npos) << t;
  // The leak is one sample (evidence positions are a set since the trust
  // branch: no repeated "1, 1"), so singular.
  EXPECT_NE(t.find("; profile sample 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("goroutine.pb.gz: samples 1-"), std::string::npos) << t;
  EXPECT_EQ(t.find("input line"), std::string::npos) << t;
  // Its debug=1 twin still speaks of lines.
  EXPECT_NE(Text({"leak-go126/goroutine.debug1.txt"}).find("input lines"), std::string::npos);
}

// JSON marks the incidents whose positions are sample numbers; a text
// listing of the same samples (pprof -traces) speaks of lines.
TEST(ProfileRender, JsonMarksSamplePositions) {
  for (auto [name, binary] : {std::pair<const char*, bool>{"gc-churn/cpu.pb.gz", true},
                              std::pair<const char*, bool>{"gc-churn/cpu.traces.txt", false}}) {
    Parser p(ParseOptions{});
    ASSERT_TRUE(p.AddFile(kDir + name, nullptr)) << name;
    auto in = p.Finish();
    ASSERT_EQ(in->incidents.size(), 1u) << name;
    nlohmann::json j = IncidentJson(in->incidents[0], 10);
    EXPECT_EQ(j.contains("positions"), binary) << name;
    if (binary) { EXPECT_EQ(j["positions"], "samples"); }
  }
}

TEST(ProfileRender, GcPressureNamesShareCulpritCallerAndRemedies) {
  std::string t = Text({"gc-churn/cpu.pb.gz", "gc-churn/allocs.pb.gz"});
  for (const char* want : {"GT2008", "garbage collection", "main.getLocalAddresses", "main.syncProxyRules",
                           "alloc_objects", "alloc_space", "Hoist", "sync.Pool", "GOMEMLIMIT"})
    EXPECT_NE(t.find(want), std::string::npos) << want << "\n" << t;
}

}  // namespace
}  // namespace gotriage
