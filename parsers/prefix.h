// Recognition of Go output wherever a line carries it: markers found
// anywhere in a line, the text before them learned as the input's prefix and
// peeled from the lines that follow, TTY garbage removed, and the damage
// that pasting does to a dump repaired.
//
// The envelope layer (envelope.h) peels the envelopes it knows by name;
// every line, whatever it came out of, then passes through one
// PrefixLearner, which handles the envelopes nobody listed:
//
//  * A Go marker after other text (`]: panic: boom`, `app | goroutine 7
//    [running]:`, `> SIGQUIT: quit`, a spinner's `\r` then `panic: `) makes
//    the text before it the learned prefix. Strong markers (a complete
//    goroutine header, `SIGQUIT: `, `WARNING: DATA RACE`, `goroutine
//    profile: total N`, `found unexpected goroutines`) are taken at once;
//    `panic: ` and `fatal error: ` only when the next non-blank line (with
//    the same prefix peeled) continues a crash (`goroutine N [`, `[signal `,
//    ...): a log line that merely says "panic: " is left as it was.
//  * The following lines are peeled while they carry the prefix: the same
//    text, or the same shape (each run of digits may be another run of
//    digits: a timestamp of any layout, a counter). A trailing space of the
//    prefix may be missing before a tab or at the end of the line. When the
//    prefix was learned on the input's first line (which a paste often cuts
//    inside its prefix), the first full prefix that ends with the same
//    shape replaces it.
//  * The input's first line, when no envelope was found on it, waits for
//    the second: a paste that starts inside the first line's envelope
//    (`26:10.000Z panic: ...` before `2026-03-14T09:26:10.001Z goroutine
//    ...`) is read once the envelope the envelope layer peeled from the
//    second line (Line::raw) is seen to end the way the first line starts.
//    The fast lane never takes an input's first line, so both paths agree.
//    The same wait tells a markdown code block: when the first two lines
//    start with the same indent of 4 spaces or more, it is the prefix.
//  * A prefix learned inside paste markup (a quoted `go test` log's
//    `>     leak_test.go:31: found unexpected goroutines:`) keeps the markup
//    as an outer layer, peeled from the lines that carry only that.
//  * TTY garbage before a marker (a spinner or progress bar redrawn with
//    `\r`, an ANSI colour sequence, a shell prompt) is just a prefix of
//    that line: the marker after it is found (an ANSI `...m` counts as a
//    word boundary), the garbage peeled, and nothing else of the line is
//    touched (escapes inside a message are the renderer's to neutralise).
//  * A markdown quote (`> ` at the start of a line) is learned as the
//    prefix when the next non-blank line is quoted too, marker or not: a
//    quoted pod description or profile has no Go marker to find.
//  * A person's elision mark (`...`, `--`, `[snip]`, `(truncated)`) on a
//    line of its own after a blank line separates records like the blank
//    line before it: it is passed on as a blank line (and counted).
//  * A debug=1 frame line whose `#` markdown ate, or whose tabs became
//    spaces, is given back its `#\t0x...\tfunc+0x..\tfile:line` form.
//
// Cost: the fast lane (LineRun) is used only while nothing is learned or
// held; PassesUnchanged-style callers ask NeedsPrefixWork, which is a
// memchr for ':' over the line and a few compares at each colon.
#ifndef GOTRIAGE_PARSERS_PREFIX_H_
#define GOTRIAGE_PARSERS_PREFIX_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/line.h"

