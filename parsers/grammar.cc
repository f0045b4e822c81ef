// Line grammar of Go tracebacks; see grammar.h for the sources.
//
// Over 600 lines: one recogniser per line shape the runtime has printed
// from Go 1.0 to 1.27 (headers, frames, file lines, created-by lines,
// signal lines, label sets), each with the runtime source it follows;
// they are small and independent, kept together as the grammar.
#include "parsers/grammar.h"

#include <string.h>

#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/chars.h"

namespace gotriage {

namespace {

#if defined(__SSE2__)
inline uint32_t ByteMask(__m128i v, char c) {
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c))));
}
// Bytes in [lo, hi] (unsigned).
inline uint32_t RangeMask(__m128i v, char lo, char hi) {
  __m128i t = _mm_sub_epi8(v, _mm_set1_epi8(lo));
  __m128i m = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(hi - lo))), t);
  return static_cast<uint32_t>(_mm_movemask_epi8(m));
}
#endif

// The characters goroutineheader() prints a label key or value bare with
// (tracebackStringNeedsQuoting in go1.27's src/runtime/traceback.go).
struct BareTable {
  bool bare[256] = {};
  constexpr BareTable() {
    for (int c = 0; c < 256; ++c)
      bare[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                c == '/' || c == '_';
  }
};
constexpr BareTable kBare;
inline bool IsBareLabelChar(char c) { return kBare.bare[static_cast<unsigned char>(c)]; }

// The end of the key or value token at s[i]: a Go-quoted string, or (only in
// the Go 1.27 form) a run of bare characters, possibly empty (an empty
// string needs no quoting). npos when malformed.
inline __attribute__((always_inline)) size_t ScanLabelToken(std::string_view s, size_t i, LabelForm form) {
  size_t n = s.size();
  if (i < n && s[i] == '"') {
    // To the next quote not escaped by a backslash.
    const char* b = s.data();
    for (size_t j = i + 1; j < n;) {
      const void* q = std::memchr(b + j, '"', n - j);
      if (!q) return std::string_view::npos;
      size_t at = static_cast<size_t>(static_cast<const char*>(q) - b);
      size_t slashes = 0;
      while (at - slashes > i + 1 && b[at - slashes - 1] == '\\') ++slashes;
      if (slashes % 2 == 0) return at + 1;
      j = at + 1;
    }
    return std::string_view::npos;
  }
  if (form != LabelForm::kBraces) return std::string_view::npos;
  const char* p = s.data();
#if defined(__SSE2__)
  // Sixteen at a time: a letter, a digit or one of `./_` (`.` to `9` is
  // one range).
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    uint32_t bare = RangeMask(v, 'a', 'z') | RangeMask(v, 'A', 'Z') | RangeMask(v, '.', '9') | ByteMask(v, '_');
    if (uint32_t stop = ~bare & 0xFFFFu) return i + static_cast<size_t>(__builtin_ctz(stop));
  }
#endif
  while (i < n && IsBareLabelChar(p[i])) ++i;
  return i;
}

// Walks a label list; calls on(key, value) with the raw tokens. Returns the
// index of the closing `}` or npos. With \a to_end the list is all of \a s
// (its braces already removed) and the index returned is s.size().
template <typename F>
inline __attribute__((always_inline)) size_t WalkLabelList(std::string_view s, LabelForm form, F&& on,
                                                           bool to_end = false) {
  const bool pprof = form == LabelForm::kPprof;
  const size_t n = s.size();
  const char* p = s.data();
  size_t i = 0;
  if (to_end ? n == 0 : (n > 0 && p[0] == '}')) return 0;
  for (;;) {
    size_t k = ScanLabelToken(s, i, form);
    // `: ` between key and value (`:` in pprof's form).
    if (k == std::string_view::npos || k >= n || p[k] != ':') return std::string_view::npos;
    size_t v0 = k + 1;
    if (!pprof) {
      if (v0 >= n || p[v0] != ' ') return std::string_view::npos;
      ++v0;
    }
    size_t v = ScanLabelToken(s, v0, form);
    if (v == std::string_view::npos) return std::string_view::npos;
    if (!on(s.substr(i, k - i), s.substr(v0, v - v0))) return std::string_view::npos;
    if (v >= n) return to_end ? n : std::string_view::npos;
    if (!to_end && p[v] == '}') return v;
    if (v + 1 >= n || p[v] != ',' || p[v + 1] != ' ') return std::string_view::npos;
    i = v + 2;
  }
}

