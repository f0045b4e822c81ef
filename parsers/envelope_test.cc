// Tests of log envelope removal on real runtime output: the committed
// envelope variants (testdata/fixtures/variants, made by testdata/variants)
// and, for envelopes without a committed variant, the real captures wrapped
// here line by line.
//
// Over 600 lines: one test or table per envelope form (kubectl, CRI,
// Docker, journald, syslog, cloud viewers, structured loggers), each
// small; they share the wrapping helpers at the top.
#include "parsers/envelope.h"
#include "parsers/pprof_debug1.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "parsers/grammar.h"
#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

const std::string kFixtures = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/";
const std::string kCorpus = test_inputs::CorpusDir().string() + "/";

std::string ReadFile(const std::string& path) {
  return test_inputs::ReadInput(path);  // a missing or empty input fails
}

std::unique_ptr<ParsedInput> ParseFile(const std::string& path) {
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(path, &err)) << err;
  return p.Finish();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// Wraps every line of \a text with \a wrap(line, index).
std::string Wrap(const std::string& text, const std::function<std::string(const std::string&, size_t)>& wrap) {
  std::string out;
  std::vector<std::string> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) out += wrap(lines[i], i) + "\n";
  return out;
}

std::string JsonEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      default: o.push_back(c);
    }
  }
  return o;
}

// The crash-relevant shape of a parse: incident kinds, titles, goroutine
// counts, and the crashing goroutine's functions and input lines.
std::string Shape(const ParsedInput& in, bool with_lines = true) {
  std::string s;
  for (const Incident& inc : in.incidents) {
    s += std::string(IncidentKindName(inc.kind)) + " | " + inc.Title() + " | " +
         std::to_string(inc.goroutine_count) + "\n";
    if (inc.crashing) {
      for (const Frame& f : inc.crashing->frames) {
        s += "  " + std::string(f.function) + " " + std::string(f.file) + ":" + std::to_string(f.line);
        if (with_lines) s += " @" + std::to_string(f.input_line);
        s += "\n";
      }
    }
  }
  return s;
}

TEST(PeelPrefixes, RecognisesEachEnvelope) {
  struct Case {
    const char* line;
    const char* rest;
    const char* ts;
  } cases[] = {
      {"2024-12-25T08:44:16.123456789Z goroutine 1 [running]:", "goroutine 1 [running]:",
       "2024-12-25T08:44:16.123456789Z"},
      {"2024-12-25T08:44:16+08:00 stderr F panic: boom", "panic: boom", "2024-12-25T08:44:16+08:00"},
      {"[pod/api-7d9/app] fatal error: concurrent map writes", "fatal error: concurrent map writes", ""},
      {"[pod/api-7d9/app] 2024-12-25T08:44:16Z main.main()", "main.main()", "2024-12-25T08:44:16Z"},
      {"Nov 23 12:00:00 node1 kubelet[123]: goroutine 1 [running]:", "goroutine 1 [running]:",
       "Nov 23 12:00:00"},
      {"Jun  6 07:10:21 pi5 app: panic: x", "panic: x", "Jun  6 07:10:21"},
      {"Jun 26 07:10:21 pi5 app[7]: #011/usr/local/go/src/runtime/panic.go:1 +0x1",
       "/usr/local/go/src/runtime/panic.go:1 +0x1", "Jun 26 07:10:21"},
      {"E1123 12:00:00.123456   123 runtime.go:79] Observed a panic", "Observed a panic",
       "1123 12:00:00.123456"},
      {"00:09:35.222 panic: hang [recovered]", "panic: hang [recovered]", "00:09:35.222"},
      {"[build-step] goroutine 1 [running]:", "goroutine 1 [running]:", ""},
      {"2024-01-15T10:00:00.123456Z 01E+ goroutine 1 [running]:", "goroutine 1 [running]:",
       "2024-01-15T10:00:00.123456Z"},
      {"api_1  | panic: boom", "panic: boom", ""},
      {"api-1  | ", "", ""},
      {"Sat, Aug 27 2022 3:47:12 pm | goroutine 70 [running]:", "goroutine 70 [running]:",
       "Sat, Aug 27 2022 3:47:12 pm"},
      {"2024-01-15T10:00:00Z node1 kubelet[716]: fatal error: x", "fatal error: x", "2024-01-15T10:00:00Z"},
      // journald in other locales: the month is the locale's %b.
      {"4月 03 09:26:35 k8snode1 kubelet[9519]: panic: x", "panic: x", "4月 03 09:26:35"},
      {"4월 03 09:26:35 node kubelet[9519]: main.main()", "main.main()", "4월 03 09:26:35"},
      {"avr. 03 09:26:35 node app[1]: goroutine 1 [running]:", "goroutine 1 [running]:", "avr. 03 09:26:35"},
      {"апр 03 09:26:35 node app[1]: panic: x", "panic: x", "апр 03 09:26:35"},
      {"Mär  3 09:26:35.123 node app[1]: panic: x", "panic: x", "Mär  3 09:26:35.123"},
      // A quote (nested either way) or an indent before an envelope.
      {"> 2024-01-15T10:00:00Z goroutine 1 [running]:", "goroutine 1 [running]:", "2024-01-15T10:00:00Z"},
      {"> > Nov 23 12:00:00 node1 kubelet[123]: panic: x", "panic: x", "Nov 23 12:00:00"},
      {">> Nov 23 12:00:00 node1 kubelet[123]: panic: x", "panic: x", "Nov 23 12:00:00"},
      {"    2024-12-25T08:44:16Z stderr F panic: boom", "panic: boom", "2024-12-25T08:44:16Z"},
  };
  for (const Case& c : cases) {
    std::string_view line = c.line, ts, stream;
    bool partial;
    EXPECT_GT(PeelPrefixes(&line, &ts, &stream, &partial), 0) << c.line;
    EXPECT_EQ(line, c.rest) << c.line;
    EXPECT_EQ(ts, c.ts) << c.line;
  }
}

TEST(PeelPrefixes, LeavesTraceAndProseAlone) {
  const char* lines[] = {
      "goroutine 1 [running]:",
      "main.main()",
      "\t/app/main.go:12 +0x1d",
      "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f5b2]",
      "[originating from goroutine 1]:",
      "SIGQUIT: quit",
      "PC=0x40a8ae m=0 sigcode=0",
      "panic: runtime error: index out of range [5] with length 3",
      "fatal error: concurrent map writes",
      "created by main.main in goroutine 1",
      "rax    0x0",
      "2026/11/23 12:00:01 panic: runtime error",  // Go's log package: the app's own text
      "2024-12-25T08:44:16Z is when it crashed, see below:x",
      "I ran it at 12:00 and got this:",
      "Name:         xxxxxx-api-6577f45dd5-9gprq",
      "Events:          <none>",
      "time=\"2017-01-17T09:43:51Z\" level=info msg=\"Received\"",
      "FAIL\tgithub.com/x/y\t0.1s",
      // Shaped like a localised journald stamp, but no `host tag[pid]:`.
      "about 3 12:00:00 we saw: panic",
      "goroutine 1 12:00:00 x y[1]z",
      "main.f(0x1) 12:00:00 host app[1]: x",
  };
  for (const char* l : lines) {
    std::string_view line = l, ts, stream;
    bool partial;
    std::string_view before = line;
    int n = PeelPrefixes(&line, &ts, &stream, &partial);
    if (std::string_view(l).rfind("2024-12-25T08:44:16Z is", 0) == 0) {
      // A timestamp then prose: peeled, the rest is prose.
      EXPECT_EQ(n, 1);
      continue;
    }
    EXPECT_EQ(n, 0) << l;
    EXPECT_EQ(line, before);
  }
}

