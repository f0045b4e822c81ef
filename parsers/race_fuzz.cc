// libFuzzer target: the race report reader (parsers/race.h) alone, fed
// lines directly.
// The invariants are gotriage::check::CheckRace (tests/support/reader_check.h); a broken
// one aborts, so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/support/reader_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = gotriage::check::CheckRace(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "race_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
