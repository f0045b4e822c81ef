// The fast lane (parsers/line.h, LineRun) must change nothing but speed:
// every real input in testdata (fixtures, fuzz regressions, corpus), and hand-made inputs
// aimed at its edges, are parsed with it and without it, fed whole and in
// pieces of several sizes, and the two models must be identical down to each
// frame's arguments and input line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/model_dump.h"
#include "cli/render.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using check::ModelAll;

std::string ReadFile(const fs::path& p) {
  return test_inputs::ReadInput(p);  // a missing or empty input fails
}

json Parse(std::string_view text, bool fast, size_t piece, const Limits& limits = {}) {
  ParseOptions o;
  o.fast_lane = fast;
  o.text_piece_bytes = piece;
  o.limits = limits;
  Parser p(o);
  p.AddText("input", text);
  return ModelAll(*p.Finish());
}

// Same model with and without the fast lane, whole and in pieces.
void ExpectSame(const std::string& name, std::string_view text, const Limits& limits = {}) {
  json want = Parse(text, false, 0, limits);
  for (size_t piece : {size_t{0}, size_t{1}, size_t{7}, size_t{64}, size_t{4093}}) {
    if (piece == 1 && text.size() > 200000) continue;  // byte by byte: slow, nothing new
    json got = Parse(text, true, piece, limits);
    if (got != want) {
      ADD_FAILURE() << name << " (pieces of " << piece << " bytes): the fast lane changed the model\n"
                    << "fast: " << got.dump().substr(0, 2000) << "\nslow: " << want.dump().substr(0, 2000);
      return;
    }
  }
}

std::vector<fs::path> RealInputs() {
  std::vector<fs::path> files;
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::FixturesDir())) files.push_back(f);
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::TestdataDir() / "fuzz-regressions")) files.push_back(f);
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::TestdataDir() / "pastes")) files.push_back(f);
  for (const fs::path& f : test_inputs::CorpusFiles()) files.push_back(f);
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FastLane, SameModelOnEveryRealInput) {
  std::vector<fs::path> files = RealInputs();
  ASSERT_GT(files.size(), 100u);
  for (const fs::path& f : files) ExpectSame(f.filename().string(), ReadFile(f));
}

TEST(FastLane, SameModelUnderTightLimits) {
  // Lines cut at the line limit, frames beyond --max-frames, stacks beyond
  // --max-groups: the limits must bite at the same places.
  Limits tight;
  tight.max_line_bytes = 48;
  tight.max_frames = 3;
  tight.max_groups = 2;
  tight.max_samples_per_group = 1;
  tight.max_ids_per_group = 2;
  for (const fs::path& f : RealInputs()) ExpectSame(f.filename().string() + " (tight limits)", ReadFile(f), tight);
}

TEST(FastLane, SameModelOnFuzzRegressionsUnderTheFuzzersLimits) {
  // fast_lane_fuzz's own tight limits: an input it found under them may
  // not differ under the ones above (a line cut at 48 bytes is another
  // input).
  const Limits fuzz = check::FastLaneFuzzLimits();
  size_t n = 0;
  for (const fs::path& f : test_inputs::FilesUnder(test_inputs::TestdataDir() / "fuzz-regressions")) {
    ExpectSame(f.filename().string() + " (the fuzzer's limits)", ReadFile(f), fuzz);
    ++n;
  }
  EXPECT_GT(n, 40u);
}

