// libFuzzer target: the log envelope layer (parsers/envelope.h):
// CRI and docker records, JSON and console log lines, kubectl prefixes,
// syslog, klog, ..., fed line by line into a recording sink.
// The invariants are gotriage::check::CheckEnvelopes (tests/support/reader_check.h); a broken
// one aborts, so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/support/reader_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = gotriage::check::CheckEnvelopes(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "envelope_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
