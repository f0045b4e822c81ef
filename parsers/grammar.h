// The line grammar of Go tracebacks, one function per element, exposed for
// the parsers and for unit tests. Every function takes a line without its
// newline, allocates nothing and returns views into that line.
//
// Sources: src/runtime/traceback.go (goroutineheader, traceback2,
// printcreatedby, printArgs), src/runtime/runtime2.go (waitReasonStrings),
// src/runtime/panic.go (printpanics), src/runtime/pprof (printCountProfile).
#ifndef GOTRIAGE_PARSERS_GRAMMAR_H_
#define GOTRIAGE_PARSERS_GRAMMAR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The string helpers (Trim, StartsWith, ParseInt, ...) the grammar is written
// with; included here for the files that use both.
#include "base/strings.h"
#include "parsers/label.h"

namespace gotriage {

/// The whole goroutine header grammar, as go1.27's goroutineheader() prints
/// it and every older form:
///   goroutine ID[ gp=0x.. m=N|nil[ mp=0x..]] [STATUS[ (leaked)][ (scan)]
///     [ (durable)][, N minutes][, locked to thread][, synctest bubble N]
///     [ labels:{"k": "v", ...}]][ {k: v, ...}]:
/// also the aggregated `48 goroutines [semacquire, 4 minutes]:` that
/// panicparse prints (id -1).
struct GoroutineHeader {
  int64_t id = -1;
  std::string_view state;  ///< without `(scan)`/`(leaked)` decorations
  int wait_minutes = -1;
  bool locked_to_thread = false;
  bool leaked = false;
  bool durable = false;
  bool scan = false;
  uint64_t count = 1;  ///< >1 for panicparse's `48 goroutines [...]:` form
  int64_t synctest_bubble = -1;  ///< N of `, synctest bubble N`
  /// The label list as printed, between its braces (still quoted); decode
  /// it with ParseLabelList(labels, label_form, ...).
  std::string_view labels;
  LabelForm label_form = LabelForm::kNone;
};
bool ParseGoroutineHeader(std::string_view line, GoroutineHeader* out);
/// ParseGoroutineHeader on a line of exactly the shape `goroutine N ...]:`,
/// nothing to trim: the fast lane's test. Such a line passes the envelope
/// layer unchanged (it ends in `:`, never in `\r` or `^M`, and no envelope
/// starts with `goroutine `; checked by envelope_test).
bool FastGoroutineHeader(std::string_view line, GoroutineHeader* out);
/// A goroutine header glued to the end of another line where a paste lost
/// the newlines between them (`panic: boom goroutine 32 [running]:`): the
/// offset of the blank before `goroutine`, the header in \a out; npos when
/// the line does not end in one after other text.
size_t GluedGoroutineHeader(std::string_view line, GoroutineHeader* out);

/// The end of a label list: \a s starts just after its `{`; returns the
/// index in \a s of the matching `}`, or npos when the list is malformed
/// (an unterminated quote, a bare token with a character the runtime would
/// have quoted, a missing separator). Linear in the list's length; a `}`,
/// `, ` or `"` inside a quoted key or value does not end anything.
size_t ScanLabelList(std::string_view s, LabelForm form);

/// Decodes a label list (the text between its braces) into \a out, keys and
/// values unquoted. At most \a max_pairs pairs and \a max_bytes bytes of keys
/// and values are kept; \a cut (may be null) says the rest was dropped.
/// False (and \a out left empty) when the text is not a label list.
bool ParseLabelList(std::string_view text, LabelForm form, std::vector<Label>* out,
                    size_t max_pairs = 64, size_t max_bytes = 4096, bool* cut = nullptr);
/// Unquotes a Go double-quoted string (`"a b\"c\x00\u00e9"`), as
/// strconv.Unquote does; false on a malformed one.
bool UnquoteGo(std::string_view quoted, std::string* out);

/// `pkg.(*T).Method(0xc0000, {0x1, 0x2}, ...)` — the function line of a frame.
struct FuncLine {
  std::string_view function;
  std::string_view args;  ///< between the outer parentheses
  bool inlined = false;   ///< args are exactly `...`
};
bool ParseFuncLine(std::string_view line, FuncLine* out);
/// A function line whose argument list was cut off, where a paste or a
/// capture ends inside it (`pkg.(*T).M(0xc00012ea60?, 0xc0011`): a
/// qualified name of the characters Go prints in one, `(`, then only what
/// an argument list holds (hex words, `?`, `,`, `{`, `}`, `.`, spaces) and
/// no `)`. \a out gets the name and the arguments as far as they go.
bool ParseCutFuncLine(std::string_view line, FuncLine* out);
/// The loose form of the same shape, for a line that may be a function
/// line whose argument list a hard wrap continued on the next line
/// (`pkg.f(0x1, 0xc00`): a `(` after a `.`, no blank before it, more `(`
/// than `)`. The traceback parser holds such a line to join it with its
/// rest; when no rest comes, ParseCutFuncLine decides whether it is a frame.
bool MayBeCutFuncLine(std::string_view line);
/// A method's name as the runtime printed it, where a paste lost the star of
/// its receiver (`net.(_pollDesc).Wait`, `pkg.(Conn).readLoop`): markdown
/// takes the stars of two such frames for emphasis and drops them, or a
/// converter writes them as `_`. The runtime puts a receiver in parentheses
/// only with its star (`pkg.(*T).M`; a value receiver prints `pkg.T.M`), so
/// `.(T).` and `.(_T).` are never its own. \a out gets the name with the
/// star back; false (\a out untouched) when there was nothing to repair.
bool RepairReceiverStars(std::string_view function, std::string* out);
/// A function line without an argument list (`pkg.(*T).M`), as zap's
/// frame-only stacks print it: a name without blanks that neither starts
/// nor ends with `.` or ends with `)`. \a out gets it with no arguments.
bool ParseBareFuncName(std::string_view line, FuncLine* out);

/// `\t/path/file.go:123 +0x1d fp=0x.. sp=0x.. pc=0x..` — the file line.
struct FileLine {
  std::string_view file;
  int line = 0;
  uint64_t offset = 0;
  bool has_offset = false;
};
bool ParseFileLine(std::string_view line, FileLine* out);

/// Fast recognisers for the two lines of a frame exactly as the runtime
/// prints them: `NAME(ARGS)` at column 0, and a tab, `FILE:LINE`, then
/// optionally one space and `+0xOFF` (no `fp=`, no other blanks). They
/// accept a subset of what ParseFuncLine and ParseFileLine accept and give
/// the same result on it; any other line is left to those.
///
/// No log envelope can start a line of either shape (each envelope's prefix
/// ends in a space, and a function line has none before its last `(`), and
/// neither ends in `\r` or `^M`: the envelope layer passes them unchanged
/// (checked by envelope_test).
bool FastFuncLine(std::string_view line, FuncLine* out);
/// What FastFileLine reads, as views into the line: the numbers are left as
/// text and parsed only for the goroutines kept in full (FastFileValues).
struct FastFile {
  std::string_view key;  ///< `FILE:LINE` as printed
  size_t file_len = 0;   ///< FILE is key.substr(0, file_len)
  std::string_view hex;  ///< the digits of ` +0xOFF`, "" when absent
};
bool FastFileLine(std::string_view line, FastFile* out);
/// `created by FUNC` or `created by FUNC in goroutine N` (N 1 to 19 digits)
/// with nothing to trim and no blank in FUNC: the same FUNC and parent as
/// ParseCreatedBy, and a line the envelope layer passes unchanged (it ends
/// in a digit or in FUNC, never in `\r` or `^M`). \a in_goroutine says which
/// of the two forms it was.
bool FastCreatedBy(std::string_view line, std::string_view* function, int64_t* parent,
                   bool* in_goroutine);
/// False when the line number has leading zeros (`key` is then not the
/// `FILE:LINE` the group key is built from).
bool FastFileCanonical(const FastFile& f);
/// The values ParseFileLine gives for the same line.
FileLine FastFileValues(const FastFile& f);

/// `created by pkg.f in goroutine 7` (parent -1 when not printed).
bool ParseCreatedBy(std::string_view line, std::string_view* function, int64_t* parent);

/// `...additional frames elided...` (count 0) or `...123 frames elided...`.
bool ParseElided(std::string_view line, int* count);

/// True when \a line is only a person's elision mark (`...`, `--`,
/// `[snip]`, `<snip>`, `(truncated)`, ...).
bool IsElisionMark(std::string_view line);

/// A mark a person put inside a pasted stack where they left frames out:
/// an elision mark (above), a word or count in dots or brackets (`...snip...`,
/// `<omitted>`, `... 12 more lines`), or a comment of their own (`// more
/// stuff`). The runtime prints none of these.
bool ParsePasteElision(std::string_view line);

/// The import path of a function: `net/http.(*conn).serve` -> `net/http`,
/// `main.main.func1` -> `main`, `github.com/a/b.F[...]` -> `github.com/a/b`.
std::string_view PackageOf(std::string_view function);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_GRAMMAR_H_
