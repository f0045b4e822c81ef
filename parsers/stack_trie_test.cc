// StackTrie: what a recorded path matches and what it must not.
#include "parsers/stack_trie.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gotriage {
namespace {

using Kind = StackTrie::Kind;

// The steps of "f(...)\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 1\n\t/m.go:9 +0x2".
std::vector<StackTrie::Step> Steps() {
  return {{Kind::kFrame, "main.f", "\t/a.go:1 +0x1"}, {Kind::kCreatedByIn, "main.main", "\t/m.go:9 +0x2"}};
}

bool Match(const StackTrie& t, std::string_view state, const std::string& text, StackTrie::Match* m,
           size_t max_line = 1 << 20) {
  return t.MatchStack(state, text.data(), text.data() + text.size(), max_line, nullptr, m);
}

TEST(StackTrie, MatchesARecordedStackWhateverItsArgumentsAndParent) {
  std::string state = "chan receive";
  StackTrie t;
  ASSERT_TRUE(t.Insert(state, Steps(), 5));
  StackTrie::Match m;
  std::string text = "main.f(0xc000123456, {0x1, 0x2}, ...)\n\t/a.go:1 +0x1\n"
                     "created by main.main in goroutine 123\n\t/m.go:9 +0x2\n\ngoroutine 9 [x]:\n";
  ASSERT_TRUE(Match(t, state, text, &m));
  EXPECT_EQ(m.group, 5u);
  EXPECT_EQ(m.lines, 5u);
  EXPECT_EQ(text.substr(m.bytes), "goroutine 9 [x]:\n");
}

TEST(StackTrie, RefusesWhatTheParserWouldReadDifferently) {
  std::string state = "chan receive";
  StackTrie t;
  ASSERT_TRUE(t.Insert(state, Steps(), 5));
  const std::string created = "created by main.main in goroutine 1\n\t/m.go:9 +0x2\n\n";
  const std::vector<std::string> refused = {
      "main.f(0x1, (2))\n\t/a.go:1 +0x1\n" + created,      // `(` in the arguments
      "main.f(0x1\n\t/a.go:1 +0x1\n" + created,            // no `)`
      "main.f(0x1)\r\n\t/a.go:1 +0x1\n" + created,         // `\r`
      "main.f(0x1) \n\t/a.go:1 +0x1\n" + created,          // trailing blank
      "main.ff(0x1)\n\t/a.go:1 +0x1\n" + created,          // another function
      "main.f(0x1)\n\t/a.go:1 +0x2\n" + created,           // another offset
      "main.f(0x1)\n\t/a.go:1 +0x1 \n" + created,          // trailing blank on the file line
      "main.f(0x1)\n\t/a.go:1 +0x1\n\n",                   // ends before `created by`
      "main.f(0x1)\n\t/a.go:1 +0x1\ncreated by main.main\n\t/m.go:9 +0x2\n\n",  // other form
      "main.f(0x1)\n\t/a.go:1 +0x1\ncreated by main.main in goroutine \n\t/m.go:9 +0x2\n\n",
      "main.f(0x1)\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 1x\n\t/m.go:9 +0x2\n\n",
      "main.f(0x1)\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 12345678901234567890\n"
      "\t/m.go:9 +0x2\n\n",                                // 20 digits
      "main.f(0x1)\n\t/a.go:1 +0x1\n" + created.substr(0, created.size() - 1) + "x\n",  // no blank line
      "main.f(0x1)\n\t/a.go:1 +0x1\n" + created.substr(0, created.size() - 1),          // cut
      "main.f(0x1)\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 1\n",             // cut
  };
  for (const std::string& text : refused) {
    StackTrie::Match m;
    EXPECT_FALSE(Match(t, state, text, &m)) << text;
  }
  // Another state, even with the same text, has its own paths: states are
  // told apart by the address of their interned text.
  std::string other = state;  // NOLINT(performance-unnecessary-copy-initialization): another address
  StackTrie::Match m;
  EXPECT_FALSE(Match(t, other, "main.f(0x1)\n\t/a.go:1 +0x1\n" + created, &m));
  EXPECT_TRUE(Match(t, state, "main.f(0x1)\n\t/a.go:1 +0x1\n" + created, &m));
  // A line longer than the line limit goes the usual way (it is cut there).
  EXPECT_FALSE(Match(t, state, "main.f(0x1)\n\t/a.go:1 +0x1\n" + created, &m, 10));
}

TEST(StackTrie, PathsShareTheirInnermostFrames) {
  std::string state = "select";
  StackTrie t;
  std::vector<StackTrie::Step> a = {{Kind::kFrame, "runtime.gopark", "\t/p.go:1 +0x1"},
                                    {Kind::kFrame, "main.a", "\t/a.go:1 +0x1"}};
  std::vector<StackTrie::Step> b = {{Kind::kFrame, "runtime.gopark", "\t/p.go:1 +0x1"},
                                    {Kind::kFrame, "main.b", "\t/b.go:1 +0x1"}};
  std::vector<StackTrie::Step> c = {{Kind::kFrame, "runtime.gopark", "\t/p.go:1 +0x1"}};
  std::vector<StackTrie::Step> d = {{Kind::kFrame, "main.f", "\t/f.go:1 +0x1"},
                                    {Kind::kCreatedBy, "main.main", "\t/m.go:1"}};
  ASSERT_TRUE(t.Insert(state, a, 1));
  ASSERT_TRUE(t.Insert(state, b, 2));
  ASSERT_TRUE(t.Insert(state, c, 3));
  ASSERT_TRUE(t.Insert(state, d, 4));
  ASSERT_TRUE(t.Insert(state, a, 1));  // again: nothing new
  EXPECT_EQ(t.nodes(), 1u + 3u + 2u);
  StackTrie::Match m;
  ASSERT_TRUE(Match(t, state, "runtime.gopark(0x1)\n\t/p.go:1 +0x1\nmain.b(...)\n\t/b.go:1 +0x1\n\n", &m));
  EXPECT_EQ(m.group, 2u);
  ASSERT_TRUE(Match(t, state, "runtime.gopark(0x1)\n\t/p.go:1 +0x1\n\n", &m));
  EXPECT_EQ(m.group, 3u);
  ASSERT_TRUE(Match(t, state, "main.f()\n\t/f.go:1 +0x1\ncreated by main.main\n\t/m.go:1\n\n", &m));
  EXPECT_EQ(m.group, 4u);
  EXPECT_FALSE(Match(t, state, "runtime.gopark(0x1)\n\t/p.go:1 +0x1\nmain.c()\n\t/c.go:1 +0x1\n\n", &m));
  t.Clear();
  EXPECT_FALSE(Match(t, state, "runtime.gopark(0x1)\n\t/p.go:1 +0x1\n\n", &m));
}

TEST(StackTrie, StopsRecordingAtItsBounds) {
  std::string state = "running";
  StackTrie t;
  // A node takes kMaxChildren children; then the paths through it are
  // refused and the parser reads those goroutines line by line.
  for (int i = 0; i < StackTrie::kMaxChildren; ++i) {
    std::string name = "main.f" + std::to_string(i);
    ASSERT_TRUE(t.Insert(state, {{Kind::kFrame, name, "\t/a.go:1"}}, i));
  }
  EXPECT_FALSE(t.Insert(state, {{Kind::kFrame, "main.more", "\t/a.go:1"}}, 99));
  StackTrie::Match m;
  ASSERT_TRUE(Match(t, state, "main.f7()\n\t/a.go:1\n\n", &m));
  EXPECT_EQ(m.group, 7u);
  EXPECT_FALSE(Match(t, state, "main.more()\n\t/a.go:1\n\n", &m));
  // An incomplete frame (no file line) is never recorded.
  EXPECT_FALSE(t.Insert(state, {{Kind::kFrame, "main.g", ""}}, 1));
  // Nor is a stack that would pass the arena's size.
  std::string huge(StackTrie::kMaxArenaBytes, 'x');
  EXPECT_FALSE(t.Insert(state, {{Kind::kFrame, "main.h", "\t/" + huge + ".go:1"}}, 1));
}

// Each line of \a text behind \a prefix (the blank line behind \a blank).
std::string Behind(const std::string& prefix, const std::string& blank, const std::string& text) {
  std::string out;
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl - start);
    out += (line.empty() ? blank : prefix + line) + "\n";
    start = nl + 1;
  }
  return out;
}

