// Parser of the stacks the delve debugger prints, as people paste them from
// `dlv` or from VS Code's call stack:
//
//     Exception has occurred: panic "runtime error: index out of range [1] with length 1"
//     Stack:
//     	3  0x0000000000c16509 in roaster.initialize
//     	    at C:/Projects/Go/src/roaster/roaster.go:88
//     	4  0x0000000000c18037 in roaster.Roast
//     	    at C:/Projects/Go/src/roaster/roaster.go:238
//
// the terminal's stop at a panic (`continue` then `bt`):
//
//     > [unrecovered-panic] runtime.fatalpanic() /usr/local/go/src/runtime/panic.go:1456 (hits goroutine(1):1 total:1) (PC: 0x4502a4)
//     	runtime.curg._panic.arg: interface {}(string) "runtime error: index out of range [2] with length 2"
//       1456:	func fatalpanic(msgs *_panic) {
//     0  0x00000000004502a4 in runtime.fatalpanic
//        at /usr/local/go/src/runtime/panic.go:1456
//
// and `goroutines -t` (a stack per goroutine) or `goroutines`:
//
//       Goroutine 200 - User: /src/pkg/net.go:1631 pkg.(*N).handle (0x8cbcdc) [chan send 4h58m45.57s]
//     	0  0x000000000043f725 in runtime.gopark
//     	    at /usr/lib/golang/src/runtime/proc.go:337
//     * Goroutine 1 - User: /src/main.go:12 main.main (0x4a1b2c) (thread 4711)
//     [2 goroutines]
//
// No line has the runtime's form. Each becomes what the runtime prints and
// goes to a TracebackParser: `panic "MSG"` (or the stop's panic value) the
// `panic: MSG` line, the stack after it a goroutine whose header is not in
// the input (running, ID unknown), and a listing after it the other
// goroutines of the crash; the stop's source listing, `Warning:` lines and
// `(dlv)` prompts are skipped; `Goroutine N - ... [STATE DURATION]` the header `goroutine N
// [STATE, M minutes]:` (delve's `(thread N)` with no state: running), and
// `[N goroutines]` ends the listing and is its declared total; a
// frame `N  0xPC in FUNC` then `at FILE:LINE` the pair `FUNC()` and
// `\tFILE:LINE` (delve prints no arguments). A frame list with neither
// before it is a stack whose header the paste lost.
#ifndef GOTRIAGE_PARSERS_DELVE_H_
#define GOTRIAGE_PARSERS_DELVE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "parsers/sub_parser.h"
#include "parsers/traceback.h"

namespace gotriage {


/// The headline of an incident read from a delve goroutine listing.
inline constexpr std::string_view kDelveListingHeadline = "goroutines listed by delve";

class DelveParser : public SubParser {
 public:
  /// \a ctx must outlive the parser.
  explicit DelveParser(ParseContext* ctx);
  ~DelveParser() override;

  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return false; }
  void Finish(bool at_eof) override;

 private:
  /// Handles one delve line (false: not one).
  bool Take(const Line& line, std::string_view t);
  void Begin(bool listing);

  ParseContext* ctx_;
  ParseContext inner_;
  InnerTraceback tb_;
  bool active_ = false;
  bool crash_ = false;        // after `Exception has occurred:` or a panic stop
  bool value_pending_ = false;  // a panic stop whose value line has not come
  bool listing_ = false;      // a `goroutines` listing
  bool goroutine_ = false;    // a goroutine's stack is open
  bool frame_open_ = false;   // a frame's function line waits for its `at`
  size_t last_lineno_ = 0;
  uint64_t declared_ = 0;     // N of `[N goroutines]`
  size_t declared_line_ = 0;  // its line
  std::string buf_;           // the line made for tb_
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_DELVE_H_
