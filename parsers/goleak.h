// Parser of go.uber.org/goleak reports, as `go test` prints them:
//
//     === RUN   TestFetchFirst
//         leak_test.go:31: found unexpected goroutines:
//             [Goroutine 19 in state chan send, with example.com/x.f.func1 on top of the stack:
//             example.com/x.f.func1({0x5983b8, 0x1})
//             	/src/x/leak_test.go:21 +0x65
//             created by example.com/x.f in goroutine 18
//             	/src/x/leak_test.go:21 +0x4e
//              Goroutine 21 in state chan send, with ... on top of the stack:
//             ...
//             ]
//     --- FAIL: TestFetchFirst (0.57s)
//
// No line has the runtime's form: each `Goroutine N in state S, with F on
// top of the stack:` becomes the header `goroutine N [S]:` and the stacks,
// with goleak's indentation removed, go to a TracebackParser. The incident
// is a goroutine dump whose headline names the report and the test (the
// last `=== RUN`/`=== NAME`/`=== CONT`, or the `--- FAIL:` just before the
// report in non-verbose output); the leak rule reads it as goroutines that
// a checker declared leaked. Goroutines with a `testing.` function on top
// (the test runner's own, what IgnoreCreatedBy-style options drop) are not
// reported.
#ifndef GOTRIAGE_PARSERS_GOLEAK_H_
#define GOTRIAGE_PARSERS_GOLEAK_H_

#include <string>
#include <string_view>

#include "parsers/sub_parser.h"
#include "parsers/traceback.h"

namespace gotriage {


/// The headline of a goleak incident starts with this.
inline constexpr std::string_view kGoleakHeadline = "found unexpected goroutines";
/// What goleak.VerifyTestMain prints before the headline: part of the
/// report's first line, not a prefix of its lines.
inline constexpr std::string_view kGoleakTestMainLeadIn = "goleak: Errors on successful test run: ";

class GoleakParser : public SubParser {
 public:
  /// \a ctx must outlive the parser.
  explicit GoleakParser(ParseContext* ctx);
  ~GoleakParser() override;

  /// Remembers the test that runs (`=== RUN`, `--- FAIL:`); starts on
  /// `found unexpected goroutines:`.
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  /// Idle after a blank line inside the report: another record may follow
  /// (goleak separates them so), and any other format's start ends it.
  bool Idle() const override { return between_; }
  void Finish(bool at_eof) override;

 private:
  Feed Header(const Line& line, std::string_view t);
  /// Feeds header_ if no stack line has followed it yet: a record with no
  /// stack is still a goroutine of the report.
  void FlushHeader(const Line& line);
  /// Opens a report: a fresh traceback parser for its stacks.
  void Begin(std::string headline);

  ParseContext* ctx_;
  ParseContext inner_;  // ctx_ with an emit that names the report
  InnerTraceback tb_;
  bool active_ = false;
  bool skipping_ = false;  // inside a test runner goroutine
  bool header_pending_ = false;  // header_ not fed yet
  int64_t header_id_ = -1;        // the goroutine of header_
  bool between_ = false;          // after a blank line inside the report
  bool double_spaced_ = false;    // the paste put a blank after every line
  bool blank_seen_ = false;       // the last line was blank (double-spaced)
  size_t last_lineno_ = 0;        // the report's last line read
  size_t indent_ = std::string_view::npos;
  std::string test_;        // the running test
  std::string report_test_;  // the test of the report being read
  std::string header_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_GOLEAK_H_
