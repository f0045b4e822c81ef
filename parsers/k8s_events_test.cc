// Event documents (kubectl get events -o json) attached to the pods listed
// before them in the same input.
#include "parsers/k8s_events.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "parsers/parse.h"

namespace gotriage {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// tests/kube/: the pod list and event list the kubectl plugin test serves.
TEST(K8sEvents, EventListAttachesToPodsByName) {
  std::string dir = std::string(GOTRIAGE_SOURCE_DIR) + "/tests/kube/";
  Parser p(ParseOptions{});
  std::string text = Slurp(dir + "crashloop-pods.json") + "\n" + Slurp(dir + "crashloop-events.json");
  p.AddText("kube", text);
  auto in = p.Finish();
  ASSERT_EQ(in->pods.size(), 3u);
  for (const PodStatus& pod : in->pods) {
    ASSERT_EQ(pod.events.size(), 1u) << pod.name;
    EXPECT_EQ(pod.events[0].reason, "BackOff");
    EXPECT_EQ(pod.events[0].type, "Warning");
    EXPECT_EQ(pod.events[0].from, "kubelet");
    EXPECT_GE(pod.events[0].count, 24);
    EXPECT_NE(pod.events[0].message.find(pod.name), std::string::npos);
  }
  EXPECT_TRUE(in->warnings.empty());
}

TEST(K8sEvents, KubectlListFormAndUnmatchedEvents) {
  std::vector<PodStatus> pods(1);
  pods[0].name = "api-1";
  pods[0].namespace_ = "prod";
  size_t unmatched = 0;
  // kubectl prints a `List` (sorted keys); events.k8s.io/v1 names its fields
  // regarding / note / series.count.
  const char* doc = R"({"apiVersion": "v1", "items": [
    {"kind": "Event", "involvedObject": {"kind": "Pod", "name": "api-1", "namespace": "prod"},
     "reason": "Unhealthy", "type": "Warning", "message": "Liveness probe failed", "count": 5,
     "source": {"component": "kubelet"}},
    {"kind": "Event", "regarding": {"kind": "Pod", "name": "api-1", "namespace": "prod"},
     "reason": "Killing", "type": "Normal", "note": "Container app failed liveness probe",
     "series": {"count": 2}, "reportingController": "kubelet"},
    {"kind": "Event", "involvedObject": {"kind": "Pod", "name": "other", "namespace": "prod"},
     "reason": "BackOff"},
    {"kind": "Event", "involvedObject": {"kind": "ReplicaSet", "name": "api-1"}, "reason": "X"}],
    "kind": "List"})";
  ASSERT_TRUE(AttachEventDocument(doc, &pods, &unmatched));
  ASSERT_EQ(pods[0].events.size(), 2u);
  EXPECT_EQ(pods[0].events[0].count, 5);
  EXPECT_EQ(pods[0].events[1].message, "Container app failed liveness probe");
  EXPECT_EQ(pods[0].events[1].count, 2);
  EXPECT_EQ(unmatched, 1u);
  // Not an event document: a pod list, or not JSON.
  EXPECT_FALSE(AttachEventDocument(R"({"kind": "PodList", "items": [{"kind": "Pod"}]})", &pods,
                                   &unmatched));
  EXPECT_FALSE(AttachEventDocument("{\"items\": [", &pods, &unmatched));
}

}  // namespace
}  // namespace gotriage
