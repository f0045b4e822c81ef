#include "cli/json_writer.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cassert>
#include <charconv>
#include <cstring>

namespace gotriage {

void JsonText::Indent(size_t levels) { out_->append(base_ + step_ * levels, ' '); }

void JsonText::Element() {
  if (levels_.empty()) return;
  Level& l = levels_.back();
  if (l.object) return;  // Key wrote it
  out_->append(l.items ? ",\n" : "\n");
  l.items = true;
  Indent(levels_.size());
}

void JsonText::Open(char c) {
  Element();
  out_->push_back(c);
  levels_.push_back({});
  levels_.back().object = c == '{';
}

void JsonText::Close(char c) {
  assert(!levels_.empty() && levels_.back().object == (c == '}'));
  bool items = levels_.back().items;
  levels_.pop_back();
  if (items) {
    out_->push_back('\n');
    Indent(levels_.size());
  }
  out_->push_back(c);
}

void JsonText::Key(std::string_view k) {
  assert(!levels_.empty() && levels_.back().object);
  Level& l = levels_.back();
#ifndef NDEBUG
  // nlohmann::json's objects are std::maps: its dump lists keys in byte
  // order, and so must the writer's caller.
  assert(!l.items || l.last_key < k);
  l.last_key.assign(k);
#endif
  out_->append(l.items ? ",\n" : "\n");
  l.items = true;
  Indent(levels_.size());
  Escaped(k);
  out_->append(": ");
}

void JsonText::String(std::string_view s) {
  Element();
  Escaped(s);
}

namespace {

// True when \a s is printable ASCII without `"` and `\`, 16 bytes a step
// (a report's strings are mostly function names and file paths).
bool Plain(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size(), i = 0;
#if defined(__SSE2__)
  const __m128i low = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Signed compares: bytes over 0x7f are negative, below 0x20.
    __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, low), _mm_cmpeq_epi8(v, del)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (_mm_movemask_epi8(bad)) return false;
  }
#endif
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

void JsonText::Escaped(std::string_view s) {
  // Printable ASCII other than `"` and `\` is written as it is, which is
  // what the serializer does with it; anything else (controls, bytes over
  // 0x7e, valid UTF-8 or not) goes to the serializer itself, so escapes and
  // the replacement of invalid UTF-8 stay exactly nlohmann's.
  if (Plain(s)) {
    size_t at = out_->size();
    out_->append(s.size() + 2, '"');
    if (!s.empty()) std::memcpy(out_->data() + at + 1, s.data(), s.size());
    return;
  }
  nlohmann::detail::serializer<nlohmann::json> dump(nlohmann::detail::output_adapter<char>(*out_), ' ',
                                                    nlohmann::json::error_handler_t::replace);
  dump.dump(nlohmann::json(s), false, false, 0);
}

template <class T>
void JsonText::Number(T v) {
  Element();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_->append(buf, static_cast<size_t>(r.ptr - buf));
}

void JsonText::Int(int64_t v) { Number(v); }
void JsonText::Uint(uint64_t v) { Number(v); }

void JsonText::Bool(bool v) {
  Element();
  out_->append(v ? "true" : "false");
}

nlohmann::json* JsonTree::Put(nlohmann::json v) {
  if (stack_.empty()) {
    root_ = std::move(v);
    return &root_;
  }
  nlohmann::json& top = *stack_.back();
  if (top.is_array()) {
    top.push_back(std::move(v));
    return &top.back();
  }
  nlohmann::json& slot = top[key_];
  slot = std::move(v);
  return &slot;
}

}  // namespace gotriage
