// Findings on labelled input (real go1.27.0 and go1.26.8 captures in
// testdata/fixtures/labels): the same rule and culprit as the unlabelled
// twin, with the label values in the evidence and the summary.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

std::vector<Finding> AnalyzeLabelled(const std::string& name) {
  Parser p{ParseOptions()};
  std::string err;
  EXPECT_TRUE(p.AddFile(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/labels/" + name, &err)) << err;
  auto in = p.Finish();
  return Analyze(*in, EngineOptions{});
}

const Finding* Rule(const std::vector<Finding>& fs, const std::string& id) {
  for (const Finding& f : fs)
    if (f.rule_id == id) return &f;
  return nullptr;
}

uint64_t LabelCount(const Finding& f, const std::string& k, const std::string& v) {
  for (const LabelValueCount& l : f.evidence.labels)
    if (l.key == k && l.value == v) return l.count;
  return 0;
}

// The labelled leak dump names the leaking function and the label values;
// so does the Go 1.26 tracebacklabels form, and the goroutineleak profile
// (with certainty, from `(leaked)`).
TEST(LabelledFindings, LeakNamesTheFunctionAndTheLabels) {
  for (const char* name : {"leak-debug2.go127.txt", "leak-debug2-tracebacklabels.go126.txt",
                           "leak-profile.go127.txt", "leak-profile-tracebacklabels.go126.txt"}) {
    SCOPED_TRACE(name);
    auto fs = AnalyzeLabelled(name);
    const Finding* f = Rule(fs, "GT2003");
    ASSERT_NE(f, nullptr);
    ASSERT_TRUE(f->culprit.has_value());
    EXPECT_EQ(f->culprit->function, "main.fetchStock.func1");
    EXPECT_EQ(f->evidence.labelled, f->evidence.goroutines_involved);
    EXPECT_EQ(LabelCount(*f, "tenant", "t1"), f->evidence.goroutines_involved);
    EXPECT_EQ(LabelCount(*f, "route", "/v1/orders"), f->evidence.goroutines_involved);
    EXPECT_GT(LabelCount(*f, "user", "a b\"c, x}"), 0u);
    EXPECT_NE(f->summary.find("all " + std::to_string(f->evidence.goroutines_involved) +
                              " carry route=/v1/orders, tenant=t1"),
              std::string::npos)
        << f->summary;
    if (std::string(name).find("profile") != std::string::npos) { EXPECT_GE(f->confidence, 0.95); }
  }
  // The unlabelled twin: the same finding and culprit, no labels.
  auto twin = AnalyzeLabelled("leak-debug2-nolabels.go127.txt");
  const Finding* t = Rule(twin, "GT2003");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->culprit->function, "main.fetchStock.func1");
  EXPECT_EQ(t->evidence.labelled, 0u);
}

// A labelled crash names the same culprit as the same crash unlabelled, and
// the crashing goroutine's labels.
TEST(LabelledFindings, CrashesKeepTheirCulprit) {
  struct Case {
    const char* labelled;
    const char* twin;
    const char* rule;
    const char* tenant;
  } cases[] = {
      {"concurrent-map-writes.go127.txt", "concurrent-map-writes-nolabels.go127.txt", "GT1001", nullptr},
      {"concurrent-map-writes-tracebacklabels.go126.txt", "concurrent-map-writes-nolabels.go127.txt", "GT1001",
       nullptr},
      {"panic.go127.txt", "panic-nolabels.go127.txt", "GT1004", "a b\"c"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.labelled);
    auto fs = AnalyzeLabelled(c.labelled);
    auto twin = AnalyzeLabelled(c.twin);
    const Finding* f = Rule(fs, c.rule);
    const Finding* t = Rule(twin, c.rule);
    ASSERT_NE(f, nullptr);
    ASSERT_NE(t, nullptr);
    ASSERT_TRUE(f->culprit.has_value());
    ASSERT_TRUE(t->culprit.has_value());
    EXPECT_EQ(f->culprit->function, t->culprit->function);
    EXPECT_EQ(f->culprit->line, t->culprit->line);
    EXPECT_EQ(f->evidence.labelled, 1u);
    EXPECT_GT(LabelCount(*f, "route", c.rule == std::string("GT1004") ? "/v1/orders/{id}" : "/api/items"), 0u);
    if (c.tenant) { EXPECT_EQ(LabelCount(*f, "tenant", c.tenant), 1u); }
    EXPECT_NE(f->summary.find("Goroutine labels: it carries"), std::string::npos) << f->summary;
  }
}

}  // namespace
}  // namespace gotriage
