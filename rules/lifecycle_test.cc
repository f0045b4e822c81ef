// Tests of the GT3xxx lifecycle rules and of the pod/crash correlation, on
// the describe-then-logs variant of the seed incident's reproducer, the corpus describe pastes, and describe output joined
// with real crash captures (one stream, or two inputs).
#include "rules/lifecycle.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

const std::string kCorpusDumps = test_inputs::CorpusDir().string() + "/dumps/";
const std::string kFixtures = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/";

std::string ReadFile(const std::string& path) {
  return test_inputs::ReadInput(path);  // a missing or empty input fails
}

std::unique_ptr<ParsedInput> ParseFiles(std::initializer_list<std::string> paths) {
  Parser p(ParseOptions{});
  for (const std::string& path : paths) {
    std::string err;
    EXPECT_TRUE(p.AddFile(path, &err)) << err;
  }
  return p.Finish();
}

const Finding* Find(const std::vector<Finding>& fs, std::string_view id) {
  for (const Finding& f : fs)
    if (f.rule_id == id) return &f;
  return nullptr;
}

TEST(ExitCodeMeaning, GoCodes) {
  EXPECT_NE(ExitCodeMeaning(2).find("unrecovered panic or a fatal error"), std::string::npos);
  EXPECT_NE(ExitCodeMeaning(143).find("SIGTERM"), std::string::npos);
  EXPECT_NE(ExitCodeMeaning(137).find("SIGKILL"), std::string::npos);
  EXPECT_NE(ExitCodeMeaning(1).find("error"), std::string::npos);
  EXPECT_NE(ExitCodeMeaning(130).find("signal 2"), std::string::npos);
}

// The done-when of the Kubernetes issue, on the seed incident's form rebuilt
// from our reproducer: `kubectl describe pod` then `kubectl logs --previous`
// in one paste gives one combined diagnosis.
TEST(Lifecycle, DescribeThenPreviousLogsIsOneCombinedDiagnosis) {
  auto in = ParseFiles({kFixtures + "variants/seed-shared-client.go126.describe-logs.txt"});
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  const Finding& f = fs[0];
  EXPECT_EQ(f.rule_id, "GT1001");
  ASSERT_TRUE(f.culprit);
  EXPECT_EQ(f.culprit->function, "example.com/apiclient.(*Params).DeepCopy");
  ASSERT_TRUE(f.app_frame);
  EXPECT_EQ(f.app_frame->function, "main.(*Handler).lookupStock");
  EXPECT_EQ(f.pod, 0);
  EXPECT_EQ(f.summary.rfind(
                "Pod catalogsvc-5f7b9c6d48-tq8zn, container catalogsvc restarted 6 times, last exit "
                "code 2 after 2h12m up; cause: fatal error: concurrent map iteration and map write in "
                "apiclient.(*Params).DeepCopy (dependency example.com/apiclient), entered from your code "
                "at main.go:27.",
                0),
            0u)
      << f.summary;
  bool restarts = false;
  for (const std::string& d : f.evidence.details) restarts |= d == "Restart Count 6";
  EXPECT_TRUE(restarts);
  // The crash loop is explained by the crash: no separate GT3003.
  EXPECT_EQ(Find(fs, "GT3003"), nullptr);
}

