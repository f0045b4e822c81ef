// Labelled captures (testdata/manifest.json rows with a `twin`): dumps printed
// by Go 1.27.0 (pprof labels in every goroutine header, `{k: v, ...}` after the
// status) and by Go 1.26.8 with GODEBUG=tracebacklabels=1 (`[STATUS
// labels:{"k": "v"}]`). Labels must not change the diagnosis: each capture has
// to give the same findings and culprits as its unlabelled Go 1.26 twin, and
// the JSON report has to show the labels the manifest lists for the goroutines
// the finding is about. One test per capture, named after the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/render.h"
#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

using nlohmann::json;

const std::string kTestdata = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/";

struct Row {
  std::string file, twin, rule;
  std::vector<std::string> labels;  // "key=value", value unquoted
};

void PrintTo(const Row& r, std::ostream* os) { *os << r.file; }

std::vector<Row> LabelledRows() {
  std::ifstream in(kTestdata + "manifest.json");
  std::vector<Row> rows;
  if (!in) return rows;
  for (const json& j : json::parse(in)) {
    if (!j.contains("twin")) continue;
    Row r{j["file"], j["twin"], j["rule"].is_string() ? j["rule"].get<std::string>() : "", {}};
    for (const auto& l : j.value("labels", json::array())) r.labels.push_back(l.get<std::string>());
    rows.push_back(std::move(r));
  }
  return rows;
}

struct Report {
  std::unique_ptr<ParsedInput> in;
  std::vector<Finding> findings;
  json doc;
};

Report Triage(const std::string& rel) {
  Report r;
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(kTestdata + rel, &err)) << err;
  r.in = p.Finish();
  r.findings = Analyze(*r.in, EngineOptions{});
  RenderOptions o;
  o.verbose = true;
  o.top_groups = 1000;  // every group, not only the largest ten
  r.doc = ReportJson(*r.in, r.findings, o);
  return r;
}

// What a finding is about: rule, culprit function and app frame function.
std::string Key(const Finding& f) {
  std::ostringstream os;
  os << f.rule_id << " culprit=" << (f.culprit ? f.culprit->function : "-")
     << " app=" << (f.app_frame ? f.app_frame->function : "-");
  return os.str();
}

// The distinct findings above info, in order of first appearance: a file
// holding the same dump twice (debug=2 then debug=1) or a race report that
// lists the same race once more than its twin diagnoses the same thing.
std::vector<std::string> Keys(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const Finding& f : fs) {
    std::string k = Key(f);
    if (f.severity > Severity::kInfo && std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  }
  return out;
}

bool Bare(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/' || c == '_';
  });
}

std::string Quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

// Does JSON value v, found under a key naming labels, show label k=v? The
// labels field is being added on another branch, so any plain shape is
// accepted: an object member {k: v}, an object {key|name: k, value: v}, or a
// string holding `k=v` or one of the forms the runtime prints (Go 1.27 `k: v`
// with Go quoting where needed, Go 1.26 `"k": "v"`, pprof debug=1 `"k":"v"`).
bool ShowsIn(const json& v, const std::string& k, const std::string& val) {
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    auto b = [](const std::string& x) { return Bare(x) ? x : Quote(x); };
    for (const std::string& form : {k + "=" + val, b(k) + ": " + b(val), Quote(k) + ": " + Quote(val),
                                    Quote(k) + ":" + Quote(val)})
      if (s.find(form) != std::string::npos) return true;
    return false;
  }
  if (v.is_object()) {
    auto it = v.find(k);
    if (it != v.end() && it->is_string() && it->get<std::string>() == val) return true;
    for (const char* name : {"key", "name"}) {
      if (v.contains(name) && v[name] == k && v.contains("value") && v["value"] == val) return true;
    }
  }
  if (v.is_object() || v.is_array()) {
    for (const auto& e : v) {
      if (ShowsIn(e, k, val)) return true;
    }
  }
  return false;
}

bool NamesLabels(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  return key.find("label") != std::string::npos;
}

// Label k=v anywhere under a member whose key names labels (`labels`,
// `label_sets`, ...): text elsewhere, such as a wait state the parser garbled
// into `chan send labels:{"k": "v"`, does not count.
bool Shows(const json& v, const std::string& k, const std::string& val) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (NamesLabels(it.key()) && ShowsIn(it.value(), k, val)) return true;
      if (Shows(it.value(), k, val)) return true;
    }
  } else if (v.is_array()) {
    for (const auto& e : v) {
      if (Shows(e, k, val)) return true;
    }
  }
  return false;
}

class LabelledCapture : public testing::TestWithParam<Row> {};

TEST_P(LabelledCapture, SameDiagnosisAsTwinAndShowsLabels) {
  const Row& row = GetParam();
  Report got = Triage(row.file), twin = Triage(row.twin);
  ASSERT_FALSE(Keys(twin.findings).empty() && !row.rule.empty()) << row.twin << " gives no finding";
  // (a) Same findings, in the same order, naming the same culprit and app frame.
  EXPECT_EQ(Keys(got.findings), Keys(twin.findings)) << row.file << " vs its twin " << row.twin;
  if (row.labels.empty()) return;
  // (b) The expected labels, on the finding of the manifest's rule or on its
  // incident's goroutine groups.
  const json& findings = got.doc["findings"];
  auto f = std::find_if(findings.begin(), findings.end(), [&](const json& j) { return j["rule_id"] == row.rule; });
  ASSERT_NE(f, findings.end()) << row.file << ": no " << row.rule << " finding";
  json scope = json::array({*f});
  int inc = f->value("incident", -1);
  const json& incidents = got.doc["incidents"];
  if (inc >= 0 && static_cast<size_t>(inc) < incidents.size()) {
    for (const char* part : {"groups", "crashing"}) {
      if (incidents[inc].contains(part)) scope.push_back(incidents[inc][part]);
    }
  }
  for (const std::string& kv : row.labels) {
    size_t eq = kv.find('=');
    ASSERT_NE(eq, std::string::npos) << kv;
    EXPECT_TRUE(Shows(scope, kv.substr(0, eq), kv.substr(eq + 1)))
        << row.file << ": label " << kv << " not shown for the " << row.rule << " finding";
  }
}

std::string TestName(const testing::TestParamInfo<Row>& info) {
  std::string n = info.param.file.substr(info.param.file.rfind('/') + 1);
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Manifest, LabelledCapture, testing::ValuesIn(LabelledRows()), TestName);

TEST(LabelledCaptures, EveryGo126CaptureHasAGo127Twin) {
  std::vector<Row> rows = LabelledRows();
  std::ifstream in(kTestdata + "manifest.json");
  ASSERT_TRUE(in);
  size_t go126 = 0;
  for (const json& j : json::parse(in)) {
    std::string f = j["file"];
    const std::string tag = ".go126.txt";
    if (f.find("/variants/") != std::string::npos || f.size() < tag.size() ||
        f.compare(f.size() - tag.size(), tag.size(), tag) != 0)
      continue;
    ++go126;
    std::string want = f.substr(0, f.size() - tag.size()) + ".go127.txt";
    EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [&](const Row& r) { return r.file == want && r.twin == f; }))
        << f << " has no Go 1.27 capture " << want;
  }
  EXPECT_GT(go126, 40u);
  EXPECT_GT(std::count_if(rows.begin(), rows.end(), [](const Row& r) { return !r.labels.empty(); }), 20);
}

}  // namespace
}  // namespace gotriage
