// The parsers' entry point: reads inputs once, streaming, and returns the
// model of everything found in them.
//
//   gotriage::Parser p(options);
//   std::string err;
//   if (!p.AddFile("dump.txt", &err)) ...;   // partial results are kept
//   std::unique_ptr<ParsedInput> in = p.Finish();
#ifndef GOTRIAGE_PARSERS_PARSE_H_
#define GOTRIAGE_PARSERS_PARSE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/limits.h"
#include "parsers/model.h"

namespace gotriage {

struct ParseOptions {
  Limits limits;
  std::string module;  ///< main module override (--module); "" detects
  /// When set, each incident is handed over as soon as it is complete
  /// (classified), as the only element of ParsedInput::incidents, and
  /// dropped when the call returns instead of being kept; used by --follow
  /// to keep memory bounded on endless input. The callee may filter it
  /// (ApplyLabelFilter) and analyse it in place.
  std::function<void(ParsedInput&)> on_incident;
  /// With on_incident: called each time a pod description has been added to
  /// ParsedInput::pods. Pods are kept (they are few, and the incidents that
  /// follow are read with them), so each is analysed once, when complete.
  std::function<void(ParsedInput&)> on_pod;
  /// With on_incident: when a stream stays silent this long between two
  /// records (say, after a goroutine dump), the open incident is handed
  /// over without waiting for more input. -1 never.
  int idle_flush_ms = -1;
  /// The fast lane for stack lines (parsers/line.h, LineRun). Turned off
  /// only by tests that check it against the line-by-line path.
  bool fast_lane = true;
  /// Batch: an incident identical to one of an input read before is folded
  /// into it (Incident::twins, parsers/twins.h). Turned off only by tests
  /// that check the findings are the same either way.
  bool fold_twins = true;
  /// For tests: AddText feeds its text in pieces of this many bytes, as
  /// reads of a pipe would (0: in one piece).
  size_t text_piece_bytes = 0;
};

class Parser {
 public:
  explicit Parser(ParseOptions opts);
  ~Parser();

  /// Reads a file, or standard input for "-". False with \a err when the
  /// input could not be opened or read to its end; lines read before a read
  /// error are parsed and kept.
  bool AddFile(const std::string& path, std::string* err);
  /// Reads \a paths as AddFile on each in turn would, with up to \a threads
  /// files read at once: each thread reads its files into a model of its
  /// own, and those are then added here in the order given (same incidents,
  /// pods, warnings and limits, in the same order). \a errs gets the error
  /// of each file that could not be read, in order; false when there was
  /// one. Standard input ("-"), --follow (on_incident) and one thread read
  /// one file after another.
  bool AddFiles(const std::vector<std::string>& paths, unsigned threads, std::vector<std::string>* errs);
  /// Reads an open descriptor (not closed).
  bool AddFd(int fd, const std::string& name, std::string* err);
  /// Parses text already in memory (tests, fuzzing).
  bool AddText(std::string_view name, std::string_view text, std::string* err = nullptr);

  /// Classifies frames and returns the result; the Parser is spent.
  std::unique_ptr<ParsedInput> Finish();

 private:
  // One input, not yet folded with the others (Impl::Input).
  bool ReadFd(int fd, const std::string& name, std::string* err);
  bool ReadFile(const std::string& path, std::string* err);
  bool ReadFileInParts(int fd, uint64_t size, const std::string& path, std::string* err);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Convenience for tests: parses \a text and finishes.
std::unique_ptr<ParsedInput> ParseText(std::string_view text, const ParseOptions& opts = {});

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PARSE_H_
