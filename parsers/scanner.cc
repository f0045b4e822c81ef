// The Scanner: input detection by line prefix, then dispatch.
#include "parsers/scanner.h"

#include <cstring>
#include <memory>

#include "parsers/delve.h"
#include "parsers/describe.h"
#include "parsers/fatal_record.h"
#include "parsers/kernel_oom.h"
#include "parsers/gocheck.h"
#include "parsers/goleak.h"
#include "parsers/panicparse.h"
#include "parsers/pprof_debug1.h"
#include "parsers/pprof_top.h"
#include "parsers/profile_listing.h"
#include "parsers/profile_text.h"
#include "parsers/race.h"
#include "parsers/traceback.h"

namespace gotriage {

namespace {

template <class P>
std::unique_ptr<SubParser> Make(ParseContext* ctx) {
  return std::make_unique<P>(ctx);
}

// Every line-format reader, in the order the Scanner asks them whether a
// line starts their format: the first that says yes reads it. The order
// matters only where two formats can start on the same line; `why` says
// what each one must come before or after. (Binary inputs, the pprof
// protobuf, are routed before line splitting: parse.cc's BinarySniff.)
const SubParserEntry kSubParsers[] = {
    {"traceback", Make<TracebackParser>,
     "first: panics, fatal errors and goroutine dumps are what most inputs hold, and their "
     "markers (`goroutine `, `panic: `, `fatal error: `, `SIG`) start no other format"},
    {"heap-text", Make<HeapTextParser>,
     "before debug=1: a heap profile's records share its `#\t0x` frame lines"},
    {"pprof-debug1", Make<PprofDebug1Parser>, "after heap-text (above)"},
    {"race", Make<RaceParser>, "`WARNING: DATA RACE` and its `===` rule start no other format"},
    {"goleak", Make<GoleakParser>,
     "before describe: it also watches `=== RUN` lines for the test's name"},
    {"delve", Make<DelveParser>,
     "after traceback: VS Code's `Exception has occurred: panic`, dlv's `> [unrecovered-panic]` "
     "and `Goroutine N -` listings are not Go traceback lines, and a dlv stack is read by an inner "
     "traceback reader"},
    {"gocheck", Make<GocheckParser>,
     "gocheck's `PANIC: FILE:LINE: Suite.Test` starts no other format (Macaron's `[Macaron] PANIC:` "
     "is a log line the traceback parser reads after it, not at the line's start)"},
    {"fatal-record", Make<FatalRecordParser>,
     "before describe: a JSON log record at fatal level is a log line, not a pod object; after "
     "the Go formats, which a klog `F` line's dump is read by from inside it"},
    {"kernel-oom", Make<KernelOomParser>,
     "before describe, after the Go formats: the kernel's `Killed process N (NAME)` lines start "
     "no other format"},
    {"panicparse", Make<PanicparseParser>,
     "before describe: a bucket header (`12: chan receive [Created by ...]`) starts with a count "
     "and a runtime state, which no format above starts on"},
    {"describe", Make<DescribeParser>,
     "after the Go formats: it starts on words as common as `Name:`, `Events:` and YAML/JSON "
     "documents"},
    {"pprof-top", Make<PprofTopParser>,
     "`Showing nodes accounting for ...` and the `flat  flat%  sum%` header start no format above"},
    {"gctrace", Make<GcTraceParser>, "GODEBUG=gctrace=1's `gc N @T s: ...` lines start no format above"},
    {"pprof-traces", Make<PprofTracesParser>,
     "`go tool pprof -traces`' `-----------+-------` separators start no format above"},
    {"perf-report", Make<PerfReportParser>,
     "last: besides perf's header it starts on a bare `  12.34%  symbol` row, which must not take "
     "a line any other format starts on"},
};

}  // namespace

std::span<const SubParserEntry> SubParsers() { return kSubParsers; }

Scanner::Scanner(ParseContext* ctx) : ctx_(ctx) {
  for (const SubParserEntry& e : kSubParsers) parsers_.push_back(e.make(ctx));
}

Scanner::~Scanner() = default;

void Scanner::OnLine(const Line& line) {
  ParsedInput* out = ctx_->out;
  // Count input lines, not the logical lines an envelope made of one.
  if (line.lineno != last_lineno_) ++out->lines;
  last_lineno_ = line.lineno;
  ctx_->timestamp = line.timestamp;
  if (line.logged && active_) {
    // A log record's stack is an input of its own, whatever came before.
    active_->Finish(false);
    active_ = nullptr;
  }
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
      rest.lineno = run.LineNo(n);
      if (run.linenos) rest.linenos = run.linenos + n;
      size_t taken_lines = 0, continued = 0;
      rest.continued = &continued;
      size_t taken = active_->TakeRun(rest, &taken_lines);
      if (taken_lines > 0) {
        p += taken;
        n += taken_lines;
        // Pieces of a joined line are one line of text.
        out->lines += taken_lines - continued;
        out->lines_in_traces += taken_lines - continued;
        last_lineno_ = last_trace_lineno_ = run.LineNo(n - 1);
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
    line.lineno = run.LineNo(n);
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
