// The hang, leak and GC-pressure rules on protobuf profiles written by the
// real Go runtime (testdata/fixtures/profiles, made by testdata/gen/profiles).
// A separate test rather than manifest rows: manifest.py reads text fixtures
// line by line, and these pairs need several inputs at once.
#include <gtest/gtest.h>

#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

const std::string kDir = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/profiles/";

struct ProfileRun {
  std::unique_ptr<ParsedInput> in;
  std::vector<Finding> findings;
};

ProfileRun Analyze(std::initializer_list<std::string> names) {
  Parser p(ParseOptions{});
  for (const std::string& n : names) {
    std::string err;
    EXPECT_TRUE(p.AddFile(kDir + n, &err)) << err;
  }
  ProfileRun r;
  r.in = p.Finish();
  r.findings = gotriage::Analyze(*r.in, EngineOptions{});
  return r;
}

const Finding* Find(const ProfileRun& r, std::string_view id) {
  for (const Finding& f : r.findings)
    if (f.rule_id == id) return &f;
  return nullptr;
}

TEST(ProfileRules, ProtoLeakGivesTheSameLeakFindingAsItsDebug1Twin) {
  for (const char* dir : {"leak-go126", "leakexp-go126", "leak-go127"}) {
    ProfileRun proto = Analyze({std::string(dir) + "/goroutine.pb.gz"});
    ProfileRun text = Analyze({std::string(dir) + "/goroutine.debug1.txt"});
    const Finding* p = Find(proto, "GT2003");
    const Finding* t = Find(text, "GT2003");
    ASSERT_TRUE(t) << dir;
    ASSERT_TRUE(p) << dir;
    EXPECT_EQ(p->category, t->category);
    EXPECT_EQ(p->severity, t->severity);
    ASSERT_TRUE(p->culprit && t->culprit);
    EXPECT_EQ(p->culprit->function, t->culprit->function);
    EXPECT_EQ(p->culprit->line, t->culprit->line);
    EXPECT_EQ(p->evidence.goroutines_involved, t->evidence.goroutines_involved);
  }
}

TEST(ProfileRules, GoroutineLeakProtoProfileIsALeak) {
  for (const char* dir : {"leakexp-go126", "leak-go127"}) {
    ProfileRun proto = Analyze({std::string(dir) + "/goroutineleak.pb.gz"});
    ProfileRun text = Analyze({std::string(dir) + "/goroutineleak.debug1.txt"});
    const Finding* p = Find(proto, "GT2003");
    const Finding* t = Find(text, "GT2003");
    ASSERT_TRUE(p && t) << dir;
    ASSERT_TRUE(p->culprit && t->culprit);
    EXPECT_EQ(p->culprit->function, t->culprit->function);
    EXPECT_EQ(p->severity, t->severity);
    EXPECT_EQ(p->evidence.goroutines_involved, t->evidence.goroutines_involved);
  }
}

TEST(ProfileRules, GcChurnNamesTheAllocatingFunctionAndItsCaller) {
  ProfileRun r = Analyze({"gc-churn/cpu.pb.gz", "gc-churn/allocs.pb.gz"});
  const Finding* f = Find(r, "GT2008");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->category, "gc_pressure");
  ASSERT_TRUE(f->culprit);
  EXPECT_EQ(f->culprit->function, "main.getLocalAddresses");
  EXPECT_EQ(f->culprit->kind, "app");
  ASSERT_TRUE(f->app_frame);
  EXPECT_EQ(f->app_frame->function, "main.syncProxyRules");
  EXPECT_NE(f->summary.find("alloc_objects"), std::string::npos);
  EXPECT_NE(f->summary.find("alloc_space"), std::string::npos);
  EXPECT_NE(f->summary.find("garbage collection"), std::string::npos);
  bool hoist = false;
  for (const std::string& s : f->remediation.steps) hoist |= s.find("Hoist") != std::string::npos;
  EXPECT_TRUE(hoist);
  // The order of the inputs does not matter.
  ProfileRun r2 = Analyze({"gc-churn/allocs.pb.gz", "gc-churn/cpu.pb.gz"});
  const Finding* f2 = Find(r2, "GT2008");
  ASSERT_TRUE(f2 && f2->culprit);
  EXPECT_EQ(f2->culprit->function, "main.getLocalAddresses");
}

TEST(ProfileRules, GcChurnWithOnlyACpuProfileSaysWhichProfileWouldName) {
  ProfileRun r = Analyze({"gc-churn/cpu.pb.gz"});
  const Finding* f = Find(r, "GT2008");
  ASSERT_TRUE(f);
  EXPECT_NE(f->summary.find("allocs profile"), std::string::npos);
}

TEST(ProfileRules, GcChurnWithTheHeapProfileText) {
  ProfileRun r = Analyze({"gc-churn/cpu.pb.gz", "gc-churn/heap.debug1.txt", "gc-churn/gctrace.txt"});
  const Finding* f = Find(r, "GT2008");
  ASSERT_TRUE(f);
  ASSERT_TRUE(f->culprit);
  EXPECT_EQ(f->culprit->function, "main.getLocalAddresses");
  bool trace = false;
  for (const std::string& d : f->evidence.details) trace |= d.rfind("gctrace:", 0) == 0;
  EXPECT_TRUE(trace);
  size_t n = 0;
  for (const Finding& x : r.findings) n += x.rule_id == "GT2008";
  EXPECT_EQ(n, 1u);  // CPU samples preferred: one finding, gctrace as evidence
}

TEST(ProfileRules, GcTraceAloneShowsTheChurn) {
  ProfileRun r = Analyze({"gc-churn/gctrace.txt"});
  const Finding* f = Find(r, "GT2008");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kMedium);
  EXPECT_NE(f->summary.find("allocs profile"), std::string::npos);
  ProfileRun r2 = Analyze({"gc-churn/gctrace.txt", "gc-churn/allocs.pb.gz"});
  const Finding* f2 = Find(r2, "GT2008");
  ASSERT_TRUE(f2 && f2->culprit);
  EXPECT_EQ(f2->culprit->function, "main.getLocalAddresses");
}

TEST(ProfileRules, BusyButHealthyProfilesStayQuiet) {
  for (const char* name : {"cpu-bound/cpu.pb.gz", "healthy-server/goroutine.pb.gz"}) {
    ProfileRun r = Analyze({name});
    ASSERT_EQ(r.in->incidents.size(), 1u) << name;
    for (const Finding& f : r.findings) EXPECT_EQ(f.severity, Severity::kInfo) << name << ": " << f.rule_id;
  }
}

}  // namespace
}  // namespace gotriage
