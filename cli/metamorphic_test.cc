// The metamorphic robustness test (issue 15, item 6): every fixture and
// corpus case that has an expected finding is rewritten the ways people
// actually paste Go output -- log prefixes of every kind, indentation,
// Markdown, CRLF, a first line cut inside its prefix, `#` eaten from debug=1
// frames, tabs turned into spaces, log lines between goroutines, the paste
// cut after the crashing goroutine, the whole trace JSON-escaped into one log
// field, gzip -- and must keep the first finding (rule ID) and its culprit
// function exactly as on the unchanged input.
//
// The invariance rate per transformation is printed as a table. Every case
// that does not hold is listed, with its reason, in
// testdata/metamorphic-exceptions.txt (`transformation file reason`). The
// test fails when a case fails that is not listed, and when a listed case
// passes (remove it: the list only shrinks as mechanisms land) or no longer
// exists. Entries whose reason begins with `unexplained` are reported.
//
//   GOTRIAGE_UPDATE_METAMORPHIC=1 build/cli_test --gtest_filter='Metamorphic*'
//
// rewrites the list from what is observed, keeping the reasons of entries
// that are still there and marking new ones `unexplained: ...`.
// GOTRIAGE_METAMORPHIC_DUMP=DIR also writes each changed input to
// DIR/TRANSFORMATION/FILE, to look at with the command.
//
// Cases: testdata/manifest.json entries with a category, and every
// testdata/corpus/*/labels.jsonl record whose expected_class is a finding
// (not healthy_no_issue). Each input goes through the pipeline the command
// runs (Parser::AddFd on a memory file -- gzip detection included -- then
// Analyze), in parallel over cases. Inputs over kBigInput bytes run through a
// deterministic subset of kBigTransforms transformations chosen by a hash of
// the file name, so that the test stays well under 30 s; the table says how
// many runs that left out.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;

constexpr size_t kBigInput = 4u << 20;
constexpr size_t kBigTransforms = 4;
fs::path Testdata() { return fs::path(GOTRIAGE_SOURCE_DIR) / "testdata"; }
fs::path ExceptionsFile() { return Testdata() / "metamorphic-exceptions.txt"; }

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string Gunzip(const std::string& z) {
  z_stream s{};
  if (inflateInit2(&s, 15 + 32) != Z_OK) return "";
  std::string out;
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  char buf[1 << 16];
  int rc;
  do {
    s.next_out = reinterpret_cast<Bytef*>(buf);
    s.avail_out = sizeof buf;
    rc = inflate(&s, Z_NO_FLUSH);
    out.append(buf, sizeof buf - s.avail_out);
    if (rc == Z_STREAM_END && s.avail_in > 0) {
      inflateReset(&s);  // concatenated members
      rc = Z_OK;
    }
  } while (rc == Z_OK);
  inflateEnd(&s);
  return out;
}

