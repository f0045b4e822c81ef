// Tests of the `kubectl describe pod` / `get pod -o json|yaml` parser on
// the describe-then-logs variant of the seed incident's reproducer, the
// corpus pastes, and kubectl-shaped documents.
//
// Over 600 lines: one test per describe section and document shape
// (Events table, last state, probes, `get pods` tables, JSON and YAML
// objects, objects in a log stream), sharing the fixture loaders at the top.
#include "parsers/describe.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

const std::string kCorpusDumps = test_inputs::CorpusDir().string() + "/dumps/";

std::unique_ptr<ParsedInput> ParseFile(const std::string& path) {
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(path, &err)) << err;
  return p.Finish();
}

TEST(ParseK8sTime, DescribeAndRfc3339) {
  int64_t a, b;
  ASSERT_TRUE(ParseK8sTime("Wed, 25 Dec 2024 05:12:12 +0800", &a));
  ASSERT_TRUE(ParseK8sTime("Wed, 25 Dec 2024 08:44:16 +0800", &b));
  EXPECT_EQ(b - a, 3 * 3600 + 32 * 60 + 4);
  ASSERT_TRUE(ParseK8sTime("2024-12-25T00:44:16Z", &a));
  EXPECT_EQ(a, b);  // 08:44:16 +0800 is 00:44:16 UTC
  ASSERT_TRUE(ParseK8sTime("2024-12-25T02:44:16.5+02:00", &a));
  EXPECT_EQ(a, b);
  ASSERT_TRUE(ParseK8sTime("Mon, 31 Aug 2020 16:32:42 -0500", &a));
  ASSERT_TRUE(ParseK8sTime("31 Aug 2020 21:32:42 +0000", &b));
  EXPECT_EQ(a, b);
  EXPECT_FALSE(ParseK8sTime("yesterday", &a));
  EXPECT_FALSE(ParseK8sTime("", &a));
}

// The form of the seed incident, rebuilt from our own reproducer: `kubectl
// describe pod` of the restarting pod, then `kubectl logs --previous` with the
// real crash (testdata/variants makes it from seed-shared-client's capture).
const std::string kDescribeThenLogs =
    test_inputs::FixturesDir().string() + "/variants/seed-shared-client.go126.describe-logs.txt";

void ExpectDescribedPod(const ParsedInput& in) {
  ASSERT_EQ(in.pods.size(), 1u);
  const PodStatus& p = in.pods[0];
  EXPECT_EQ(p.name, "catalogsvc-5f7b9c6d48-tq8zn");
  EXPECT_EQ(p.namespace_, "shop");
  EXPECT_EQ(p.node, "worker-3");
  EXPECT_EQ(p.status, "Running");
  EXPECT_EQ(p.format, "describe");
  EXPECT_EQ(p.first_line, 2u);      // after the `$ kubectl describe` prompt
  EXPECT_TRUE(p.events.empty());   // `Events: <none>`
  ASSERT_EQ(p.containers.size(), 1u);
  const ContainerStatus& c = p.containers[0];
  EXPECT_EQ(c.name, "catalogsvc");
  EXPECT_EQ(c.state, "Running");
  EXPECT_EQ(c.state_started, "Mon, 23 Nov 2026 12:00:03 +0000");
  EXPECT_EQ(c.last_state, "Terminated");
  EXPECT_EQ(c.last_reason, "Error");
  EXPECT_EQ(c.last_exit_code, 2);
  EXPECT_EQ(c.last_started, "Mon, 23 Nov 2026 09:47:15 +0000");
  EXPECT_EQ(c.last_finished, "Mon, 23 Nov 2026 12:00:00 +0000");
  EXPECT_EQ(c.last_uptime_seconds, 2 * 3600 + 12 * 60 + 45);
  EXPECT_TRUE(c.ready);
  EXPECT_EQ(c.restart_count, 6);
  EXPECT_EQ(c.cpu_limit, "2");
  EXPECT_EQ(c.memory_limit, "512Mi");
  EXPECT_EQ(c.cpu_request, "250m");
  EXPECT_EQ(c.memory_request, "256Mi");
  EXPECT_EQ(c.liveness_timeout_seconds, 2);
  EXPECT_EQ(c.liveness_period_seconds, 20);
  EXPECT_EQ(c.liveness_failure_threshold, 3);
  EXPECT_EQ(c.readiness, "http-get http://:8080/readyz delay=5s timeout=1s period=10s #success=1 #failure=3");
  // The crash after the description is still found.
  ASSERT_EQ(in.incidents.size(), 1u);
  EXPECT_EQ(in.incidents[0].fatal_error, "concurrent map iteration and map write");
}

