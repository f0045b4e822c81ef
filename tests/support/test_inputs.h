// Test-only helpers: the real inputs the table-driven tests of every layer
// run on, all inside the repository.
//
//   testdata/corpus/FOLDER/labels.jsonl   real pastes from public threads,
//                                         one label per file (any FOLDER
//                                         that holds a labels.jsonl)
//   testdata/manifest.json                our reproducers' captures
//                                         (testdata/fixtures) and the
//                                         expected diagnosis of each
//
// A missing input is a failure, never a skip: the case lists below are never
// empty, and a case that cannot be run carries a `problem` that the test
// made from it reports. Header-only; included by *_test.cc files only.
#ifndef GOTRIAGE_TESTS_SUPPORT_TEST_INPUTS_H_
#define GOTRIAGE_TESTS_SUPPORT_TEST_INPUTS_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace gotriage::test_inputs {

inline std::filesystem::path TestdataDir() { return std::filesystem::path(GOTRIAGE_SOURCE_DIR) / "testdata"; }
inline std::filesystem::path CorpusDir() { return TestdataDir() / "corpus"; }
inline std::filesystem::path FixturesDir() { return TestdataDir() / "fixtures"; }

// One labelled input: a corpus file with its labels.jsonl record, or a
// fixture with its manifest.json record.
struct LabelledCase {
  std::string name;             // "crashes/01-....log", "fixtures/nil-deref.go126.txt"
  std::filesystem::path path;   // absolute
  nlohmann::json label;         // the record
  std::string problem;          // non-empty: the case cannot run; the test fails with this
};

inline std::ostream& operator<<(std::ostream& os, const LabelledCase& c) { return os << c.name; }

// A gtest parameter name: letters, digits and `_` only.
inline std::string ParamName(std::string_view s) {
  std::string n(s);
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

inline std::string CaseParamName(const testing::TestParamInfo<LabelledCase>& i) { return ParamName(i.param.name); }

// The contents of a file that must exist and hold something: a missing or
// empty file is a test failure here, never an empty string passed on.
inline std::string ReadInput(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "missing test input " << p;
    return "";
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.empty()) ADD_FAILURE() << "empty test input " << p;
  return s;
}

// A problem with \a c's file, or "".
inline std::string FileProblem(const std::filesystem::path& p) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return "missing input " + p.string();
  if (std::filesystem::file_size(p, ec) == 0) return "empty input " + p.string();
  return "";
}

// Every folder of testdata/corpus that holds a labels.jsonl, sorted.
inline std::vector<std::filesystem::path> CorpusFolders() {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CorpusDir(), ec)) {
    if (e.is_regular_file() && e.path().filename() == "labels.jsonl") out.push_back(e.path().parent_path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every labelled file of every corpus folder, in folder then label order.
// Never empty: a missing corpus, an empty labels.jsonl, a record that does
// not parse or names a missing file each give a case with a problem.
inline std::vector<LabelledCase> CorpusCases() {
  std::vector<LabelledCase> out;
  std::vector<std::filesystem::path> folders = CorpusFolders();
  if (folders.empty()) {
    out.push_back({"no_corpus", CorpusDir(), {}, "no folder with a labels.jsonl under " + CorpusDir().string()});
    return out;
  }
  for (const std::filesystem::path& dir : folders) {
    std::string folder = std::filesystem::relative(dir, CorpusDir()).generic_string();
    std::ifstream in(dir / "labels.jsonl");
    std::string line;
    size_t n = 0, lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      if (line.empty()) continue;
      LabelledCase c;
      try {
        c.label = nlohmann::json::parse(line);
      } catch (const nlohmann::json::exception& e) {
        out.push_back({folder + "/labels_line_" + std::to_string(lineno), dir / "labels.jsonl", {},
                       std::string("labels.jsonl does not parse: ") + e.what()});
        continue;
      }
      std::string file = c.label.contains("file") && c.label["file"].is_string() ? c.label["file"].get<std::string>() : "";
      c.name = folder + "/" + file;
      c.path = dir / file;
      if (file.empty()) c.problem = "label without a file at line " + std::to_string(lineno);
      else if (!c.label.contains("source_url") || !c.label["source_url"].is_string())
        c.problem = "label without a source_url";
      else c.problem = FileProblem(c.path);
      out.push_back(std::move(c));
      ++n;
    }
    if (n == 0) out.push_back({folder + "/no_labels", dir, {}, "empty " + (dir / "labels.jsonl").string()});
  }
  return out;
}

// A corpus folder may record the misses it is known to have today in
// FOLDER/expected-misses.tsv, one `TEST<TAB>FILE<TAB>WHAT` line each (TEST is
// `classify` or `parse`; WHAT is the problem the test saw). Held-out folders
// (threads/) are measured by scripts/accuracy, not tuned to pass: the file
// lets the suite stay green on them while still failing when a listed case
// starts passing (the list must shrink) or an unlisted one starts failing (a
// regression). `scripts/update-expected-misses` rewrites the files.
inline std::map<std::string, std::string> ExpectedMisses(const std::string& test) {
  std::map<std::string, std::string> out;
  for (const std::filesystem::path& dir : CorpusFolders()) {
    std::ifstream in(dir / "expected-misses.tsv");
    std::string folder = std::filesystem::relative(dir, CorpusDir()).generic_string();
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      size_t a = line.find('\t');
      size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
      if (b == std::string::npos) continue;
      if (line.compare(0, a, test) != 0) continue;
      out[folder + "/" + line.substr(a + 1, b - a - 1)] = line.substr(b + 1);
    }
  }
  return out;
}

