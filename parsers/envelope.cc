// Log envelope removal; see envelope.h.
//
// Over 600 lines: the prefix forms (Peel and the checks before it) and
// EnvelopeUnwrapper, whose TakeRun lane re-does what FeedLine does for runs
// of lines of one form and must agree with it line for line (the fast-lane
// differential tests check that). What a structured-log record (JSON,
// logfmt) holds is read by log_record.cc.
#include "parsers/envelope.h"

#include <cstring>

#include <re2/re2.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>

#include "base/chars.h"
#include "base/strings.h"
#include "parsers/grammar.h"
#include "parsers/log_record.h"
#include "parsers/model.h"
#include "parsers/newlines.h"

namespace gotriage {

using nlohmann::json;
using log_record::ContainsPanic;
using log_record::FindRuntimeOutput;
using log_record::FindStack;
using log_record::HasEscapedNewline;
using log_record::LenientJsonStrings;
using log_record::ParseLogfmt;
using log_record::RecordMessage;
using log_record::RecordTime;
using log_record::StackAfterMessage;
using log_record::StringField;
using log_record::UnescapeStacks;

namespace {

bool Digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i)
    if (!IsDigit(s[i])) return false;
  return true;
}

// Length of an RFC 3339 timestamp at the start of \a s (`2024-12-25T08:44:16Z`,
// `...16.123456789+08:00`, `...16+0800`), or 0. The `T` is required: the
// `2024/12/25 08:44:16` of Go's log package is the application's own text.
[[gnu::always_inline]] inline size_t Rfc3339(std::string_view s) {
  if (s.size() < 19) return 0;
  // The fixed part in one expression without branches (`&`, not `&&`):
  // this runs on every line of `kubectl logs --timestamps` and CRI files.
  const char* p = s.data();
  auto d = [](char c) -> unsigned { return static_cast<unsigned char>(c - '0') < 10 ? 1 : 0; };
  auto is = [](char c, char want) -> unsigned { return c == want ? 1 : 0; };
  if ((d(p[0]) & d(p[1]) & d(p[2]) & d(p[3]) & is(p[4], '-') & d(p[5]) & d(p[6]) & is(p[7], '-') &
       d(p[8]) & d(p[9]) & is(p[10], 'T') & d(p[11]) & d(p[12]) & is(p[13], ':') & d(p[14]) &
       d(p[15]) & is(p[16], ':') & d(p[17]) & d(p[18])) == 0)
    return 0;
  size_t i = 19;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    size_t j = i + 1;
    while (j < s.size() && IsDigit(s[j])) ++j;
    if (j == i + 1) return 0;
    i = j;
  }
  if (i < s.size() && s[i] == 'Z') return i + 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    if (Digits(s, i + 1, 2) && i + 3 < s.size() && s[i + 3] == ':' && Digits(s, i + 4, 2))
      return i + 6;
    if (Digits(s, i + 1, 4)) return i + 5;
    return 0;
  }
  return i;
}

// `12:34:56` or `12:34:56.789` (Jenkins timestamper, CI runners), or 0.
size_t ClockTime(std::string_view s) {
  if (s.size() < 8 || !Digits(s, 0, 2) || s[2] != ':' || !Digits(s, 3, 2) || s[5] != ':' ||
      !Digits(s, 6, 2))
    return 0;
  size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    size_t j = i + 1;
    while (j < s.size() && j < i + 10 && IsDigit(s[j])) ++j;
    if (j == i + 1) return 0;
    i = j;
  }
  return i;
}

// `host tag[pid]: ` after a syslog timestamp; with \a need_pid (after an
// RFC 3339 stamp, where `fatal error: ` would otherwise pass) the `[pid]`
// is required. Returns the length or 0.
size_t SyslogHostTag(std::string_view s, bool need_pid) {
  // HOST: a host name or address (letters, digits, `-._`, and `:` of an
  // IPv6 address) up to a space. This runs on every line after a
  // timestamp, most of them no syslog line at all: a frame's function line
  // stops at its `(` or `/`, a file line at its tab, in a byte or a few.
  size_t i = 0;
  while (i < s.size() && i < 256 && (IsNameChar(s[i]) || s[i] == ':')) ++i;
  if (i == 0 || i >= 256 || i >= s.size() || s[i] != ' ') return 0;
  size_t tag = ++i;
  while (i < s.size() && (IsNameChar(s[i]) || s[i] == '/' || s[i] == '@')) ++i;
  if (i == tag) return 0;
  bool pid = false;
  if (i < s.size() && s[i] == '[') {
    size_t j = i + 1;
    while (j < s.size() && IsDigit(s[j])) ++j;
    if (j == i + 1 || j >= s.size() || s[j] != ']') return 0;
    i = j + 1;
    pid = true;
  }
  if (need_pid && !pid) return 0;
  if (i >= s.size() || s[i] != ':') return 0;
  ++i;
  if (i < s.size() && s[i] == ' ') ++i;
  // rsyslog escapes the tab of a frame's file line as `#011`.
  if (s.substr(i, 4) == "#011") i += 4;
  return i;
}

// `[pod/NAME/CONTAINER] ` (kubectl logs --prefix) or a CI tag `[step] `,
// `[2024-01-02T03:04:05.678Z] `. No spaces inside, so `[signal SIGSEGV: ...]`
// and `[originating from goroutine 1]:` are never taken.
size_t BracketTag(std::string_view s, std::string_view* ts, EnvelopeKind* kind) {
  size_t i = 1;
  while (i < s.size() && i < 256 &&
         (IsNameChar(s[i]) || s[i] == '/' || s[i] == ':' || s[i] == '@' || s[i] == '+'))
    ++i;
  if (i == 1 || i >= s.size() || s[i] != ']') return 0;
  // `[...]`, `[snip]` alone on a line: a person's elision mark, no tag.
  if (i + 1 == s.size() && IsElisionMark(s)) return 0;
  std::string_view inner = s.substr(1, i - 1);
  if (i + 1 < s.size() && s[i + 1] != ' ') return 0;
  if (size_t t = Rfc3339(inner); t == inner.size()) *ts = inner;
  *kind = StartsWith(inner, "pod/") ? EnvelopeKind::kKubectlPrefix : EnvelopeKind::kBracketTag;
  return i + 1 < s.size() ? i + 2 : i + 1;
}

// `svc_1  | ` (docker-compose v1 and v2).
size_t ComposePrefix(std::string_view s) {
  // Most lines (every frame's function line) leave the character loop at
  // their first `(`, `/` or `*`, a few bytes in.
  size_t i = 0;
  while (i < s.size() && i < 128 && IsNameChar(s[i])) ++i;
  if (i == 0 || i >= s.size() || s[i] != ' ') return 0;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size() || s[i] != '|') return 0;
  ++i;
  if (i < s.size()) {
    if (s[i] != ' ') return 0;
    ++i;
  }
  return i;
}

// The envelopes that start with an upper-case letter; their shapes are
// checked with RE2 only after a fixed-position test.
struct UpperPatterns {
  // klog: `E1123 12:00:00.123456   123 file.go:12] `.
  RE2 klog{R"(([IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6})\s+\d+ [^ \]]+:\d+\] ?)"};
  // syslog / journald: `Nov 23 12:00:00 ` (host and tag checked by hand).
  RE2 syslog{
      R"(((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9]?\d \d{2}:\d{2}:\d{2}(?:\.\d+)?) )"};
  // Rancher's log viewer: `Sat, Aug 27 2022 3:47:12 pm | `.
  RE2 rancher{R"(([A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2} \d{4} \d{1,2}:\d{2}:\d{2} [ap]m) \| ?)"};
};

const UpperPatterns& Upper() {
  static const UpperPatterns* p = new UpperPatterns();
  return *p;
}

size_t Consumed(const RE2& re, std::string_view s, std::string_view* cap) {
  re2::StringPiece in(s.data(), s.size());
  re2::StringPiece c;
  if (!RE2::Consume(&in, re, &c)) return 0;
  *cap = std::string_view(c.data(), c.size());
  return s.size() - in.size();
}

