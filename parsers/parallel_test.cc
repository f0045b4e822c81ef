// A large file is parsed in two parts on two threads; the result must be the
// one a sequential parse gives.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "parsers/parse.h"

namespace gotriage {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::map<std::string, uint64_t> GroupCounts(const Incident& inc) {
  std::map<std::string, uint64_t> m;
  for (const GoroutineGroup& g : inc.groups) {
    std::string key(g.state);
    for (const Frame& f : g.representative().frames) key += "|" + std::string(f.function);
    m[key] += g.count;
  }
  return m;
}

TEST(ParallelParse, SameResultAsSequential) {
  // A real debug=2 dump from the runtime, repeated past the split threshold
  // with a changing goroutine numbering so each copy continues the dump.
  std::string dump = ReadFile(std::string(GOTRIAGE_SOURCE_DIR) +
                              "/testdata/fixtures/goroutine-leak-debug2-t2.go126.txt");
  ASSERT_GT(dump.size(), 100000u);
  std::string body = dump.substr(dump.find("\n\ngoroutine ") + 2);
  std::string text = dump;
  int copies = 0;
  while (text.size() < (40u << 20)) {
    text += "\n";
    // Renumber the first header so it never repeats the dump's first ID.
    text += "goroutine " + std::to_string(1000000 + copies++) + " [running]:\nmain.main()\n\t/app/main.go:1 +0x1\n\n";
    text += body;
  }
  std::string path = ::testing::TempDir() + "/gotriage_parallel_dump.txt";
  {
    std::ofstream f(path, std::ios::binary);
    f << text;
  }
  Parser par{ParseOptions()};
  std::string err;
  ASSERT_TRUE(par.AddFile(path, &err)) << err;
  auto a = par.Finish();
  auto b = ParseText(text);
  ASSERT_EQ(a->incidents.size(), b->incidents.size());
  ASSERT_EQ(a->incidents.size(), 1u);
  EXPECT_FALSE(a->parts.empty()) << "the file was not split";
  EXPECT_EQ(a->incidents[0].goroutine_count, b->incidents[0].goroutine_count);
  EXPECT_EQ(a->incidents[0].last_line, b->incidents[0].last_line);
  EXPECT_EQ(a->lines, b->lines);
  EXPECT_EQ(GroupCounts(a->incidents[0]), GroupCounts(b->incidents[0]));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace gotriage
