// One stream per pod of `kubectl logs --prefix` output; see demux.h.
#include "parsers/demux.h"

namespace gotriage {

EnvelopeUnwrapper* PodDemux::StreamOf(std::string_view line, size_t n) {
  std::string_view tag = line.substr(0, n);
  if (tag.back() == ' ') tag.remove_suffix(1);
  if (last_ && tag == last_tag_) return last_;
  EnvelopeUnwrapper* s;
  if (auto it = by_tag_.find(std::string(tag)); it != by_tag_.end()) {
    s = it->second;
  } else if (order_.size() >= max_streams_) {
    ++overflow_;
    return primary_;
  } else {
    PodRef pod;
    ParsePodTag(line, &pod);
    s = make_(pod);
    s->set_demux_tag(std::string(tag));
    by_tag_.emplace(std::string(tag), s);
    order_.push_back(s);
  }
  last_tag_.assign(tag);
  last_ = s;
  return s;
}

bool PodDemux::SameTagAsLast(std::string_view line) const {
  size_t n = last_tag_.size();
  return last_ && line.size() > n && line[n] == ' ' && line.compare(0, n, last_tag_) == 0;
}

void PodDemux::Feed(std::string_view raw, size_t lineno, bool unterminated, bool cut) {
  if (SameTagAsLast(raw)) return last_->Feed(raw, lineno, unterminated, cut);
  size_t n = raw.size() >= 9 && raw[0] == '[' ? ParsePodTag(raw) : 0;
  EnvelopeUnwrapper* to = n ? StreamOf(raw, n) : primary_;
  to->Feed(raw, lineno, unterminated, cut);
}

size_t PodDemux::TakeRun(std::string_view text, size_t lineno, size_t max_line, size_t* lines) {
  // Untagged input goes straight on: the first stream's fast lane stops at
  // a tagged line itself (EnvelopeUnwrapper::set_demux_tag), which then
  // comes through Feed and opens its pod's stream.
  if (order_.empty() || text.empty() || text[0] != '[') return primary_->TakeRun(text, lineno, max_line, lines);
  // Most runs continue the pod of the line before.
  if (SameTagAsLast(text)) return last_->TakeRun(text, lineno, max_line, lines);
  size_t n = ParsePodTag(text.substr(0, text.find('\n')));
  if (!n) return primary_->TakeRun(text, lineno, max_line, lines);
  return StreamOf(text, n)->TakeRun(text, lineno, max_line, lines);
}

void PodDemux::End() {
  for (EnvelopeUnwrapper* s : order_) s->End();
  primary_->End();
}

}  // namespace gotriage
