// Parser of panicparse's condensed goroutine dumps; see panicparse.h.
#include "parsers/panicparse.h"

#include <algorithm>
#include <utility>

#include "parsers/grammar.h"

namespace gotriage {

namespace {

// The states a runtime prints in a goroutine header that panicparse keeps
// as they are: a header with another word is not read (a numbered list
// item, `1: fix the build`).
bool RuntimeState(std::string_view s) {
  WaitKind k = ClassifyWaitState(s);
  if (k != WaitKind::kOther && k != WaitKind::kUnknown) return true;
  for (std::string_view w : {"waiting", "chan receive (nil chan)", "chan send (nil chan)", "sync.Mutex.Lock",
                             "sync.RWMutex.Lock", "sync.RWMutex.RLock", "GC assist wait", "GC worker (idle)",
                             "sync.WaitGroup.Wait", "sync.Cond.Wait", "semacquire"})
    if (s == w) return true;
  return false;
}

// `77 minutes`, `1~5 minutes`, `1 minute`: the largest number of minutes.
bool ParseSleep(std::string_view s, int* minutes) {
  std::string_view num;
  if (EndsWith(s, " minutes")) num = s.substr(0, s.size() - 8);
  else if (EndsWith(s, " minute")) num = s.substr(0, s.size() - 7);
  else return false;
  if (size_t tilde = num.find('~'); tilde != std::string_view::npos) num = num.substr(tilde + 1);
  int64_t n;
  if (!ParseInt(num, &n) || n < 0 || n > (int64_t{1} << 30)) return false;
  *minutes = static_cast<int>(n);
  return true;
}

// `FILE:LINE` with a file a Go stack names (`.go`, an assembly `.s`, a cgo
// `.c`), or `?:0`.
bool SourceRef(std::string_view s, int* line) {
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  int64_t n;
  if (!ParseInt(s.substr(colon + 1), &n) || n < 0 || n > (int64_t{1} << 30)) return false;
  std::string_view file = s.substr(0, colon);
  if (!(EndsWith(file, ".go") || EndsWith(file, ".s") || EndsWith(file, ".c") || file == "?")) return false;
  *line = static_cast<int>(n);
  return true;
}

// The standard library's packages by their last element, where it is not
// the whole path (those, `sync`, `net`, `os`, ..., need no entry).
std::string_view StdlibPath(std::string_view dir) {
  static constexpr std::pair<std::string_view, std::string_view> kPaths[] = {
      {"atomic", "sync/atomic"},      {"base64", "encoding/base64"}, {"binary", "encoding/binary"},
      {"bzip2", "compress/bzip2"},    {"exec", "os/exec"},           {"filepath", "path/filepath"},
      {"flate", "compress/flate"},    {"gzip", "compress/gzip"},     {"heap", "container/heap"},
      {"hex", "encoding/hex"},        {"http", "net/http"},          {"httptest", "net/http/httptest"},
      {"httptrace", "net/http/httptrace"}, {"httputil", "net/http/httputil"}, {"ioutil", "io/ioutil"},
      {"json", "encoding/json"},      {"list", "container/list"},    {"netip", "net/netip"},
      {"poll", "internal/poll"},      {"pprof", "runtime/pprof"},    {"rand", "math/rand"},
      {"rpc", "net/rpc"},             {"signal", "os/signal"},       {"smtp", "net/smtp"},
      {"sql", "database/sql"},        {"tar", "archive/tar"},        {"template", "text/template"},
      {"textproto", "net/textproto"}, {"tls", "crypto/tls"},         {"trace", "runtime/trace"},
      {"url", "net/url"},             {"user", "os/user"},           {"utf8", "unicode/utf8"},
      {"x509", "crypto/x509"},        {"xml", "encoding/xml"},       {"zip", "archive/zip"},
      {"zlib", "compress/zlib"},      {"debug", "runtime/debug"},    {"driver", "database/sql/driver"},
      {"cgi", "net/http/cgi"},        {"fcgi", "net/http/fcgi"},     {"mail", "net/mail"},
      {"scanner", "text/scanner"},    {"tabwriter", "text/tabwriter"}, {"slog", "log/slog"},
      {"iotest", "testing/iotest"},   {"fstest", "testing/fstest"},  {"cookiejar", "net/http/cookiejar"},
  };
  for (const auto& [d, path] : kPaths)
    if (d == dir) return path;
  return dir;
}

}  // namespace

bool ParsePanicparseHeader(std::string_view line, PanicparseHeader* out) {
  std::string_view t = TrimRight(line);
  size_t colon = t.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 19) return false;
  int64_t n;
  // More goroutines than any process holds is no count.
  if (!ParseInt(t.substr(0, colon), &n) || n <= 0 || n > (int64_t{1} << 40)) return false;
  std::string_view rest = t.substr(colon + 2);
  size_t br = rest.find(" [");
  PanicparseHeader h;
  h.count = static_cast<uint64_t>(n);
  h.state = rest.substr(0, br);
  if (!RuntimeState(h.state)) return false;
  rest = br == std::string_view::npos ? std::string_view() : rest.substr(br);
  while (!rest.empty()) {
    // ` [WHAT]`, as many as panicparse adds, in its order.
    if (!StartsWith(rest, " [")) return false;
    size_t end = rest.find(']');
    if (end == std::string_view::npos) return false;
    std::string_view what = rest.substr(2, end - 2);
    rest = rest.substr(end + 1);
    if (what == "locked") {
      h.locked = true;
    } else if (StartsWith(what, "Created by ")) {
      what = what.substr(11);
      size_t at = what.find(" @ ");
      if (at == std::string_view::npos || at == 0) return false;
      h.created_by = what.substr(0, at);
      h.created_at = what.substr(at + 3);
      int l;
      if (!SourceRef(h.created_at, &l)) return false;
    } else if (!ParseSleep(what, &h.wait_minutes)) {
      return false;
    }
  }
  *out = h;
  return true;
}

