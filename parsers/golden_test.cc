// Golden checks of the parsers on real runtime output: every fixture in
// testdata (from testdata/manifest.json) and every file of the shared corpus
// of real-world crashes. For each: no crash, the goroutine count equals what
// the input holds, and the labelled culprit frame is in the model.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "parsers/grammar.h"
#include "parsers/parse.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Goroutine headers in the raw text, counted independently of the parser:
// any `goroutine N [` or `goroutine N gp=` after whatever prefix a log
// envelope put in front of it.
uint64_t CountHeaders(const std::string& text) {
  uint64_t n = 0;
  for (size_t pos = 0; (pos = text.find("goroutine ", pos)) != std::string::npos; pos += 10) {
    size_t i = pos + 10;
    size_t d = i;
    while (d < text.size() && text[d] >= '0' && text[d] <= '9') ++d;
    if (d == i || d + 1 >= text.size() || text[d] != ' ') continue;
    if (text[d + 1] == '[' || text.compare(d + 1, 3, "gp=") == 0) {
      // Not inside a `created by ... in goroutine N` line.
      size_t bol = text.rfind('\n', pos);
      std::string_view line(text.data() + (bol == std::string::npos ? 0 : bol + 1),
                            pos - (bol == std::string::npos ? 0 : bol + 1));
      if (line.find("created by") == std::string_view::npos) ++n;
    }
  }
  return n;
}

bool HasFunction(const ParsedInput& in, std::string_view fn) {
  // Labels sometimes keep the inlined-argument marker.
  if (EndsWith(fn, "(...)")) fn.remove_suffix(5);
  auto in_frames = [&](const std::vector<Frame>& frames) {
    for (const Frame& f : frames) {
      if (f.function == fn) return true;
    }
    return false;
  };
  for (const Incident& inc : in.incidents) {
    if (inc.crashing && in_frames(inc.crashing->frames)) return true;
    if (inc.runtime_stack && in_frames(inc.runtime_stack->frames)) return true;
    for (const GoroutineGroup& g : inc.groups) {
      for (const Goroutine& s : g.samples) {
        if (in_frames(s.frames)) return true;
      }
    }
    if (inc.race) {
      for (const RaceAccess& a : inc.race->accesses) {
        if (in_frames(a.frames)) return true;
      }
    }
    if (inc.top) {
      for (const ProfileTopRow& r : inc.top->rows) {
        if (r.function == fn) return true;
      }
    }
  }
  return false;
}

uint64_t GoroutinesParsed(const ParsedInput& in) {
  uint64_t n = 0;
  for (const Incident& inc : in.incidents) {
    if (inc.kind == IncidentKind::kPprofDebug1) continue;
    for (const GoroutineGroup& g : inc.groups) {
      n += g.count;
    }
  }
  return n;
}

TEST(Golden, TestdataFixtures) {
  fs::path root = fs::path(GOTRIAGE_SOURCE_DIR) / "testdata";
  nlohmann::json manifest = nlohmann::json::parse(ReadFile(root / "manifest.json"));
  ASSERT_GT(manifest.size(), 50u);
  for (const auto& e : manifest) {
    std::string file = e["file"];
    SCOPED_TRACE(file);
    Parser p{ParseOptions()};
    std::string err;
    ASSERT_TRUE(p.AddFile((root / file).string(), &err)) << err;
    auto in = p.Finish();
    uint64_t want = e["goroutines"];
    uint64_t got = 0;
    bool debug1 = false;
    for (const Incident& inc : in->incidents) {
      if (inc.kind == IncidentKind::kPprofDebug1) {
        debug1 = true;
        got += inc.declared_total ? inc.declared_total : inc.goroutine_count;
      } else {
        got += inc.goroutine_count;
      }
    }
    EXPECT_EQ(got, want);
    if (debug1) {
      for (const Incident& inc : in->incidents) {
        if (inc.kind == IncidentKind::kPprofDebug1 && inc.declared_total) {
          EXPECT_EQ(inc.goroutine_count, inc.declared_total);
        }
      }
    }
    for (const Incident& inc : in->incidents) EXPECT_FALSE(inc.partial) << inc.partial_reason;
    if (e["culprit_function"].is_string()) {
      EXPECT_TRUE(HasFunction(*in, e["culprit_function"].get<std::string>()));
    }
    if (e["app_frame"].is_string()) {
      EXPECT_TRUE(HasFunction(*in, e["app_frame"].get<std::string>()));
    }
    EXPECT_EQ(in->lines_unplaced, 0u);
  }
}

TEST(Golden, SharedCorpusCrashes) {
  fs::path dir = fs::path(GOTRIAGE_SHARED_DIR) / "corpus" / "crashes";
  if (!fs::exists(dir / "labels.jsonl")) GTEST_SKIP() << "no shared corpus at " << dir;
  std::ifstream labels(dir / "labels.jsonl");
  std::string line;
  size_t cases = 0;
  while (std::getline(labels, line)) {
    if (line.empty()) continue;
    nlohmann::json e = nlohmann::json::parse(line);
    std::string file = e["file"];
    SCOPED_TRACE(file);
    std::string text = ReadFile(dir / file);
    auto in = ParseText(text);
    EXPECT_EQ(GoroutinesParsed(*in), CountHeaders(text));
    if (e["goroutine_count"].is_number()) {
      EXPECT_EQ(GoroutinesParsed(*in), e["goroutine_count"].get<uint64_t>());
    }
    if (e["culprit_function"].is_string()) {
      EXPECT_TRUE(HasFunction(*in, e["culprit_function"].get<std::string>()));
    }
    EXPECT_FALSE(in->incidents.empty());
    ++cases;
  }
  EXPECT_GE(cases, 30u);
}

