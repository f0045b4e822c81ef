// libFuzzer target: the whole pipeline on arbitrary bytes — parse, Analyze,
// and every renderer (text, json, sarif, ndjson, github) — with the output
// contracts of tests/support/pipeline_check.h as oracles. A violated contract aborts,
// so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/support/pipeline_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gotriage::ParseOptions popts;
  // Small limits keep each run fast and reach the limit notes in the output.
  popts.limits.max_groups = 64;
  popts.limits.max_frames = 64;
  gotriage::check::Outputs out;
  std::string broken =
      gotriage::check::CheckPipeline(text, popts, size > 0 && (data[0] & 1), &out);
  if (!broken.empty()) {
    std::fprintf(stderr, "pipeline_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
