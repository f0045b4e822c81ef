// String helpers on std::string_view: trimming, prefixes and suffixes,
// numbers, lines. Every view returned points into the argument.
//
// All but SplitLines are inline: the grammar calls them on every goroutine
// header and frame line, and they used to be inlined there from its own
// file (there is no LTO).
#ifndef GOTRIAGE_BASE_STRINGS_H_
#define GOTRIAGE_BASE_STRINGS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/chars.h"

namespace gotriage {

/// Removes leading spaces and tabs.
inline std::string_view TrimLeft(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}
/// Removes trailing spaces, tabs and `\r`.
inline std::string_view TrimRight(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) --n;
  return s.substr(0, n);
}
/// TrimLeft and TrimRight: leading spaces and tabs, trailing spaces, tabs
/// and `\r`.
inline std::string_view Trim(std::string_view s) { return TrimLeft(TrimRight(s)); }

inline bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}
inline bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}
/// Removes \a suffix from the end of \a *s; true when it was there.
inline bool CutSuffix(std::string_view* s, std::string_view suffix) {
  if (!EndsWith(*s, suffix)) return false;
  s->remove_suffix(suffix.size());
  return true;
}

/// The number of spaces (not tabs) \a s starts with: a YAML or
/// `kubectl describe` indentation.
inline size_t LeadingSpaces(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

/// The lines of \a s without their `\n` (a `\r` stays): a last line without
/// `\n` counts, a trailing `\n` starts no empty line, and "" has no lines.
std::vector<std::string_view> SplitLines(std::string_view s);

/// Parses a decimal integer (no sign, 1 to 18 digits: anything longer is
/// taken as overflow); false on overflow or non-digits.
inline bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}
/// Parses `0x1f` / `0X1f` / `1f` as hexadecimal (1 to 16 digits); false on
/// overflow or non-hex.
inline bool ParseHex(std::string_view s, uint64_t* out) {
  if (StartsWith(s, "0x") || StartsWith(s, "0X")) s.remove_prefix(2);
  if (s.empty() || s.size() > 16) return false;
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (IsDigit(c)) d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

}  // namespace gotriage

#endif  // GOTRIAGE_BASE_STRINGS_H_