void AppendUtf8(std::string* out, uint32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

}  // namespace

size_t ScanLabelList(std::string_view s, LabelForm form) {
  return WalkLabelList(s, form, [](std::string_view, std::string_view) { return true; });
}

bool UnquoteGo(std::string_view q, std::string* out) {
  out->clear();
  if (q.size() < 2 || q.front() != '"' || q.back() != '"') return false;
  q = q.substr(1, q.size() - 2);
  out->reserve(q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    // The text up to the next quote or backslash, at once.
    size_t j = i;
    while (j < q.size() && q[j] != '"' && q[j] != '\\') ++j;
    out->append(q.data() + i, j - i);
    if (j == q.size()) break;
    i = j;
    if (q[i] == '"') return false;
    if (++i >= q.size()) return false;
    char e = q[i];
    switch (e) {
      case 'a': out->push_back('\a'); continue;
      case 'b': out->push_back('\b'); continue;
      case 'f': out->push_back('\f'); continue;
      case 'n': out->push_back('\n'); continue;
      case 'r': out->push_back('\r'); continue;
      case 't': out->push_back('\t'); continue;
      case 'v': out->push_back('\v'); continue;
      case '\\': case '"': case '\'': out->push_back(e); continue;
      default: break;
    }
    size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
    if (digits) {
      if (q.size() - i - 1 < digits) return false;
      uint64_t v = 0;
      for (size_t d = 1; d <= digits; ++d) {
        char h = q[i + d];
        int x = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
        if (x < 0) return false;
        v = (v << 4) | static_cast<uint64_t>(x);
      }
      i += digits;
      if (e == 'x') {
        out->push_back(static_cast<char>(v));  // a byte, as strconv.Unquote
      } else {
        AppendUtf8(out, static_cast<uint32_t>(v > 0x7FFFFFFF ? 0xFFFD : v));
      }
      continue;
    }
    if (e >= '0' && e <= '7') {
      if (i + 2 >= q.size() || q[i + 1] < '0' || q[i + 1] > '7' || q[i + 2] < '0' || q[i + 2] > '7')
        return false;
      int v = (e - '0') * 64 + (q[i + 1] - '0') * 8 + (q[i + 2] - '0');
      if (v > 255) return false;
      out->push_back(static_cast<char>(v));
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

bool ParseLabelList(std::string_view text, LabelForm form, std::vector<Label>* out, size_t max_pairs,
                    size_t max_bytes, bool* cut) {
  out->clear();
  if (cut) *cut = false;
  bool dropped = false;
  size_t bytes = 0;
  // Each pair is decoded in place, into the Label it becomes (a part's
  // builder decodes every label set it kept: thousands in a large dump).
  out->reserve(4);
  auto decode = [](std::string_view tok, std::string* dst) {
    if (!tok.empty() && tok[0] == '"') return UnquoteGo(tok, dst);
    dst->assign(tok);
    return true;
  };
  size_t end = WalkLabelList(
      text, form,
      [&](std::string_view kt, std::string_view vt) {
        Label& l = out->emplace_back();
        if (!decode(kt, &l.key) || !decode(vt, &l.value)) return false;
        if (out->size() > max_pairs || bytes + l.key.size() + l.value.size() > max_bytes) {
          dropped = true;
          out->pop_back();
          return true;
        }
        bytes += l.key.size() + l.value.size();
        return true;
      },
      /*to_end=*/true);
  if (end != text.size()) {
    out->clear();
    return false;
  }
  if (cut) *cut = dropped;
  return true;
}

bool ParseGoroutineHeader(std::string_view line, GoroutineHeader* out) {
  line = TrimRight(line);
  int64_t id = -1;
  uint64_t count = 1;
  std::string_view rest;
  if (StartsWith(line, "goroutine ")) {
    rest = line.substr(10);
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 0 || digits >= rest.size() || rest[digits] != ' ') return false;
    if (!ParseInt(rest.substr(0, digits), &id)) return false;
    rest.remove_prefix(digits + 1);
  } else if (!line.empty() && line[0] >= '1' && line[0] <= '9') {
    size_t digits = 0;
    while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
    std::string_view tail = line.substr(digits);
    int64_t n;
    if (!ParseInt(line.substr(0, digits), &n)) return false;
    if (StartsWith(tail, " goroutines [")) {
      rest = tail.substr(12);
    } else if (StartsWith(tail, " goroutine [")) {
      rest = tail.substr(11);
    } else {
      return false;
    }
    count = static_cast<uint64_t>(n);
  } else {
    return false;
  }
  // Newer runtimes insert `gp=0x.. m=N mp=0x..` (or `m=nil`) before the state.
  size_t open = rest.find('[');
  if (open == std::string_view::npos) return false;
  if (open != 0 && !StartsWith(rest, "gp=")) return false;
  if (rest.size() < open + 3 || rest.back() != ':') return false;
  GoroutineHeader h;
  h.id = id;
  h.count = count;
  // The status part ends at the first `]` (no wait reason holds one) or,
  // in Go 1.26's tracebacklabels form, at ` labels:{`; label text is
  // scanned token by token, never searched for `]`, `}` or `, `.
  size_t close = rest.find(']', open + 1);
  if (close == std::string_view::npos) return false;
  std::string_view inside = rest.substr(open + 1, close - open - 1);
  constexpr std::string_view kInside = " labels:{";
  if (size_t lab = inside.find(kInside); lab != std::string_view::npos) {
    size_t list = open + 1 + lab + kInside.size();
    size_t end = ScanLabelList(rest.substr(list), LabelForm::kInside);
    if (end == std::string_view::npos || rest.substr(list + end + 1) != "]:") return false;
    h.labels = rest.substr(list, end);
    h.label_form = LabelForm::kInside;
    inside = inside.substr(0, lab);
  } else {
    std::string_view after = rest.substr(close + 1);
    if (after != ":") {
      if (!StartsWith(after, " {")) return false;
      size_t end = ScanLabelList(after.substr(2), LabelForm::kBraces);
      if (end == std::string_view::npos || after.substr(2 + end + 1) != ":") return false;
      h.labels = after.substr(2, end);
      h.label_form = LabelForm::kBraces;
    }
  }
  // First item is the state; then `, N minutes`, `, locked to thread` and
  // `, synctest bubble N`.
  size_t comma = inside.find(", ");
  std::string_view state = inside.substr(0, comma);
  while (comma != std::string_view::npos) {
    inside.remove_prefix(comma + 2);
    comma = inside.find(", ");
    std::string_view item = inside.substr(0, comma);
    if (item == "locked to thread") {
      h.locked_to_thread = true;
    } else if (EndsWith(item, " minutes") || EndsWith(item, " minute")) {
      int64_t m;
      std::string_view num = item.substr(0, item.find(' '));
      if (ParseInt(num, &m) && m <= std::numeric_limits<int>::max())
        h.wait_minutes = static_cast<int>(m);
    } else if (item == "leaked" || item == "(leaked)") {
      h.leaked = true;
    } else if (StartsWith(item, "synctest bubble ")) {
      int64_t b;
      if (ParseInt(item.substr(16), &b)) h.synctest_bubble = b;
    }
  }
  for (bool again = true; again;) {
    again = false;
    if (CutSuffix(&state, " (scan)")) h.scan = again = true;
    if (CutSuffix(&state, " (leaked)")) h.leaked = again = true;
  }
  if (EndsWith(state, " (durable)")) {
    h.durable = true;
    // `[STATUS (leaked) (scan) (durable)]`: the marks print before it.
    std::string_view base = state.substr(0, state.size() - 10);
    bool marks = false;
    for (bool again = true; again;) {
      again = false;
      if (CutSuffix(&base, " (scan)")) h.scan = marks = again = true;
      if (CutSuffix(&base, " (leaked)")) h.leaked = marks = again = true;
    }
    if (marks) state = base;
  }
  h.state = state;
  *out = h;
  return true;
}

bool FastGoroutineHeader(std::string_view line, GoroutineHeader* out) {
  return line.size() >= 12 && line.back() == ':' && std::memcmp(line.data(), "goroutine ", 10) == 0 &&
         line[10] >= '0' && line[10] <= '9' && ParseGoroutineHeader(line, out);
}

size_t GluedGoroutineHeader(std::string_view line, GoroutineHeader* out) {
  line = TrimRight(line);
  if (line.empty() || line.back() != ':') return std::string_view::npos;
  size_t at = line.rfind(" goroutine ");
  if (at == std::string_view::npos || at == 0 || TrimRight(line.substr(0, at)).empty())
    return std::string_view::npos;
  return ParseGoroutineHeader(line.substr(at + 1), out) ? at : std::string_view::npos;
}

bool ParseFuncLine(std::string_view line, FuncLine* out) {
  // Hot path: the runtime prints `func(args)` at column 0 with nothing
  // after the parenthesis; pasted text may add indentation or spaces.
  if (line.size() < 3) return false;
  if (line.back() != ')') {
    line = TrimRight(line);
    if (line.size() < 3 || line.back() != ')') return false;
  }
  if (line.front() == ' ' || line.front() == '\t') line = TrimLeft(line);
  const char* b = line.data();
  const void* open_p = memrchr(b, '(', line.size());
  if (!open_p || open_p == b) return false;
  size_t open = static_cast<size_t>(static_cast<const char*>(open_p) - b);
  if (std::memchr(b, ' ', open) || std::memchr(b, '\t', open)) return false;
  if (b[open - 1] == '.' || b[0] == '.') return false;
  out->function = line.substr(0, open);
  out->args = line.substr(open + 1, line.size() - open - 2);
  out->inlined = out->args == "...";
  return true;
}

bool ParseCutFuncLine(std::string_view line, FuncLine* out) {
  line = Trim(line);
  // The argument list opens at the first `(` not right after a `.` (a
  // method's receiver opens there: `pkg.(*T).M`).
  size_t open = 0;
  while ((open = line.find('(', open)) != std::string_view::npos && open > 0 && line[open - 1] == '.') ++open;
  if (open == std::string_view::npos || open < 3) return false;
  std::string_view name = line.substr(0, open), args = line.substr(open + 1);
  // A display's mark where it cut the line off at the screen's edge: `$`
  // (nano, emacs, readline), `…`, `>` (vim's listchars).
  if (EndsWith(args, "\xe2\x80\xa6")) {
    args.remove_suffix(3);
  } else if (!args.empty() && (args.back() == '$' || args.back() == '>')) {
    args.remove_suffix(1);
  }
  if (name.front() == '.' || name.back() == '.' || name.find('.') == std::string_view::npos) return false;
  for (char c : name) {
    if (!(IsNameChar(c) || c == '/' || c == '*' || c == '(' || c == ')' || c == '[' || c == ']' || c == '-' ||
          c == '~' || c == '%'))
      return false;
  }
  for (char c : args) {
    if (!(IsHex(c) || c == 'x' || c == '?' || c == ',' || c == '{' || c == '}' || c == '.' || c == ' '))
      return false;
  }
  out->function = name;
  out->args = args;
  out->inlined = false;
  return true;
}

bool RepairReceiverStars(std::string_view function, std::string* out) {
  const char* b = function.data();
  size_t n = function.size();
  size_t done = 0;  // function[0, done) is in *out
  for (size_t at = 0; at + 2 < n;) {
    const void* p = std::memchr(b + at, '(', n - at);
    if (!p) break;
    size_t open = static_cast<size_t>(static_cast<const char*>(p) - b);
    at = open + 1;
    if (open == 0 || b[open - 1] != '.' || b[open + 1] == '*') continue;
    // `.(T).M` or `.(_T).M`: a method's receiver without its star.
    size_t close = function.find(')', open);
    if (close == std::string_view::npos || close + 1 >= n || b[close + 1] != '.') continue;
    size_t t = open + 1 + (b[open + 1] == '_' ? 1 : 0);
    if (t >= close || !(IsUpper(b[t]) || IsLower(b[t]))) continue;
    bool name = true;
    for (size_t i = t; i < close && name; ++i) name = IsNameChar(b[i]) || b[i] == '[' || b[i] == ']';
    if (!name) continue;
    if (done == 0) out->clear();
    out->append(function.substr(done, open + 1 - done));
    out->push_back('*');
    done = t;
    at = close;
  }
  if (done == 0) return false;
  out->append(function.substr(done));
  return true;
}

bool MayBeCutFuncLine(std::string_view t) {
  size_t open = t.find('(');
  if (open == std::string_view::npos || open == 0 || t.find('.') > open) return false;
  if (t.substr(0, open).find(' ') != std::string_view::npos) return false;
  int depth = 0;
  for (char c : t) depth += c == '(' ? 1 : c == ')' ? -1 : 0;
  return depth > 0;
}

bool ParseBareFuncName(std::string_view line, FuncLine* out) {
  line = Trim(line);
  if (line.empty() || line.back() == ')' || line.front() == '.' || line.back() == '.' ||
      line.find_first_of(" \t") != std::string_view::npos)
    return false;
  out->function = line;
  out->args = {};
  out->inlined = false;
  return true;
}

bool ParseFileLine(std::string_view line, FileLine* out) {
  if (!line.empty() && (line.front() == '\t' || line.front() == ' ')) line = TrimLeft(line);
  if (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line = TrimRight(line);
  if (line.empty()) return false;
  FileLine f;
  // GOTRACEBACK=system appends ` fp=0x.. sp=0x.. pc=0x..`; a line without
  // '=' has none of them (one SIMD scan instead of two searches).
  if (std::memchr(line.data(), '=', line.size())) {
    if (size_t fp = line.find(" fp="); fp != std::string_view::npos) line = line.substr(0, fp);
    if (size_t pc = line.find(" pc="); pc != std::string_view::npos) line = line.substr(0, pc);
  }
  // ` +0x1d`: the text after the last space.
  const char* b = line.data();
  size_t n = line.size();
  if (const void* sp = memrchr(b, ' ', n)) {
    size_t i = static_cast<size_t>(static_cast<const char*>(sp) - b);
    uint64_t off;
    if (n - i > 3 && b[i + 1] == '+' && b[i + 2] == '0' && b[i + 3] == 'x' &&
        ParseHex(line.substr(i + 2), &off)) {
      f.offset = off;
      f.has_offset = true;
      n = i;
      while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t')) --n;
    }
  }
  // `:LINE`: the digits before it, back to the colon.
  size_t d = n;
  while (d > 0 && b[d - 1] >= '0' && b[d - 1] <= '9') --d;
  if (d == n || n - d > 9 || d < 2 || b[d - 1] != ':') return false;
  int v = 0;
  for (size_t k = d; k < n; ++k) v = v * 10 + (b[k] - '0');
  f.file = line.substr(0, d - 1);
  f.line = v;
  *out = f;
  return true;
}

namespace {

// True when none of the \a n bytes at \a s is \a a, \a b or \a c.
inline bool NoneOf(const char* s, size_t n, char a, char b, char c) {
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
    auto hit = [&](const char* q) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                               _mm_cmpeq_epi8(x, vc));
      return _mm_movemask_epi8(m) != 0;
    };
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      if (hit(s + i)) return false;
    }
    // The last block overlaps the one before it.
    return i == n || !hit(s + n - 16);
  }
#endif
  for (size_t i = 0; i < n; ++i) {
    if (s[i] == a || s[i] == b || s[i] == c) return false;
  }
  return true;
}