TEST(Golden, SharedCorpusDumps) {
  fs::path dir = fs::path(GOTRIAGE_SHARED_DIR) / "corpus" / "dumps";
  if (!fs::exists(dir / "labels.jsonl")) GTEST_SKIP() << "no shared corpus at " << dir;
  std::ifstream labels(dir / "labels.jsonl");
  std::string line;
  while (std::getline(labels, line)) {
    if (line.empty()) continue;
    nlohmann::json e = nlohmann::json::parse(line);
    std::string file = e["file"];
    SCOPED_TRACE(file);
    std::string text = ReadFile(dir / file);
    auto in = ParseText(text);
    std::string kind = e.value("input_kind", "");
    if (kind == "pprof_debug2" || kind == "sigquit_dump") {
      EXPECT_EQ(GoroutinesParsed(*in), CountHeaders(text));
    }
    if (e["dominant_stack"].is_string()) {
      EXPECT_TRUE(HasFunction(*in, e["dominant_stack"].get<std::string>()));
    }
  }
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

std::unique_ptr<ParsedInput> ParseFixture(const std::string& name) {
  Parser p{ParseOptions()};
  std::string err;
  EXPECT_TRUE(p.AddFile(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/" + name, &err)) << err;
  return p.Finish();
}

// GO-TRACE-FORMAT.md items 11 and 13 on real runtime output: `runtime:`
// lines and the `runtime stack:` block before a fatal error, the SIGQUIT
// preamble with `PC= m= sigcode=`, register dumps and per-thread blocks.
TEST(Fixtures, RuntimeMessagesAndRuntimeStack) {
  auto in = ParseFixture("stack-overflow.go126.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kFatalError);
  EXPECT_EQ(inc.fatal_error, "stack overflow");
  ASSERT_GE(inc.runtime_messages.size(), 2u);
  EXPECT_TRUE(StartsWith(inc.runtime_messages[0], "runtime: goroutine stack exceeds"));
  ASSERT_TRUE(inc.runtime_stack.has_value());
  EXPECT_FALSE(inc.runtime_stack->frames.empty());
  EXPECT_FALSE(inc.partial);

  auto oom = ParseFixture("out-of-memory.go126.txt");
  ASSERT_EQ(oom->incidents.size(), 1u);
  EXPECT_EQ(oom->incidents[0].fatal_error, "out of memory");
  ASSERT_FALSE(oom->incidents[0].runtime_messages.empty());
  EXPECT_TRUE(StartsWith(oom->incidents[0].runtime_messages[0], "runtime: out of memory: cannot allocate"));
}

TEST(Fixtures, SigquitPreambleRegistersAndThreads) {
  auto in = ParseFixture("sigquit-busy.go126.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kSignalDump);
  ASSERT_TRUE(inc.signal.has_value());
  EXPECT_EQ(inc.signal->name, "SIGQUIT");
  EXPECT_EQ(inc.signal->description, "quit");
  EXPECT_NE(inc.signal->pc, 0u);
  EXPECT_FALSE(inc.crashing.has_value());  // a quit dump has no crashing goroutine
  EXPECT_EQ(in->lines_unplaced, 0u);

  // GOTRACEBACK=crash: register dumps and one `-----` block per thread,
  // all one incident.
  auto crash = ParseFixture("sigquit-busy-crash.go126.txt");
  ASSERT_EQ(crash->incidents.size(), 1u);
  EXPECT_EQ(crash->lines_unplaced, 0u);
  EXPECT_GT(crash->incidents[0].goroutine_count, 10u);
}

// Item 2 on real output: GOTRACEBACK=system prints `gp= m= mp=` headers and
// `fp= sp= pc=` on file lines.
TEST(Fixtures, GotracebackSystem) {
  auto in = ParseFixture("gotraceback-system.go126.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->lines_unplaced, 0u);
  ASSERT_TRUE(in->incidents[0].crashing.has_value());
  const Goroutine& g = *in->incidents[0].crashing;
  ASSERT_FALSE(g.frames.empty());
  for (const Frame& f : g.frames) {
    EXPECT_FALSE(f.file.empty());
    EXPECT_EQ(f.file.find("fp="), std::string_view::npos);
  }
}

// Items 8 and 10 on real output: `...N frames elided...` and ancestors.
TEST(Fixtures, ElisionAndAncestors) {
  auto deep = ParseFixture("deep-recursion-elided.go126.txt");
  ASSERT_EQ(deep->incidents.size(), 1u);
  ASSERT_TRUE(deep->incidents[0].crashing.has_value());
  EXPECT_TRUE(deep->incidents[0].crashing->frames_elided);
  EXPECT_GT(deep->incidents[0].crashing->elided_count, 0);

  auto anc = ParseFixture("tracebackancestors.go126.txt");
  ASSERT_EQ(anc->incidents.size(), 1u);
  ASSERT_TRUE(anc->incidents[0].crashing.has_value());
  EXPECT_FALSE(anc->incidents[0].crashing->ancestors.empty());
}

}  // namespace
}  // namespace gotriage