// Every committed variant parses to the same incidents as its source capture.
TEST(EnvelopeVariants, SameDiagnosisAsThePlainCapture) {
  struct Case {
    const char* variant;
    const char* plain;
    bool ts;
  } cases[] = {
      {"concurrent-map-writes.go126.kubectl-prefix.txt", "concurrent-map-writes.go126.txt", false},
      {"deadlock-all-asleep.go126.crlf.txt", "deadlock-all-asleep.go126.txt", false},
      {"goroutine-leak-debug2-t1.go126.gzip.txt.gz", "goroutine-leak-debug2-t1.go126.txt", false},
      {"nil-deref.go119.docker-json.txt", "nil-deref.go119.txt", true},
      {"nil-deref.go126.cri.txt", "nil-deref.go126.txt", true},
      {"seed-report-queue-sigquit.go126.cri-small-partials.txt", "seed-report-queue-sigquit.go126.txt", true},
      {"seed-shared-client.go126.kubectl-timestamps.txt", "seed-shared-client.go126.txt", true},
      {"test-timeout.go119.kubectl-timestamps.txt.gz", "test-timeout.go119.txt", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.variant);
    auto v = ParseFile(kFixtures + "variants/" + c.variant);
    auto p = ParseFile(kFixtures + c.plain);
    ASSERT_FALSE(v->incidents.empty());
    // CRI partial records join several input lines into one, so only the
    // 1:1 envelopes keep the capture's line numbers.
    bool same_lines = std::string(c.variant).find(".cri") == std::string::npos;
    EXPECT_EQ(Shape(*v, same_lines), Shape(*p, same_lines));
    for (const Incident& inc : v->incidents) EXPECT_EQ(!inc.timestamp.empty(), c.ts) << inc.Title();
  }
}

TEST(EnvelopeVariants, CriPartialsJoinedAndNumberedByFirstRecord) {
  auto v = ParseFile(kFixtures + "variants/nil-deref.go126.cri.txt");
  ASSERT_EQ(v->incidents.size(), 1u);
  const Incident& inc = v->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kPanic);
  // The 20 KiB line split into P + F is one logical line: the panic is on
  // input line 5 as in the file.
  EXPECT_EQ(inc.first_line, 5u);
  EXPECT_EQ(inc.timestamp, "2026-11-23T12:00:00.000548004Z");
  EXPECT_EQ(v->lines, Lines(ReadFile(kFixtures + "variants/nil-deref.go126.cri.txt")).size() - 1);
}

TEST(EnvelopeVariants, ZapJsonStackIsARecoveredPanic) {
  auto v = ParseFile(kFixtures + "variants/nil-deref-recovered.go126.zap-json.txt");
  ASSERT_EQ(v->incidents.size(), 1u);
  const Incident& inc = v->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kRecoveredPanic);
  ASSERT_FALSE(inc.panics.empty());
  EXPECT_EQ(inc.panics[0].message, "runtime error: invalid memory address or nil pointer dereference");
  EXPECT_EQ(inc.first_line, 3u);  // every line of the record carries its number
  EXPECT_EQ(inc.last_line, 3u);
  EXPECT_EQ(inc.timestamp, "2026-11-23T12:00:01.377Z");  // zap's epoch `ts`
  ASSERT_TRUE(inc.crashing);
  bool isadmin = false;
  for (const Frame& f : inc.crashing->frames) isadmin |= f.function == "main.isAdmin";
  EXPECT_TRUE(isadmin);
}

TEST(EnvelopeVariants, AppLogsBetweenTraces) {
  auto v = ParseFile(kFixtures + "variants/seed-shared-client.go126.app-logs.txt");
  ASSERT_EQ(v->incidents.size(), 2u);
  EXPECT_EQ(v->incidents[0].kind, IncidentKind::kRecoveredPanic);
  EXPECT_EQ(v->incidents[1].kind, IncidentKind::kFatalError);
}

// Envelopes without a committed variant: real captures wrapped here.
struct WrapCase {
  const char* name;
  std::function<std::string(const std::string&, size_t)> wrap;
  bool ts;
};

// Docker's stream header before a frame of \a size bytes of \a stream.
std::string StdcopyHeader(int stream, size_t size) {
  std::string h(8, '\0');
  h[0] = static_cast<char>(stream);
  for (int k = 0; k < 4; ++k) h[4 + k] = static_cast<char>((size >> (8 * (3 - k))) & 0xff);
  return h;
}

TEST(EnvelopeWrapped, RealCapturesInEveryPrefixEnvelope) {
  const char* captures[] = {"concurrent-map-writes.go126.txt", "nil-deref.go119.txt",
                            "http-no-timeout-pool-sigquit.go126.txt", "nil-deref-recovered.go126.txt"};
  auto two = [](size_t i) {
    char b[8];
    snprintf(b, sizeof b, "%02zu", i % 60);
    return std::string(b);
  };
  std::vector<WrapCase> cases = {
      {"journald", [&](const std::string& l, size_t i) { return "Nov 23 12:00:" + two(i) + " node-1 catalog[4242]: " + l; }, true},
      {"syslog-iso", [&](const std::string& l, size_t i) { return "2026-11-23T12:00:" + two(i) + ".5+00:00 node-1 catalog[4242]: " + l; }, true},
      {"klog", [&](const std::string& l, size_t i) { return "E1123 12:00:" + two(i) + ".123456   4242 main.go:12] " + l; }, true},
      {"jenkins", [&](const std::string& l, size_t i) { return "12:00:" + two(i) + ".222 " + l; }, true},
      {"ci-step", [&](const std::string& l, size_t) { return "[unit-tests] " + l; }, false},
      {"ci-step+timestamp", [&](const std::string& l, size_t i) { return "2026-11-23T12:00:" + two(i) + ".1234567Z [build] " + l; }, true},
      {"gitlab", [&](const std::string& l, size_t i) { return "2026-11-23T12:00:" + two(i) + ".123456Z 01E " + l; }, true},
      {"compose", [&](const std::string& l, size_t) { return "catalog_1  | " + l; }, false},
      {"compose-v2", [&](const std::string& l, size_t) { return "catalog-api-1  | " + l; }, false},
      {"rancher", [&](const std::string& l, size_t i) { return "Sat, Aug 27 2022 3:47:" + two(i) + " pm | " + l; }, true},
      {"kubectl-prefix+timestamps", [&](const std::string& l, size_t i) { return "[pod/catalog-7d9f8b6c5-x2k4q/app] 2026-11-23T12:00:" + two(i) + "Z " + l; }, true},
      {"crlf", [&](const std::string& l, size_t) { return l + "\r"; }, false},
      // Docker's multiplexed stream, printed raw (stdcopy's 8-byte header:
      // stream, three zero bytes, the frame's size big-endian), with and
      // without `--timestamps`; and pasted, where only the size's last byte
      // is left when it is printable, U+FFFD when it is over 0x7f
      // (smartcontractkit/chainlink#20254).
      // A log pipeline's export, one record per line of output: GKE's
      // JSON `message`, journald's `-o json` `MESSAGE`, a logfmt field
      // (convox/rack#2537's `trace="..."`).
      {"json-message-per-line", [&](const std::string& l, size_t i) {
         return "{\"severity\":\"ERROR\",\"timestamp\":\"2026-11-23T12:00:" + two(i) + "Z\",\"message\":" +
                nlohmann::json(l).dump() + "}"; }, true},
      {"journald-json", [&](const std::string& l, size_t) {
         return "{\"_PID\":\"4242\",\"MESSAGE\":" + nlohmann::json(l).dump() + ",\"_COMM\":\"catalog\"}"; }, false},
      {"logfmt-field-per-line", [&](const std::string& l, size_t i) {
         return "time=\"2026-11-23T12:00:" + two(i) + "Z\" level=error ns=kernel trace=" + nlohmann::json(l).dump(); }, true},
      {"docker-stream", [&](const std::string& l, size_t) { return StdcopyHeader(2, l.size() + 1) + l; }, false},
      {"docker-stream+timestamps", [&](const std::string& l, size_t i) {
         std::string t = "2026-11-23T12:00:" + two(i) + ".116124632Z " + l;
         return StdcopyHeader(1, t.size() + 1) + t; }, true},
      {"docker-stream-pasted", [&](const std::string& l, size_t i) {
         std::string t = "2026-11-23T12:00:" + two(i) + ".116124632Z " + l;
         unsigned char last = static_cast<unsigned char>((t.size() + 1) & 0xff);
         return (last >= 0x80 ? std::string("\xEF\xBF\xBD") : last >= 0x20 && last < 0x7f ? std::string(1, static_cast<char>(last)) : std::string()) + t; }, true},
  };
  for (const char* cap : captures) {
    std::string plain = ReadFile(kFixtures + cap);
    auto p = ParseText(plain);
    ASSERT_FALSE(p->incidents.empty()) << cap;
    for (const WrapCase& c : cases) {
      SCOPED_TRACE(std::string(cap) + " in " + c.name);
      auto v = ParseText(Wrap(plain, c.wrap));
      EXPECT_EQ(Shape(*v), Shape(*p));
      for (const Incident& inc : v->incidents) EXPECT_EQ(!inc.timestamp.empty(), c.ts);
    }
  }
}

