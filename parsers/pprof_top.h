// Parser of `go tool pprof -top` listings, which users paste into issues
// instead of a dump: `Showing nodes accounting for X, P% of T total`, the
// `flat  flat%   sum%        cum   cum%` header and one row per function.
// They hold no stacks, only where the profile's weight sits. The same
// parser reads `-peek` and `-tree` listings (`calls calls% + context` in
// the header; blocks between `-----+-----` lines, each a node's row with
// its callers above it and its callees below, `VALUE PCT% |   FUNC`),
// alone or after a `top` listing in the same paste (a blank line, `[...]`
// or a `(pprof)` prompt between them): the nodes are rows, the calls edges.
#ifndef GOTRIAGE_PARSERS_PPROF_TOP_H_
#define GOTRIAGE_PARSERS_PPROF_TOP_H_

#include <memory>

#include "parsers/sub_parser.h"

namespace gotriage {

/// Parses one row: `75.01MB 95.48% 95.48% 78.56MB 100%  time.NewTicker [FILE]`.
bool ParseTopRow(std::string_view line, ProfileTopRow* row, std::string_view* function);
/// `78.56MB` -> 78.56e6 bytes (unit "bytes"), `44362` -> count, `1.5s` -> time.
bool ParseTopValue(std::string_view v, double* value, std::string* unit);

class PprofTopParser : public SubParser {
 public:
  explicit PprofTopParser(ParseContext* ctx) : ctx_(ctx) {}
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return false; }
  void Finish(bool at_eof) override;

 private:
  // A `-peek` or `-tree` line: a separator, a node or a call.
  bool PeekLine(std::string_view t, size_t lineno);
  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  bool header_seen_ = false;
  bool peek_ = false;        // reading a -peek or -tree listing
  size_t gap_ = 0;           // lines since the last row that may come before one
  std::string_view node_;    // the node of the current block, "" before its row
  std::vector<std::pair<std::string_view, double>> callers_;  // of the node to come
  std::vector<size_t> caller_lines_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PPROF_TOP_H_