size_t UpperPrefix(std::string_view s, std::string_view* ts, EnvelopeKind* kind) {
  if (s.size() < 16) return 0;
  char c = s[0];
  std::string_view cap;
  if ((c == 'I' || c == 'W' || c == 'E' || c == 'F') && Digits(s, 1, 4) && s[5] == ' ') {
    if (size_t n = Consumed(Upper().klog, s, &cap)) {
      *ts = cap.substr(1);
      *kind = EnvelopeKind::kKlog;
      return n;
    }
    return 0;
  }
  if (IsLower(s[1]) && IsLower(s[2]) && s[3] == ' ') {
    size_t n = Consumed(Upper().syslog, s, &cap);
    if (!n) return 0;
    size_t h = SyslogHostTag(s.substr(n), false);
    if (!h) return 0;
    *ts = cap;
    *kind = EnvelopeKind::kSyslog;
    return n + h;
  }
  if (IsLower(s[1]) && IsLower(s[2]) && s[3] == ',' && s[4] == ' ') {
    if (size_t n = Consumed(Upper().rancher, s, &cap)) {
      *ts = cap;
      *kind = EnvelopeKind::kRancher;
      return n;
    }
  }
  return 0;
}

// syslog / journald in another locale: journald prints the month as the
// locale's abbreviation (%b): `4月 03 09:26:34 host kubelet[9519]: `,
// `avr. 03 ...`, `мар 03 ...`, `Mär 03 ...`. The month is any word of up to
// 12 bytes without a colon, tab or bracket; the rest is the English form:
// day, clock time, `host tag[pid]: ` (the pid required, as after an RFC
// 3339 stamp: the host and tag are the only guard left). Tried only on a
// line no other envelope took.
size_t LocaleSyslog(std::string_view s, std::string_view* ts) {
  // The month: up to the first space in 13 bytes, with none of `:`, tab,
  // `[`, `(`, `/` before it (no month name holds one; a frame's function
  // line stops at its first `(` or `/`, a few bytes in).
  size_t sp = 0;
  while (sp < s.size() && sp < 13 && s[sp] != ' ' && s[sp] != ':' && s[sp] != '\t' &&
         s[sp] != '[' && s[sp] != '(' && s[sp] != '/')
    ++sp;
  if (sp == 0 || sp >= s.size() || sp >= 13 || s[sp] != ' ') return 0;
  size_t i = sp + 1;
  if (i < s.size() && s[i] == ' ') ++i;  // `Apr  3`
  size_t day = i;
  while (i < s.size() && i < day + 2 && IsDigit(s[i])) ++i;
  if (i == day || i >= s.size() || s[i] != ' ') return 0;
  ++i;
  size_t t = ClockTime(s.substr(i));
  if (t == 0 || i + t >= s.size() || s[i + t] != ' ') return 0;
  size_t h = SyslogHostTag(s.substr(i + t + 1), true);
  if (!h) return 0;
  *ts = s.substr(0, i + t);
  return i + t + 1 + h;
}

// The header Docker's multiplexed stream (the attach and logs API of a
// container without a TTY, demultiplexed by stdcopy) puts before every
// frame: the stream (0 stdin, 1 stdout, 2 stderr), three zero bytes and the
// frame's size, big-endian. A client that prints the raw stream keeps it
// on each line. Pasted, its control bytes are gone and what is left is the
// size's printable last byte, or U+FFFD for a byte over 0x7f
// (smartcontractkit/chainlink#20254: `g2025-11-05T15:24:00.116124632Z
// panic: ...`). That residue is only known by the timestamp right after it
// (`docker logs --timestamps`). The length of either, or 0.
size_t DockerStreamHeader(std::string_view s) {
  if (s.size() >= 8 && static_cast<unsigned char>(s[0]) <= 2 && s[1] == '\0' && s[2] == '\0' && s[3] == '\0')
    return 8;
  size_t k = 0;
  if (s.size() > 3 && s.substr(0, 3) == "\xEF\xBF\xBD") k = 3;
  else if (!s.empty() && static_cast<unsigned char>(s[0]) >= 0x20 && static_cast<unsigned char>(s[0]) < 0x7f) k = 1;
  if (k == 0 || s.size() < k + 20 || !IsDigit(s[k]) || !IsDigit(s[k + 1]) || s[k + 4] != '-') return 0;
  size_t t = Rfc3339(s.substr(k));
  return t && k + t < s.size() && s[k + t] == ' ' ? k : 0;
}

struct Peeled {
  std::string_view ts;
  std::string_view cri_stream;
  bool cri = false;
  bool cri_partial = false;
  EnvelopeKind outer = EnvelopeKind::kNone;
  EnvelopeKind first = EnvelopeKind::kNone;  // the first layer this Peel took
  int layers = 0;
  bool docker_stream = false;  // a DockerStreamHeader was peeled
};

// Peels prefix layers off \a line. Stops after a CRI record header: its
// content may be a partial piece, peeled again once joined.
std::string_view PeelView(std::string_view line, Peeled* r, bool allow_cri) {
  while (r->layers < EnvelopeUnwrapper::kMaxLayers && !line.empty()) {
    std::string_view s = line;
    char c = s[0];
    size_t n = 0;
    EnvelopeKind kind = EnvelopeKind::kNone;
    if (!r->docker_stream && (n = DockerStreamHeader(s)) != 0) {
      // (Whatever printed the raw stream may have had an envelope of its
      // own around it: a journal, a CI step, a quote.)
      kind = EnvelopeKind::kDockerStream;
      r->docker_stream = true;
    } else if (IsDigit(c)) {
      if (size_t t = Rfc3339(s); t && (t == s.size() || s[t] == ' ')) {
        r->ts = s.substr(0, t);
        n = t == s.size() ? t : t + 1;
        kind = EnvelopeKind::kTimestamp;
        std::string_view rest = s.substr(n);
        if (allow_cri && rest.size() >= 8 &&
            (StartsWith(rest, "stdout ") || StartsWith(rest, "stderr ")) &&
            (rest[7] == 'P' || rest[7] == 'F') && (rest.size() == 8 || rest[8] == ' ')) {
          r->cri = true;
          r->cri_stream = rest.substr(0, 6);
          r->cri_partial = rest[7] == 'P';
          line.remove_prefix(n + (rest.size() == 8 ? 8 : 9));
          if (r->layers++ == 0) r->outer = EnvelopeKind::kCri;
          if (r->first == EnvelopeKind::kNone) r->first = EnvelopeKind::kCri;
          return line;
        }
        if (rest.size() >= 4 && IsHex(rest[0]) && IsHex(rest[1]) &&
            (rest[2] == 'O' || rest[2] == 'E') && (rest[3] == ' ' || rest[3] == '+')) {
          // GitLab job logs: `TIME 00O MSG`, `TIME 01E+MSG` (appended line).
          n += 4;
          if (rest[3] == '+' && rest.size() > 4 && rest[4] == ' ') ++n;
          kind = EnvelopeKind::kGitlab;
        } else if (size_t h = SyslogHostTag(rest, true)) {
          n += h;  // journald `-o short-iso`
          kind = EnvelopeKind::kSyslog;
        }
      } else if (size_t t = ClockTime(s); t && t < s.size() && s[t] == ' ') {
        r->ts = s.substr(0, t);
        n = t + 1;
        kind = EnvelopeKind::kClockTime;
      }
    } else if (c == '[') {
      n = BracketTag(s, &r->ts, &kind);
    } else if ((c == '>' && QuoteMarkup(s) != 0) || (c == ' ' && r->layers == 0)) {
      // A markdown quote or an indent around enveloped lines (`> 2024-...Z
      // ...`, `    Apr 03 ... kubelet[9]: ...`): peeled with the envelope
      // after it, so that the timestamp is still read. A quote or indent
      // around bare text is the prefix layer's (prefix.h) or the text's
      // own; a bracket after a quote may be a debugger's stop (delve's
      // `> [unrecovered-panic] ...`).
      size_t q = 0;
      if (c == '>') {
        q = QuoteMarkup(s);
        if (q >= s.size()) q = 0;
      } else {
        while (q < s.size() && q < 8 && s[q] == ' ') ++q;
        if (q < 2 || q == s.size() || s[q] == ' ' || s[q] == '\t') q = 0;
      }
      std::string_view inner = s.substr(q);
      Peeled probe;
      probe.layers = r->layers + 1;
      inner = PeelView(inner, &probe, allow_cri);
      if (q > 0 && probe.layers > r->layers + 1 && probe.first != EnvelopeKind::kBracketTag &&
          probe.first != EnvelopeKind::kKubectlPrefix) {
        // The probe peeled what comes after the quote: keep its result.
        line = inner;
        if (r->layers == 0) r->outer = EnvelopeKind::kQuote;
        if (r->first == EnvelopeKind::kNone) r->first = EnvelopeKind::kQuote;
        r->layers = probe.layers;
        if (!probe.ts.empty()) r->ts = probe.ts;
        r->cri = probe.cri;
        r->cri_stream = probe.cri_stream;
        r->cri_partial = probe.cri_partial;
        return line;
      }
    } else if (IsUpper(c)) {
      n = UpperPrefix(s, &r->ts, &kind);
      if (!n) n = ComposePrefix(s), kind = EnvelopeKind::kCompose;
    } else if (IsLower(c) || IsDigit(c) || c == '_') {
      n = ComposePrefix(s);
      kind = EnvelopeKind::kCompose;
    }
    if (n == 0 && c != '\t' && c != ' ' && c != '[' && c != '{') {
      n = LocaleSyslog(s, &r->ts);
      kind = EnvelopeKind::kSyslog;
    }
    if (n == 0) return line;
    line.remove_prefix(n);
    if (r->layers++ == 0) r->outer = kind;
    if (r->first == EnvelopeKind::kNone) r->first = kind;
  }
  return line;
}

