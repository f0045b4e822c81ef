// What a structured-log record holds: its message, time and the Go output
// (a stack, a panic) in one of its fields; JSON records, cut ones, logfmt,
// and docker json-file's own shape; see log_record.h.
#include "parsers/log_record.h"

#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>

#include "base/chars.h"
#include "parsers/envelope.h"
#include "parsers/goleak.h"
#include "parsers/grammar.h"

namespace gotriage {

using nlohmann::json;

namespace log_record {

// --- JSON log records --------------------------------------------------

bool LooksLikeGoStack(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (StartsWith(s, "goroutine ")) return true;
  // zap's frame-only form: `pkg.func\n\t/path/file.go:42\n...`.
  return s.find("\n\t") != std::string_view::npos && s.find(".go:") != std::string_view::npos;
}

const json* StringField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return nullptr;
  return &*it;
}

// True when \a s is the Go runtime's own output (a whole panic, fatal error,
// SIGQUIT dump, race report or debug=1 profile) logged into one field: one of
// its first lines starts with a marker the runtime prints at a line start. A
// field that starts at `goroutine N [` is a stack a logger took itself
// (debug.Stack(), zap): StackRecord reads it as a recovered panic.
//
// The runtime's lines may carry envelopes of their own inside the field (a
// journald or klog capture logged as one string, a console paste with a
// timestamp on each line): a marker counts after the envelopes are peeled,
// or after other text as the prefix layer finds it (`... Observed a panic:
// `, `app | goroutine 7 [running]:`). A field with two goroutine headers
// or more holds all goroutines (runtime.Stack(buf, true), a debug=2
// profile), which no logger's own stack capture gives; so does one with a
// goroutine in any state but [running], or a debug=1 record.
bool HoldsRuntimeOutput(std::string_view s) {
  // Several lines: one line (with or without its newline) is a log line,
  // not a dump.
  if (size_t nl = s.find('\n'); nl == std::string_view::npos || nl + 1 >= s.size()) return false;
  // Lines only the runtime starts that way (the race detector's access
  // lines included): a field holding one is its output, cut or whole.
  static constexpr std::string_view kMarkers[] = {"panic: ", "fatal error: ", "SIGQUIT: ",
                                                  "WARNING: DATA RACE", "goroutine profile: total ",
                                                  "unexpected fault address ", "[signal ", "runtime stack:",
                                                  "Write at 0x", "Read at 0x", "Previous write at 0x",
                                                  "Previous read at 0x", "Write by goroutine ",
                                                  "Read by goroutine ", kGoleakTestMainLeadIn};
  // Two goroutine headers: all goroutines (runtime.Stack(buf, true), a
  // debug=2 profile written into the record), not one stack a logger took.
  // One header in another state than [running]: a goroutine that was not
  // the caller, which only a dump shows (debug.Stack() is the caller's own).
  // The header grammar is the parser's own (go1.27's `gp=... m=...` too).
  int headers = 0;
  for (size_t at = 0; at < s.size();) {
    size_t nl = s.find('\n', at);
    std::string_view l = s.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    GoroutineHeader h;
    if (StartsWith(l, "goroutine ") && ParseGoroutineHeader(TrimRight(l), &h) &&
        (++headers >= 2 || h.state != "running"))
      return true;
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  for (int n = 0; n < 64 && !s.empty(); ++n) {
    size_t nl = s.find('\n');
    std::string_view l = s.substr(0, nl);
    for (std::string_view m : kMarkers)
      if (StartsWith(l, m)) return true;
    // GODEBUG=gctrace=1's lines (the runtime writes them to stderr).
    if (StartsWith(l, "gc ") && l.find(" ms clock, ") != std::string_view::npos) return true;
    // A debug=1 record: `N @ 0x... 0x...`, its frames on `#\t0x` lines.
    if (size_t d = l.find_first_not_of("0123456789"); d > 0 && d != std::string_view::npos &&
        l.substr(d).starts_with(" @ 0x") && s.find("\n#\t0x") != std::string_view::npos)
      return true;
    if (n > 0 || !StartsWith(l, "goroutine ")) {
      // (A field that starts at `goroutine N [` is a stack the logger took.)
      std::string_view p = l, ts, stream;
      bool partial = false;
      if (PeelPrefixes(&p, &ts, &stream, &partial, false) > 0) {
        for (std::string_view m : kMarkers)
          if (StartsWith(p, m)) return true;
        // A dump captured with its envelope (journald, klog): not a stack
        // the logger took itself.
        if (StartsWith(p, "goroutine ") && p.size() > 10 && IsDigit(p[10])) return true;
      }
      bool strong = false;
      if (FindGoMarker(p, &strong) != std::string_view::npos) return true;
    }
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return false;
}

// The string field of a record that holds the runtime's own output, or
// nullptr (the stack fields first, then any other top-level field).
const json* FindRuntimeOutput(const json& j) {
  for (const char* k : {"stack", "stacktrace", "stack_trace", "stackTrace", "trace", "panic", "msg", "message", "error", "output"}) {
    if (const json* v = StringField(j, k); v && HoldsRuntimeOutput(v->get_ref<const std::string&>()))
      return v;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_string() && HoldsRuntimeOutput(it->get_ref<const std::string&>())) return &*it;
  }
  return nullptr;
}

// Where a stack begins inside a logged error value that quotes it after a
// message: `panic during reconcile: ...\ngoroutine 713 [running]:\n...`
// (fmt.Errorf("%v\n%s", r, debug.Stack()), as controller-runtime and
// other frameworks log a recovered panic): the offset of that `goroutine N
// [` line, or npos.
size_t StackAfterMessage(std::string_view s) {
  for (size_t at = s.find("\ngoroutine "); at != std::string_view::npos; at = s.find("\ngoroutine ", at + 1)) {
    size_t d = at + 11;
    size_t e = d;
    while (e < s.size() && IsDigit(s[e])) ++e;
    if (e > d && e + 1 < s.size() && s[e] == ' ' && s[e + 1] == '[') {
      // A message, not a whole log record with its own fields (a line
      // logged inside another record: read as that record instead).
      std::string_view msg = s.substr(0, at);
      if (msg.find("=\"") != std::string_view::npos || msg.find("\":") != std::string_view::npos)
        return std::string_view::npos;
      return at + 1;
    }
  }
  return std::string_view::npos;
}

// The field holding a Go stack, or nullptr.
const json* FindStack(const json& j) {
  static const char* const kKeys[] = {"stacktrace", "stack",       "stack_trace", "stackTrace",
                                      "error.stack", "err.stack",  "panic",       "trace",
                                      "error.stack_trace", "exception.stacktrace"};
  for (const char* k : kKeys) {
    if (const json* v = StringField(j, k); v && LooksLikeGoStack(v->get_ref<const std::string&>()))
      return v;
  }
  for (const char* outer : {"error", "err", "exception"}) {
    auto it = j.find(outer);
    if (it == j.end() || !it->is_object()) continue;
    for (const char* k : {"stack", "stacktrace", "stack_trace"}) {
      if (const json* v = StringField(*it, k); v && LooksLikeGoStack(v->get_ref<const std::string&>()))
        return v;
    }
  }
  // A message with the stack quoted after it, in any field (`error`).
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_string() && StackAfterMessage(it->get_ref<const std::string&>()) != std::string_view::npos)
      return &*it;
  }
  return nullptr;
}