std::string Gzip(const std::string& text) {
  z_stream s{};
  deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&s, text.size()) + 32, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  s.avail_in = static_cast<uInt>(text.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  deflate(&s, Z_FINISH);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

// ---------------------------------------------------------------------------
// Transformations. Each takes the original text (LF line ends) and returns
// the pasted form, or nullopt when it does not apply to that input (e.g. no
// debug=1 frame to strip a `#` from).

std::vector<std::string> Lines(const std::string& t) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b < t.size()) {
    size_t e = t.find('\n', b);
    if (e == std::string::npos) e = t.size();
    out.push_back(t.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& ls) {
  std::string s;
  for (const std::string& l : ls) s += l + "\n";
  return s;
}

std::string PrefixEach(const std::string& t, const std::function<std::string(size_t)>& prefix) {
  std::vector<std::string> ls = Lines(t);
  for (size_t i = 0; i < ls.size(); ++i) ls[i] = prefix(i) + ls[i];
  return Join(ls);
}

// RFC 3339 timestamps with nanoseconds, one millisecond apart, as
// `kubectl logs --timestamps` prints them.
std::string Rfc3339(size_t i) {
  char b[64];
  std::snprintf(b, sizeof b, "2026-03-14T09:26:%02zu.%03zu512306Z ", 10 + (i / 1000) % 50, i % 1000);
  return b;
}

size_t FirstHeader(const std::vector<std::string>& ls) {
  for (size_t i = 0; i < ls.size(); ++i) {
    if (ls[i].rfind("goroutine ", 0) == 0 && ls[i].find(" [") != std::string::npos && ls[i].back() == ':')
      return i;
  }
  return ls.size();
}

bool IsHeader(const std::string& l) {
  return l.rfind("goroutine ", 0) == 0 && !l.empty() && l.back() == ':' && l.find(" [") != std::string::npos;
}

bool IsCrash(const std::string& t) {
  size_t h = t.find("\ngoroutine ");
  std::string head = t.substr(0, h == std::string::npos ? t.size() : h);
  return head.find("panic: ") != std::string::npos || head.find("fatal error: ") != std::string::npos;
}

struct Transformation {
  const char* name;
  std::function<std::optional<std::string>(const std::string&)> apply;
};

const std::vector<Transformation>& Transformations() {
  static const std::vector<Transformation> kAll = {
      {"kubectl-prefix", [](const std::string& t) { return PrefixEach(t, [](size_t) { return "[pod/api-7d9f8b6c4-x2x9q/api] "; }); }},
      {"compose-prefix", [](const std::string& t) { return PrefixEach(t, [](size_t) { return "api-1  | "; }); }},
      {"journald-prefix", [](const std::string& t) {
         return PrefixEach(t, [](size_t) { return "Mar 14 09:26:53 node-3 api[2817]: "; });
       }},
      {"journald-locale-prefix", [](const std::string& t) {
         return PrefixEach(t, [](size_t) { return "3月 14 09:26:53 node-3 api[2817]: "; });
       }},
      {"rfc3339-prefix", [](const std::string& t) { return PrefixEach(t, Rfc3339); }},
      {"indent-4", [](const std::string& t) { return PrefixEach(t, [](size_t) { return "    "; }); }},
      {"markdown-quote", [](const std::string& t) { return PrefixEach(t, [](size_t) { return "> "; }); }},
      {"markdown-fence", [](const std::string& t) {
         return "The service crashed again last night, output below:\n\n```\n" + t + "```\n\nAny idea?\n";
       }},
      {"crlf", [](const std::string& t) {
         std::string s;
         for (char c : t) {
           if (c == '\n') s += '\r';
           s += c;
         }
         return s;
       }},
      {"first-line-cut", [](const std::string& t) -> std::optional<std::string> {
         // Timestamped like kubectl --timestamps, and the copy began in
         // the middle of the first line's timestamp.
         std::string s = PrefixEach(t, Rfc3339);
         return s.substr(14);
       }},
      {"strip-hash", [](const std::string& t) -> std::optional<std::string> {
         std::vector<std::string> ls = Lines(t);
         bool any = false;
         for (std::string& l : ls) {
           if (l.rfind("#\t0x", 0) == 0 || l.rfind("# \t0x", 0) == 0) {
             l.erase(0, 1);
             any = true;
           }
         }
         if (!any) return std::nullopt;
         return Join(ls);
       }},
      {"tabs-to-spaces", [](const std::string& t) -> std::optional<std::string> {
         if (t.find('\t') == std::string::npos) return std::nullopt;
         std::string s;
         for (char c : t) {
           if (c == '\t') s += "    ";
           else s += c;
         }
         return s;
       }},
      {"log-lines-between", [](const std::string& t) -> std::optional<std::string> {
         std::vector<std::string> ls = Lines(t), out;
         bool any = false;
         size_t first = FirstHeader(ls);
         for (size_t i = 0; i < ls.size(); ++i) {
           if (i > first && IsHeader(ls[i]) && i > 0 && ls[i - 1].empty()) {
             out.push_back("2026/03/14 09:26:53 INFO request served method=GET path=/healthz status=200 dur=1.2ms");
             out.push_back("");
             any = true;
           }
           out.push_back(ls[i]);
         }
         if (!any) return std::nullopt;
         return Join(out);
       }},
      {"cut-after-crash", [](const std::string& t) -> std::optional<std::string> {
         if (!IsCrash(t)) return std::nullopt;
         // The crashing goroutine is the first one after the last
         // `panic: ` / `fatal error: ` line (earlier traces in the input,
         // e.g. a logged recovered panic, stay).
         std::vector<std::string> ls = Lines(t);
         size_t crash = ls.size();
         for (size_t i = 0; i < ls.size(); ++i) {
           if (ls[i].rfind("panic: ", 0) == 0 || ls[i].rfind("fatal error: ", 0) == 0) crash = i;
         }
         if (crash == ls.size()) return std::nullopt;
         size_t first = crash + 1;
         while (first < ls.size() && !IsHeader(ls[first])) ++first;
         if (first == ls.size()) return std::nullopt;
         size_t end = first + 1;
         while (end < ls.size() && !ls[end].empty()) ++end;
         if (end >= ls.size()) return std::nullopt;  // nothing after it to cut
         ls.resize(end);
         return Join(ls);
       }},
      {"json-field", [](const std::string& t) {
         nlohmann::json rec = {{"level", "error"},
                               {"ts", "2026-03-14T09:26:53.512Z"},
                               {"msg", "service terminated"},
                               {"stack", t}};
         return "{\"level\":\"info\",\"ts\":\"2026-03-14T09:26:50.001Z\",\"msg\":\"listening\",\"addr\":\":8080\"}\n" +
                rec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
       }},
      {"gzip", [](const std::string& t) { return Gzip(t); }},
  };
  return kAll;
}

const Transformation& ByName(std::string_view name) {
  for (const Transformation& t : Transformations())
    if (name == t.name) return t;
  std::abort();
}

// ---------------------------------------------------------------------------

struct Case {
  std::string file;  ///< relative to testdata/
  std::string text;  ///< decompressed, LF line ends
};

struct Outcome {
  std::string rule, culprit;
  std::string Key() const { return rule.empty() ? "no finding" : rule + " " + (culprit.empty() ? "(no culprit)" : culprit); }
  bool operator==(const Outcome& o) const { return rule == o.rule && culprit == o.culprit; }
};

// The pipeline the command runs on a file: read through a descriptor (gzip
// detected by its magic bytes), parse, Analyze; the first finding.
Outcome RunPipeline(const std::string& bytes) {
  Outcome o;
  int fd = memfd_create("metamorphic", MFD_CLOEXEC);
  if (fd < 0) return {"memfd_create failed", ""};
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + off, bytes.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  lseek(fd, 0, SEEK_SET);
  Parser p{ParseOptions{}};
  std::string err;
  p.AddFd(fd, "-", &err);
  close(fd);
  std::unique_ptr<ParsedInput> in = p.Finish();
  std::vector<Finding> fs = Analyze(*in, EngineOptions{});
  if (!fs.empty()) {
    o.rule = fs.front().rule_id;
    if (fs.front().culprit) o.culprit = fs.front().culprit->function;
  }
  return o;
}

std::string Normalize(std::string raw) {
  if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f && static_cast<unsigned char>(raw[1]) == 0x8b)
    raw = Gunzip(raw);
  std::string s;
  s.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    s += raw[i];
  }
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  nlohmann::json m = nlohmann::json::parse(ReadFile(Testdata() / "manifest.json"));
  for (const auto& e : m) {
    if (e["category"].is_null()) continue;
    std::string f = e["file"];
    cases.push_back({f, Normalize(ReadFile(Testdata() / f))});
  }
  // The labelled real-world corpus, once it lives in the repository.
  if (fs::is_directory(Testdata() / "corpus")) {
    std::vector<fs::path> dirs;
    for (const auto& d : fs::directory_iterator(Testdata() / "corpus"))
      if (d.is_directory() && fs::exists(d.path() / "labels.jsonl")) dirs.push_back(d.path());
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& d : dirs) {
      std::istringstream ls(ReadFile(d / "labels.jsonl"));
      for (std::string line; std::getline(ls, line);) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
        if (r.is_discarded() || !r.contains("file") || !r.contains("expected_class")) continue;
        if (r["expected_class"].is_null() || r["expected_class"] == "healthy_no_issue") continue;
        fs::path p = d / r["file"].get<std::string>();
        if (!fs::exists(p)) continue;
        cases.push_back({fs::relative(p, Testdata()).string(), Normalize(ReadFile(p))});
      }
    }
  }
  return cases;
}

