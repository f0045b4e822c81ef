// Golden checks of the parsers on real runtime output: every fixture in
// testdata (from testdata/manifest.json) and every labelled file of the
// corpus of real-world pastes (testdata/corpus), one test per file. For
// each: no crash, the goroutine count equals what the input holds, and the
// labelled culprit frame is in the model.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "parsers/grammar.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;

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
    // A fatal log record names the function that logged it (logrus' `func`).
    if (inc.fatal_record && inc.fatal_record->function == fn) return true;
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

// One test per fixture of testdata/manifest.json (our reproducers' captures
// and their envelope variants).
class GoldenFixture : public testing::TestWithParam<test_inputs::LabelledCase> {};

TEST_P(GoldenFixture, ParsesEveryGoroutineAndTheCulprit) {
  const test_inputs::LabelledCase& c = GetParam();
  ASSERT_EQ(c.problem, "");
  const nlohmann::json& e = c.label;
  Parser p{ParseOptions()};
  std::string err;
  ASSERT_TRUE(p.AddFile(c.path.string(), &err)) << err;
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

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenFixture, testing::ValuesIn(test_inputs::ManifestCases()),
                         test_inputs::CaseParamName);

TEST(Golden, ManifestCoversEveryFixture) {
  std::vector<test_inputs::LabelledCase> cases = test_inputs::ManifestCases();
  EXPECT_GT(cases.size(), 50u);
  std::set<std::string> listed;
  for (const auto& c : cases) listed.insert(c.path.lexically_normal().string());
  // Folders of fixtures that are not scenario captures of testdata/gen (no
  // manifest schema: no scenario/category per file) and have tests of their
  // own (labels/ and old-forms/ say so in their README.md). Any other
  // folder's files must be in the manifest.
  const std::map<std::string, std::vector<std::string>> own_suites = {
      {"labels", {"parsers/labels_test.cc", "rules/labels_rules_test.cc"}},
      {"old-forms", {"parsers/old_forms_test.cc"}},
      {"delve", {"parsers/delve_test.cc"}},
      {"panicparse", {"parsers/panicparse_test.cc", "rules/panicparse_rules_test.cc"}},
      {"profiles", {"parsers/profile_proto_test.cc", "rules/profile_rules_test.cc", "cli/profile_render_test.cc"}},
  };
  // The list stays honest: each folder exists and each test named reads it.
  for (const auto& [dir, tests] : own_suites) {
    EXPECT_TRUE(fs::is_directory(test_inputs::FixturesDir() / dir)) << dir << " is listed but gone";
    for (const std::string& t : tests) {
      std::ifstream src(fs::path(GOTRIAGE_SOURCE_DIR) / t);
      std::stringstream text;
      text << src.rdbuf();
      EXPECT_NE(text.str().find(dir), std::string::npos) << t << " does not read fixtures/" << dir;
    }
  }
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::FixturesDir())) {
    if (f.filename().string()[0] == '.') continue;  // .go126.version: the toolchain of the captures
    fs::path rel = f.lexically_relative(test_inputs::FixturesDir());
    if (own_suites.count(rel.begin()->string()) && std::distance(rel.begin(), rel.end()) > 1) continue;
    EXPECT_TRUE(listed.count(f.lexically_normal().string())) << f << " has no manifest.json record";
  }
}

// One test per labelled file of testdata/corpus (real pastes from public
// threads, every folder with a labels.jsonl). The checks follow the label's
// fields, not the folder, so a new folder in the same schema needs no code.
class GoldenCorpus : public testing::TestWithParam<test_inputs::LabelledCase> {};

// What a corpus case's parse gets wrong against its label, or "".
std::string ParseProblem(const test_inputs::LabelledCase& c) {
  const nlohmann::json& e = c.label;
  std::string text = test_inputs::ReadInput(c.path);
  auto in = ParseText(text);
  std::string kind = e.value("input_kind", "");
  std::string p;
  auto add = [&p](const std::string& s) { p += (p.empty() ? "" : "; ") + s; };
  // Every input but a pod description holds some Go output.
  if (kind != "kubectl_describe" && in->incidents.empty()) add("no Go output found");
  // Text with `goroutine N [` headers: each one parsed, and as many as the
  // label counted. (debug=1 profiles, `pprof -top` listings and
  // panicparse-style summaries count goroutines without headers.)
  uint64_t headers = CountHeaders(text);
  if (kind != "pprof_debug1" && headers > 0) {
    uint64_t got = GoroutinesParsed(*in);
    if (got != headers) add(std::to_string(got) + " goroutines parsed of " + std::to_string(headers) + " headers");
    if (e.contains("goroutine_count") && e["goroutine_count"].is_number() &&
        got != e["goroutine_count"].get<uint64_t>())
      add(std::to_string(got) + " goroutines parsed, label says " + e["goroutine_count"].dump());
  }
  for (const char* field : {"culprit_function", "dominant_stack"}) {
    if (e.contains(field) && e[field].is_string() && !HasFunction(*in, e[field].get<std::string>()))
      add(std::string(field) + " " + e[field].get<std::string>() + " not among the parsed frames");
  }
  return p;
}

TEST_P(GoldenCorpus, ParsesWhatTheLabelSays) {
  const test_inputs::LabelledCase& c = GetParam();
  ASSERT_EQ(c.problem, "");
  test_inputs::ExpectAsRecorded("parse", c, ParseProblem(c));
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoldenCorpus, testing::ValuesIn(test_inputs::CorpusCases()),
                         test_inputs::CaseParamName);

// The corpus this repository carries: both original folders, full size.
TEST(Golden, CorpusHoldsItsFolders) {
  std::map<std::string, size_t> per_folder;
  for (const auto& c : test_inputs::CorpusCases()) {
    EXPECT_EQ(c.problem, "") << c.name;
    per_folder[c.name.substr(0, c.name.find('/'))]++;
  }
  EXPECT_GE(per_folder["crashes"], 35u);
  EXPECT_GE(per_folder["dumps"], 25u);
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

// docs/go-trace-format.md items 11 and 13 on real runtime output: `runtime:`
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
