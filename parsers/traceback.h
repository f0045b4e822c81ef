// Parser of Go tracebacks: panics, fatal errors, signal (SIGQUIT/SIGABRT)
// dumps, `runtime.Stack`/pprof debug=2 goroutine dumps, recovered panics
// logged with `debug.Stack()` and `go test` timeouts.
//
// It works line by line, keeps only the goroutine being parsed in reusable
// scratch buffers and folds each finished goroutine into its incident's
// GroupBuilder, so memory is bounded by the number of distinct stacks.
#ifndef GOTRIAGE_PARSERS_TRACEBACK_H_
#define GOTRIAGE_PARSERS_TRACEBACK_H_

#include <array>
#include <memory>
#include <optional>
#include <string>

#include "parsers/boxed.h"
#include "parsers/grouping.h"
#include "parsers/stack_trie.h"
#include "parsers/sub_parser.h"

namespace gotriage {

class TracebackParser : public SubParser {
 public:
  explicit TracebackParser(ParseContext* ctx);
  ~TracebackParser() override;

  bool Start(const Line& line) override;
  /// Start without the --follow amendment bookkeeping.
  bool StartLine(const Line& line);
  /// Emits the incident and lets goroutines that follow amend it (--follow).
  void EmitMayContinue();
  Feed Next(const Line& line) override;
  size_t TakeRun(const LineRun& run, size_t* lines) override;
  bool TakesRuns() const override {
    return incident_ && !headless_pending_ && !blank_in_pair_ && !double_spaced_ && wrapped_.empty() &&
           (state_ == State::kGoroutine || state_ == State::kBetween);
  }
  bool TakesEnvelopedRuns() const override { return TakesRuns(); }
  bool Idle() const override;
  bool Flushable() const override;
  void Finish(bool at_eof) override;
  /// Every goroutine fed belongs to one report (goleak's): a goroutine ID
  /// seen again does not start a second dump, and a first goroutine with a
  /// panic frame does not make the report a logged recovered panic.
  void set_one_report(bool on) { one_report_ = on; }
  /// Starts a goroutine whose header is not in the input, running, its ID
  /// unknown: the stack a debugger shows for the goroutine that panicked
  /// (parsers/delve.h). Only right after a crash's preamble or between
  /// goroutines; false otherwise.
  bool BeginUnknownGoroutine(const Line& line);

 private:
  enum class State {
    kInactive,
    kPreamble,      // after panic:/fatal error:/SIGxxx:, before goroutines
    kRuntimeStack,  // inside the `runtime stack:` block
    kGoroutine,     // inside a goroutine
    kBetween,       // after a goroutine ended, more may follow
    kFileFrames,    // a logged panic's stack of file-only frames
    kCondensed,     // panicparse's buckets after the preamble (condensed_)
  };

  Feed NextLine(const Line& line);
  void Open(const Line& line);
  /// Handles a line that starts or continues the preamble; false if it is
  /// not a preamble line.
  bool PreambleLine(const Line& line, std::string_view t);
  bool StartPanic(const Line& line, std::string_view t);
  /// Starts a logged panic whose stack is printed as file lines only
  /// (old klog `Observed a panic`, Macaron/martini `PANIC:`); false when
  /// \a t is no such frame or no panic was logged just before it.
  bool StartFileFrames(const Line& line, std::string_view t);
  /// Starts the stack a log record carried (Line::logged) as a goroutine
  /// of its own; false when its header is not one after all.
  bool StartLogged(const Line& line, std::string_view t);
  bool AddFileFrame(const Line& line, std::string_view t);
  /// Starts a goroutine whose header the paste lost, on a function line;
  /// kept only if the next line is its file line.
  // A function line after a crash's preamble whose goroutine header the
  // paste lost: begins the crashing goroutine (see the .cc).
  bool PreambleFrame(const Line& line, std::string_view t);
  bool StartHeadless(const Line& line, std::string_view t);
  /// Handles a line inside a goroutine that the paste damaged (a hard
  /// wrap, a blank line inside a frame); kDone when it is none of that.
  /// Repairs a paste's damage inside a goroutine (hard wraps, blank lines
  /// in a frame); nullopt when \a line is not such a case.
  std::optional<Feed> RepairedLine(const Line& line, std::string_view t);
  // A function line cut inside its arguments where the input or the paste
  // ends (ParseCutFuncLine) is the goroutine's next frame; false when \a t
  // is no such line or no goroutine is open.
  bool TakeCutFrame(std::string_view t, size_t lineno);
  /// Drops the open incident: it was not Go output after all.
  void Discard();
  void AppendToPanicMessage(std::string_view t);
  void BeginGoroutine(const Line& line, const struct GoroutineHeader& h);
  /// Handles a line inside a goroutine; false if it does not belong to one.
  bool GoroutineLine(const Line& line, std::string_view raw);
  void EndGoroutine();
  /// In TakeRun, at the first stack line of a goroutine whose header was
  /// just read: matches its stack against the known ones and, when it is
  /// one whose group keeps no more samples, counts it there. Returns the
  /// bytes and lines taken (0 when the lines must be parsed), and of those
  /// lines the ones that continued a line in CRI `P` pieces
  /// (LineRun::continued). \a env: the run's envelope (LineRun::envelope),
  /// or null.
  size_t TakeKnownStack(const char* p, const char* end, size_t max_line, const RunEnvelope* env,
                        size_t* lines, size_t* continued);
  /// True when pending_ holds a header and nothing after it.
  bool FreshGoroutine() const;
  /// True when the goroutine of header \a h starts a new incident instead
  /// of continuing this one.
  bool StartsNewIncident(const GoroutineHeader& h);
  /// A goroutine header after a goroutine: continues the dump or starts a
  /// new incident.
  Feed NextGoroutine(const Line& line, const GoroutineHeader& h);
  void Emit(bool at_eof);
  Incident& inc() { return *incident_; }

