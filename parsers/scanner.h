// Finds where each kind of Go output starts inside arbitrary text and hands
// the lines to the parser of that kind.
#ifndef GOTRIAGE_PARSERS_SCANNER_H_
#define GOTRIAGE_PARSERS_SCANNER_H_

#include <memory>
#include <vector>

#include "parsers/sub_parser.h"

namespace gotriage {

class Scanner : public LineSink {
 public:
  /// \a ctx must outlive the Scanner.
  explicit Scanner(ParseContext* ctx);
  ~Scanner() override;

  void OnLine(const Line& line) override;
  void OnEnd() override;

 private:
  ParseContext* ctx_;
  std::vector<std::unique_ptr<SubParser>> parsers_;
  SubParser* active_ = nullptr;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_SCANNER_H_