TEST(EnvelopeWrapped, DockerJsonLongLineSplitAt16KiB) {
  std::string plain = ReadFile(kFixtures + "nil-deref.go126.txt");
  std::string out;
  std::string big(40000, 'x');
  out += "{\"log\":\"" + big.substr(0, 16384) + "\",\"stream\":\"stdout\",\"time\":\"2026-11-23T12:00:00Z\"}\n";
  out += "{\"log\":\"" + big.substr(16384, 16384) + "\",\"stream\":\"stdout\",\"time\":\"2026-11-23T12:00:00Z\"}\n";
  out += "{\"log\":\"" + big.substr(32768) + "\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-23T12:00:00Z\"}\n";
  out += Wrap(plain, [](const std::string& l, size_t) {
    return "{\"log\":\"" + JsonEscape(l) + "\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-23T12:00:01Z\"}";
  });
  auto v = ParseText(out);
  auto p = ParseText(plain);
  ASSERT_EQ(v->incidents.size(), 1u);
  EXPECT_EQ(Shape(*v, false), Shape(*p, false));
  EXPECT_EQ(v->incidents[0].first_line, p->incidents[0].first_line + 3);
  EXPECT_EQ(v->incidents[0].timestamp, "2026-11-23T12:00:01Z");
  EXPECT_EQ(v->lines, Lines(plain).size() + 1);  // three records, one line
}

// Structured logs holding the stack of a recovered panic: logrus, slog and
// klog JSON with the whole `debug.Stack()`, zap with its frame-only form.
TEST(EnvelopeJson, StackFieldsOfCommonLoggers) {
  std::string plain = ReadFile(kFixtures + "nil-deref-recovered.go126.txt");
  std::vector<std::string> lines = Lines(plain);
  // The debug.Stack() text of the real capture (lines 3..15).
  std::string stack;
  for (size_t i = 2; i < 15; ++i) stack += lines[i] + "\n";
  ASSERT_EQ(stack.rfind("goroutine 1 [running]:", 0), 0u);
  // zap's frame-only form of the same stack: `func\n\tfile:line`, no
  // arguments, no offsets, no goroutine header.
  std::string zap;
  for (size_t i = 3; i < 15; i += 2) {
    std::string fn = lines[i].substr(0, lines[i].find('('));
    if (fn == "panic") fn = "runtime.gopanic";
    std::string file = lines[i + 1].substr(0, lines[i + 1].find(" +0x"));
    zap += fn + "\n" + file + "\n";
  }
  zap.pop_back();
  std::string e = JsonEscape(stack), z = JsonEscape(zap);
  const std::string msg = "runtime error: invalid memory address or nil pointer dereference";
  struct Case {
    const char* name;
    std::string line;
    const char* ts;
  } cases[] = {
      {"logrus", "{\"level\":\"error\",\"msg\":\"recovered from panic\",\"panic\":\"" + msg + "\",\"stack\":\"" + e + "\",\"time\":\"2026-11-23T12:25:26Z\"}", "2026-11-23T12:25:26Z"},
      {"slog", "{\"time\":\"2026-11-23T12:25:26.5+01:00\",\"level\":\"ERROR\",\"msg\":\"panic\",\"error\":\"" + msg + "\",\"stack_trace\":\"" + e + "\"}", "2026-11-23T12:25:26.5+01:00"},
      {"klog-json", "{\"ts\":1795435201.377,\"v\":0,\"msg\":\"Observed a panic\",\"err\":{\"message\":\"" + msg + "\",\"stack\":\"" + e + "\"}}", "2026-11-23T12:00:01.377Z"},
      {"ecs", "{\"@timestamp\":\"2026-11-23T12:25:26Z\",\"message\":\"panic recovered\",\"error.message\":\"" + msg + "\",\"error.stack\":\"" + e + "\"}", "2026-11-23T12:25:26Z"},
      {"zap-frames", "{\"level\":\"error\",\"ts\":1795435201.377,\"msg\":\"panic recovered\",\"error\":\"" + msg + "\",\"stacktrace\":\"" + z + "\"}", "2026-11-23T12:00:01.377Z"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text = "{\"level\":\"info\",\"msg\":\"listening\"}\n" + c.line + "\n{\"level\":\"info\",\"msg\":\"done\"}\n";
    auto v = ParseText(text);
    ASSERT_EQ(v->incidents.size(), 1u);
    const Incident& inc = v->incidents[0];
    EXPECT_EQ(inc.kind, IncidentKind::kRecoveredPanic);
    ASSERT_FALSE(inc.panics.empty());
    EXPECT_EQ(inc.panics[0].message, msg);
    EXPECT_EQ(inc.first_line, 2u);
    EXPECT_EQ(inc.timestamp, c.ts);
    ASSERT_TRUE(inc.crashing);
    std::vector<std::string> fns;
    for (const Frame& f : inc.crashing->frames) fns.emplace_back(f.function);
    EXPECT_NE(std::find(fns.begin(), fns.end(), "main.isAdmin"), fns.end());
    EXPECT_NE(std::find(fns.begin(), fns.end(), "main.handle"), fns.end());
    for (const Frame& f : inc.crashing->frames) {
      EXPECT_FALSE(f.file.empty()) << f.function;
      EXPECT_EQ(f.input_line, 2u);
    }
  }
}

// The record's panic travels with the stack's first line as data
// (Line::logged); the lines are the stack's own, no text made up for the
// traceback parser (no `recovered panic:` line, header or `()`).
TEST(EnvelopeJson, LoggedStackIsDataOnItsFirstLine) {
  struct Got {
    std::string text;
    bool logged = false;
    std::string message;
    bool frames_only = false;
  };
  struct Sink : LineSink {
    std::vector<Got> got;
    void OnLine(const Line& line) override {
      Got g{std::string(line.text), line.logged != nullptr, "", false};
      if (line.logged) {
        g.message = line.logged->message;
        g.frames_only = line.logged->frames_only;
      }
      got.push_back(std::move(g));
    }
    void OnEnd() override {}
  };
  auto unwrap = [](const std::string& record) {
    Sink sink;
    EnvelopeUnwrapper env(&sink);
    env.Feed(record, 1, false, false);
    env.End();
    return sink.got;
  };
  std::vector<Got> zap = unwrap(
      "{\"level\":\"error\",\"msg\":\"panic recovered\",\"error\":\"boom\\nmore\",\"stacktrace\":"
      "\"main.handle\\n\\t/app/main.go:42\\nmain.main\\n\\t/app/main.go:12\"}");
  ASSERT_EQ(zap.size(), 5u);
  EXPECT_EQ(zap[0].text, "main.handle");
  EXPECT_TRUE(zap[0].logged);
  EXPECT_EQ(zap[0].message, "boom");  // the first line of what the record said
  EXPECT_TRUE(zap[0].frames_only);
  EXPECT_EQ(zap[2].text, "main.main");
  for (size_t i = 1; i < zap.size(); ++i) EXPECT_FALSE(zap[i].logged) << i;
  EXPECT_EQ(zap[4].text, "");  // the record's end
  std::vector<Got> logrus = unwrap(
      "{\"msg\":\"recovered from panic\",\"panic\":\"x\",\"stack\":\"goroutine 7 [running]:\\n"
      "main.handle(0x1)\\n\\t/app/main.go:42 +0x1d\\n\"}");
  ASSERT_GE(logrus.size(), 3u);
  EXPECT_EQ(logrus[0].text, "goroutine 7 [running]:");
  EXPECT_TRUE(logrus[0].logged);
  EXPECT_FALSE(logrus[0].frames_only);
  for (const Got& g : logrus) {
    EXPECT_EQ(g.text.find("recovered panic"), std::string::npos);
    EXPECT_EQ(g.text.find("goroutine 0"), std::string::npos);
  }
}

// A record's stack right after a goroutine dump, no line between: a
// recovered panic of its own, not one more goroutine of the dump.
TEST(EnvelopeJson, LoggedStackRightAfterADumpIsItsOwnIncident) {
  const std::string dump = "goroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:9 +0x1d\n";
  const std::string rec =
      "{\"msg\":\"panic recovered\",\"error\":\"boom\",\"stacktrace\":\"main.handle\\n\\t/app/main.go:42\"}\n";
  for (bool follow : {false, true}) {
    SCOPED_TRACE(follow ? "--follow" : "batch");
    ParseOptions o;
    std::vector<Incident> streamed;
    if (follow)
      o.on_incident = [&](ParsedInput& in) {
        for (const Incident& i : in.incidents) streamed.push_back(i);
      };
    Parser p(o);
    std::string err;
    ASSERT_TRUE(p.AddText("-", dump + rec, &err)) << err;
    auto v = p.Finish();
    const std::vector<Incident>& incs = follow ? streamed : v->incidents;
    ASSERT_EQ(incs.size(), 2u);
    EXPECT_EQ(incs[0].kind, IncidentKind::kGoroutineDump);
    EXPECT_EQ(incs[0].goroutine_count, 1u);
    EXPECT_EQ(incs[1].kind, IncidentKind::kRecoveredPanic);
    ASSERT_EQ(incs[1].panics.size(), 1u);
    EXPECT_EQ(incs[1].panics[0].message, "boom");
    ASSERT_TRUE(incs[1].crashing);
    ASSERT_EQ(incs[1].crashing->frames.size(), 1u);
    EXPECT_EQ(incs[1].crashing->frames[0].function, "main.handle");
  }
}

// A record a person edited: cut before its end, a redacted value's closing
// quote lost (`"name":"xyz,"reconcileID":...`), every frame autolinked by
// the issue editor (kubernetes-sigs/kueue#10640). Its stack and panic are
// still read.
TEST(EnvelopeJson, HandEditedCutRecordStillGivesItsStack) {
  auto in = ParseFile(test_inputs::CorpusDir() / "fresh2/C-kueue-10640-zap-json-observed-panic-autolink-mangled.log");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kRecoveredPanic);
  ASSERT_EQ(inc.panics.size(), 1u);
  EXPECT_EQ(inc.panics[0].message, "runtime error: invalid memory address or nil pointer dereference");
  ASSERT_TRUE(inc.crashing);
  ASSERT_EQ(inc.crashing->frames.size(), 4u);
  EXPECT_EQ(inc.crashing->frames[1].function, "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller[...]).Reconcile.func1");
  EXPECT_EQ(inc.crashing->frames[3].function, "sigs.k8s.io/kueue/pkg/controller/tas.(*nodeReconciler).getWorkloadStatus");
  // The same record, whole and clean but for the lost quote, reads the same.
  auto clean = ParseText(
      "{\"level\":\"error\",\"msg\":\"Observed a panic\",\"name\":\"xyz,\"id\":\"5\",\"panic\":\"boom\","
      "\"stacktrace\":\"goroutine 7 [running]:\\nmain.f()\\n\\t/app/main.go:3 +0x1\\npanic({0x1, 0x2})\\n"
      "\\t/usr/local/go/src/runtime/panic.go:783 +0x132\\nmain.g()\\n\\t/app/main.go:9 +0x2\"\n");
  ASSERT_EQ(clean->incidents.size(), 1u);
  ASSERT_EQ(clean->incidents[0].panics.size(), 1u);
  EXPECT_EQ(clean->incidents[0].panics[0].message, "boom");
}

