// The grammar of `go tool pprof -traces` and `perf report` listings; the
// whole listings (real tools' output) are tested in
// rules/profile_rules_test.cc.
#include "parsers/profile_listing.h"

#include <gtest/gtest.h>

#include "parsers/parse.h"

namespace gotriage {
namespace {

TEST(ProfileListing, TracesSeparator) {
  EXPECT_TRUE(IsTracesSeparator("-----------+-------------------------------------------------------"));
  EXPECT_FALSE(IsTracesSeparator("-----------+------ x"));
  EXPECT_FALSE(IsTracesSeparator("------------------------------------------------------------------"));
  EXPECT_FALSE(IsTracesSeparator("-----------+---"));
}

TEST(ProfileListing, PerfRows) {
  double pct = 0;
  std::string_view sym;
  ASSERT_TRUE(ParsePerfRow("    23.56%  gc-churn  gc-churn       [.] runtime.tryDeferToSpanScan", &pct, &sym));
  EXPECT_DOUBLE_EQ(pct, 23.56);
  EXPECT_EQ(sym, "runtime.tryDeferToSpanScan");
  // Children and Self: the self overhead is kept.
  ASSERT_TRUE(ParsePerfRow("    46.86%     3.32%  gc-churn  gc-churn       [.] main.getLocalAddresses", &pct, &sym));
  EXPECT_DOUBLE_EQ(pct, 3.32);
  // A bracketed shared object before the symbol's own marker.
  ASSERT_TRUE(ParsePerfRow("     0.13%     0.13%  gc-churn  [vdso]         [.] __vdso_clock_gettime", &pct, &sym));
  EXPECT_EQ(sym, "__vdso_clock_gettime");
  // perf top: no shared-object column; a kernel symbol.
  ASSERT_TRUE(ParsePerfRow("   7.10%  [kernel]  [k] _raw_spin_lock", &pct, &sym));
  EXPECT_EQ(sym, "_raw_spin_lock");
  EXPECT_FALSE(ParsePerfRow("               |--12.88%--runtime.scanSpan", &pct, &sym));
  EXPECT_FALSE(ParsePerfRow("# Overhead  Command   Shared Object  Symbol", &pct, &sym));
  EXPECT_FALSE(ParsePerfRow("    123456789.5%  x  [.] y", &pct, &sym));
  EXPECT_FALSE(ParsePerfRow("    23.56%  x  [.] ", &pct, &sym));
}

// Labels of a -traces record belong to the sample that follows them.
TEST(ProfileListing, TracesLabelsGoToTheirSample) {
  Parser p(ParseOptions{});
  p.AddText("t",
            "Type: alloc_space\n"
            "-----------+-------------------------------------------------------\n"
            "     bytes:  64B\n"
            "    5.50MB   main.a\n"
            "             main.main\n"
            "-----------+-------------------------------------------------------\n"
            "       1kB   main.b (inline)\n"
            "-----------+-------------------------------------------------------\n");
  std::unique_ptr<ParsedInput> in = p.Finish();
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  ASSERT_TRUE(inc.profile);
  const Profile& pr = *inc.profile;
  EXPECT_EQ(pr.kind, ProfileKind::kAllocs);
  ASSERT_EQ(pr.samples.size(), 2u);
  EXPECT_EQ(pr.Value(0, 0), static_cast<int64_t>(5.5 * 1024 * 1024));
  EXPECT_EQ(pr.Value(1, 0), 1024);
  ASSERT_EQ(pr.samples[0].label_count, 1u);
  EXPECT_EQ(pr.labels[pr.samples[0].first_label].key, "bytes");
  EXPECT_EQ(pr.labels[pr.samples[0].first_label].str, "64B");
  EXPECT_EQ(pr.samples[1].label_count, 0u);
  EXPECT_EQ(pr.Position(0), 4u);
  EXPECT_EQ(pr.Position(1), 7u);
  std::vector<std::string_view> frames;
  pr.ForEachFrame(1, [&](const ProfileFunction& f, int64_t) {
    frames.push_back(f.name);
    return true;
  });
  EXPECT_EQ(frames, std::vector<std::string_view>{"main.b"});
  EXPECT_EQ(inc.first_line, 2u);
  EXPECT_EQ(inc.last_line, 8u);
}

}  // namespace
}  // namespace gotriage
