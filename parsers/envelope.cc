// Log envelope removal; see envelope.h.
#include "parsers/envelope.h"

namespace gotriage {

void EnvelopeUnwrapper::Feed(std::string_view raw, size_t lineno, bool unterminated, bool cut) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  Line line;
  line.text = raw;
  line.lineno = lineno;
  line.unterminated = unterminated;
  line.cut = cut;
  sink_->OnLine(line);
}

void EnvelopeUnwrapper::End() { sink_->OnEnd(); }

}  // namespace gotriage
