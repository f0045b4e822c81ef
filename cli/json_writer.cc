#include "cli/json_writer.h"

#include <cassert>
#include <charconv>

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

void JsonText::Escaped(std::string_view s) {
  // Printable ASCII other than `"` and `\` is written as it is, which is
  // what the serializer does with it; anything else (controls, bytes over
  // 0x7e, valid UTF-8 or not) goes to the serializer itself, so escapes and
  // the replacement of invalid UTF-8 stay exactly nlohmann's.
  bool plain = true;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out_->push_back('"');
    out_->append(s);
    out_->push_back('"');
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
