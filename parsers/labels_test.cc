// runtime/pprof goroutine labels: the header grammar of every form
// (docs/trace-format.md, "The goroutine header, every form"), the label
// lists, and the model built from real Go 1.27.0 and Go 1.26.8 captures
// (testdata/fixtures/labels/README.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/grammar.h"
#include "parsers/model.h"
#include "parsers/parse.h"

namespace gotriage {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs Decode(const GoroutineHeader& h) {
  std::vector<Label> ls;
  EXPECT_TRUE(ParseLabelList(h.labels, h.label_form, &ls)) << h.labels;
  Pairs out;
  for (const Label& l : ls) out.push_back({l.key, l.value});
  return out;
}

TEST(LabelHeaders, Table) {
  struct Case {
    const char* line;
    int64_t id;
    const char* state;
    bool leaked, scan, durable, locked;
    int minutes;
    int64_t bubble;
    LabelForm form;
    Pairs labels;
  } cases[] = {
      // Before labels: every older form still reads the same.
      {"goroutine 7 [chan send]:", 7, "chan send", false, false, false, false, -1, -1, LabelForm::kNone, {}},
      {"goroutine 7 [chan send, 3 minutes, locked to thread]:", 7, "chan send", false, false, false, true, 3, -1,
       LabelForm::kNone, {}},
      // Go 1.27: labels after the brackets, bare and quoted.
      {"goroutine 7 [chan send] {route: /api/x, tenant: t1}:", 7, "chan send", false, false, false, false, -1, -1,
       LabelForm::kBraces, {{"route", "/api/x"}, {"tenant", "t1"}}},
      {"goroutine 19 [chan send (leaked)] {route: /x}:", 19, "chan send", true, false, false, false, -1, -1,
       LabelForm::kBraces, {{"route", "/x"}}},
      {R"(goroutine 6 [running] {route: /api/items, tenant: "a b\"c"}:)", 6, "running", false, false, false,
       false, -1, -1, LabelForm::kBraces, {{"route", "/api/items"}, {"tenant", "a b\"c"}}},
      // `, ` `}` `]:` and `: ` inside a quoted value end nothing.
      {R"(goroutine 8 [select, 5 minutes] {user: "a b\"c, x}: y]:", z: 1}:)", 8, "select", false, false, false,
       false, 5, -1, LabelForm::kBraces, {{"user", "a b\"c, x}: y]:"}, {"z", "1"}}},
      // Escapes printquoted writes, and a quoted key.
      {R"(goroutine 9 [sleep] {"k y": "\t\n\r\\\x01\u00e9\U0001f600"}:)", 9, "sleep", false, false, false, false,
       -1, -1, LabelForm::kBraces, {{"k y", "\t\n\r\\\x01\xc3\xa9\xf0\x9f\x98\x80"}}},
      // An empty value needs no quoting.
      {"goroutine 9 [sleep] {k: }:", 9, "sleep", false, false, false, false, -1, -1, LabelForm::kBraces, {{"k", ""}}},
      // Every decoration at once, with gp= m= mp=.
      {"goroutine 12 gp=0xc000102a80 m=3 mp=0xc000080008 [chan receive (leaked) (scan), 41 minutes, locked to "
       "thread, synctest bubble 4] {a: b}:",
       12, "chan receive", true, true, false, true, 41, 4, LabelForm::kBraces, {{"a", "b"}}},
      {"goroutine 12 gp=0xc000102a80 m=nil [select (durable), synctest bubble 2] {a: b}:", 12, "select (durable)",
       false, false, true, false, -1, 2, LabelForm::kBraces, {{"a", "b"}}},
      {"goroutine 12 [sleep (scan) (durable)]:", 12, "sleep", false, true, true, false, -1, -1, LabelForm::kNone, {}},
      // Go 1.26 GODEBUG=tracebacklabels=1: inside the brackets, always quoted.
      {R"(goroutine 20 [chan send labels:{"route": "/api/x"}]:)", 20, "chan send", false, false, false, false, -1,
       -1, LabelForm::kInside, {{"route", "/api/x"}}},
      {R"(goroutine 10 [chan send (leaked), 2 minutes labels:{"route": "/v1/orders", "user": "a b\"c, x}"}]:)", 10,
       "chan send", true, false, false, false, 2, -1, LabelForm::kInside,
       {{"route", "/v1/orders"}, {"user", "a b\"c, x}"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    GoroutineHeader h;
    ASSERT_TRUE(ParseGoroutineHeader(c.line, &h));
    EXPECT_EQ(h.id, c.id);
    EXPECT_EQ(h.state, c.state);
    EXPECT_EQ(h.leaked, c.leaked);
    EXPECT_EQ(h.scan, c.scan);
    EXPECT_EQ(h.durable, c.durable);
    EXPECT_EQ(h.locked_to_thread, c.locked);
    EXPECT_EQ(h.wait_minutes, c.minutes);
    EXPECT_EQ(h.synctest_bubble, c.bubble);
    EXPECT_EQ(h.label_form, c.form);
    if (c.form != LabelForm::kNone) { EXPECT_EQ(Decode(h), c.labels); }
    // The fast lane takes the same lines and reads the same.
    GoroutineHeader f;
    ASSERT_TRUE(FastGoroutineHeader(c.line, &f));
    EXPECT_EQ(f.labels, h.labels);
    EXPECT_EQ(f.state, h.state);
  }
}