  ParseContext* ctx_;
  State state_ = State::kInactive;
  std::unique_ptr<Incident> incident_;
  GroupBuilder groups_;
  PendingGoroutine pending_;
  bool pending_open_ = false;
  bool in_ancestor_ = false;
  bool expect_created_file_ = false;
  bool message_open_ = false;     // the last panic message may continue
  bool provisional_ = false;      // opened by `runtime:` lines only
  bool headless_pending_ = false; // opened on a function line, its file line not yet seen
  bool logged_ = false;           // opened on a log record's stack (Line::logged)
  std::string logged_message_;    // that record's panic message
  size_t bare_names_lineno_ = 0;  // its input line, when zap's frame-only form (0: none)
  bool blank_in_pair_ = false;    // a blank line is held: the stack goes on if a frame's line follows
  bool double_spaced_ = false;    // a held blank was inside a stack: the paste has one after every line
  bool dropped_file_next_ = false; // a frame beyond --max-frames was dropped: its file line goes too
  std::string wrapped_;           // a frame line cut by a hard wrap, waiting for its rest
  size_t wrapped_lineno_ = 0;     // its line
  bool running_tests_ = false;    // inside `running tests:`
  bool first_goroutine_done_ = false;
  bool one_report_ = false;        // set_one_report
  bool after_separator_ = false;   // the last line was `-----`
  bool continuing_signal_ = false; // inside a further per-thread block
  int64_t first_goroutine_id_ = -1;
  // --follow: a dump was just reported at a foreign line; goroutines that
  // follow within a few lines are more of it (an amendment).
  bool may_amend_ = false;
  int amend_noise_ = 0;
  int64_t amend_first_id_ = -1;
  std::array<std::string_view, 16> recent_states_;  // interned states seen last
  size_t next_recent_state_ = 0;
  size_t noise_run_ = 0;          // consecutive foreign lines in kBetween
  size_t message_lines_ = 0;
  uint64_t frames_dropped_ = 0;
  // The stacks of this incident already seen, and the lines of the
  // goroutine being parsed in TakeRun, recorded while recording_ holds
  // (from its first stack line, all of the two frame shapes).
  StackTrie known_;
  std::string docker_text_;  // a docker record's text (TakeRun)
  std::vector<StackTrie::Step> steps_;
  bool recording_ = false;
  size_t last_group_ = SIZE_MAX;  // where EndGoroutine put pending_
  // panicparse's buckets after the preamble (`1: running [Created by ...]`,
  // parsers/panicparse.h): read by condensed_ into condensed_dump_, whose
  // goroutines Emit makes this crash's.
  void StartCondensed(const Line& line);
  void EndCondensed();
  std::unique_ptr<ParseContext> condensed_ctx_;
  std::unique_ptr<class PanicparseParser> condensed_;
  std::unique_ptr<Incident> condensed_dump_;
  Boxed<Goroutine> condensed_first_;
};

/// A TracebackParser fed lines that a reader of another format made from its
/// own (delve's stacks, goleak's records, gocheck's reports), keeping the
/// Scanner's protocol for it: once the parser says a line is not its
/// (kDone) it is finished and that line may start it again; once it has
/// taken its last line (kConsumedDone) the next line starts it.
class InnerTraceback {
 public:
  /// A new parser reading for \a ctx (which must outlive it); what the
  /// last one held is dropped.
  TracebackParser& Reset(ParseContext* ctx);
  /// Passes \a text, as a line at \a line's number.
  void Feed(const Line& line, std::string_view text);
  /// Finishes what the parser holds and drops it.
  void Finish(bool at_eof);
  /// Drops the parser and what it holds, unfinished.
  void Drop() {
    tb_.reset();
    started_ = false;
  }
  /// True while the parser reads an input (it took a line and has not
  /// finished).
  bool started() const { return started_; }
  /// True between Reset and Finish.
  bool open() const { return tb_ != nullptr; }
  TracebackParser& parser() { return *tb_; }

 private:
  std::unique_ptr<TracebackParser> tb_;
  bool started_ = false;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_TRACEBACK_H_
