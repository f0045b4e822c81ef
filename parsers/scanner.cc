// The Scanner: input detection by line prefix, then dispatch.
#include "parsers/scanner.h"

#include "parsers/describe.h"
#include "parsers/pprof_debug1.h"
#include "parsers/pprof_top.h"
#include "parsers/race.h"
#include "parsers/traceback.h"

namespace gotriage {

Scanner::Scanner(ParseContext* ctx) : ctx_(ctx) {
  // Order matters only when two parsers could start on the same line.
  parsers_.push_back(std::make_unique<TracebackParser>(ctx));
  parsers_.push_back(std::make_unique<PprofDebug1Parser>(ctx));
  parsers_.push_back(std::make_unique<RaceParser>(ctx));
  // Last: it starts on `Name:`, `Events:` and pod JSON/YAML documents.
  parsers_.push_back(std::make_unique<DescribeParser>(ctx));
  parsers_.push_back(std::make_unique<PprofTopParser>(ctx));
}

Scanner::~Scanner() = default;

void Scanner::OnLine(const Line& line) {
  ParsedInput* out = ctx_->out;
  // Count input lines, not the logical lines an envelope made of one.
  if (line.lineno != last_lineno_) ++out->lines;
  last_lineno_ = line.lineno;
  ctx_->timestamp = line.timestamp;
  if (active_) {
    if (active_->Idle()) {
      for (auto& p : parsers_) {
        if (p.get() == active_) continue;
        if (p->Start(line)) {
          active_->Finish(false);
          active_ = p.get();
          CountInTrace(line);
          return;
        }
      }
    }
    switch (active_->Next(line)) {
      case SubParser::Feed::kConsumed:
        CountInTrace(line);
        return;
      case SubParser::Feed::kConsumedDone:
        CountInTrace(line);
        active_ = nullptr;
        return;
      case SubParser::Feed::kDone:
        active_->Finish(false);
        active_ = nullptr;
        break;
    }
  }
  for (auto& p : parsers_) {
    if (p->Start(line)) {
      active_ = p.get();
      CountInTrace(line);
      return;
    }
  }
  // A line that is not Go output: remember the last few, since a recovered
  // panic's message is often on the log line before its stack.
  if (line.text.empty()) return;
  ctx_->Remember(line, line.text);
}

size_t Scanner::TakeRun(const LineRun& run, size_t* lines) {
  *lines = 0;
  // Only the active parser, and only inside a record: between records any
  // parser may start on the next line.
  if (!active_ || active_->Idle()) return 0;
  size_t taken = active_->TakeRun(run, lines);
  if (*lines == 0) return 0;
  ParsedInput* out = ctx_->out;
  out->lines += *lines;
  out->lines_in_traces += *lines;
  last_lineno_ = last_trace_lineno_ = run.lineno + *lines - 1;
  ctx_->timestamp = {};
  return taken;
}

void Scanner::CountInTrace(const Line& line) {
  if (line.lineno == last_trace_lineno_) return;
  last_trace_lineno_ = line.lineno;
  ++ctx_->out->lines_in_traces;
}

void Scanner::OnIdle() {
  if (active_ && active_->Flushable()) {
    active_->Finish(false);
    active_ = nullptr;
  }
}

void Scanner::OnEnd() {
  if (active_) active_->Finish(true);
  active_ = nullptr;
  ctx_->recent.clear();
}

}  // namespace gotriage
