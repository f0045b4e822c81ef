// `gotriage diff` and `--baseline` on real snapshots: testdata/overtime,
// captured from testdata/gen/overtime with Go 1.26 (its own loopback
// net/http/pprof, debug=1, debug=2 and protobuf, seconds or a minute apart).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/app.h"
#include "tests/support/run_cli_test_util.h"
#include "cli/diff.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;
const std::string kDir = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/overtime/";

std::vector<std::string> Series(const std::string& mode, int debug, int n) {
  std::vector<std::string> v;
  // debug 0: the protobuf form, as /debug/pprof/goroutine serves it.
  for (int i = 1; i <= n; ++i)
    v.push_back(kDir + mode + (debug ? "-debug" + std::to_string(debug) : std::string("-proto")) + "-s" +
                std::to_string(i) + (debug ? ".txt" : ".pb.gz"));
  return v;
}

DiffResult Diff(const std::vector<std::string>& paths, bool baseline = false) {
  DiffResult r;
  std::string e;
  DiffOptions o;
  o.baseline = baseline;
  EXPECT_TRUE(DiffSnapshots(paths, o, &r, &e)) << e;
  return r;
}

// Standard output then standard error, as a terminal shows them.
int RunCli(std::vector<std::string> args, std::string* out) {
  std::string o, e;
  int rc = test_cli::RunCli(std::move(args), &o, &e);
  *out = o + e;
  return rc;
}

TEST(Diff, GrowingLeakIsNamedWithItsGrowthInEveryForm) {
  for (int debug : {0, 1, 2}) {
    DiffResult r = Diff(Series("leak", debug, 4));
    ASSERT_FALSE(r.findings.empty()) << debug;
    const Finding& f = r.findings.front();
    EXPECT_EQ(f.rule_id, "GT2003");
    ASSERT_TRUE(f.culprit);
    EXPECT_EQ(f.culprit->function, "main.(*Notifier).publish");
    EXPECT_NE(f.summary.find("goroutines in"), std::string::npos) << f.summary;
    EXPECT_NE(f.summary.find("main.(*Notifier).publish"), std::string::npos);
    if (debug == 2) {
      EXPECT_NE(f.summary.find("created by main.(*Notifier).Notify"), std::string::npos) << f.summary;
    }
    const DiffGroup& top = r.groups.front();
    EXPECT_TRUE(top.grew_every_step);
    EXPECT_GT(top.counts.back(), top.counts.front() + 100) << f.summary;
    // One leak: the pool and the runtime's own goroutines stay out.
    EXPECT_EQ(r.findings.size(), 1u) << r.findings.back().summary;
    // Fix steps fitted to the evidence as in a report: no `[if ...]`
    // markers, and no HTTP-client advice for a channel-send leak.
    ASSERT_FALSE(f.remediation.steps.empty());
    for (const std::string& st : f.remediation.steps) {
      EXPECT_NE(st.rfind("[if ", 0), 0u) << st;
      EXPECT_EQ(st.find("http.Client"), std::string::npos) << st;
    }
  }
  // Mixed forms: debug=1 then debug=2 snapshots still match by signature,
  // and the fingerprint is the single-dump GT2003 one.
  DiffResult mixed = Diff({kDir + "leak-debug1-s1.txt", kDir + "leak-debug2-s2.txt", kDir + "leak-debug1-s3.txt",
                           kDir + "leak-debug2-s4.txt"});
  ASSERT_FALSE(mixed.findings.empty());
  EXPECT_EQ(mixed.findings.front().culprit->function, "main.(*Notifier).publish");
  EXPECT_EQ(mixed.findings.front().fingerprint, Diff(Series("leak", 2, 4)).findings.front().fingerprint);
  // The protobuf series (another run) gives that fingerprint too.
  EXPECT_EQ(Diff(Series("leak", 0, 4)).findings.front().fingerprint, mixed.findings.front().fingerprint);
}

TEST(Diff, HealthyServerUnderVaryingLoadIsNoLeak) {
  for (int debug : {0, 1, 2}) {
    DiffResult r = Diff(Series("healthy", debug, 4));
    for (const Finding& f : r.findings) ADD_FAILURE() << debug << ": " << f.summary;
    // The load did move: some group went up and down.
    bool moved = false;
    for (const DiffGroup& g : r.groups) moved = moved || (g.status != "same" && !g.grew_every_step);
    EXPECT_TRUE(moved);
  }
}

TEST(Diff, CallWithoutTimeoutShowsItsWaitGrowing) {
  DiffResult r = Diff(Series("httpwait", 2, 3));
  EXPECT_EQ(r.time_basis, "wait minutes");
  ASSERT_TRUE(r.elapsed_seconds);
  EXPECT_GE(*r.elapsed_seconds, 120);
  ASSERT_FALSE(r.findings.empty());
  const Finding& f = r.findings.front();
  ASSERT_TRUE(f.culprit);
  EXPECT_EQ(f.culprit->function, "main.(*InventoryClient).Reserve") << f.summary;
  EXPECT_NE(f.summary.find("oldest wait grew"), std::string::npos) << f.summary;
  // The idle worker pool's wait grows too, but it waits for work.
  for (const Finding& o : r.findings) EXPECT_NE(o.culprit->function, "main.(*Pool).worker") << o.summary;
}

