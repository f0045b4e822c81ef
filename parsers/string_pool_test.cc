// StringPool: one stable view per distinct string, across the table's
// growth, for empty, long and binary strings alike.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/model.h"

namespace gotriage {
namespace {

TEST(StringPool, EqualStringsShareOneStableView) {
  StringPool pool;
  std::vector<std::string> texts;
  for (int i = 0; i < 20000; ++i) texts.push_back("example.com/pkg" + std::to_string(i % 97) + ".F" + std::to_string(i));
  texts.emplace_back("");
  texts.emplace_back(std::string("nul\0inside", 10));
  texts.emplace_back(100000, 'x');  // longer than a block
  texts.emplace_back(20000, 'y');
  std::vector<std::string_view> first;
  size_t bytes = 0;
  for (const std::string& t : texts) {
    first.push_back(pool.Intern(t));
    bytes += t.size();
  }
  // Thousands of strings later (the table grew many times), the same views.
  for (size_t i = 0; i < texts.size(); ++i) {
    std::string copy = texts[i];
    std::string_view v = pool.Intern(copy);
    EXPECT_EQ(v, texts[i]);
    EXPECT_EQ(v.data(), first[i].data()) << i;
    EXPECT_NE(v.data(), copy.data());
    EXPECT_EQ(v.data()[v.size()], '\0');
  }
  EXPECT_EQ(pool.size(), texts.size());
  EXPECT_EQ(pool.bytes(), bytes);
  // Strings that differ in their last byte, or only in length, stay apart.
  EXPECT_NE(pool.Intern("abc").data(), pool.Intern("abd").data());
  EXPECT_NE(pool.Intern("ab").data(), pool.Intern("abc").data());
  EXPECT_EQ(pool.Intern(std::string_view()).data(), pool.Intern("").data());
}

}  // namespace
}  // namespace gotriage
