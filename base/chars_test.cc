// Unit tests of the character classes: every byte value, against the
// classes' definitions written out once more.
#include "base/chars.h"

#include <gtest/gtest.h>

#include <string_view>

namespace gotriage {
namespace {

bool In(std::string_view set, char c) { return set.find(c) != std::string_view::npos; }

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";

TEST(BaseChars, EveryByte) {
  for (int b = 0; b < 256; ++b) {
    char c = static_cast<char>(b);
    SCOPED_TRACE(b);
    EXPECT_EQ(IsDigit(c), In(kDigits, c));
    EXPECT_EQ(IsUpper(c), In(kUpper, c));
    EXPECT_EQ(IsLower(c), In(kLower, c));
    EXPECT_EQ(IsAlnum(c), In(kDigits, c) || In(kUpper, c) || In(kLower, c));
    EXPECT_EQ(IsHex(c), In(kDigits, c) || In("abcdefABCDEF", c));
    EXPECT_EQ(IsNameChar(c), In(kDigits, c) || In(kUpper, c) || In(kLower, c) || In("_-.", c));
  }
}

TEST(BaseChars, NoByteAboveAsciiIsInAClass) {
  // A UTF-8 byte (a signed char below zero here) is no digit or letter.
  for (char c : std::string_view("\xc2\xb5\xce\xbc\xff\x80")) {
    EXPECT_FALSE(IsDigit(c) || IsUpper(c) || IsLower(c) || IsAlnum(c) || IsHex(c) || IsNameChar(c));
  }
}

TEST(BaseChars, UsableInConstantExpressions) {
  static_assert(IsDigit('7') && !IsDigit('a'));
  static_assert(IsHex('F') && !IsHex('g'));
  static_assert(IsNameChar('-') && !IsNameChar('/') && !IsNameChar(' '));
}

}  // namespace
}  // namespace gotriage
