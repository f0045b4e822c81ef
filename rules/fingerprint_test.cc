// Pins fingerprint version 1 (docs/fingerprint.md): one bug keeps one
// fingerprint across Go versions (1.19 and 1.26 captures of the same
// reproducer), log envelopes (testdata/fixtures/variants) and dump forms
// (debug=1, debug=2, SIGQUIT and profile.proto of one state) and Go 1.27
// labels; different bugs keep different
// ones.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "rules/util.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/";

// The first finding of a file (its headline), or nullopt.
std::optional<Finding> Headline(const std::string& path) {
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(path, &err)) << err;
  auto in = p.Finish();
  std::vector<Finding> fs = Analyze(*in, {});
  if (fs.empty()) return std::nullopt;
  return fs.front();
}

// Reproducer name of a fixture: `nil-deref.go126.txt` -> `nil-deref`.
std::string Bug(const std::string& file) { return file.substr(0, file.find(".go1")); }

TEST(Fingerprint, SameBugAcrossGoVersionsIsOneFingerprint) {
  size_t pairs = 0;
  std::map<std::string, std::string> by_bug;  // bug -> fingerprint
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    std::string name = e.path().filename().string();
    if (name.find(".go119.txt") == std::string::npos) continue;
    std::string twin = name.substr(0, name.find(".go119.txt")) + ".go126.txt";
    if (!fs::exists(kFixtures + twin)) continue;
    auto a = Headline(kFixtures + name);
    auto b = Headline(kFixtures + twin);
    ASSERT_EQ(a.has_value(), b.has_value()) << name;
    if (!a) continue;  // a healthy program: no finding in either
    ++pairs;
    EXPECT_EQ(a->rule_id, b->rule_id) << name;
    EXPECT_EQ(a->fingerprint, b->fingerprint) << name << " vs " << twin << " (" << a->summary << " | "
                                              << b->summary << ")";
    EXPECT_EQ(a->fingerprint.size(), 16u);
    by_bug[Bug(name)] = b->fingerprint;
  }
  EXPECT_GE(pairs, 25u);
  // Different bugs, different fingerprints -- except reproducers that are
  // the same bug by design (a leak captured at t1 and t2, in two forms).
  std::map<std::string, std::string> seen;
  for (const auto& [bug, fp] : by_bug) {
    std::string family = bug.substr(0, bug.find("-debug"));
    family = family.substr(0, family.find("-sigquit"));
    // A scenario's GOTRACEBACK=crash capture (`sigquit-busy-crash`): the
    // same program stopped the same way, only the dump is more verbose.
    if (family.size() > 6 && family.ends_with("-crash")) family.resize(family.size() - 6);
    auto [it, fresh] = seen.emplace(fp, family);
    EXPECT_TRUE(fresh || it->second == family) << bug << " shares " << fp << " with " << it->second;
  }
  EXPECT_GE(seen.size(), 20u);
}

TEST(Fingerprint, EnvelopesDoNotChangeIt) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(kFixtures + "variants")) {
    std::string name = e.path().filename().string();
    size_t v = name.find(".go1");
    ASSERT_NE(v, std::string::npos) << name;
    std::string plain = name.substr(0, v + 6) + ".txt";  // nil-deref.go126.txt
    ASSERT_TRUE(fs::exists(kFixtures + plain)) << plain;
    auto a = Headline(kFixtures + plain);
    auto b = Headline(e.path().string());
    ASSERT_TRUE(a && b) << name;
    EXPECT_EQ(a->fingerprint, b->fingerprint) << name;
    ++n;
  }
  EXPECT_GE(n, 8u);
}

TEST(Fingerprint, LeakIsOneFingerprintInDebug1AndDebug2AndOverTime) {
  for (const char* go : {"go119", "go126"}) {
    std::set<std::string> fps;
    for (const char* form : {"debug1-t1", "debug2-t1", "debug1-t2", "debug2-t2"}) {
      auto f = Headline(kFixtures + "goroutine-leak-" + form + "." + go + ".txt");
      ASSERT_TRUE(f) << form;
      EXPECT_EQ(f->rule_id, "GT2003") << form;
      fps.insert(f->fingerprint);
    }
    EXPECT_EQ(fps.size(), 1u) << go;
  }
  for (const char* bug : {"persistconn-leak", "reader-leak", "healthy-worker-pool-1000"}) {
    auto a = Headline(kFixtures + bug + "-debug1.go126.txt");
    auto b = Headline(kFixtures + bug + "-debug2.go126.txt");
    ASSERT_EQ(a.has_value(), b.has_value()) << bug;
    if (a) { EXPECT_EQ(a->fingerprint, b->fingerprint) << bug; }
  }
}

TEST(Fingerprint, MessageNormalisation) {
  EXPECT_EQ(NormalizeMessage("dial tcp 10.0.3.7:5432: i/o timeout after 1.5s"),
            NormalizeMessage("dial tcp 192.168.1.20:6379: i/o timeout after 300ms"));
  EXPECT_EQ(NormalizeMessage("user \"alice\" not found (id 7f3a9c21d0e4)"),
            NormalizeMessage("user \"bob\" not found (id 0b1c2d3e4f5a)"));
  EXPECT_EQ(NormalizeMessage("bad token eyJhbGciOiJIUzI1NiJ9xyzABC123 at 0xc000123456"),
            NormalizeMessage("bad token eyJhbGciOiJIUzI1NiJ9qqqDEF456 at 0xc000999999"));
  EXPECT_NE(NormalizeMessage("index out of range"), NormalizeMessage("slice bounds out of range"));
  EXPECT_EQ(NormalizeMessage("first line\nsecond 1"), "first line");
}

