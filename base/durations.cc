// Durations; see durations.h.
#include "base/durations.h"

#include <cstdio>
#include <cstdlib>

#include "base/chars.h"

namespace gotriage {

double ParseGoDuration(std::string_view s) {
  if (s.empty()) return -1;
  double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (IsDigit(s[i]) || s[i] == '.')) ++i;
    if (i == start) return -1;
    double v = std::strtod(std::string(s.substr(start, i - start)).c_str(), nullptr);
    size_t u = i;
    while (i < s.size() && !IsDigit(s[i]) && s[i] != '.') ++i;
    std::string_view unit = s.substr(u, i - u);
    if (unit == "h") v *= 3600;
    else if (unit == "m") v *= 60;
    else if (unit == "s") {}
    else if (unit == "ms") v /= 1e3;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") v /= 1e6;
    else if (unit == "ns") v /= 1e9;
    else return -1;
    total += v;
  }
  return total;
}

bool ParseDurationMs(std::string_view s, int* ms) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  if (n == 0 || n > 9) return false;
  long v = std::stol(std::string(s.substr(0, n)));
  std::string_view unit = s.substr(n);
  if (unit.empty() || unit == "ms") *ms = static_cast<int>(v);
  else if (unit == "s") *ms = static_cast<int>(v * 1000);
  else if (unit == "m" && v <= 60 * 24) *ms = static_cast<int>(v * 60000);
  else return false;
  return true;
}

std::string FormatUptime(int64_t s) {
  if (s < 0) return "";
  int64_t d = s / 86400, h = (s / 3600) % 24, m = (s / 60) % 60, sec = s % 60;
  std::string out;
  if (d > 0) return std::to_string(d) + "d" + (h ? std::to_string(h) + "h" : "");
  if (h > 0) return std::to_string(h) + "h" + (m ? std::to_string(m) + "m" : "");
  if (m > 0) out = std::to_string(m) + "m";
  if (sec > 0 || out.empty()) out += std::to_string(sec) + "s";
  return out;
}

std::string FormatRoughDuration(int64_t sec) {
  if (sec < 120) return std::to_string(sec) + "s";
  if (sec < 2 * 3600) return std::to_string(sec / 60) + "min";
  char b[32];
  std::snprintf(b, sizeof b, "%.0fh", sec / 3600.0);
  return b;
}

std::string FormatRate(int64_t n, int64_t sec) {
  char b[48];
  if (sec < 120) std::snprintf(b, sizeof b, "%.1f/s", static_cast<double>(n) / sec);
  else if (sec < 2 * 3600) std::snprintf(b, sizeof b, "%.0f/min", n * 60.0 / sec);
  else std::snprintf(b, sizeof b, "%.0f/h", n * 3600.0 / sec);
  return b;
}

std::string FormatNanosAsSeconds(double ns) {
  char b[48];
  std::snprintf(b, sizeof b, "%.2fs", ns / 1e9);
  return b;
}

}  // namespace gotriage
