// libFuzzer target, differential: arbitrary bytes parsed with the fast lane
// (parsers/line.h) and without it, whole and in pieces whose size comes
// from the input, under the default limits and tight ones. The models must
// be identical down to each frame's arguments and input line
// (tests/support/model_dump.h): the fast lane and the matching of known stacks
// (parsers/stack_trie.h) may change nothing but speed. A difference aborts,
// so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/support/model_dump.h"
#include "parsers/parse.h"

namespace {

nlohmann::json Parse(std::string_view text, bool fast, size_t piece, const gotriage::Limits& limits) {
  gotriage::ParseOptions o;
  o.fast_lane = fast;
  o.text_piece_bytes = piece;
  o.limits = limits;
  gotriage::Parser p(o);
  p.AddText("fuzz", text);
  return gotriage::check::ModelAll(*p.Finish());
}

void ExpectSame(std::string_view text, size_t piece, const gotriage::Limits& limits, const char* what) {
  nlohmann::json want = Parse(text, false, 0, limits);
  for (size_t pc : {size_t{0}, piece}) {
    if (nlohmann::json got = Parse(text, true, pc, limits); got != want) {
      std::fprintf(stderr, "fast_lane_fuzz: the fast lane changed the model (%s, pieces of %zu bytes)\n",
                   what, pc);
      // GOTRIAGE_FUZZ_DIFF=1: the difference, as a JSON patch from the slow
      // path's model to the fast lane's;
      // GOTRIAGE_FUZZ_DIFF=full: both models whole.
      if (const char* d = std::getenv("GOTRIAGE_FUZZ_DIFF")) {
        auto dump = [](const nlohmann::json& j) {
          return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
        };
        if (std::string_view(d) == "full")
          std::fprintf(stderr, "slow path:\n%s\nfast lane:\n%s\n", dump(want).c_str(), dump(got).c_str());
        else
          std::fprintf(stderr, "%s\n", dump(nlohmann::json::diff(want, got)).c_str());
      }
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t piece = size ? 1 + data[size - 1] % 251 : 0;
  ExpectSame(text, piece, gotriage::Limits{}, "default limits");
  ExpectSame(text, piece, gotriage::check::FastLaneFuzzLimits(), "tight limits");
  return 0;
}