TEST(LabelHeaders, Hostile) {
  GoroutineHeader h;
  for (const char* bad : {
           R"(goroutine 7 [chan send] {user: "unterminated}:)",
           R"(goroutine 7 [chan send] {user: "a" b}:)",
           "goroutine 7 [chan send] {user: a b}:",          // a blank is quoted by the runtime
           "goroutine 7 [chan send] {user: a-b}:",          // so is `-`
           "goroutine 7 [chan send] {user: a}",             // no colon at the end
           "goroutine 7 [chan send] {user: a}: trailing",   // nothing may follow
           "goroutine 7 [chan send] {user: a,b}:",          // `, ` between pairs
           "goroutine 7 [chan send] {user}:",
           "goroutine 7 [chan send] user: a}:",
           R"(goroutine 7 [chan send labels:{route: "x"}]:)",  // 1.26 always quotes
           R"(goroutine 7 [chan send labels:{"route": "x"}:)",
           R"(goroutine 7 [chan send labels:{"route": "x"]:)",
       }) {
    EXPECT_FALSE(ParseGoroutineHeader(bad, &h)) << bad;
  }
  std::string q;
  for (const char* bad : {R"("\q")", R"("\x4")", R"("\u12")", R"("a"b")", R"("\)", "x", R"("\400")"})
    EXPECT_FALSE(UnquoteGo(bad, &q)) << bad;
  ASSERT_TRUE(UnquoteGo(R"("\a\b\f\v\'\101")", &q));
  EXPECT_EQ(q, "\a\b\f\v'A");

  // A huge label set: linear to scan, bounded when decoded.
  std::string big = "goroutine 7 [chan send] {";
  for (int i = 0; i < 20000; ++i) big += (i ? ", k" : "k") + std::to_string(i) + ": \"v, }\"";
  big += "}:";
  ASSERT_TRUE(ParseGoroutineHeader(big, &h));
  std::vector<Label> ls;
  bool cut = false;
  ASSERT_TRUE(ParseLabelList(h.labels, h.label_form, &ls, 64, 4096, &cut));
  EXPECT_EQ(ls.size(), 64u);
  EXPECT_TRUE(cut);
  // ... and dropped for the goroutine (reported) when over 4 KiB as printed.
  Parser p{ParseOptions()};
  p.AddText("big", big + "\nmain.f()\n\t/app/main.go:1 +0x1\n\n");
  auto in = p.Finish();
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].goroutine_count, 1u);
  EXPECT_TRUE(in->incidents[0].groups[0].samples[0].labels.empty());
  bool noted = false;
  for (const LimitNote& n : in->limits_hit) noted |= n.what.find("label list bytes") != std::string::npos;
  EXPECT_TRUE(noted);
}