namespace gotriage {

/// Offset of the first Go marker in \a s that starts after other text (a
/// marker at offset 0 needs nothing from this layer), or npos. \a strong is
/// set when the marker stands on its own (see prefix.h).
size_t FindGoMarker(std::string_view s, bool* strong);
/// True when a marker FindGoMarker looks for (`panic: `, `fatal error: `,
/// `SIGQUIT: `, `WARNING: DATA RACE`, `goroutine profile: total `, `found
/// unexpected goroutines:`, a goroutine header's `]:`) ends at the colon
/// \a s[i]; sets \a start to where it starts and \a strong. FindGoMarker
/// then also asks what comes before it.
bool GoMarkerEndingAt(std::string_view s, size_t i, size_t* start, bool* strong);

/// True when PrefixLearner, with nothing learned, would change \a line or
/// hold it: a marker after other text, a damaged debug=1 frame line.
bool NeedsPrefixWork(std::string_view line);

/// Length of a markdown quote's markup at the start of \a s: `>` and the
/// space after it, repeated for a nested quote (`> > `, `>> `); 0 when \a s
/// does not start with one. The indent after the quote is the quoted text's
/// own. The prefix layer and the envelope layer's Peel both use it.
size_t QuoteMarkup(std::string_view s);
/// True for a markdown code fence, with or without its language tag
/// (```` ``` ````, ```` ```go ````, `~~~`), blanks around it allowed.
bool IsCodeFence(std::string_view s);

/// True when \a s holds `](http`: the cheap test before UndoAutolinks.
bool MayHoldAutolink(std::string_view s);
/// Undoes an editor's autolinks: `[W](http://W)` (or `https://`), a word
/// that looked like a host name (`k8s.io/...`, `github.com/...`) turned into
/// a markdown link to itself when pasted, is W again. \a out receives the
/// line; false (and \a out unspecified) when there was no such link. Only a
/// link whose target is its own text is undone: a real link is content.
bool UndoAutolinks(std::string_view s, std::string* out);


/// Length of the prefix shaped like \a shape (see prefix.h) at the start of
/// \a line, or 0 when \a line does not carry it.
size_t CarriesPrefix(std::string_view line, std::string_view shape);

class PrefixLearner {
 public:
  /// Processes one line and passes what it becomes to \a sink (now, or
  /// with the next line when a weak marker waits for confirmation).
  void Process(const Line& line, LineSink* sink);
  /// Lines went to the sink without this layer (the fast lane, only while
  /// Quiet); \a last_blank: the last of them was blank.
  void Bypassed(bool last_blank) { after_blank_ = last_blank; }
  /// Passes on whatever is held (end of input).
  void Flush(LineSink* sink);
  /// True while nothing is learned or held, and not only blank lines read
  /// so far (the first line that says something is held): lines may then
  /// bypass it.
  bool Quiet() const { return prefix_.empty() && held_.empty() && !first_pending_ && !blank_start_; }
  /// The learned prefix ("" when none), for tests.
  const std::string& prefix() const { return prefix_; }
  /// Lines whose prefix was peeled, for statistics.
  uint64_t peeled() const { return peeled_; }
  /// Elision marks read as record boundaries.
  uint64_t elisions() const { return elisions_; }

 private:
  struct Held {
    std::string text, timestamp, stream, test_package;
    size_t lineno = 0;
    bool unterminated = false, cut = false;
    std::optional<LoggedStack> logged;
    /// A copy of \a line with \a text as its text.
    static Held Of(const Line& line, std::string_view text);
    /// A Line whose views point into this one.
    Line AsLine() const;
  };
  void Hold(const Line& line, std::string_view text);
  void Release(LineSink* sink, bool confirmed);
  void ProcessLine(const Line& line, LineSink* sink);
  // Peels the learned prefix from \a text; false when it is not carried.
  bool Peel(std::string_view* text);
  bool PeelShape(std::string_view* text, std::string_view shape);
  // Peel, or relearn a prefix cut on the first line; counts misses.
  void PeelOrRelearn(std::string_view* text);
  void Learn(std::string_view prefix, bool first_line);
  void Emit(const Line& line, std::string_view text, LineSink* sink);

  std::string prefix_;  // the learned prefix, as first seen
  std::string outer_;   // paste markup prefix_ was learned inside, or ""
  bool cut_candidate_ = false;  // learned on line 1: may have been cut
  int misses_ = 0;              // consecutive lines without the prefix
  uint64_t peeled_ = 0;
  uint64_t elisions_ = 0;
  bool after_blank_ = true;  // the last line passed on was blank
  // A line with a weak marker, waiting for the next non-blank line, and
  // the blank lines after it; held_marker_ is the marker's offset.
  std::vector<Held> held_;
  size_t held_marker_ = 0;
  bool held_quote_ = false;  // the held line is a markdown quote, no marker
  std::string candidate_;  // the prefix the held line would teach
  // The input's first line, when it had no envelope, until the second line
  // tells whether it was cut inside the envelope the second one has.
  Held first_;
  bool first_pending_ = false;
  bool blank_start_ = false;  // every line so far was blank
  std::string repair_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PREFIX_H_