// Judges one corpus case's \a problem ("" = passed) against the expected
// misses of \a test. With GOTRIAGE_UPDATE_MISSES=1 it prints the line the
// update script collects instead of failing.
inline void ExpectAsRecorded(const std::string& test, const LabelledCase& c, const std::string& problem) {
  static const std::map<std::string, std::string> classify = ExpectedMisses("classify");
  static const std::map<std::string, std::string> parse = ExpectedMisses("parse");
  const auto& known = test == "classify" ? classify : parse;
  if (const char* u = std::getenv("GOTRIAGE_UPDATE_MISSES"); u && std::string(u) == "1") {
    if (!problem.empty()) {
      std::string what = problem;
      for (char& ch : what)
        if (ch == '\n' || ch == '\t') ch = ' ';
      std::cout << "EXPECTED-MISS\t" << c.name << "\t" << test << "\t" << what << "\n";
    }
    return;
  }
  auto it = known.find(c.name);
  if (it != known.end()) {
    EXPECT_FALSE(problem.empty()) << c.name << " now passes the " << test
                                  << " check: remove it from its folder's expected-misses.tsv";
    return;
  }
  EXPECT_EQ(problem, "") << c.name;
}

// The files of every corpus case (ADD_FAILURE for a case with a problem).
inline std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> out;
  for (const LabelledCase& c : CorpusCases()) {
    if (!c.problem.empty()) {
      ADD_FAILURE() << c.name << ": " << c.problem;
      continue;
    }
    out.push_back(c.path);
  }
  return out;
}

// Every record of testdata/manifest.json, one case per fixture file. Never
// empty (a missing or unparsable manifest is a case with a problem).
inline std::vector<LabelledCase> ManifestCases() {
  std::vector<LabelledCase> out;
  std::ifstream in(TestdataDir() / "manifest.json");
  nlohmann::json m;
  try {
    if (in) m = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    out.push_back({"manifest_json", TestdataDir() / "manifest.json", {}, std::string("does not parse: ") + e.what()});
    return out;
  }
  if (!m.is_array() || m.empty()) {
    out.push_back({"manifest_json", TestdataDir() / "manifest.json", {}, "missing or empty testdata/manifest.json"});
    return out;
  }
  for (const nlohmann::json& j : m) {
    LabelledCase c;
    c.label = j;
    std::string file = j.contains("file") && j["file"].is_string() ? j["file"].get<std::string>() : "";
    c.name = file;
    c.path = TestdataDir() / file;
    c.problem = file.empty() ? "manifest record without a file" : FileProblem(c.path);
    out.push_back(std::move(c));
  }
  return out;
}

// Every regular file under \a dir, recursively, sorted. A missing or empty
// folder is a test failure.
inline std::vector<std::filesystem::path> FilesUnder(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    ADD_FAILURE() << "missing test input folder " << dir;
    return out;
  }
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  if (out.empty()) ADD_FAILURE() << "empty test input folder " << dir;
  return out;
}

// The real inputs the whole-input checks run on: every fixture (captures and
// envelope variants) and every labelled corpus file.
inline std::vector<std::filesystem::path> RealInputs() {
  std::vector<std::filesystem::path> out = FilesUnder(FixturesDir());
  for (const std::filesystem::path& p : CorpusFiles()) out.push_back(p);
  return out;
}

}  // namespace gotriage::test_inputs

#endif  // GOTRIAGE_TESTS_SUPPORT_TEST_INPUTS_H_
