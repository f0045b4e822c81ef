// goleak reports; see goleak.h.
#include "parsers/goleak.h"

#include "base/strings.h"
#include "parsers/grammar.h"
#include "parsers/traceback.h"

namespace gotriage {

namespace {

// `=== RUN   TestX`, `=== NAME  TestX`, `=== CONT  TestX`, `--- FAIL: TestX (0.57s)`.
bool TestName(std::string_view t, std::string* name) {
  std::string_view rest;
  if (StartsWith(t, "=== RUN ") || StartsWith(t, "=== NAME ") || StartsWith(t, "=== CONT ")) {
    rest = t.substr(8);
  } else if (StartsWith(t, "--- FAIL: ")) {
    rest = t.substr(10);
  } else {
    return false;
  }
  rest = Trim(rest);
  rest = rest.substr(0, rest.find(' '));
  if (rest.empty()) return false;
  name->assign(rest.substr(0, 256));
  return true;
}

}  // namespace

GoleakParser::GoleakParser(ParseContext* ctx) : ctx_(ctx) {}
GoleakParser::~GoleakParser() = default;

bool GoleakParser::Start(const Line& line) {
  std::string_view t = line.text;
  if (t.empty()) return false;
  if (t[0] == '=' || t[0] == '-') {
    std::string name;
    if (TestName(t, &name)) test_ = std::move(name);
    return false;
  }
  std::string headline(kGoleakHeadline);
  if (!test_.empty()) headline += " after " + test_;
  headline += " (goleak)";
  size_t at = t.find(kGoleakHeadline);
  if (at == std::string_view::npos || t.substr(at + kGoleakHeadline.size()) != ":") {
    // A record pasted without the headline above it: `Goroutine 708 in
    // state select, with F on top of the stack:` is goleak's own shape.
    std::string_view r = TrimLeft(t);
    if (StartsWith(r, "[")) r.remove_prefix(1);
    if (!StartsWith(r, "Goroutine ") || r.find(" in state ") == std::string_view::npos ||
        !EndsWith(TrimRight(r), " on top of the stack:"))
      return false;
    Begin(std::move(headline));
    last_lineno_ = line.lineno;
    indent_ = 0;  // the record line's own indent is the paste's, not the report's
    if (Header(line, r) == Feed::kDone) {
      active_ = false;
      tb_.Drop();
      return false;
    }
    return true;
  }
  Begin(std::move(headline));
  last_lineno_ = line.lineno;
  return true;
}

void GoleakParser::Begin(std::string headline) {
  // The report: a fresh traceback parser reads the stacks.
  inner_ = *ctx_;
  inner_.recent.clear();
  inner_.emit = [this, headline](Incident&& inc) {
    inc.headline = headline;
    ctx_->emit(std::move(inc));
  };
  tb_.Reset(&inner_).set_one_report(true);
  active_ = true;
  skipping_ = header_pending_ = double_spaced_ = blank_seen_ = false;
  indent_ = std::string_view::npos;
}

SubParser::Feed GoleakParser::Header(const Line& line, std::string_view t) {
  // `Goroutine 19 in state chan send, with F on top of the stack:`.
  std::string_view rest = t.substr(10);
  size_t sp = rest.find(' ');
  int64_t id;
  if (sp == std::string_view::npos || !ParseInt(rest.substr(0, sp), &id)) return Feed::kDone;
  rest = rest.substr(sp);
  if (!StartsWith(rest, " in state ")) return Feed::kDone;
  rest = rest.substr(10);
  size_t with = rest.rfind(", with ");
  if (with == std::string_view::npos) return Feed::kDone;
  std::string_view state = rest.substr(0, with);
  std::string_view top = rest.substr(with + 7);
  top = top.substr(0, top.find(" on top of the stack"));
  // The record before, if it had no stack, still counts (as it does when
  // the report ends after it).
  FlushHeader(line);
  // The test runner's own goroutines are not the test's leaks.
  skipping_ = StartsWith(top, "testing.");
  if (skipping_) return Feed::kConsumed;
  // Older goleak versions print the runtime's own header next: the
  // header made here waits for the next line.
  header_ = "goroutine " + std::to_string(id) + " [" + std::string(state) + "]:";
  header_id_ = id;
  if (tb_.started()) tb_.Feed(line, "");
  header_pending_ = true;
  return Feed::kConsumed;
}

void GoleakParser::FlushHeader(const Line& line) {
  if (!header_pending_) return;
  header_pending_ = false;
  tb_.Feed(line, header_);
}

SubParser::Feed GoleakParser::Next(const Line& line) {
  if (!active_) return Feed::kDone;
  last_lineno_ = line.lineno;
  std::string_view t = line.text;
  size_t sp = LeadingSpaces(t);
  if (indent_ == std::string_view::npos) {
    if (t.empty()) return Feed::kConsumed;
    indent_ = sp;
  }
  if (sp == t.size()) {
    // Right after a record's line goleak prints its stack, never a blank:
    // a paste that put a blank after every line (pingcap/tidb#41490, a
    // Jenkins copy). There one blank is the paste's, and the traceback
    // parser holds it; two are goleak's separator.
    if (header_pending_ && !between_ && !double_spaced_ && !skipping_) {
      double_spaced_ = blank_seen_ = true;
      return Feed::kConsumed;
    }
    if (double_spaced_ && !blank_seen_) {
      blank_seen_ = true;
      if (tb_.started() && !skipping_) tb_.Feed(line, "");
      return Feed::kConsumed;
    }
    // A blank line: goleak's own separator before the next record, or the
    // report's end; which one, the next line says.
    if (double_spaced_ && tb_.started() && !skipping_) tb_.Feed(line, "");
    between_ = true;
    return Feed::kConsumed;
  }
  blank_seen_ = false;
  if (header_pending_ && sp < indent_ && !skipping_) {
    // The runtime's own header right under goleak's record line (older
    // goleak versions print it) is that record's, wherever its indent
    // went: the prefix layer learns an indent at a goroutine header and
    // peels it from there on. The report's indent is what is left.
    GoroutineHeader h;
    if (ParseGoroutineHeader(t.substr(sp), &h) && h.id == header_id_) indent_ = sp;
  }
  std::string_view r = sp < indent_ ? std::string_view() : t.substr(indent_);
  if (StartsWith(r, "[")) r.remove_prefix(1);
  if (StartsWith(r, " Goroutine ")) r.remove_prefix(1);
  bool record = StartsWith(r, "Goroutine ");
  if (sp < indent_ || (between_ && !record)) {
    // Below the report's indentation (`--- FAIL:`, the next test), or
    // after a blank line, anything but another record.
    Finish(false);
    return Feed::kDone;
  }
  between_ = false;
  t = r;
  if (record) {
    auto f = Header(line, t);
    if (f == Feed::kDone) Finish(false);
    return f;
  }
  if (t == "]") {
    Finish(false);
    return Feed::kConsumedDone;
  }
  if (!skipping_ && header_pending_) {
    header_pending_ = false;
    // Only the runtime's own header replaces goleak's: a line that merely
    // starts with `goroutine ` would leave the goroutine without one, and
    // it would be dropped.
    GoroutineHeader h;
    if (!StartsWith(t, "goroutine ") || !ParseGoroutineHeader(t, &h)) tb_.Feed(line, header_);
  }
  if (!skipping_) {
    // The last stack's file line may carry the closing `]`.
    bool closes = !t.empty() && t.back() == ']' && t.find(".go:") != std::string_view::npos;
    if (closes) t.remove_suffix(1);
    tb_.Feed(line, t);
    if (closes) {
      Finish(false);
      return Feed::kConsumedDone;
    }
  }
  return Feed::kConsumed;
}

void GoleakParser::Finish(bool at_eof) {
  if (!active_) return;
  active_ = false;
  between_ = false;
  if (tb_.open()) {
    Line end;
    end.lineno = last_lineno_;
    FlushHeader(end);
  }
  header_pending_ = false;
  tb_.Finish(at_eof);
}

}  // namespace gotriage