// The panic value a record names: `panic`, `error`, `err`, then `msg`.
std::string RecordMessage(const json& j, const json* stack) {
  for (const char* k : {"panic", "error", "err", "error.message", "exception.message"}) {
    const json* v = StringField(j, k);
    if (v && v != stack) return v->get<std::string>();
  }
  for (const char* outer : {"error", "err", "exception"}) {
    auto it = j.find(outer);
    if (it == j.end() || !it->is_object()) continue;
    for (const char* k : {"message", "msg", "error"}) {
      if (const json* v = StringField(*it, k)) return v->get<std::string>();
    }
  }
  for (const char* k : {"msg", "message", "M"}) {
    if (const json* v = StringField(j, k)) return v->get<std::string>();
  }
  return {};
}

bool ContainsPanic(std::string_view s) {
  for (size_t i = 0; i + 5 <= s.size(); ++i) {
    if ((s[i] == 'p' || s[i] == 'P') && (s.substr(i + 1, 4) == "anic" || s.substr(i + 1, 4) == "ANIC"))
      return true;
  }
  return false;
}

// `ts` as seconds (zap, klog JSON) or milliseconds since the epoch, in
// RFC 3339 UTC with milliseconds.
std::string EpochToRfc3339(double v) {
  if (v > 1e12) v /= 1000;
  if (!(v > 0 && v < 1e11)) return {};
  time_t sec = static_cast<time_t>(v);
  int ms = static_cast<int>(std::lround((v - static_cast<double>(sec)) * 1000));
  if (ms >= 1000) ++sec, ms -= 1000;
  struct tm tm;
  if (!gmtime_r(&sec, &tm)) return {};
  char buf[64];
  snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string RecordTime(const json& j) {
  for (const char* k : {"ts", "time", "timestamp", "@timestamp", "T", "t"}) {
    auto it = j.find(k);
    if (it == j.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number()) return EpochToRfc3339(it->get<double>());
  }
  return {};
}

// A `\n` escape (a stack folded into one log field).
bool HasEscapedNewline(std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(end - p))))) {
    // `\n`, or `\\n` (escaped twice).
    while (p < end && *p == '\\') ++p;
    if (p < end && *p == 'n') return true;
  }
  return false;
}

