// A logical input line, after its log envelope (kubectl prefix, CRI record,
// JSON log field, ...) has been removed.
#ifndef GOTRIAGE_PARSERS_LINE_H_
#define GOTRIAGE_PARSERS_LINE_H_

#include <cstddef>
#include <string_view>

namespace gotriage {

/// Views are valid only for the duration of the call that receives them.
struct Line {
  std::string_view text;       ///< without envelope, `\r` or `\n`
  size_t lineno = 0;           ///< 1-based line number in the original input
  std::string_view timestamp;  ///< from the envelope, "" when none
  std::string_view stream;     ///< "stdout"/"stderr" from the envelope, or ""
  bool unterminated = false;   ///< the input ended inside this line
  bool cut = false;            ///< longer than the line limit; the rest dropped
};

/// Receives logical lines in input order.
class LineSink {
 public:
  virtual ~LineSink() = default;
  virtual void OnLine(const Line& line) = 0;
  /// Called once when the input (one source) ends.
  virtual void OnEnd() = 0;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_LINE_H_
