// The invariants of each reader on hostile input, one function per reader.
// Shared by the small fuzz targets (parsers/*_fuzz.cc: one reader each, fed
// lines directly, so that they run thousands of inputs a second) and by
// parsers/reader_check_test.cc, which runs every check on every file of
// testdata/fuzz-regressions and of fuzz/corpus. Header-only so that the
// gotriage binary does not carry it.
//
// Each check returns "" when every invariant holds, else what broke. Beyond
// "no crash" (the sanitizers' job), they check:
//   * grammar: each fast recogniser (FastGoroutineHeader, FastFuncLine,
//     FastFileLine, FastCreatedBy) accepts a subset of what the full parser
//     accepts and gives the same fields; every view lies inside the line;
//   * every line-driven reader: a prefix of the input (whole lines) never
//     yields more goroutines, incidents or pods than the whole input;
//   * envelopes: a line PassesUnchanged says is unchanged comes out
//     unchanged; peeled views lie inside the line; line numbers out name
//     input lines;
//   * prefix learning: every line in gives exactly one line out, in order;
//     a line NeedsPrefixWork says is plain passes a fresh learner unchanged;
//   * the whole parser's line accounting (CheckLineCounts).
#ifndef GOTRIAGE_TESTS_SUPPORT_READER_CHECK_H_
#define GOTRIAGE_TESTS_SUPPORT_READER_CHECK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/delve.h"
#include "parsers/describe.h"
#include "parsers/envelope.h"
#include "parsers/fatal_record.h"
#include "parsers/goleak.h"
#include "parsers/grammar.h"
#include "parsers/kernel_oom.h"
#include "parsers/pprof_debug1.h"
#include "parsers/prefix.h"
#include "parsers/profile_text.h"
#include "parsers/race.h"
#include "parsers/sub_parser.h"
#include "parsers/traceback.h"

namespace gotriage::check {

/// The input's lines, without `\n` (nor a `\r` before it: the envelope
/// layer removes that before any reader sees a line).
inline std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view l = text.substr(at, end - at);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    at = end + 1;
  }
  return out;
}

/// True when \a part is a view inside \a whole (or empty).
inline bool Inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

/// Limits small enough to reach every limit path on small inputs.
inline Limits TinyLimits() {
  Limits l;
  l.max_line_bytes = 256;
  l.max_groups = 2;
  l.max_frames = 3;
  l.max_samples_per_group = 1;
  l.max_ids_per_group = 1;
  l.max_incidents = 2;
  l.max_message_lines = 2;
  l.max_message_bytes = 64;
  l.max_args_bytes = 16;
  return l;
}

/// What one reader made of some lines.
struct ReaderResult {
  std::unique_ptr<ParsedInput> out = std::make_unique<ParsedInput>();
  uint64_t goroutines = 0;
  size_t incidents = 0;
};

/// Drives one reader over \a lines as the Scanner does when it is the only
/// parser: Start on a line when inactive, Next when active, Finish at the
/// end (or when it declines a line, which is then offered to Start again).
template <typename Reader>
ReaderResult RunReader(const std::vector<std::string_view>& lines, const Limits& limits) {
  ReaderResult r;
  ParseContext ctx;
  ctx.out = r.out.get();
  ctx.limits = limits;
  ctx.source = "fuzz";
  ctx.emit = [&r](Incident&& inc) { r.out->incidents.push_back(std::move(inc)); };
  {
    Reader reader(&ctx);
    bool active = false;
    size_t lineno = 0;
    for (std::string_view text : lines) {
      Line line;
      line.text = text.substr(0, limits.max_line_bytes);
      line.cut = text.size() > limits.max_line_bytes;
      line.lineno = ++lineno;
      ctx.timestamp = {};
      if (active) {
        switch (reader.Next(line)) {
          case SubParser::Feed::kConsumed:
            continue;
          case SubParser::Feed::kConsumedDone:
            active = false;
            continue;
          case SubParser::Feed::kDone:
            reader.Finish(false);
            active = false;
            break;
        }
      }
      if (reader.Start(line)) active = true;
      else if (!text.empty()) ctx.Remember(line, line.text);
    }
    if (active) reader.Finish(true);
  }
  for (const Incident& inc : r.out->incidents) r.goroutines += inc.goroutine_count;
  r.incidents = r.out->incidents.size();
  return r;
}

