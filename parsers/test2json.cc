// Decoder of `go test -json` events; see test2json.h.
#include "parsers/test2json.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace gotriage {

bool Test2JsonDecoder::LooksLikeEvent(std::string_view raw) {
  raw = TrimLeft(raw);
  return StartsWith(raw, "{\"Time\":") || StartsWith(raw, "{\"Action\":");
}

void Test2JsonDecoder::Emit(std::string_view text, size_t lineno, std::string_view timestamp,
                            std::string_view key, bool unterminated, LineSink* sink) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  Line line;
  line.text = text;
  line.lineno = lineno;
  line.timestamp = timestamp;
  line.test_package = key.substr(0, key.find('\x1f'));
  line.unterminated = unterminated;
  line.cut = partial_cut_;
  sink->OnLine(line);
}

bool Test2JsonDecoder::Feed(std::string_view raw, size_t lineno, LineSink* sink) {
  if (!LooksLikeEvent(raw)) return false;
  nlohmann::json ev = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (ev.is_discarded() || !ev.is_object()) return false;
  auto action = ev.find("Action");
  if (action == ev.end() || !action->is_string()) return false;
  if (*action != "output") return true;  // start/run/pass/fail/...: no text
  auto output = ev.find("Output");
  if (output == ev.end() || !output->is_string()) return true;
  const std::string& out = output->get_ref<const std::string&>();
  auto str = [&](const char* k) {
    auto it = ev.find(k);
    return it != ev.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  time_ = str("Time");
  std::string key = str("Package") + '\x1f' + str("Test");
  // A partial line of another test cannot continue here: end it.
  if (!partial_.empty() && key != partial_key_) EmitPartial(false, sink);

  std::string_view rest = out;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view piece = rest.substr(0, nl);
    if (nl == std::string_view::npos) {
      // Unfinished: keep it until the event that ends the line.
      if (partial_.empty()) {
        partial_line_ = lineno;
        partial_key_ = key;
        partial_time_ = time_;
      }
      size_t room = max_line_ > partial_.size() ? max_line_ - partial_.size() : 0;
      if (piece.size() > room) partial_cut_ = true;
      partial_.append(piece.substr(0, room));
      break;
    }
    if (!partial_.empty()) {
      size_t room = max_line_ > partial_.size() ? max_line_ - partial_.size() : 0;
      if (piece.size() > room) partial_cut_ = true;
      partial_.append(piece.substr(0, room));
      EmitPartial(false, sink);
    } else {
      Emit(piece, lineno, time_, key, false, sink);
    }
    rest.remove_prefix(nl + 1);
  }
  return true;
}

void Test2JsonDecoder::EmitPartial(bool at_end, LineSink* sink) {
  Emit(partial_, partial_line_, partial_time_, partial_key_, at_end, sink);
  partial_.clear();
  partial_cut_ = false;
}

void Test2JsonDecoder::Flush(LineSink* sink) {
  if (!partial_.empty()) EmitPartial(true, sink);
}

}  // namespace gotriage