// As PeelView, on a view the caller keeps in memory.
void Peel(std::string_view* line, Peeled* r, bool allow_cri) { *line = PeelView(*line, r, allow_cri); }

}  // namespace

namespace {
// A line that ends in a carriage return: `\r`, or `^M` as `cat -v` and vim
// show it, pasted as text. The envelope layer removes it (FeedLine), so no
// run may take such a line.
inline bool EndsWithCr(std::string_view s) {
  return !s.empty() && (s.back() == '\r' || (s.size() >= 2 && s.back() == 'M' && s[s.size() - 2] == '^'));
}

// A sufficient test that Peel takes no layer off \a s and that \a s is not
// blank, for the two shapes of a stack's lines: a tab and a non-blank byte
// first (a frame's file line), or a name (letters,
// `_`, then name characters) whose first other character is `(` or `/` (a
// frame's function line: `main.main(`, `net/http.(*conn).serve(`). Why no
// form can start so: a timestamp, clock time or CRI header starts with a
// digit, a tag with `[`, a quote with `>`; klog (`E1123 `), English syslog
// (`Nov 23 `), Rancher (`Sat, `), a compose service (`svc_1 |`) and
// syslog's host (`host tag[1]:`) are a name ended by a space or comma; a
// locale month stops at `(` or `/`; after a tab no form is tried. The
// fast-lane differential tests hold Peel and this to the same answer.
//
// Two more shapes, one per goroutine: its header (`goroutine 12 [`) and
// `created by `. Each is a word, a space, then a digit run and ` [`, or
// `by `: no compose `|`, no locale day and clock time (`[` is where the
// clock would be), no syslog `tag[pid]:` (the tag is followed by a space).
inline bool PlainStart(std::string_view s) {
  if (s.empty()) return false;
  char c = s[0];
  // A tab line is not blank (by Trim's measure) when its second byte is not.
  if (c == '\t') return s.size() > 1 && s[1] != ' ' && s[1] != '\t' && s[1] != '\r';
  if (!IsLower(c) && !IsUpper(c) && c != '_') return false;
  size_t i = 1;
  while (i < s.size() && IsNameChar(s[i])) ++i;
  if (i < s.size() && (s[i] == '(' || s[i] == '/')) return true;
  if (i == 9 && StartsWith(s, "goroutine ")) {
    size_t j = 10;
    while (j < s.size() && IsDigit(s[j])) ++j;
    return j > 10 && j + 1 < s.size() && s[j] == ' ' && s[j + 1] == '[';
  }
  return i == 7 && StartsWith(s, "created by ");
}

// True when Content, given the text of a whole docker or CRI record,
// would pass it on as one line as it is (EmitLine): no further envelope,
// no `\r` at its end, no JSON record, no escaped newline (a stack folded
// into a log line).
bool PlainRunLine(std::string_view s, bool may_hold_newline) {
  if (s.empty()) return true;
  // A newline inside: a decoded record of more than one line, which Feed
  // cuts into lines (a CRI record's text, a piece of one line, has none).
  if (s.back() == '\r' || s.front() == '{' || std::memchr(s.data(), '\\', s.size()) != nullptr ||
      (may_hold_newline && std::memchr(s.data(), '\n', s.size()) != nullptr))
    return false;
  if (PlainStart(s)) return true;
  std::string_view t = s;
  Peeled r;
  Peel(&t, &r, false);
  return r.layers == 0;
}

}  // namespace

namespace {

// What PeelRunLineShortcut does after a timestamp of \a t bytes (t > 0)
// at the start of \a raw.
size_t AfterTimestamp(std::string_view raw, size_t t, EnvelopeKind* kind, bool* blank) {
  if (t + 1 >= raw.size()) {
    // A blank line, `TS` or `TS `: nothing after the timestamp to peel.
    if (t == raw.size() || raw[t] == ' ') {
      *kind = EnvelopeKind::kTimestamp;
      *blank = true;
      return raw.size();
    }
    return 0;
  }
  if (raw[t] != ' ') return 0;
  std::string_view rest = raw.substr(t + 1);
  if (rest.size() > 9 && rest[6] == ' ' && rest[7] == 'F' && rest[8] == ' ' &&
      (StartsWith(rest, "stdout") || StartsWith(rest, "stderr"))) {
    std::string_view text = rest.substr(9);
    // PlainRunLine's answer for a text PlainStart accepts (which starts
    // with no `{`), without running PlainStart twice.
    if (!PlainStart(text) || text.back() == '\r' || std::memchr(text.data(), '\\', text.size()) != nullptr)
      return 0;
    *kind = EnvelopeKind::kCri;
    return t + 10;
  }
  if (!PlainStart(rest)) return 0;
  *kind = EnvelopeKind::kTimestamp;
  return t + 1;
}

}  // namespace

// See envelope.h; where it answers, it answers as Peel and PlainRunLine do.
size_t PeelRunLineShortcut(std::string_view raw, EnvelopeKind* kind, bool* blank) {
  if (raw.empty()) return 0;
  if (IsDigit(raw[0])) {
    size_t t = Rfc3339(raw);
    if (t == 0) return 0;
    return AfterTimestamp(raw, t, kind, blank);
  }
  if (raw[0] == '[') {
    std::string_view ts;
    EnvelopeKind k = EnvelopeKind::kNone;
    size_t n = BracketTag(raw, &ts, &k);
    if (n == 0 || k != EnvelopeKind::kKubectlPrefix) return 0;
    if (n == raw.size()) {
      // `[pod/NAME/CONTAINER] ` alone: a blank line of that container.
      *kind = k;
      *blank = true;
      return n;
    }
    if (!PlainStart(raw.substr(n))) return 0;
    *kind = k;
    return n;
  }
  return 0;
}

int PeelPrefixes(std::string_view* line, std::string_view* timestamp,
                 std::string_view* cri_stream, bool* cri_partial, bool allow_cri) {
  Peeled r;
  Peel(line, &r, allow_cri);
  *timestamp = r.ts;
  *cri_stream = r.cri_stream;
  *cri_partial = r.cri_partial;
  return r.layers;
}

void EnvelopeUnwrapper::EmitLine(std::string_view text, size_t lineno, std::string_view ts,
                                 std::string_view stream, bool unterminated, bool cut,
                                 const LoggedStack* logged) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  Line line;
  line.text = text;
  line.lineno = lineno;
  line.timestamp = ts;
  line.stream = stream;
  line.unterminated = unterminated;
  line.cut = cut;
  line.logged = logged;
  // A view into the line being read (not a decoded or joined copy).
  if (ViewWithin(text, raw_)) line.raw = raw_;
  Deliver(line);
}

void EnvelopeUnwrapper::Deliver(const Line& line) { prefix_.Process(line, sink_); }

namespace {
bool RuntimeFuncLine(std::string_view text) {
  FuncLine fl;
  return FastFuncLine(TrimRight(text), &fl);
}
}  // namespace

