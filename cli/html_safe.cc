// Escaping, hashing and link building for the HTML report; see html_safe.h.
#include "cli/html_safe.h"

#include <re2/re2.h>

#include <array>
#include <cstdint>
#include <cstdio>

#include "cli/escape.h"
#include "cli/render.h"

namespace gotriage {

namespace {


bool IsBidiOrSeparator(uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

std::string DisplaySafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      std::snprintf(buf, sizeof buf, "\\x%02X", cp);
      out += buf;
    } else if (IsBidiOrSeparator(cp)) {
      std::snprintf(buf, sizeof buf, "\\u{%04X}", cp);
      out += buf;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string EscapeHtml(std::string_view s) {
  std::string safe = DisplaySafe(s);
  std::string out;
  out.reserve(safe.size() + safe.size() / 8);
  for (char c : safe) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string JsonForScript(const nlohmann::json& j) {
  std::string d = DumpJson(j);
  std::string out;
  out.reserve(d.size() + d.size() / 16);
  for (size_t i = 0; i < d.size(); ++i) {
    char c = d[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < d.size() && d[i + 1] == '\x80' &&
               (d[i + 2] == '\xA8' || d[i + 2] == '\xA9')) {
      // Only inside strings can these bytes occur in JSON text.
      out += d[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Sha256Base64(std::string_view data) {
  static constexpr uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string msg(data);
  uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  msg += '\x80';
  while (msg.size() % 64 != 56) msg += '\0';
  for (int i = 7; i >= 0; --i) msg += static_cast<char>((bits >> (i * 8)) & 0xFF);
  auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (size_t off = 0; off < msg.size(); off += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      const auto* p = reinterpret_cast<const unsigned char*>(msg.data() + off + i * 4);
      w[i] = (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
    }
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  unsigned char digest[32];
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j) digest[i * 4 + j] = static_cast<unsigned char>(h[i] >> (24 - j * 8));
  static constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (int i = 0; i < 32; i += 3) {
    uint32_t v = uint32_t(digest[i]) << 16;
    if (i + 1 < 32) v |= uint32_t(digest[i + 1]) << 8;
    if (i + 2 < 32) v |= digest[i + 2];
    out += b64[(v >> 18) & 63];
    out += b64[(v >> 12) & 63];
    out += i + 1 < 32 ? b64[(v >> 6) & 63] : '=';
    out += i + 2 < 32 ? b64[v & 63] : '=';
  }
  return out;
}

namespace {

// Module cache directories case-encode upper-case letters as `!x`.
bool DecodeModulePath(std::string_view enc, std::string* out) {
  out->clear();
  for (size_t i = 0; i < enc.size(); ++i) {
    if (enc[i] == '!') {
      if (i + 1 >= enc.size() || enc[i + 1] < 'a' || enc[i + 1] > 'z') return false;
      *out += static_cast<char>(enc[++i] - 32);
    } else {
      *out += enc[i];
    }
  }
  return true;
}

bool SafePath(std::string_view p) {
  static const RE2 re(R"(^[A-Za-z0-9._~+-]+(?:/[A-Za-z0-9._~+-]+)*$)");
  if (!RE2::FullMatch(p, re)) return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view el = p.substr(start, end - start);
    if (el == "." || el == "..") return false;
    start = end + 1;
  }
  return true;
}

std::string GorootUrl(std::string_view root, std::string_view rel, int line) {
  // The GOROOT's own directory name carries the version: go1.22.3,
  // go-1.22.3, or a toolchain module golang.org/toolchain@v0.0.1-go1.22.3.linux-amd64.
  static const RE2 re(R"((?:^|[/@-])go-?(1\.[0-9]+(?:\.[0-9]+)?)(?:\.[a-z0-9]+-[a-z0-9]+)?$)");
  std::string ver;
  if (!RE2::PartialMatch(root, re, &ver)) return "";
  int minor = std::atoi(ver.c_str() + 2);
  bool has_patch = ver.find('.', 2) != std::string::npos;
  // From Go 1.21 every release tag has a patch number (go1.21.0); before it
  // the first release of a minor is go1.N.
  if (!has_patch && minor >= 21) return "";
  if (!SafePath(rel)) return "";
  std::string url = "https://cs.opensource.google/go/go/+/refs/tags/go" + ver + ":src/" + std::string(rel);
  if (line > 0) url += ";l=" + std::to_string(line);
  return url;
}

}  // namespace

std::string SourceUrl(std::string_view file, int line) {
  size_t mod = file.rfind("/pkg/mod/");
  if (mod != std::string_view::npos) {
    std::string_view rest = file.substr(mod + 9);
    size_t at = rest.find('@');
    if (at == std::string_view::npos) return "";
    size_t slash = rest.find('/', at);
    if (slash == std::string_view::npos) return "";
    std::string_view enc_path = rest.substr(0, at);
    std::string_view version = rest.substr(at + 1, slash - at - 1);
    std::string_view rel = rest.substr(slash + 1);
    if (enc_path == "golang.org/toolchain") {
      size_t src = rel.find("src/");
      if (src != 0) return "";
      return GorootUrl(std::string(rest.substr(0, slash)), rel.substr(4), line);
    }
    std::string path;
    if (!DecodeModulePath(enc_path, &path)) return "";
    static const RE2 module_re(R"(^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(?:/[A-Za-z0-9._~-]+)*$)");
    static const RE2 version_re(
        R"(^v[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+incompatible)?$)");
    if (!RE2::FullMatch(path, module_re) || !RE2::FullMatch(version, version_re) || !SafePath(rel) ||
        !SafePath(path))
      return "";
    static const RE2 github_re(R"(^github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$)");
    if (RE2::FullMatch(path, github_re)) {
      // A pseudo-version names a commit; a release version is a tag.
      static const RE2 pseudo_re(R"((?:^|[-.])[0-9]{14}-([0-9a-f]{12})(?:\+incompatible)?$)");
      std::string ref, commit;
      if (RE2::PartialMatch(version, pseudo_re, &commit)) {
        ref = commit;
      } else {
        ref = std::string(version);
        size_t plus = ref.find('+');
        if (plus != std::string::npos) ref.resize(plus);
      }
      std::string url = "https://" + path + "/blob/" + ref + "/" + std::string(rel);
      if (line > 0) url += "#L" + std::to_string(line);
      return url;
    }
    return "https://pkg.go.dev/" + path + "@" + std::string(version);
  }
  size_t src = file.rfind("/src/");
  if (src == std::string_view::npos) return "";
  return GorootUrl(file.substr(0, src), file.substr(src + 5), line);
}

}  // namespace gotriage
