// Parser of gocheck's panic report; see gocheck.h.
#include "parsers/gocheck.h"

#include "base/chars.h"
#include "base/strings.h"
#include "parsers/classify.h"
#include "parsers/traceback.h"

namespace gotriage {

namespace {

// `FILE:LINE` as gocheck prints a frame's file: no blank inside, a line
// number after the last colon.
bool FrameFile(std::string_view t) {
  size_t colon = t.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == t.size() || colon + 10 < t.size())
    return false;
  for (size_t i = colon + 1; i < t.size(); ++i)
    if (!IsDigit(t[i])) return false;
  return t.find_first_of(" \t") == std::string_view::npos;
}

// `PANIC: FILE:LINE: NAME`, the first line of a report.
bool ReportHead(std::string_view t) {
  if (!StartsWith(t, "PANIC: ")) return false;
  std::string_view rest = t.substr(7);
  size_t sep = rest.find(": ");
  return sep != std::string_view::npos && FrameFile(rest.substr(0, sep)) && sep + 2 < rest.size();
}

// The panic's value: `... Panic: V (PC=0x48B499)` without gocheck's words.
std::string_view ReportedValue(std::string_view t) {
  std::string_view v = t.substr(11);
  if (size_t pc = v.rfind(" (PC=0x"); pc != std::string_view::npos && v.back() == ')') {
    bool hex = pc + 8 < v.size();
    for (size_t i = pc + 7; i + 1 < v.size() && hex; ++i) hex = IsHex(v[i]);
    if (hex) v = v.substr(0, pc);
  }
  return v;
}

}  // namespace

std::string GocheckFunction(std::string_view name, std::string_view file) {
  size_t slash = file.rfind('/');
  if (slash == std::string_view::npos || name.empty()) return std::string(name);
  std::string_view dir = file.substr(0, slash);
  // A Go installation's source: `.../src/pkg/P/` up to Go 1.3, `.../src/P/`
  // after; under -trimpath the package path itself.
  if (size_t pkg = dir.rfind("/src/pkg/"); pkg != std::string_view::npos) {
    dir = dir.substr(pkg + 9);
  } else if (size_t src = dir.find("/src/"); src != std::string_view::npos && file[0] == '/') {
    // The first `/src/` whose rest is a standard package (a GOPATH's
    // `/go/src/github.com/...` is not).
    for (; src != std::string_view::npos; src = dir.find("/src/", src + 1)) {
      if (IsStdlibPackage(dir.substr(src + 5)) || IsRuntimePackage(dir.substr(src + 5))) break;
    }
    if (src == std::string_view::npos) return std::string(name);
    dir = dir.substr(src + 5);
  } else if (file[0] == '/') {
    return std::string(name);
  }
  if (!IsStdlibPackage(dir) && !IsRuntimePackage(dir)) return std::string(name);
  std::string out(dir);
  out += '.';
  out += name;
  return out;
}

GocheckParser::GocheckParser(ParseContext* ctx) : ctx_(ctx) {}
GocheckParser::~GocheckParser() = default;

bool GocheckParser::Start(const Line& line) {
  std::string_view t = Trim(line.text);
  if (t.size() < 12 || t[0] != 'P' || !ReportHead(t)) return false;
  Begin();
  return true;
}

void GocheckParser::Begin() {
  inner_ = *ctx_;
  inner_.recent.clear();
  inner_.emit = [this](Incident&& inc) { ctx_->emit(std::move(inc)); };
  tb_.Reset(&inner_);
  active_ = true;
  value_ = goroutine_ = false;
  file_.clear();
}

SubParser::Feed GocheckParser::Next(const Line& line) {
  if (!active_) return Feed::kDone;
  std::string_view t = Trim(line.text);
  if (t.empty()) return Feed::kConsumed;  // gocheck's blank lines inside a report
  if (ReportHead(t)) {
    // The next test's report: an incident of its own.
    Finish(false);
    Begin();
    return Feed::kConsumed;
  }
  if (!value_ && !goroutine_ && StartsWith(t, "... Panic: ")) {
    buf_ = "panic: ";
    buf_ += ReportedValue(t);
    tb_.Feed(line, buf_);
    value_ = true;
    return Feed::kConsumed;
  }
  if (file_.empty() && (value_ || goroutine_) && FrameFile(t)) {
    file_.assign(t);
    return Feed::kConsumed;
  }
  if (!file_.empty() && StartsWith(t, "in ") && t.size() > 3) {
    if (!goroutine_) {
      // The goroutine that panicked, its header not printed.
      if (tb_.started()) tb_.parser().BeginUnknownGoroutine(line);
      goroutine_ = true;
    }
    buf_ = GocheckFunction(Trim(t.substr(3)), file_);
    buf_ += "()";
    tb_.Feed(line, buf_);
    buf_ = "\t";
    buf_ += file_;
    tb_.Feed(line, buf_);
    file_.clear();
    return Feed::kConsumed;
  }
  // The report ends (gocheck's `-----` rule, its `OOPS:` summary, go
  // test's `--- FAIL:`): the line goes to the other parsers.
  Finish(false);
  return Feed::kDone;
}

void GocheckParser::Finish(bool at_eof) {
  if (!active_) return;
  active_ = false;
  tb_.Finish(at_eof);
}

}  // namespace gotriage
