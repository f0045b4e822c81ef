// libFuzzer target: each line through the traceback line grammar
// (parsers/grammar.h): goroutine headers, frame lines, `created by`, label
// lists, Go-quoted strings; the fast recognisers against the full parsers.
// The invariants are gotriage::check::CheckGrammar (tests/support/reader_check.h); a broken
// one aborts, so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/support/reader_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = gotriage::check::CheckGrammar(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "grammar_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