// A `"..."` JSON string at \a s[*i] of ASCII text with only the escapes
// docker's encoder writes (`\n \t \r \" \\ \/ \b \f`, `\u00XX` below 0x80),
// decoded onto \a out; *i moves past the closing quote. False for anything
// else (a raw control character, a byte over 0x7f, another `\u`): the
// caller then leaves the record to nlohmann, which decides.
// Bytes that end a plain stretch of a JSON string for FastJsonString: the
// quote, the backslash, control characters and non-ASCII bytes.
struct JsonStops {
  bool stop[256];
  constexpr JsonStops() : stop() {
    for (int c = 0; c < 256; ++c) stop[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
  }
};
constexpr JsonStops kJsonStops;

// The number of bytes at the start of [p, p+n) that are none of kJsonStops,
// 16 at a time where SSE2 is there (a docker record's `log` is ~100 bytes).
// Inlined: called for every stretch of every record.
__attribute__((always_inline)) inline size_t JsonPlainLen(const unsigned char* p, size_t n) {
  size_t k = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  for (; k + 16 <= n; k += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
    // Signed: bytes over 0x7f are negative, so below 0x20 as well.
    __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                _mm_cmplt_epi8(v, space));
    if (int m = _mm_movemask_epi8(stop)) return k + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(m)));
  }
#endif
  while (k < n && !kJsonStops.stop[p[k]]) ++k;
  return k;
}

// The escape after a backslash at s[*k - 1], of those docker's encoder
// writes (`\n \t \r \" \\ \/ \b \f`, `\u00XX` below 0x80), decoded onto
// \a out; *k moves past it. False for any other.
__attribute__((always_inline)) inline bool DockerEscape(std::string_view s, size_t* k, std::string* out) {
  if (*k >= s.size()) return false;
  char e = s[*k];
  ++*k;
  switch (e) {
    case 'n': out->push_back('\n'); return true;
    case 't': out->push_back('\t'); return true;
    case 'r': out->push_back('\r'); return true;
    case '"': out->push_back('"'); return true;
    case '\\': out->push_back('\\'); return true;
    case '/': out->push_back('/'); return true;
    case 'b': out->push_back('\b'); return true;
    case 'f': out->push_back('\f'); return true;
    case 'u': {
      size_t u = *k;
      if (u + 4 > s.size() || s[u] != '0' || s[u + 1] != '0' || !IsHex(s[u + 2]) || !IsHex(s[u + 3])) return false;
      auto hex = [](char h) { return IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10; };
      int v = hex(s[u + 2]) * 16 + hex(s[u + 3]);
      if (v >= 0x80) return false;
      out->push_back(static_cast<char>(v));
      *k += 4;
      return true;
    }
    default: return false;
  }
}

bool FastJsonString(std::string_view s, size_t* i, std::string* out) {
  size_t k = *i;
  if (k >= s.size() || s[k] != '"') return false;
  ++k;
  const unsigned char* d = reinterpret_cast<const unsigned char*>(s.data());
  while (k < s.size()) {
    // The plain stretch up to the next quote or backslash, in one append.
    size_t run = k + JsonPlainLen(d + k, s.size() - k);
    out->append(s.data() + k, run - k);
    k = run;
    if (k >= s.size()) return false;
    char c = s[k];
    if (c == '"') {
      *i = k + 1;
      return true;
    }
    if (c != '\\') return false;  // a control or non-ASCII byte
    ++k;
    if (!DockerEscape(s, &k, out)) return false;
  }
  return false;
}

