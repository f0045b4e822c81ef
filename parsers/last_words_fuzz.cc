// libFuzzer target: a service's last words, the fatal-level log record
// reader (parsers/fatal_record.h) and the kernel OOM killer's log reader
// (parsers/kernel_oom.h), fed lines directly.
// The invariants are gotriage::check::CheckLastWords (tests/support/reader_check.h); a
// broken one aborts, so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/support/reader_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = gotriage::check::CheckLastWords(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "last_words_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
