// Finds where each kind of Go output starts inside arbitrary text and hands
// the lines to the parser of that kind.
#ifndef GOTRIAGE_PARSERS_SCANNER_H_
#define GOTRIAGE_PARSERS_SCANNER_H_

#include <memory>
#include <span>
#include <vector>

#include "parsers/sub_parser.h"

namespace gotriage {

/// One line-format reader of the Scanner's table (scanner.cc).
struct SubParserEntry {
  const char* name;
  std::unique_ptr<SubParser> (*make)(ParseContext* ctx);
  const char* why;  ///< why it sits where it does in the order
};

/// The readers, in the order the Scanner asks them.
std::span<const SubParserEntry> SubParsers();

class Scanner : public LineSink {
 public:
  /// \a ctx must outlive the Scanner.
  explicit Scanner(ParseContext* ctx);
  ~Scanner() override;

  void OnLine(const Line& line) override;
  size_t TakeRun(const LineRun& run, size_t* lines) override;
  bool TakesUnwrappedRuns() const override { return active_ && active_->TakesRuns(); }
  bool TakesEnvelopedRuns() const override { return active_ && active_->TakesEnvelopedRuns(); }
  void OnEnd() override;
  /// The input went quiet: an input that sits between two records (after a
  /// complete goroutine, a complete profile record) is finished now.
  void OnIdle();

 private:
  ParseContext* ctx_;
  std::vector<std::unique_ptr<SubParser>> parsers_;
  void CountInTrace(const Line& line);

  SubParser* active_ = nullptr;
  size_t last_lineno_ = 0;        // input line of the last line seen
  size_t last_trace_lineno_ = 0;  // input line last counted as parsed
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_SCANNER_H_
