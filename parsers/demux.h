// Splits the interleaved output of several pods into one stream per pod
// before anything else reads it.
//
// `kubectl logs -l SELECTOR --prefix [--all-containers] [-f]` writes the
// lines of many containers into one output, each line tagged
// `[pod/NAME/CONTAINER] `, in the order they arrived: two pods that crash at
// the same moment interleave their dumps line by line. Each tag gets its own
// envelope layer and Scanner (its own parse context, whose incidents carry
// the tag's pod as Incident::pod), so every pod's lines are read as if the
// pod had been alone; lines without a tag go to the first stream (which
// also reads every untagged input).
//
// Cost: a line is routed by its first bytes (`[pod/`); input without tags
// goes straight to the first stream's fast lane, one compare per run of
// lines.
#ifndef GOTRIAGE_PARSERS_DEMUX_H_
#define GOTRIAGE_PARSERS_DEMUX_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parsers/envelope.h"
#include "parsers/model.h"

namespace gotriage {

class PodDemux {
 public:
  /// Makes the envelope layer (and the parser behind it) of a new pod's
  /// stream; it must live until End returns.
  using MakeStream = std::function<EnvelopeUnwrapper*(const PodRef& pod)>;
  /// \a primary reads untagged lines (and tagged ones beyond \a max_streams).
  PodDemux(EnvelopeUnwrapper* primary, MakeStream make, size_t max_streams)
      : primary_(primary), make_(std::move(make)), max_streams_(max_streams) {}

  /// As EnvelopeUnwrapper::Feed, routed by the line's tag.
  void Feed(std::string_view raw, size_t lineno, bool unterminated, bool cut);
  /// As EnvelopeUnwrapper::TakeRun: the run goes to the stream of its first
  /// line, which takes only lines of its own stream.
  size_t TakeRun(std::string_view text, size_t lineno, size_t max_line, size_t* lines);
  /// Ends every stream, the pods' in the order they first appeared, then the
  /// untagged one.
  void End();
  /// Pods seen (streams made).
  size_t streams() const { return order_.size(); }
  /// Tagged lines read by the first stream because max_streams was reached.
  uint64_t overflow_lines() const { return overflow_; }

 private:
  // True when \a line starts with the last line's tag and its space.
  bool SameTagAsLast(std::string_view line) const;
  // The stream of a line starting with a tag of \a n bytes (`] ` included).
  EnvelopeUnwrapper* StreamOf(std::string_view line, size_t n);

  EnvelopeUnwrapper* primary_;
  MakeStream make_;
  size_t max_streams_;
  std::unordered_map<std::string, EnvelopeUnwrapper*> by_tag_;  // `[pod/N/C]`
  std::vector<EnvelopeUnwrapper*> order_;
  std::string last_tag_;  // the last line's tag and stream: most lines repeat it
  EnvelopeUnwrapper* last_ = nullptr;
  uint64_t overflow_ = 0;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_DEMUX_H_