void EnvelopeUnwrapper::Content(std::string_view text, size_t lineno, std::string_view ts,
                                std::string_view stream, bool unterminated, bool cut,
                                int depth) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  // A line the runtime prints as a frame's function line is no log record,
  // whatever its arguments spell (FindGoMarker's rule: the fast lane takes
  // such a line as a frame; fast_lane_fuzz found `s(0, 0= r="SIGQUIT: 3)`
  // read as a logfmt record carrying a line, and `s( 0= r="SIGQUIT: \n)`
  // as one with a folded stack).
  if (!text.empty() && !RuntimeFuncLine(text)) {
    if (depth < 3 && AnyRecord(text, lineno, ts, stream, unterminated, cut, depth)) return;
    if (depth == 0 && CarriedLine(text, lineno, ts, stream, unterminated, cut)) return;
  }
  EmitLine(text, lineno, ts, stream, unterminated, cut);
}

namespace {

// Words the runtime's output starts with, searched in a whole record
// before any field is learned (a cheap test: most records hold none).
bool MayCarryRuntimeLine(std::string_view t) {
  for (std::string_view w : {"panic: ", "fatal error: ", "goroutine ", "SIGQUIT: ", "WARNING: DATA RACE", ")\""})
    if (t.find(w) != std::string_view::npos) return true;
  return false;
}

// A field's value that starts as the runtime's output does, or is a line
// of a stack (an export that starts inside one: convox/rack#2537's
// `trace="pkg.(*T).M(0xc4202351d0, ...)"`).
bool StartsAsRuntimeOutput(std::string_view v) {
  v = TrimLeft(v);
  for (std::string_view w : {"panic: ", "fatal error: ", "SIGQUIT: ", "WARNING: DATA RACE", "goroutine profile: total "})
    if (StartsWith(v, w)) return true;
  GoroutineHeader h;
  if (StartsWith(v, "goroutine ")) return ParseGoroutineHeader(TrimRight(v), &h);
  FuncLine fl;
  return v.size() > 4 && v.back() == ')' && ParseFuncLine(v, &fl) && fl.function.find('.') != std::string_view::npos &&
         fl.function.find(' ') == std::string_view::npos;
}

}  // namespace

bool EnvelopeUnwrapper::CarriedLine(std::string_view text, size_t lineno, std::string_view ts,
                                    std::string_view stream, bool unterminated, bool cut) {
  std::string_view t = TrimRight(text);
  if (t.size() < 4) return false;
  // A debug=1 record's frame line is no log record, whatever its file
  // column holds (PassesUnchanged promises as much; envelope_fuzz found a
  // `key="value"` pasted into one).
  if (StartsWith(t, "#\t0x")) return false;
  bool json_record = t.front() == '{' && t.back() == '}';
  if (carrier_.empty() ? !MayCarryRuntimeLine(t)
                       : json_record == carrier_logfmt_ || t.find(carrier_) == std::string_view::npos)
    return false;
  json j;
  if (json_record) {
    j = json::parse(t.begin(), t.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
  } else if (t.find("=\"") == std::string_view::npos || !ParseLogfmt(t, &j)) {
    return false;
  }
  const json* v = nullptr;
  if (carrier_.empty()) {
    for (auto it = j.begin(); it != j.end() && !v; ++it) {
      if (!it->is_string()) continue;
      // (Or holds it after the application's own log prefix: the
      // `2026/11/23 12:25:26 panic: ...` a recovered panic is logged with.)
      const std::string& value = it->get_ref<const std::string&>();
      bool strong = false;
      if (!StartsAsRuntimeOutput(value) && FindGoMarker(value, &strong) == std::string_view::npos) continue;
      carrier_ = it.key();
      carrier_logfmt_ = !json_record;
      v = &*it;
    }
  } else {
    v = StringField(j, carrier_.c_str());
  }
  if (!v) return false;
  std::string time = ts.empty() ? RecordTime(j) : std::string(ts);
  carried_ = v->get<std::string>();
  std::string_view rest(carried_);
  do {
    size_t nl = rest.find('\n');
    EmitLine(rest.substr(0, nl), lineno, time, stream, unterminated, cut);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  } while (!rest.empty());
  return true;
}

bool EnvelopeUnwrapper::AnyRecord(std::string_view text, size_t lineno, std::string_view ts,
                                  std::string_view stream, bool unterminated, bool cut, int depth) {
  if (text.front() == '{' && JsonRecord(text, lineno, ts, stream, unterminated, cut, depth)) return true;
  if (text.front() == '>') {
    // A markdown quote around a JSON record (a docker json-file line quoted
    // in a comment: `> {"log":"goroutine 34 [running]:\n",...}`).
    size_t q = QuoteMarkup(text);
    if (q > 0 && q < text.size() && text[q] == '{' &&
        JsonRecord(text.substr(q), lineno, ts, stream, unterminated, cut, depth))
      return true;
  }
  // (A record that starts the line but was cut before its closing brace is
  // read leniently there, as one after a prefix is.)
  return (text.front() != '{' || TrimRight(text).back() != '}') &&
         EmbeddedRecord(text, lineno, ts, stream, unterminated, cut);
}

bool EnvelopeUnwrapper::JsonRecord(std::string_view text, size_t lineno, std::string_view ts,
                                   std::string_view stream, bool unterminated, bool cut,
                                   int depth) {
  std::string_view t = TrimRight(text);
  if (t.size() < 2 || t.back() != '}') return false;
  // `go test -json`: the Output of its events is the test's text.
  if (Test2JsonDecoder::LooksLikeEvent(t) && test2json_.Feed(t, lineno, sink_)) return true;
  // Only records that can hold something for us are decoded: docker's
  // `log` field, or an escaped newline (a stack).
  bool docker = t.find("\"log\":") != std::string_view::npos;
  if (!docker && t.find("\\n") == std::string_view::npos) return false;
  // docker's own shape is decoded by hand (nlohmann's DOM was 70% of the
  // time on a json-file log); anything else in it goes to nlohmann.
  std::string_view fast_stream, fast_time;
  docker_log_.clear();
  if (docker && DecodeDockerRecord(t, &docker_log_, &fast_stream, &fast_time)) {
    std::string content = std::move(docker_log_);
    DockerRecord(content, fast_time, fast_stream, lineno, unterminated, cut, depth);
    docker_log_ = std::move(content);
    return true;
  }
  json j = json::parse(t.begin(), t.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;

  if (const json* log = docker ? StringField(j, "log") : nullptr) {
    // Fields of another type (a workload's own JSON with `"time": 1.5`)
    // are absent, not an exception.
    const json* tf = StringField(j, "time");
    const json* sf = StringField(j, "stream");
    std::string time = tf ? tf->get<std::string>() : std::string();
    std::string strm = sf ? sf->get<std::string>() : std::string();
    DockerRecord(log->get_ref<const std::string&>(), time, strm, lineno, unterminated, cut, depth);
    return true;
  }

  json orig = j;  // StackRecord unescapes stack-like fields in place
  if (StackRecord(&j, lineno, ts, stream, unterminated, cut)) return true;
  j = std::move(orig);
  // A whole log line logged as one field of this record (a collector or a
  // wrapper that logs its child's lines): the line's own folded stack, one
  // level of escaping down.
  if (depth >= 2) return false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it->is_string()) continue;
    std::string_view v = TrimRight(std::string_view(it->get_ref<const std::string&>()));
    while (!v.empty() && v.back() == '\n') v = TrimRight(v.substr(0, v.size() - 1));
    if (v.empty() || v.find('\n') != std::string_view::npos || !HasEscapedNewline(v)) continue;
    std::string line(v);  // j owns v; the nested record may be parsed into a new json
    if (AnyRecord(line, lineno, ts, stream, unterminated, cut, depth + 1))
      return true;
  }
  return false;
}

void EnvelopeUnwrapper::DockerRecord(const std::string& content, std::string_view time,
                                     std::string_view strm, size_t lineno, bool unterminated,
                                     bool cut, int depth) {
  {
    std::string_view rec_stream = strm == "stdout" ? "stdout" : strm == "stderr" ? "stderr" : "";
    Partial& p = PartialFor(rec_stream);
    bool complete = !content.empty() && content.back() == '\n';
    if (!complete || p.open) {
      // docker splits lines longer than 16 KiB into records without `\n`.
      if (!p.open) {
        p.open = true;
        p.lineno = lineno;
        p.timestamp = time;
        p.text.clear();
        p.cut = false;
      }
      if (p.text.size() + content.size() <= kMaxJoined) {
        p.text.append(content);
      } else {
        p.cut = true;
      }
      if (complete) {
        p.text.pop_back();
        Flush(&p, rec_stream, unterminated);
      }
      return;
    }
    std::string_view c(content);
    c.remove_suffix(1);
    Peeled r;
    Peel(&c, &r, false);
    std::string_view rts = !r.ts.empty() ? r.ts : time;
    Content(c, lineno, rts, rec_stream, unterminated, cut, depth + 1);
  }
}

