// Test-only: runs the gotriage command line in-process (RunMain) and
// captures what it writes. Included by cli/*_test.cc only.
#ifndef GOTRIAGE_TESTS_SUPPORT_RUN_CLI_TEST_UTIL_H_
#define GOTRIAGE_TESTS_SUPPORT_RUN_CLI_TEST_UTIL_H_

#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"

namespace gotriage::test_cli {

/// `gotriage ARGS...`: its exit code; standard output into \a out and
/// standard error into \a err when given.
inline int RunCli(std::vector<std::string> args, std::string* out = nullptr, std::string* err = nullptr) {
  args.insert(args.begin(), "gotriage");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::ostringstream o, e;
  int rc = RunMain(static_cast<int>(argv.size()), argv.data(), o, e);
  if (out) *out = o.str();
  if (err) *err = e.str();
  return rc;
}

}  // namespace gotriage::test_cli

#endif  // GOTRIAGE_TESTS_SUPPORT_RUN_CLI_TEST_UTIL_H_