TEST(FastLane, SameModelOnLinesAtItsEdges) {
  const std::string head = "goroutine 7 [chan receive, 3 minutes]:\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plain", head + "main.worker(0xc000010000, {0x1, 0x2})\n\t/app/main.go:12 +0x1d\n"
                       "created by main.main in goroutine 1\n\t/app/main.go:30 +0x25\n\n"},
      {"crlf", head + "main.worker(0x1)\r\n\t/app/main.go:12 +0x1d\r\ncreated by main.main in goroutine 1\r\n"
                      "\t/app/main.go:30 +0x25\r\n\r\n"},
      {"caret-M", head + "main.worker(0x1)^M\n\t/app/main.go:12 +0x1d^M\ncreated by main.main in goroutine 1^M\n"
                         "\t/app/main.go:30 +0x25^M\n\n"},
      {"system", head + "main.worker(0x1)\n\t/app/main.go:12 +0x1d fp=0xc000 sp=0xc001 pc=0x4a\n\n"},
      {"space in path", head + "main.worker(0x1)\n\t/my app/main.go:12 +0x1d\n\t/x.go:1\n\n"},
      {"equals in path", head + "main.worker(0x1)\n\t/a=b/main.go:12 +0x1d\n\n"},
      {"two spaces", head + "main.worker(0x1)\n\t/app/main.go:12  +0x1d\n\n"},
      {"no offset", head + "main.worker(...)\n\t/app/main.go:12\n\n"},
      {"bad offset", head + "main.worker(0x1)\n\t/app/main.go:12 +0xZZ\n\t/app/main.go:13 +0x\n\n"},
      {"leading zero line", head + "main.worker(0x1)\n\t/app/main.go:012 +0x1d\n\n"},
      {"long line number", head + "main.worker(0x1)\n\t/app/main.go:1234567890 +0x1d\n\n"},
      {"indented", head + "  main.worker(0x1)\n\t\t/app/main.go:12 +0x1d\n \t/app/x.go:3\n\n"},
      {"space before paren", head + "main worker(0x1)\n\t/app/main.go:12 +0x1d\n\n"},
      {"dot names", head + ".worker(0x1)\n\t/app/main.go:12\nmain.(0x1)\n\t/app/main.go:13\n\n"},
      {"generic and closure", head + "main.Map[...].func1.2({0x1, 0x2}, 0x3, ...)\n\t/app/main.go:12 +0x1d\n"
                                     "main.(*T[...]).M(0xc0)\n\tC:/work/app/t.go:9 +0x3\n\n"},
      {"two files", head + "main.worker(0x1)\n\t/app/main.go:12 +0x1d\n\t/app/main.go:13 +0x1d\n\n"},
      {"func where file expected", head + "main.a(0x1)\nmain.b(0x2)\n\t/app/main.go:13 +0x1d\n\n"},
      {"elided", head + "main.f(...)\n\t/app/main.go:12\n...additional frames elided...\n\n"},
      {"ancestors", head + "main.f(...)\n\t/app/main.go:12\n[originating from goroutine 1]:\nmain.main()\n"
                           "\t/app/main.go:30 +0x25\n\n"},
      {"unavailable", "goroutine 8 [running]:\n\tgoroutine running on other thread; stack unavailable\n\n"},
      {"envelopes", "2024-01-02T03:04:05.123456789Z " + head +
                        "2024-01-02T03:04:05.123456789Z main.f(0x1)\n"
                        "2024-01-02T03:04:05.123456789Z \t/app/main.go:12 +0x1d\n"
                        "[pod/api-1/app] main.g(0x1)\n[pod/api-1/app] \t/app/main.go:12 +0x1d\n"
                        "svc_1  | main.h(0x1)\n{\"log\":\"main.k()\\n\"}\n\n"},
      {"cri partial", "2024-01-02T03:04:05Z stderr F " + head +
                          "2024-01-02T03:04:05Z stderr P main.f(0x1\n2024-01-02T03:04:05Z stderr F )\n"
                          "main.g(0x1)\n\t/app/main.go:12 +0x1d\n\n"},
      {"cut at end", head + "main.worker(0x1)\n\t/app/main.go:12 +0x1d\nmain.main()\n\t/app/ma"},
      {"no final newline", head + "main.worker(0x1)\n\t/app/main.go:12 +0x1d"},
      {"noise inside", head + "main.worker(0x1)\nsome log line\n\t/app/main.go:12 +0x1d\nINFO done\n\n"},
      {"nul bytes", head + std::string("main.wor\0ker(0x1)\n\t/app/ma\0in.go:12 +0x1d\n\n", 42)},
      {"non-Go", head + "non-Go function at pc=0x1234\n\t/app/main.go:12\n\n"},
      // A header whose state holds a marker: the prefix layer reads a
      // fatal error or panic after a log prefix there (fast_lane_fuzz).
      // Another header inside a header: the prefix layer reads the inner
      // one after a prefix (fast_lane_fuzz).
      {"header inside a header", head + "main.f()\n\t/app/main.go:12\n\ngoroutine 2 gp=goroutine 5 [select]:\n"
                                        "main.g()\n\t/app/main.go:13\n\n"},
      {"marker in state", head + "main.f()\n\t/app/main.go:12\n\ngoroutine 4 [fatal error: concurrent map ]:\n"
                                 "main.g()\n\t/app/main.go:13\n\ngoroutine 5 [panic: runtime error: x]:\n\n"},
      // A pod tag the demux routes (kubectl's `[pod/N/C] `) that the
      // envelope layer leaves on: nothing after it, a byte no pod name has
      // (fast_lane_fuzz).
      {"pod tag the demux routes", head + "main.f()\n\t/app/main.go:12\n[pod/api-1/app]\n"
                                          "\n[pod/\xd1/a]\n[pod/x/a] main.g()\n\t/app/main.go:13\n\n"},
      // A docker record whose log holds two lines (fast_lane_fuzz).
      {"docker record of two lines", "{\"log\":\"" + std::string("goroutine 1 [running]:\\n") + "\"}\n"
                                     "{\"log\":\"main.f()\\n\\tmain.go:3\\n\",\"stream\":\"\",\"time\":\"\"}\n"
                                     "{\"log\":\"main.g()\\n\\n\",\"stream\":\"\",\"time\":\"\"}\n"},
      // Lines of one pod, then an untagged line of another envelope form:
      // the demux sends it to the first stream (fast_lane_fuzz).
      {"untagged line after a pod's", "[pod/api-1/app] " + head + "[pod/api-1/app] main.f()\n"
                                      "2026-11-23T12:00:04Z \t/app/main.go:6\n"
                                      "{\"log\":\"\\t/app/main.go:7\\n\"}\n[pod/api-1/app] \t/app/main.go:8\n\n"},
      // A line of blanks is blank to the prefix layer: an elision mark
      // after it is a record boundary (fast_lane_fuzz).
      {"blanks before an elision mark", head + "main.f()\n\t/app/main.go:12\n \n--\n" + head +
                                        "main.f()\n\t/app/main.go:12\n\t \n...\n"},
      // debug=1 records (PprofDebug1Parser::TakeRun): the runtime's frame
      // lines, aligned by its tabwriter, and every byte that keeps one off
      // the run lane.
      {"debug=1", "goroutine profile: total 3\n2 @ 0x1 0x2\n# labels: {\"k\":\"v\"}\n"
                  "#\t0x4a5b3c\tmain.worker+0x1c\t\t\t/app/main.go:12\n"
                  "#\t0x4a5b3d\t\tmain.main+0x2\t/app/main.go:30\n\n"
                  "1 @ 0x3\n#\t0x3\tmain.f+0x1\t/my app/main.go:5\n"
                  "#\t0x3\tmain.f+0x1\tC:\\app\\n.go:5\n#\t0x3\tmain.F[...]+0x1\t/a/b.go:5\n"
                  "#\t0x3\tmain.f+0x1\t/\xe6\xa1\x8c/b.go:5\n#\t0x3\tmain.f+0x1\t/a/b.go:5\r\n"
                  "#\t0x3\tmain.f+0x1\t/a/b.go:5^M\n#\t0x3\tmain.f+0x1\n#\t0x3\t\tmain.f+0x1\n"
                  "#\t0xZZ\tmain.f+0xQ\t/a/b.go:x5\n#\t0x3\tmain.f\t/a/b.go:\n#\t0x3\tmain.f\t\t\t\t7\n"
                  "#\t0x3\tmain.f+0x1\t/a\tb.go:5\n#\t0x3\tpanic:main.f\t/a/b.go:5\n"
                  "#\t0x3\tmain.f+0x1\t/a/b.go:1234567890\n\n"},
      // Count lines between records, taken by the run lane only in the
      // runtime's exact shape (PlainRecordHeader), and every near miss.
      {"debug=1 count lines", "goroutine profile: total 9\n2 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n"
                              "1 @ 0x1 0x2 \n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n 1 @ 0x1\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n"
                              "1 @ 0X1\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n1 @ 0x1 0xg\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n"
                              "1 @\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n1 @ 0x1\r\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n"
                              "1 @ 0x1  0x2\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n01 @ 0xabc\n\n"
                              "99999999999999999999 @ 0x1\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n\n"
                              "1 @ 0x1\n#\t0x1\tmain.f+0x1\t/a/b.go:5\n1 @ 0x2\n#\t0x1\tmain.g+0x1\t/a/b.go:6\n\n"
                              "1 @ 0x3\n\n1 @ 0x4\npanic: boom\n\n1 @ 0x5\n#\t0x5\tmain.h+0x1\t/a/b.go:7\n\n"
                              "[pod/p/c] 1 @ 0x6\n2026-12-03T10:00:00Z 1 @ 0x7\n#\t0x7\tmain.k+0x1\t/a/b.go:8\n\n"},
  };
  for (const auto& [name, text] : cases) {
    ExpectSame(name, text);
    // The same goroutine many times over (most goroutines reuse a group).
    std::string many;
    for (int i = 0; i < 20; ++i) many += text;
    ExpectSame(name + " x20", many);
  }
}