TEST(EnvelopeJson, ErrorWithStackIsNotAPanic) {
  // zap adds a stacktrace to every Error-level entry: not an incident.
  auto v = ParseText(
      "{\"level\":\"error\",\"ts\":1795435201.377,\"msg\":\"sync failed\",\"error\":\"connection refused\","
      "\"stacktrace\":\"main.sync\\n\\t/app/main.go:42\\nmain.main\\n\\t/app/main.go:12\"}\n");
  EXPECT_TRUE(v->incidents.empty());
}

// A watchdog that logs runtime.Stack(buf, true) (or a debug=2 profile)
// into one field: all goroutines, read as the dump they are. One goroutine
// (debug.Stack(), a logger's own capture) with no panic stays an error log.
TEST(EnvelopeJson, AllGoroutinesInOneFieldAreADump) {
  std::string dump = ReadFile(kFixtures + "goroutine-leak-debug2-t1.go126.txt");
  nlohmann::json rec = {{"level", "warn"}, {"msg", "watchdog: requests stuck"}, {"goroutines", dump}};
  auto v = ParseText(rec.dump() + "\n");
  auto bare = ParseText(dump);
  ASSERT_EQ(v->incidents.size(), 1u);
  ASSERT_EQ(bare->incidents.size(), 1u);
  EXPECT_EQ(v->incidents[0].kind, IncidentKind::kGoroutineDump);
  EXPECT_EQ(v->incidents[0].groups.size(), bare->incidents[0].groups.size());
  EXPECT_EQ(v->incidents[0].goroutine_count, bare->incidents[0].goroutine_count);
  nlohmann::json one = {{"level", "error"},
                        {"msg", "sync failed"},
                        {"stack", "goroutine 7 [running]:\nmain.sync()\n\t/app/main.go:42 +0x1d\n"}};
  EXPECT_TRUE(ParseText(one.dump() + "\n")->incidents.empty());
  // Not the caller's own stack: a goroutine parked 41 minutes, a debug=1
  // record, the runtime's signal line of a crash whose panic line was lost.
  for (const char* text :
       {"goroutine 307 [IO wait, 41 minutes]:\ninternal/poll.runtime_pollWait(0x7f2d, 0x72)\n"
        "\t/go/src/runtime/netpoll.go:182 +0x56\n",
        "426 @ 0x4416ea 0x472411\n#\t0x4c72e8\tnet/http.(*persistConn).readLoop+0x9c8\t/go/src/net/http/"
        "transport.go:1536\n",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x887433]\n\ngoroutine 26 [running]:\n"
        "main.main()\n\t/src/main.go:5 +0x1d\n"}) {
    SCOPED_TRACE(text);
    nlohmann::json r = {{"level", "error"}, {"msg", "watchdog"}, {"stack", text}};
    EXPECT_EQ(ParseText(r.dump() + "\n")->incidents.size(), 1u);
  }
  // The same with go1.27's GOTRACEBACK=system header (`goroutine 1
  // gp=0x... m=nil [sleep]:`), one goroutine cut out of a real capture.
  std::string system = ReadFile(kFixtures + "gotraceback-system.go127.txt");
  size_t at = system.find("\ngoroutine 1 gp=");
  ASSERT_NE(at, std::string::npos);
  size_t end = system.find("\n\n", at + 1);
  std::string block = system.substr(at + 1, end == std::string::npos ? std::string::npos : end - at);
  nlohmann::json sys = {{"level", "error"}, {"msg", "watchdog"}, {"stack", block}};
  auto v27 = ParseText(sys.dump() + "\n");
  ASSERT_EQ(v27->incidents.size(), 1u) << block;
  EXPECT_EQ(v27->incidents[0].goroutine_count, 1u);
}

