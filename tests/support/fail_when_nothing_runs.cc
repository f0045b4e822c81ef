// Linked into every gtest binary of the suite: a run in which the filter
// selected no test at all fails instead of passing on nothing.
//
// CTest runs each discovered test as `BINARY --gtest_filter=NAME`. When a
// corpus case disappears without a relink (a whole testdata/corpus folder
// removed), its CTest entry stays until the next build rediscovers the tests,
// and googletest would run zero tests and exit 0. Listing tests
// (--gtest_list_tests, used by the discovery) is not a run and is unaffected.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace gotriage {
namespace {

class FailWhenNothingRuns : public testing::EmptyTestEventListener {
  void OnTestProgramEnd(const testing::UnitTest& unit) override {
    if (unit.test_to_run_count() > 0) return;
    std::fprintf(stderr,
                 "no test matched the filter: a stale CTest entry? Rebuild to rediscover the tests.\n");
    std::fflush(stderr);
    std::_Exit(1);
  }
};

const bool kRegistered = [] {
  testing::UnitTest::GetInstance()->listeners().Append(new FailWhenNothingRuns);
  return true;
}();

}  // namespace
}  // namespace gotriage