// Value of each byte as a hex digit, -1 when it is not one.
constexpr struct HexTable {
  int8_t v[256];
  constexpr HexTable() : v() {
    for (int i = 0; i < 256; ++i) v[i] = -1;
    for (int i = 0; i < 10; ++i) v['0' + i] = static_cast<int8_t>(i);
    for (int i = 0; i < 6; ++i) v['a' + i] = v['A' + i] = static_cast<int8_t>(10 + i);
  }
} kHex;

inline bool IsDecimal(unsigned char c) { return static_cast<unsigned>(c - '0') < 10; }

}  // namespace

bool FastFuncLine(std::string_view line, FuncLine* out) {
  // The checks of ParseFuncLine on a line with nothing to trim.
  size_t n = line.size();
  if (n < 3 || line[n - 1] != ')') return false;
  const char* b = line.data();
  char c0 = b[0];
  if (c0 == ' ' || c0 == '\t' || c0 == '.' || c0 == '{' || c0 == '[') return false;
  // A control byte first is no function's and may be an envelope's (the
  // header of Docker's multiplexed stream starts with 0, 1 or 2 and NULs):
  // such a line goes the slow way, through the envelope layer.
  if (static_cast<unsigned char>(c0) < 0x20) return false;
  const void* open_p = memrchr(b, '(', n);
  if (!open_p || open_p == b) return false;
  size_t open = static_cast<size_t>(static_cast<const char*>(open_p) - b);
  if (b[open - 1] == '.' || !NoneOf(b, open, ' ', '\t', ' ')) return false;
  out->function = std::string_view(b, open);
  out->args = std::string_view(b + open + 1, n - open - 2);
  out->inlined = n - open == 5 && b[open + 1] == '.' && b[open + 2] == '.' && b[open + 3] == '.';
  return true;
}

