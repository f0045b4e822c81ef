// JsonText prints what nlohmann's dump prints for the same tree, and
// AppendIncidentJson what dumping IncidentJson nested in the report does,
// on hostile text: controls, DEL, quotes, backslashes, invalid and valid
// UTF-8, a label key given twice, empty containers. (render_check.h holds
// the whole report to the dump of its tree on every fuzz regression.)
#include "cli/json_writer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/render.h"

namespace gotriage {
namespace {

using nlohmann::json;

const std::string kHostile[] = {
    "",
    "plain text",
    std::string("nul\0byte", 8),
    "\x01\x08\t\n\x0c\r\x1f\x7f",
    "quote \" and backslash \\",
    "C:\\src\\main.go \\n",
    "a \"quoted\" word",
    "caf\xc3\xa9 \xe2\x80\xae bidi",
    "bad \xff\xfe utf-8 \xc3",
    "\xed\xa0\x80 surrogate",
    "</script><!--",
};

// Both sinks, fed the same calls.
template <class W>
void Feed(W* w) {
  w->BeginObject();
  w->Key("a");
  w->BeginArray();
  w->EndArray();
  w->Key("b");
  w->BeginObject();
  w->EndObject();
  w->Key("c");
  w->BeginArray();
  for (const std::string& s : kHostile) w->String(s);
  w->Int(-9223372036854775807LL - 1);
  w->Uint(18446744073709551615ULL);
  w->Bool(false);
  w->BeginArray();
  w->BeginObject();
  w->Key("x");
  w->Int(0);
  w->EndObject();
  w->EndArray();
  w->EndArray();
  w->Key("d\x01\xff");
  w->String("v");
  w->EndObject();
}

TEST(JsonText, PrintsWhatDumpPrintsForTheSameTree) {
  JsonTree tree;
  Feed(&tree);
  json j = tree.Take();
  for (unsigned indent : {0u, 4u}) {
    std::string text;
    JsonText w(&text, 2, indent);
    Feed(&w);
    std::string want = DumpJson(j, 2);
    if (indent) {
      std::string nested;
      for (char c : want) {
        nested.push_back(c);
        if (c == '\n') nested.append(indent, ' ');
      }
      want = nested;
    }
    EXPECT_EQ(text, want) << "indent " << indent;
  }
}

TEST(AppendIncidentJson, IsTheNestedDumpOfIncidentJson) {
  Incident inc;
  inc.kind = IncidentKind::kGoroutineDump;
  inc.source = kHostile[4];
  for (size_t i = 0; i < 3; ++i) {
    GoroutineGroup g;
    g.count = 7 + i;
    g.state = i == 0 ? std::string_view(kHostile[3]) : std::string_view("chan receive");
    g.ids = {1, 2, 3};
    if (i == 1) {
      g.min_wait_minutes = 3;
      g.max_wait_minutes = 9;
      g.any_leaked = true;
    }
    if (i == 2) {
      // Without a sample the frame indexes are not printed.
      g.first_app_frame = 0;
      g.crash_site_frame = 0;
    } else {
      Goroutine r;
      for (const std::string& s : kHostile) {
        Frame f;
        f.function = s;
        f.file = s;
        f.args = s;
        f.module = s;
        f.module_version = s;
        f.inlined = !s.empty();
        f.line = -1;
        f.input_line = 12;
        r.frames.push_back(f);
      }
      r.created_by = r.frames.back();
      r.labels = {{"k", kHostile[6]}, {kHostile[3], "v"}};
      g.samples.push_back(r);
      g.first_app_frame = 1;
      g.crash_site_frame = 0;
      // A key twice: the object keeps the last value.
      g.label_sets.push_back({{{"z", "1"}, {"a", kHostile[5]}, {"z", "2"}}, 5, 1});
      g.label_sets.push_back({{}, 1, 2});
      g.labelled = 6;
      g.label_sets_other = i;
    }
    inc.groups.push_back(std::move(g));
  }
  for (size_t max_groups : {size_t{0}, size_t{2}, SIZE_MAX}) {
    std::string text;
    AppendIncidentJson(inc, max_groups, 4, &text);
    std::string want;
    for (char c : DumpJson(IncidentJson(inc, max_groups), 2)) {
      want.push_back(c);
      if (c == '\n') want.append(4, ' ');
    }
    EXPECT_EQ(text, want) << "max_groups " << max_groups;
  }
  // What the fields say, not only that both sinks agree.
  std::string text;
  AppendIncidentJson(inc, SIZE_MAX, 0, &text);
  json j = json::parse(text);
  const json& g0 = j["groups"][0];
  EXPECT_EQ(g0["label_sets"][0]["labels"], (json{{"a", kHostile[5]}, {"z", "2"}}));
  EXPECT_EQ(g0["label_sets"][0]["count"], 5);
  EXPECT_EQ(g0["label_sets"][1]["labels"], json::object());
  EXPECT_EQ(g0["frames"][5]["file"], kHostile[5]);
  EXPECT_EQ(g0["frames"][4]["function"], kHostile[4]);
  EXPECT_EQ(g0["frames"][5]["args"], "C:\\src\\main.go \\n");
  EXPECT_EQ(g0["frames"][1]["line"], -1);
  EXPECT_FALSE(g0["frames"][0].contains("inlined"));
  EXPECT_FALSE(g0["frames"][0].contains("module"));
  EXPECT_EQ(g0["created_by"]["function"], kHostile[std::size(kHostile) - 1]);
  EXPECT_EQ(g0["ids"], json::array({1, 2, 3}));
  EXPECT_EQ(g0["labelled"], 6);
  EXPECT_FALSE(g0.contains("label_sets_other"));
  EXPECT_FALSE(g0.contains("leaked"));
  EXPECT_EQ(j["groups"][1]["label_sets_other"], 1);
  EXPECT_EQ(j["groups"][1]["min_wait_minutes"], 3);
  EXPECT_EQ(j["groups"][1]["max_wait_minutes"], 9);
  EXPECT_EQ(j["groups"][1]["leaked"], true);
  EXPECT_FALSE(j["groups"][2].contains("frames"));
  EXPECT_FALSE(j["groups"][2].contains("first_app_frame"));
  EXPECT_FALSE(j["groups"][2].contains("crash_site_frame"));
  EXPECT_EQ(j["groups"][2]["state"], "chan receive");
  EXPECT_EQ(j["groups"][2]["wait"], "unknown");
}

// Written out as it goes (RenderJson): what reached the stream and what is
// left in the string make the text written without a stream, and the
// string never holds much more than kFlushBytes.
TEST(AppendIncidentJson, FlushedPiecesMakeTheSameText) {
  Incident inc;
  inc.kind = IncidentKind::kGoroutineDump;
  inc.source = "dump.txt";
  for (uint64_t i = 0; i < 400; ++i) {
    GoroutineGroup g;
    g.count = i + 1;
    g.state = "chan receive";
    Goroutine r;
    for (int line = 10; line < 30; ++line) {
      Frame f;
      f.function = "example.com/app/internal/worker.(*Pool).run.func1";
      f.file = "/src/app/internal/worker/pool.go";
      f.line = line;
      r.frames.push_back(f);
    }
    g.samples.push_back(r);
    inc.groups.push_back(std::move(g));
  }
  std::string whole = "head";
  AppendIncidentJson(inc, SIZE_MAX, 4, &whole);
  ASSERT_GT(whole.size(), 4 * kFlushBytes);
  std::ostringstream os;
  std::string rest = "head";
  AppendIncidentJson(inc, SIZE_MAX, 4, &rest, &os);
  EXPECT_GT(os.str().size(), 3 * kFlushBytes);
  EXPECT_LT(rest.size(), kFlushBytes);
  EXPECT_EQ(os.str() + rest, whole);
}

}  // namespace
}  // namespace gotriage