TEST(Describe, DescribeThenPreviousLogs) {
  auto in = ParseFile(kDescribeThenLogs);
  ExpectDescribedPod(*in);
}

// Pastes are redacted by search and replace, which can hit a key: the seed
// incident's `Exit Code` reached us as `xxxxxx Code`. The same damage on the
// same paste must give the same pod.
TEST(Describe, RedactedExitCodeKey) {
  std::string text = test_inputs::ReadInput(kDescribeThenLogs);
  size_t at = text.find("      Exit Code:    2\n");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 16, "      xxxxxx Code:");
  ASSERT_NE(text.find("      xxxxxx Code:    2\n"), std::string::npos);
  auto in = ParseText(text);
  ExpectDescribedPod(*in);
}

TEST(Describe, CorpusFragments) {
  struct Case {
    const char* file;
    const char* container;
    const char* reason;
    int exit_code;
    int restarts;
    int64_t uptime;
    const char* mem_limit;
  } cases[] = {
      {"14-kyma3195-prometheus-oomkilled-describe.txt", "prometheus", "OOMKilled", 137, 230, 124, "2Gi"},
      {"23-operatorsdk156-helm-operator-oomkilled-90Mi-describe.txt", "", "OOMKilled", 137, 1, 26, "90Mi"},
      {"25-starburst1-running-500Mi-healthy-describe.txt", "", "", -1, 0, -1, "500Mi"},
      {"31-cnpg4157-controller-exit-code-2-describe.txt", "", "Error", 2, -1, 29, ""},
      {"39-akash246-exit137-reason-error-memory-limit-describe.txt", "", "Error", 137, -1, 6229, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto in = ParseFile(kCorpusDumps + c.file);
    ASSERT_EQ(in->pods.size(), 1u);
    ASSERT_EQ(in->pods[0].containers.size(), 1u);
    const ContainerStatus& s = in->pods[0].containers[0];
    EXPECT_EQ(s.name, c.container);
    EXPECT_EQ(s.last_reason, c.reason);
    EXPECT_EQ(s.last_exit_code, c.exit_code);
    EXPECT_EQ(s.restart_count, c.restarts);
    EXPECT_EQ(s.last_uptime_seconds, c.uptime);
    EXPECT_EQ(s.memory_limit, c.mem_limit);
    EXPECT_TRUE(in->incidents.empty());
  }
}

TEST(Describe, EventsTable) {
  auto in = ParseFile(kCorpusDumps + "26-ingressnginx8790-liveness-kill-events-describe.txt");
  ASSERT_EQ(in->pods.size(), 1u);
  const auto& ev = in->pods[0].events;
  ASSERT_EQ(ev.size(), 7u);
  EXPECT_EQ(ev[3].type, "Normal");
  EXPECT_EQ(ev[3].reason, "Killing");
  EXPECT_EQ(ev[3].age, "9m44s (x2 over 10m)");
  EXPECT_EQ(ev[3].count, 2);
  EXPECT_EQ(ev[3].from, "kubelet");
  EXPECT_EQ(ev[3].message, "Container nginx-ingress-controller failed liveness probe, will be restarted");
  EXPECT_EQ(ev[3].input_line, 10u);
  EXPECT_EQ(ev[4].count, 10);
  EXPECT_EQ(ev[6].reason, "BackOff");
  EXPECT_EQ(ev[6].count, 1);
}

const char kTwoPods[] = R"(Name:             api-1
Namespace:        shop
Node:             node-a/10.0.0.1
Status:           Running
Init Containers:
  migrate:
    Container ID:  containerd://aa
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
    Ready:          True
    Restart Count:  0
Containers:
  app:
    Container ID:   containerd://bb
    Image:          shop/api:1.2
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    2
      Started:      2024-12-25T08:00:00Z
      Finished:     2024-12-25T08:00:07Z
    Ready:          False
    Restart Count:  7
    Limits:
      memory:  256Mi
    Requests:
      cpu:     100m
      memory:  128Mi
    Liveness:   http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:
      cpu:  not-a-limit
  sidecar:
    Container ID:   containerd://cc
    State:          Running
      Started:      Wed, 25 Dec 2024 08:00:00 +0000
    Ready:          True
    Restart Count:  0
Conditions:
  Type              Status
  Ready             False
Events:
  Type     Reason   Age                  From     Message
  ----     ------   ----                 ----     -------
  Warning  BackOff  2m (x30 over 9m)     kubelet  Back-off restarting failed container app in pod api-1_shop(1234)


Name:             api-2
Namespace:        shop
Status:           Running
Containers:
  app:
    State:          Running
      Started:      Wed, 25 Dec 2024 08:00:00 +0000
    Ready:          True
    Restart Count:  0
Events:           <none>
)";