TEST(EnvelopeJson, JsonLogLineThenPlainTraceKeepsTheTrace) {
  // Corpus case: a JSON log line, then an unrecovered panic on stderr.
  auto v = ParseFile(kCorpus + "crashes/50-service-level-operator-json-log-then-nil-deref.log");
  ASSERT_EQ(v->incidents.size(), 1u);
  EXPECT_EQ(v->incidents[0].kind, IncidentKind::kPanic);
}

// cluster-api#5709: a klog structured line whose quoted keys
// (`"msg"="Reconciler error" "error"="panic during reconcile: ...\ngoroutine
// 713 [running]:\n..."`) carry a message and then the stack in one value,
// the line cut by the paste after `panic(`.
TEST(EnvelopeCorpus, KlogQuotedKeysMessageThenStackInOneValue) {
  const std::string path = kCorpus + "threads/81-cluster-api-5709-klog-reconciler-error-escaped-stack.log";
  auto v = ParseFile(path);
  ASSERT_EQ(v->incidents.size(), 1u);
  const Incident& inc = v->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kRecoveredPanic);
  ASSERT_FALSE(inc.panics.empty());
  EXPECT_EQ(inc.panics[0].message,
            "panic during reconcile: runtime error: invalid memory address or nil pointer dereference");
  ASSERT_TRUE(inc.crashing);
  EXPECT_EQ(inc.crashing->id, 713);
  ASSERT_EQ(inc.crashing->frames.size(), 3u);
  EXPECT_EQ(inc.crashing->frames[1].function, "sigs.k8s.io/cluster-api/controllers.(*ClusterReconciler).Reconcile.func1");
  EXPECT_TRUE(inc.crashing->frames[2].is_panic);
  // The same line in a markdown code block (4-space indent), and logged
  // whole as a field of a JSON record (a collector wrapping each line).
  std::string line = Lines(ReadFile(path))[0];
  for (const std::string& text : {"    " + line + "\n",
                                  "{\"level\":\"info\",\"log\":\"" + JsonEscape(line) + "\",\"source\":\"stderr\"}\n",
                                  "{\"level\":\"info\",\"line\":\"" + JsonEscape(line) + "\",\"source\":\"stderr\"}\n"}) {
    auto w = ParseText(text);
    EXPECT_EQ(Shape(*w, false), Shape(*v, false)) << text.substr(0, 40);
  }
}

// A real structured record (zap JSON of the nil-deref-recovered capture)
// under a markdown code block's indent is read as it is without one.
TEST(EnvelopeVariants, IndentedRecordIsReadLikeTheRecord) {
  std::string zap = ReadFile(kFixtures + "variants/nil-deref-recovered.go126.zap-json.txt");
  auto plain = ParseText(zap);
  ASSERT_FALSE(plain->incidents.empty());
  auto indented = ParseText(Wrap(zap, [](const std::string& l, size_t) { return "    " + l; }));
  EXPECT_EQ(Shape(*indented, false), Shape(*plain, false));
}

