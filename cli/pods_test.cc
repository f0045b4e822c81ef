// Every finding knows its pod, in every output format: two pods of a
// deployment crashing together, their lines interleaved by the real
// `kubectl logs -l app=hitcounter --prefix -f`
// (testdata/gen/replica-crash/capture.sh), with the pod objects of the same
// deployment (tests/kube/crashloop-pods.json, recorded API responses) that
// give the namespace and node a `[pod/NAME/CONTAINER]` tag does not carry.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/alertmanager.h"
#include "base/durations.h"
#include "cli/app.h"
#include "cli/render.h"
#include "tests/support/run_cli_test_util.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

const std::string kLogs =
    (test_inputs::FixturesDir() / "variants/replica-crash-pod1.go126.kubectl-prefix-interleaved.txt").string();
const std::string kPods = (std::filesystem::path(GOTRIAGE_SOURCE_DIR) / "tests/kube/crashloop-pods.json").string();
const char* kPod1 = "hitcounter-7d9c5b6f4d-x2kqp";
const char* kPod2 = "hitcounter-7d9c5b6f4d-m8zrt";

using test_cli::RunCli;

TEST(Pods, InterleavedPodsAreOneFindingNamingBoth) {
  std::string out;
  ASSERT_EQ(RunCli({"--format", "json", kLogs}, &out), 1);
  nlohmann::json d = nlohmann::json::parse(out);
  EXPECT_EQ(d["summary"]["lines_unplaced"], 0);
  size_t groups = 0;
  for (const auto& inc : d["incidents"]) groups += inc["groups"].size();
  EXPECT_EQ(groups, 6u);  // 3 stacks in each pod's 17 goroutines
  ASSERT_EQ(d["findings"].size(), 1u);
  const auto& f = d["findings"][0];
  EXPECT_EQ(f["rule_id"], "GT1005");
  EXPECT_EQ(f["occurrences"], 2);
  EXPECT_TRUE(f["pod"].is_string());
  EXPECT_EQ(f["container"], "app");
  ASSERT_EQ(f["pods"].size(), 2u);
  EXPECT_EQ(f["pod_count"], 2);
  std::set<std::string> pods;
  for (const auto& p : f["pods"]) pods.insert(p["pod"].get<std::string>());
  EXPECT_EQ(pods, (std::set<std::string>{kPod1, kPod2}));
}

// NDJSON lines stand alone: strings for the pod, no index into arrays they
// do not carry.
TEST(Pods, NdjsonCarriesNamesNotIndexes) {
  std::string out;
  RunCli({"--format", "ndjson", kLogs, kPods}, &out);
  std::istringstream lines(out);
  std::string line;
  int crash = 0;
  while (std::getline(lines, line)) {
    nlohmann::json f = nlohmann::json::parse(line);
    EXPECT_FALSE(f.contains("incident")) << line.substr(0, 80);
    if (f.contains("pod")) { EXPECT_TRUE(f["pod"].is_string()) << line.substr(0, 80); }
    if (f["rule_id"] == "GT1005") {
      ++crash;
      EXPECT_TRUE(f["incident_id"].is_string());
      // The pod objects complete what the tag says.
      EXPECT_EQ(f["namespace"], "shop");
      EXPECT_TRUE(f["node"] == "node-a" || f["node"] == "node-b") << f["node"];
      for (const auto& p : f["pods"]) {
        EXPECT_EQ(p["namespace"], "shop");
        EXPECT_EQ(p["container"], "app");
      }
    } else {
      // The pods' own state findings name their pod too.
      EXPECT_TRUE(f.contains("pod")) << line.substr(0, 80);
      EXPECT_EQ(f["namespace"], "shop");
    }
  }
  EXPECT_EQ(crash, 1);
}

TEST(Pods, EveryFormatShowsThePods) {
  for (const char* format : {"text", "json", "ndjson", "sarif", "github", "html"}) {
    SCOPED_TRACE(format);
    std::string out;
    RunCli({"--format", format, "--color", "never", kLogs}, &out);
    EXPECT_NE(out.find(kPod1), std::string::npos);
    EXPECT_NE(out.find(kPod2), std::string::npos);
  }
}

// --redact: the pod names a `--prefix` tag brought are names to hide too.
TEST(Pods, RedactHidesThePodsInEveryFormat) {
  for (const char* format : {"text", "json", "ndjson", "sarif", "github", "html"}) {
    SCOPED_TRACE(format);
    std::string out;
    RunCli({"--redact", "--format", format, "--color", "never", kLogs}, &out);
    EXPECT_FALSE(out.empty());
    EXPECT_EQ(out.find("hitcounter-7d9c5b6f4d"), std::string::npos);
  }
}

TEST(Pods, AlertsCarryThePodOfEveryKindOfFinding) {
  Parser p(ParseOptions{});
  std::string err;
  ASSERT_TRUE(p.AddFile(kLogs, &err)) << err;
  ASSERT_TRUE(p.AddFile(kPods, &err)) << err;
  auto in = p.Finish();
  std::vector<Finding> fs = Analyze(*in, EngineOptions{});
  nlohmann::json alerts = nlohmann::json::parse(AlertsJson(*in, fs, AlertmanagerOptions{}, 1700000000));
  ASSERT_EQ(alerts.size(), fs.size());
  bool crash = false;
  for (const auto& a : alerts) {
    const auto& l = a["labels"];
    SCOPED_TRACE(l.dump());
    EXPECT_EQ(l["namespace"], "shop");
    EXPECT_TRUE(l.contains("pod"));
    EXPECT_TRUE(l.contains("container"));
    if (l["alertname"] == "GT1005") {
      crash = true;
      // Folded from two pods: the description lists both.
      std::string d = a["annotations"]["description"];
      EXPECT_NE(d.find(kPod1), std::string::npos);
      EXPECT_NE(d.find(kPod2), std::string::npos);
    }
  }
  EXPECT_TRUE(crash);
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

// An uptime reads the same in the pod line and in the findings about it
// (FormatUptime): `2h`, `1d1h`, not `2h0m` beside `2h`.
TEST(Pods, UptimeReadsAsTheFindingsSayIt) {
  for (int64_t up : {12, 125, 7200, 7260, 90000, 93784}) {
    ParsedInput in;
    PodStatus p;
    p.name = "api-0";
    ContainerStatus c;
    c.name = "app";
    c.last_state = "Terminated";
    c.last_reason = "Error";
    c.last_exit_code = 2;
    c.last_uptime_seconds = up;
    p.containers.push_back(c);
    in.pods.push_back(p);
    std::ostringstream os;
    RenderText(in, Analyze(in, {}), RenderOptions{}, os);
    const std::string want = "after " + FormatUptime(up) + " up";
    size_t n = 0;
    for (size_t at = os.str().find(want); at != std::string::npos; at = os.str().find(want, at + 1)) ++n;
    EXPECT_GE(n, 2u) << up << ": the pod line and the GT3004 finding both say '" << want << "':\n" << os.str();
  }
}

}  // namespace
}  // namespace gotriage
