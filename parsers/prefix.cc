// Markers anywhere in a line, learned prefixes, TTY garbage and paste
// repairs; see prefix.h.
//
// Over 600 lines: PrefixLearner (Process and the lines it holds back until
// a prefix is confirmed) and the line tests it asks before learning or
// peeling (where a Go marker starts, paste markup, autolinks, damaged
// debug=1 frames). The tests are small and answer only PrefixLearner;
// split off they would be a second file of helpers with one caller.
#include "parsers/prefix.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "base/chars.h"
#include "parsers/goleak.h"
#include "parsers/grammar.h"

namespace gotriage {

namespace {

bool EndsAt(std::string_view s, size_t end, std::string_view word, size_t* start) {
  // (The last byte first: most candidates differ there.)
  if (end < word.size() || s[end - 1] != word.back() || s.substr(end - word.size(), word.size()) != word)
    return false;
  *start = end - word.size();
  return true;
}

// `goroutine 12 [chan send, 3 minutes]:` ending at \a colon (the `:` after
// `]`, nothing but spaces after it); sets \a start.
bool HeaderEndingAt(std::string_view s, size_t colon, size_t* start) {
  for (size_t i = colon + 1; i < s.size(); ++i)
    if (s[i] != ' ' && s[i] != '\t') return false;
  size_t g = s.substr(0, colon).rfind("goroutine ");
  if (g == std::string_view::npos) return false;
  size_t i = g + 10;
  size_t d = i;
  while (i < colon && IsDigit(s[i])) ++i;
  if (i == d || i + 1 >= colon || s[i] != ' ' || s[i + 1] != '[') return false;
  *start = g;
  return true;
}

// A crash continues on \a t (the line after a weak marker, its prefix
// peeled): what the runtime prints after `panic: ` / `fatal error: `.
// \a after_blank: a blank line came between (the runtime prints one before
// the first goroutine; a logged `panic: %v\n%s` of debug.Stack does not).
bool ContinuesCrash(std::string_view t, bool after_blank) {
  if (StartsWith(t, "goroutine ") && t.size() > 10 && IsDigit(t[10])) return after_blank;
  return StartsWith(t, "[signal ") || StartsWith(t, "\tpanic: ") || StartsWith(t, "panic: ") ||
         StartsWith(t, "fatal error: ") || StartsWith(t, "runtime stack:") ||
         StartsWith(t, "running tests:") || StartsWith(t, "[recovered") ||
         StartsWith(t, "unexpected fault address ") || StartsWith(t, "\t[recovered") ||
         (after_blank && StartsWith(t, "runtime: "));
}

// True when the marker line \a m (`panic: ...` / `fatal error: ...`) says
// what only the Go runtime (or package sync) says there: a crash even with
// no traceback after it (a log collector that kept one line of it, a
// GOTRACEBACK=none process).
bool RuntimeWording(std::string_view m) {
  std::string_view msg;
  if (StartsWith(m, "fatal error: ")) {
    msg = m.substr(13);
    // The runtime's throw() and fatal() messages.
    for (std::string_view w : {"concurrent map ", "sync: ", "all goroutines are asleep",
                               "no goroutines (main called runtime.Goexit)", "out of memory", "runtime: ",
                               "stack overflow", "unexpected signal during runtime execution",
                               "unexpected fault address ", "fault", "morestack on g0", "checkptr: ",
                               "found bad pointer in Go heap", "invalid pointer found on stack",
                               "racy use of timers", "malloc deadlock"})
      if (StartsWith(msg, w)) return true;
    return false;
  }
  if (!StartsWith(m, "panic: ")) return false;
  msg = m.substr(7);
  for (std::string_view w : {"runtime error: ", "assignment to entry in nil map", "send on closed channel",
                             "close of closed channel", "close of nil channel", "sync: ",
                             "test timed out after "})  // the testing package's alarm
    if (StartsWith(msg, w)) return true;
  return false;
}

// True when \a s is only what a paste adds in front of a line (inline-code
// backticks, markdown quote and emphasis marks, spaces): no logger's prefix.
bool IsPasteMarkup(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c != '`' && c != '>' && c != '*' && c != ' ' && c != '\t') return false;
  return true;
}

// \a s without the paste markup (indent, quote, backticks, emphasis) in
// front of it.
std::string_view TrimPasteMarkup(std::string_view s) {
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '>' || s[0] == '`' || s[0] == '*')) s.remove_prefix(1);
  return s;
}

