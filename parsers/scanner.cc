// The Scanner: input detection by line prefix, then dispatch.
#include "parsers/scanner.h"

#include <cstring>

#include "parsers/delve.h"
#include "parsers/describe.h"
#include "parsers/goleak.h"
#include "parsers/pprof_debug1.h"
#include "parsers/pprof_top.h"
#include "parsers/profile_listing.h"
#include "parsers/profile_text.h"
#include "parsers/race.h"
#include "parsers/traceback.h"

namespace gotriage {

Scanner::Scanner(ParseContext* ctx) : ctx_(ctx) {
  // Order matters only when two parsers could start on the same line.
  parsers_.push_back(std::make_unique<TracebackParser>(ctx));
  parsers_.push_back(std::make_unique<HeapTextParser>(ctx));  // before debug=1: shares its `#\t0x` frames
  parsers_.push_back(std::make_unique<PprofDebug1Parser>(ctx));
  parsers_.push_back(std::make_unique<RaceParser>(ctx));
  // Before the describe parser: it also watches `=== RUN` lines for the
  // test's name.
  parsers_.push_back(std::make_unique<GoleakParser>(ctx));
  parsers_.push_back(std::make_unique<DelveParser>(ctx));
  // Last: it starts on `Name:`, `Events:` and pod JSON/YAML documents.
  parsers_.push_back(std::make_unique<DescribeParser>(ctx));
  parsers_.push_back(std::make_unique<PprofTopParser>(ctx));
  parsers_.push_back(std::make_unique<GcTraceParser>(ctx));
  parsers_.push_back(std::make_unique<PprofTracesParser>(ctx));
  parsers_.push_back(std::make_unique<PerfReportParser>(ctx));
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
  // Every line of the run that the envelope layer would pass on unchanged
  // is handled here, without it: runs of stack lines by the active parser
  // in one call, any other line (a goroutine header, the blank line after a
  // stack, a log line) as OnLine would. Stops at the first line that needs
  // the envelope layer, is too long, or has no `\n` yet.
  ParsedInput* out = ctx_->out;
  const char* begin = run.text.data();
  const char* p = begin;
  const char* end = p + run.text.size();
  size_t n = 0;
  Line line;
  while (p < end) {
    // An idle parser is offered the run too: it takes only lines no other
    // parser starts on (a traceback parser between goroutines: blank lines
    // and the next goroutine header).
    if (active_) {
      LineRun rest = run;
      rest.text = std::string_view(p, static_cast<size_t>(end - p));
      rest.lineno = run.lineno + n;
      size_t taken_lines = 0;
      size_t taken = active_->TakeRun(rest, &taken_lines);
      if (taken_lines > 0) {
        p += taken;
        n += taken_lines;
        out->lines += taken_lines;
        out->lines_in_traces += taken_lines;
        last_lineno_ = last_trace_lineno_ = run.lineno + n - 1;
        ctx_->timestamp = {};
        if (p >= end) break;
      }
    }
    if (run.unwrapped) break;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (!nl) break;
    std::string_view raw(p, static_cast<size_t>(nl - p));
    if (raw.size() > run.max_line || !run.unchanged(raw)) break;
    line.text = raw;
    line.lineno = run.lineno + n;
    OnLine(line);
    ++n;
    p = nl + 1;
  }
  *lines = n;
  return static_cast<size_t>(p - begin);
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
