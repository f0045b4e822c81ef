// Matching goroutines against the stacks already seen; see stack_trie.h.
#include "parsers/stack_trie.h"

#include <algorithm>
#include <cstring>

#include "base/chars.h"
#include "parsers/envelope.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gotriage {

namespace {

// The last 8 bytes of s[0, len), zero-padded in front when shorter.
inline uint64_t Tail8(const char* s, size_t len) {
  uint64_t v = 0;
  if (len >= 8) {
    std::memcpy(&v, s + len - 8, 8);
  } else {
    std::memcpy(&v, s, len);
  }
  return v;
}

// The first `\n` at or after s, or nullptr when a `(` comes first or there
// is no `\n` before end: a frame's arguments hold no parenthesis. With
// kNoBackslash, nullptr also when a `\\` comes first: behind an envelope,
// a line with one may be an escaped record, which the envelope layer reads.
template <bool kNoBackslash>
inline const char* ArgsEnd(const char* s, const char* end) {
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n'), open = _mm_set1_epi8('('), bs = _mm_set1_epi8('\\');
  while (end - s >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    unsigned m_nl = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)));
    unsigned m_open = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, open)));
    if constexpr (kNoBackslash) m_open |= static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, bs)));
    if (m_nl | m_open) {
      if (m_nl == 0) return nullptr;
      unsigned first_nl = static_cast<unsigned>(__builtin_ctz(m_nl));
      if (m_open & ((1u << first_nl) - 1)) return nullptr;
      return s + first_nl;
    }
    s += 16;
  }
#endif
  for (; s < end; ++s) {
    if (*s == '\n') return s;
    if (*s == '(' || (kNoBackslash && *s == '\\')) return nullptr;
  }
  return nullptr;
}

// True when the envelope layer, behind one envelope, passes \a s on as
// it is (PlainStart and PlainRunLine in envelope.cc): a file line is a tab
// and a non-blank byte; a function name is letters, `_`, then name
// characters up to a `(` or `/` (or its end, where its `(` follows); no
// `\\` anywhere and no `\r` (or `^M`) at the end.
bool PassesBehindEnvelope(const StackTrie::Step& s) {
  std::string_view f = s.file, n = s.name;
  if (f.size() < 2 || f[0] != '\t' || f[1] == ' ' || f[1] == '\t' || f[1] == '\r' || f.back() == '\r' ||
      (f.size() >= 2 && f.back() == 'M' && f[f.size() - 2] == '^') || f.find('\\') != std::string_view::npos ||
      n.find('\\') != std::string_view::npos)
    return false;
  if (s.kind != StackTrie::Kind::kFrame) return true;
  if (!IsLower(n[0]) && !IsUpper(n[0]) && n[0] != '_') return false;
  size_t i = 1;
  while (i < n.size() && IsNameChar(n[i])) ++i;
  return i == n.size() || n[i] == '(' || n[i] == '/';
}

// a[0, n) == b[0, n): names and paths are mostly 16 to 80 bytes, compared
// with overlapping 16-byte loads rather than a call to memcmp.
inline bool Equal(const char* a, const char* b, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    auto same16 = [](const char* x, const char* y) {
      __m128i vx = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
      __m128i vy = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(vx, vy)) == 0xFFFF;
    };
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      if (!same16(a + i, b + i)) return false;
    }
    return i == n || same16(a + n - 16, b + n - 16);
  }
#endif
  if (n >= 8) {
    uint64_t x, y, z, w;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    std::memcpy(&z, a + n - 8, 8);
    std::memcpy(&w, b + n - 8, 8);
    return x == y && z == w;
  }
  return std::memcmp(a, b, n) == 0;
}

constexpr std::string_view kCreatedBy = "created by ";
constexpr std::string_view kInGoroutine = " in goroutine ";

}  // namespace

uint32_t StackTrie::Root(std::string_view state) const {
  for (const auto& r : roots_) {
    if (r.first == state.data()) return r.second;
  }
  return kNone;
}

void StackTrie::Clear() {
  nodes_.clear();
  arena_.clear();
  roots_.clear();
}

