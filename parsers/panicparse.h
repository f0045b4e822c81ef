// Parser of goroutine dumps as panicparse (github.com/maruel/panicparse,
// its `pp` and `panicparse` commands) condenses them, the form people paste
// when a raw dump was too long:
//
//     1: IO wait [77 minutes] [Created by client.TestRelay @ methods.go:110]
//         net     netpoll.go:157          runtime_pollWait(0xfffffd7ffef03c20, 0x72, #26)
//         tls     conn.go:974             (*Conn).Handshake(#723, 0, 0)
//         client  static.go:203           (*staticClient).connect(#754, 0, 0)
//     12: chan receive [1~5 minutes] [locked]
//         main    main.go:30              worker(...)
//         (...)
//
// Each bucket is `COUNT: STATE`, then optional `[SLEEP]`, `[locked]` and
// `[Created by PKG.FUNC @ FILE:LINE]`; each call line is the package's last
// path element, `FILE:LINE` (a base name, or a path with -full-path or
// -rel-path) and `FUNC(ARGS)`; `(...)` marks an elided stack. A bucket
// becomes a group of COUNT goroutines. The import path is put back from the
// file's path when it has one, else for the standard library's packages
// from their last element (`tls` is crypto/tls), else the last element is
// all there is. A header is read only with a runtime state and only as the
// start of a bucket with at least one call line after it: `1: running` in
// prose followed by anything else is left to the other readers.
//
// After a crash's header (`panic: ...`, `SIGQUIT: quit`, the lines
// panicparse passes through before its buckets) the traceback reader reads
// the buckets with one of these, and they become that crash's goroutines,
// the first one its crashing goroutine, as in the runtime's own dump.
#ifndef GOTRIAGE_PARSERS_PANICPARSE_H_
#define GOTRIAGE_PARSERS_PANICPARSE_H_

#include <memory>
#include <string>
#include <string_view>

#include "parsers/boxed.h"
#include "parsers/grouping.h"
#include "parsers/sub_parser.h"

namespace gotriage {

/// A panicparse bucket header, as read from its line.
struct PanicparseHeader {
  uint64_t count = 0;
  std::string_view state;
  int wait_minutes = -1;  ///< the largest of `[N minutes]` / `[N~M minutes]`
  bool locked = false;
  std::string_view created_by;  ///< `PKG.FUNC`, "" when none
  std::string_view created_at;  ///< `FILE:LINE`
};
/// Parses \a line as a bucket header with a runtime wait state.
bool ParsePanicparseHeader(std::string_view line, PanicparseHeader* out);

/// A panicparse call line: the package's last element, `FILE:LINE` and
/// `FUNC(ARGS)`.
struct PanicparseCall {
  std::string_view dir, src, name, args;
};
/// Parses \a line as an indented call line.
bool ParsePanicparseCall(std::string_view line, PanicparseCall* out);

/// The function's full name: its import path (from \a src's path, or the
/// standard library's package whose last element is \a dir, or \a dir),
/// a dot, then \a name. Written into \a buf.
std::string_view PanicparseFunction(std::string_view dir, std::string_view src, std::string_view name,
                                    std::string* buf);

class PanicparseParser : public SubParser {
 public:
  explicit PanicparseParser(ParseContext* ctx);
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return idle_; }
  void Finish(bool at_eof) override;
  /// The first bucket's goroutine of the last dump read (a crash's own,
  /// when the dump follows its header), moved out.
  Boxed<Goroutine> TakeFirst() { return std::move(first_); }
  /// True once a call line followed a header: the input is panicparse's.
  bool has_stacks() const { return buckets_ > 0 || pending_.frame_count() > 0; }

 private:
  void Begin(const Line& line, const PanicparseHeader& h);
  void EndBucket();
  Feed Read(const Line& line);  // Next, but for the incident's last line

  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  GroupBuilder groups_;
  PendingGoroutine pending_;
  bool bucket_open_ = false;
  bool idle_ = false;     // after a bucket's call lines: a new bucket or the end may come
  size_t buckets_ = 0;    // buckets with call lines read
  std::string header_;    // the first header, kept until a call line confirms it
  Line header_line_;
  std::string fn_, created_fn_;
  Boxed<Goroutine> first_;  // the first bucket's goroutine
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PANICPARSE_H_
