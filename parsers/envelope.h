// Removes log envelopes (kubectl prefixes, CRI and docker records, JSON log
// fields, ...) from each input line before the Scanner sees it.
#ifndef GOTRIAGE_PARSERS_ENVELOPE_H_
#define GOTRIAGE_PARSERS_ENVELOPE_H_

#include <string>
#include <string_view>

#include "parsers/line.h"

namespace gotriage {

class EnvelopeUnwrapper {
 public:
  explicit EnvelopeUnwrapper(LineSink* sink) : sink_(sink) {}
  /// \a raw is one input line without its `\n`.
  void Feed(std::string_view raw, size_t lineno, bool unterminated, bool cut);
  /// Ends the input: flushes pending partial records, then calls OnEnd.
  void End();

 private:
  LineSink* sink_;
  std::string scratch_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_ENVELOPE_H_
