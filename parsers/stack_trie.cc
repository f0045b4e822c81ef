// Matching goroutines against the stacks already seen; see stack_trie.h.
#include "parsers/stack_trie.h"

#include <cstring>

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
// is no `\n` before end: a frame's arguments hold no parenthesis.
inline const char* ArgsEnd(const char* s, const char* end) {
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n'), open = _mm_set1_epi8('(');
  while (end - s >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    unsigned m_nl = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)));
    unsigned m_open = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, open)));
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
    if (*s == '(') return nullptr;
  }
  return nullptr;
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
    if (s.file.empty() || s.name.empty()) return false;
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
    for (uint32_t c = nodes_[node].first_child; c != kNone; c = nodes_[c].next_sibling) {
      const Node& k = nodes_[c];
      if (k.kind == s.kind && k.name_len == s.name.size() && k.file_len == s.file.size() &&
          std::string_view(arena_.data() + k.text_off, k.name_len) == s.name &&
          std::string_view(arena_.data() + k.text_off + k.name_len, k.file_len) == s.file) {
        found = c;
        break;
      }
    }
    if (found == kNone) {
      if (nodes_[node].children >= kMaxChildren) return false;
      Node k;
      k.kind = s.kind;
      k.text_off = static_cast<uint32_t>(arena_.size());
      k.name_len = static_cast<uint32_t>(s.name.size());
      k.file_len = static_cast<uint32_t>(s.file.size());
      k.tag = Tail8(s.name.data(), s.name.size());
      arena_.append(s.name);
      arena_.append(s.file);
      arena_.push_back('\n');
      // Newest first: a later path is usually the commoner one.
      k.next_sibling = nodes_[node].first_child;
      found = static_cast<uint32_t>(nodes_.size());
      nodes_.push_back(k);
      nodes_[node].first_child = found;
      ++nodes_[node].children;
    }
    node = found;
  }
  nodes_[node].end_group = group;
  return true;
}

bool StackTrie::MatchStack(std::string_view state, const char* p, const char* end,
                           size_t max_line, Match* m) const {
  uint32_t node = Root(state);
  if (node == kNone) return false;
  const char* arena = arena_.data();
  const char* q = p;
  size_t lines = 0;
  for (;;) {
    if (q >= end) return false;
    const Node& at = nodes_[node];
    if (*q == '\n') {
      if (at.end_group == kNone) return false;
      m->group = at.end_group;
      m->bytes = static_cast<size_t>(q + 1 - p);
      m->lines = lines + 1;
      return true;
    }
    size_t avail = static_cast<size_t>(end - q);
    bool created = avail > kCreatedBy.size() && *q == 'c' &&
                   std::memcmp(q, kCreatedBy.data(), kCreatedBy.size()) == 0;
    uint32_t next = kNone;
    const char* file = nullptr;
    for (uint32_t c = at.first_child; c != kNone; c = nodes_[c].next_sibling) {
      const Node& k = nodes_[c];
      const char* text = arena + k.text_off;
      size_t len = k.name_len;
      const char* eol;
      if (k.kind == Kind::kFrame) {
        if (created || avail <= len || q[len] != '(' || Tail8(q, len) != k.tag ||
            std::memcmp(q, text, len) != 0) {
          continue;
        }
        eol = ArgsEnd(q + len + 1, end);
        if (!eol || eol[-1] != ')') continue;
      } else {
        const char* s = q + kCreatedBy.size();
        if (!created || static_cast<size_t>(end - s) <= len || std::memcmp(s, text, len) != 0) continue;
        eol = s + len;
        if (k.kind == Kind::kCreatedByIn) {
          if (static_cast<size_t>(end - eol) <= kInGoroutine.size() ||
              std::memcmp(eol, kInGoroutine.data(), kInGoroutine.size()) != 0) {
            continue;
          }
          eol += kInGoroutine.size();
          const char* digits = eol;
          while (eol < end && *eol >= '0' && *eol <= '9' && eol - digits < 19) ++eol;
          if (eol == digits) continue;
        }
        if (eol >= end || *eol != '\n') continue;
      }
      if (static_cast<size_t>(eol - q) > max_line) continue;
      // The file line must be the recorded one, `\n` included.
      const char* f = eol + 1;
      if (static_cast<size_t>(end - f) <= k.file_len || std::memcmp(f, text + len, k.file_len + 1) != 0)
        continue;
      next = c;
      file = f;
      break;
    }
    if (next == kNone) return false;
    q = file + nodes_[next].file_len + 1;
    lines += 2;
    node = next;
  }
}

}  // namespace gotriage