TEST(EnvelopeCorpus, PrefixedCrashesFromIssueThreads) {
  struct Case {
    const char* file;
    IncidentKind kind;
    const char* frame;  // a function that must be in the crashing goroutine
  } cases[] = {
      {"crashes/03-k8s-kubelet-nodeallocatable-concurrent-map-writes-journald-arm.log", IncidentKind::kFatalError,
       "k8s.io/kubernetes/pkg/kubelet/cm.(*containerManagerImpl).GetNodeAllocatableReservation"},
      {"crashes/07-go-json-map-iteration-rancher-prefix.log", IncidentKind::kGoroutineDump,
       "github.com/goccy/go-json/internal/encoder/vm.Run"},
      {"crashes/53-fabric-test-watchdog-panic-recovered-jenkins-prefix.log", IncidentKind::kPanic,
       "github.com/hyperledger/fabric/consensus/pbft.(*testnet).process"},
      {"crashes/25-vic-negative-waitgroup-logrus-caret-M.log", IncidentKind::kPanic,
       "github.com/vmware/vic/lib/tether.establishNonPty.func2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto v = ParseFile(kCorpus + c.file);
    ASSERT_FALSE(v->incidents.empty());
    bool found = false;
    for (const Incident& inc : v->incidents) {
      const Goroutine* g = inc.crashing ? &*inc.crashing : nullptr;
      if (!g && !inc.groups.empty()) g = &inc.groups[0].representative();
      if (!g) continue;
      for (const Frame& f : g->frames) found |= f.function == c.frame;
    }
    EXPECT_TRUE(found);
  }
}

// A paste that begins inside the first line's envelope (the mouse started
// in the middle of a timestamp): the second line's envelope, peeled by the
// envelope layer, tells where the cut one ends, whatever the envelope.
TEST(EnvelopeCutFirstLine, ReadByTheSecondLinesEnvelope) {
  const std::string rest =
      "2026-03-14T09:26:10.001512306Z goroutine 26 [running]:\n"
      "2026-03-14T09:26:10.002512306Z main.main()\n"
      "2026-03-14T09:26:10.003512306Z \t/x/main.go:5 +0x1d\n";
  // Cut inside the seconds, inside the fraction, just before the `Z `.
  for (const char* first : {"26:10.000512306Z [signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x1]\n",
                            "0512306Z [signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x1]\n",
                            "306Z [signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x1]\n"}) {
    SCOPED_TRACE(first);
    auto in = ParseText(first + rest);
    ASSERT_EQ(in->incidents.size(), 1u);
    ASSERT_TRUE(in->incidents[0].signal);
    EXPECT_EQ(in->incidents[0].signal->name, "SIGSEGV");
    EXPECT_EQ(in->lines_unplaced, 0u);
  }
  // journald inside a kubectl timestamp: both layers' ends are one envelope.
  auto j = ParseText(
      "10.000Z Jun 26 07:10:21 pi5 kubelet[716]: panic: boom\n"
      "2026-03-14T09:26:10.001Z Jun 26 07:10:21 pi5 kubelet[716]: \n"
      "2026-03-14T09:26:10.002Z Jun 26 07:10:21 pi5 kubelet[716]: goroutine 1 [running]:\n"
      "2026-03-14T09:26:10.003Z Jun 26 07:10:21 pi5 kubelet[716]: main.main()\n"
      "2026-03-14T09:26:10.004Z Jun 26 07:10:21 pi5 kubelet[716]: \t/x/main.go:5 +0x1d\n");
  ASSERT_EQ(j->incidents.size(), 1u);
  ASSERT_EQ(j->incidents[0].panics.size(), 1u);
  EXPECT_EQ(j->incidents[0].panics[0].message, "boom");
  // Not the same envelope's end, or nothing left after it: the line stays.
  for (const char* first : {"Z panic: boom\n", "26:10.000512306Z \n", "hello 26:10.000Z panic: boom\n"}) {
    SCOPED_TRACE(first);
    auto in = ParseText(first + rest);
    for (const Incident& inc : in->incidents) EXPECT_TRUE(inc.panics.empty());
  }
}

// A markdown code block: every line behind 4 spaces, the first one with no
// Go marker (a debug=1 record, a `[signal` line); and a quoted `go test`
// log whose goleak report is learned inside the quote: the lines after it
// carry only the quote.
TEST(EnvelopeIndent, CodeBlockAndQuotedTestLog) {
  auto indent = [](const std::string& text, const std::string& by) {
    std::string out;
    for (const std::string& l : Lines(text)) out += by + l + "\n";
    return out;
  };
  for (const char* f : {"goroutine-leak-profile-debug1.go126.txt", "nil-deref.go126.txt", "goleak-test.go126.txt"}) {
    SCOPED_TRACE(f);
    std::string text = ReadFile(kFixtures + f);
    auto bare = ParseText(text);
    ASSERT_FALSE(bare->incidents.empty());
    for (const char* by : {"    ", "> "}) {
      auto v = ParseText(indent(text, by));
      ASSERT_EQ(v->incidents.size(), bare->incidents.size()) << by;
      for (size_t i = 0; i < v->incidents.size(); ++i) {
        EXPECT_EQ(v->incidents[i].kind, bare->incidents[i].kind) << by;
        EXPECT_EQ(v->incidents[i].goroutine_count, bare->incidents[i].goroutine_count) << by;
      }
    }
  }
}

// Prose around a pasted trace (an issue or a chat) must not confuse
// detection: the trace is found, nothing else is.
TEST(EnvelopeProse, IssueTextAroundATrace) {
  std::string trace = ReadFile(kFixtures + "nil-deref.go126.txt");
  std::string text =
      "Hi, since upgrading to v1.8.2 our service crashes every few hours.\n"
      "Steps: 1. deploy 2. wait\n"
      "[Update] it also happens on staging.\n"
      "2024-12-25T08:44:16Z is when it last crashed. Output:\n"
      "```\n" + trace + "```\n"
      "Expected: no crash. Version: go1.26 | linux/amd64\n"
      "Name: Alice (reporter)\n"
      "Thanks!\n";
  auto v = ParseText(text);
  auto p = ParseText(trace);
  EXPECT_EQ(Shape(*v, false), Shape(*p, false));
  EXPECT_TRUE(v->pods.empty());
}

// The seed incident's form, rebuilt from our reproducer's real output:
// `kubectl describe pod`, then `kubectl logs --previous` around a
// `concurrent map iteration and map write` crash (testdata/variants). The
// description is read as a pod, the logs as the same crash the bare capture
// holds.
TEST(EnvelopeSeed, DescribeThenPreviousLogs) {
  auto v = ParseFile(kFixtures + "variants/seed-shared-client.go126.describe-logs.txt");
  auto p = ParseFile(kFixtures + "seed-shared-client.go126.txt");
  ASSERT_EQ(v->incidents.size(), 1u);
  EXPECT_EQ(v->incidents[0].kind, IncidentKind::kFatalError);
  EXPECT_EQ(v->incidents[0].fatal_error, "concurrent map iteration and map write");
  EXPECT_EQ(v->pods.size(), 1u);
  EXPECT_EQ(Shape(*v, false), Shape(*p, false));
}

// grammar.h promises that the two frame shapes the fast lane takes without
// asking the envelope layer are never changed by it: checked on every line
// of the real inputs and on lines made to look like both.
TEST(Envelope, FrameShapesPassUnchanged) {
  std::vector<std::string> lines;
  for (const std::filesystem::path& path : test_inputs::RealInputs()) {
    for (std::string& l : Lines(ReadFile(path.string()))) lines.push_back(std::move(l));
  }
  const std::vector<std::string> prefixes = {
      "2024-01-02T03:04:05.123Z ", "2024-01-02T03:04:05Z stderr F ", "[pod/api-1/app] ", "[build] ",
      "12:34:56.789 ", "Nov 23 12:00:00 host app[12]: ", "E1123 12:00:00.123456   123 f.go:12] ",
      "Sat, Aug 27 2022 3:47:12 pm | ", "svc_1  | ", "2024-01-02T03:04:05Z 00O ", "{\"log\":\"", "",
  };
  const std::vector<std::string> bodies = {
      "main.f(0x1)", "main.(*T).M(...)", "2024-01-02T03:04:05Z(0x1)", "12:34:56.789(x)", "[a](b)",
      "svc_1|x(y)", "E1123(x)", "Nov(x y)", "{\"a\":1}(x)", "\t/app/main.go:12 +0x1d", "\t/a.go:1",
      "\t/a.go:1 +0x1^M", "\t/a.go:1\r", "main.f()\r", "main.f()^M", "created by main.main",
      "created by main.main in goroutine 1", "created by a|b", "created by x in goroutine 1\r",
      "goroutine 1 [running]:", "goroutine 7 [chan receive, 3 minutes]:", "goroutine 1 [a|b]:",
      "goroutine 1 [x]:\r",
      // Go 1.27 and Go 1.26 (tracebacklabels=1) labelled headers, with a
      // quoted value that looks like an envelope or JSON.
      "goroutine 7 [chan send] {route: /api/x, tenant: t1}:",
      "goroutine 7 [chan send (leaked)] {log: \"{\\\"log\\\":1}\", ts: \"2024-01-02T03:04:05Z\"}:",
      "goroutine 7 [chan send labels:{\"route\": \"/api/x\", \"k\": \"a, b}\"}]:",
      "goroutine 7 [select] {user: \"x\"}:^M",
  };
  for (const std::string& p : prefixes) {
    for (const std::string& b : bodies) lines.push_back(p + b);
  }
  ASSERT_GT(lines.size(), 10000u);
  size_t shaped = 0;
  for (const std::string& l : lines) {
    // And the two lines the fast lane takes around stacks: `created by`
    // in FastCreatedBy's shape, and a goroutine header as TakeRun takes it.
    FuncLine fl;
    FastFile file;
    std::string_view fn;
    int64_t parent;
    bool in;
    GoroutineHeader h;
    if (FastFuncLine(l, &fl) || FastFileLine(l, &file) || FastCreatedBy(l, &fn, &parent, &in) ||
        FastGoroutineHeader(l, &h)) {
      ++shaped;
      EXPECT_TRUE(EnvelopeUnwrapper::PassesUnchanged(l)) << l;
    }
  }
  EXPECT_GT(shaped, 1000u);
}

// \a originals, and each with every byte replaced by each of \a bytes (or
// one of them appended), and each of \a inserts put at every position
// alone, before `:` and before `: ` (a marker's shapes).
std::vector<std::string> Mutants(const std::vector<std::string>& originals,
                                 const std::vector<std::string>& inserts, std::string_view bytes) {
  std::vector<std::string> lines;
  for (const std::string& h : originals) {
    lines.push_back(h);
    for (size_t i = 0; i <= h.size(); ++i) {
      for (char b : bytes) {
        std::string m = h;
        if (i < h.size()) m[i] = b;
        else m.push_back(b);
        lines.push_back(m);
      }
      for (const std::string& w : inserts) {
        lines.push_back(h.substr(0, i) + w + h.substr(i));
        lines.push_back(h.substr(0, i) + w + ":" + h.substr(i));
        lines.push_back(h.substr(0, i) + w + ": " + h.substr(i));
      }
    }
  }
  return lines;
}

// PlainHeaderPassesUnchanged decides in one pass what PassesUnchanged
// decides with the prefix layer's marker search: wherever it says yes, so
// must PassesUnchanged (and the demultiplexer's variant). Headers of every
// form the runtime prints, each byte replaced by each byte of a set that
// matters to some layer, and markers, envelopes and links put in the label
// list and the state.
TEST(Envelope, PlainHeaderPassesUnchangedOnlyWhenPassesUnchangedDoes) {
  const std::vector<std::string> headers = {
      "goroutine 1 [running]:",
      "goroutine 7 [chan receive, 3 minutes]:",
      "goroutine 18 gp=0xc000102000 m=nil [select, locked to thread]:",
      "goroutine 400222 [running] {route: /v1/carts, tenant: t_168}:",
      "goroutine 7 [chan send] {a: b, c: d, e: f}:",
      "goroutine 7 [chan send labels:{\"route\": \"/api/x\"}]:",
      "goroutine 7 [chan send] {key: \"a, b}\"}:",
      "goroutine 66 [chan receive, 902 minutes] {request_id: \"05228e31-4976\", user: \"a b\\\"c, x}\"}:",
  };
  const std::vector<std::string> inserts = {
      "panic", "fatal error", "SIGQUIT", "WARNING", "goroutine profile", "found unexpected goroutines",
      "goroutine 5 [x]", "](http://x)", "\\n", "\\\\n", "\\\"", "=\"", "= \"", "\r", "^M", "2024-01-02T03:04:05Z ", "kill", "|",
      "svc_1  | ", "Nov 23 12:00:00 host app[1]: ", "...", "\t0x1\tmain.f+0x1\t/a.go:1",
  };
  const std::string bytes = ":\\\"](){}[ \t\r.csreG]Aa0|=-#>";
  std::vector<std::string> lines = Mutants(headers, inserts, bytes);
  size_t plain = 0, labelled = 0;
  for (const std::string& l : lines) {
    if (!EnvelopeUnwrapper::PlainHeaderPassesUnchanged(l)) continue;
    ++plain;
    if (l.find('{') != std::string::npos) ++labelled;
    EXPECT_TRUE(EnvelopeUnwrapper::PassesUnchanged(l)) << l;
    EXPECT_TRUE(EnvelopeUnwrapper::PassesUnchangedUntagged(l)) << l;
  }
  // It says yes to most of them, labelled ones included.
  EXPECT_GT(plain, lines.size() / 3) << lines.size();
  EXPECT_GT(labelled, 1000u);
  EXPECT_TRUE(EnvelopeUnwrapper::PlainHeaderPassesUnchanged(headers[3]));
  EXPECT_FALSE(EnvelopeUnwrapper::PlainHeaderPassesUnchanged("goroutine 4 [fatal error: x]:"));
  EXPECT_FALSE(EnvelopeUnwrapper::PlainHeaderPassesUnchanged("goroutine 2 gp=goroutine 5 []:"));
  EXPECT_FALSE(EnvelopeUnwrapper::PlainHeaderPassesUnchanged("goroutine 1 [x] {panic: y}:"));
}

// The debug=1 run lane's two lines taken without asking the envelope
// layer: a record's label line (PlainPprofLabelsPassesUnchanged) and its
// count line (PlainRecordHeader). Wherever either says yes, so must
// PassesUnchanged and its demultiplexer's variant: lines of the runtime's
// forms, each byte replaced by each byte of a set that matters to some
// layer, and markers, envelopes, escapes and links put anywhere.
TEST(Envelope, PlainDebug1LinesPassUnchangedOnlyWhenPassesUnchangedDoes) {
  const std::vector<std::string> lines0 = {
      "# labels: {\"route\":\"/v1/orders\", \"tenant\":\"t-190\"}",
      "# labels: {\"a\":\"b\"}",
      "# labels: {\"request_id\":\"05228e31-4976\", \"user\":\"a b\\\"c, x}\"}",
      "20281 @ 0x7905ee 0xb9047f 0x13909d0 0xea3505",
      "1 @ 0x1",
      "2024 @ 0x43a1b6 0x4f6d2e 0x4f6d05 0x45dfa1",
  };
  const std::vector<std::string> inserts = {
      "panic", "fatal error", "SIGQUIT", "WARNING", "goroutine profile", "found unexpected goroutines",
      "goroutine 5 [x]", "](http://x)", "\\n", "\\\\n", "\\\"", "=\"", "= \"", "\r", "^M",
      "2024-01-02T03:04:05Z ", "2024-01-02T03:04:05.123456789Z stderr F ", "kill", "|", "svc_1  | ",
      "Nov 23 12:00:00 host app[1]: ", "...", "\t0x1\tmain.f+0x1\t/a.go:1", "[pod/a/b] ", "\x1b[31m",
      "I0102 15:04:05.000000    1 a.go:1] ", "{\"log\":\"x\"}",
  };
  const std::string bytes = ":\\\"](){}[ \t\r.csreG]Aa0|=-#>@x\x7f\xc3";
  std::vector<std::string> lines = Mutants(lines0, inserts, bytes);
  size_t labels = 0, headers = 0;
  for (const std::string& l : lines) {
    bool label = EnvelopeUnwrapper::PlainPprofLabelsPassesUnchanged(l);
    bool header = PlainRecordHeader(l);
    if (!label && !header) continue;
    labels += label;
    headers += header;
    EXPECT_TRUE(EnvelopeUnwrapper::PassesUnchanged(l)) << l;
    EXPECT_TRUE(EnvelopeUnwrapper::PassesUnchangedUntagged(l)) << l;
  }
  // Each says yes to many of them.
  EXPECT_GT(labels, 2000u) << lines.size();
  EXPECT_GT(headers, 300u) << lines.size();
  EXPECT_TRUE(EnvelopeUnwrapper::PlainPprofLabelsPassesUnchanged(lines0[0]));
  EXPECT_TRUE(PlainRecordHeader(lines0[3]));
  EXPECT_FALSE(EnvelopeUnwrapper::PlainPprofLabelsPassesUnchanged("# labels: {\"a\":\"panic: x\"}"));
  EXPECT_FALSE(EnvelopeUnwrapper::PlainPprofLabelsPassesUnchanged("# labels: {\"a\":\"x\\ny\"}"));
  EXPECT_FALSE(EnvelopeUnwrapper::PlainPprofLabelsPassesUnchanged("# labels: {\"a\":\"caf\xc3\xa9\"}"));
  EXPECT_FALSE(PlainRecordHeader("2024-01-02T03:04:05Z 1 @ 0x1"));
}

// The run lane takes a timestamp of the last one's shape without Rfc3339
// (TimestampShape). Wherever a line fits the shape, the shortcut must end
// its timestamp where the full parse does: every byte of timestamps of
// several shapes replaced by each byte class, and fractions and zones of
// other lengths.
TEST(TimestampShape, EndsWhereTheParseEnds) {
  const std::vector<std::string> stamps = {
      "2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05.12345678Z", "2024-01-02T03:04:05Z",
      "2024-01-02T03:04:05.123+08:00", "2024-01-02T03:04:05,5-0800", "2024-01-02T03:04:05.000001"};
  const std::string tail = " main.worker(0x1)";
  const std::string bytes = "0 9aZT:.,-+ \t\x80/";
  size_t fitted = 0;
  for (const std::string& learned : stamps) {
    TimestampShape shape;
    std::string raw = learned + tail;
    shape.Learn(raw, learned.size());
    ASSERT_EQ(shape.len, learned.size()) << learned;
    auto check = [&](const std::string& line) {
      // (A mutation may move the stack's text itself: then no claim.)
      if (!shape.Fits(line) || line.substr(shape.len) != tail) return;
      ++fitted;
      EnvelopeKind kind = EnvelopeKind::kNone;
      bool blank = false;
      EXPECT_EQ(PeelRunLineShortcut(line, &kind, &blank), shape.len + 1) << learned << " | " << testing::PrintToString(line);
    };
    check(raw);
    for (const std::string& other : stamps) check(other + tail);
    for (size_t i = 0; i <= learned.size(); ++i) {  // the stamp and its space
      for (char c : bytes) {
        std::string m = raw;
        m[i] = c;
        check(m);
        std::string ins = raw;
        ins.insert(i, 1, c);
        check(ins);
        std::string del = raw;
        del.erase(i, 1);
        check(del);
      }
    }
  }
  EXPECT_GT(fitted, 200u);
}

// The hand decoder of docker's json-file records must agree with nlohmann
// on every line it accepts, and leave to nlohmann every line it is not
// sure of: real records (the docker fixture), then edits of one of them at
// every escape and byte class.
// The run lane's shortcut answers only where PeelPrefixes would answer the
// same: one layer, the same text, and for a whole CRI record nothing more
// off its text. Every line of every real input in each wrapping the
// shortcut reads (and some it must refuse), then lines made of the tokens
// the envelope forms are built from, so that the shapes near a stack's
// lines (a syslog tag, a compose bar, a locale month, a clock time) are
// met in many orders.
TEST(PeelRunLineShortcut, AgreesWithPeelPrefixes) {
  const std::vector<std::string> wraps = {
      "", "2024-01-02T03:04:05.123456789Z ", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05+08:00 ",
      "2024-01-02T03:04:05Z stdout F ", "2024-01-02T03:04:05Z stderr F ", "2024-01-02T03:04:05Z stdout P ",
      "[pod/api-1/app] ", "[build] ", "2024-01-02 03:04:05 "};
  size_t answered = 0, checked = 0;
  auto check = [&](const std::string& raw) {
    ++checked;
    EnvelopeKind kind = EnvelopeKind::kNone;
    bool blank = false;
    size_t at = PeelRunLineShortcut(raw, &kind, &blank);
    if (at == 0) return;
    ++answered;
    std::string_view line = raw, ts, cri;
    bool partial = false;
    ASSERT_EQ(PeelPrefixes(&line, &ts, &cri, &partial, true), 1) << raw;
    ASSERT_EQ(line.data(), raw.data() + at) << raw;
    EXPECT_EQ(blank, Trim(line).empty()) << raw;
    EXPECT_FALSE(partial) << raw;
    if (kind == EnvelopeKind::kCri) {
      EXPECT_FALSE(cri.empty()) << raw;
      std::string_view text = line, ts2, cri2;
      EXPECT_EQ(PeelPrefixes(&text, &ts2, &cri2, &partial, false), 0) << raw;
      EXPECT_EQ(line.find('\\'), std::string_view::npos) << raw;
    } else if (kind == EnvelopeKind::kTimestamp) {
      EXPECT_TRUE(cri.empty()) << raw;
      EXPECT_FALSE(ts.empty()) << raw;
    } else {
      EXPECT_EQ(kind, EnvelopeKind::kKubectlPrefix) << raw;
      EXPECT_TRUE(ts.empty()) << raw;
    }
  };
  for (const auto& path : test_inputs::RealInputs()) {
    std::istringstream in(ReadFile(path.string()));
    std::string l;
    for (int n = 0; std::getline(in, l) && n < 4000; ++n) {
      if (!l.empty() && l.back() == '\r') l.pop_back();
      for (const std::string& w : wraps) check(w + l);
    }
  }
  size_t real = answered;
  EXPECT_GT(real, 10000u);
  const std::vector<std::string> tokens = {
      "goroutine", "created", "by", " ", "  ", "1", "12", "123", "[", "]", "[12]", ":", ": ", "(", ")",
      "/", "|", " | ", "host", "app", "Nov", "\xe6\x9c\x88", "avr.", "23", "12:00:00", "12:00:00.5",
      "\t", "main.main", "net/http", "(*T)", "E1123", "Sat,", "stdout", "F", "P", "00O", "01E+", "{",
      "\\", "#011", "_x", "-", ".", "@", "+", "pod/a/b", "2024-01-02T03:04:05Z", "I", "svc_1"};
  uint64_t seed = 88172645463325252ull;
  auto next = [&seed] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  for (int k = 0; k < 200000; ++k) {
    std::string body;
    int n = 1 + static_cast<int>(next() % 7);
    for (int j = 0; j < n; ++j) body += tokens[next() % tokens.size()];
    check(wraps[next() % wraps.size()] + body);
  }
  EXPECT_GT(answered - real, 1000u);
  RecordProperty("checked", std::to_string(checked));
  RecordProperty("answered", std::to_string(answered));
}

TEST(DockerRecord, FastDecoderAgreesWithNlohmann) {
  auto check = [](const std::string& line) {
    std::string log = "kept:";
    std::string_view stream, time;
    bool fast = DecodeDockerRecord(line, &log, &stream, &time);
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!fast) {
      EXPECT_EQ(log, "kept:") << line;  // untouched when it declines
      return false;
    }
    EXPECT_FALSE(j.is_discarded()) << line;
    if (j.is_discarded()) return true;
    EXPECT_EQ(j.size(), 3u) << line;
    EXPECT_EQ("kept:" + j.value("log", std::string("?")), log) << line;
    EXPECT_EQ(j.value("stream", std::string("?")), stream) << line;
    EXPECT_EQ(j.value("time", std::string("?")), time) << line;
    return true;
  };
  std::istringstream in(test_inputs::ReadInput(test_inputs::FixturesDir() / "variants" /
                                               "nil-deref.go119.docker-json.txt"));
  size_t accepted = 0, lines = 0;
  for (std::string line; std::getline(in, line); ++lines) accepted += check(line);
  EXPECT_GT(lines, 5u);
  EXPECT_EQ(accepted, lines);  // every real record takes the fast path
  const std::string pre = "{\"log\":\"";
  const std::string post = "\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-23T12:00:00.000137001Z\"}";
  struct Case {
    std::string log;
    bool fast;
  };
  const Case cases[] = {
      {"\\tmain.go:12 +0x1d", true},
      {"a \\\"q\\\" \\\\ \\/ \\b\\f\\r", true},
      {"\\u003cnil\\u003e \\u0026 \\u001b[31m \\u0000 \\u007f", true},
      {"\x7f", true},
      {"\\u00e9", false},        // above ASCII: nlohmann decodes it
      {"\\ud83d\\ude00", false},  // a surrogate pair
      {"\xc3\xa9", false},       // UTF-8
      {"\xff", false},           // not UTF-8: nlohmann rejects the record
      {"\t", false},             // a raw control character: invalid JSON
      {"\\x", false},            // an invalid escape
      {"\\u12", false},          // a short one
      {"\\\\", true},          // an escaped backslash
  };
  // Short, and at every offset of a long field (16 bytes at a time with SSE2).
  const std::string pad = "goroutine 42 [chan receive, 3 minutes]:";
  for (const Case& c : cases) {
    EXPECT_EQ(check(pre + c.log + post), c.fast) << c.log;
    for (size_t at = 0; at <= 33; ++at) {
      EXPECT_EQ(check(pre + pad.substr(0, at) + c.log + pad + post), c.fast) << at << " " << c.log;
    }
  }
  // Other shapes of the record go to nlohmann.
  for (const std::string& line : {
           std::string("{\"log\": \"x\\n\",\"stream\":\"stderr\",\"time\":\"t\"}"),
           std::string("{\"log\":\"x\\n\",\"stream\":\"stderr\",\"time\":\"t\"} "),
           std::string("{\"log\":\"x\\n\",\"stream\":\"stderr\",\"time\":\"t\",\"attrs\":{}}"),
           std::string("{\"stream\":\"stderr\",\"log\":\"x\\n\",\"time\":\"t\"}"),
           std::string("{\"log\":\"x\\n\",\"stream\":\"std\\u0065rr\",\"time\":\"t\"}"),
           std::string("{\"log\":\"x\\n\",\"stream\":\"stderr\",\"time\":\"t\""),
           std::string("{\"log\":\"x\\n\",\"stream\":\"stderr\",\"time\":\"t\"}}"),
           std::string("{\"log\":\"x\\n\""),
       }) {
    EXPECT_FALSE(check(line)) << line;
  }
}

}  // namespace
}  // namespace gotriage

