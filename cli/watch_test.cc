// gotriage watch's LogWatcher on a kubelet log tree in a temporary
// directory, with the real runtime's output of testdata/fixtures written as
// kubelet's CRI writer writes it. tests/fleet/watch_agent.py runs the
// command itself (rotation, kill -9, 2,000 files).
#include "cli/watch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gotriage {
namespace {

namespace fs = std::filesystem;

std::string Fixture(const std::string& name) {
  std::ifstream f(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/" + name, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// \a text as CRI lines (`TIME stderr F line`), times from \a first_second.
std::string Cri(const std::string& text, int first_second) {
  std::istringstream in(text);
  std::string line, out;
  for (int n = 0; std::getline(in, line); ++n) {
    char ts[64];
    std::snprintf(ts, sizeof ts, "2026-11-30T12:%02d:%02d.%09dZ", (first_second + n / 1000) / 60 % 60,
                  (first_second + n / 1000) % 60, n);
    out += std::string(ts) + " stderr F " + line + "\n";
  }
  return out;
}

void Append(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary | std::ios::app);
  f << text;
}

struct Seen {
  std::string source, pod, ns, container, rule;
  size_t first_line = 0;
};

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gotriage-watch-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    log_ = dir_ / "pods" / "shop_api-5c9d_0a1b2c3d" / "api" / "0.log";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<LogWatcher> Watcher(int settle_ms = 60000) {
    WatchConfig cfg;
    cfg.roots = {(dir_ / "pods").string()};
    cfg.state_file = (dir_ / "state.json").string();
    cfg.settle_ms = settle_ms;
    auto w = std::make_unique<LogWatcher>(
        cfg,
        [this](ParsedInput& in, const std::vector<Finding>& fs) {
          for (const Finding& f : fs) {
            const Incident* inc = in.IncidentAt(f.incident);
            seen_.push_back({inc ? inc->source : "", f.pod_ref.name, f.pod_ref.namespace_, f.pod_ref.container,
                             f.rule_id, inc ? inc->first_line : 0});
          }
        },
        err_);
    std::string e;
    EXPECT_TRUE(w->LoadState(&e)) << e;
    return w;
  }

  fs::path dir_, log_;
  std::vector<Seen> seen_;
  std::ostringstream err_;
};

TEST(LogFileName, KubeletNamesAndOthers) {
  LogFileName n;
  ASSERT_TRUE(ParseLogFileName("0.log", &n));
  EXPECT_EQ(n.stream, "0");
  EXPECT_EQ(n.rotation, "");
  EXPECT_FALSE(n.gz);
  ASSERT_TRUE(ParseLogFileName("3.log.20261130-120001", &n));
  EXPECT_EQ(n.stream, "3");
  EXPECT_EQ(n.rotation, "20261130-120001");
  ASSERT_TRUE(ParseLogFileName("3.log.20261130-120001.gz", &n));
  EXPECT_EQ(n.rotation, "20261130-120001");
  EXPECT_TRUE(n.gz);
  ASSERT_TRUE(ParseLogFileName("app.log", &n));
  EXPECT_EQ(n.stream, "app");
  EXPECT_FALSE(ParseLogFileName("0.log.20261130-120001.tmp", &n));  // kubelet compressing
  EXPECT_FALSE(ParseLogFileName(".0.log", &n));
  EXPECT_FALSE(ParseLogFileName("0.txt", &n));
  EXPECT_FALSE(ParseLogFileName("0.logs", &n));
  EXPECT_FALSE(ParseLogFileName("0.log.", &n));
}

// A crash in a log still written waits until the log settles; then it is
// reported once, with the pod of its path and its lines in the file.
TEST_F(WatchTest, ACrashStillWrittenWaitsThenIsReportedOnce) {
  std::string noise = Cri("2026/11/30 12:00:00 listening on :8080\n2026/11/30 12:00:01 ready\n", 0);
  std::string crash = Cri(Fixture("nil-deref.go126.txt"), 10);
  Append(log_, noise + crash);
  auto w = Watcher();
  w->Scan(false);
  EXPECT_TRUE(seen_.empty()) << "reported while the log may still grow";
  EXPECT_GE(w->NextSettleMs(), 0);
  w->Scan(true);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].rule, "GT1003");
  EXPECT_EQ(seen_[0].pod, "api-5c9d");
  EXPECT_EQ(seen_[0].ns, "shop");
  EXPECT_EQ(seen_[0].container, "api");
  EXPECT_EQ(seen_[0].source, log_.string());
  // Two lines of noise, the fixture's own log line, then `panic: ...`.
  EXPECT_EQ(seen_[0].first_line, 4u) << "lines are the log file's";
  w->Scan(true);
  EXPECT_EQ(seen_.size(), 1u) << "reported again";
}