namespace {

// The scalar form of FastFileLine: \a b and \a n are the line after its tab.
bool FastFileScalar(const unsigned char* b, size_t n, FastFile* out) {
  // ` +0xOFF`: one space, then 1 to 16 hex digits to the end.
  size_t h = n;
  while (h > 0 && kHex.v[b[h - 1]] >= 0) --h;
  size_t end = n;
  if (h >= 4 && b[h - 1] == 'x' && b[h - 2] == '0' && b[h - 3] == '+' && b[h - 4] == ' ') {
    if (h == n || n - h > 16) return false;
    end = h - 4;
  }
  // FILE:LINE: 1 to 9 digits after the last colon.
  size_t d = end;
  while (d > 0 && IsDecimal(b[d - 1]) && end - d < 9) --d;
  if (d == end || d < 2 || b[d - 1] != ':') return false;
  const char* s = reinterpret_cast<const char*>(b);
  out->key = std::string_view(s, end);
  out->file_len = d - 1;
  out->hex = end == n ? std::string_view() : std::string_view(s + end + 4, n - end - 4);
  return true;
}

}  // namespace

bool FastFileLine(std::string_view line, FastFile* out) {
  size_t n = line.size();
  if (n < 4 || line[0] != '\t') return false;
  const unsigned char* b = reinterpret_cast<const unsigned char*>(line.data()) + 1;  // after the tab
  n -= 1;
  const char* s = reinterpret_cast<const char*>(b);
#if defined(__SSE2__)
  if (n >= 16) {
    // The usual tail, `:LINE +0xOFF`, fits in the last 16 bytes: read it
    // with bit masks, no loop whose length changes from line to line.
    const unsigned char* w = b + n - 16;
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w));
    uint32_t sp = ByteMask(v, ' ');
    uint32_t colon = ByteMask(v, ':');
    uint32_t dec = RangeMask(v, '0', '9');
    uint32_t hex = dec | RangeMask(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'f');
    if (sp != 0) {
      int sw = 31 - __builtin_clz(sp);  // the last space
      if (sw <= 11) {
        if (w[sw + 1] != '+' || w[sw + 2] != '0' || w[sw + 3] != 'x') return false;
        uint32_t tail = 0xFFFFu & ~((1u << (sw + 4)) - 1);
        if ((hex & tail) != tail) return false;
        uint32_t c = colon & ((1u << sw) - 1);
        if (c != 0) {
          int k = 31 - __builtin_clz(c);
          int digits = sw - k - 1;
          if (digits < 1 || digits > 9) return false;
          uint32_t want = ((1u << digits) - 1) << (k + 1);
          if ((dec & want) != want) return false;
          size_t file_len = n - 16 + static_cast<size_t>(k);
          size_t end = n - 16 + static_cast<size_t>(sw);
          if (file_len < 1 || !NoneOf(s, end, ' ', '\t', '=')) return false;
          out->key = std::string_view(s, end);
          out->file_len = file_len;
          out->hex = std::string_view(s + end + 4, n - end - 4);
          return true;
        }
      }
    }
  }