bool StackTrie::Insert(std::string_view state, const std::vector<Step>& steps, uint32_t group) {
  if (nodes_.size() + steps.size() + 1 > kMaxNodes) return false;
  size_t bytes = 0;
  for (const Step& s : steps) {
    if (s.file.empty() || s.name.empty() || !PassesBehindEnvelope(s)) return false;
    bytes += s.name.size() + s.file.size() + 1;
  }
  if (arena_.size() + bytes > kMaxArenaBytes) return false;
  uint32_t node = Root(state);
  if (node == kNone) {
    node = static_cast<uint32_t>(nodes_.size());
    nodes_.emplace_back();
    roots_.emplace_back(state.data(), node);
  }
  for (const Step& s : steps) {
    uint32_t found = kNone;
    for (const Edge& e : nodes_[node].edges) {
      if (e.kind == s.kind && e.name_len == s.name.size() && e.file_len == s.file.size() &&
          std::string_view(arena_.data() + e.text_off, e.name_len) == s.name &&
          std::string_view(arena_.data() + e.text_off + e.name_len, e.file_len) == s.file) {
        found = e.to;
        break;
      }
    }
    if (found == kNone) {
      if (nodes_[node].edges.size() >= kMaxChildren) return false;
      Edge e;
      e.kind = s.kind;
      e.text_off = static_cast<uint32_t>(arena_.size());
      e.name_len = static_cast<uint32_t>(s.name.size());
      e.file_len = static_cast<uint32_t>(s.file.size());
      e.tag = Tail8(s.name.data(), s.name.size());
      auto ascii = [](std::string_view t) {
        for (char c : t)
          if (static_cast<unsigned char>(c) >= 0x80) return false;
        return true;
      };
      e.ascii = ascii(s.name) && ascii(s.file);
      arena_.append(s.name);
      arena_.append(s.file);
      arena_.push_back('\n');
      found = e.to = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      nodes_[node].edges.push_back(e);
    }
    node = found;
  }
  nodes_[node].end_group = group;
  return true;
}

bool StackTrie::MatchStack(std::string_view state, const char* p, const char* end, size_t max_line,
                           const RunEnvelope* env, Match* m) const {
  uint32_t node = Root(state);
  if (node == kNone) return false;
  return env ? MatchFrom<true>(node, p, end, max_line, env, m) : MatchFrom<false>(node, p, end, max_line, nullptr, m);
}

template <typename ArgsEnd>
__attribute__((always_inline)) inline const char* StackTrie::FuncLineEnd(const Edge& e, const char* text,
                                                                         const char* q, const char* end,
                                                                         bool created, ArgsEnd args_end) {
  size_t len = e.name_len;
  if (e.kind == Kind::kFrame) {
    if (created || static_cast<size_t>(end - q) <= len || q[len] != '(' || Tail8(q, len) != e.tag ||
        !Equal(q, text, len))
      return nullptr;
    const char* eol = args_end(q + len + 1, end);
    return eol && eol[-1] == ')' ? eol : nullptr;
  }
  const char* s = q + kCreatedBy.size();
  if (!created || static_cast<size_t>(end - s) <= len || !Equal(s, text, len)) return nullptr;
  const char* eol = s + len;
  if (e.kind == Kind::kCreatedByIn) {
    if (static_cast<size_t>(end - eol) <= kInGoroutine.size() ||
        std::memcmp(eol, kInGoroutine.data(), kInGoroutine.size()) != 0)
      return nullptr;
    eol += kInGoroutine.size();
    const char* digits = eol;
    while (eol < end && *eol >= '0' && *eol <= '9' && eol - digits < 19) ++eol;
    if (eol == digits) return nullptr;
  }
  return eol;
}

// Inlined: the bare dump's lane spends most of its time here.
template <bool kEnvFile, bool kNoBackslash>
__attribute__((always_inline)) inline const char* StackTrie::FindEdge(const Node& n, const char* q, const char* end,
                                                                      const char* line, size_t max_line,
                                                                      const RunEnvelope* env, size_t* edge,
                                                                      bool* unskippable) const {
  const char* arena = arena_.data();
  size_t avail = static_cast<size_t>(end - q);
  bool created = avail > kCreatedBy.size() && *q == 'c' &&
                 std::memcmp(q, kCreatedBy.data(), kCreatedBy.size()) == 0;
  const std::vector<Edge>& edges = n.edges;
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    const char* text = arena + e.text_off;
    size_t len = e.name_len;
    const char* eol = FuncLineEnd(e, text, q, end, created,
                                  [](const char* a, const char* b) { return ArgsEnd<kNoBackslash>(a, b); });
    if (!eol || (e.kind != Kind::kFrame && (eol >= end || *eol != '\n'))) continue;
    if (static_cast<size_t>(eol - line) > max_line) continue;
    // The file line must be the recorded one, `\n` included.
    const char* f = eol + 1;
    if constexpr (kEnvFile) {
      size_t at = env->Skip(f, end);
      if (at == 0) {
        // The same line follows every candidate: none can match in place.
        *unskippable = true;
        return nullptr;
      }
      if (at + e.file_len > max_line) continue;
      f += at;
    }
    if (static_cast<size_t>(end - f) <= e.file_len || !Equal(f, text + len, e.file_len + 1)) continue;
    *edge = i;
    return f;
  }
  return nullptr;
}