/// The prefix invariant of a line-driven reader: the first \a cut lines
/// never yield more goroutines or incidents than all of them.
template <typename Reader>
std::string CheckLineReader(std::string_view text, const char* name) {
  std::vector<std::string_view> lines = SplitLines(text);
  // The limits and the cut come from the input's last byte, so that the
  // fuzzer can steer them.
  uint8_t knob = text.empty() ? 0 : static_cast<uint8_t>(text.back());
  Limits limits = (knob & 1) ? TinyLimits() : Limits{};
  ReaderResult whole = RunReader<Reader>(lines, limits);
  size_t cut = lines.empty() ? 0 : (knob >> 1) % lines.size();
  std::vector<std::string_view> head(lines.begin(), lines.begin() + static_cast<ptrdiff_t>(cut));
  ReaderResult part = RunReader<Reader>(head, limits);
  if (part.goroutines > whole.goroutines)
    return std::string(name) + ": the first " + std::to_string(cut) + " lines yield " +
           std::to_string(part.goroutines) + " goroutines, all " + std::to_string(lines.size()) +
           " only " + std::to_string(whole.goroutines);
  if (part.incidents > whole.incidents && !(knob & 1))
    return std::string(name) + ": the first " + std::to_string(cut) + " lines yield " +
           std::to_string(part.incidents) + " incidents, all of them only " +
           std::to_string(whole.incidents);
  if (part.out->pods.size() > whole.out->pods.size())
    return std::string(name) + ": a prefix yields more pods than the whole input";
  for (const Incident& inc : whole.out->incidents) {
    if (inc.first_line > inc.last_line && inc.last_line != 0)
      return std::string(name) + ": an incident ends before it starts";
    if (inc.last_line > lines.size())
      return std::string(name) + ": an incident ends after the last input line";
  }
  return "";
}

// Grammar ///////////////////////////////////////////////////////////////////

inline std::string CheckGrammarLine(std::string_view line) {
  GoroutineHeader slow, fast;
  bool s = ParseGoroutineHeader(line, &slow);
  if (s && (!Inside(slow.state, line) || !Inside(slow.labels, line)))
    return "goroutine header: a view outside the line";
  if (FastGoroutineHeader(line, &fast)) {
    if (!s) return "goroutine header: the fast test accepts what the full parser rejects";
    if (fast.id != slow.id || fast.state != slow.state || fast.wait_minutes != slow.wait_minutes ||
        fast.locked_to_thread != slow.locked_to_thread || fast.leaked != slow.leaked ||
        fast.durable != slow.durable || fast.scan != slow.scan || fast.count != slow.count ||
        fast.synctest_bubble != slow.synctest_bubble || fast.labels != slow.labels ||
        fast.label_form != slow.label_form)
      return "goroutine header: the fast test and the full parser disagree";
  }
  if (s && slow.label_form != LabelForm::kNone) {
    std::vector<Label> labels;
    bool cut = false;
    ParseLabelList(slow.labels, slow.label_form, &labels, 4, 64, &cut);
    if (labels.size() > 4) return "label list: more pairs kept than allowed";
  }

  FuncLine fs, ff;
  bool fsok = ParseFuncLine(line, &fs);
  if (fsok && (!Inside(fs.function, line) || !Inside(fs.args, line)))
    return "function line: a view outside the line";
  if (FastFuncLine(line, &ff)) {
    if (!fsok) return "function line: the fast test accepts what the full parser rejects";
    if (ff.function != fs.function || ff.args != fs.args || ff.inlined != fs.inlined)
      return "function line: the fast test and the full parser disagree";
  }

  FileLine ls;
  bool lsok = ParseFileLine(line, &ls);
  if (lsok && !Inside(ls.file, line)) return "file line: a view outside the line";
  FastFile lf;
  if (FastFileLine(line, &lf)) {
    if (!lsok) return "file line: the fast test accepts what the full parser rejects";
    FileLine v = FastFileValues(lf);
    if (v.file != ls.file || v.line != ls.line || v.has_offset != ls.has_offset ||
        (v.has_offset && v.offset != ls.offset))
      return "file line: the fast test and the full parser disagree";
  }

  std::string_view cf, ff2;
  int64_t cp = -1, fp = -1;
  bool csok = ParseCreatedBy(line, &cf, &cp);
  bool in_goroutine = false;
  if (FastCreatedBy(line, &ff2, &fp, &in_goroutine)) {
    if (!csok) return "created by: the fast test accepts what the full parser rejects";
    if (ff2 != cf || fp != cp) return "created by: the fast test and the full parser disagree";
  }
  if (csok && !Inside(cf, line)) return "created by: a view outside the line";

  int elided = 0;
  if (ParseElided(line, &elided) && elided < 0) return "elided: a negative count";
  std::string_view pkg = PackageOf(line);
  if (!Inside(pkg, line)) return "PackageOf: a view outside the line";

  // Label lists and quoted strings, on the line itself.
  for (LabelForm form : {LabelForm::kBraces, LabelForm::kInside, LabelForm::kPprof}) {
    size_t end = ScanLabelList(line, form);
    if (end != std::string_view::npos && end >= line.size())
      return "ScanLabelList: an end outside the line";
    std::vector<Label> labels;
    ParseLabelList(line, form, &labels, 8, 256);
    if (labels.size() > 8) return "ParseLabelList: more pairs kept than allowed";
  }
  std::string unq;
  UnquoteGo(line, &unq);
  return "";
}