bool ParsePanicparseCall(std::string_view line, PanicparseCall* out) {
  if (line.empty() || (line[0] != ' ' && line[0] != '\t')) return false;
  std::string_view t = Trim(line);
  size_t sp = t.find_first_of(" \t");
  if (sp == std::string_view::npos || sp == 0) return false;
  PanicparseCall c;
  c.dir = t.substr(0, sp);
  if (c.dir.find('(') != std::string_view::npos || c.dir.find(':') != std::string_view::npos) return false;
  t = TrimLeft(t.substr(sp));
  sp = t.find_first_of(" \t");
  if (sp == std::string_view::npos) return false;
  c.src = t.substr(0, sp);
  int l;
  if (!SourceRef(c.src, &l)) return false;
  t = TrimLeft(t.substr(sp));
  size_t paren = t.find('(');
  if (paren == std::string_view::npos || t.back() != ')') return false;
  // `(*T).M(args)`: the name's own parentheses come before the arguments'.
  if (paren == 0) {
    size_t close = t.find(')');
    if (close == std::string_view::npos) return false;
    paren = t.find('(', close);
    if (paren == std::string_view::npos) return false;
  }
  c.name = t.substr(0, paren);
  if (c.name.empty() || c.name.find_first_of(" \t") != std::string_view::npos) return false;
  c.args = t.substr(paren + 1, t.size() - paren - 2);
  *out = c;
  return true;
}

std::string_view PanicparseFunction(std::string_view dir, std::string_view src, std::string_view name,
                                    std::string* buf) {
  std::string_view pkg = dir;
  std::string_view file = src.substr(0, src.rfind(':'));
  size_t slash = file.rfind('/');
  if (slash != std::string_view::npos) {
    // A path: the package is its directory, from where an import path
    // starts (a module cache's `pkg/mod/`, a GOPATH or GOROOT `src/`, a
    // `vendor/`), or the path itself when relative (-rel-path). Taken only
    // when it ends in the element panicparse printed.
    std::string_view d = file.substr(0, slash);
    for (std::string_view mark : {"/vendor/", "/pkg/mod/", "/src/"}) {
      size_t at = d.rfind(mark);
      if (at != std::string_view::npos) {
        d = d.substr(at + mark.size());
        break;
      }
    }
    if (!d.empty() && d[0] == '/') d = {};
    std::string path;
    // A module cache's `name@version` elements lose the version.
    for (size_t i = 0; i < d.size();) {
      size_t j = d.find('/', i);
      if (j == std::string_view::npos) j = d.size();
      std::string_view el = d.substr(i, j - i);
      el = el.substr(0, el.find('@'));
      if (!path.empty()) path += '/';
      path.append(el);
      i = j + 1;
    }
    std::string_view last = std::string_view(path).substr(path.rfind('/') + 1);  // npos + 1 == 0
    if (!path.empty() && last == dir) {
      buf->assign(path);
      buf->push_back('.');
      buf->append(name);
      return *buf;
    }
  } else {
    pkg = StdlibPath(dir);
  }
  buf->assign(pkg);
  buf->push_back('.');
  buf->append(name);
  return *buf;
}

PanicparseParser::PanicparseParser(ParseContext* ctx)
    : ctx_(ctx), groups_(&ctx->out->strings, &ctx->limits, &ctx->out->limits_hit) {}