namespace {

// The text of the logical line at \a p of a CRI run (RunEnvelope::Form::
// kCri), appended to \a out with a `\n`: one whole record (`TS STREAM F
// TEXT`), or records in `P` pieces up to an `F` one, all of one stream,
// joined as the envelope layer joins them (EnvelopeUnwrapper::Feed). The
// input bytes it spans, through the last piece's `\n`, with their count of
// lines in *pieces; 0 for anything else (a piece of another stream, over
// \a max_line, with a `\r`, a joined text over \a max_line or
// EnvelopeUnwrapper::kMaxJoined), which the envelope layer then reads.
size_t AppendCriLine(const RunEnvelope& env, const char* p, const char* end, size_t max_line, std::string* out,
                     size_t* pieces) {
  const size_t t = env.shape->len;
  const size_t start = out->size();
  const size_t max_text = std::min(max_line, EnvelopeUnwrapper::kMaxJoined);
  const char* at = p;
  char stream = 0;
  *pieces = 0;
  for (;;) {
    size_t avail = static_cast<size_t>(end - at);
    // As RunEnvelope::Skip reads a whole record's header.
    if (avail < 48 || avail < t + 11 || !env.shape->Matches(at) || at[t] != ' ' ||
        std::memcmp(at + t + 1, "std", 3) != 0 || at[t + 7] != ' ' || at[t + 9] != ' ')
      return 0;
    char s = std::memcmp(at + t + 4, "out", 3) == 0 ? 'o' : std::memcmp(at + t + 4, "err", 3) == 0 ? 'e' : 0;
    char kind = at[t + 8];
    if (s == 0 || (stream != 0 && s != stream) || (kind != 'P' && kind != 'F')) return 0;
    stream = s;
    const char* text = at + t + 10;
    const char* nl = static_cast<const char*>(std::memchr(text, '\n', static_cast<size_t>(end - text)));
    if (!nl || static_cast<size_t>(nl - at) > max_line || nl[-1] == '\r') return 0;
    out->append(text, static_cast<size_t>(nl - text));
    if (out->size() - start > max_text) return 0;
    ++*pieces;
    at = nl + 1;
    if (kind == 'F') break;
  }
  out->push_back('\n');
  return static_cast<size_t>(at - p);
}

// The text of the line at \a p of a docker json-file run, appended to
// \a out with its `\n`; the input bytes it spans, 0 when it is not a
// record the envelope layer would pass on whole (DecodeDockerLine) or is
// over \a max_line.
size_t AppendDockerLine(const char* p, const char* end, size_t max_line, std::string* out) {
  size_t at = out->size();
  size_t n = DecodeDockerLine(p, end, out);
  if (n > max_line + 1) {
    out->resize(at);
    return 0;
  }
  return n;
}

// The `\` of the `\n"` that ends a docker record's `log` at \a s, when a
// frame's arguments reach it with no `(` (as ArgsEnd) and no byte a JSON
// string escapes or DecodeDockerRecord refuses: `"`, `\`, control bytes,
// bytes over 0x7f; else nullptr.
inline const char* DockerArgsEnd(const char* s, const char* end) {
#if defined(__SSE2__)
  const __m128i open = _mm_set1_epi8('('), bs = _mm_set1_epi8('\\'), quote = _mm_set1_epi8('"'),
                space = _mm_set1_epi8(0x20);
  for (; end - s >= 16; s += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    // Signed: bytes over 0x7f are negative, so below 0x20 as well.
    __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, open), _mm_cmpeq_epi8(v, bs)),
                                _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmplt_epi8(v, space)));
    if (int m = _mm_movemask_epi8(stop)) {
      s += __builtin_ctz(static_cast<unsigned>(m));
      return end - s >= 3 && s[0] == '\\' && s[1] == 'n' && s[2] == '"' ? s : nullptr;
    }
  }
