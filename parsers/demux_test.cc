// `kubectl logs -l SELECTOR --prefix -f` output of two pods crashing together
// (a real capture: gen/replica-crash/capture.sh ran the real kubectl against
// tests/kube_standin.py), read one stream per pod (parsers/demux.h).
#include "parsers/demux.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

const std::string kInterleaved = "variants/replica-crash-pod1.go126.kubectl-prefix-interleaved.txt";
const char* kPod1 = "hitcounter-7d9c5b6f4d-x2kqp";
const char* kPod2 = "hitcounter-7d9c5b6f4d-m8zrt";

std::string Fixture(const std::string& name) { return test_inputs::ReadInput(test_inputs::FixturesDir() / name); }

// A group as the parser folded it: state, count and stack.
std::string GroupKey(const GoroutineGroup& g) {
  std::string k = std::string(g.state) + " x" + std::to_string(g.count);
  for (const Frame& f : g.representative().frames) k += " " + std::string(f.function) + ":" + std::to_string(f.line);
  return k;
}

std::multiset<std::string> Groups(const Incident& inc) {
  std::multiset<std::string> s;
  for (const GoroutineGroup& g : inc.groups) s.insert(GroupKey(g));
  return s;
}

TEST(PodDemux, InterleavedPodsParseAsIfEachWereAlone) {
  std::string text = Fixture(kInterleaved);
  // The capture really interleaves: the pod changes from one line to the next.
  size_t switches = 0;
  std::string last;
  for (size_t at = 0, nl; at < text.size(); at = nl + 1) {
    nl = text.find('\n', at);
    std::string tag = text.substr(at, text.find(']', at) - at);
    switches += !last.empty() && tag != last;
    last = tag;
  }
  ASSERT_GT(switches, 100u);
  for (bool fast : {true, false}) {
    ParseOptions o;
    o.fast_lane = fast;
    auto in = ParseText(text, o);
    ASSERT_EQ(in->incidents.size(), 2u) << "fast lane " << fast;
    EXPECT_EQ(in->lines_unplaced, 0u);
    size_t groups = 0;
    uint64_t goroutines = 0;
    std::map<std::string, const Incident*> by_pod;
    for (const Incident& inc : in->incidents) {
      groups += inc.groups.size();
      goroutines += inc.goroutine_count;
      EXPECT_EQ(inc.pod.container, "app");
      EXPECT_TRUE(inc.pod.namespace_.empty());  // a --prefix tag does not say
      by_pod[inc.pod.name] = &inc;
    }
    EXPECT_EQ(goroutines, 34u);
    EXPECT_EQ(groups, 6u);
    ASSERT_EQ(by_pod.size(), 2u);
    // Each pod's incident is what its own dump gives when read alone.
    int n = 1;
    for (const char* pod : {kPod1, kPod2}) {
      SCOPED_TRACE(pod);
      ASSERT_TRUE(by_pod.count(pod));
      auto alone = ParseText(Fixture("replica-crash-pod" + std::to_string(n++) + ".go126.txt"));
      ASSERT_EQ(alone->incidents.size(), 1u);
      const Incident& a = alone->incidents[0];
      const Incident& b = *by_pod[pod];
      EXPECT_EQ(b.kind, a.kind);
      EXPECT_EQ(b.Title(), a.Title());
      EXPECT_EQ(b.goroutine_count, a.goroutine_count);
      EXPECT_EQ(Groups(b), Groups(a));
      ASSERT_TRUE(a.crashing && b.crashing);
      EXPECT_EQ(b.crashing->id, a.crashing->id);
    }
    // Incidents in input order, whichever pod's stream ended first.
    EXPECT_LT(in->incidents[0].first_line, in->incidents[1].first_line);
  }
}

TEST(PodDemux, OnePodWithoutInterleavingIsOneStream) {
  // The kubectl-prefix variant of a single capture: one pod, as before.
  auto in = ParseText(Fixture("variants/concurrent-map-writes.go126.kubectl-prefix.txt"));
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].pod.name.empty(), false);
  EXPECT_EQ(in->lines_unplaced, 0u);
}

TEST(PodDemux, UntaggedInputHasNoPod) {
  auto in = ParseText(Fixture("replica-crash-pod1.go126.txt"));
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_TRUE(in->incidents[0].pod.empty());
}

TEST(PodDemux, KubeletLogPathNamesThePod) {
  // A CRI file as kubelet writes it, read under its path.
  std::string text = Fixture("variants/nil-deref.go126.cri.txt");
  Parser p(ParseOptions{});
  ASSERT_TRUE(p.AddText("/var/log/pods/shop_api-7f9c-2xk4q_0b1c2d3e-aaaa-bbbb-cccc-0123456789ab/app/0.log", text));
  auto in = p.Finish();
  ASSERT_FALSE(in->incidents.empty());
  for (const Incident& inc : in->incidents) {
    EXPECT_EQ(inc.pod.namespace_, "shop");
    EXPECT_EQ(inc.pod.name, "api-7f9c-2xk4q");
    EXPECT_EQ(inc.pod.container, "app");
  }
}

TEST(PodRefGrammar, PodTag) {
  PodRef p;
  EXPECT_EQ(ParsePodTag("[pod/api-1/app] panic: x", &p), 16u);
  EXPECT_EQ(p.name, "api-1");
  EXPECT_EQ(p.container, "app");
  EXPECT_EQ(ParsePodTag("[pod/api-1/app]", &p), 15u);  // an empty line, its space trimmed
  EXPECT_EQ(ParsePodTag("[pod/api-1] x"), 0u);          // no container
  EXPECT_EQ(ParsePodTag("[pod//app] x"), 0u);
  EXPECT_EQ(ParsePodTag("[pod/a b/app] x"), 0u);
  EXPECT_EQ(ParsePodTag("[pod/a/b/c] x"), 0u);
  EXPECT_EQ(ParsePodTag("[pod/a/app]x"), 0u);
  EXPECT_EQ(ParsePodTag("[signal SIGSEGV: segmentation violation]"), 0u);
}

TEST(PodRefGrammar, LogPaths) {
  PodRef p;
  ASSERT_TRUE(PodFromLogPath("/var/log/pods/kube-system_coredns-5d78c9869d-8xk2p_3f1e2d4c-1111-2222-3333-444455556666/coredns/12.log", &p));
  EXPECT_EQ(p.namespace_, "kube-system");
  EXPECT_EQ(p.name, "coredns-5d78c9869d-8xk2p");
  EXPECT_EQ(p.container, "coredns");
  p = {};
  ASSERT_TRUE(PodFromLogPath("pods/shop_api-1_uid/app/0.log.20240101-120000.gz", &p));  // rotated
  EXPECT_EQ(p.name, "api-1");
  p = {};
  ASSERT_TRUE(PodFromLogPath(
      "/var/log/containers/api-1_shop_app-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log", &p));
  EXPECT_EQ(p.namespace_, "shop");
  EXPECT_EQ(p.name, "api-1");
  EXPECT_EQ(p.container, "app");
  EXPECT_FALSE(PodFromLogPath("dump.txt", &p));
  EXPECT_FALSE(PodFromLogPath("/tmp/app/0.log", &p));
  EXPECT_FALSE(PodFromLogPath("/var/log/pods/no-underscores/app/0.log", &p));
}

}  // namespace
}  // namespace gotriage