namespace gotriage {
namespace {

// A workload's own JSON line shaped like a docker record but with fields of
// other types (found by a long envelope_fuzz run): read as best it can, never
// an exception. Before, `"time": 22000.0009` aborted gotriage -- and would
// have crash-looped the node agent on that log line.
TEST(DockerRecord, FieldsOfAnotherTypeAreNotAnException) {
  for (std::string_view text :
       {"{\"log\":\"panic: boom\\n\",\"stream\":\"stderr\",\"time\":22000.0009}\n",
        "{\"log\":\"panic: boom\\n\",\"stream\":7,\"time\":\"2026-11-30T12:00:00Z\"}\n",
        "2026-11-30T12:00:00.000000001Z stdout F {\"log\":\"panic: boom\\n\",\"stream\":\"stderr\",\"time\":1}\n",
        "{\"msg\":12,\"stacktrace\":\"goroutine 1 [running]:\\nmain.main()\\n\\t/x/main.go:3 +0x1d\\n\"}\n"}) {
    std::unique_ptr<ParsedInput> in;
    EXPECT_NO_THROW(in = ParseText(text)) << text;
    ASSERT_NE(in, nullptr);
    EXPECT_GE(in->lines, 1u) << text;
  }
  std::unique_ptr<ParsedInput> in = ParseText("{\"log\":\"panic: boom\\n\",\"stream\":\"stderr\",\"time\":22000.0009}\n");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].panics.at(0).message, "boom");
}

}  // namespace
}  // namespace gotriage
