// libFuzzer target: the traceback reader (parsers/traceback.h) alone,
// fed lines directly: panics, fatal errors, signal dumps, debug=2 dumps.
// The invariants are gotriage::check::CheckTraceback (tests/support/reader_check.h); a broken
// one aborts, so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/support/reader_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = gotriage::check::CheckTraceback(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "traceback_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