// A debug=1 record whose PC list and frame lines repeat a record already
// read is counted in its group without being parsed
// (PprofDebug1Parser::TakeKnownRecord). Every way a repeat can differ from
// the record it repeats must give the model the parser gives.
TEST(FastLane, SameModelWhenDebug1RecordsRepeat) {
  const std::string f1 = "#\t0x43e1d5\truntime.gopark+0xd5\t\t\t/go/src/runtime/proc.go:435\n";
  const std::string f2 = "#\t0x40a2f1\truntime.chanrecv1+0x11\t\t/go/src/runtime/chan.go:506\n";
  const std::string f3 = "#\t0x4a5b3c\tmain.worker+0x1c\t\t\t/app/main.go:12\n";
  const std::string f3b = "#\t0x4a5b3c\tmain.worker+0x1c\t\t\t/app/main.go:13\n";
  const std::string f4 = "#\t0x4a5c00\tmain.run+0x20\t\t\t/app/main.go:20\n";
  const std::vector<std::pair<std::string, std::string>> records = {
      {"known", "@ 0x43e1d6 0x40a2f2 0x4a5b3d\n{L}" + f1 + f2 + f3 + "\n"},
      {"same PCs, other line", "@ 0x43e1d6 0x40a2f2 0x4a5b3d\n{L}" + f1 + f2 + f3b + "\n"},
      {"same PCs, a frame more", "@ 0x43e1d6 0x40a2f2 0x4a5b3d\n{L}" + f1 + f2 + f3 + f4 + "\n"},
      {"same PCs, a frame fewer", "@ 0x43e1d6 0x40a2f2 0x4a5b3d\n{L}" + f1 + f2 + "\n"},
      {"other PCs, same frames", "@ 0x43e1d6 0x40a2f2 0x4a5b3e\n{L}" + f1 + f2 + f3 + "\n"},
      {"elision after", "@ 0x43e1d6 0x40a2f2 0x4a5b3d 0x1\n{L}" + f1 + f2 + f3 + "...\n\n"},
      {"crlf", "@ 0x43e1d6 0x40a2f2 0x4a5b3d 0x2\r\n{L}" + f1 + f2 + "#\t0x1\tmain.f+0x1\t/a.go:1\r\n\r\n"},
      {"two blank lines", "@ 0x43e1d6 0x40a2f2 0x4a5b3d 0x3\n{L}" + f1 + f2 + f3 + "\n\n"},
      {"no PCs", "@\n{L}" + f1 + f2 + "\n"},
      // Generic functions (`[...]`, run lane), and an editor's autolink
      // (`](http`, not).
      {"generic", "@ 0x43e1d6 0x4b0011 0x4b0021\n{L}" + f1 + "#\t0x4b0010\tmain.Map[...]+0x10\t\t/app/g.go:3\n" +
                      "#\t0x4b0020\tmain.Do[...].func1+0x20\t/app/g.go:9\n\n"},
      {"autolink", "@ 0x43e1d6 0x4b0031\n{L}" + f1 + "#\t0x4b0030\t[main.f](http://main.f)+0x1\t/app/g.go:4\n\n"},
  };
  auto label = [](int i) -> std::string {
    switch (i % 4) {
      case 0: return "";
      case 1: return "# labels: {\"tenant\":\"t" + std::to_string(i % 3) + "\"}\n";
      case 2: return "# labels: {\"req\":\"" + std::to_string(i) + "\", \"route\":\"/v1\"}\n";
      default: return "# labels: {broken\n";
    }
  };
  auto profile = [&](const std::vector<size_t>& which, int repeats) {
    std::string out = "goroutine profile: total 999\n";
    int i = 0;
    for (int r = 0; r < repeats; ++r) {
      for (size_t w : which) {
        std::string rec = records[w].second;
        rec.replace(rec.find("{L}"), 3, label(i));
        out += std::to_string(1 + i % 7) + " " + rec;
        ++i;
      }
    }
    return out;
  };
  std::vector<size_t> all;
  for (size_t i = 0; i < records.size(); ++i) all.push_back(i);
  ExpectSame("debug=1 records x12", profile(all, 12));
  for (size_t w = 0; w < records.size(); ++w) ExpectSame(records[w].first + " x20", profile({w}, 20));
  Limits eight;
  eight.max_samples_per_group = 8;
  ExpectSame("debug=1 records x12 (8 samples)", profile(all, 12), eight);
  Limits tight;
  tight.max_frames = 2;
  tight.max_groups = 2;
  tight.max_samples_per_group = 1;
  tight.max_ids_per_group = 2;
  ExpectSame("debug=1 records x12 (tight limits)", profile(all, 12), tight);
  Limits short_lines;
  short_lines.max_line_bytes = 48;
  ExpectSame("debug=1 records x12 (short lines)", profile(all, 12), short_lines);
  // Cut inside a known record; a second profile, whose groups start over.
  std::string cut = profile({0}, 12);
  ExpectSame("cut inside a known record", cut.substr(0, cut.size() - 20));
  ExpectSame("two profiles", profile(all, 6) + profile({1, 0}, 6));
}

