// Fatal-level log records: a service's last words.
//
// A Go service often ends not with a panic but on purpose, by logging at
// fatal level: klog.Fatal, logrus' Fatal, zap's Fatal, zerolog's Fatal and
// log.Fatal all log a record and call os.Exit(1). In Kubernetes that is a
// restart with no traceback: the record is the only clue, usually the
// last line of `kubectl logs --previous`. The forms read here:
//
//     F0117 14:49:11.978122       1 controllermanager.go:293] leaderelection lost
//     {"level":"fatal","msg":"failed to start manager","error":"leader election lost",...}
//     time="2019-09-24T13:33:34Z" level=fatal msg="failed to start manager" error="..."
//     FATA[0000] failed to start manager                     error="..."
//     2023-01-01T00:00:00.000Z	FATAL	cmd/main.go:12	failed to start	{"error": "..."}
//     3:04PM FTL failed to start error="..."
//
// and a record pretty-printed over several lines (a log viewer's expanded
// JSON: `level: "fatal"` among `key: "value"` lines between braces). klog
// and glog print a stack after a Fatal record (klog before v2.80 every
// goroutine's; glog the logging goroutine's, then it aborts and the
// runtime prints its SIGABRT dump): those belong to the record, as a
// crash's goroutines belong to its panic, and the running goroutine that
// starts in the logger is the one that logged.
#ifndef GOTRIAGE_PARSERS_FATAL_RECORD_H_
#define GOTRIAGE_PARSERS_FATAL_RECORD_H_

#include <memory>
#include <string>
#include <string_view>

#include "parsers/sub_parser.h"

namespace gotriage {

class TracebackParser;

/// True when \a text (a line, its log envelope peeled) is a fatal-level log
/// record in one of the one-line forms above; fills \a out (not its
/// input_line). Cheap on other lines: a byte test, then a substring search.
bool ReadFatalRecord(std::string_view text, FatalRecord* out);

/// Reads fatal-level records into incidents of kind kFatalRecord, with
/// the goroutine dump klog prints after one.
class FatalRecordParser : public SubParser {
 public:
  /// \a ctx must outlive the parser.
  explicit FatalRecordParser(ParseContext* ctx);
  ~FatalRecordParser() override;

  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return false; }
  bool Flushable() const override { return mode_ != Mode::kDump; }
  size_t TakeRun(const LineRun& run, size_t* lines) override;
  bool TakesRuns() const override;
  bool TakesEnvelopedRuns() const override;
  void Finish(bool at_eof) override;

 private:
  enum class Mode {
    kNone,
    kZapStack,     ///< a zap console record: its caller's stack may follow
    kAfterRecord,  ///< a klog record: a dump may follow
    kDump,         ///< reading that dump (tb_)
    kPretty,       ///< a pretty-printed record: its fields until `}`
    kUsage,        ///< a refused command line: the usage printed after it
  };
  /// Sends the record's incident on, if not yet sent.
  void Emit();

  ParseContext* ctx_;
  ParseContext inner_;
  std::unique_ptr<TracebackParser> tb_;
  std::unique_ptr<Incident> incident_;
  Mode mode_ = Mode::kNone;
  bool blank_seen_ = false;  // kAfterRecord: the one blank line glog leaves
  bool merged_ = false;      // the dump after the record is in incident_
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_FATAL_RECORD_H_
