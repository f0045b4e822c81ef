// `--src ROOT` reads application sources to confirm some findings (GT2006
// checks the culprit's lines): nothing outside ROOT may be read, whatever
// the frames' paths say (`..`, absolute paths) and whatever symlinks under
// ROOT point to. A finding that needs the source only fires when the file
// was read, so it tells whether a read happened.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

namespace fs = std::filesystem;

const std::string kSrc = GOTRIAGE_SOURCE_DIR;

std::string ReadFile(const fs::path& p) {
  return test_inputs::ReadInput(p);  // a missing or empty input fails
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

class SrcRoot : public testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() /
           ("gotriage-src-" + std::to_string(getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(tmp_);
    fs::create_directories(tmp_ / "outside");
    fs::copy_file(kSrc + "/testdata/gen/seed-report-queue/main.go", tmp_ / "outside/main.go");
    dump_ = ReadFile(kSrc + "/testdata/fixtures/seed-report-queue-debug2.go119.txt");
    ASSERT_NE(dump_.find("/testdata/gen/seed-report-queue/main.go"), std::string::npos);
  }
  void TearDown() override { fs::remove_all(tmp_); }

  // Whether GT2006 fires when the frames' directory is \a dir and --src is
  // \a root.
  bool FiresWith(const std::string& dir, const fs::path& root) {
    std::string text = dump_;
    size_t at = text.find("/testdata/gen/seed-report-queue/main.go");
    size_t start = text.rfind('\t', at) + 1;
    std::string orig_dir = text.substr(start, at - start) + "/testdata/gen/seed-report-queue";
    text = Replace(text, orig_dir + "/", dir);
    std::unique_ptr<ParsedInput> in = ParseText(text);
    EngineOptions o;
    o.src_dir = root.string();
    std::vector<Finding> fs = Analyze(*in, o);
    return std::any_of(fs.begin(), fs.end(), [](const Finding& f) { return f.rule_id == "GT2006"; });
  }

  fs::path tmp_;
  std::string dump_;
};

TEST_F(SrcRoot, ReadsAFileInsideTheRoot) {
  fs::create_directories(tmp_ / "root");
  fs::copy_file(tmp_ / "outside/main.go", tmp_ / "root/main.go");
  EXPECT_TRUE(FiresWith("/build/app/", tmp_ / "root"));
}

TEST_F(SrcRoot, DoesNotFollowAFileSymlinkOutOfTheRoot) {
  fs::create_directories(tmp_ / "root");
  fs::create_symlink(tmp_ / "outside/main.go", tmp_ / "root/main.go");
  EXPECT_FALSE(FiresWith("/build/app/", tmp_ / "root"));
}

TEST_F(SrcRoot, DoesNotFollowADirectorySymlinkOutOfTheRoot) {
  fs::create_directories(tmp_ / "root");
  fs::create_directory_symlink(tmp_ / "outside", tmp_ / "root/app");
  EXPECT_FALSE(FiresWith("/build/app/", tmp_ / "root"));
  fs::create_directory_symlink("../outside", tmp_ / "root/rel");
  EXPECT_FALSE(FiresWith("/build/rel/", tmp_ / "root"));
}

TEST_F(SrcRoot, DotDotInFramePathsDoesNotEscape) {
  fs::create_directories(tmp_ / "root/sub");
  EXPECT_FALSE(FiresWith("/x/../outside/", tmp_ / "root"));
  EXPECT_FALSE(FiresWith("../../outside/", tmp_ / "root/sub"));
  EXPECT_FALSE(FiresWith("/build/../../../../../../../../" + (tmp_ / "outside").string().substr(1) + "/",
                         tmp_ / "root"));
}

TEST_F(SrcRoot, AbsoluteFramePathOutsideTheRootIsNotRead) {
  fs::create_directories(tmp_ / "root");
  EXPECT_FALSE(FiresWith((tmp_ / "outside").string() + "/", tmp_ / "root"));
}

}  // namespace
}  // namespace gotriage