#endif
  if (!FastFileScalar(b, n, out)) return false;
  return NoneOf(s, out->key.size(), ' ', '\t', '=');
}

bool FastFileCanonical(const FastFile& f) {
  // `:0NN`: the key is rebuilt from the number instead.
  return f.key.size() < f.file_len + 3 || f.key[f.file_len + 1] != '0';
}

FileLine FastFileValues(const FastFile& f) {
  FileLine r;
  r.file = f.key.substr(0, f.file_len);
  int64_t v = 0;
  ParseInt(f.key.substr(f.file_len + 1), &v);  // 1 to 9 digits, checked
  r.line = static_cast<int>(v);
  r.has_offset = !f.hex.empty() && ParseHex(f.hex, &r.offset);
  return r;
}

bool FastCreatedBy(std::string_view line, std::string_view* function, int64_t* parent,
                   bool* in_goroutine) {
  if (line.size() < 12 || std::memcmp(line.data(), "created by ", 11) != 0) return false;
  std::string_view rest = line.substr(11);
  size_t sp = rest.find(' ');
  std::string_view fn = rest.substr(0, sp);
  if (fn.empty() || !NoneOf(fn.data(), fn.size(), '\t', '\r', ' ')) return false;
  *parent = -1;
  if (sp == std::string_view::npos) {
    if (EndsWith(fn, "^M")) return false;
    *in_goroutine = false;
  } else {
    std::string_view tail = rest.substr(sp);
    if (!StartsWith(tail, " in goroutine ")) return false;
    std::string_view digits = tail.substr(14);
    if (digits.empty() || digits.size() > 19) return false;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
    }
    int64_t p;
    if (ParseInt(digits, &p)) *parent = p;
    *in_goroutine = true;
  }
  *function = fn;
  return true;
}

