// delve's stacks and goroutine listings; see delve.h.
#include "parsers/delve.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "base/chars.h"
#include "base/durations.h"
#include "parsers/grammar.h"
#include "parsers/traceback.h"

namespace gotriage {

namespace {

// `N  0xPC in FUNC`: FUNC, or "" for any other line.
std::string_view FrameFunction(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && IsDigit(t[i])) ++i;
  if (i == 0 || i > 6 || i >= t.size() || t[i] != ' ') return {};
  while (i < t.size() && t[i] == ' ') ++i;
  if (t.substr(i, 2) != "0x") return {};
  i += 2;
  size_t hex = i;
  while (i < t.size() && IsHex(t[i])) ++i;
  if (i == hex || t.substr(i, 4) != " in ") return {};
  std::string_view fn = Trim(t.substr(i + 4));
  if (fn.empty() || fn.find(' ') != std::string_view::npos || fn.find('\t') != std::string_view::npos) return {};
  return fn;
}

// `at FILE:LINE`: FILE:LINE, or "".
std::string_view FrameAt(std::string_view t) {
  if (!StartsWith(t, "at ")) return {};
  std::string_view f = Trim(t.substr(3));
  size_t colon = f.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == f.size()) return {};
  for (size_t i = colon + 1; i < f.size(); ++i)
    if (!IsDigit(f[i])) return {};
  return f;
}

struct Header {
  int64_t id = -1;
  std::string_view state;  // "" when not shown
  double seconds = -1;     // how long in that state, when shown
  bool thread = false;     // `(thread N)`: running on a thread
};

// `[* ]Goroutine N - User: FILE:LINE FUNC (0xPC)[ (thread N)][ [STATE[ DURATION]]]`.
bool ParseHeader(std::string_view t, Header* h) {
  if (StartsWith(t, "* ")) t = TrimLeft(t.substr(2));
  if (!StartsWith(t, "Goroutine ")) return false;
  t.remove_prefix(10);
  size_t i = 0;
  while (i < t.size() && IsDigit(t[i])) ++i;
  if (i == 0 || i > 18 || !ParseInt(t.substr(0, i), &h->id)) return false;
  t.remove_prefix(i);
  if (!StartsWith(t, " - ")) return false;
  t.remove_prefix(3);
  // The location delve names: `User:`, `Runtime:`, `Go:` or `Start:`.
  size_t colon = t.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 8) return false;
  for (size_t k = 0; k < colon; ++k)
    if (!((t[k] >= 'A' && t[k] <= 'Z') || (t[k] >= 'a' && t[k] <= 'z'))) return false;
  h->thread = t.find("(thread ") != std::string_view::npos;
  t = TrimRight(t);
  if (!t.empty() && t.back() == ']') {
    size_t open = t.rfind('[');
    if (open == std::string_view::npos) return false;
    std::string_view in = Trim(t.substr(open + 1, t.size() - open - 2));
    size_t sp = in.rfind(' ');
    if (sp != std::string_view::npos) {
      double d = ParseGoDuration(in.substr(sp + 1));
      if (d >= 0) {
        h->seconds = d;
        in = TrimRight(in.substr(0, sp));
      }
    }
    h->state = in;
  }
  return true;
}

// delve's `[N goroutines]` after a listing: N, or 0.
uint64_t ListingEnd(std::string_view t) {
  if (t.size() < 13 || t.front() != '[' || t.back() != ']') return 0;
  size_t i = 1;
  while (i < t.size() && IsDigit(t[i])) ++i;
  int64_t n;
  if (i == 1 || i > 16 || !(t.substr(i) == " goroutines]" || t.substr(i) == " goroutine]") ||
      !ParseInt(t.substr(1, i - 1), &n) || n <= 0)
    return 0;
  return static_cast<uint64_t>(n);
}

// The text of a line without its indentation and a markdown quote's `>`
// (delve's lines carry no Go marker the prefix layer would peel it at).
std::string_view Text(std::string_view raw) {
  std::string_view t = Trim(raw);
  while (!t.empty() && t.front() == '>' && !StartsWith(t, "> [unrecovered-panic] ")) t = Trim(t.substr(1));
  return t;
}

// The source listing delve prints at a stop: `  1456:\tfunc f() {`, the
// current line marked `=>1456:`.
bool SourceListingLine(std::string_view raw) {
  std::string_view t = TrimLeft(raw);
  if (StartsWith(t, "=>")) t.remove_prefix(2);
  size_t i = 0;
  while (i < t.size() && IsDigit(t[i])) ++i;
  return i > 0 && i < t.size() && t[i] == ':' && (i + 1 == t.size() || t[i + 1] == '\t');
}

// The panic value of `runtime.curg._panic.arg: TYPE VALUE`: a string's
// text, else TYPE VALUE as printed.
std::string StopPanicValue(std::string_view v) {
  v = Trim(v);
  size_t q = v.find(") \"");
  std::string out;
  if (q != std::string_view::npos && v.back() == '"' && UnquoteGo(v.substr(q + 2), &out)) return out;
  return std::string(v);
}

}  // namespace

DelveParser::DelveParser(ParseContext* ctx) : ctx_(ctx) {}
DelveParser::~DelveParser() = default;