TEST(Describe, SeveralPodsInitContainersAndSections) {
  auto in = ParseText(kTwoPods);
  ASSERT_EQ(in->pods.size(), 2u);
  const PodStatus& a = in->pods[0];
  EXPECT_EQ(a.name, "api-1");
  EXPECT_EQ(a.node, "node-a");
  ASSERT_EQ(a.containers.size(), 3u);
  EXPECT_EQ(a.containers[0].name, "migrate");
  EXPECT_EQ(a.containers[0].state, "Terminated");
  EXPECT_EQ(a.containers[0].last_exit_code, 0);
  const ContainerStatus& app = a.containers[1];
  EXPECT_EQ(app.name, "app");
  EXPECT_EQ(app.image, "shop/api:1.2");
  EXPECT_EQ(app.state_reason, "CrashLoopBackOff");
  EXPECT_EQ(app.last_exit_code, 2);
  EXPECT_EQ(app.last_uptime_seconds, 7);
  EXPECT_EQ(app.restart_count, 7);
  EXPECT_EQ(app.memory_limit, "256Mi");
  EXPECT_EQ(app.cpu_limit, "");  // `cpu:` under Environment is not a limit
  EXPECT_EQ(app.memory_request, "128Mi");
  EXPECT_EQ(app.liveness_timeout_seconds, 1);
  EXPECT_EQ(a.containers[2].name, "sidecar");
  EXPECT_EQ(a.containers[2].state, "Running");
  ASSERT_EQ(a.events.size(), 1u);
  EXPECT_EQ(a.events[0].count, 30);
  const PodStatus& b = in->pods[1];
  EXPECT_EQ(b.name, "api-2");
  ASSERT_EQ(b.containers.size(), 1u);
  EXPECT_EQ(b.containers[0].restart_count, 0);
}

TEST(Describe, NameLineAloneIsNotAPod) {
  auto in = ParseText("Name: Alice\nI saw this crash yesterday.\n");
  EXPECT_TRUE(in->pods.empty());
}

const char kPodJson[] = R"({
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "catalog-7d9f8b6c5-x2k4q",
        "namespace": "shop"
    },
    "spec": {
        "containers": [
            {
                "image": "shop/catalog:1.8.2",
                "livenessProbe": {
                    "failureThreshold": 3,
                    "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                    "periodSeconds": 10,
                    "timeoutSeconds": 2
                },
                "name": "app",
                "resources": {"limits": {"memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}
            }
        ],
        "nodeName": "node-a"
    },
    "status": {
        "containerStatuses": [
            {
                "lastState": {
                    "terminated": {
                        "exitCode": 137,
                        "finishedAt": "2024-12-25T08:44:16Z",
                        "reason": "OOMKilled",
                        "startedAt": "2024-12-25T05:12:12Z"
                    }
                },
                "name": "app",
                "ready": false,
                "restartCount": 12,
                "state": {"waiting": {"message": "back-off 5m0s", "reason": "CrashLoopBackOff"}}
            }
        ],
        "phase": "Running"
    }
}
)";

void ExpectCatalogPod(const ParsedInput& in, const char* format) {
  ASSERT_EQ(in.pods.size(), 1u);
  const PodStatus& p = in.pods[0];
  EXPECT_EQ(p.format, format);
  EXPECT_EQ(p.name, "catalog-7d9f8b6c5-x2k4q");
  EXPECT_EQ(p.namespace_, "shop");
  EXPECT_EQ(p.node, "node-a");
  EXPECT_EQ(p.status, "Running");
  ASSERT_EQ(p.containers.size(), 1u);
  const ContainerStatus& c = p.containers[0];
  EXPECT_EQ(c.name, "app");
  EXPECT_EQ(c.state, "Waiting");
  EXPECT_EQ(c.state_reason, "CrashLoopBackOff");
  EXPECT_EQ(c.last_state, "Terminated");
  EXPECT_EQ(c.last_reason, "OOMKilled");
  EXPECT_EQ(c.last_exit_code, 137);
  EXPECT_EQ(c.last_uptime_seconds, 12724);
  EXPECT_EQ(c.restart_count, 12);
  EXPECT_EQ(c.memory_limit, "256Mi");
  EXPECT_EQ(c.memory_request, "128Mi");
  EXPECT_EQ(c.liveness_timeout_seconds, 2);
  EXPECT_EQ(c.liveness, "http-get http://:8080/healthz delay=0s timeout=2s period=10s #success=1 #failure=3");
}