// The longest prefix learned (what a line carries before its marker).
constexpr size_t kMaxPrefix = 1024;

bool AllTabs(std::string_view s) {
  for (char c : s)
    if (c != '\t') return false;
  return true;
}

// True when \a s ends with an ANSI CSI sequence (`ESC [ 0 ; 31 m`): TTY
// colour before a marker.
bool EndsWithCsi(std::string_view s) {
  if (s.empty() || !(s.back() >= 0x40 && s.back() <= 0x7e)) return false;
  size_t i = s.size() - 1;
  while (i > 0 && i + 16 > s.size()) {
    --i;
    char c = s[i];
    if (c == '[') return i > 0 && s[i - 1] == '\x1b';
    if (!IsDigit(c) && c != ';' && c != '?') return false;
  }
  return false;
}

// A pprof debug=1 frame line as pasted: `#\t0x4a5b3c\tmain.f+0x1c\t/x/y.go:12`
// with its `#` eaten by markdown, or its tabs turned into spaces (or both).
// Writes the runtime's form into \a out; false when \a s is no such line
// or is already in that form.
bool RepairDebug1Frame(std::string_view s, std::string* out) {
  size_t i = 0;
  bool hash = false;
  if (!s.empty() && s[0] == '#') hash = true, i = 1;
  size_t ws = i;
  // As far into the indent as LooksLikeDamagedDebug1 looks (16): a line
  // NeedsPrefixWork passes as plain must come out unchanged.
  while (i < s.size() && i < ws + 16 && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i + 2 >= s.size() || s[i] != '0' || s[i + 1] != 'x') return false;
  bool canonical = hash && i == ws + 1 && s[ws] == '\t';
  size_t a = i;
  i += 2;
  while (i < s.size() && IsHex(s[i])) ++i;
  if (i == a + 2) return false;
  std::string_view addr = s.substr(a, i - a);
  std::string_view fields[2];
  for (auto& f : fields) {
    size_t w = i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i == w) return false;
    size_t b = i;
    // A file path may hold spaces (Windows); it is the last field.
    if (&f == &fields[1]) {
      f = TrimRight(s.substr(b));
      i = s.size();
    } else {
      while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
      f = s.substr(b, i - b);
    }
    if (f.empty()) return false;
  }
  if (canonical) {
    // `#\t0x..\tfunc+0x..\tfile` already: tabs between the fields too?
    size_t t1 = s.find('\t', ws + 1);
    if (t1 != std::string_view::npos && s.find('\t', t1 + 1) != std::string_view::npos) return false;
  }
  // A frame: `pkg.func+0x1c` then `file.go:12` (or `.s:`).
  std::string_view fn = fields[0], file = fields[1];
  size_t plus = fn.rfind("+0x");
  if (plus == std::string_view::npos || fn.find('.') == std::string_view::npos) return false;
  size_t colon = file.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= file.size() || !IsDigit(file[colon + 1])) return false;
  if (!hash && s[0] != '\t' && s[0] != ' ' && s[0] != '0') return false;
  out->assign("#\t");
  out->append(addr);
  out->push_back('\t');
  out->append(fn);
  out->push_back('\t');
  out->append(file);
  return true;
}

