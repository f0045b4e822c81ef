// A logical input line, after its log envelope (kubectl prefix, CRI record,
// JSON log field, ...) has been removed.
#ifndef GOTRIAGE_PARSERS_LINE_H_
#define GOTRIAGE_PARSERS_LINE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gotriage {

/// A Go stack that a structured-log record carried in a field (logrus'
/// `stack`, zap's `stacktrace`, slog's `stack_trace`, ...) with a panic:
/// what the record said besides the stack's lines. The envelope layer
/// gives it with the stack's first line (Line::logged); the traceback
/// parser reads the stack as that recovered panic.
struct LoggedStack {
  /// The panic's value as the record gave it (its message or error
  /// field, first line); "" when it logged none.
  std::string message;
  /// The stack has no `goroutine N [...]:` header and its function lines
  /// no argument lists (zap's frame-only form: `pkg.fn\n\tfile:line`).
  bool frames_only = false;
};

/// Views are valid only for the duration of the call that receives them.
struct Line {
  std::string_view text;       ///< without envelope, `\r` or `\n`
  size_t lineno = 0;           ///< 1-based line number in the original input
  std::string_view timestamp;  ///< from the envelope, "" when none
  std::string_view stream;     ///< "stdout"/"stderr" from the envelope, or ""
  std::string_view test_package;  ///< `go test -json`: the event's Package, or ""
  /// The input line as read, when \a text is a part of it that the
  /// envelope layer left after peeling (the bytes before \a text are the
  /// envelope); "" when \a text was decoded, joined from pieces or
  /// repaired (the prefix layer clears it then).
  std::string_view raw;
  bool unterminated = false;   ///< the input ended inside this line
  bool cut = false;            ///< longer than the line limit; the rest dropped
  /// On the first line of a stack a log record carried, that record's
  /// panic (see LoggedStack); null on every other line.
  const LoggedStack* logged = nullptr;
};

/// True when \a part is a view into \a whole (not a copy of its bytes).
inline bool ViewWithin(std::string_view part, std::string_view whole) {
  auto p = reinterpret_cast<uintptr_t>(part.data()), w = reinterpret_cast<uintptr_t>(whole.data());
  return !whole.empty() && part.data() != nullptr && p >= w && p + part.size() <= w + whole.size();
}

/// A run of complete input lines (each ends in `\n`) offered to a sink in
/// one call: the fast lane for bare text, above all the stacks that make up
/// most of a large dump. The sink takes as many whole lines from the start
/// as it wants and does with them exactly what OnLine would have done.
struct LineRun {
  std::string_view text;  ///< the lines, `\n` included
  size_t lineno = 0;      ///< input line number of the first one
  size_t max_line = 0;    ///< a longer line must go through OnLine (it is cut)
  /// True when the envelope layer would pass \a line on unchanged (no
  /// envelope, no `\r`); a sink may take only such lines.
  bool (*unchanged)(std::string_view line) = nullptr;
  /// The lines had an envelope (a `kubectl logs --timestamps` timestamp)
  /// that the envelope layer removed. Only a parser inside a stack, which
  /// reads no timestamp, may take them; a line that would go to OnLine
  /// must be left, so that it goes there with its timestamp.
  bool unwrapped = false;
  /// When set, the input line number of each line (one joined from CRI `P`
  /// pieces spans several input lines and is numbered by its first); else
  /// they follow each other from \a lineno.
  const size_t* linenos = nullptr;

  /// The input line number of line \a i of the run.
  size_t LineNo(size_t i) const { return linenos ? linenos[i] : lineno + i; }
};

/// Receives logical lines in input order.
class LineSink {
 public:
  virtual ~LineSink() = default;
  virtual void OnLine(const Line& line) = 0;
  /// Takes whole lines from the start of \a run; returns how many bytes and
  /// sets \a lines. The default takes none.
  virtual size_t TakeRun(const LineRun& run, size_t* lines) {
    (void)run;
    *lines = 0;
    return 0;
  }
  /// True when TakeRun would take lines of a run with `unwrapped` set now
  /// (the envelope layer peels lines for it only then).
  virtual bool TakesUnwrappedRuns() const { return false; }
  /// Called once when the input (one source) ends.
  virtual void OnEnd() = 0;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_LINE_H_
