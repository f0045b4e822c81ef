// Parser of the race detector's reports (`go test -race`, `go run -race`,
// binaries built with -race):
//
//   ==================
//   WARNING: DATA RACE
//   Read at 0x00c0000a0010 by goroutine 12:
//     pkg.(*T).M()
//         /src/pkg/file.go:13 +0x87
//
//   Previous write at 0x00c0000a0010 by main goroutine:
//     ...
//   Goroutine 12 (running) created at:
//     ...
//   ==================
//   --- FAIL: TestServe (0.00s)
//       testing.go:1712: race detected during execution of test
//
// Source: ThreadSanitizer's Go report printer (compiler-rt tsan_report.cpp,
// `#if SANITIZER_GO`) and testing.(*common).checkRaces; checked against
// go1.19 and go1.26 output (testdata/fixtures/race-*.txt).
//
// Each report becomes one Incident{kind = kRaceReport}. A report is complete
// at its closing `==================`, but the test that saw it is named
// after it (`--- FAIL: TestX` then `testing.go:N: race detected ...`, or in
// -v/-json output the preceding `=== RUN   TestX`), so finished reports wait
// in a small bounded queue until the test is known or a foreign line
// arrives.
#ifndef GOTRIAGE_PARSERS_RACE_H_
#define GOTRIAGE_PARSERS_RACE_H_

#include <memory>
#include <string>
#include <vector>

#include "parsers/sub_parser.h"

namespace gotriage {

class RaceParser : public SubParser {
 public:
  explicit RaceParser(ParseContext* ctx);
  ~RaceParser() override;

  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override;
  void Finish(bool at_eof) override;

  /// Finished reports kept while waiting for their test's name.
  static constexpr size_t kMaxQueued = 64;

 private:
  enum class State {
    kInactive,
    kOpened,   // after `==================`, expecting `WARNING: DATA RACE`
    kBody,     // inside a report
    kTrailer,  // after a report: test name lines, more reports
  };
  // Which stack the frame lines belong to.
  enum class Block { kNone, kAccess, kCreatedAt, kHeap, kIgnored };
  struct CreatedAt {
    int64_t goroutine = -1;
    std::string status;
    std::vector<Frame> frames;
    bool stack_unavailable = false;
  };

  void Open(const Line& line);
  bool BodyLine(const Line& line, std::string_view t);
  void AddFrameLine(const Line& line, std::string_view t, bool* used);
  std::vector<Frame>* BlockFrames();
  void EndReport(bool at_eof);
  void TrackTest(const Line& line, std::string_view t);
  /// Names the queued reports' test and emits them.
  void Flush();

  ParseContext* ctx_;
  State state_ = State::kInactive;
  std::unique_ptr<Incident> cur_;
  std::vector<CreatedAt> created_;
  Block block_ = Block::kNone;
  size_t noise_run_ = 0;
  std::vector<Incident> queued_;
  // Test naming.
  std::string run_test_;      // last `=== RUN|CONT|NAME` test
  size_t run_line_ = 0;
  std::string fail_test_;     // innermost `--- FAIL:` after the reports
  size_t fail_line_ = 0;
  size_t detected_line_ = 0;  // `race detected during execution of test`
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_RACE_H_
