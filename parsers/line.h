// A logical input line, after its log envelope (kubectl prefix, CRI record,
// JSON log field, ...) has been removed.
#ifndef GOTRIAGE_PARSERS_LINE_H_
#define GOTRIAGE_PARSERS_LINE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/// The byte classes of an RFC 3339 timestamp of at most 32 bytes that a
/// space follows: where the digits go, the other bytes as they are. Two
/// timestamps of one shape end at the same byte (the envelope layer's
/// Rfc3339 reads only those classes up to its end), and the lines of
/// `kubectl logs --timestamps` or a CRI file share one shape but for the
/// odd fraction with fewer digits: EnvelopeUnwrapper's run lane tests a
/// line against the last shape with two SIMD compares.
struct TimestampShape {
  size_t len = 0;  ///< 0: none learned
  alignas(16) unsigned char digit[32] = {};    ///< 0xff where a digit goes
  alignas(16) unsigned char literal[32] = {};  ///< the byte elsewhere
  /// Learns the shape of the \a t bytes of timestamp at the start of \a
  /// raw (none when \a raw is shorter than 32 bytes or \a t longer).
  void Learn(std::string_view raw, size_t t);
  /// True when \a raw starts with len bytes of this shape and a space.
  bool Fits(std::string_view raw) const;
  /// True when the len bytes at \a p are of this shape (len > 0); reads
  /// 32 bytes from \a p.
  bool Matches(const char* p) const {
#if defined(__SSE2__)
    unsigned ok = 0;
    for (int h = 0; h < 2; ++h) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * h));
      __m128i d = _mm_load_si128(reinterpret_cast<const __m128i*>(digit + 16 * h));
      __m128i l = _mm_load_si128(reinterpret_cast<const __m128i*>(literal + 16 * h));
      __m128i is_digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                       _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
      __m128i good = _mm_or_si128(_mm_and_si128(d, is_digit), _mm_andnot_si128(d, _mm_cmpeq_epi8(v, l)));
      ok |= static_cast<unsigned>(_mm_movemask_epi8(good)) << (16 * h);
    }
    unsigned want = len == 32 ? ~0u : (1u << len) - 1;
    return (ok & want) == want;
#else
    for (size_t i = 0; i < len; ++i) {
      bool is_digit = p[i] >= '0' && p[i] <= '9';
      if (digit[i] ? !is_digit : static_cast<unsigned char>(p[i]) != literal[i]) return false;
    }
    return true;
#endif
  }
};

/// The one envelope every line of an enveloped run carries (LineRun::
/// envelope): a `kubectl logs --timestamps` timestamp, a whole CRI record's
/// header (`TS stderr F `) or a `kubectl logs --prefix` tag, which the
/// envelope layer would remove and nothing more. A sink reads such a run
/// in place, each line's text after its envelope, instead of a copy of the
/// texts. A docker json-file record (kDocker) has its text escaped inside
/// it: each line is decoded on its own (decode), never read in place.
struct RunEnvelope {
  enum class Form : uint8_t { kTimestamp, kCri, kTag, kDocker };
  Form form = Form::kTimestamp;
  /// kDocker: appends the text of the record \a raw (one whole line, no
  /// `\n`) and a `\n` to \a out when the envelope layer would pass that
  /// text on as it is, peeled of its record (a record in docker's own
  /// shape whose `log` is one whole line that passes unchanged); false
  /// when it would not (then \a out may hold part of it). A line compared
  /// whole with a recorded stack line is decoded by DecodeDockerLine.
  bool (*decode)(std::string_view raw, std::string* out) = nullptr;
  const TimestampShape* shape = nullptr;  ///< kTimestamp, kCri: the timestamps' shape
  std::string_view tag;                   ///< kTag: the tag and its space
  /// Where the text of \a raw (one whole line, no `\n`) starts, when the
  /// envelope layer would pass it on as that text, peeled of one envelope
  /// of this form; npos when it would not (the run stops there).
  size_t (*text_at)(void* self, std::string_view raw) = nullptr;
  void* self = nullptr;

  size_t TextAt(std::string_view raw) const { return text_at(self, raw); }

  /// The same read forward from a line's start \a p, before its end is
  /// known, for a line whose text is then compared whole with a stack line
  /// recorded earlier (StackTrie::MatchStack): where the text starts when
  /// the line has this envelope, or its blank form; 0 when not. Where it
  /// answers, TextAt answers the same for a line with such a text: a
  /// frame's function or file line, `created by`, or nothing.
  size_t Skip(const char* p, const char* end) const {
    // (kDocker: never in place; StackTrie decodes each line.)
    size_t avail = static_cast<size_t>(end - p);
    if (form == Form::kTag) {
      if (avail <= tag.size() || std::memcmp(p, tag.data(), tag.size()) != 0) return 0;
      return tag.size();
    }
    size_t t = shape->len;
    if (avail < 48 || !shape->Matches(p)) return 0;
    if (form == Form::kTimestamp) {
      // `TS`, `TS ` (blank), or `TS TEXT`.
      if (p[t] == '\n') return t;
      return p[t] == ' ' ? t + 1 : 0;
    }
    // `TS stdout F ` or `TS stderr F `, then the text or nothing.
    if (avail < t + 11 || p[t] != ' ' || std::memcmp(p + t + 1, "std", 3) != 0 ||
        std::memcmp(p + t + 7, " F ", 3) != 0 ||
        !(std::memcmp(p + t + 4, "out", 3) == 0 || std::memcmp(p + t + 4, "err", 3) == 0))
      return 0;
    return t + 10;
  }
};

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
  /// When set, every line of \a text carries this envelope (and \a
  /// unwrapped is set): a sink reads each line's text where the envelope
  /// says (RunEnvelope::TextAt) and stops at a line it refuses. Only a
  /// sink whose TakesEnvelopedRuns says so is offered one.
  const RunEnvelope* envelope = nullptr;
  /// When set, a sink adds here how many of the input lines it took only
  /// continued a line in CRI `P` pieces that it read joined in place
  /// (StackTrie::MatchStack): they count in its *lines, which number input
  /// lines, but a joined line is one line of text, as the envelope layer
  /// counts it.
  size_t* continued = nullptr;

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
  /// True when TakeRun would take lines of a run with `envelope` set now.
  virtual bool TakesEnvelopedRuns() const { return false; }
  /// Called once when the input (one source) ends.
  virtual void OnEnd() = 0;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_LINE_H_