inline std::string CheckGrammar(std::string_view text) {
  for (std::string_view line : SplitLines(text)) {
    std::string e = CheckGrammarLine(line);
    if (!e.empty()) return e;
  }
  return "";
}

// Envelopes and prefix learning /////////////////////////////////////////////

/// Keeps a copy of every line it is given.
struct RecordingSink : LineSink {
  struct Out {
    std::string text, timestamp, stream;
    size_t lineno;
    bool unterminated, cut;
  };
  std::vector<Out> lines;
  bool ended = false;
  void OnLine(const Line& l) override {
    lines.push_back({std::string(l.text), std::string(l.timestamp), std::string(l.stream), l.lineno,
                     l.unterminated, l.cut});
  }
  void OnEnd() override { ended = true; }
};

inline std::string CheckEnvelopes(std::string_view text) {
  std::vector<std::string_view> lines = SplitLines(text);
  RecordingSink sink;
  {
    EnvelopeUnwrapper env(&sink);
    size_t n = 0;
    for (std::string_view l : lines) {
      ++n;
      env.Feed(l, n, n == lines.size() && !text.empty() && text.back() != '\n', false);
    }
    env.End();
  }
  if (!sink.ended) return "envelopes: OnEnd not called";
  // Line numbers name input lines. They need not be in order: a record
  // joined from partial pieces (CRI `P`, docker without `\n`) is passed on
  // when complete, with its first piece's number, after the lines of the
  // other stream (or without an envelope) that came between.
  for (const auto& o : sink.lines)
    if (o.lineno == 0 || o.lineno > lines.size()) return "envelopes: a line number past the input";
  // Per line: peeled views inside the line, and PassesUnchanged's promise.
  size_t checked = 0;
  for (std::string_view l : lines) {
    std::string_view rest = l, ts, stream;
    bool partial = false;
    int layers = PeelPrefixes(&rest, &ts, &stream, &partial);
    if (layers < 0) return "PeelPrefixes: a negative layer count";
    if (!Inside(rest, l) || !Inside(ts, l)) return "PeelPrefixes: a view outside the line";
    if (!stream.empty() && stream != "stdout" && stream != "stderr" && !Inside(stream, l))
      return "PeelPrefixes: a stream outside the line";
    if (checked < 16 && EnvelopeUnwrapper::PassesUnchanged(l)) {
      ++checked;
      RecordingSink one;
      EnvelopeUnwrapper env(&one);
      env.Feed(l, 1, false, false);
      env.End();
      if (one.lines.size() != 1 || one.lines[0].text != l)
        return "envelopes: a line PassesUnchanged accepts was changed";
    }
  }
  return "";
}

inline std::string CheckPrefixLearning(std::string_view text) {
  std::vector<std::string_view> lines = SplitLines(text);
  RecordingSink sink;
  PrefixLearner learner;
  size_t n = 0;
  for (std::string_view l : lines) {
    Line line;
    line.text = l;
    line.lineno = ++n;
    learner.Process(line, &sink);
    if (!learner.prefix().empty() && learner.prefix().size() > 4096)
      return "prefix: a learned prefix longer than any line";
  }
  learner.Flush(&sink);
  if (sink.lines.size() != lines.size())
    return "prefix: " + std::to_string(lines.size()) + " lines in, " +
           std::to_string(sink.lines.size()) + " out";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (sink.lines[i].lineno != i + 1) return "prefix: lines out of order";
    if (sink.lines[i].text.size() > lines[i].size() + 64)
      return "prefix: a line grew by more than a repair adds";
  }
  size_t checked = 0;
  for (std::string_view l : lines) {
    bool strong = false;
    size_t m = FindGoMarker(l, &strong);
    if (m != std::string_view::npos && (m == 0 || m >= l.size()))
      return "FindGoMarker: an offset outside the line";
    if (m != std::string_view::npos) {
      size_t c = CarriesPrefix(l, l.substr(0, m));
      if (c > l.size()) return "CarriesPrefix: a length past the line";
    }
    if (checked < 16 && !NeedsPrefixWork(l)) {
      ++checked;
      RecordingSink one;
      PrefixLearner fresh;
      Line line;
      line.text = l;
      line.lineno = 1;
      fresh.Process(line, &one);
      if (one.lines.size() != 1 || one.lines[0].text != l)
        return "prefix: a line NeedsPrefixWork calls plain was changed or held";
    }
  }
  return "";
}

