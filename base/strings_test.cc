// Unit tests of the string helpers.
#include "base/strings.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace gotriage {
namespace {

using V = std::vector<std::string_view>;

TEST(BaseStrings, TrimTakesBlanksLeftAndBlanksAndCarriageReturnsRight) {
  struct Case {
    std::string_view in, left, right, both;
  } cases[] = {
      {"\t a \r", "a \r", "\t a", "a"},
      {"  a b  ", "a b  ", "  a b", "a b"},
      {" \t\r ", "\r ", "", ""},
      {"", "", "", ""},
      {"\ra\r", "\ra\r", "\ra", "\ra"},    // a `\r` is taken from the right only
      {"\na\n", "\na\n", "\na\n", "\na\n"},  // a newline from neither side
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TrimLeft(c.in), c.left) << c.in;
    EXPECT_EQ(TrimRight(c.in), c.right) << c.in;
    EXPECT_EQ(Trim(c.in), c.both) << c.in;
  }
  // The result is a view into the argument.
  std::string_view s = "  x  ";
  EXPECT_EQ(Trim(s).data(), s.data() + 2);
}

TEST(BaseStrings, StartsEndsAndCutSuffix) {
  EXPECT_TRUE(StartsWith("goroutine 1", "goroutine "));
  EXPECT_TRUE(StartsWith("abc", ""));
  EXPECT_FALSE(StartsWith("go", "goroutine"));
  EXPECT_TRUE(EndsWith("main.go", ".go"));
  EXPECT_TRUE(EndsWith("", ""));
  EXPECT_FALSE(EndsWith("go", ".go"));
  std::string_view s = "select (scan)";
  EXPECT_TRUE(CutSuffix(&s, " (scan)"));
  EXPECT_EQ(s, "select");
  EXPECT_FALSE(CutSuffix(&s, " (scan)"));
  EXPECT_EQ(s, "select");
}

TEST(BaseStrings, LeadingSpacesCountsSpacesOnly) {
  struct Case {
    std::string_view in;
    size_t want;
  } cases[] = {{"    key: v", 4}, {"key", 0}, {"  \t x", 2}, {"   ", 3}, {"", 0}};
  for (const Case& c : cases) EXPECT_EQ(LeadingSpaces(c.in), c.want) << c.in;
}

TEST(BaseStrings, SplitLines) {
  EXPECT_EQ(SplitLines("a\nb"), (V{"a", "b"}));
  EXPECT_EQ(SplitLines("a\nb\n"), (V{"a", "b"}));
  EXPECT_EQ(SplitLines("a\n\nb"), (V{"a", "", "b"}));
  EXPECT_EQ(SplitLines("\n"), (V{""}));
  EXPECT_EQ(SplitLines("a\r\n"), (V{"a\r"}));
  EXPECT_EQ(SplitLines(""), V{});
}

TEST(BaseStrings, ParseInt) {
  int64_t v = -7;
  ASSERT_TRUE(ParseInt("0", &v));
  EXPECT_EQ(v, 0);
  ASSERT_TRUE(ParseInt("123456789012345678", &v));  // 18 digits, the most
  EXPECT_EQ(v, 123456789012345678);
  ASSERT_TRUE(ParseInt("007", &v));
  EXPECT_EQ(v, 7);
  // 19 digits could overflow int64_t: refused, \a out left alone.
  v = -7;
  EXPECT_FALSE(ParseInt("1234567890123456789", &v));
  EXPECT_FALSE(ParseInt("99999999999999999999", &v));
  EXPECT_EQ(v, -7);
  EXPECT_FALSE(ParseInt("", &v));
  EXPECT_FALSE(ParseInt("-1", &v));
  EXPECT_FALSE(ParseInt("+1", &v));
  EXPECT_FALSE(ParseInt("12a", &v));
  EXPECT_FALSE(ParseInt(" 1", &v));
  EXPECT_EQ(v, -7);
}

TEST(BaseStrings, ParseHex) {
  uint64_t v = 0;
  ASSERT_TRUE(ParseHex("0x1f", &v));
  EXPECT_EQ(v, 0x1fu);
  ASSERT_TRUE(ParseHex("0XaB", &v));
  EXPECT_EQ(v, 0xabu);
  ASSERT_TRUE(ParseHex("c000012345", &v));
  EXPECT_EQ(v, 0xc000012345u);
  ASSERT_TRUE(ParseHex("0xffffffffffffffff", &v));  // 16 digits, the most
  EXPECT_EQ(v, UINT64_MAX);
  v = 3;
  EXPECT_FALSE(ParseHex("0x1ffffffffffffffff", &v));  // 17 digits: overflow
  EXPECT_FALSE(ParseHex("0x", &v));
  EXPECT_FALSE(ParseHex("", &v));
  EXPECT_FALSE(ParseHex("0x1g", &v));
  EXPECT_FALSE(ParseHex("-1", &v));
  EXPECT_EQ(v, 3u);
}

}  // namespace
}  // namespace gotriage