// A JSON string with no escapes at \a s[*i] (docker's `stream` and `time`).
bool PlainJsonString(std::string_view s, size_t* i, std::string_view* out) {
  size_t k = *i;
  if (k >= s.size() || s[k] != '"') return false;
  size_t start = ++k;
  const unsigned char* d = reinterpret_cast<const unsigned char*>(s.data());
  k += JsonPlainLen(d + k, s.size() - k);
  if (k >= s.size() || s[k] != '"') return false;
  *out = std::string_view(s.data() + start, k - start);
  *i = k + 1;
  return true;
}

// `key=value key="quoted \"value\"\n"` pairs (logrus text, klog, go-kit)
// into a JSON object of strings. False unless two pairs were found.
bool ParseLogfmt(std::string_view s, json* out) {
  *out = json::object();
  size_t i = 0, pairs = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t k = i;
    std::string key;
    if (i < s.size() && s[i] == '"') {
      // klog's structured pairs (klogr, logr): `"msg"="Reconciler error"`,
      // the key quoted too. A quoted word not followed by `=` is klog's
      // message: skipped below.
      size_t q = i + 1;
      while (q < s.size() && s[q] != '"') q += s[q] == '\\' ? 2 : 1;
      if (q + 1 < s.size() && s[q + 1] == '=') {
        key.assign(s.substr(i + 1, q - i - 1));
        i = q + 1;
      }
    } else {
      while (i < s.size() && (IsNameChar(s[i]) || s[i] == '@')) ++i;
      if (i > k && i < s.size() && s[i] == '=') key.assign(s.substr(k, i - k));
    }
    if (key.empty()) {
      // A bare word (klog's quoted message, a level): skip it.
      i = k;
      if (i < s.size() && s[i] == '"') {
        ++i;
        while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
      }
      while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
      if (i == k) ++i;
      continue;
    }
    ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      while (i < s.size() && s[i] != '"') {
        char c = s[i++];
        if (c == '\\' && i < s.size()) {
          char e = s[i++];
          value.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
        } else {
          value.push_back(c);
        }
      }
      ++i;
    } else {
      size_t b = i;
      while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
      value.assign(s.substr(b, i - b));
    }
    (*out)[key] = std::move(value);
    ++pairs;
  }
  return pairs >= 2;
}

// The `"key": "value"` string fields of a JSON object that may be cut
// anywhere (a value cut short ends at the end of the text). Nested objects
// are flattened; only strings are kept. False unless a value holds an
// escaped newline (a stack is why a cut record is worth reading).
bool LenientJsonStrings(std::string_view s, json* out) {
  *out = json::object();
  bool stack = false;
  // The string value whose opening quote is at s[j], decoded; *end moves
  // to its closing quote (or the end of a value cut short).
  auto value_at = [&](size_t j, size_t* end) {
    std::string value;
    ++j;
    while (j < s.size() && s[j] != '"') {
      char c = s[j++];
      if (c != '\\' || j >= s.size()) {
        value.push_back(c);
        continue;
      }
      char e = s[j++];
      if (e == 'n') stack = true;
      value.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'u' ? '?' : e);
      if (e == 'u') j = std::min(s.size(), j + 4);
    }
    *end = j;
    return value;
  };
  size_t i = 0;
  while (i < s.size()) {
    size_t q = s.find('"', i);
    if (q == std::string_view::npos) break;
    size_t k = q + 1;
    while (k < s.size() && s[k] != '"') k += s[k] == '\\' ? 2 : 1;
    if (k >= s.size()) break;
    std::string key(s.substr(q + 1, k - q - 1));
    size_t j = k + 1;
    while (j < s.size() && s[j] == ' ') ++j;
    if (j >= s.size() || s[j] != ':') {
      i = k + 1;
      continue;
    }
    ++j;
    while (j < s.size() && s[j] == ' ') ++j;
    if (j >= s.size() || s[j] != '"') {
      i = j;
      continue;
    }
    (*out)[key] = value_at(j, &j);
    i = j + 1;
  }
  // A record a person edited by hand (a value redacted with its closing
  // quote lost: `"name":"xyz,"id":...`) puts the walk above out of step,
  // so that values are read as keys. The fields that say what happened are
  // found again by their own `"key":"`: inside any other string value their
  // quotes would be escaped.
  static constexpr std::string_view kFields[] = {"stacktrace", "stack", "stack_trace", "stackTrace",
                                                 "error.stack_trace", "panic", "msg", "message",
                                                 "error", "level", "ts", "time"};
  for (std::string_view f : kFields) {
    std::string needle = "\"" + std::string(f) + "\":";
    size_t at = s.find(needle);
    if (at == std::string_view::npos) continue;
    size_t j = at + needle.size();
    while (j < s.size() && s[j] == ' ') ++j;
    if (j < s.size() && s[j] == '"') (*out)[std::string(f)] = value_at(j, &j);
  }
  return stack && out->size() >= 2;
}

