// libFuzzer target: arbitrary bytes through the whole parser layer
// (line splitting, gzip, envelopes, traceback, pprof debug=1, race,
// test2json, describe), via Parser::AddText.
//
// Each input is parsed twice: with the default limits, and with tiny
// limits so that every limit path (cut lines, frame and group caps,
// message caps) is reached on small inputs. The input is also split in two
// sources at a point chosen from its bytes, as `gotriage a.txt b.txt` does.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parsers/parse.h"
#include "tests/support/reader_check.h"

namespace {

void ParseWith(std::string_view data, const gotriage::Limits& limits) {
  gotriage::ParseOptions opts;
  opts.limits = limits;
  gotriage::Parser p(opts);
  p.AddText("fuzz", data);
  std::unique_ptr<gotriage::ParsedInput> in = p.Finish();
  if (std::string bad = gotriage::check::CheckLineCounts(*in); !bad.empty()) {
    std::fprintf(stderr, "parse_fuzz: %s\n", bad.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseWith(text, gotriage::Limits{});

  gotriage::Limits tiny;
  tiny.max_line_bytes = 256;
  tiny.max_groups = 2;
  tiny.max_frames = 3;
  tiny.max_samples_per_group = 1;
  tiny.max_ids_per_group = 1;
  tiny.max_incidents = 2;
  tiny.max_message_lines = 2;
  tiny.max_message_bytes = 64;
  tiny.max_args_bytes = 16;
  ParseWith(text, tiny);

  // Two sources: the parser state must reset between them.
  size_t cut = size ? data[0] % (size + 1) : 0;
  gotriage::Parser p(gotriage::ParseOptions{});
  p.AddText("a", text.substr(0, cut));
  p.AddText("b", text.substr(cut));
  p.Finish();
  return 0;
}
