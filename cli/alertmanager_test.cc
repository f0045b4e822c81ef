// --alertmanager: URL forms and the alert documents (delivery itself is
// tested against a real Alertmanager in tests/fleet/alertmanager.sh).
#include "cli/alertmanager.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace gotriage {
namespace {

TEST(Alertmanager, UrlForms) {
  std::string e;
  EXPECT_TRUE(ValidAlertmanagerUrl("http://127.0.0.1:9093", &e));
  EXPECT_TRUE(ValidAlertmanagerUrl("http://alertmanager.monitoring", &e));
  EXPECT_TRUE(ValidAlertmanagerUrl("http://[::1]:9093/am/", &e));
  EXPECT_FALSE(ValidAlertmanagerUrl("https://am:9093", &e));
  EXPECT_NE(e.find("https"), std::string::npos);
  EXPECT_FALSE(ValidAlertmanagerUrl("am:9093", &e));
  EXPECT_FALSE(ValidAlertmanagerUrl("http://user:pw@am:9093", &e));
  EXPECT_FALSE(ValidAlertmanagerUrl("http://am:90x3", &e));
  EXPECT_FALSE(ValidAlertmanagerUrl("http://am:9093/a b", &e));
}

TEST(Alertmanager, AlertPerFindingWithPodLabelsAndEndsAt) {
  ParsedInput in;
  in.pods.emplace_back();
  in.pods[0].name = "api-1";
  in.pods[0].namespace_ = "prod";
  in.pods[0].containers.resize(2);
  in.pods[0].containers[0].name = "sidecar";
  in.pods[0].containers[0].restart_count = 0;
  in.pods[0].containers[1].name = "app";
  in.pods[0].containers[1].restart_count = 9;
  Finding f;
  f.rule_id = "GT3003";
  f.category = "crash_loop";
  f.severity = Severity::kHigh;
  f.title = "Container restarting (crash loop)";
  f.summary = "Pod api-1 restarted 9 times";
  f.fingerprint = "0123456789abcdef";
  f.pod = 0;
  f.pod_ref = {"prod", "api-1", "app", ""};  // what Analyze fills in (rules/engine.cc StampPod)
  f.evidence.details = {"exit code 2", "bad \xff byte"};
  f.remediation.steps = {"Read the logs.", "Fix it."};
  AlertmanagerOptions o;
  nlohmann::json a = nlohmann::json::parse(AlertsJson(in, {f}, o, 1700000000));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["labels"]["alertname"], "GT3003");
  EXPECT_EQ(a[0]["labels"]["severity"], "high");
  EXPECT_EQ(a[0]["labels"]["namespace"], "prod");
  EXPECT_EQ(a[0]["labels"]["pod"], "api-1");
  EXPECT_EQ(a[0]["labels"]["container"], "app");
  EXPECT_EQ(a[0]["labels"]["fingerprint"], "0123456789abcdef");
  EXPECT_EQ(a[0]["annotations"]["remediation"], "1. Read the logs.\n2. Fix it.");
  EXPECT_EQ(a[0]["startsAt"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(a[0]["endsAt"], "2023-11-14T23:13:20Z");
  // A finding without a pod carries no pod labels.
  f.pod = -1;
  f.pod_ref = {};
  a = nlohmann::json::parse(AlertsJson(in, {f}, o, 1700000000));
  EXPECT_FALSE(a[0]["labels"].contains("pod"));
}

}  // namespace
}  // namespace gotriage