bool PanicparseParser::Start(const Line& line) {
  if (line.text.empty() || !IsDigit(line.text[0])) return false;
  PanicparseHeader h;
  if (!ParsePanicparseHeader(line.text, &h)) return false;
  incident_ = StartIncident(IncidentKind::kGoroutineDump, line, *ctx_);
  buckets_ = 0;
  first_.reset();
  header_.assign(line.text);
  header_line_ = line;
  header_line_.text = header_;
  header_line_.raw = {};
  header_line_.timestamp = {};
  header_line_.stream = {};
  header_line_.test_package = {};
  header_line_.logged = nullptr;
  Begin(line, h);
  return true;
}

void PanicparseParser::Begin(const Line& line, const PanicparseHeader& h) {
  pending_.Reset();
  pending_.state = ctx_->out->strings.Intern(h.state);
  pending_.SetState(pending_.state);
  pending_.count = h.count;
  pending_.wait_minutes = h.wait_minutes;
  pending_.locked_to_thread = h.locked;
  pending_.header_line = line.lineno;
  if (!h.created_by.empty()) {
    std::string_view dir = h.created_by.substr(0, h.created_by.find('.'));
    std::string_view name = h.created_by.substr(std::min(h.created_by.size(), dir.size() + 1));
    pending_.SetCreatedBy(PanicparseFunction(dir, h.created_at, name, &created_fn_), -1, line.lineno);
    size_t colon = h.created_at.rfind(':');
    int64_t l = 0;
    ParseInt(h.created_at.substr(colon + 1), &l);
    pending_.AddCreatedByFile(h.created_at.substr(0, colon), static_cast<int>(l), 0, false);
  }
  bucket_open_ = true;
  idle_ = false;
}

void PanicparseParser::EndBucket() {
  if (!bucket_open_) return;
  bucket_open_ = false;
  if (pending_.frame_count() == 0) return;  // a header alone is no bucket
  if (buckets_ == 0) first_ = pending_.Materialize(&ctx_->out->strings);
  groups_.Add(pending_);
  ++buckets_;
}

SubParser::Feed PanicparseParser::Next(const Line& line) {
  Feed f = Read(line);
  if (f != Feed::kDone) incident_->last_line = std::max(incident_->last_line, line.lineno);
  return f;
}

SubParser::Feed PanicparseParser::Read(const Line& line) {
  std::string_view t = line.text;
  PanicparseCall c;
  if (bucket_open_ && ParsePanicparseCall(t, &c)) {
    if (pending_.frame_count() < ctx_->limits.max_frames) {
      pending_.AddFunc(PanicparseFunction(c.dir, c.src, c.name, &fn_), c.args, false, line.lineno);
      size_t colon = c.src.rfind(':');
      int64_t l = 0;
      ParseInt(c.src.substr(colon + 1), &l);
      pending_.AddFile(c.src.substr(0, colon), static_cast<int>(l), 0, false);
    } else {
      NoteLimit(&ctx_->out->limits_hit, "frames per goroutine (--max-frames)");
    }
    idle_ = true;
    return Feed::kConsumed;
  }
  if (bucket_open_ && pending_.frame_count() > 0 && Trim(t) == "(...)") {
    pending_.frames_elided = true;
    return Feed::kConsumed;
  }
  // A header right after another, or after a blank line: the next bucket.
  // Before any call line, the first header was not panicparse's.
  PanicparseHeader h;
  if ((idle_ || !bucket_open_) && buckets_ + (pending_.frame_count() > 0 ? 1 : 0) > 0 &&
      ParsePanicparseHeader(t, &h)) {
    EndBucket();
    Begin(line, h);
    return Feed::kConsumed;
  }
  if (Trim(t).empty() && (idle_ || !bucket_open_) && buckets_ + (pending_.frame_count() > 0 ? 1 : 0) > 0) {
    EndBucket();
    idle_ = true;
    return Feed::kConsumed;
  }
  return Feed::kDone;
}

void PanicparseParser::Finish(bool at_eof) {
  (void)at_eof;
  if (!incident_) return;
  EndBucket();
  if (buckets_ == 0) {
    // Its header was not panicparse's after all: back among the lines no
    // reader took, as the Scanner would have kept it.
    ctx_->Remember(header_line_, header_);
    incident_.reset();
    idle_ = false;
    return;
  }
  Incident& inc = *incident_;
  inc.groups = groups_.Take();
  uint64_t n = 0;
  for (const auto& g : inc.groups) n += g.count;
  inc.goroutine_count = n;
  idle_ = false;
  inc.headline = "goroutine dump condensed by panicparse: " + std::to_string(n) + " goroutines";
  ctx_->emit(std::move(inc));
  incident_.reset();
}

}  // namespace gotriage