bool LooksLikeDamagedDebug1(std::string_view s) {
  size_t i = 0;
  if (!s.empty() && s[0] == '#') i = 1;
  size_t ws = i;
  while (i < s.size() && i < ws + 16 && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i + 1 >= s.size() || s[i] != '0' || s[i + 1] != 'x') return false;
  // The canonical `#\t0x` is handled by the debug=1 parser as it is.
  return !(i == 2 && s[0] == '#' && s[1] == '\t' && s.find('\t', 3) != std::string_view::npos &&
           s.find('\t', s.find('\t', 3) + 1) != std::string_view::npos);
}

// The length of a longer prefix of \a text that ends the way \a shape
// does (\a shape was learned from a first line cut inside its prefix), or 0.
size_t SuffixCarry(std::string_view text, std::string_view shape) {
  if (shape.size() < 3) return 0;
  size_t limit = std::min<size_t>(text.size(), shape.size() + 96);
  for (size_t at = 1; at < limit; ++at) {
    if (size_t n = CarriesPrefix(text.substr(at), shape)) return at + n;
  }
  return 0;
}

// The length of the start of \a first (the input's first line, where no
// envelope was found) shaped like the end of the envelope that the envelope
// layer peeled from \a next (the second line), or 0: the first line was
// cut inside that envelope (`26:10.000Z Jun 26 07:10:21 node kubelet[7]: `
// before `2026-03-14T09:26:10.001Z Jun 26 07:10:21 node kubelet[7]: ...`),
// where no envelope parser can know it. The longest such end wins; it must
// leave some text and be 3 bytes or more.
size_t CutEnvelope(std::string_view first, const Line& next) {
  if (next.raw.empty()) return 0;
  size_t envelope = static_cast<size_t>(next.text.data() - next.raw.data());
  std::string_view env = next.raw.substr(0, envelope);
  for (size_t at = 1; at + 3 <= env.size(); ++at) {
    size_t n = CarriesPrefix(first, env.substr(at));
    if (n >= 3 && n < first.size()) return n;
  }
  return 0;
}

// The indent of \a first (the input's first line) when it is 4 spaces or
// more and \a second starts with it too: a paste's code-block indent.
// 0 otherwise.
size_t CodeIndent(std::string_view first, std::string_view second) {
  size_t k = first.find_first_not_of(' ');
  if (k == std::string_view::npos || k < 4 || k > 16) return 0;
  // (A blank second line that kept the indent carries it too.)
  if (second.size() < k || second.find_first_not_of(' ') < k) return 0;
  return k;
}

}  // namespace

bool IsCodeFence(std::string_view s) {
  s = Trim(s);
  if (s.size() < 3 || !(StartsWith(s, "```") || StartsWith(s, "~~~"))) return false;
  size_t i = s.find_first_not_of(s[0]);
  for (; i < s.size(); ++i) {
    if (!(IsAlnum(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '+')) return false;  // ```go, ```console
  }
  return true;
}

bool MayHoldAutolink(std::string_view s) {
  const char* d = s.data();
  const char* end = d + s.size();
  while ((d = static_cast<const char*>(std::memchr(d, ']', static_cast<size_t>(end - d))))) {
    ++d;
    if (end - d >= 5 && std::memcmp(d, "(http", 5) == 0) return true;
  }
  return false;
}

bool UndoAutolinks(std::string_view s, std::string* out) {
  out->clear();
  size_t done = 0;  // s[0, done) is in *out
  for (size_t p = s.find("](http"); p != std::string_view::npos; p = s.find("](http", std::max(p + 1, done))) {
    size_t u = p + 2;
    std::string_view url = s.substr(u);
    size_t scheme = url.starts_with("http://") ? 7 : url.starts_with("https://") ? 8 : 0;
    if (scheme == 0) continue;
    url.remove_prefix(scheme);
    // The link's text: from the nearest `[` before it whose text the target
    // repeats (the text may hold brackets of its own: `(*C[...]).M`).
    for (size_t b = p; b-- > done && p - b <= 1024;) {
      if (s[b] != '[') continue;
      std::string_view text = s.substr(b + 1, p - b - 1);
      if (text.empty() || !url.starts_with(text) || url.size() <= text.size() || url[text.size()] != ')') continue;
      out->append(s.substr(done, b - done));
      out->append(text);
      done = u + scheme + text.size() + 1;
      break;
    }
  }
  if (done == 0) return false;
  out->append(s.substr(done));
  return true;
}

size_t QuoteMarkup(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] == '>' && i < 16) {
    ++i;
    if (i < s.size() && s[i] == ' ') ++i;
    else if (i < s.size() && s[i] != '>') return 0;  // `>>=`, `->`: no quote
  }
  return i;
}