TEST(Fingerprint, FramesDropRuntimeStdlibWrappersAndGenerics) {
  EXPECT_EQ(FingerprintFunction("main.Map[...](...)"), "main.Map[]");
  EXPECT_EQ(FingerprintFunction("main.Map[go.shape.int,go.shape.string]"), "main.Map[]");
  auto frame = [](const char* function, FrameKind kind) {
    Frame f;
    f.function = function;
    f.kind = kind;
    return f;
  };
  std::vector<Frame> fr{frame("main.(*S).run", FrameKind::kApp), frame("main.(*S).run-fm", FrameKind::kApp),
                        frame("net/http.HandlerFunc.ServeHTTP", FrameKind::kStdlib),
                        frame("main.handle", FrameKind::kApp)};
  EXPECT_EQ(FingerprintFrames(fr, 0), (std::vector<std::string>{"main.(*S).run", "main.handle"}));
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

// Fleet roll-up: one crash captured by different Go versions, builds
// (-trimpath) and log envelopes, given as many inputs at once, is one
// finding that counts its inputs and occurrences.
TEST(Fingerprint, ManyInputsOfOneCrashFoldToOneFinding) {
  const std::vector<std::string> files = {
      kFixtures + "nil-deref.go119.txt", kFixtures + "nil-deref.go126.txt",
      kFixtures + "nil-deref-trimpath.go126.txt", kFixtures + "variants/nil-deref.go119.docker-json.txt",
      kFixtures + "variants/nil-deref.go126.cri.txt"};
  Parser p(ParseOptions{});
  for (const std::string& f : files) {
    std::string err;
    ASSERT_TRUE(p.AddFile(f, &err)) << err;
  }
  auto in = p.Finish();
  std::vector<Finding> fs = Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(std::count_if(fs.begin(), fs.end(), [](const Finding& f) { return f.rule_id == "GT1003"; }), 1);
  const Finding& f = fs.front();
  EXPECT_EQ(f.rule_id, "GT1003");
  EXPECT_EQ(f.occurrences, files.size());
  EXPECT_EQ(f.input_count, files.size());
  EXPECT_EQ(f.input_sources.size(), files.size());
  EXPECT_NE(f.summary.find("5 times in 5 inputs"), std::string::npos) << f.summary;
  EXPECT_FALSE(f.first_seen.empty());  // the CRI and Docker envelopes carry timestamps
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

// Every finding of a file, by rule.
std::map<std::string, std::string> FingerprintsByRule(const std::string& path) {
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(path, &err)) << err;
  auto in = p.Finish();
  std::map<std::string, std::string> out;
  for (const Finding& f : Analyze(*in, {})) out.emplace(f.rule_id, f.fingerprint);
  return out;
}

// Go 1.27 prints labels in every goroutine header and moves runtime line
// numbers: its captures of each reproducer give the Go 1.26 fingerprint.
TEST(Fingerprint, Go127CapturesKeepTheGo126Fingerprint) {
  size_t pairs = 0;
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    std::string name = e.path().filename().string();
    size_t at = name.find(".go127.txt");
    if (at == std::string::npos) continue;
    std::string twin = name.substr(0, at) + ".go126.txt";
    if (!fs::exists(kFixtures + twin)) continue;
    auto a = Headline(kFixtures + twin);
    auto b = Headline(e.path().string());
    ASSERT_EQ(a.has_value(), b.has_value()) << name;
    if (!a) continue;
    ++pairs;
    EXPECT_EQ(a->rule_id, b->rule_id) << name;
    EXPECT_EQ(a->fingerprint, b->fingerprint) << name << " vs " << twin;
  }
  EXPECT_GE(pairs, 25u);
}

// One state in several forms: a reproducer's debug=1, debug=2 and SIGQUIT
// captures (of one runtime), and the profile.proto, debug=1 and
// `pprof -traces` of one goroutine profile. Every rule that fires in two
// forms gives one fingerprint.
TEST(Fingerprint, OneStateInEveryFormIsOneFingerprint) {
  std::map<std::string, std::vector<std::string>> families;  // family -> files
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    std::string name = e.path().filename().string();
    size_t go = name.rfind(".go");
    if (go == std::string::npos || e.path().extension() != ".txt") continue;
    std::string stem = name.substr(0, go);
    for (const char* form : {"-debug1", "-debug2", "-sigquit"}) {
      size_t at = stem.rfind(form);
      if (at != std::string::npos && at + std::strlen(form) == stem.size())
        families[stem.substr(0, at) + name.substr(go)].push_back(e.path().string());
    }
  }
  for (const auto& e : fs::directory_iterator(kFixtures + "profiles")) {
    if (!e.is_directory()) continue;
    for (const char* kind : {"goroutine", "goroutineleak"}) {
      std::vector<std::string> files;
      for (const char* form : {".pb.gz", ".debug1.txt", ".traces.txt"}) {
        fs::path p = e.path() / (std::string(kind) + form);
        if (fs::exists(p)) files.push_back(p.string());
      }
      families[e.path().filename().string() + "/" + kind] = files;
    }
  }
  size_t compared = 0;
  for (const auto& [family, files] : families) {
    if (files.size() < 2) continue;
    auto first = FingerprintsByRule(files[0]);
    for (size_t i = 1; i < files.size(); ++i) {
      for (const auto& [rule, fp] : FingerprintsByRule(files[i])) {
        auto it = first.find(rule);
        if (it == first.end()) continue;
        ++compared;
        EXPECT_EQ(fp, it->second) << family << ": " << rule << " in " << files[i] << " vs " << files[0];
      }
    }
  }
  EXPECT_GE(compared, 20u);
}

}  // namespace
}  // namespace gotriage