TEST(Lifecycle, CorpusDescribeCases) {
  struct Case {
    const char* file;
    const char* rule;      // expected first finding, "" for none
    const char* category;
  } cases[] = {
      {"14-kyma3195-prometheus-oomkilled-describe.txt", "GT3001", "oom_killed"},
      {"23-operatorsdk156-helm-operator-oomkilled-90Mi-describe.txt", "GT3001", "oom_killed"},
      {"25-starburst1-running-500Mi-healthy-describe.txt", "", ""},
      {"26-ingressnginx8790-liveness-kill-events-describe.txt", "GT3002", "liveness_probe_kill"},
      {"31-cnpg4157-controller-exit-code-2-describe.txt", "GT3003", "crash_loop"},
      {"39-akash246-exit137-reason-error-memory-limit-describe.txt", "GT3001", "oom_killed"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto in = ParseFiles({kCorpusDumps + c.file});
    std::vector<Finding> fs = Analyze(*in, {});
    if (c.rule[0] == 0) {
      EXPECT_TRUE(fs.empty()) << fs[0].rule_id;
      continue;
    }
    ASSERT_FALSE(fs.empty());
    EXPECT_EQ(fs[0].rule_id, c.rule);
    EXPECT_EQ(fs[0].category, c.category);
    EXPECT_EQ(fs[0].pod, 0);
    EXPECT_FALSE(fs[0].fingerprint.empty());
  }
}

TEST(Lifecycle, OomKilledSummary) {
  auto in = ParseFiles({kCorpusDumps + "14-kyma3195-prometheus-oomkilled-describe.txt"});
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].summary,
            "Container prometheus was killed by the kernel OOM killer (OOMKilled, exit code 137) at "
            "its memory limit of 2Gi, after 2m4s up; restarted 230 times, now in CrashLoopBackOff.");
}

const char kDescribe[] = R"(Name:         catalog-7d9f8b6c5-x2k4q
Namespace:    shop
Node:         node-a/10.0.0.1
Status:       Running
Containers:
  app:
    State:          Running
      Started:      Wed, 25 Dec 2024 08:44:18 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    2
      Started:      Wed, 25 Dec 2024 08:40:00 +0000
      Finished:     Wed, 25 Dec 2024 08:44:16 +0000
    Ready:          True
    Restart Count:  3
    Limits:
      memory:  256Mi
Events:         <none>
)";

// Describe output and logs in two inputs: one diagnosis.
TEST(Lifecycle, DescribeAndLogsAsTwoInputs) {
  std::string dir = ::testing::TempDir();
  // Per process: other clones' suites may run at the same time.
  std::string d = dir + "/gotriage_describe_" + std::to_string(getpid()) + ".txt";
  std::ofstream(d) << kDescribe;
  auto in = ParseFiles({d, kFixtures + "variants/concurrent-map-writes.go126.kubectl-prefix.txt"});
  std::remove(d.c_str());
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT1001");
  EXPECT_EQ(fs[0].pod, 0);
  EXPECT_EQ(fs[0].summary.rfind("Pod catalog-7d9f8b6c5-x2k4q, container app restarted 3 times, last "
                                "exit code 2 after 4m16s up; cause: fatal error: concurrent map writes in "
                                "main.(*hitCounter).record",
                                0),
            0u)
      << fs[0].summary;
  EXPECT_EQ(Find(fs, "GT3003"), nullptr);
}

// A crash loop of a panic in kubectl logs --timestamps: identical crashes
// fold into one finding with a count and first/last timestamps.
TEST(Lifecycle, CrashLoopFoldsWithTimestamps) {
  std::string trace = ReadFile(kFixtures + "nil-deref.go126.txt");
  std::string text = std::string(kDescribe);
  const char* stamps[] = {"2024-12-25T08:10:00Z", "2024-12-25T08:25:00Z", "2024-12-25T08:44:16Z"};
  for (const char* ts : stamps) {
    std::stringstream ss(trace);
    std::string line;
    while (std::getline(ss, line)) text += std::string(ts) + " " + line + "\n";
  }
  auto in = ParseText(text);
  ASSERT_EQ(in->incidents.size(), 3u);
  EXPECT_EQ(in->incidents[0].timestamp, "2024-12-25T08:10:00Z");
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].occurrences, 3u);
  EXPECT_EQ(fs[0].first_seen, "2024-12-25T08:10:00Z");
  EXPECT_EQ(fs[0].last_seen, "2024-12-25T08:44:16Z");
  EXPECT_EQ(fs[0].pod, 0);
  EXPECT_NE(fs[0].summary.find("restarted 3 times, last exit code 2"), std::string::npos);
}