namespace {
// The last byte of every marker GoMarkerEndingAt knows.
inline bool MayEndGoMarker(char c) {
  return c == 'c' || c == 'r' || c == 'e' || c == 's' || c == ']' || (c >= 'A' && c <= 'Z');
}
}  // namespace

bool GoMarkerEndingAt(std::string_view s, size_t i, size_t* start, bool* strong) {
  // Most colons (a file line's `x.go:12`, a log's `key: value`) end none.
  if (i == 0 || !MayEndGoMarker(s[i - 1])) return false;
  *strong = false;
  bool space_after = i + 1 < s.size() && s[i + 1] == ' ';
  if (space_after && (EndsAt(s, i, "panic", start) || EndsAt(s, i, "fatal error", start))) return true;
  *strong = true;
  if (space_after && i >= 7 && s.substr(i - 7, 3) == "SIG" && IsUpper(s[i - 4]) && IsUpper(s[i - 3]) &&
      IsUpper(s[i - 1]) && !(i >= 15 && s.substr(i - 15, 8) == "[signal ")) {
    // `SIGQUIT: quit` (not the runtime's own `[signal SIGSEGV: ...]`).
    *start = i - 7;
    return true;
  }
  // Each of these is tried only after its last letter: a colon of a
  // `file.go:12` (every frame line of a debug=1 profile) ends none.
  if (s[i - 1] == 'G') return EndsAt(s, i, "WARNING", start) && s.substr(i, 11) == ": DATA RACE";
  if (s[i - 1] == 'e')
    return s.substr(i, 8) == ": total " &&
           (EndsAt(s, i, "goroutine profile", start) || EndsAt(s, i, "goroutineleak profile", start));
  if (s[i - 1] == 's' && EndsAt(s, i, "found unexpected goroutines", start)) {
    // goleak.VerifyTestMain's own lead-in is the headline's, not a prefix.
    if (s.substr(0, *start).ends_with(kGoleakTestMainLeadIn)) *start -= kGoleakTestMainLeadIn.size();
    return true;
  }
  return s[i - 1] == ']' && HeaderEndingAt(s, i, start);
}

size_t FindGoMarker(std::string_view s, bool* strong) {
  size_t pos = 0;
  const char* d = s.data();
  while (pos < s.size()) {
    const void* p = std::memchr(d + pos, ':', s.size() - pos);
    if (!p) return std::string_view::npos;
    size_t i = static_cast<size_t>(static_cast<const char*>(p) - d);
    pos = i + 1;
    size_t start = 0;
    bool is_strong = false;
    bool found = GoMarkerEndingAt(s, i, &start, &is_strong);
    if (!found) continue;
    if (start == 0) return std::string_view::npos;  // nothing before it
    // The runtime's own signal line with the first goroutine's header glued
    // to it (a paste lost the newlines): the traceback parser splits it.
    if (StartsWith(s, "[signal ") && s.back() == ':') return std::string_view::npos;
    // A line the runtime prints as a frame's function line holds no marker,
    // whatever its arguments spell: the fast lane (grammar.h) takes such a
    // line as a frame without this layer, and the two must agree.
    if (FuncLine fl; FastFuncLine(s, &fl)) return std::string_view::npos;
    char before = s[start - 1];
    if ((IsAlnum(before) || before == '_' || before == '.' || before == '/') &&
        !EndsWithCsi(s.substr(0, start)))
      continue;
    *strong = is_strong;
    return start;
  }
  return std::string_view::npos;
}