// A bare label token (Go 1.27: letters, digits, `./_`) is scanned sixteen
// bytes at a time: every byte value, at every place in tokens around that
// length, ends it exactly where a byte-by-byte reading would.
TEST(LabelHeaders, BareTokenEndsAtTheFirstOtherByte) {
  auto bare = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/' ||
           c == '_';
  };
  size_t bare_bytes = 0;
  for (int c = 0; c < 256; ++c) {
    bare_bytes += bare(static_cast<unsigned char>(c));
    for (size_t k = 0; k < 40; ++k) {
      std::string text = "k: " + std::string(k, 'v') + static_cast<char>(c) + std::string(40 - k, 'w') + "}";
      size_t want = bare(static_cast<unsigned char>(c)) ? text.size() - 1
                    : c == '}'                           ? 3 + k
                                                         : std::string::npos;
      EXPECT_EQ(ScanLabelList(text, LabelForm::kBraces), want) << c << " at " << k;
    }
  }
  EXPECT_EQ(bare_bytes, 26u + 26u + 10u + 3u);
}

TEST(LabelHeaders, PprofDebug1Form) {
  std::vector<Label> ls;
  ASSERT_TRUE(ParseLabelList(R"("route":"/v1/orders", "user":"a b\"c, x}")", LabelForm::kPprof, &ls));
  ASSERT_EQ(ls.size(), 2u);
  EXPECT_EQ(ls[1].value, "a b\"c, x}");
  EXPECT_EQ(ScanLabelList(R"("a":"b"})", LabelForm::kPprof), 7u);
  EXPECT_EQ(ScanLabelList(R"(a:"b"})", LabelForm::kPprof), std::string_view::npos);
}

// ---- the model, on real captures ----

std::unique_ptr<ParsedInput> ParseLabelled(const std::string& name) {
  Parser p{ParseOptions()};
  std::string err;
  EXPECT_TRUE(p.AddFile(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/labels/" + name, &err)) << err;
  return p.Finish();
}

const GoroutineGroup* GroupOf(const Incident& inc, std::string_view function) {
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty()) continue;
    for (const Frame& f : g.samples[0].frames)
      if (f.function == function) return &g;
  }
  return nullptr;
}

uint64_t CountWith(const GoroutineGroup& g, const std::string& k, const std::string& v) {
  uint64_t n = 0;
  for (const LabelSetCount& s : g.label_sets)
    if (HasLabels(s.labels, {{k, v}})) n += s.count;
  return n;
}

// The labelled go1.27.0 dump reads like its unlabelled twin (the same
// program under GODEBUG=tracebacklabels=0), plus the labels; the leaking
// goroutines with different label sets stay one group.
TEST(LabelFixtures, Go127Debug2LikeItsUnlabelledTwin) {
  auto in = ParseLabelled("leak-debug2.go127.txt");
  auto twin = ParseLabelled("leak-debug2-nolabels.go127.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_EQ(twin->incidents.size(), 1u);
  EXPECT_EQ(in->lines_unplaced, 0u);
  EXPECT_EQ(in->lines_in_traces, in->lines);
  const Incident& inc = in->incidents[0];
  EXPECT_FALSE(inc.partial);
  EXPECT_EQ(inc.groups.size(), twin->incidents[0].groups.size());
  const GoroutineGroup* leak = GroupOf(inc, "main.fetchStock.func1");
  ASSERT_NE(leak, nullptr);
  EXPECT_EQ(leak->state, "chan send");
  EXPECT_GE(leak->count, 40u);
  EXPECT_EQ(leak->labelled, leak->count);
  EXPECT_EQ(leak->label_sets.size(), 2u);  // with and without `user`
  EXPECT_EQ(CountWith(*leak, "tenant", "t1"), leak->count);
  EXPECT_EQ(CountWith(*leak, "route", "/v1/orders"), leak->count);
  EXPECT_GT(CountWith(*leak, "user", "a b\"c, x}"), 0u);
  EXPECT_EQ(leak->samples[0].labels.size() >= 2, true);
  const GoroutineGroup* workers = GroupOf(inc, "main.worker");
  ASSERT_NE(workers, nullptr);
  EXPECT_EQ(CountWith(*workers, "tenant", "t2"), 3u);
}

// Go 1.26.8 with GODEBUG=tracebacklabels=1: the state is not split at the
// `, ` inside the labels.
TEST(LabelFixtures, Go126TracebackLabels) {
  auto in = ParseLabelled("leak-debug2-tracebacklabels.go126.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->lines_unplaced, 0u);
  const GoroutineGroup* leak = GroupOf(in->incidents[0], "main.fetchStock.func1");
  ASSERT_NE(leak, nullptr);
  EXPECT_EQ(leak->state, "chan send");
  EXPECT_EQ(leak->wait, WaitKind::kChanSend);
  EXPECT_EQ(CountWith(*leak, "tenant", "t1"), leak->count);
  auto crash = ParseLabelled("concurrent-map-writes-tracebacklabels.go126.txt");
  ASSERT_EQ(crash->incidents.size(), 1u);
  ASSERT_TRUE(crash->incidents[0].crashing.has_value());
  EXPECT_FALSE(crash->incidents[0].crashing->labels.empty());
  EXPECT_EQ(crash->lines_unplaced, 0u);
}

// pprof debug=1 `# labels:` feed the same fields.
TEST(LabelFixtures, Debug1Labels) {
  auto in = ParseLabelled("leak-debug1.go127.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.goroutine_count, inc.declared_total);
  const GoroutineGroup* leak = GroupOf(inc, "main.fetchStock.func1");
  ASSERT_NE(leak, nullptr);
  EXPECT_EQ(leak->labelled, leak->count);
  EXPECT_EQ(CountWith(*leak, "tenant", "t1"), leak->count);
  EXPECT_GT(CountWith(*leak, "user", "a b\"c, x}"), 0u);
}

// A goroutineleak profile written with debug=2 then debug=1 into one file
// (go1.27.0, GA; go1.26.8 under GOEXPERIMENT=goroutineleakprofile): both
// parts are read, and `(leaked)` marks the leaking group in the first.
TEST(LabelFixtures, LeakProfileBothParts) {
  for (const char* name : {"leak-profile.go127.txt", "leak-profile-tracebacklabels.go126.txt"}) {
    SCOPED_TRACE(name);
    auto in = ParseLabelled(name);
    ASSERT_EQ(in->incidents.size(), 2u);
    EXPECT_EQ(in->lines_unplaced, 0u);
    const Incident& d2 = in->incidents[0];
    const Incident& d1 = in->incidents[1];
    EXPECT_EQ(d2.kind, IncidentKind::kGoroutineDump);
    EXPECT_EQ(d1.kind, IncidentKind::kPprofDebug1);
    EXPECT_EQ(d1.Title().rfind("goroutineleak profile: total ", 0), 0u);
    const GoroutineGroup* leak2 = GroupOf(d2, "main.fetchStock.func1");
    const GoroutineGroup* leak1 = GroupOf(d1, "main.fetchStock.func1");
    ASSERT_NE(leak2, nullptr);
    ASSERT_NE(leak1, nullptr);
    EXPECT_TRUE(leak2->any_leaked);
    EXPECT_TRUE(leak1->any_leaked);
    EXPECT_EQ(leak1->count, d1.declared_total);
    EXPECT_EQ(CountWith(*leak2, "tenant", "t1"), leak2->count);
    EXPECT_EQ(CountWith(*leak1, "tenant", "t1"), leak1->count);
  }
}

TEST(LabelFilter, KeepsOnlyMatchingGoroutinesAndSaysSo) {
  auto in = ParseLabelled("leak-debug2.go127.txt");
  uint64_t total = in->incidents[0].goroutine_count;
  const GoroutineGroup* leak = GroupOf(in->incidents[0], "main.fetchStock.func1");
  ASSERT_NE(leak, nullptr);
  uint64_t with_user = CountWith(*leak, "user", "a b\"c, x}");
  ApplyLabelFilter(in.get(), {{"user", "a b\"c, x}"}});
  ASSERT_TRUE(in->label_filter.has_value());
  EXPECT_EQ(in->label_filter->goroutines_kept, with_user);
  EXPECT_EQ(in->label_filter->goroutines_filtered_out, total - with_user);
  ASSERT_EQ(in->incidents.size(), 1u);
  ASSERT_EQ(in->incidents[0].groups.size(), 1u);
  const GoroutineGroup& g = in->incidents[0].groups[0];
  EXPECT_EQ(g.count, with_user);
  for (const Goroutine& s : g.samples) EXPECT_TRUE(HasLabels(s.labels, {{"user", "a b\"c, x}"}}));

  auto none = ParseLabelled("leak-debug2.go127.txt");
  ApplyLabelFilter(none.get(), {{"tenant", "nobody"}});
  EXPECT_TRUE(none->incidents.empty());
  EXPECT_EQ(none->label_filter->incidents_filtered_out, 1u);
  EXPECT_EQ(none->label_filter->goroutines_filtered_out, total);
}

}  // namespace
}  // namespace gotriage