bool EnvelopeUnwrapper::EmbeddedRecord(std::string_view text, size_t lineno, std::string_view ts,
                                       std::string_view stream, bool unterminated, bool cut) {
  // Only a line with an escaped newline can hold a stack.
  if (!HasEscapedNewline(text)) return false;
  std::string_view t = TrimRight(text);
  json j;
  if (!t.empty() && t.back() == '}') {
    // zap / logr console lines: `TIME  LEVEL  MSG  {"panic": ..., "stacktrace": "..."}`.
    size_t at = 0;
    for (int tries = 0; tries < 8; ++tries) {
      at = t.find('{', at);
      if (at == std::string_view::npos) break;
      j = json::parse(t.begin() + static_cast<std::ptrdiff_t>(at), t.end(), nullptr, false);
      if (!j.is_discarded() && j.is_object()) break;
      j = json();
      ++at;
    }
  }
  if (!j.is_object()) {
    // A JSON record cut by the paste (the stack runs to the end of the
    // line): its string fields, read leniently, are what is left of it.
    size_t open = t.find("{\"");
    if (open != std::string_view::npos && LenientJsonStrings(t.substr(open), &j)) {
      return StackRecord(&j, lineno, ts, stream, unterminated, cut);
    }
  }
  if (!j.is_object()) {
    // logfmt: logrus' text formatter (`stack="goroutine 1 [running]:\n..."`),
    // klog's `key="value"` pairs, go-kit.
    if (t.find("=\"") == std::string_view::npos || !ParseLogfmt(t, &j)) j = json();
  }
  if (!j.is_object() && !QuotedStack(t, &j)) return false;
  return StackRecord(&j, lineno, ts, stream, unterminated, cut);
}

bool EnvelopeUnwrapper::QuotedStack(std::string_view t, json* out) {
  // A stack escaped into a JSON string that is no record's field: an
  // array's element (a CI step's status `["2018/08/15 ... leak:\ngoroutine
  // 849 [select, 20 minutes]:\n..."]`), a quoted message in prose. The
  // string is the one open where the first escaped goroutine header is.
  size_t at = 0;
  for (;;) {
    at = t.find("\\ngoroutine ", at);
    if (at == std::string_view::npos) return false;
    size_t d = at + 12;
    if (d < t.size() && IsDigit(t[d])) break;
    at = d;
  }
  size_t open = std::string_view::npos;
  for (size_t i = 0; i < at; ++i) {
    if (t[i] == '\\') {
      ++i;  // an escaped byte: no quote
    } else if (t[i] == '"') {
      open = open == std::string_view::npos ? i : std::string_view::npos;
    }
  }
  if (open == std::string_view::npos) return false;
  // Read as the value of a record's one field, leniently: the paste may
  // cut the string before its closing quote.
  std::string rec = "{\"msg\":";
  rec.append(t.substr(open));
  LenientJsonStrings(rec, out);  // (false for a record of fewer than two fields)
  return out->is_object() && out->contains("msg");
}

bool EnvelopeUnwrapper::StackRecord(json* record, size_t lineno, std::string_view ts,
                                    std::string_view stream, bool unterminated, bool cut) {
  json& j = *record;
  UnescapeStacks(&j);
  std::string time0 = ts.empty() ? RecordTime(j) : std::string(ts);
  if (const json* raw = FindRuntimeOutput(j)) {
    // The runtime's own text, escaped into one field: its lines as printed,
    // each through the envelope layers again (a journald or klog capture
    // logged as one string); the prefix layer then sees them all.
    std::string_view rest(raw->get_ref<const std::string&>());
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      std::string_view l = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      Peeled r;
      if (!l.empty() && l[0] != '\t' && l[0] != ' ') Peel(&l, &r, false);
      EmitLine(l, lineno, r.ts.empty() ? std::string_view(time0) : r.ts, stream, false, cut);
    }
    EmitLine("", lineno, time0, stream, unterminated, cut);
    return true;
  }
  const json* stack = FindStack(j);
  if (!stack) return false;
  std::string_view st = stack->get_ref<const std::string&>();
  std::string msg = RecordMessage(j, stack);
  if (!StartsWith(st, "goroutine ")) {
    // A message before the stack in the same value is the panic's own
    // wording (`panic during reconcile: runtime error: ...`).
    if (size_t at = StackAfterMessage(st); at != std::string_view::npos) {
      msg.assign(st.substr(0, at - 1));
      st.remove_prefix(at);
    }
  }
  bool panic_frame = StartsWith(st, "panic(") || st.find("\npanic(") != std::string_view::npos ||
                     st.find("runtime.gopanic") != std::string_view::npos;
  if (!panic_frame && !j.contains("panic") && !ContainsPanic(msg) &&
      !(StringField(j, "msg") && ContainsPanic(StringField(j, "msg")->get_ref<const std::string&>())))
    return false;  // an error logged with its stack, not a panic
  std::string time = ts.empty() ? RecordTime(j) : std::string(ts);

  // The record's panic goes with the stack's first line, as data: the
  // traceback parser reads the stack as that recovered panic.
  std::string_view first(msg);
  logged_.message.assign(first.substr(0, std::min(first.find('\n'), size_t{4096})));
  logged_.frames_only = !StartsWith(st, "goroutine ");
  const LoggedStack* logged = &logged_;
  std::string_view rest(st);
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view l = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    bool blank = Trim(l).empty();
    EmitLine(l, lineno, time, stream, false, cut, blank ? nullptr : logged);
    if (!blank) logged = nullptr;
  }
  EmitLine("", lineno, time, stream, unterminated, cut);
  return true;
}

EnvelopeUnwrapper::Partial& EnvelopeUnwrapper::PartialFor(std::string_view stream) {
  return stream == "stdout" ? out_ : err_;
}

void EnvelopeUnwrapper::Flush(Partial* p, std::string_view stream, bool unterminated) {
  if (!p->open) return;
  p->open = false;
  std::string text = std::move(p->text);
  std::string ts = std::move(p->timestamp);
  p->text.clear();
  std::string_view c(text);
  Peeled r;
  Peel(&c, &r, false);
  std::string_view rts = !r.ts.empty() ? r.ts : std::string_view(ts);
  Content(c, p->lineno, rts, stream, unterminated, p->cut, 1);
}

void EnvelopeUnwrapper::Feed(std::string_view raw, size_t lineno, bool unterminated, bool cut) {
  // An editor's autolinks (`[k8s.io/x.F(](http://k8s.io/x.F()`) are undone
  // first: inside a JSON record they are not even valid escapes.
  if (MayHoldAutolink(raw) && UndoAutolinks(raw, &unlinked_)) raw = unlinked_;
  raw_ = raw;
  FeedLine(raw, lineno, unterminated, cut);
  raw_ = {};
}

