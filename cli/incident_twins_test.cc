// Identical incidents of several inputs are held once (parsers/twins.h): the
// rules must give the same findings as with every copy held, and the key
// must fold copies of one crash from other runs and pods, not other crashes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/render.h"
#include "parsers/parse.h"
#include "parsers/twins.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Fixture(const std::string& name) { return test_inputs::ReadInput(test_inputs::FixturesDir() / name); }

std::unique_ptr<ParsedInput> ReadPaths(const std::vector<std::string>& paths, unsigned threads, bool fold) {
  ParseOptions o;
  o.fold_twins = fold;
  Parser p(o);
  std::vector<std::string> errs;
  if (threads) {
    p.AddFiles(paths, threads, &errs);
  } else {
    for (const std::string& path : paths) p.AddFile(path, nullptr);
  }
  return p.Finish();
}

// Every finding as the JSON report shows it, but for its index into the
// incidents (fewer are held when twins fold).
json Findings(const ParsedInput& in) {
  json a = json::array();
  for (const Finding& f : Analyze(in, {})) {
    json j = FindingJson(f);
    j.erase("incident");
    a.push_back(std::move(j));
  }
  return a;
}

// A fleet made of the real inputs: each as it is, then again as the log
// files of two other pods, one with a `kubectl logs --timestamps` envelope:
// the same incidents, at other lines, with other pods and timestamps.
class FleetOfRealInputs : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() / ("gotriage-twins-" + std::to_string(getpid())));
    fs::remove_all(*root_);
    paths_ = new std::vector<std::string>();
    std::vector<fs::path> inputs = test_inputs::RealInputs();
    for (const fs::path& p : inputs) paths_->push_back(p.string());
    int n = 0;
    for (int copy = 0; copy < 2; ++copy) {
      for (const fs::path& p : inputs) {
        std::string text = test_inputs::ReadInput(p);
        const bool plain = p.extension() != ".gz" && text.find('\0') == std::string::npos;
        std::string pod = "pod-" + std::to_string(n);
        fs::path dir = *root_ / "var/log/pods" / ("prod_" + pod + "_" + std::to_string(n) + "-uid") / "app";
        fs::create_directories(dir);
        fs::path file = dir / (plain ? "0.log" : "0.log" + p.extension().string());
        std::ofstream out(file, std::ios::binary);
        if (copy == 1 && plain) {
          // Three lines of the pod's own logging first, then each line with
          // a timestamp (a minute apart per pod).
          std::string ts = "2026-11-30T" + std::to_string(10 + n % 10) + ":" + std::to_string(10 + n % 50) + ":00.000000000Z ";
          for (int k = 0; k < 3; ++k) out << ts << "level=info msg=\"serving\" n=" << k << "\n";
          size_t at = 0;
          while (at < text.size()) {
            size_t nl = text.find('\n', at);
            if (nl == std::string::npos) nl = text.size();
            out << ts << std::string_view(text).substr(at, nl - at) << "\n";
            at = nl + 1;
          }
        } else {
          out << text;
        }
        paths_->push_back(file.string());
        ++n;
      }
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
    delete paths_;
  }
  static fs::path* root_;
  static std::vector<std::string>* paths_;
};
fs::path* FleetOfRealInputs::root_ = nullptr;
std::vector<std::string>* FleetOfRealInputs::paths_ = nullptr;

TEST_F(FleetOfRealInputs, FindingsAsIfEveryCopyWereHeld) {
  std::unique_ptr<ParsedInput> every = ReadPaths(*paths_, 0, false);
  const json want = Findings(*every);
  ASSERT_GT(want.size(), 100u);
  for (unsigned threads : {0u, 4u}) {
    std::unique_ptr<ParsedInput> folded = ReadPaths(*paths_, threads, true);
    // Most incidents have twins now: a third of them or fewer are held.
    EXPECT_LT(folded->incidents.size() * 2, every->incidents.size()) << threads << " threads";
    EXPECT_EQ(folded->IncidentsRead(), every->incidents.size()) << threads << " threads";
    const json got = Findings(*folded);
    if (got != want)
      ADD_FAILURE() << threads << " threads: other findings than with every copy held: "
                    << json::diff(want, got).dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 3000);
  }
}

TEST(IncidentTwins, FoldOtherInputsNotTheSameOne) {
  const std::string crash = Fixture("replica-crash-pod1.go126.txt");
  Parser p({});
  p.AddText("a.log", crash + "\nlevel=info msg=restarted\n" + crash);  // one input, the crash twice
  p.AddText("b.log", "2026-11-30T09:12:00Z level=info msg=up\n" + crash);
  p.AddText("c.log", Fixture("replica-crash-pod1.go127.txt"));  // another runtime: other lines
  std::unique_ptr<ParsedInput> in = p.Finish();
  ASSERT_EQ(in->incidents.size(), 3u);
  EXPECT_EQ(in->IncidentsRead(), 4u);
  const Incident& first = in->incidents[0];
  EXPECT_EQ(first.source, "a.log");
  ASSERT_EQ(first.twins.size(), 1u);
  EXPECT_EQ(first.twins[0].source, "b.log");
  EXPECT_EQ(first.twins[0].first_line, first.first_line + 1);
  EXPECT_EQ(first.twins[0].input, 1u);
  EXPECT_TRUE(in->incidents[1].twins.empty());  // the second of a.log
  EXPECT_EQ(in->incidents[1].source, "a.log");
  EXPECT_EQ(in->incidents[2].source, "c.log");
  EXPECT_TRUE(in->incidents[2].twins.empty());
}

TEST(IncidentTwins, KeyIsTheCrashNotTheRun) {
  // Two real runs of one binary in two pods: other goroutine IDs and
  // argument values (pointers), the same crash.
  auto key = [](const std::string& text) {
    std::unique_ptr<ParsedInput> in = ParseText(text);
    EXPECT_EQ(in->incidents.size(), 1u);
    return in->incidents.empty() ? std::string() : TwinKey(in->incidents[0]);
  };
  const std::string pod1 = Fixture("replica-crash-pod1.go126.txt"), pod2 = Fixture("replica-crash-pod2.go126.txt");
  ASSERT_NE(pod1, pod2);
  EXPECT_FALSE(key(pod1).empty());
  EXPECT_EQ(key(pod1), key(pod2));
  // What the report shows of the crash is part of it: a line, a message, a
  // goroutine's state.
  auto changed = [&](const std::string& from, const std::string& to) {
    std::string t = pod1;
    size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) t.replace(at, from.size(), to);
    return t;
  };
  EXPECT_NE(key(changed("main.go:37", "main.go:38")), key(pod1));
  EXPECT_NE(key(changed("nil map", "nil mapping")), key(pod1));
  EXPECT_NE(key(changed("[chan receive]", "[chan send]")), key(pod1));
  EXPECT_EQ(key(changed("goroutine 1 [", "goroutine 7 [")), key(pod1));
  // A profile is its numbers: never folded.
  Incident profile;
  profile.kind = IncidentKind::kProfile;
  EXPECT_EQ(TwinKey(profile), "");
}

}  // namespace
}  // namespace gotriage