#endif
  for (; s < end; ++s) {
    unsigned char c = static_cast<unsigned char>(*s);
    if (c == '(' || c == '\\' || c == '"' || c < 0x20 || c >= 0x80)
      return end - s >= 3 && s[0] == '\\' && s[1] == 'n' && s[2] == '"' ? s : nullptr;
  }
  return nullptr;
}

constexpr std::string_view kDockerHead = "{\"log\":\"";

}  // namespace

const char* StackTrie::FindEdgeDocker(const Node& n, const char* q, const char* end, const char* line,
                                      size_t max_line, size_t* edge) const {
  const char* arena = arena_.data();
  size_t avail = static_cast<size_t>(end - q);
  bool created = avail > kCreatedBy.size() && *q == 'c' &&
                 std::memcmp(q, kCreatedBy.data(), kCreatedBy.size()) == 0;
  const std::vector<Edge>& edges = n.edges;
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (!e.ascii) continue;  // (DecodeDockerRecord leaves such a record to nlohmann)
    const char* text = arena + e.text_off;
    size_t len = e.name_len;
    // The `\n"` that ends the record's text (DockerArgsEnd stops at it).
    const char* eol =
        FuncLineEnd(e, text, q, end, created, [](const char* a, const char* b) { return DockerArgsEnd(a, b); });
    if (!eol || (e.kind != Kind::kFrame && (end - eol < 3 || eol[0] != '\\' || eol[1] != 'n' || eol[2] != '"')))
      continue;
    size_t tail = DockerRecordTail(eol + 2, end);
    if (tail == 0) continue;
    const char* f = eol + 2 + tail;  // the file line's record
    if (static_cast<size_t>(f - line) - 1 > max_line) continue;
    // `{"log":"\t` and the recorded file line after its tab, then `\n"`.
    size_t rest = e.file_len - 1;
    if (static_cast<size_t>(end - f) < kDockerHead.size() + 2 + rest + 3 ||
        std::memcmp(f, kDockerHead.data(), kDockerHead.size()) != 0 || f[8] != '\\' || f[9] != 't' ||
        !Equal(f + 10, text + len + 1, rest))
      continue;
    const char* fe = f + 10 + rest;
    if (fe[0] != '\\' || fe[1] != 'n' || fe[2] != '"') continue;
    size_t ftail = DockerRecordTail(fe + 2, end);
    if (ftail == 0) continue;
    const char* after = fe + 2 + ftail;
    if (static_cast<size_t>(after - f) - 1 > max_line) continue;
    *edge = i;
    return after;
  }
  return nullptr;
}

StackTrie::Joined StackTrie::MatchDocker(uint32_t* node, const char** q, const char* end, size_t max_line,
                                         size_t* lines) const {
  const char* p = *q;
  if (static_cast<size_t>(end - p) < kDockerHead.size() + 3 ||
      std::memcmp(p, kDockerHead.data(), kDockerHead.size()) != 0)
    return Joined::kNo;
  const char* t = p + kDockerHead.size();
  if (t[0] == '\\' && t[1] == 'n' && t[2] == '"') {
    // A blank line: the end of a stack.
    size_t tail = DockerRecordTail(t + 2, end);
    if (tail == 0 || static_cast<size_t>(t + 2 + tail - p) - 1 > max_line) return Joined::kNo;
    *q = t + 2 + tail;
    *lines += 1;
    return Joined::kBlank;
  }
  size_t i = 0;
  const char* after = FindEdgeDocker(nodes_[*node], t, end, p, max_line, &i);
  if (!after) return Joined::kNo;
  std::vector<Edge>& edges = nodes_[*node].edges;
  *node = edges[i].to;
  ++edges[i].hits;
  if (i > 0 && edges[i].hits > edges[i - 1].hits) std::swap(edges[i], edges[i - 1]);
  *q = after;
  *lines += 2;
  return Joined::kPair;
}