TEST(PodDocument, Json) {
  auto in = ParseText(std::string("$ kubectl get pod catalog-7d9f8b6c5-x2k4q -o json\n") + kPodJson +
                      "fatal error: concurrent map writes\n");
  ExpectCatalogPod(*in, "json");
  EXPECT_EQ(in->pods[0].first_line, 2u);
  EXPECT_EQ(in->incidents.size(), 1u);  // what follows the document is still read
}

TEST(PodDocument, JsonList) {
  std::string list = std::string("{\n\"apiVersion\": \"v1\",\n\"items\": [\n") + kPodJson + ",\n" + kPodJson +
                     "],\n\"kind\": \"List\"\n}\n";
  auto in = ParseText(list);
  EXPECT_EQ(in->pods.size(), 2u);
}

const char kPodYaml[] = R"(apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubectl.kubernetes.io/restartedAt: "2024-12-24T16:23:07+08:00"
  name: catalog-7d9f8b6c5-x2k4q
  namespace: shop
spec:
  containers:
  - command:
    - /catalog
    - --listen=:8080
    image: shop/catalog:1.8.2
    livenessProbe:
      failureThreshold: 3
      httpGet:
        path: /healthz
        port: 8080
        scheme: HTTP
      periodSeconds: 10
      timeoutSeconds: 2
    name: app
    resources:
      limits:
        memory: 256Mi
      requests:
        cpu: 100m
        memory: 128Mi
  nodeName: node-a
status:
  conditions:
  - lastProbeTime: null
    status: "True"
    type: Initialized
  containerStatuses:
  - containerID: containerd://3f11
    lastState:
      terminated:
        containerID: containerd://2a10
        exitCode: 137
        finishedAt: "2024-12-25T08:44:16Z"
        reason: OOMKilled
        startedAt: "2024-12-25T05:12:12Z"
    name: app
    ready: false
    restartCount: 12
    started: false
    state:
      waiting:
        message: back-off 5m0s restarting failed container=app
        reason: CrashLoopBackOff
  phase: Running
)";

TEST(PodDocument, Yaml) {
  auto in = ParseText(kPodYaml);
  ExpectCatalogPod(*in, "yaml");
}

TEST(PodDocument, YamlList) {
  std::string list = "apiVersion: v1\nitems:\n";
  std::string item = kPodYaml;
  // Indent the pod under `- ` as kubectl prints a List.
  std::string indented = "- ";
  for (size_t i = 0; i < item.size(); ++i) {
    indented.push_back(item[i]);
    if (item[i] == '\n' && i + 1 < item.size()) indented += "  ";
  }
  list += indented + indented + "kind: List\nmetadata:\n  resourceVersion: \"\"\n";
  std::vector<PodStatus> pods;
  ASSERT_TRUE(ParsePodDocument(list, true, &pods));
  ASSERT_EQ(pods.size(), 2u);
  EXPECT_EQ(pods[1].containers[0].last_exit_code, 137);
}