TEST(StackTrie, MatchesBehindAnEnvelope) {
  std::string state = "select";
  StackTrie t;
  ASSERT_TRUE(t.Insert(state, Steps(), 3));
  const std::string stack = "main.f(0x1)\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 7\n\t/m.go:9 +0x2\n\n";
  auto match = [&](const RunEnvelope& env, const std::string& text, size_t max_line = 1 << 20) {
    StackTrie::Match m;
    std::string padded = text + std::string(64, 'x');  // what follows in a real run
    bool ok = t.MatchStack(state, padded.data(), padded.data() + padded.size(), max_line, &env, &m);
    if (ok) {
      EXPECT_EQ(m.bytes, text.size());
      EXPECT_EQ(m.lines, 5u);
      EXPECT_EQ(m.group, 3u);
    }
    return ok;
  };
  TimestampShape shape;
  const std::string ts = "2026-11-23T10:00:00.123456789Z";
  shape.Learn(ts + " main.f(0x1)", ts.size());
  ASSERT_EQ(shape.len, ts.size());
  const std::string other_ts = "2027-01-02T03:04:05.987654321Z";  // the same shape

  RunEnvelope stamped;
  stamped.form = RunEnvelope::Form::kTimestamp;
  stamped.shape = &shape;
  EXPECT_TRUE(match(stamped, Behind(other_ts + " ", other_ts, stack)));
  EXPECT_TRUE(match(stamped, Behind(other_ts + " ", other_ts + " ", stack)));
  // A timestamp of another shape (a fraction one digit shorter), or none.
  EXPECT_FALSE(match(stamped, Behind("2027-01-02T03:04:05.98765432Z ", other_ts, stack)));
  EXPECT_FALSE(match(stamped, Behind(other_ts + " ", "", stack)));
  EXPECT_FALSE(match(stamped, stack));
  // The line limit counts the envelope.
  EXPECT_FALSE(match(stamped, Behind(other_ts + " ", other_ts, stack), ts.size() + 10));

  RunEnvelope cri;
  cri.form = RunEnvelope::Form::kCri;
  cri.shape = &shape;
  EXPECT_TRUE(match(cri, Behind(other_ts + " stderr F ", other_ts + " stdout F ", stack)));
  // A record in pieces, a blank line that is only a timestamp, another tag.
  std::string pieces = Behind(other_ts + " stderr F ", other_ts + " stderr F ", stack);
  pieces.replace(pieces.find(" F main.f"), 3, " P ");
  EXPECT_FALSE(match(cri, pieces));
  EXPECT_FALSE(match(cri, Behind(other_ts + " stderr F ", other_ts, stack)));
  EXPECT_FALSE(match(cri, Behind(other_ts + " stdin F ", other_ts + " stdin F ", stack)));

  RunEnvelope tag;
  tag.form = RunEnvelope::Form::kTag;
  tag.tag = "[pod/api-1/app] ";
  EXPECT_TRUE(match(tag, Behind("[pod/api-1/app] ", "[pod/api-1/app] ", stack)));
  EXPECT_FALSE(match(tag, Behind("[pod/api-2/app] ", "[pod/api-2/app] ", stack)));
  EXPECT_FALSE(match(tag, Behind("[pod/api-1/app] ", "[pod/api-1/app]", stack)));
  // Bare, a stack is not behind an envelope.
  EXPECT_FALSE(match(tag, stack));
}

