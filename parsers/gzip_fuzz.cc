// libFuzzer target: the gzip path of the input reader. The fuzz input is
// compressed into one or two gzip members (as `cat a.gz b.gz` makes), then
// possibly cut short or corrupted at a position taken from its bytes, and
// parsed. A corrupt or truncated stream must be reported, never crash, and
// what was inflated before the damage must still be parsed.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "parsers/parse.h"

namespace {

std::string Gzip(std::string_view s) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    __builtin_trap();
  std::string out(deflateBound(&zs, s.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  zs.avail_in = static_cast<uInt>(s.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) __builtin_trap();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  uint8_t mode = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t split = text.empty() ? 0 : data[1] % text.size();
  std::string gz = Gzip(text.substr(0, split));
  gz += Gzip(text.substr(split));
  switch (mode % 4) {
    case 0:  // intact
      break;
    case 1:  // truncated
      gz.resize(gz.size() * (mode >> 2) / 64);
      break;
    case 2:  // one byte flipped
      if (!gz.empty()) gz[(size_t{mode} * 7919) % gz.size()] ^= static_cast<char>(mode | 1);
      break;
    case 3:  // trailing garbage after the last member
      gz.append(text.substr(0, 16));
      break;
  }
  std::string err;
  gotriage::Parser p(gotriage::ParseOptions{});
  bool ok = p.AddText("fuzz.gz", gz, &err);
  if (!ok && err.empty()) __builtin_trap();
  p.Finish();
  return 0;
}