TEST(PodDocument, OtherJsonIsIgnored) {
  auto in = ParseText("{\n  \"level\": \"info\",\n  \"msg\": \"hi\"\n}\npanic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n");
  EXPECT_TRUE(in->pods.empty());
  EXPECT_EQ(in->incidents.size(), 1u);
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

// The grammar of status fragments without their document (real pastes of
// tables and Events rows are in testdata/pastes).
TEST(PodFragment, ContainerStatusesYamlAlone) {
  auto in = ParseText(
      "containerStatuses:\n- name: app\n  lastState:\n    terminated:\n      exitCode: 137\n"
      "      reason: OOMKilled\n  restartCount: 4\n  state:\n    waiting:\n      reason: CrashLoopBackOff\n");
  ASSERT_EQ(in->pods.size(), 1u);
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  const ContainerStatus& c = in->pods[0].containers[0];
  EXPECT_EQ(c.name, "app");
  EXPECT_EQ(c.last_reason, "OOMKilled");
  EXPECT_EQ(c.last_exit_code, 137);
  EXPECT_EQ(c.restart_count, 4);
  EXPECT_EQ(c.state_reason, "CrashLoopBackOff");
}

TEST(PodFragment, LastStateYamlAlone) {
  auto in = ParseText("    lastState:\n      terminated:\n        exitCode: 137\n        reason: OOMKilled\n");
  ASSERT_EQ(in->pods.size(), 1u);
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  EXPECT_EQ(in->pods[0].containers[0].last_reason, "OOMKilled");
}

TEST(PodFragment, StatusYamlWithoutApiVersion) {
  auto in = ParseText(
      "status:\n  containerStatuses:\n  - name: app\n    lastState:\n      terminated:\n        exitCode: 2\n"
      "        reason: Error\n    restartCount: 7\n");
  ASSERT_EQ(in->pods.size(), 1u);
  EXPECT_EQ(in->pods[0].containers[0].last_exit_code, 2);
  EXPECT_EQ(in->pods[0].containers[0].restart_count, 7);
}

TEST(PodFragment, TablesNeedTheirHeader) {
  // Upper-case words that are no kubectl header start nothing.
  auto in = ParseText("NAME IS NOT A TABLE\nfoo bar\n");
  EXPECT_TRUE(in->pods.empty());
  auto ev = ParseText("Normal people write prose.\n");
  EXPECT_TRUE(ev->pods.empty());
}


// Pastes that lost the describe's indentation, from public threads
// (testdata/corpus): `Reason:` / `Exit Code:` level with `Last State:`, and
// a whole describe flush left.
const std::string kCorpus = test_inputs::CorpusDir().string() + "/";

TEST(PodFragment, LastStateFieldsLevelWithLastState) {
  // Azure/azure-service-operator#298: three lines after `error:`.
  auto in = ParseFile(kCorpus + "unseen/azure-service-operator-298-last-state-oomkilled-fragment.log");
  ASSERT_EQ(in->pods.size(), 1u);
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  const ContainerStatus& c = in->pods[0].containers[0];
  EXPECT_EQ(c.last_state, "Terminated");
  EXPECT_EQ(c.last_reason, "OOMKilled");
  EXPECT_EQ(c.last_exit_code, 137);
  // The same three lines indented 6 spaces after a blank line.
  auto in2 = ParseFile(kCorpus + "unseen/azure-databricks-operator-62-last-state-oomkilled-indented.log");
  ASSERT_EQ(in2->pods.size(), 1u);
  ASSERT_EQ(in2->pods[0].containers.size(), 1u);
  EXPECT_EQ(in2->pods[0].containers[0].last_reason, "OOMKilled");
  EXPECT_EQ(in2->pods[0].containers[0].last_exit_code, 137);
}

TEST(PodFragment, DescribeFlushLeft) {
  // kubernetes/kubernetes#93826: every line of the describe at column 0.
  auto in = ParseFile(kCorpus + "threads/67-k8s-93826-describe-flattened-indent-exit-1-restarts-19.log");
  ASSERT_EQ(in->pods.size(), 1u);
  const PodStatus& p = in->pods[0];
  EXPECT_EQ(p.name, "wordpress-5bbd7fd785-p4s9r");
  EXPECT_EQ(p.namespace_, "default");
  ASSERT_EQ(p.containers.size(), 1u);
  const ContainerStatus& c = p.containers[0];
  EXPECT_EQ(c.name, "wordpress");
  EXPECT_EQ(c.state, "Running");
  EXPECT_EQ(c.state_started, "Sun, 09 Aug 2020 12:17:29 +0530");
  EXPECT_EQ(c.last_state, "Terminated");
  EXPECT_EQ(c.last_reason, "Error");
  EXPECT_EQ(c.last_exit_code, 1);
  EXPECT_EQ(c.last_started, "Sun, 09 Aug 2020 12:12:19 +0530");
  EXPECT_EQ(c.last_finished, "Sun, 09 Aug 2020 12:16:06 +0530");
  EXPECT_TRUE(c.ready);
  EXPECT_EQ(c.restart_count, 19);
}

TEST(PodFragment, StateTerminatedAtColumnZero) {
  // kubernetes/kubernetes#131530: a container's State section as the first
  // line of the paste, its fields indented under it.
  auto in = ParseFile(kCorpus + "threads/124-k8s-131530-describe-state-oomkilled-exit-0-phase-succeeded.log");
  ASSERT_EQ(in->pods.size(), 1u);
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  const ContainerStatus& c = in->pods[0].containers[0];
  EXPECT_EQ(c.state, "Terminated");
  EXPECT_EQ(c.last_reason, "OOMKilled");
  EXPECT_EQ(c.last_exit_code, 0);
  EXPECT_EQ(c.restart_count, 0);
  // A prose line that merely starts with `State:` is not a container.
  EXPECT_TRUE(ParseText("State: idle\nReason: none\n")->pods.empty());
}

// Kubelet event messages found in lines of any other shape: a lone
// `Liveness probe failed` line, `kubectl get events` rows without their
// header, an old FailedSync event naming the backed-off container.
TEST(KubeletEventLines, LoneLivenessFailure) {
  // helm/charts#12409: the whole paste is one line.
  auto in = ParseFile(kCorpus + "threads/70-helm-charts-12409-single-liveness-failed-line.log");
  ASSERT_EQ(in->pods.size(), 1u);
  ASSERT_EQ(in->pods[0].events.size(), 1u);
  EXPECT_EQ(in->pods[0].events[0].reason, "Unhealthy");
  EXPECT_EQ(in->pods[0].events[0].message.rfind("Liveness probe failed: Get http://", 0), 0u);
  EXPECT_TRUE(in->pods[0].containers.empty());
}

// Every wording a kubelet gives a failing liveness probe is that event:
// upstream's `errored:` (the probe could not run) and OpenShift's
// ProbeError event (operator-framework/operator-marketplace#391, a lone
// `Liveness probe error: ... body:` line).
TEST(KubeletEventLines, EveryLivenessProbeWording) {
  auto in = ParseFile(kCorpus + "fresh2/C-operator-marketplace-391-liveness-probe-error-healthz-timeout.log");
  ASSERT_EQ(in->pods.size(), 1u);
  ASSERT_EQ(in->pods[0].events.size(), 1u);
  EXPECT_EQ(in->pods[0].events[0].reason, "ProbeError");
  EXPECT_EQ(in->pods[0].events[0].message.rfind("Liveness probe error: Get \"http://10.129.0.76", 0), 0u);
  auto errored = ParseText("Liveness probe errored: rpc error: code = Unknown desc = container not running\n");
  ASSERT_EQ(errored->pods.size(), 1u);
  EXPECT_EQ(errored->pods[0].events[0].reason, "Unhealthy");
  // A readiness probe, or liveness wording that is no event, is not one.
  EXPECT_TRUE(ParseText("Readiness probe error: Get \"http://x/ready\": EOF body:\n")->pods.empty());
  EXPECT_TRUE(ParseText("Liveness probe errors are logged at V(1)\n")->pods.empty());
}

TEST(KubeletEventLines, GetEventsRowsWithoutHeader) {
  // dirsigler/uptime-kuma-helm#67: `kubectl get events` rows (LAST SEEN TYPE
  // REASON OBJECT MESSAGE) with no header line; two liveness failures among
  // Created/Started/readiness rows.
  auto in = ParseFile(kCorpus + "unseen/uptime-kuma-helm-67-get-pods-restarts-ago-get-events-liveness.log");
  // The headerless `get pods -A` row before them is a pod of its own.
  ASSERT_EQ(in->pods.size(), 2u);
  EXPECT_EQ(in->pods[0].name, "uptime-kuma-helm-8568db8bfd-7w6xl");
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  EXPECT_EQ(in->pods[0].containers[0].restart_count, 174);
  const PodStatus& p = in->pods[1];
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_EQ(p.events[0].message, "Liveness probe failed: Health Check ERROR");
  EXPECT_EQ(p.events[1].message, "Liveness probe failed: command \"node extra/healthcheck.js\" timed out");
  EXPECT_EQ(p.events[0].input_line, 10u);
  // The `Killing ... failed liveness probe, will be restarted` row of a
  // describe Events table (telekom-mms/trivy-dojo-report-operator#24) keeps
  // its own parse: the table, not the loose lines.
  auto t = ParseFile(kCorpus + "unseen/trivy-dojo-24-describe-events-liveness-kill.log");
  ASSERT_EQ(t->pods.size(), 1u);
  ASSERT_EQ(t->pods[0].events.size(), 6u);
  EXPECT_EQ(t->pods[0].events[4].count, 3);
  EXPECT_EQ(t->pods[0].events[5].reason, "Killing");
}

// The same tables pasted from `kubectl logs --timestamps` (or any stream
// that stamps every line): the header's timestamp is the stream's envelope,
// so a row's own is its TIME column only beyond an envelope that long.
TEST(KubeletEventLines, TablesInATimestampedStream) {
  auto stamp = [](const std::string& text) {
    std::string out;
    std::istringstream in(text);
    int i = 0;
    for (std::string l; std::getline(in, l); ++i) {
      char ts[40];
      std::snprintf(ts, sizeof ts, "2026-03-14T09:26:10.%03d512306Z ", i % 1000);
      out += ts + l + "\n";
    }
    return out;
  };
  // flyteorg/flyteplugins#48: `kubectl get pod` (NAME READY STATUS ...).
  std::string get_pod =
      test_inputs::ReadInput(kCorpus + "threads/123-flyteplugins-48-get-pod-and-status-yaml-oomkilled-exit-0-elided.log");
  for (const std::string& text : {get_pod, stamp(get_pod)}) {
    auto in = ParseText(text);
    ASSERT_FALSE(in->pods.empty());
    EXPECT_EQ(in->pods[0].name, "fyxxs4ei");
    EXPECT_EQ(in->pods[0].status, "OOMKilled");
  }
  // inspektor-gadget#187: `get events -o custom-columns=TIME:...,REASON,MSG`.
  std::string events =
      test_inputs::ReadInput(kCorpus + "unseen/inspektor-gadget-187-get-events-custom-columns-liveness-kill.log");
  auto plain = ParseText(events), stamped = ParseText(stamp(events));
  ASSERT_EQ(plain->pods.size(), 1u);
  ASSERT_EQ(stamped->pods.size(), 1u);
  ASSERT_EQ(plain->pods[0].events.size(), stamped->pods[0].events.size());
  for (size_t k = 0; k < plain->pods[0].events.size(); ++k) {
    EXPECT_EQ(plain->pods[0].events[k].reason, stamped->pods[0].events[k].reason) << k;
    EXPECT_EQ(plain->pods[0].events[k].age, stamped->pods[0].events[k].age) << k;
    EXPECT_EQ(plain->pods[0].events[k].message, stamped->pods[0].events[k].message) << k;
  }
}

// Two pods' `kubectl get pod -o yaml` pasted one after the other without
// `---`: the second `apiVersion:` starts the second document. Before, the
// second pod's keys overwrote the first's and its OOM kill was lost
// (describe_fuzz: a prefix of the input yielded more pods than the whole).
TEST(PodDocuments, RepeatedTopLevelKeyStartsTheNextDocument) {
  auto in = ParseText(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nstatus:\n  containerStatuses:\n  - name: app\n"
      "    lastState:\n      terminated:\n        exitCode: 137\n        reason: OOMKilled\n"
      "    restartCount: 3\n"
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nstatus:\n  phase: Running\n");
  ASSERT_EQ(in->pods.size(), 2u);
  EXPECT_EQ(in->pods[0].name, "a");
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  EXPECT_EQ(in->pods[0].containers[0].last_reason, "OOMKilled");
  EXPECT_EQ(in->pods[1].name, "b");
}

TEST(KubeletEventLines, OldFailedSyncBackOffNamesTheContainer) {
  // kubernetes/kubernetes#23672 (2016): `Back-off 20s restarting failed
  // container=NAME pod=...` inside a FailedSync message.
  auto in = ParseFile(kCorpus + "threads/68-k8s-23672-failedsync-crashloopbackoff-event-line-2016.log");
  ASSERT_EQ(in->pods.size(), 1u);
  const PodStatus& p = in->pods[0];
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0].reason, "BackOff");
  ASSERT_EQ(p.containers.size(), 1u);
  EXPECT_EQ(p.containers[0].name, "c-taf-com-tlinux");
  EXPECT_EQ(p.containers[0].state_reason, "CrashLoopBackOff");
  // Today's wording names the container after a space.
  auto now = ParseText("3m   Warning   BackOff   pod/web-0   Back-off restarting failed container app in pod web-0_default(1c2)\n");
  ASSERT_EQ(now->pods.size(), 1u);
  ASSERT_EQ(now->pods[0].containers.size(), 1u);
  EXPECT_EQ(now->pods[0].containers[0].name, "app");
  // Prose about probes is not an event.
  EXPECT_TRUE(ParseText("we should configure a liveness probe for the service\n")->pods.empty());
}