TEST(StackTrie, RecordsOnlyLinesAnEnvelopeWouldPassWhole) {
  // Behind an envelope, the envelope layer reads a line with a backslash
  // (an escaped record?), a `\r` at its end, or a name that does not start
  // as an identifier its own way: such stacks are parsed, not matched.
  std::string state = "select";
  StackTrie t;
  EXPECT_FALSE(t.Insert(state, {{Kind::kFrame, "main.f", "\tC:\\app\\a.go:1 +0x1"}}, 1));
  EXPECT_FALSE(t.Insert(state, {{Kind::kFrame, "main.f", "\t/a.go:1 +0x1\r"}}, 1));
  EXPECT_FALSE(t.Insert(state, {{Kind::kFrame, "main.f", "\t/a.go:1 +0x1^M"}}, 1));
  EXPECT_FALSE(t.Insert(state, {{Kind::kFrame, "\xc3\xa9.f", "\t/a.go:1 +0x1"}}, 1));
  EXPECT_FALSE(t.Insert(state, {{Kind::kFrame, "main.f", "\t a.go:1"}}, 1));
  EXPECT_TRUE(t.Insert(state, {{Kind::kFrame, "main.(*T).f", "\t/a.go:1 +0x1"}}, 1));
  EXPECT_TRUE(t.Insert(state, {{Kind::kFrame, "github.com/a/b.f", "\t/a.go:1 +0x1"}}, 2));
  EXPECT_EQ(t.nodes(), 3u);
}

}  // namespace
}  // namespace gotriage