bool ParseCreatedBy(std::string_view line, std::string_view* function, int64_t* parent) {
  line = Trim(line);
  if (!StartsWith(line, "created by ")) return false;
  line.remove_prefix(11);
  *parent = -1;
  if (size_t in = line.find(" in goroutine "); in != std::string_view::npos) {
    int64_t p;
    if (ParseInt(line.substr(in + 14), &p)) *parent = p;
    line = line.substr(0, in);
  }
  if (line.empty()) return false;
  *function = line;
  return true;
}

bool ParseElided(std::string_view line, int* count) {
  line = Trim(line);
  if (line == "...additional frames elided...") {
    *count = 0;
    return true;
  }
  if (!StartsWith(line, "...") || !EndsWith(line, " frames elided...")) return false;
  int64_t n;
  std::string_view num = line.substr(3, line.size() - 3 - 17);
  if (!ParseInt(num, &n) || n > std::numeric_limits<int>::max()) return false;
  *count = static_cast<int>(n);
  return true;
}

bool IsElisionMark(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 16) return false;
  for (std::string_view m : {"...", "....", ".....", "…", "--", "---", "[snip]", "<snip>", "(snip)",
                             "[...]", "<...>", "(...)", "(truncated)", "[truncated]", "<truncated>",
                             "[trimmed]", "(trimmed)", "snip", "[ ... ]"}) {
    if (s == m) return true;
  }
  return false;
}