bool NeedsPrefixWork(std::string_view line) {
  if (line.empty()) return false;
  if ((line[0] == '.' || line[0] == '-' || line[0] == '[' || line[0] == '<' || line[0] == '(' ||
       line[0] == ' ' || line[0] == '\t' || line[0] == 's' || static_cast<unsigned char>(line[0]) == 0xe2) &&
      IsElisionMark(line))  // cheap: trims, then rejects more than 16 bytes
    return true;
  if ((line[0] == '#' || line[0] == '\t' || line[0] == ' ' || line[0] == '0') &&
      LooksLikeDamagedDebug1(line))
    return true;
  if (line[0] == '\t') return false;
  if (line[0] == '>' && QuoteMarkup(line)) return true;
  bool strong;
  return FindGoMarker(line, &strong) != std::string_view::npos;
}

size_t CarriesPrefix(std::string_view line, std::string_view shape) {
  size_t i = 0, j = 0;
  while (i < shape.size()) {
    if (j >= line.size()) return 0;
    if (IsDigit(shape[i])) {
      if (!IsDigit(line[j])) return 0;
      while (i < shape.size() && IsDigit(shape[i])) ++i;
      while (j < line.size() && IsDigit(line[j])) ++j;
      continue;
    }
    if (shape[i] != line[j]) return 0;
    ++i, ++j;
  }
  return j;
}

bool PrefixLearner::Peel(std::string_view* text) {
  if (PeelShape(text, prefix_)) return true;
  // The markup a longer prefix was learned inside (a quote before a test
  // log's `    file_test.go:31: `): the lines after it carry only that.
  return !outer_.empty() && PeelShape(text, outer_);
}

bool PrefixLearner::PeelShape(std::string_view* text, std::string_view shape) {
  if (size_t n = CarriesPrefix(*text, shape)) {
    text->remove_prefix(n);
    return true;
  }
  // The prefix's trailing space, trimmed by an editor at the end of a line
  // or swallowed by the tab of a file line.
  std::string_view core = TrimRight(shape);
  if (core.size() == shape.size() || core.empty()) return false;
  size_t n = CarriesPrefix(*text, core);
  if (n && (n == text->size() || (*text)[n] == '\t')) {
    text->remove_prefix(n);
    return true;
  }
  return false;
}

void PrefixLearner::PeelOrRelearn(std::string_view* text) {
  if (Peel(text)) {
    ++peeled_;
    misses_ = 0;
    cut_candidate_ = false;
  } else if (size_t n = cut_candidate_ ? SuffixCarry(*text, prefix_) : 0) {
    // The first line was cut inside its prefix: the first line that ends
    // a longer prefix the same way teaches the whole of it.
    Learn(text->substr(0, n), false);
    text->remove_prefix(n);
    ++peeled_;
  } else if (++misses_ > 64) {
    prefix_.clear();
    outer_.clear();
  }
}

void PrefixLearner::Learn(std::string_view prefix, bool first_line) {
  // Markdown emphasis (`**goroutine profile: ...`) opens on the marker's
  // line only: the lines after it carry the markup before it (an indent, a
  // `> ` quote), not the `*`s.
  if (IsPasteMarkup(prefix)) {
    while (!prefix.empty() && prefix.back() == '*') prefix.remove_suffix(1);
  }
  if (prefix.size() > kMaxPrefix) prefix = {};  // no logger's (see Process)
  // A prefix learned inside the one before (a marker after a quote's own
  // text) keeps that one as its outer layer; any other replaces both.
  if (!prefix_.empty() && prefix.size() > prefix_.size() && IsPasteMarkup(prefix_) &&
      CarriesPrefix(prefix, prefix_) != 0)
    outer_ = prefix_;
  else
    outer_.clear();
  prefix_.assign(prefix);
  cut_candidate_ = first_line;
  misses_ = 0;
}

