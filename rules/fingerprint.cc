// Fingerprint: see fingerprint.h.
#include "rules/fingerprint.h"

#include <algorithm>
#include <cstdio>

#include "base/chars.h"
#include "base/strings.h"
#include "rules/util.h"

namespace gotriage {

namespace {
bool IsWordChar(char c) {
  return IsAlnum(c) || c == '_' || c == '-' || c == '+' || c == '/' || c == '=';
}
}  // namespace

std::string NormalizeMessage(std::string_view msg) {
  std::string out;
  out.reserve(msg.size());
  size_t i = 0;
  while (i < msg.size()) {
    char c = msg[i];
    if (c == '\n') break;  // the first line names the problem
    // Quoted values (a key, a path, a user's input) vary per occurrence.
    if (c == '"' || c == '\'' || c == '`') {
      size_t close = msg.find(c, i + 1);
      size_t nl = msg.find('\n', i + 1);
      if (close != std::string_view::npos && (nl == std::string_view::npos || close < nl) &&
          close - i <= 256) {
        out += c;
        out += '?';
        out += c;
        i = close + 1;
        continue;
      }
    }
    // Runs of 8+ hex or base64 characters holding a digit: IDs, hashes,
    // tokens, UUID parts.
    if (IsWordChar(c) && (i == 0 || !IsWordChar(msg[i - 1]))) {
      size_t j = i;
      bool digit = false, hex_only = true;
      while (j < msg.size() && IsWordChar(msg[j])) {
        digit = digit || (msg[j] >= '0' && msg[j] <= '9');
        hex_only = hex_only && (IsHex(msg[j]) || msg[j] == '-');
        ++j;
      }
      if (digit && ((hex_only && j - i >= 8) || j - i >= 20)) {
        out += "<id>";
        i = j;
        continue;
      }
    }
    if (c == '0' && i + 1 < msg.size() && (msg[i + 1] == 'x' || msg[i + 1] == 'X')) {
      i += 2;
      while (i < msg.size() && IsHex(msg[i])) ++i;
      out += "0x?";
      continue;
    }
    if (c >= '0' && c <= '9') {
      // Numbers, versions, IPs and durations (1.5s, 300ms, 2h0m3s) alike.
      while (i < msg.size() && ((msg[i] >= '0' && msg[i] <= '9') || msg[i] == '.'))
        ++i;
      // A unit right after the number: s, ms, us, ns, h, m.
      static constexpr std::string_view kUnits[] = {"ms", "us", "ns", "µs", "s", "m", "h"};
      for (std::string_view u : kUnits) {
        if (msg.substr(i, u.size()) == u &&
            (i + u.size() >= msg.size() || !IsWordChar(msg[i + u.size()]))) {
          i += u.size();
          break;
        }
      }
      out += '#';
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string FingerprintFunction(std::string_view function) {
  function = BareFunc(function);
  std::string out;
  out.reserve(function.size());
  int depth = 0;
  for (size_t i = 0; i < function.size(); ++i) {
    char c = function[i];
    // Type arguments print as `[...]` or with shapes depending on the
    // version: drop them.
    if (c == '[') {
      if (depth++ == 0) out += "[]";
      continue;
    }
    if (c == ']') {
      if (depth > 0) --depth;
      continue;
    }
    if (depth == 0) out += c;
  }
  return out;
}

std::vector<std::string> FingerprintFrames(const std::vector<Frame>& frames, int culprit) {
  std::vector<std::string> out;
  if (culprit < 0 || static_cast<size_t>(culprit) >= frames.size()) return out;
  // The goroutine's entry frame when it is a closure (`F.func2`, or
  // `F.func2.1` when the `go` statement is itself inside a closure): Go
  // before 1.22 names the wrapper of `go f(x)` so, later versions
  // `F.gowrap1`; both are left out so that the versions agree.
  auto digits_from = [](std::string_view s, size_t from) {
    return from < s.size() && s.find_first_not_of("0123456789", from) == std::string_view::npos;
  };
  size_t entry = frames.size();
  for (size_t i = frames.size(); i-- > static_cast<size_t>(culprit) + 1;) {
    if (frames[i].kind == FrameKind::kRuntime) continue;
    std::string_view fn = BareFunc(frames[i].function);
    size_t dot = fn.rfind('.');
    // A nested closure's last element is its number alone (no method or
    // function name is all digits); a top-level one's is `funcN`.
    if (dot != std::string_view::npos &&
        (digits_from(fn, dot + 1) || (fn.compare(dot + 1, 4, "func") == 0 && digits_from(fn, dot + 5))))
      entry = i;
    break;
  }
  for (size_t i = static_cast<size_t>(culprit); i < frames.size() && out.size() < kFingerprintFrames; ++i) {
    const Frame& fr = frames[i];
    if (fr.kind != FrameKind::kApp && fr.kind != FrameKind::kDependency) continue;
    if (IsWrapperFrame(fr) || i == entry) continue;
    out.push_back(FingerprintFunction(fr.function));
  }
  // A stack with no application frame at all is named by its culprit.
  if (out.empty()) out.push_back(FingerprintFunction(frames[static_cast<size_t>(culprit)].function));
  return out;
}

std::string Fingerprint(std::string_view rule_id, const std::vector<std::string>& functions,
                        std::string_view message) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
  };
  mix("v" + std::to_string(kFingerprintVersion));
  mix(rule_id);
  for (const std::string& fn : functions) mix(fn);
  mix("|");
  mix(NormalizeMessage(message));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string Fingerprint(std::string_view rule_id, std::string_view function,
                        std::string_view message) {
  std::vector<std::string> fns;
  if (!function.empty()) fns.push_back(FingerprintFunction(function));
  return Fingerprint(rule_id, fns, message);
}

void SetFingerprint(Finding* f, std::string_view message) {
  std::vector<std::string> fns;
  if (f->culprit) fns.push_back(FingerprintFunction(f->culprit->function));
  if (f->app_frame) fns.push_back(FingerprintFunction(f->app_frame->function));
  f->fingerprint = Fingerprint(f->rule_id, fns, message);
}

void SetFingerprint(Finding* f, std::string_view message, const std::vector<Frame>& frames, int culprit) {
  std::vector<std::string> fns = FingerprintFrames(frames, culprit);
  if (fns.empty()) {
    SetFingerprint(f, message);
    return;
  }
  f->fingerprint = Fingerprint(f->rule_id, fns, message);
}

}  // namespace gotriage