// Read positions survive a restart: the second crash's lines are counted
// from the file's start, and the first crash is not repeated.
TEST_F(WatchTest, StateKeepsPositionsAcrossRestarts) {
  Append(log_, Cri(Fixture("nil-deref.go126.txt"), 0));
  {
    auto w = Watcher();
    w->Scan(true);
    std::string e;
    ASSERT_TRUE(w->SaveState(&e)) << e;
  }
  ASSERT_EQ(seen_.size(), 1u);
  size_t lines_before = 0;
  {
    std::ifstream f(log_);
    std::string l;
    while (std::getline(f, l)) ++lines_before;
  }
  Append(log_, Cri(Fixture("concurrent-map-writes.go126.txt"), 30));
  auto w = Watcher();
  w->Scan(true);
  ASSERT_EQ(seen_.size(), 2u);
  EXPECT_EQ(seen_[1].rule, "GT1001");
  EXPECT_GT(seen_[1].first_line, lines_before) << "lines are the file's, not the piece's";
}

// Rotation in the middle of a crash: read across the rename, reported once
// whole; the rotated file compressed later is not read again.
TEST_F(WatchTest, RotationMidCrashAndCompression) {
  std::string crash = Cri(Fixture("nil-deref.go126.txt"), 0);
  size_t half = crash.find('\n', crash.size() / 2) + 1;
  Append(log_, crash.substr(0, half));
  auto w = Watcher();
  w->Scan(false);
  EXPECT_TRUE(seen_.empty());
  fs::path rotated = log_.string() + ".20261130-120001";
  fs::rename(log_, rotated);
  Append(log_, crash.substr(half));
  w->Scan(true);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].rule, "GT1003");
  // kubelet compresses the rotated file: a new file with the same content.
  std::string gz = rotated.string() + ".gz";
  ASSERT_EQ(std::system(("gzip -c '" + rotated.string() + "' > '" + gz + "'").c_str()), 0);
  fs::remove(rotated);
  Append(log_, Cri("2026/11/30 12:00:05 restarted\n", 50));
  w->Scan(true);
  EXPECT_EQ(seen_.size(), 1u) << "the compressed rotation was read again";
  EXPECT_EQ(err_.str(), "");
}

// A directory name that is not UTF-8 (Linux paths are bytes) is read and
// kept in the state like any other; saving does not fail.
TEST_F(WatchTest, PathThatIsNotUtf8) {
  fs::path log = dir_ / "pods" / "ns_pod-x2kqp_0a1b" / "app\xff\xfe" / "0.log";
  Append(log, Cri(Fixture("nil-deref.go126.txt"), 0));
  auto w = Watcher();
  w->Scan(true);
  ASSERT_EQ(seen_.size(), 1u);
  std::string e;
  EXPECT_TRUE(w->SaveState(&e)) << e;
  auto again = Watcher();
  again->Scan(true);
  // The name was written with U+FFFD: that stream is read again after a
  // restart (said here so that a change to it is seen).
  EXPECT_EQ(seen_.size(), 2u);
}

// --from-end: at a first start, what the logs already hold is old; what is
// written after is reported.
TEST_F(WatchTest, FromEndSkipsWhatWasThereAtFirstStart) {
  Append(log_, Cri(Fixture("nil-deref.go126.txt"), 0));
  WatchConfig cfg;
  cfg.roots = {(dir_ / "pods").string()};
  cfg.state_file = (dir_ / "state.json").string();
  cfg.from_end = true;
  size_t n = 0;
  LogWatcher w(cfg, [&](ParsedInput& in, const std::vector<Finding>&) { n += in.incidents.size(); }, err_);
  std::string e;
  ASSERT_TRUE(w.LoadState(&e)) << e;
  w.Scan(true);
  EXPECT_EQ(n, 0u) << "the crash already in the log was reported";
  Append(log_, Cri(Fixture("concurrent-map-writes.go126.txt"), 30));
  w.Scan(true);
  EXPECT_EQ(n, 1u);
}

// A damaged state file is said, not silently replaced.
TEST_F(WatchTest, DamagedStateIsAnError) {
  fs::create_directories(dir_ / "pods");
  std::ofstream(dir_ / "state.json") << "{\"version\":1,\"streams\":{\"x\":{\"cursor\":{}}}}";
  WatchConfig cfg;
  cfg.roots = {(dir_ / "pods").string()};
  cfg.state_file = (dir_ / "state.json").string();
  LogWatcher w(cfg, [](ParsedInput&, const std::vector<Finding>&) {}, err_);
  std::string e;
  EXPECT_FALSE(w.LoadState(&e));
  EXPECT_NE(e.find("damaged"), std::string::npos) << e;
}

}  // namespace
}  // namespace gotriage