// `kubectl get pods` rows pasted without their header line.
TEST(HeaderlessPodRows, AllNamespacesIndentedWithPodPrefix) {
  // open-edge-platform/geti#146: `get all -A` rows, indented, no header.
  auto in = ParseFile(kCorpus + "threads/79-geti-146-get-pods-all-namespaces-oomkilled-16-restarts-indented.log");
  ASSERT_EQ(in->pods.size(), 11u);
  const PodStatus* oom = nullptr;
  for (const PodStatus& p : in->pods)
    if (p.name == "user-directory-646bbbc878-lf4tq") oom = &p;
  ASSERT_NE(oom, nullptr);
  EXPECT_EQ(oom->namespace_, "impt");
  ASSERT_EQ(oom->containers.size(), 1u);
  EXPECT_EQ(oom->containers[0].last_reason, "OOMKilled");
  EXPECT_EQ(oom->containers[0].restart_count, 16);
  // A Job's pod that completed once is finished, not restarted.
  EXPECT_EQ(in->pods[0].name, "init-job-jobs-scheduling-policy-6fq98");
  EXPECT_EQ(in->pods[0].containers[0].state, "Terminated");
  EXPECT_EQ(in->pods[0].containers[0].last_state, "");
}

TEST(HeaderlessPodRows, HardWrappedAfterReady) {
  // hetznercloud/hcloud-cloud-controller-manager#971: the row wrapped after
  // READY, the whole session indented 4 spaces.
  auto in = ParseFile(kCorpus + "unseen/hcloud-ccm-971-indented-shell-get-pods-restarts-ago.log");
  ASSERT_EQ(in->pods.size(), 1u);
  EXPECT_EQ(in->pods[0].name, "hcloud-cloud-controller-manager-859dd76bdb-zbt6l");
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  EXPECT_EQ(in->pods[0].containers[0].state_reason, "CrashLoopBackOff");
  EXPECT_EQ(in->pods[0].containers[0].restart_count, 16);
  // A READY-like cell without a pod status after it is not a row.
  EXPECT_TRUE(ParseText("copied  1/2  files  3 done\n")->pods.empty());
  EXPECT_TRUE(ParseText("web-0  1/1\nnot a status line\n")->pods.empty());
}