PrefixLearner::Held PrefixLearner::Held::Of(const Line& line, std::string_view text) {
  Held h;
  h.text.assign(text);
  h.timestamp.assign(line.timestamp);
  h.stream.assign(line.stream);
  h.test_package.assign(line.test_package);
  h.lineno = line.lineno;
  h.unterminated = line.unterminated;
  h.cut = line.cut;
  if (line.logged) h.logged = *line.logged;
  return h;
}

Line PrefixLearner::Held::AsLine() const {
  Line l;
  l.text = text;
  l.lineno = lineno;
  l.timestamp = timestamp;
  l.stream = stream;
  l.test_package = test_package;
  l.unterminated = unterminated;
  l.cut = cut;
  l.logged = logged ? &*logged : nullptr;
  return l;
}

void PrefixLearner::Hold(const Line& line, std::string_view text) { held_.push_back(Held::Of(line, text)); }

void PrefixLearner::Release(LineSink* sink, bool confirmed) {
  std::vector<Held> held = std::move(held_);
  held_.clear();
  held_quote_ = false;
  if (confirmed) Learn(candidate_, held[0].lineno == 1);
  for (size_t k = 0; k < held.size(); ++k) {
    Line l = held[k].AsLine();
    std::string_view t = held[k].text;
    if (confirmed) {
      if (k == 0) {
        t.remove_prefix(held_marker_);
        ++peeled_;
      } else {
        PeelOrRelearn(&t);
      }
    }
    Emit(l, t, sink);
  }
}

void PrefixLearner::Emit(const Line& line, std::string_view text, LineSink* sink) {
  Line out = line;
  out.text = text;
  // A person's own elision mark between two records (after a blank line):
  // a record boundary, as the blank line around it. Inside a record it is
  // left to the parser, which counts it as a line it did not understand.
  bool blank = Trim(text).empty();
  if (!blank && after_blank_ && IsElisionMark(text)) {
    ++elisions_;
    out.text = {};
    blank = true;
  }
  after_blank_ = blank;
  if (!text.empty() && (text[0] == '#' || text[0] == '\t' || text[0] == ' ' || text[0] == '0') &&
      RepairDebug1Frame(text, &repair_)) {
    out.text = repair_;
  }
  // Line::raw only where the text is still a part of it (not a repair).
  if (!ViewWithin(out.text, out.raw)) out.raw = {};
  sink->OnLine(out);
}

void PrefixLearner::Process(const Line& line, LineSink* sink) {
  if (first_pending_) {
    // The second line tells whether the first was cut inside its envelope.
    first_pending_ = false;
    Held f = std::move(first_);
    Line l = f.AsLine();
    if (size_t n = CutEnvelope(l.text, line)) {
      l.text.remove_prefix(n);
      ++peeled_;
    } else if (size_t k = CodeIndent(l.text, line.text)) {
      // A markdown code block (or a mail's indent): every line of the
      // paste behind the same 4 spaces or more, marker or not.
      Learn(l.text.substr(0, k), false);
    }
    ProcessLine(l, sink);
  } else if ((line.lineno == 1 || blank_start_) && prefix_.empty() && held_.empty()) {
    // The input's first line that says something, with no envelope (which
    // the fast lane never takes): held for the second line's (CutEnvelope,
    // CodeIndent). Blank lines before it (a paste that opens with one, under
    // a code block's indent) pass on.
    blank_start_ = Trim(line.text).empty();
    if (!blank_start_ && line.raw.data() == line.text.data()) {
      first_pending_ = true;
      first_ = Held::Of(line, line.text);
      return;
    }
  } else {
    blank_start_ = false;
  }
  ProcessLine(line, sink);
}