// A stack escaped twice (`\\n` in the line: a JSON log of a JSON log, a
// logger that quoted an already quoted value) has `\n` text where its
// newlines belong: one more level is undone.
void UnescapeStacks(json* j) {
  for (auto& [key, v] : j->items()) {
    if (!v.is_string()) continue;
    const std::string& s = v.get_ref<const std::string&>();
    if (s.find('\n') != std::string::npos || s.find("\\n") == std::string::npos) continue;
    if (!StartsWith(s, "goroutine ") && s.find(".go:") == std::string::npos) continue;
    std::string u;
    u.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        char e = s[i + 1];
        if (e == 'n' || e == 't' || e == '"' || e == '\\') {
          u.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
          ++i;
          continue;
        }
      }
      u.push_back(s[i]);
    }
    v = std::move(u);
  }
}

}  // namespace log_record

using log_record::FastJsonString;
using log_record::PlainJsonString;

bool DecodeDockerRecord(std::string_view t, std::string* log, std::string_view* stream,
                        std::string_view* time) {
  // `{"log":"...","stream":"stderr","time":"2026-...Z"}`: what docker's
  // json-file driver writes for every line, in this order, with no space.
  size_t at = log->size();
  size_t i = 7;
  if (StartsWith(t, "{\"log\":") && FastJsonString(t, &i, log) &&
      t.substr(i, 10) == ",\"stream\":" && PlainJsonString(t, &(i += 10), stream) &&
      t.substr(i, 8) == ",\"time\":" && PlainJsonString(t, &(i += 8), time) &&
      i + 1 == t.size() && t[i] == '}')
    return true;
  log->resize(at);
  return false;
}

size_t DecodeDockerLine(const char* p, const char* end, std::string* log) {
  // DecodeDockerRecord and FastJsonString in one pass, reading to the
  // record's end instead of from a line found first.
  std::string_view s(p, static_cast<size_t>(end - p));
  const unsigned char* d = reinterpret_cast<const unsigned char*>(p);
  const size_t at = log->size();
  auto fail = [&] {
    log->resize(at);
    return size_t{0};
  };
  if (!StartsWith(s, "{\"log\":\"")) return 0;
  size_t k = 8;
  for (;;) {
    // A plain stretch stops at the line's `\n` too (a control byte).
    size_t run = k + log_record::JsonPlainLen(d + k, s.size() - k);
    log->append(p + k, run - k);
    k = run;
    if (k + 2 >= s.size() || s[k] != '\\') return fail();  // the end, a quote: no `\n` at its end
    ++k;
    if (s[k] == 'n') {
      if (s[k + 1] != '"') return fail();  // a newline inside
      log->push_back('\n');
      ++k;
      break;
    }
    if (!log_record::DockerEscape(s, &k, log)) return fail();
  }
  size_t tail = DockerRecordTail(p + k, end);
  if (tail == 0) return fail();
  return k + tail;
}

size_t DockerRecordTail(const char* p, const char* end) {
  // `","stream":"...","time":"..."}` and the line's end.
  std::string_view s(p, static_cast<size_t>(end - p));
  const unsigned char* d = reinterpret_cast<const unsigned char*>(p);
  constexpr std::string_view kStream = "\",\"stream\":\"", kTime = ",\"time\":\"";
  if (s.substr(0, kStream.size()) != kStream) return 0;
  size_t k = kStream.size();
  // Nearly always `stdout` or `stderr`, compared whole.
  if (s.size() - k > 7 && (s.substr(k, 7) == "stderr\"" || s.substr(k, 7) == "stdout\""))
    k += 6;
  else
    k += log_record::JsonPlainLen(d + k, s.size() - k);
  if (k >= s.size() || s[k] != '"') return 0;
  ++k;
  if (s.substr(k, kTime.size()) != kTime) return 0;
  k += kTime.size();
  k += log_record::JsonPlainLen(d + k, s.size() - k);
  if (k + 2 >= s.size() || s[k] != '"' || s[k + 1] != '}' || s[k + 2] != '\n') return 0;
  return k + 3;
}

}  // namespace gotriage