// Readers ///////////////////////////////////////////////////////////////////

inline std::string CheckTraceback(std::string_view t) { return CheckLineReader<TracebackParser>(t, "traceback"); }
inline std::string CheckDebug1(std::string_view t) { return CheckLineReader<PprofDebug1Parser>(t, "debug=1"); }
inline std::string CheckRace(std::string_view t) { return CheckLineReader<RaceParser>(t, "race"); }
inline std::string CheckGoleak(std::string_view t) { return CheckLineReader<GoleakParser>(t, "goleak"); }
inline std::string CheckDelve(std::string_view t) { return CheckLineReader<DelveParser>(t, "delve"); }

/// A service's last words: fatal-level log records and the kernel OOM
/// killer's lines. Each reader holds the prefix invariant; a record read
/// from a line names what the line holds (its message is in the line, its
/// pid is the line's number).
inline std::string CheckLastWords(std::string_view text) {
  for (std::string_view l : SplitLines(text)) {
    FatalRecord r;
    if (ReadFatalRecord(l, &r) && r.format.empty()) return "fatal record: a record without its form";
    KernelOomKill k;
    if (ReadOomKillLine(l, &k)) {
      if (k.process.empty()) return "kernel OOM: a kill without the process's name";
      if (l.find("(" + k.process + ")") == std::string_view::npos) return "kernel OOM: a name not in the line";
      if (k.cgroup && k.node) return "kernel OOM: both a cgroup's limit and the node's memory";
    }
  }
  std::string e = CheckLineReader<FatalRecordParser>(text, "fatal record");
  if (!e.empty()) return e;
  return CheckLineReader<KernelOomParser>(text, "kernel OOM");
}

inline std::string CheckDescribe(std::string_view text) {
  std::string e = CheckLineReader<DescribeParser>(text, "describe");
  if (!e.empty()) return e;
  for (bool yaml : {false, true}) {
    std::vector<PodStatus> pods;
    ParsePodDocument(text, yaml, &pods);
    for (PodStatus& p : pods)
      for (ContainerStatus& c : p.containers) ComputeUptime(&c);
  }
  for (std::string_view l : SplitLines(text)) {
    int64_t epoch = 0;
    ParseK8sTime(l, &epoch);
    size_t colon = l.find(':');
    if (colon != std::string_view::npos) ParseK8sTime(Trim(l.substr(colon + 1)), &epoch);
  }
  return "";
}

/// The line accounting of a whole parse: `lines`, `lines_in_traces` and
/// `lines_unplaced` each count input lines, not the lines an envelope
/// unfolded from one (a log record with `\n` escapes), and an unplaced line
/// is one inside a trace. What `--stats` and the partial-input notes quote.
inline std::string CheckLineCounts(const ParsedInput& in) {
  if (in.lines_in_traces > in.lines)
    return "lines: " + std::to_string(in.lines_in_traces) + " in traces of " + std::to_string(in.lines);
  if (in.lines_unplaced > in.lines_in_traces)
    return "lines: " + std::to_string(in.lines_unplaced) + " unplaced of " + std::to_string(in.lines_in_traces) +
           " in traces";
  return "";
}

inline std::string CheckGcTrace(std::string_view text) {
  for (std::string_view l : SplitLines(text)) {
    GcCycle c;
    if (ParseGcTraceLine(l, &c) && c.number < 0) return "gctrace: a negative cycle number";
  }
  std::string e = CheckLineReader<GcTraceParser>(text, "gctrace");
  if (!e.empty()) return e;
  return CheckLineReader<HeapTextParser>(text, "heap profile text");
}

}  // namespace gotriage::check

#endif  // GOTRIAGE_TESTS_SUPPORT_READER_CHECK_H_