void EnvelopeUnwrapper::FeedLine(std::string_view raw, size_t lineno, bool unterminated, bool cut) {
  size_t raw_size = raw.size();
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  // CRLF as `cat -v` or vim show it, pasted as text: a literal `^M`.
  if (raw.size() >= 2 && raw.back() == 'M' && raw[raw.size() - 2] == '^') raw.remove_suffix(2);
  // The common case: a line of a bare trace (`\t/path/file.go:12`, `main.f(`
  // fails the first test of every envelope within a few bytes).
  // An indent may hold an envelope (Peel); only that goes the long way.
  bool bare = raw.empty() || raw[0] == '\t';
  std::string_view s = raw;
  Peeled r;
  bool peeled = false;  // s and r already hold Peel's result
  if (!bare && raw[0] == ' ') {
    bare = raw.size() < 2 || raw[1] != ' ' || (Peel(&s, &r, true), r.layers == 0);
    peeled = !bare;
  }
  if (bare) {
    // An indented paste (a markdown code block) of a log line with a stack
    // folded into it: the record under the indent.
    if (!raw.empty() && raw[0] == ' ' && HasEscapedNewline(raw)) {
      size_t sp = raw.find_first_not_of(' ');
      std::string_view t = sp == std::string_view::npos || sp > 16 ? std::string_view() : raw.substr(sp);
      if (!t.empty() && AnyRecord(t, lineno, {}, {}, unterminated, cut, 0)) {
        last_changed_ = true;
        return;
      }
    }
    last_changed_ = raw.size() != raw_size;
    EmitLine(raw, lineno, {}, {}, unterminated, cut);
    return;
  }
  if (!peeled) Peel(&s, &r, true);
  last_changed_ = raw.size() != raw_size || r.layers > 0 || (!s.empty() && s.front() == '{');
  if (r.cri) {
    Partial& p = PartialFor(r.cri_stream);
    if (r.cri_partial || p.open) {
      if (!p.open) {
        p.open = true;
        p.lineno = lineno;
        p.timestamp = std::string(r.ts);
        p.text.clear();
        p.cut = false;
      }
      if (p.text.size() + s.size() <= kMaxJoined) {
        p.text.append(s);
      } else {
        p.cut = true;
      }
      p.cut |= cut;
      if (!r.cri_partial) Flush(&p, r.cri_stream, unterminated);
      return;
    }
    std::string_view ts = r.ts;
    Peeled inner;
    Peel(&s, &inner, false);
    if (!inner.ts.empty()) ts = inner.ts;
    Content(s, lineno, ts, r.cri_stream, unterminated, cut, 0);
    return;
  }
  Content(s, lineno, r.ts, {}, unterminated, cut, 0);
}

bool EnvelopeUnwrapper::PassesUnchanged(std::string_view line) {
  if (line.empty()) return true;
  if (EndsWithCr(line)) return false;
  if (line[0] == '{') return false;
  // A stack folded into a log field (zap console, logrus, klog).
  if (line[0] != '\t' && HasEscapedNewline(line)) return false;
  if (MayHoldAutolink(line)) return false;  // (Feed undoes them)
  // What the prefix layer would do (a marker after other text, TTY
  // garbage, a damaged debug=1 frame, an elision mark). For a tab line
  // that is a damaged frame (`0x` behind up to 16 blanks of indent: its
  // first bytes tell, a file line stops at the second) or an elision mark
  // (`\t...`, `\t<snip>`; IsElisionMark trims, then rejects anything
  // longer than 16 bytes): NeedsPrefixWork's own test, so the two agree.
  if (NeedsPrefixWork(line)) return false;
  if (line[0] == '\t') return true;
  // A logfmt record (`key="value"`) may carry a line of the runtime's
  // output in a field (CarriedLine), whatever it starts with (`#\tl=
  // t="..."` too; a debug=1 frame line has no `"` and takes the run lane
  // through PlainFrameLine, not here).
  for (const char* q = line.data();
       (q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(line.data() + line.size() - q))));
       ++q)
    if (q > line.data() && q[-1] == '=') return false;
  // An indent of two or more spaces may hold an envelope (Peel).
  if (line[0] == ' ' && (line.size() < 2 || line[1] != ' ')) return true;
  Peeled r;
  Peel(&line, &r, true);
  return r.layers == 0;
}

namespace {

// For the plain-line tests below: true when no byte of [from, last) of
// \a line is one the envelope and prefix layers act on. Of the bytes of a
// line that holds no control byte, only four matter: no escaped newline
// (`\n`, `\\n`: a backslash before `n` or another), no logfmt `="`, no
// autolink's `](http`, and a colon only where no marker ends
// (FindGoMarker goes on to the next one). A quoted label value
// (`request_id: "05228e31-..."`) is read as any other text. \a last is
// below the line's size (the byte after each looked at is there).
bool NoStopBetween(std::string_view line, size_t from, size_t last) {
  const char* s = line.data();
  auto stops = [&](size_t i) {
    char c = s[i];
    if (c == ':') {
      size_t start;
      bool strong;
      return GoMarkerEndingAt(line, i, &start, &strong);
    }
    if (c == ']') return s[i + 1] == '(';
    if (c == '"') return s[i - 1] == '=';
    return s[i + 1] == 'n' || s[i + 1] == '\\';  // a backslash
  };
  size_t i = from;
#if defined(__SSE2__)
  const __m128i colon = _mm_set1_epi8(':'), slash = _mm_set1_epi8('\\'), quote = _mm_set1_epi8('"'),
                bracket = _mm_set1_epi8(']');
  for (; i + 16 <= last; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, colon), _mm_cmpeq_epi8(v, slash)),
                             _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bracket)));
    for (unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(m)); bits; bits &= bits - 1)
      if (stops(i + static_cast<size_t>(__builtin_ctz(bits)))) return false;
  }
#endif
  for (; i < last; ++i)
    if ((s[i] == ':' || s[i] == '\\' || s[i] == '"' || s[i] == ']') && stops(i)) return false;
  return true;
}

}  // namespace

bool EnvelopeUnwrapper::PlainHeaderPassesUnchanged(std::string_view line) {
  // Peel takes no layer off a line that starts so: no compose name is
  // followed by a digit (ComposePrefix wants `name  |`), no month by one
  // and a clock time in `[` (LocaleSyslog), no stream residue by `o`
  // (DockerStreamHeader); nor does PodDemux route it, nor the prefix layer
  // see an elision mark or a damaged debug=1 line in it (NeedsPrefixWork).
  if (line.size() < 12 || std::memcmp(line.data(), "goroutine ", 10) != 0 || !IsDigit(line[10]) ||
      line.back() != ':')
    return false;
  const char* s = line.data();
  const size_t last = line.size() - 1;
  if (!NoStopBetween(line, 11, last)) return false;
  // The final colon: after a label list's `}` it ends no marker; after `]`
  // it ends a header, and FindGoMarker stops at one that starts the line
  // (nothing before it) unless a later `goroutine ` starts another.
  if (s[last - 1] == '}') return true;
  return s[last - 1] == ']' && line.find("goroutine ", 1) == std::string_view::npos;
}

bool EnvelopeUnwrapper::PlainPprofLabelsPassesUnchanged(std::string_view line) {
  // `# labels: {"k":"v", ...}`: Peel takes no layer off a line that starts
  // with `#`, PodDemux routes none, and NeedsPrefixWork sees neither an
  // elision mark nor a damaged frame in it. Printable ASCII only (a control
  // byte is the prefix layer's TTY garbage), then the scan of a header's
  // label list, from the colon after `labels`.
  if (line.size() < 12 || std::memcmp(line.data(), "# labels: {", 11) != 0 || line.back() != '}') return false;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i low = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
  for (; i + 16 <= line.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + i));
    // Signed: bytes over 0x7f are below 0x20 too.
    if (_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(v, low), _mm_cmpeq_epi8(v, del)))) return false;
  }
#endif
  for (; i < line.size(); ++i) {
    char ch = line[i];
    if (ch < 0x20 || ch > 0x7e) return false;  // char is signed: bytes over 0x7f too
  }
  return NoStopBetween(line, 8, line.size() - 1);
}

bool EnvelopeUnwrapper::PassesUnchangedUntagged(std::string_view line) {
  if (line.size() >= 9 && line[0] == '[' && ParsePodTag(line) != 0) return false;
  return PassesUnchanged(line);
}

void TimestampShape::Learn(std::string_view raw, size_t t) {
  len = 0;
  if (t > 32 || raw.size() < 32) return;
  for (size_t i = 0; i < 32; ++i) {
    bool d = i < t && IsDigit(raw[i]);
    digit[i] = d ? 0xff : 0;
    literal[i] = i < t && !d ? static_cast<unsigned char>(raw[i]) : 0;
  }
  len = t;
}

bool TimestampShape::Fits(std::string_view raw) const {
  if (len == 0 || raw.size() < 32 || raw.size() <= len || raw[len] != ' ') return false;
  return Matches(raw.data());
}

