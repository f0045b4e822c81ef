// The interface between the Scanner (which finds where each kind of input
// starts inside arbitrary text) and the parser of one input kind.
#ifndef GOTRIAGE_PARSERS_SUB_PARSER_H_
#define GOTRIAGE_PARSERS_SUB_PARSER_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "parsers/gotest.h"
#include "parsers/limits.h"
#include "parsers/line.h"
#include "parsers/model.h"

namespace gotriage {

/// What every parser of one run shares.
struct ParseContext {
  ParsedInput* out = nullptr;
  Limits limits;
  std::string source;  ///< input name for Incident::source
  PodRef pod;          ///< for Incident::pod: the stream's pod, when known
  /// Called with each complete incident; by default appends to out.
  std::function<void(Incident&&)> emit;
  /// Called after each pod description is added (AddPod), when set.
  std::function<void()> pod_added;
  /// Adds a complete pod description to out->pods.
  void AddPod(PodStatus&& p) {
    out->pods.push_back(std::move(p));
    if (pod_added) pod_added();
  }
  /// The last few lines that no parser took (newest last), e.g. the log
  /// line that carried a recovered panic's message.
  std::deque<std::string> recent;
  std::string recent_timestamp;  ///< envelope timestamp of the newest one
  size_t recent_lineno = 0;      ///< input line of the newest one
  /// The tests go test named in those lines (`=== RUN`, `--- FAIL:`).
  TestTracker tests;

  /// Records a line no parser took (the first 4096 bytes of \a text) as the
  /// newest of `recent`. Reuses the oldest entry's buffer: no allocation per
  /// line once four lines have been seen.
  void Remember(const Line& line, std::string_view text) {
    tests.Observe(line);
    std::string slot;
    if (recent.size() >= 4) {
      slot = std::move(recent.front());
      recent.pop_front();
    }
    slot.assign(text.substr(0, 4096));
    recent.push_back(std::move(slot));
    recent_timestamp.assign(line.timestamp);
    recent_lineno = line.lineno;
  }
  /// Counts input line \a lineno as inside a trace but not understood
  /// (ParsedInput::lines_unplaced): once, however many of the lines an
  /// envelope unfolded from it (a log record with `\n` escapes) are, as
  /// Scanner counts `lines` and `lines_in_traces`.
  void Unplaced(size_t lineno) {
    if (lineno == last_unplaced_lineno) return;
    last_unplaced_lineno = lineno;
    ++out->lines_unplaced;
  }
  size_t last_unplaced_lineno = 0;
  /// Set while parsing the first part of a file split for parallel
  /// parsing: its end is not the end of the input.
  bool more_follows = false;
  /// Set while parsing a later part: its first goroutines continue a dump.
  bool continues = false;
  /// Set under --follow (ParseOptions::on_incident): a dump is reported at
  /// the first foreign line after a complete goroutine rather than after a
  /// run of them, and more of it that follows is sent as an amendment.
  bool streaming = false;
  /// Envelope timestamp of the line being parsed.
  std::string_view timestamp;
};

/// A new incident of \a kind starting at \a line of the input \a ctx reads.
inline std::unique_ptr<Incident> StartIncident(IncidentKind kind, const Line& line, const ParseContext& ctx) {
  auto inc = std::make_unique<Incident>();
  inc->kind = kind;
  inc->first_line = inc->last_line = line.lineno;
  inc->source = ctx.source;
  inc->pod = ctx.pod;
  inc->timestamp = std::string(line.timestamp);
  inc->test = ctx.tests.Current(line);
  return inc;
}

/// One parser per input kind. The Scanner offers every line to the active
/// parser first; when none is active it asks each parser, in order, whether
/// the line starts its kind of input.
class SubParser {
 public:
  enum class Feed {
    kConsumed,  ///< the line belongs to this parser's input
    kConsumedDone,  ///< the line belongs to it, and its input is complete
    kDone,      ///< the input ended before this line; the line is not used
  };
  virtual ~SubParser() = default;
  /// True when \a line starts this parser's kind of input; the line is then
  /// consumed and the parser becomes active.
  virtual bool Start(const Line& line) = 0;
  /// Offers the next line to the active parser.
  virtual Feed Next(const Line& line) = 0;
  /// True while the active parser sits between records (say, between two
  /// goroutines): another parser's start line then ends its input.
  virtual bool Idle() const = 0;
  /// True when the input may end here without being cut: the Scanner then
  /// finishes it when the stream goes quiet (--follow).
  virtual bool Flushable() const { return Idle(); }
  /// The fast lane (see LineRun): while active, takes whole lines from the
  /// start of \a run, exactly as Next would, and returns the bytes taken.
  /// Every line taken counts as consumed and in a trace. When Idle, it may
  /// take only lines no other parser starts on.
  virtual size_t TakeRun(const LineRun& run, size_t* lines) {
    (void)run;
    *lines = 0;
    return 0;
  }
  /// True when TakeRun would take lines now (see LineSink).
  virtual bool TakesRuns() const { return false; }
  /// True when TakeRun would take lines of a run with `envelope` set now
  /// (LineRun::envelope; a parser that reads no such run leaves it).
  virtual bool TakesEnvelopedRuns() const { return false; }
  /// Ends the active input (end of input or another parser took over);
  /// \a at_eof is true when the input ended, not the format.
  virtual void Finish(bool at_eof) = 0;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_SUB_PARSER_H_