// Restarts without logs: GT3003 with the exit code's meaning, and no
// correlation with a recovered panic (it did not end the process).
TEST(Lifecycle, CrashLoopWithoutCrashInLogs) {
  std::string text = std::string(kDescribe) + ReadFile(kFixtures + "nil-deref-recovered.go126.txt");
  auto in = ParseText(text);
  std::vector<Finding> fs = Analyze(*in, {});
  const Finding* loop = Find(fs, "GT3003");
  ASSERT_NE(loop, nullptr);
  EXPECT_NE(loop->summary.find("restarted 3 times, last exit code 2 after 4m16s up"), std::string::npos);
  EXPECT_NE(loop->summary.find("unrecovered panic or a fatal error"), std::string::npos);
  for (const Finding& f : fs) {
    if (f.rule_id != "GT3003") {
      EXPECT_EQ(f.pod, -1) << f.rule_id;
    }
  }
}

TEST(Lifecycle, LivenessKillWithDumpOfBlockedHandlers) {
  std::string text =
      "Name:         catalog-1\nNamespace:    shop\nContainers:\n  app:\n"
      "    State:          Running\n    Last State:     Terminated\n      Reason:       Error\n"
      "      Exit Code:    137\n    Restart Count:  2\n"
      "    Liveness:   http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n"
      "Events:\n  Type     Reason     Age                 From     Message\n"
      "  ----     ------     ----                ----     -------\n"
      "  Warning  Unhealthy  30s (x6 over 2m)    kubelet  Liveness probe failed: Get \"http://10.0.0.5:8080/healthz\": context deadline exceeded\n"
      "  Normal   Killing    30s (x2 over 2m)    kubelet  Container app failed liveness probe, will be restarted\n\n";
  text += ReadFile(kFixtures + "http-no-timeout-pool-debug2.go126.txt");
  auto in = ParseText(text);
  std::vector<Finding> fs = Analyze(*in, {});
  const Finding* f = Find(fs, "GT3002");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->summary.find("killed pod catalog-1, container app 2 times"), std::string::npos) << f->summary;
  EXPECT_NE(f->summary.find("gives up after 1s"), std::string::npos);
  EXPECT_EQ(Find(fs, "GT3001"), nullptr);  // 137 here is the probe kill, not memory
  EXPECT_EQ(Find(fs, "GT3003"), nullptr);
}

// kubernetes#6532 (2015): the event rows of early kubectl, tab-separated,
// say only `killing` / `Killing <id>`, then `created` and `started`, and
// the restarted container is killed again. That loop is the liveness
// probe's signature; one kill (a deletion, an edit) or a named reason is not.
TEST(Lifecycle, OldEventRowsOfKillAndRestartLoops) {
  auto row = [](const char* when, const char* reason, const char* msg) {
    return std::string("  ") + when + "\t" + when + "\t1\t{kubelet 127.0.0.1}\tspec.containers{nginx}\t\t\t" +
           reason + "\t\t" + msg + "\n";
  };
  std::string kill1 = row("Tue, 07 Apr 2015 12:08:30 -0700", "killing", "Killing 0b7743acd1a5");
  std::string created = row("Tue, 07 Apr 2015 12:08:31 -0700", "created", "Created with docker id 39e349fd00c1");
  std::string started = row("Tue, 07 Apr 2015 12:08:31 -0700", "started", "Started with docker id 39e349fd00c1");
  std::string kill2 = row("Tue, 07 Apr 2015 12:09:00 -0700", "killing", "Killing 39e349fd00c1");

  auto in = ParseText(kill1 + created + started + kill2);
  ASSERT_EQ(in->pods.size(), 1u);
  ASSERT_EQ(in->pods[0].events.size(), 4u);
  EXPECT_EQ(in->pods[0].events[0].reason, "Killing");
  EXPECT_EQ(in->pods[0].events[0].from, "kubelet");
  EXPECT_EQ(in->pods[0].events[0].message, "Killing 0b7743acd1a5");
  EXPECT_EQ(in->pods[0].events[0].age, "Tue, 07 Apr 2015 12:08:30 -0700");
  ASSERT_EQ(in->pods[0].containers.size(), 1u);
  EXPECT_EQ(in->pods[0].containers[0].name, "nginx");
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT3002");
  EXPECT_DOUBLE_EQ(fs[0].confidence, 0.6);
  EXPECT_NE(fs[0].summary.find("killed container nginx 2 times, starting it again in between"), std::string::npos)
      << fs[0].summary;
  // The tabwriter's padding (or a paste's) instead of tabs.
  std::string spaced = kill1 + created + started + kill2;
  for (size_t at; (at = spaced.find('\t')) != std::string::npos;) spaced.replace(at, 1, "   ");
  auto sp = ParseText(spaced);
  ASSERT_EQ(sp->pods.size(), 1u);
  EXPECT_EQ(sp->pods[0].events.size(), 4u);
  EXPECT_EQ(sp->pods[0].events[3].message, "Killing 39e349fd00c1");
  EXPECT_EQ(Analyze(*sp, {}).at(0).rule_id, "GT3002");

  // Killed once and started again (an image edit), or killed twice with no
  // start between them, or a failed postStart hook: no liveness finding.
  for (const std::string& text : {kill1 + created + started, kill1 + kill2,
                                  kill1 + row("Tue, 07 Apr 2015 12:08:30 -0700", "failedPostStartHook", "hook failed") +
                                      created + started + kill2}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(Find(Analyze(*ParseText(text), {}), "GT3002"), nullptr);
  }
}

