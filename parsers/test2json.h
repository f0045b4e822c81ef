// Decoder of `go test -json` (cmd/test2json) event streams:
//
//   {"Time":"2026-11-23T12:30:20.46Z","Action":"output","Package":"p",
//    "Test":"TestHang","Output":"panic: test timed out after 2s\n"}
//
// The text a test printed (panics, goroutine dumps, race reports) is in the
// Output field of `output` events, one line per event as a rule, but a line
// may be split across several events (test2json flushes a partial line when
// it is long or when the test pauses mid-line). The decoder joins the
// pieces and hands each complete line on with the line number of the event
// where it began and the event's Time as its timestamp; other events
// (start, run, pass, fail, ...) produce no lines.
//
// The envelope layer (parsers/envelope.cc) calls it for lines that look like
// test2json events, before any other JSON handling.
#ifndef GOTRIAGE_PARSERS_TEST2JSON_H_
#define GOTRIAGE_PARSERS_TEST2JSON_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "parsers/line.h"

namespace gotriage {

class Test2JsonDecoder {
 public:
  /// \a max_line bounds a joined line; longer ones are cut (Line::cut).
  explicit Test2JsonDecoder(size_t max_line = 1 << 20) : max_line_(max_line) {}

  /// Cheap test on the first bytes: `{"Time":` or `{"Action":` (test2json
  /// omits Time when it has none).
  static bool LooksLikeEvent(std::string_view raw);

  /// Decodes \a raw when it is a test2json event and passes the complete
  /// output lines it finishes to \a sink; false (nothing consumed) when the
  /// line is not a test2json event, so the caller treats it otherwise.
  bool Feed(std::string_view raw, size_t lineno, LineSink* sink);

  /// Passes on a partial line still held (the stream ended mid-line).
  void Flush(LineSink* sink);

 private:
  /// \a key: the event's Package, `\x1f`, its Test.
  void Emit(std::string_view text, size_t lineno, std::string_view timestamp, std::string_view key,
            bool unterminated, LineSink* sink);
  void EmitPartial(bool at_end, LineSink* sink);

  size_t max_line_;
  std::string partial_;      // output text not yet ended by `\n`
  size_t partial_line_ = 0;  // event line where partial_ began
  std::string partial_key_;  // Package + Test of partial_'s events
  bool partial_cut_ = false;
  std::string time_;         // Time of the event being decoded
  std::string partial_time_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_TEST2JSON_H_
