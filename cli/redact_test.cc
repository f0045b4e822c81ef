// --redact on a real capture (testdata/fixtures/custom-panic.go126.txt)
// with planted secrets in its panic message: none may reach any output
// format, and the finding, culprit and fingerprint stay the same.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/app.h"
#include "tests/support/run_cli_test_util.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;

using test_cli::RunCli;

TEST(Redact, PlantedSecretsNeverReachAnyFormat) {
  std::ifstream f(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/custom-panic.go126.txt");
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  // A real argument value: the heap pointer main.worker received, read
  // from the capture (it changes whenever the scenario is recaptured).
  const std::string frame = "\nmain.worker(";
  size_t w = text.find(frame);
  ASSERT_NE(w, std::string::npos);
  w += frame.size();
  const std::string pointer = text.substr(w, text.find_first_of(",)", w) - w);
  ASSERT_EQ(pointer.rfind("0x", 0), 0u) << pointer;
  ASSERT_GE(pointer.size(), 10u) << pointer;  // a heap address, not a small constant
  const std::vector<std::string> secrets = {
      "alice.smith@example.org", "db-7.payments.internal", "10.20.30.40",
      "sk_live_9fA2bC7dE1xYz0011", "3f9a1c2b7d8e4f6a0b1c2d3e4f5a6b7c",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", pointer};
  const std::string planted = "invoice INV-2 for alice.smith@example.org via db-7.payments.internal "
                              "(10.20.30.40) token=sk_live_9fA2bC7dE1xYz0011 hash "
                              "3f9a1c2b7d8e4f6a0b1c2d3e4f5a6b7c session eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
  size_t at = text.find("invoice INV-2");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("invoice INV-2").size(), planted);
  fs::path tmp = fs::temp_directory_path() / ("gotriage-redact-" + std::to_string(getpid()) + ".txt");
  std::ofstream(tmp) << text;

  std::string plain, red;
  RunCli({"-f", "json", tmp.string()}, &plain);
  auto pj = nlohmann::json::parse(plain);
  ASSERT_FALSE(pj["findings"].empty());
  for (const std::string& s : secrets) EXPECT_NE(plain.find(s), std::string::npos) << "not planted: " << s;

  for (const char* format : {"text", "json", "ndjson", "sarif", "github"}) {
    RunCli({"--redact", "--color", "never", "-f", format, tmp.string()}, &red);
    ASSERT_FALSE(red.empty()) << format;
    for (const std::string& s : secrets) EXPECT_EQ(red.find(s), std::string::npos) << format << " leaks " << s;
    EXPECT_NE(red.find("<email-1>"), std::string::npos) << format;
    if (std::string(format) == "json") {
      auto rj = nlohmann::json::parse(red);
      EXPECT_EQ(rj["findings"][0]["rule_id"], pj["findings"][0]["rule_id"]);
      EXPECT_EQ(rj["findings"][0]["fingerprint"], pj["findings"][0]["fingerprint"]);
      // The same code location; its argument values are redacted like any
      // address (the recaptured culprit main.validate is not inlined, so it
      // has them).
      nlohmann::json rc = rj["findings"][0]["culprit"], pc = pj["findings"][0]["culprit"];
      ASSERT_TRUE(pc.contains("args"));
      EXPECT_NE(rc["args"], pc["args"]);
      rc.erase("args");
      pc.erase("args");
      EXPECT_EQ(rc, pc);
    }
  }
  fs::remove(tmp);
}

// Label values (runtime/pprof labels in Go 1.27 headers: route, tenant)
// are redacted in every format, the findings stay the same, and --label
// still filters on the real values.
TEST(Redact, LabelValuesNeverReachAnyFormat) {
  const std::string path = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/goroutine-leak-debug2-t1.go127.txt";
  const std::vector<std::string> values = {"/v1/quote", "acme"};
  std::string plain, red;
  RunCli({"-f", "json", path}, &plain);
  for (const std::string& v : values) ASSERT_NE(plain.find(v), std::string::npos) << "not in the capture: " << v;
  auto pj = nlohmann::json::parse(plain);
  ASSERT_FALSE(pj["findings"].empty());
  for (const char* format : {"text", "json", "ndjson", "sarif", "github", "html"}) {
    RunCli({"--redact", "--color", "never", "-v", "-f", format, path}, &red);
    ASSERT_FALSE(red.empty()) << format;
    for (const std::string& v : values) EXPECT_EQ(red.find(v), std::string::npos) << format << " leaks " << v;
    if (std::string(format) == "json") {
      EXPECT_NE(red.find("<label-"), std::string::npos);
      auto rj = nlohmann::json::parse(red);
      ASSERT_EQ(rj["findings"].size(), pj["findings"].size());
      for (size_t i = 0; i < pj["findings"].size(); ++i) {
        EXPECT_EQ(rj["findings"][i]["rule_id"], pj["findings"][i]["rule_id"]);
        EXPECT_EQ(rj["findings"][i]["fingerprint"], pj["findings"][i]["fingerprint"]);
        EXPECT_EQ(rj["findings"][i]["evidence"]["goroutines_involved"],
                  pj["findings"][i]["evidence"]["goroutines_involved"]);
      }
    }
  }
  // --label filters before redaction: a real value still selects.
  std::string filtered;
  RunCli({"--redact", "--label", "tenant=t1", "-f", "json", path}, &filtered);
  auto fj = nlohmann::json::parse(filtered);
  ASSERT_FALSE(fj["findings"].empty());
  EXPECT_LT(fj["findings"][0]["evidence"]["goroutines_involved"].get<int>(),
            pj["findings"][0]["evidence"]["goroutines_involved"].get<int>());
}

}  // namespace
}  // namespace gotriage
