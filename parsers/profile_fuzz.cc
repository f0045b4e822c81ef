// libFuzzer target: the profile.proto reader. The input is a profile, raw or
// gzipped (seeded with the real profiles of testdata/fixtures/profiles, and
// their gunzipped bytes by scripts/fuzz). It is decoded with tight bounds,
// then, when the input layer's sniff takes it for a profile, parsed through
// the whole input layer (sniff, reader, groups) and the rules. Nothing may
// crash, and every decoded index must be in range. Bytes the sniff does not
// take for a profile go down the text path, which parse_fuzz and
// pipeline_fuzz cover: running it here too kept this target at 2,050 exec/s
// falling to 870 as mutants drifted into text (a corpus of 13,000 units,
// most of them text); without it, 26,000 exec/s (unsanitized build).
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "parsers/parse.h"
#include "parsers/profile_proto.h"
#include "rules/engine.h"

namespace {

// Inflates at most 8 MiB of a gzip stream; "" when it is not one.
std::string Gunzip(std::string_view in) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return "";
  std::string out;
  char buf[1 << 16];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int r;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    r = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  } while (r == Z_OK && out.size() < (8u << 20));
  inflateEnd(&zs);
  return out;
}

void Check(const gotriage::Profile& p) {
  for (const auto& l : p.lines)
    if (l.function >= p.functions.size()) __builtin_trap();
  for (const auto& loc : p.locations)
    if (static_cast<uint64_t>(loc.first_line) + loc.line_count > p.lines.size()) __builtin_trap();
  for (uint32_t i : p.sample_locations)
    if (i >= p.locations.size()) __builtin_trap();
  for (const auto& s : p.samples) {
    if (static_cast<uint64_t>(s.first_location) + s.location_count > p.sample_locations.size()) __builtin_trap();
    if (static_cast<uint64_t>(s.first_label) + s.label_count > p.labels.size()) __builtin_trap();
  }
  if (p.values.size() != p.samples.size() * p.sample_types.size()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string raw;
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) raw = Gunzip(in);
  std::string_view bytes = raw.empty() ? in : std::string_view(raw);

  gotriage::StringPool pool;
  gotriage::ProfileBounds b;
  b.max_bytes = 16u << 20;
  b.max_samples = 1u << 16;
  b.max_locations = 1u << 16;
  b.max_functions = 1u << 16;
  b.max_lines = 1u << 18;
  b.max_strings = 1u << 18;
  b.max_labels = 1u << 18;
  b.max_frames = 64;
  gotriage::Profile p;
  std::string err;
  uint64_t cut = 0;
  if (gotriage::DecodeProfile(bytes, &pool, b, &p, &err, &cut)) Check(p);
  else if (err.empty()) __builtin_trap();  // a refusal always says why

  if (!gotriage::LooksLikeProfileProto(bytes.substr(0, gotriage::kProfileSniffBytes))) return 0;
  gotriage::Parser parser(gotriage::ParseOptions{});
  parser.AddText("fuzz", in);
  auto parsed = parser.Finish();
  (void)gotriage::Analyze(*parsed, gotriage::EngineOptions{});
  return 0;
}