struct Exception {
  std::string transformation, file, reason;
};

std::vector<Exception> LoadExceptions() {
  std::vector<Exception> out;
  std::istringstream in(ReadFile(ExceptionsFile()));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    Exception e;
    ls >> e.transformation >> e.file;
    std::getline(ls, e.reason);
    e.reason.erase(0, e.reason.find_first_not_of(' '));
    if (!e.file.empty()) out.push_back(e);
  }
  return out;
}

uint64_t Fnv(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

TEST(Metamorphic, FirstFindingAndCulpritSurviveHowPeoplePaste) {
  ASSERT_TRUE(fs::exists(Testdata() / "manifest.json"));
  std::vector<Case> cases = LoadCases();
  ASSERT_FALSE(cases.empty());
  const std::vector<Transformation>& ts = Transformations();
  ASSERT_GE(ts.size(), 12u);

  // result[c][t]: -1 not applicable / not run, 0 changed, 1 same.
  std::vector<std::vector<int>> result(cases.size(), std::vector<int>(ts.size(), -1));
  std::vector<std::vector<std::string>> why(cases.size(), std::vector<std::string>(ts.size()));
  std::vector<Outcome> base(cases.size());
  size_t skipped_big = 0;
  std::atomic<size_t> next{0};
  std::mutex mu;
  auto work = [&] {
    for (size_t c; (c = next.fetch_add(1)) < cases.size();) {
      const Case& k = cases[c];
      base[c] = RunPipeline(k.text);
      bool big = k.text.size() > kBigInput;
      for (size_t t = 0; t < ts.size(); ++t) {
        if (big && (Fnv(k.file) + t) % ts.size() >= kBigTransforms) {
          std::lock_guard<std::mutex> l(mu);
          ++skipped_big;
          continue;
        }
        std::optional<std::string> in = ts[t].apply(k.text);
        if (!in) continue;
        Outcome o = RunPipeline(*in);
        result[c][t] = o == base[c] ? 1 : 0;
        if (!(o == base[c])) {
          why[c][t] = "got " + o.Key() + " instead of " + base[c].Key();
          // GOTRIAGE_METAMORPHIC_DUMP=DIR keeps each changed input as
          // DIR/TRANSFORMATION/FILE, to run the command on it.
          if (const char* d = std::getenv("GOTRIAGE_METAMORPHIC_DUMP"); d && *d) {
            fs::path out = fs::path(d) / ts[t].name / k.file;
            std::error_code ec;
            fs::create_directories(out.parent_path(), ec);
            std::ofstream(out, std::ios::binary) << *in;
          }
        }
      }
    }
  };
  unsigned n = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < n; ++i) pool.emplace_back(work);
  for (std::thread& th : pool) th.join();

  // Invariance table.
  std::ostringstream table;
  table << "metamorphic invariance over " << cases.size() << " cases (first finding's rule and culprit):\n";
  char row[160];
  std::snprintf(row, sizeof row, "  %-18s %10s %10s %8s\n", "transformation", "applicable", "invariant", "rate");
  table << row;
  size_t all_app = 0, all_ok = 0;
  for (size_t t = 0; t < ts.size(); ++t) {
    size_t app = 0, ok = 0;
    for (size_t c = 0; c < cases.size(); ++c) {
      if (result[c][t] < 0) continue;
      ++app;
      ok += result[c][t];
    }
    all_app += app;
    all_ok += ok;
    std::snprintf(row, sizeof row, "  %-18s %10zu %10zu %7.1f%%\n", ts[t].name, app, ok, app ? 100.0 * ok / app : 100.0);
    table << row;
  }
  std::snprintf(row, sizeof row, "  %-18s %10zu %10zu %7.1f%%\n", "all", all_app, all_ok, all_app ? 100.0 * all_ok / all_app : 100.0);
  table << row;
  if (skipped_big) table << "  (" << skipped_big << " runs of inputs over " << (kBigInput >> 20) << " MiB left out, see the file comment)\n";
  std::cout << table.str();

  // Compare with the checked-in list.
  std::vector<Exception> listed = LoadExceptions();
  std::map<std::pair<std::string, std::string>, std::string> listed_map;
  for (const Exception& e : listed) listed_map[{e.transformation, e.file}] = e.reason;
  std::map<std::pair<std::string, std::string>, std::string> failing;  // -> observed
  std::set<std::pair<std::string, std::string>> ran;
  for (size_t c = 0; c < cases.size(); ++c) {
    for (size_t t = 0; t < ts.size(); ++t) {
      if (result[c][t] < 0) continue;
      ran.insert({ts[t].name, cases[c].file});
      if (result[c][t] == 0) failing[{ts[t].name, cases[c].file}] = why[c][t];
    }
  }

  if (const char* u = std::getenv("GOTRIAGE_UPDATE_METAMORPHIC"); u && std::string(u) == "1") {
    std::ofstream out(ExceptionsFile());
    out << "# Cases of cli/metamorphic_test.cc whose first finding or culprit changes under a\n"
           "# transformation: `transformation file reason`. The test fails when one of these\n"
           "# starts passing (delete the line) or a case fails that is not listed. Regenerate with\n"
           "#   GOTRIAGE_UPDATE_METAMORPHIC=1 build/cli_test --gtest_filter='Metamorphic*'\n"
           "# (reasons of lines that stay are kept; new lines say `unexplained: ...` until someone\n"
           "# finds out why).\n";
    for (const auto& [key, observed] : failing) {
      auto it = listed_map.find(key);
      std::string reason = it != listed_map.end() && it->second.rfind("unexplained", 0) != 0
                               ? it->second
                               : "unexplained: " + observed;
      out << key.first << " " << key.second << " " << reason << "\n";
    }
    std::cout << "metamorphic: wrote " << failing.size() << " exceptions to " << ExceptionsFile().string() << "\n";
    return;
  }

  std::vector<std::string> problems;
  size_t unexplained = 0;
  for (const auto& [key, observed] : failing) {
    if (!listed_map.count(key))
      problems.push_back("new failure: " + key.first + " " + key.second + ": " + observed);
  }
  for (const auto& [key, reason] : listed_map) {
    if (!ran.count(key)) {
      problems.push_back("listed but not run (case or transformation gone): " + key.first + " " + key.second);
    } else if (!failing.count(key)) {
      problems.push_back("listed but passes now, remove it: " + key.first + " " + key.second);
    } else if (reason.rfind("unexplained", 0) == 0) {
      ++unexplained;
      std::cout << "  unexplained: " << key.first << " " << key.second << ": " << failing[key] << "\n";
    }
  }
  std::cout << "metamorphic: " << failing.size() << " listed exceptions, " << unexplained << " unexplained\n";
  for (const std::string& p : problems) ADD_FAILURE() << p;
  if (!problems.empty())
    std::cout << "metamorphic: if intended, regenerate the list with GOTRIAGE_UPDATE_METAMORPHIC=1\n";
}