bool ParsePasteElision(std::string_view line) {
  if (IsElisionMark(line)) return true;
  line = Trim(line);
  if (line.empty() || line.size() > 64) return false;
  // A comment of the reporter's.
  if (StartsWith(line, "//")) return true;
  // Lower-cased, with an ellipsis character as three dots (no longer than
  // the line: three bytes each way), on the stack.
  char m[64];
  size_t n = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line.compare(i, 3, "\xE2\x80\xA6") == 0) {
      for (int k = 0; k < 3; ++k) m[n++] = '.';
      i += 2;
    } else {
      m[n++] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
    }
  }
  std::string_view v(m, n);
  // Brackets around the mark.
  while (v.size() >= 2 && ((v.front() == '[' && v.back() == ']') || (v.front() == '(' && v.back() == ')') ||
                           (v.front() == '<' && v.back() == '>')))
    v = Trim(v.substr(1, v.size() - 2));
  size_t lead = 0, trail = 0;
  while (lead < v.size() && v[lead] == '.') ++lead;
  while (trail < v.size() - lead && v[v.size() - 1 - trail] == '.') ++trail;
  std::string_view words = Trim(v.substr(lead, v.size() - lead - trail));
  if (words.empty()) return lead >= 3;
  for (std::string_view w : {"snip", "snipped", "truncated", "omitted", "trimmed", "elided", "cut", "more", "etc"})
    if (words == w) return true;
  // `... 12 more lines`, `N frames omitted`.
  size_t digits = 0;
  while (digits < words.size() && IsDigit(words[digits])) ++digits;
  if (digits == 0 || (lead < 3 && digits == words.size())) return false;
  std::string_view tail = words.substr(digits);
  for (std::string_view t : {" more", " more lines", " more frames", " lines omitted", " frames omitted",
                             " lines truncated", " lines elided", " frames elided", " lines"})
    if (tail == t) return lead >= 3 || t != " lines";
  return false;
}

std::string_view PackageOf(std::string_view fn) {
  // The path ends at the first '.' after the last '/' (ignoring anything
  // inside generic brackets or a receiver).
  // A byte loop: find_first_of calls memchr into its set for every byte
  // (PackageOf runs once per frame of each group kept).
  size_t limit = 0;
  while (limit < fn.size() && fn[limit] != '[' && fn[limit] != '(') ++limit;
  std::string_view head = fn.substr(0, limit);
  size_t slash = head.rfind('/');
  size_t start = slash == std::string_view::npos ? 0 : slash + 1;
  size_t dot = fn.find('.', start);
  if (dot == std::string_view::npos) return fn;
  // gopkg.in/yaml.v2.(*parser).parse: `.vN` belongs to the path.
  if (dot + 2 < fn.size() && fn[dot + 1] == 'v' && fn[dot + 2] >= '0' && fn[dot + 2] <= '9') {
    size_t end = dot + 2;
    while (end < fn.size() && fn[end] >= '0' && fn[end] <= '9') ++end;
    if (end < fn.size() && fn[end] == '.') return fn.substr(0, end);
  }
  return fn.substr(0, dot);
}

}  // namespace gotriage