size_t EnvelopeUnwrapper::Shortcut(std::string_view raw, EnvelopeKind* kind, bool* blank) {
  if (IsDigit(raw[0])) {
    // A timestamp of the shape of the last one: its length without Rfc3339.
    if (ts_shape_.Fits(raw)) return AfterTimestamp(raw, ts_shape_.len, kind, blank);
    size_t t = Rfc3339(raw);
    if (t == 0) return 0;
    if (t < raw.size() && raw[t] == ' ') ts_shape_.Learn(raw, t);
    return AfterTimestamp(raw, t, kind, blank);
  }
  // The `--prefix` tag of a line before, compared whole: its bytes and the
  // space after it are all that BracketTag reads.
  if (raw[0] == '[' && !run_tag_.empty() && StartsWith(raw, run_tag_)) {
    if (raw.size() == run_tag_.size()) {
      *kind = EnvelopeKind::kKubectlPrefix;
      *blank = true;
      return raw.size();
    }
    if (PlainStart(raw.substr(run_tag_.size()))) {
      *kind = EnvelopeKind::kKubectlPrefix;
      return run_tag_.size();
    }
  }
  size_t at = PeelRunLineShortcut(raw, kind, blank);
  if (at && *kind == EnvelopeKind::kKubectlPrefix) run_tag_.assign(raw.data(), at);
  return at;
}

namespace {

// RunEnvelope::decode for a run of docker json-file records: what the batch
// in EnvelopeUnwrapper::TakeRun takes of a record, and as what text.
bool DockerRunText(std::string_view raw, std::string* out) {
  if (raw.empty() || raw[0] != '{' || EndsWithCr(raw)) return false;
  std::string_view stream, time;
  size_t at = out->size();
  if (!DecodeDockerRecord(raw, out, &stream, &time) || out->size() == at || out->back() != '\n') return false;
  return PlainRunLine(std::string_view(out->data() + at, out->size() - at - 1), true);
}

}  // namespace

bool EnvelopeUnwrapper::RunEnvelopeOf(std::string_view text, RunEnvelope* env) {
  if (text.empty() || !(IsDigit(text[0]) || text[0] == '[' || text[0] == '{')) return false;
  const char* nl = static_cast<const char*>(std::memchr(text.data(), '\n', text.size()));
  if (!nl) return false;
  std::string_view raw(text.data(), static_cast<size_t>(nl - text.data()));
  if (raw[0] == '{') {
    // A docker json-file record, decoded line by line by the sink. Under a
    // PodDemux, untagged lines are the first stream's.
    if (demuxed_ && !demux_tag_.empty()) return false;
    docker_text_.clear();
    if (!DockerRunText(raw, &docker_text_)) return false;
    env->form = RunEnvelope::Form::kDocker;
    env->decode = &DockerRunText;
    env->text_at = &RunTextAt;
    env->self = this;
    return true;
  }
  if (raw.empty() || EndsWithCr(raw)) return false;
  EnvelopeKind kind;
  bool blank = false;
  if (Shortcut(raw, &kind, &blank) == 0) return false;
  run_kind_ = kind;
  env->text_at = &RunTextAt;
  env->self = this;
  // Under a PodDemux, the lines the demux sends this stream (see
  // set_demux_tag): in the first, untagged ones (a timestamp or CRI
  // record starts with a digit, never a pod's tag); in a pod's, those with
  // its tag.
  if (demuxed_ && (demux_tag_.empty() ? kind == EnvelopeKind::kKubectlPrefix
                                      : kind != EnvelopeKind::kKubectlPrefix ||
                                            run_tag_.size() != demux_tag_.size() + 1 ||
                                            !StartsWith(run_tag_, demux_tag_)))
    return false;
  switch (kind) {
    case EnvelopeKind::kKubectlPrefix:
      env_tag_ = run_tag_;
      env->form = RunEnvelope::Form::kTag;
      env->tag = env_tag_;
      return !env_tag_.empty();
    case EnvelopeKind::kTimestamp:
    case EnvelopeKind::kCri:
      env->form = kind == EnvelopeKind::kCri ? RunEnvelope::Form::kCri : RunEnvelope::Form::kTimestamp;
      env->shape = &ts_shape_;
      return ts_shape_.len > 0;
    default:
      return false;
  }
}

size_t EnvelopeUnwrapper::RunTextAt(void* self, std::string_view raw) {
  // What the batch below takes of a line, and as what text: Shortcut's
  // answer in the run's form, and a CRI record of no text.
  auto* u = static_cast<EnvelopeUnwrapper*>(self);
  constexpr size_t kNo = std::string_view::npos;
  if (raw.empty() || EndsWithCr(raw)) return kNo;
  EnvelopeKind kind;
  bool blank = false;
  if (size_t at = u->Shortcut(raw, &kind, &blank)) {
    if (kind != u->run_kind_) return kNo;
    // A `--prefix` run's lines all have its tag (under a demux, the other
    // tags are other streams').
    return kind != EnvelopeKind::kKubectlPrefix || StartsWith(raw, u->env_tag_) ? at : kNo;
  }
  if (u->run_kind_ == EnvelopeKind::kCri && u->ts_shape_.Fits(raw)) {
    size_t t = u->ts_shape_.len;
    std::string_view rest = raw.substr(t + 1);
    if (rest == "stdout F " || rest == "stderr F ") return raw.size();
  }
  return kNo;
}

void EnvelopeUnwrapper::AddOneLine(size_t base, size_t* raw_lines) {
  if (!batch_linenos_.empty()) {
    batch_linenos_.push_back(base + *raw_lines);
    batch_raw_ends_.push_back(*raw_lines + 1);
  }
  ++*raw_lines;
}