void PrefixLearner::ProcessLine(const Line& line, LineSink* sink) {
  std::string_view text = line.text;
  if (!held_.empty()) {
    std::string_view t = text;
    bool carried = true;
    if (size_t n = CarriesPrefix(t, candidate_)) t.remove_prefix(n);
    else if (size_t m = held_[0].lineno == 1 ? SuffixCarry(t, candidate_) : 0) t.remove_prefix(m);
    else if (std::string_view c = TrimRight(candidate_); !c.empty() && CarriesPrefix(t, c) == t.size())
      t = {};
    else
      carried = false;
    if (Trim(t).empty() && held_.size() < 4) {
      Hold(line, text);
      return;
    }
    // The blank line the runtime prints before the first goroutine is what
    // tells a crash from a logged `panic: %v\n%s` of debug.Stack, whose
    // stack follows the logger's prefix bare. Pastes lose that blank line;
    // the goroutine header still belongs to the crash when it carries the
    // same prefix (the whole stream is prefixed, not one logged message),
    // or when the prefix is only markup a paste adds (an inline-code
    // backtick, a markdown quote or bullet), which no logger writes.
    bool same_stream = held_.size() == 1 && (carried || IsPasteMarkup(candidate_));
    bool marker_strong = false;
    bool confirmed = held_quote_ ? carried : ContinuesCrash(t, held_.size() > 1 || same_stream) ||
                     (held_.size() > 1 && FindGoMarker(t, &marker_strong) != std::string_view::npos &&
                      marker_strong) ||
                     // A lone line in the runtime's words; one followed by a
                     // stack without the blank line is a logged panic.
                     (!StartsWith(TrimPasteMarkup(t), "goroutine ") &&
                      RuntimeWording(std::string_view(held_[0].text).substr(held_marker_)));
    Release(sink, confirmed);
  }
  if (!prefix_.empty()) PeelOrRelearn(&text);
  if (!text.empty() && text[0] != '\t') {
    bool strong = false;
    size_t k = FindGoMarker(text, &strong);
    size_t q = 0;
    if (k == std::string_view::npos && prefix_.empty() && text[0] == '>' && (q = QuoteMarkup(text)) != 0) {
      // A markdown quote (`> ` before every line of a block) around text
      // with no Go marker in it: a pod's description, a profile's frames.
      // No logger writes it, but a debugger's stop line does (delve's
      // `> main.main() ./main.go:12 ...`): the quote is learned only when
      // the next non-blank line is quoted too.
      candidate_.assign(text.substr(0, q));
      held_marker_ = q;
      held_quote_ = true;
      Hold(line, text);
      return;
    }
    size_t quote = k == std::string_view::npos ? 0 : QuoteMarkup(text.substr(0, k));
    if (k != std::string_view::npos && IsCodeFence(text.substr(quote, k - quote))) {
      // A markdown fence glued to the marker (```` ```goroutine 887 [...]: ````):
      // markup of this line only, not a prefix the next lines carry; a
      // quote before it is one.
      if (quote > 0 && prefix_.empty())
        Learn(line.text.substr(0, static_cast<size_t>(text.data() - line.text.data()) + quote), line.lineno == 1);
      text.remove_prefix(k);
      ++peeled_;
    } else if (k != std::string_view::npos && !AllTabs(text.substr(0, k))) {
      // Inside a learned prefix (a quote, then the indent of a quoted
      // block), the new prefix is both.
      std::string_view whole = line.text.substr(0, static_cast<size_t>(text.data() - line.text.data()) + k);
      if (whole.size() > kMaxPrefix) {
        // No logger writes a prefix this long: TTY garbage (a spinner
        // redrawn many times) before a marker, peeled from this line only.
        if (strong) {
          text.remove_prefix(k);
          ++peeled_;
        }
      } else if (strong) {
        Learn(whole, line.lineno == 1);
        text.remove_prefix(k);
        ++peeled_;
      } else {
        candidate_.assign(whole);
        held_marker_ = k;
        Hold(line, text);
        return;
      }
    }
  }
  Emit(line, text, sink);
}

void PrefixLearner::Flush(LineSink* sink) {
  if (first_pending_) {
    first_pending_ = false;
    Line l = first_.AsLine();
    ProcessLine(l, sink);
  }
  if (!held_.empty())
    Release(sink, !held_quote_ && RuntimeWording(std::string_view(held_[0].text).substr(held_marker_)));
}

}  // namespace gotriage
