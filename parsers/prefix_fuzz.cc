// libFuzzer target: prefix learning (parsers/prefix.h): Go markers
// after other text, learned prefixes peeled, pastes repaired.
// The invariants are gotriage::check::CheckPrefixLearning (tests/support/reader_check.h); a broken
// one aborts, so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/support/reader_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = gotriage::check::CheckPrefixLearning(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "prefix_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