// The transformations themselves: each one changes the text the way its
// name says (a transformation that silently did nothing would make the
// table above meaningless).
TEST(Metamorphic, TransformationsChangeTheInput) {
  const std::string crash =
      "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:5 +0x1d\n\ngoroutine 7 [chan receive]:\n"
      "main.worker()\n\t/src/main.go:9 +0x2a\n";
  for (const Transformation& t : Transformations()) {
    std::optional<std::string> out = t.apply(crash);
    if (std::string(t.name) == "strip-hash") {
      EXPECT_FALSE(out) << "no debug=1 frame to strip";
      continue;
    }
    ASSERT_TRUE(out) << t.name;
    EXPECT_NE(*out, crash) << t.name;
  }
  EXPECT_EQ(*ByName("cut-after-crash").apply(crash), "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:5 +0x1d\n");
  EXPECT_EQ(Gunzip(*ByName("gzip").apply(crash)), crash);
  std::string d1 = "goroutine profile: total 3\n3 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/src/main.go:3\n";
  for (const Transformation& t : Transformations()) {
    if (std::string(t.name) == "strip-hash") {
      EXPECT_EQ(*t.apply(d1), "goroutine profile: total 3\n3 @ 0x1 0x2\n\t0x1\tmain.f+0x1\t/src/main.go:3\n");
    }
  }
}

}  // namespace
}  // namespace gotriage