TEST(Diff, TimeFromMtimesElsePerStep) {
  DiffResult r = Diff(Series("leak", 2, 4));
  // In a checkout the files' mtimes are not the capture times.
  if (r.time_basis == "per step") {
    EXPECT_NE(r.findings.front().summary.find("per step"), std::string::npos);
  }
  fs::path tmp = fs::temp_directory_path() / ("gotriage-diff-" + std::to_string(getpid()));
  fs::create_directories(tmp);
  std::vector<std::string> copies;
  int i = 0;
  for (const std::string& p : Series("leak", 2, 4)) {
    fs::path c = tmp / fs::path(p).filename();
    fs::copy_file(p, c, fs::copy_options::overwrite_existing);
    struct utimbuf t{1700000000 + 3600 * i, 1700000000 + 3600 * i};  // an hour apart
    utime(c.c_str(), &t);
    copies.push_back(c.string());
    ++i;
  }
  DiffResult m = Diff(copies);
  EXPECT_EQ(m.time_basis, "file mtimes");
  ASSERT_TRUE(m.elapsed_seconds);
  EXPECT_EQ(*m.elapsed_seconds, 3 * 3600);
  EXPECT_NE(m.findings.front().summary.find(" in 3h, "), std::string::npos) << m.findings.front().summary;
  EXPECT_NE(m.findings.front().summary.find("/h"), std::string::npos);
  fs::remove_all(tmp);
}

TEST(Diff, EveryFormatAndExitCode) {
  std::vector<std::string> s = Series("leak", 2, 3);
  std::string out;
  EXPECT_EQ(RunCli({"diff", s[0], s[1], s[2]}, &out), 1);
  EXPECT_NE(out.find("GT2003"), std::string::npos) << out;
  EXPECT_NE(out.find("main.(*Notifier).publish"), std::string::npos);
  EXPECT_EQ(RunCli({"diff", "--fail-on", "never", s[0], s[1], s[2]}, &out), 0);
  EXPECT_EQ(RunCli({"diff", "-f", "json", s[0], s[1], s[2]}, &out), 1);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["mode"], "diff");
  EXPECT_EQ(j["snapshots"].size(), 3u);
  EXPECT_EQ(j["findings"][0]["rule_id"], "GT2003");
  EXPECT_EQ(j["findings"][0]["fingerprint_version"], 1);
  EXPECT_EQ(j["groups"][0]["counts"].size(), 3u);
  EXPECT_EQ(RunCli({"diff", "-f", "ndjson", s[0], s[1], s[2]}, &out), 1);
  EXPECT_EQ(nlohmann::json::parse(out.substr(0, out.find('\n')))["rule_id"], "GT2003");
  EXPECT_EQ(RunCli({"diff", "-f", "sarif", s[0], s[1], s[2]}, &out), 1);
  auto sarif = nlohmann::json::parse(out);
  EXPECT_EQ(sarif["runs"][0]["results"][0]["ruleId"], "GT2003");
  EXPECT_TRUE(sarif["runs"][0]["results"][0]["partialFingerprints"].contains("gotriage/v1"));
  // html: one page, no script, a row per changed group with its counts.
  EXPECT_EQ(RunCli({"diff", "-f", "html", s[0], s[1], s[2]}, &out), 1);
  EXPECT_EQ(out.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(out.find("script-src 'none'"), std::string::npos);
  EXPECT_EQ(out.find("<script"), std::string::npos);
  EXPECT_NE(out.find("GT2003"), std::string::npos);
  EXPECT_NE(out.find("data-signature=\"" + j["groups"][0]["signature"].get<std::string>() + "\""), std::string::npos);
  std::vector<std::string> h = Series("healthy", 2, 4);
  EXPECT_EQ(RunCli({"diff", h[0], h[1], h[2], h[3]}, &out), 0) << out;
  EXPECT_EQ(RunCli({"diff", s[0]}, &out), 2);
  EXPECT_EQ(RunCli({"diff", s[0], kDir + "no-such-file.txt"}, &out), 3);
}

TEST(Baseline, GrowthSinceTheBaselineFailsTheJob) {
  std::string out;
  EXPECT_EQ(RunCli({"--baseline", kDir + "leak-debug2-s1.txt", kDir + "leak-debug2-s2.txt"}, &out), 1) << out;
  EXPECT_NE(out.find("main.(*Notifier).publish"), std::string::npos) << out;
  EXPECT_EQ(RunCli({"--baseline", kDir + "leak-debug2-s1.txt", "-f", "json", kDir + "leak-debug1-s3.txt"}, &out), 1);
  EXPECT_EQ(nlohmann::json::parse(out)["findings"][0]["culprit"]["function"], "main.(*Notifier).publish");
  // The same state against itself: nothing grew.
  EXPECT_EQ(RunCli({"--baseline", kDir + "healthy-debug2-s1.txt", kDir + "healthy-debug2-s1.txt"}, &out), 0) << out;
  EXPECT_EQ(RunCli({"--baseline", kDir + "leak-debug2-s1.txt", kDir + "leak-debug2-s2.txt", "--fail-on", "never"}, &out), 0);
}

}  // namespace
}  // namespace gotriage
