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
  std::string other = state;
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

}  // namespace
}  // namespace gotriage
