// ASCII character classes, one definition of each. They are called for
// every byte of every input line (the envelope and prefix layers), so each
// is a plain range comparison the compiler inlines: a 256-entry lookup table
// measured slower on the envelope benchmark. Locale-independent, unlike
// <cctype>; a byte >= 0x80 is in no class.
#ifndef GOTRIAGE_BASE_CHARS_H_
#define GOTRIAGE_BASE_CHARS_H_

namespace gotriage {

/// `0`-`9`.
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
/// `A`-`Z`.
constexpr bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
/// `a`-`z`.
constexpr bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
/// A letter or a digit.
constexpr bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c) || IsLower(c); }
/// A hexadecimal digit: `0`-`9`, `a`-`f`, `A`-`F`.
constexpr bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
/// A character of a syslog tag, a compose service or a CI step name:
/// a letter, a digit, `_`, `-` or `.`.
constexpr bool IsNameChar(char c) {
  return IsLower(c) || IsUpper(c) || IsDigit(c) || c == '_' || c == '-' || c == '.';
}

}  // namespace gotriage

#endif  // GOTRIAGE_BASE_CHARS_H_