bool DelveParser::Start(const Line& line) {
  std::string_view t = Text(line.text);
  if (t.empty()) return false;
  const char c = t[0];
  if (c != 'E' && c != 'G' && c != '*' && c != '>' && !IsDigit(c)) return false;  // cheap first
  if (StartsWith(t, "Exception has occurred: ")) {
    // VS Code: `Exception has occurred: panic "MSG"` (or `fatal error`).
    std::string_view rest = Trim(t.substr(24));
    std::string_view kind = StartsWith(rest, "panic") ? "panic" : StartsWith(rest, "fatal error") ? "fatal error" : "";
    if (kind.empty()) return false;
    std::string_view quoted = Trim(rest.substr(kind.size()));
    std::string msg;
    if (!quoted.empty() && quoted.front() == '"' && UnquoteGo(quoted, &msg)) {
    } else {
      msg.assign(quoted);
    }
    for (char& ch : msg)
      if (ch == '\n' || ch == '\r') ch = ' ';
    if (msg.empty()) return false;
    Begin(false);
    crash_ = true;
    last_lineno_ = line.lineno;
    buf_ = std::string(kind) + ": " + msg;
    tb_.Feed(line, buf_);
    return true;
  }
  if (StartsWith(t, "> [unrecovered-panic] ")) {
    // The terminal stopped at an unrecovered panic; its value comes on a
    // line of its own (`runtime.curg._panic.arg: ...`).
    Begin(false);
    crash_ = value_pending_ = true;
    last_lineno_ = line.lineno;
    return true;
  }
  Header h;
  bool header = (c == 'G' || c == '*') && ParseHeader(t, &h);
  if (!header && FrameFunction(t).empty()) return false;
  Begin(header);
  last_lineno_ = line.lineno;
  Take(line, t);
  return true;
}

void DelveParser::Begin(bool listing) {
  inner_ = *ctx_;
  inner_.recent.clear();
  inner_.emit = [this, listing](Incident&& inc) {
    if (listing && inc.kind == IncidentKind::kGoroutineDump) {
      inc.headline = std::string(kDelveListingHeadline);
      if (declared_ > 0) {
        inc.declared_total = declared_;
        inc.last_line = std::max(inc.last_line, declared_line_);
        if (declared_ > inc.goroutine_count && !inc.partial) {
          inc.partial = true;
          inc.partial_reason = "delve lists " + std::to_string(declared_) + " goroutines but only " +
                               std::to_string(inc.goroutine_count) + " are in the input";
        }
      }
    }
    ctx_->emit(std::move(inc));
  };
  tb_.Reset(&inner_).set_one_report(listing);
  active_ = true;
  listing_ = listing;
  crash_ = value_pending_ = goroutine_ = frame_open_ = false;
  declared_ = 0;
  declared_line_ = 0;
}

bool DelveParser::Take(const Line& line, std::string_view t) {
  if (t.empty() || t == "Stack:" || StartsWith(t, "(dlv) ")) return true;
  if (crash_ && !goroutine_) {
    // A panic stop, before its stack: the value, the source listing,
    // delve's warnings.
    if (StartsWith(t, "runtime.curg._panic.arg: ")) {
      if (value_pending_) {
        buf_ = "panic: " + StopPanicValue(t.substr(25));
        for (char& ch : buf_)
          if (ch == '\n' || ch == '\r') ch = ' ';
        tb_.Feed(line, buf_);
        value_pending_ = false;
      }
      return true;
    }
    if (StartsWith(t, "Warning: ") || SourceListingLine(line.text)) return true;
  }
  if (std::string_view fn = FrameFunction(t); !fn.empty()) {
    if (value_pending_) {
      // A stop whose value line the paste does not have.
      tb_.Feed(line, "panic: (the value is not in the input)");
      value_pending_ = false;
    }
    // The stack after VS Code's exception line: the goroutine that
    // panicked, its header not shown.
    if (!goroutine_ && crash_ && tb_.started()) tb_.parser().BeginUnknownGoroutine(line);
    goroutine_ = true;
    buf_.assign(fn);
    buf_ += "()";
    tb_.Feed(line, buf_);
    frame_open_ = true;
    return true;
  }
  if (std::string_view at = FrameAt(t); !at.empty()) {
    if (!frame_open_) return false;
    buf_ = "\t";
    buf_ += at;
    tb_.Feed(line, buf_);
    frame_open_ = false;
    return true;
  }
  Header h;
  if ((t[0] == 'G' || t[0] == '*') && ParseHeader(t, &h)) {
    if (!crash_ && !listing_) {
      // A listing after a bare `bt`: the stack so far is an input of its
      // own, and the listing another.
      Finish(false);
      Begin(true);
    }
    if (goroutine_) tb_.Feed(line, "");  // the stack before it ends
    std::string state(h.state.empty() ? (h.thread ? "running" : "waiting") : h.state);
    buf_ = "goroutine " + std::to_string(h.id) + " [" + state;
    if (h.seconds >= 60) {
      double minutes = std::floor(h.seconds / 60);
      buf_ += ", " + std::to_string(static_cast<int64_t>(std::min(minutes, 1e9))) + " minutes";
    }
    buf_ += "]:";
    tb_.Feed(line, buf_);
    goroutine_ = true;
    frame_open_ = false;
    return true;
  }
  return false;
}

SubParser::Feed DelveParser::Next(const Line& line) {
  if (!active_) return Feed::kDone;
  std::string_view t = Text(line.text);
  if (uint64_t n = ListingEnd(t)) {
    last_lineno_ = line.lineno;
    declared_ = n;
    declared_line_ = line.lineno;
    Finish(false);
    return Feed::kConsumedDone;
  }
  if (!Take(line, t)) {
    Finish(false);
    return Feed::kDone;
  }
  last_lineno_ = line.lineno;
  return Feed::kConsumed;
}

void DelveParser::Finish(bool at_eof) {
  if (!active_) return;
  active_ = false;
  tb_.Finish(at_eof);
}

}  // namespace gotriage