size_t EnvelopeUnwrapper::TakeRun(std::string_view text, size_t lineno, size_t max_line,
                                  size_t* lines) {
  *lines = 0;
  // A CRI or docker record being joined takes the next pieces itself; a
  // learned prefix or a held line needs every line.
  if (out_.open || err_.open || !prefix_.Quiet() || !carrier_.empty()) return 0;
  // The input's first line goes the slow way: the prefix layer holds it
  // for the second (a first line cut inside its envelope, prefix.h).
  if (lineno == 1) return 0;
  LineRun run;
  run.lineno = lineno;
  run.max_line = max_line;
  run.unchanged = demuxed_ ? &PassesUnchangedUntagged : &PassesUnchanged;
  if (!last_changed_) {
    run.text = text;
    size_t taken = sink_->TakeRun(run, lines);
    // The prefix layer did not see these lines: tell it whether the last
    // was blank, by its own measure (only blanks: ` ` is blank too).
    if (taken > 0) {
      std::string_view took = text.substr(0, taken - 1);
      size_t nl = took.rfind('\n');
      prefix_.Bypassed(Trim(nl == std::string_view::npos ? took : took.substr(nl + 1)).empty());
    }
    return taken;
  }
  // After a line this layer changed, the next one most likely needs it
  // too (`kubectl logs --timestamps`: every line). Offering the raw lines
  // would only test each twice; instead, lines with one envelope of the
  // forms a whole dump comes in (a kubectl timestamp or `--prefix` tag, a
  // whole CRI record, a docker json-file record) are peeled here, a batch
  // of one form at a time, and the sink is
  // offered their text: only when a parser inside a dump would take them,
  // and in batches that grow while it takes all (a line it leaves was
  // peeled twice).
  if (!sink_->TakesUnwrappedRuns()) return 0;
  run.unwrapped = true;
  size_t taken_bytes = 0;
  // A sink that reads lines in place behind their envelope is offered the
  // text as it is first (no copy, no second pass over the lines); a line
  // it stops at goes into a batch of one (a CRI record in `P` pieces, a
  // line of another form), and then it is offered the rest again.
  const bool enveloped = sink_->TakesEnvelopedRuns();
  while (taken_bytes < text.size()) {
    size_t batch_limit = batch_lines_;
    bool one_stack = false;
    if (enveloped) {
      std::string_view rest = text.substr(taken_bytes);
      RunEnvelope env;
      if (RunEnvelopeOf(rest, &env)) {
        LineRun in_place = run;
        in_place.text = rest;
        in_place.lineno = lineno + *lines;
        in_place.linenos = nullptr;
        in_place.envelope = &env;
        size_t n = 0;
        size_t bytes = sink_->TakeRun(in_place, &n);
        if (n > 0) {
          taken_bytes += bytes;
          *lines += n;
          // Whether the last line taken was blank once peeled.
          std::string_view took = rest.substr(0, bytes - 1);
          size_t nl = took.rfind('\n');
          std::string_view last = nl == std::string_view::npos ? took : took.substr(nl + 1);
          if (env.form == RunEnvelope::Form::kDocker) {
            docker_text_.clear();
            prefix_.Bypassed(DockerRunText(last, &docker_text_) &&
                             Trim(std::string_view(docker_text_).substr(0, docker_text_.size() - 1)).empty());
          } else {
            size_t at = RunTextAt(this, last);
            prefix_.Bypassed(at != std::string_view::npos && Trim(last.substr(at)).empty());
          }
          if (taken_bytes >= text.size()) break;
        }
        // The lines it stopped at, up to a blank one: a stack it does not
        // know (it takes known ones in place), or a line of another form.
        batch_limit = kMaxBatchLines;
        one_stack = true;
      }
    }
    batch_.clear();
    batch_ends_.clear();
    batch_blanks_.clear();
    batch_linenos_.clear();
    batch_raw_ends_.clear();
    const size_t base = lineno + *lines;  // the input line number of the batch's first line
    size_t raw_lines = 0;                 // input lines the batch holds so far
    const char* begin = text.data() + taken_bytes;
    const char* p = begin;
    const char* end = text.data() + text.size();
    NewlineCursor newlines(p, end);
    while (p < end && batch_ends_.size() < batch_limit && !(one_stack && !batch_blanks_.empty())) {
      const char* nl = newlines.Next();
      if (!nl) break;
      std::string_view raw(p, static_cast<size_t>(nl - p));
      // What Feed does with a line of this shape: one timestamp layer and
      // nothing else, no `\r`, no JSON record; the text after it goes on
      // with its timestamp (which no line a run can take reads).
      if (raw.size() > max_line || raw.empty() || EndsWithCr(raw)) break;
      std::string_view s = raw;
      EnvelopeKind kind;
      // Demultiplexed: only lines the demux sends this stream (see
      // set_demux_tag and PodDemux::Feed): in the first stream, untagged
      // ones; in a pod's, those with its tag. Before any envelope form,
      // since an untagged line of any form goes to the first stream.
      if (demuxed_ && (demux_tag_.empty() ? raw[0] == '[' && ParsePodTag(raw) != 0
                                          : !(StartsWith(raw, demux_tag_) &&
                                              (raw.size() == demux_tag_.size() || raw[demux_tag_.size()] == ' '))))
        break;
      if (raw[0] == '{') {
        // A docker json-file record of one whole line (`log` ends in `\n`)
        // in docker's own shape: what JsonRecord does with it (Content of
        // the decoded line) is what a run line gets when that line has no
        // envelope of its own, no `\r`, no JSON and no escaped newline.
        // Decoded straight onto the batch.
        std::string_view strm, time;
        size_t at = batch_.size();
        if (!DecodeDockerRecord(raw, &batch_, &strm, &time) || batch_.size() == at ||
            batch_.back() != '\n' || (!batch_ends_.empty() && batch_kind_ != EnvelopeKind::kDockerJson) ||
            !PlainRunLine(std::string_view(batch_).substr(at, batch_.size() - at - 1), true)) {
          batch_.resize(at);
          break;
        }
        if (Trim(std::string_view(batch_).substr(at, batch_.size() - at - 1)).empty())
          batch_blanks_.push_back(batch_ends_.size());
        batch_kind_ = EnvelopeKind::kDockerJson;
        p = nl + 1;
        batch_ends_.push_back(static_cast<size_t>(p - begin));
        AddOneLine(base, &raw_lines);
        continue;
      } else if (bool blank = false; size_t at = Shortcut(raw, &kind, &blank)) {
        s = std::string_view(raw.data() + at, raw.size() - at);
        if (batch_ends_.empty()) batch_kind_ = kind;
        else if (kind != batch_kind_) break;
        if (blank) batch_blanks_.push_back(batch_ends_.size());
        batch_.append(s.data(), s.size() + 1);  // its text ends at nl: with the newline
        p = nl + 1;
        batch_ends_.push_back(static_cast<size_t>(p - begin));
        AddOneLine(base, &raw_lines);
        continue;
      } else {
        if (raw[0] < '0' || raw[0] > '9') {
          // `kubectl logs --prefix`: one `[pod/NAME/CONTAINER] ` tag.
          if (raw[0] != '[') break;
        }
        Peeled r;
        Peel(&s, &r, true);
        if (r.layers != 1) break;
        if (r.cri && r.cri_partial) {
          // A CRI record in `P` pieces: joined here as Feed joins them, when
          // the whole record (the pieces up to the `F` one, all of one
          // stream, nothing between) is in the text; one batch line,
          // numbered by its first piece.
          if (demuxed_ && !demux_tag_.empty()) break;
          if (!batch_ends_.empty() && batch_kind_ != EnvelopeKind::kCri) break;
          size_t at = batch_.size();
          batch_.append(s.data(), s.size());
          NewlineCursor ahead = newlines;
          const char* q = nl + 1;
          size_t pieces = 1;
          bool whole = false;
          while (q < end) {
            const char* qnl = ahead.Next();
            if (!qnl) break;
            std::string_view piece(q, static_cast<size_t>(qnl - q));
            if (piece.empty() || piece.size() > max_line || EndsWithCr(piece)) break;
            Peeled pr;
            Peel(&piece, &pr, true);
            if (!pr.cri || pr.cri_stream != r.cri_stream || batch_.size() - at + piece.size() > kMaxJoined) break;
            batch_.append(piece.data(), piece.size());
            ++pieces;
            q = qnl + 1;
            if (!pr.cri_partial) {
              whole = true;
              break;
            }
          }
          std::string_view joined(batch_.data() + at, batch_.size() - at);
          if (!whole || !PlainRunLine(joined, false)) {
            batch_.resize(at);
            break;
          }
          if (batch_linenos_.empty())
            for (size_t i = 0; i < batch_ends_.size(); ++i) {
              batch_linenos_.push_back(base + i);
              batch_raw_ends_.push_back(i + 1);
            }
          batch_kind_ = EnvelopeKind::kCri;
          if (Trim(joined).empty()) batch_blanks_.push_back(batch_ends_.size());
          batch_.push_back('\n');
          batch_linenos_.push_back(base + raw_lines);
          raw_lines += pieces;
          batch_raw_ends_.push_back(raw_lines);
          p = q;
          newlines = ahead;
          batch_ends_.push_back(static_cast<size_t>(p - begin));
          continue;
        }
        if (!s.empty() && s.front() == '{') break;
        if (r.cri) {
          // A whole CRI record (`F`; pieces of `P` records are joined by
          // Feed): Feed peels the text once more, then Content.
          if (r.cri_partial || !PlainRunLine(s, false)) break;
          kind = EnvelopeKind::kCri;
        } else if (r.outer == EnvelopeKind::kTimestamp || r.outer == EnvelopeKind::kKubectlPrefix) {
          kind = r.outer;
        } else {
          break;
        }
      }
      if (batch_ends_.empty()) batch_kind_ = kind;
      else if (kind != batch_kind_) break;
      batch_.append(s.data(), s.size());
      batch_.push_back('\n');
      if (Trim(s).empty()) batch_blanks_.push_back(batch_ends_.size());
      p = nl + 1;
      batch_ends_.push_back(static_cast<size_t>(p - begin));
      AddOneLine(base, &raw_lines);
    }
    if (batch_ends_.empty()) break;
    run.text = batch_;
    run.lineno = base;
    run.linenos = batch_linenos_.empty() ? nullptr : batch_linenos_.data();
    size_t n = 0;
    sink_->TakeRun(run, &n);
    // Each batch line is one line of batch_ (PlainRunLine refuses a decoded
    // record holding a newline); were it otherwise, n could pass the
    // batch's end.
    n = std::min(n, batch_ends_.size());
    if (n > 0) {
      taken_bytes += batch_ends_[n - 1];
      // Input lines: a joined record counts its pieces.
      *lines += batch_raw_ends_.empty() ? n : batch_raw_ends_[n - 1];
      prefix_.Bypassed(std::binary_search(batch_blanks_.begin(), batch_blanks_.end(), n - 1));
    }
    if (n < batch_ends_.size()) {
      batch_lines_ = 1;
      break;
    }
    batch_lines_ = std::min(batch_lines_ * 2, kMaxBatchLines);
  }
  return taken_bytes;
}

void EnvelopeUnwrapper::End() {
  test2json_.Flush(sink_);
  Flush(&out_, "stdout", true);
  Flush(&err_, "stderr", true);
  prefix_.Flush(sink_);
  sink_->OnEnd();
}

}  // namespace gotriage