// Three replicas of one Deployment crash-looping (the recorded API
// response tests/kube/crashloop-pods.json that kubectl_plugin.sh serves):
// one GT3003 finding naming the three pods with their restart counts.
TEST(Lifecycle, ReplicasRestartingTheSameWayAreOneFinding) {
  auto in = ParseFiles({std::string(GOTRIAGE_SOURCE_DIR) + "/tests/kube/crashloop-pods.json"});
  ASSERT_EQ(in->pods.size(), 3u);
  std::vector<Finding> fs = Analyze(*in, EngineOptions{});
  std::vector<const Finding*> loops;
  for (const Finding& f : fs)
    if (f.rule_id == "GT3003") loops.push_back(&f);
  ASSERT_EQ(loops.size(), 1u);
  const Finding& f = *loops[0];
  EXPECT_EQ(f.pod_count, 3u);
  EXPECT_EQ(f.pods.size(), 3u);
  EXPECT_NE(f.summary.find("3 pods of hitcounter-7d9c5b6f4d restarted the same way"), std::string::npos) << f.summary;
  for (std::string s : {"x2kqp, container app restarted 7 times", "m8zrt, container app restarted 6 times",
                        "q4wld, container app restarted 7 times"})
    EXPECT_NE(f.summary.find(s), std::string::npos) << s << "\n" << f.summary;
}

TEST(Lifecycle, TerminatedWithoutRestartIsGT3004) {
  auto in = ParseText(
      "Name:         job-x\nNamespace:    batch\nContainers:\n  run:\n"
      "    State:          Terminated\n      Reason:       Error\n      Exit Code:    1\n"
      "      Started:      Wed, 25 Dec 2024 08:00:00 +0000\n      Finished:     Wed, 25 Dec 2024 08:00:03 +0000\n"
      "    Ready:          False\n    Restart Count:  0\n");
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].rule_id, "GT3004");
  EXPECT_NE(fs[0].summary.find("exit code 1"), std::string::npos);
}

TEST(Lifecycle, RulesAreDocumented) {
  for (const char* id : {"GT3001", "GT3002", "GT3003", "GT3004"}) {
    const Rule* r = FindRule(id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_FALSE(r->doc().what.empty());
    EXPECT_FALSE(r->doc().fix.empty());
    EXPECT_FALSE(r->doc().before.empty());
    EXPECT_NE(ExplainRule(*r).find(id), std::string::npos);
  }
}

}  // namespace
}  // namespace gotriage