// An events table row joined from CRI `P` pieces has its text and its
// timestamp in two separate buffers. Whether the time was the row's own
// once depended on which of them the heap placed first, so the same input
// parsed twice in one process gave a pod or none (fast_lane_fuzz,
// testdata/fuzz-regressions/describe-events-row-of-joined-cri-piece-*).
// Parsed with the heap shifted by allocations of every size in between,
// the answer must not move.
TEST(EventsTable, JoinedRowDoesNotDependOnTheHeap) {
  const std::string text =
      "TIME            REASON      MSG\n2026-11-23T12:00:00.00506 stderr P \txxxxxxxxxxxxxxx:3";
  std::vector<std::string> pods;
  std::vector<std::unique_ptr<std::string>> ballast;
  for (size_t shift = 0; shift < 24; ++shift) {
    ballast.push_back(std::make_unique<std::string>(shift * 7 + 1, 'b'));
    Parser p(ParseOptions{});
    p.AddText("events", text);
    auto in = p.Finish();
    std::string got = std::to_string(in->pods.size()) + "/" + std::to_string(in->lines_in_traces);
    for (const PodStatus& pod : in->pods)
      for (const auto& e : pod.events) got += "|" + e.age + "|" + e.reason;
    pods.push_back(got);
  }
  for (const std::string& got : pods) EXPECT_EQ(got, pods.front());
  EXPECT_EQ(pods.front(), "1/2|2026-11-23T12:00:00.00506|xxxxxxxxxxxxxxx:3");
}

TEST(KubeletEventLines, LoneCrashLoopBackOffReason) {
  // kubernetes/kubernetes#17460: a cloud console's container table, the
  // state on its own lines (`Waiting`, `Reason: CrashLoopBackOff`).
  auto in = ParseFile(kCorpus + "threads/69-k8s-17460-console-ui-table-crashloop-restarts-7.log");
  ASSERT_GE(in->pods.size(), 1u);
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  EXPECT_EQ(in->pods[0].containers[0].state, "Waiting");
  EXPECT_EQ(in->pods[0].containers[0].state_reason, "CrashLoopBackOff");
  EXPECT_EQ(in->pods[0].first_line, 13u);
  // Any other reason on a line of its own is not a pod.
  EXPECT_TRUE(ParseText("Reason: timeout\n")->pods.empty());
}

}  // namespace
}  // namespace gotriage
