// libFuzzer target: the renderers that carry input text furthest, checked
// for escaping: the HTML report and its building blocks (EscapeHtml,
// JsonForScript, SourceUrl) and the Alertmanager payload. The contracts are
// gotriage::check::CheckRenderers (tests/support/render_check.h); a broken one aborts,
// so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/support/render_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken =
      gotriage::check::CheckRenderers(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "render_fuzz: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
