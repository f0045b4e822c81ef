// --follow: an incident is handed over when the stream goes quiet after it,
// not only when more text or the end of the stream arrives.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "parsers/parse.h"

namespace gotriage {
namespace {

// The goroutine count manifest.py counted in a fixture (it changes when the
// fixture is recaptured).
uint64_t ManifestGoroutines(const std::string& file) {
  std::ifstream in(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/manifest.json");
  for (const auto& e : nlohmann::json::parse(in))
    if (e["file"] == file) return e["goroutines"];
  ADD_FAILURE() << file << " not in testdata/manifest.json";
  return 0;
}

TEST(Follow, IdleStreamFlushesTheOpenIncident) {
  const std::string name = "fixtures/goroutine-leak-debug2-t1.go126.txt";
  std::ifstream f(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/" + name);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string dump = ss.str();
  ASSERT_FALSE(dump.empty());
  const uint64_t goroutines = ManifestGoroutines(name);
  ASSERT_GT(goroutines, 200u);

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::atomic<bool> second_write{false};
  std::thread writer([&] {
    ssize_t n = write(fds[1], dump.data(), dump.size());
    EXPECT_EQ(n, static_cast<ssize_t>(dump.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    second_write = true;
    const char more[] = "level=info msg=\"still running\"\n";
    EXPECT_GT(write(fds[1], more, sizeof more - 1), 0);
    close(fds[1]);
  });

  ParseOptions o;
  o.idle_flush_ms = 300;
  bool flushed_before_more = false;
  size_t incidents = 0;
  o.on_incident = [&](ParsedInput& in) {
    ASSERT_EQ(in.incidents.size(), 1u);
    const Incident& inc = in.incidents.front();
    ++incidents;
    flushed_before_more = !second_write;
    EXPECT_EQ(inc.goroutine_count, goroutines);
    EXPECT_FALSE(inc.partial);
  };
  Parser p(o);
  std::string err;
  EXPECT_TRUE(p.AddFd(fds[0], "-", &err)) << err;
  writer.join();
  close(fds[0]);
  p.Finish();
  EXPECT_EQ(incidents, 1u);
  EXPECT_TRUE(flushed_before_more);
}

}  // namespace
}  // namespace gotriage
