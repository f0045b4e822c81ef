// Unit tests of the duration helpers.
#include "base/durations.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace gotriage {
namespace {

TEST(BaseDurations, ParseGoDuration) {
  EXPECT_DOUBLE_EQ(ParseGoDuration("1h2m3.5s"), 3723.5);
  EXPECT_DOUBLE_EQ(ParseGoDuration("457314h58m45.57s"), 457314 * 3600.0 + 58 * 60 + 45.57);
  EXPECT_DOUBLE_EQ(ParseGoDuration("1.5ms"), 0.0015);
  EXPECT_DOUBLE_EQ(ParseGoDuration("3us"), 3e-6);
  EXPECT_DOUBLE_EQ(ParseGoDuration("3\xc2\xb5s"), 3e-6);  // µ, MICRO SIGN as Go prints it
  EXPECT_DOUBLE_EQ(ParseGoDuration("3\xce\xbcs"), 3e-6);  // μ, GREEK SMALL LETTER MU
  EXPECT_DOUBLE_EQ(ParseGoDuration("250ns"), 250e-9);
  EXPECT_DOUBLE_EQ(ParseGoDuration("0s"), 0);
  EXPECT_EQ(ParseGoDuration(""), -1);
  EXPECT_EQ(ParseGoDuration("5"), -1);      // no unit
  EXPECT_EQ(ParseGoDuration("5d"), -1);     // no such unit in Go
  EXPECT_EQ(ParseGoDuration("h"), -1);      // no number
  EXPECT_EQ(ParseGoDuration("1h 2m"), -1);  // a blank is no unit
  EXPECT_EQ(ParseGoDuration("-1s"), -1);
}

TEST(BaseDurations, ParseDurationMs) {
  int ms = -1;
  ASSERT_TRUE(ParseDurationMs("500ms", &ms));
  EXPECT_EQ(ms, 500);
  ASSERT_TRUE(ParseDurationMs("250", &ms));
  EXPECT_EQ(ms, 250);
  ASSERT_TRUE(ParseDurationMs("2s", &ms));
  EXPECT_EQ(ms, 2000);
  ASSERT_TRUE(ParseDurationMs("1m", &ms));
  EXPECT_EQ(ms, 60000);
  ASSERT_TRUE(ParseDurationMs("1440m", &ms));  // a day, the most in minutes
  EXPECT_EQ(ms, 1440 * 60000);
  ms = -1;
  EXPECT_FALSE(ParseDurationMs("1441m", &ms));
  EXPECT_FALSE(ParseDurationMs("1h", &ms));
  EXPECT_FALSE(ParseDurationMs("1.5s", &ms));
  EXPECT_FALSE(ParseDurationMs("s", &ms));
  EXPECT_FALSE(ParseDurationMs("", &ms));
  EXPECT_FALSE(ParseDurationMs("1234567890", &ms));  // 10 digits
  EXPECT_FALSE(ParseDurationMs("-5", &ms));
  EXPECT_EQ(ms, -1);
}

// Moved here from rules/lifecycle_test.cc with FormatUptime; the name kept.
TEST(FormatUptime, Units) {
  struct Case {
    int64_t seconds;
    const char* want;
  } cases[] = {
      {12724, "3h32m"},
      {124, "2m4s"},
      {120, "2m"},
      {26, "26s"},
      {0, "0s"},
      {3600, "1h"},
      {3661, "1h1m"},  // seconds dropped past an hour
      {2 * 86400 + 3 * 3600 + 5, "2d3h"},
      {86400 + 59 * 60, "1d"},
      {-1, ""},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatUptime(c.seconds), c.want) << c.seconds;
}

TEST(BaseDurations, FormatRoughDurationAndRate) {
  struct Case {
    int64_t seconds;
    const char* want;
  } spans[] = {
      {0, "0s"}, {119, "119s"}, {120, "2min"}, {7199, "119min"}, {7200, "2h"}, {9 * 3600 + 1799, "9h"},
      {9 * 3600 + 1801, "10h"},
  };
  for (const Case& c : spans) EXPECT_EQ(FormatRoughDuration(c.seconds), c.want) << c.seconds;
  // The rate's unit follows the span's.
  EXPECT_EQ(FormatRate(30, 60), "0.5/s");
  EXPECT_EQ(FormatRate(120, 600), "12/min");
  EXPECT_EQ(FormatRate(27, 9 * 3600), "3/h");
}

TEST(BaseDurations, FormatNanosAsSeconds) {
  EXPECT_EQ(FormatNanosAsSeconds(1.39e9), "1.39s");
  EXPECT_EQ(FormatNanosAsSeconds(6.04e9), "6.04s");
  EXPECT_EQ(FormatNanosAsSeconds(0), "0.00s");
  EXPECT_EQ(FormatNanosAsSeconds(1.5e9), "1.50s");
  EXPECT_EQ(FormatNanosAsSeconds(4e6), "0.00s");  // rounded
}

}  // namespace
}  // namespace gotriage