// Stacks that repeat within one dump are matched against the ones already
// seen (parsers/stack_trie.h) instead of being parsed. Every way a repeat
// can differ from a recorded stack must give the model the parser gives.
TEST(FastLane, SameModelWhenStacksRepeat) {
  // Each shape is a goroutine's stack; {A} is replaced by arguments, {P}
  // by a parent goroutine ID, both different in every repeat.
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"chan receive", "runtime.gopark({A})\n\t/go/src/runtime/proc.go:435 +0xce\n"
                       "runtime.chanrecv1({A})\n\t/go/src/runtime/chan.go:506 +0x12\n"
                       "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                       "created by main.main in goroutine {P}\n\t/app/main.go:30 +0x25\n"},
      // The same frames reached from another caller, and with another offset.
      {"other caller", "runtime.gopark({A})\n\t/go/src/runtime/proc.go:435 +0xce\n"
                       "runtime.chanrecv1({A})\n\t/go/src/runtime/chan.go:506 +0x12\n"
                       "main.other({A})\n\t/app/other.go:7 +0x1d\n"
                       "created by main.main in goroutine {P}\n\t/app/main.go:31 +0x25\n"},
      {"other offset", "runtime.gopark({A})\n\t/go/src/runtime/proc.go:435 +0xcf\n"
                       "runtime.chanrecv1({A})\n\t/go/src/runtime/chan.go:506 +0x12\n"
                       "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                       "created by main.main in goroutine {P}\n\t/app/main.go:30 +0x25\n"},
      // A known stack with one frame more, and one frame fewer.
      {"deeper", "runtime.gopark({A})\n\t/go/src/runtime/proc.go:435 +0xce\n"
                 "runtime.chanrecv1({A})\n\t/go/src/runtime/chan.go:506 +0x12\n"
                 "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                 "main.run({A})\n\t/app/main.go:20 +0x1d\n"
                 "created by main.main in goroutine {P}\n\t/app/main.go:30 +0x25\n"},
      {"shallower", "runtime.gopark({A})\n\t/go/src/runtime/proc.go:435 +0xce\n"
                    "runtime.chanrecv1({A})\n\t/go/src/runtime/chan.go:506 +0x12\n"},
      // Old runtimes: `created by` without the parent.
      {"old created by", "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                         "created by main.main\n\t/app/main.go:30 +0x25\n"},
      {"long parent", "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                      "created by main.main in goroutine 12345678901234567890{P}\n\t/app/main.go:30 +0x25\n"},
      {"parent with text", "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                           "created by main.main in goroutine {P} (x)\n\t/app/main.go:30 +0x25\n"},
      {"created by tab", "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                         "created by main.main\t\n\t/app/main.go:30 +0x25\n"},
      {"created by caret-M", "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                             "created by main.main^M\n\t/app/main.go:30 +0x25\n"},
      {"created by paren", "main.worker({A})\n\t/app/main.go:12 +0x1d\n"
                           "created by main.(*T).run\n\t/app/main.go:30 +0x25\n"},
      // Arguments the function-line shape refuses.
      {"paren in args", "main.worker({A}, (1))\n\t/app/main.go:12 +0x1d\n"},
      {"no close paren", "main.worker({A}\n\t/app/main.go:12 +0x1d\n"},
      {"inlined", "main.worker(...)\n\t/app/main.go:12\nmain.main()\n\t/app/main.go:40 +0x9\n"},
      {"crlf frame", "main.worker({A})\r\n\t/app/main.go:12 +0x1d\n"},
      {"crlf file", "main.worker({A})\n\t/app/main.go:12 +0x1d\r\n"},
      {"long args", "main.worker(" + std::string(300, '1') + "{A})\n\t/app/main.go:12 +0x1d\n"},
      {"elided", "main.worker({A})\n\t/app/main.go:12 +0x1d\n...additional frames elided...\n"},
      {"log line inside", "main.worker({A})\n\t/app/main.go:12 +0x1d\nINFO hello\n"},
      {"ancestors", "main.worker({A})\n\t/app/main.go:12 +0x1d\n[originating from goroutine {P}]:\n"
                    "main.main()\n\t/app/main.go:30 +0x25\n"},
      {"system", "main.worker({A})\n\t/app/main.go:12 +0x1d fp=0xc0 sp=0xc1 pc=0x4a\n"},
      {"unavailable", "\tgoroutine running on other thread; stack unavailable\n"},
  };
  const std::vector<std::string> states = {"chan receive", "chan receive, 3 minutes",
                                           "select, 12 minutes, locked to thread", "running"};
  auto expand = [](std::string s, int i) {
    auto put = [&](const std::string& key, const std::string& v) {
      for (size_t at; (at = s.find(key)) != std::string::npos;) s.replace(at, key.size(), v);
    };
    put("{A}", "0xc" + std::to_string(100000 + i * 7919) + (i % 3 ? ", {0x1, 0x2}" : ""));
    put("{P}", std::to_string(1 + i % 5));
    return s;
  };
  // Labels differ per goroutine, like arguments: the Go 1.27 form after
  // the brackets (bare and quoted, with `, `, `}` and `"` inside a value),
  // Go 1.26's form inside them, and none. A repeat with other labels is
  // still a known stack.
  auto labels = [](int id) -> std::pair<std::string, std::string> {
    switch (id % 5) {
      case 0: return {"", ""};
      case 1: return {"", " {route: /v1/orders, tenant: t" + std::to_string(id % 3) + "}"};
      case 2: return {"", " {req: \"" + std::to_string(id) + "-x\", user: \"a b\\\"c, x}: y]:\"}"};
      case 3: return {" labels:{\"route\": \"/v1/orders\", \"tenant\": \"t" + std::to_string(id % 2) + "\"}", ""};
      default: return {"", " {tenant: \"\\u00e9\\x01\", z: }"};
    }
  };
  auto dump = [&](const std::vector<size_t>& which, int repeats, const std::string& separator) {
    std::string out = "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:40 +0x9\n\n";
    int id = 2;
    for (int r = 0; r < repeats; ++r) {
      for (size_t w : which) {
        const std::string& state = states[(r + w) % states.size()];
        auto [inside, after] = labels(id);
        out += "goroutine " + std::to_string(id) + " [" + state + inside + "]" + after + ":\n" +
               expand(shapes[w].second, id);
        out += separator;
        ++id;
      }
    }
    return out;
  };
  std::vector<size_t> all;
  for (size_t i = 0; i < shapes.size(); ++i) all.push_back(i);
  // All shapes interleaved, then each alone: the repeats after the samples
  // a group keeps (one by default, eight here) are matched.
  ExpectSame("all shapes x12", dump(all, 12, "\n"));
  Limits eight;
  eight.max_samples_per_group = 8;
  ExpectSame("all shapes x12 (8 samples)", dump(all, 12, "\n"), eight);
  ExpectSame("all shapes x12, two blank lines", dump(all, 12, "\n\n"));
  for (size_t w = 0; w < shapes.size(); ++w) ExpectSame(shapes[w].first + " x20", dump({w}, 20, "\n"));
  // The last goroutine cut in the middle of a matched stack.
  std::string cut = dump({0}, 12, "\n");
  ExpectSame("cut inside a known stack", cut.substr(0, cut.size() - 30));
  // A second dump (the first goroutine again) starts a new incident whose
  // group numbers start over.
  ExpectSame("two dumps", dump(all, 10, "\n") + dump({1, 0}, 10, "\n"));
  // More callers of one frame than a trie node takes.
  std::string wide = "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:40 +0x9\n\n";
  for (int i = 0; i < 200 * 10; ++i) {
    wide += "goroutine " + std::to_string(i + 2) + " [select]:\nruntime.gopark(0x1)\n\t/go/src/runtime/proc.go:435 +0xce\n"
            "main.caller" + std::to_string(i % 200) + "(0x" + std::to_string(i) + ")\n\t/app/c.go:" +
            std::to_string(i % 200 + 1) + " +0x1\n\n";
  }
  ExpectSame("200 callers x10", wide);
  // `kubectl logs --timestamps`: the envelope layer peels runs of lines
  // with only a timestamp before them and offers their text. Every line
  // gets a timestamp, then every third one instead another envelope or
  // none, a `\r`, a second layer, a syslog or CRI record, a JSON record.
  auto stamped = [](const std::string& text, int mix) {
    const std::vector<std::string> other = {
        "",
        "2024-01-02T03:04:05Z stdout F ",
        "2024-01-02T03:04:05.5Z [pod/api-1/app] ",
        "2024-01-02T03:04:05Z host app[12]: ",
        "2024-01-02T03:04:05Z 00O ",
        "Nov 23 12:00:00 host app[12]: ",
    };
    std::string out;
    size_t start = 0;
    int i = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      std::string line = text.substr(start, nl - start);
      start = nl + 1;
      ++i;
      if (mix > 0 && i % 3 == 0) {
        const std::string& o = other[static_cast<size_t>(i / 3 + mix) % other.size()];
        if (i % 7 == 0) line += "\r";
        if (i % 11 == 0) line = "{\"log\":\"" + line + "\\n\"}";
        out += o + line + "\n";
      } else {
        out += "2024-01-02T03:04:05." + std::to_string(100000 + i) + "Z " + line + "\n";
      }
    }
    return out;
  };
  ExpectSame("all shapes x12, timestamped", stamped(dump(all, 12, "\n"), 0));
  // kubectl prints RFC 3339 with the fraction's trailing zeros dropped: a
  // shorter timestamp now and then, whose shape the run lane learns anew
  // (and reads in place behind, once learned).
  {
    std::string text = stamped(dump(all, 12, "\n"), 0), varied;
    size_t i = 0;
    for (size_t start = 0; start < text.size(); ++i) {
      size_t nl = text.find('\n', start);
      std::string line = text.substr(start, nl + 1 - start);
      start = nl + 1;
      if (i % 10 == 9) line.erase(23 + i % 3, 3 - i % 3);  // a fraction one to three digits shorter
      varied += line;
    }
    ExpectSame("all shapes x12, timestamps of varying length", varied);
  }
  for (int mix = 1; mix <= 6; ++mix) {
    ExpectSame("all shapes x12, timestamped, mix " + std::to_string(mix), stamped(dump(all, 12, "\n"), mix));
  }
  // Real runtime output: the goroutine-leak dump (2,056 goroutines, most of
  // them one leaked stack) as kubectl logs --timestamps prints it, alone and
  // mixed with other envelopes.
  const std::string leak =
      ReadFile(GOTRIAGE_SOURCE_DIR "/testdata/fixtures/goroutine-leak-debug2-t2.go126.txt");
  ExpectSame("real leak dump, timestamped", stamped(leak, 0));
  ExpectSame("real leak dump, timestamped, mixed", stamped(leak, 3));
  // A timestamped log with no dump in it: nothing for a run to take.
  std::string log;
  for (int i = 0; i < 2000; ++i) log += "2024-01-02T03:04:05Z INFO request " + std::to_string(i) + " done\n";
  ExpectSame("timestamped log", log + stamped(dump({0, 1}, 12, "\n"), 0) + log);
  // A dump, then a crash: the lines after the dump go the usual way, with
  // their timestamps (the crash's incident takes its own).
  const std::string crash = "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1\n"
                            "exit status 2\n";
  ExpectSame("timestamped dump, then a crash", stamped(dump({0, 1}, 12, "\n") + crash, 0));
  ExpectSame("timestamped dump, then a crash, mixed", stamped(dump({0, 1}, 12, "\n") + crash, 4));
  // docker json-file, CRI files and `kubectl logs --prefix`: the envelope
  // layer peels runs of these too (docker records in docker's exact shape
  // decoded by hand). Every line wrapped; with mix, every fifth line in a
  // shape the run must leave to Feed: a record without `\n` (docker joins
  // it with the next), `P` pieces, a `\u` escape above ASCII, a UTF-8
  // byte, a space after a colon, a `\r`, an `attrs` field, a second
  // envelope inside, a JSON log line inside, another pod's tag as long.
  auto json_escape = [](const std::string& l) {
    std::string o;
    for (char c : l) {
      if (c == '"' || c == '\\') o += '\\', o += c;
      else if (c == '\t') o += "\\t";
      else if (c == '\r') o += "\\r";
      else if (c == '<') o += "\\u003c";
      else if (c == '>') o += "\\u003e";
      else if (c == '&') o += "\\u0026";
      else if (static_cast<unsigned char>(c) < 0x20) {
        char b[8];
        snprintf(b, sizeof b, "\\u%04x", c);
        o += b;
      } else o += c;
    }
    return o;
  };
  auto wrapped = [&](const std::string& text, const std::string& form, int mix) {
    std::string out;
    size_t start = 0;
    int i = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      std::string line = text.substr(start, nl - start);
      start = nl + 1;
      ++i;
      int odd = mix > 0 && i % 5 == 0 ? (i / 5 + mix) % 8 : -1;
      std::string ts = "2026-11-23T10:00:00." + std::to_string(100000000 + i) + "Z";
      std::string strm = i % 13 == 0 ? "stdout" : "stderr";
      if (form == "docker") {
        std::string e = json_escape(line);
        if (odd == 0 && e.size() > 4) {
          out += "{\"log\":\"" + e.substr(0, 3) + "\",\"stream\":\"" + strm + "\",\"time\":\"" + ts + "\"}\n";
          e = e.substr(3);
        }
        if (odd == 1) e += "\\u00e9";
        if (odd == 2) e += "\xc3\xa9";
        if (odd == 3) e = "\\r" + e + "\\r";
        if (odd == 4) e = ts + " " + e;
        if (odd == 5) e = "{\\\"msg\\\":\\\"x\\\"}";
        std::string sep = odd == 6 ? "\": \"" : "\":\"";
        std::string tail = odd == 7 ? ",\"attrs\":{\"k\":\"v\"}}" : "}";
        out += "{\"log" + sep + e + "\\n\",\"stream\":\"" + strm + "\",\"time\":\"" + ts + "\"" + tail + "\n";
      } else if (form == "cri") {
        size_t piece = odd == 0 ? 7 : odd == 1 ? 30 : 0;
        while (piece > 0 && line.size() > piece) {
          out += ts + " " + strm + " P " + line.substr(0, piece) + "\n";
          line = line.substr(piece);
        }
        if (odd == 2) line = "[pod/x/y] " + line;
        if (odd == 3) line += "\r";
        if (odd == 4) line = "{\"msg\":\"" + json_escape(line) + "\\n\"}";
        if (odd == 5) line = "a\\nb=\"" + line + "\"";
        if ((odd == 6 || odd == 7) && line.size() > 5) {
          // A record's pieces with another stream's record, or a line of
          // no envelope, between them.
          out += ts + " " + strm + " P " + line.substr(0, 5) + "\n";
          out += odd == 6 ? ts + " " + (strm == "stdout" ? "stderr" : "stdout") + " F other stream\n"
                          : "not a record\n";
          line = line.substr(5);
        }
        out += ts + " " + strm + " F " + line + "\n";
      } else {  // kubectl --prefix
        std::string pre = "[pod/orders-7d9f8c6b5-x2kqz/orders] ";
        if (odd == 0) pre += ts + " ";
        if (odd == 1) pre = "[pod/a/b]";
        if (odd == 2) pre = "[step] ";
        if (odd == 3) line += "\r";
        if (odd == 4) pre = "[pod/orders-7d9f8c6b5-q8lmn/orders] ";  // another pod, a tag as long
        out += pre + line + "\n";
      }
    }
    return out;
  };
  for (const std::string form : {"docker", "cri", "prefix"}) {
    for (int mix = 0; mix <= 3; ++mix) {
      ExpectSame("all shapes x12, " + form + ", mix " + std::to_string(mix),
                 wrapped(dump(all, 12, "\n"), form, mix));
    }
    ExpectSame("real leak dump, " + form, wrapped(leak, form, 0));
    ExpectSame("real leak dump, " + form + ", mixed", wrapped(leak, form, 2));
    ExpectSame(form + " dump, then a crash", wrapped(dump({0, 1}, 12, "\n") + crash, form, 0));
  }
  // A CRI file where every line longer than a piece comes in `P` pieces,
  // as the bench's CRI row: known stacks are read in place, the pieces of
  // a frame or file line joined (StackTrie::MatchJoined). With twist,
  // every seventh cut line is one Feed must read: its last piece from the
  // other stream, or with a `\r`, or another stream's record between two
  // pieces, or a piece of no text.
  auto cri_pieces = [](const std::string& text, size_t piece, int twist) {
    std::string out;
    size_t start = 0;
    int cut = 0;
    for (int i = 1; start < text.size(); ++i) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      std::string line = text.substr(start, nl - start);
      start = nl + 1;
      std::string ts = "2026-11-23T10:00:00." + std::to_string(100000000 + i) + "Z";
      std::string strm = i % 11 == 0 ? "stdout" : "stderr";
      std::string other = strm == "stdout" ? "stderr" : "stdout";
      bool odd = line.size() > piece && ++cut % 7 == 0;
      while (line.size() > piece) {
        out += ts + " " + strm + " P " + line.substr(0, piece) + "\n";
        line = line.substr(piece);
        if (odd && twist == 3) out += ts + " " + other + " F between\n";
        if (odd && twist == 4) out += ts + " " + strm + " P \n";
      }
      if (odd && twist == 2) line += "\r";
      out += ts + " " + (odd && twist == 1 ? other : strm) + " F " + line + "\n";
    }
    return out;
  };
  // docker json-file records of known stacks are decoded one at a time
  // and compared (StackTrie::MatchJoined, DecodeDockerLine). With twist,
  // every seventh line is one the envelope layer reads itself: a record
  // holding this line and the next, a record of a line cut in two (no
  // `\n`, docker joins it with the next), a `\r\n` ending, another stream
  // name, a space before the record's end, an escaped `\n` inside, and
  // in a frame's arguments (read in place) an unescaped `"`, a byte over
  // 0x7f, a control byte: JSON docker would not write, which
  // DecodeDockerRecord leaves to nlohmann.
  auto docker_twists = [&](const std::string& text, int twist) {
    std::string out;
    size_t start = 0;
    for (int i = 1; start < text.size(); ++i) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      std::string line = json_escape(text.substr(start, nl - start));
      start = nl + 1;
      std::string strm = i % 11 == 0 ? "stdout" : "stderr";
      std::string head = "{\"log\":\"", tail = "\",\"stream\":\"" + strm + "\",\"time\":\"2026-11-23T10:00:00." +
                                                 std::to_string(100000000 + i) + "Z\"}";
      bool odd = i % 7 == 0 && start < text.size();
      if (odd && twist == 0) {
        size_t nl2 = text.find('\n', start);
        if (nl2 == std::string::npos) nl2 = text.size();
        line += "\\n" + json_escape(text.substr(start, nl2 - start));
        start = nl2 + 1;
      }
      if (odd && twist == 1 && line.size() > 3) {
        out += head + line.substr(0, 3) + tail + "\n";
        line = line.substr(3);
      }
      if (odd && twist == 2) line += "\\r";
      if (odd && twist == 3) tail = "\",\"stream\":\"console\",\"time\":\"2026-11-23T10:00:00Z\"}";
      if (odd && twist == 4) tail += " ";
      if (odd && twist == 5) line = "x\\ny " + line;
      if (size_t paren = line.find('('); odd && twist >= 7 && paren != std::string::npos)
        line.insert(paren + 1, twist == 7 ? "\"" : twist == 8 ? "\xc3\xa9" : "\x01");
      out += head + line + "\\n" + tail + "\n";
    }
    return out;
  };
  for (int twist : {0, 1, 2, 3, 4, 5, 7, 8, 9}) {
    std::string name = "docker records, twist " + std::to_string(twist);
    ExpectSame(name, docker_twists(dump(all, 12, "\n"), twist));
    ExpectSame("real leak dump, " + name, docker_twists(leak, twist));
  }
  // `<autogenerated>` file lines, escaped by docker as `\u003c...\u003e`.
  std::string autogen;
  for (int i = 0; i < 40; ++i)
    autogen += "goroutine " + std::to_string(i + 2) + " [select]:\nmain.(*T).Run(0x" + std::to_string(i) +
               ")\n\t<autogenerated>:1 +0x25\nmain.main.func1()\n\t/app/main.go:9 +0x1d\n\n";
  ExpectSame("docker records, <autogenerated>",
             docker_twists("goroutine 1 [running]:\nmain.main()\n\t/app/main.go:40 +0x9\n\n" + autogen, 6));
  // A function named in UTF-8 (Go identifiers may be): raw in docker's
  // JSON, which DecodeDockerRecord leaves to nlohmann.
  std::string utf8;
  for (int i = 0; i < 40; ++i)
    utf8 += "goroutine " + std::to_string(i + 2) + " [select]:\nmain.h\xc3\xa9llo(0x" + std::to_string(i) +
            ")\n\t/app/main.go:7 +0x25\nmain.main.func1()\n\t/app/m\xc3\xa9in.go:9 +0x1d\n\n";
  ExpectSame("docker records, UTF-8 names",
             docker_twists("goroutine 1 [running]:\nmain.main()\n\t/app/main.go:40 +0x9\n\n" + utf8, 6));
  for (size_t piece : {size_t{5}, size_t{16}, size_t{40}}) {
    for (int twist = 0; twist <= 4; ++twist) {
      std::string name = "CRI pieces of " + std::to_string(piece) + ", twist " + std::to_string(twist);
      ExpectSame(name, cri_pieces(dump(all, 12, "\n"), piece, twist));
      if (piece == 40) ExpectSame("real leak dump, " + name, cri_pieces(leak, piece, twist));
    }
  }
  // Tight limits: lines cut, frames dropped, stacks folded into the
  // overflow group, one sample per group.
  Limits tight;
  tight.max_line_bytes = 256;
  tight.max_frames = 3;
  tight.max_groups = 4;
  tight.max_samples_per_group = 1;
  tight.max_ids_per_group = 2;
  ExpectSame("all shapes x12 (tight limits)", dump(all, 12, "\n"), tight);
  ExpectSame("all shapes x12, timestamped (tight limits)", stamped(dump(all, 12, "\n"), 2), tight);
  for (const std::string form : {"docker", "cri", "prefix"})
    ExpectSame("all shapes x12, " + form + " (tight limits)", wrapped(dump(all, 12, "\n"), form, 1), tight);
  // Pieces each within the line limit, joined beyond it (the long
  // arguments' frame): Feed cuts the joined line, the lane must leave it.
  ExpectSame("CRI pieces of 100 (tight limits)", cri_pieces(dump(all, 12, "\n"), 100, 0), tight);
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

// Many files read on several threads (Parser::AddFiles, what `gotriage DIR`
// does) give the model AddFile on each in turn gives: the same incidents,
// pods, sources, warnings and limits, in the same order, and the same
// errors for the files that cannot be read.
json ReadAll(const std::vector<std::string>& paths, unsigned threads, const Limits& limits,
             std::vector<std::string>* errs) {
  ParseOptions o;
  o.limits = limits;
  Parser p(o);
  if (threads == 0) {
    for (const std::string& path : paths) {
      std::string e;
      if (!p.AddFile(path, &e)) errs->push_back(e);
    }
  } else {
    p.AddFiles(paths, threads, errs);
  }
  std::unique_ptr<ParsedInput> in = p.Finish();
  json pods = json::array();
  for (const PodStatus& pod : in->pods) pods.push_back({pod.name, pod.namespace_, pod.source, pod.first_line});
  return {ModelAll(*in), pods, in->sources, in->binary_sources, in->main_module};
}

std::vector<std::string> ManyInputs() {
  std::vector<std::string> paths;
  for (const fs::path& f : RealInputs()) paths.push_back(f.string());
  // One that cannot be read, among them.
  paths.insert(paths.begin() + static_cast<std::ptrdiff_t>(paths.size() / 2),
               (test_inputs::TestdataDir() / "no-such-input.txt").string());
  return paths;
}

TEST(ParallelInputs, SameModelAsOneFileAfterAnother) {
  std::vector<std::string> paths = ManyInputs();
  ASSERT_GT(paths.size(), 100u);
  std::vector<std::string> want_errs, got_errs;
  json want = ReadAll(paths, 0, {}, &want_errs);
  ASSERT_FALSE(want_errs.empty());
  EXPECT_TRUE(std::any_of(want_errs.begin(), want_errs.end(),
                          [](const std::string& e) { return e.find("no-such-input.txt") != std::string::npos; }));
  for (unsigned threads : {2u, 3u, 8u}) {
    got_errs.clear();
    json got = ReadAll(paths, threads, {}, &got_errs);
    EXPECT_EQ(got_errs, want_errs) << threads << " threads";
    if (got != want)
      ADD_FAILURE() << threads << " threads: another model than one file after another: "
                    << json::diff(want, got).dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 2000);
  }
}

TEST(ParallelInputs, SameLimitsAsOneFileAfterAnother) {
  // The incidents per run are counted over all files, whichever thread
  // read them: the same incidents are kept. How many were dropped may
  // differ by the few that a thread below the limit merged into the one
  // before them (a dump continued) where one file after another had
  // already dropped that one: the note is there either way.
  std::vector<std::string> paths = ManyInputs();
  Limits limits;
  limits.max_incidents = 37;
  std::vector<std::string> want_errs, got_errs;
  json want = ReadAll(paths, 0, limits, &want_errs);
  json got = ReadAll(paths, 4, limits, &got_errs);
  EXPECT_EQ(got_errs, want_errs);
  ASSERT_EQ(want[0][0].size(), 37u);
  EXPECT_EQ(got[0][0], want[0][0]);  // the incidents
  for (size_t k = 1; k < want.size(); ++k) EXPECT_EQ(got[k], want[k]) << k;
  for (size_t k = 0; k < want[0].size(); ++k) {
    if (k == 6) continue;  // the limits
    EXPECT_EQ(got[0][k], want[0][k]) << k;
  }
  ASSERT_EQ(want[0][6].size(), 1u);
  ASSERT_EQ(got[0][6].size(), 1u);
  EXPECT_EQ(got[0][6][0][0], "incidents per run (--max-incidents)");
  EXPECT_NEAR(got[0][6][0][1].get<double>(), want[0][6][0][1].get<double>(), 3);
}

}  // namespace
}  // namespace gotriage