StackTrie::Joined StackTrie::MatchJoined(uint32_t* node, const char** q, const char* end, size_t max_line,
                                         const RunEnvelope* env, size_t* lines, size_t* continued) const {
  const bool docker = env->form == RunEnvelope::Form::kDocker;
  if (!docker && env->form != RunEnvelope::Form::kCri) return Joined::kNo;
  joined_.clear();
  size_t frame_lines = 1, file_lines = 1;
  size_t frame = docker ? AppendDockerLine(*q, end, max_line, &joined_)
                        : AppendCriLine(*env, *q, end, max_line, &joined_, &frame_lines);
  if (frame == 0) return Joined::kNo;
  if (joined_.size() == 1) {
    // A blank line: the end of a stack. None comes in CRI pieces (that
    // one goes the usual way).
    if (!docker) return Joined::kNo;
    *q += frame;
    *lines += 1;
    return Joined::kBlank;
  }
  size_t file = docker ? AppendDockerLine(*q + frame, end, max_line, &joined_)
                       : AppendCriLine(*env, *q + frame, end, max_line, &joined_, &file_lines);
  if (file == 0) return Joined::kNo;
  const char* s = joined_.data();
  size_t i = 0;
  bool unused = false;
  // Both texts end in the buffer's two `\n`, so a match spans exactly
  // them; behind the envelope, no `\` (PassesBehindEnvelope).
  if (!FindEdge<false, true>(nodes_[*node], s, s + joined_.size(), s, max_line, nullptr, &i, &unused))
    return Joined::kNo;
  std::vector<Edge>& edges = nodes_[*node].edges;
  *node = edges[i].to;
  ++edges[i].hits;
  if (i > 0 && edges[i].hits > edges[i - 1].hits) std::swap(edges[i], edges[i - 1]);
  *q += frame + file;
  *lines += frame_lines + file_lines;
  *continued += frame_lines - 1 + file_lines - 1;
  return Joined::kPair;
}

template <bool kEnveloped>
bool StackTrie::MatchFrom(uint32_t node, const char* p, const char* end, size_t max_line, const RunEnvelope* env,
                      Match* m) const {
  const char* q = p;
  size_t lines = 0, continued = 0;
  const bool docker = kEnveloped && env->form == RunEnvelope::Form::kDocker;
  for (;;) {
    const char* line = q;
    if constexpr (kEnveloped) {
      size_t at = docker ? 0 : env->Skip(q, end);
      if (at == 0) {
        // A frame line in CRI `P` pieces, or a docker record: compared in
        // place when it has no escape but the commonest, else decoded.
        Joined j = docker ? MatchDocker(&node, &q, end, max_line, &lines) : Joined::kNo;
        if (j == Joined::kNo) j = MatchJoined(&node, &q, end, max_line, env, &lines, &continued);
        if (j == Joined::kNo) return false;
        if (j == Joined::kBlank) {
          uint32_t group = nodes_[node].end_group;
          if (group == kNone) return false;
          m->group = group;
          m->bytes = static_cast<size_t>(q - p);
          m->lines = lines;
          m->continued = continued;
          return true;
        }
        continue;
      }
      q += at;
    }
    if (q >= end) return false;
    if (*q == '\n') {
      uint32_t group = nodes_[node].end_group;
      if (group == kNone) return false;
      m->group = group;
      m->bytes = static_cast<size_t>(q + 1 - p);
      m->lines = lines + 1;
      m->continued = continued;
      return true;
    }
    size_t i = 0;
    bool unskippable = false;
    const char* file = FindEdge<kEnveloped, kEnveloped>(nodes_[node], q, end, line, max_line, env, &i, &unskippable);
    if (!file) {
      // A file line in CRI `P` pieces (after a whole frame line).
      if constexpr (kEnveloped) {
        if (unskippable && MatchJoined(&node, &(q = line), end, max_line, env, &lines, &continued) == Joined::kPair)
          continue;
      }
      return false;
    }
    std::vector<Edge>& edges = nodes_[node].edges;
    Edge& e = edges[i];
    q = file + e.file_len + 1;
    node = e.to;
    // Transposition: an edge matched more often than the one before it
    // moves up one place, so the commonest paths are tried first.
    ++e.hits;
    if (i > 0 && e.hits > edges[i - 1].hits) std::swap(edges[i], edges[i - 1]);
    lines += 2;
  }
}

}  // namespace gotriage
