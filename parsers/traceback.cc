// Parser of Go tracebacks; see traceback.h.
//
// Over 600 lines: one state machine over every section the runtime prints
// in a crash (panic values and their continuation lines, `fatal error:`,
// signal and register dumps, `runtime:` messages, goroutine headers,
// frames, `created by`, ancestors, elisions, `go test` timeouts) whose
// states share the incident being built and decide together where it
// ends. The line shapes themselves are in grammar.cc.
#include "parsers/traceback.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

#include "parsers/envelope.h"
#include "parsers/grammar.h"
#include "parsers/kernel_oom.h"
#include "parsers/newlines.h"
#include "parsers/panicparse.h"
#include "parsers/prefix.h"

namespace gotriage {

namespace {

// Bounds on hostile input that Limits does not name (GOTRACEBACK prints
// chains and ancestors far shorter than these).
constexpr size_t kMaxPanicChain = 100;
constexpr size_t kMaxAncestors = 100;
// A goroutine's label list as printed; longer ones are dropped and noted.
constexpr size_t kMaxLabelBytes = 4096;

// `SIGQUIT: quit`, `SIGSEGV: segmentation violation`, `SIGABRT: abort`.
bool ParseSignalHeader(std::string_view t, std::string_view* name, std::string_view* desc) {
  if (!StartsWith(t, "SIG")) return false;
  size_t colon = t.find(": ");
  if (colon == std::string_view::npos || colon < 4 || colon > 10) return false;
  for (size_t i = 3; i < colon; ++i) {
    char c = t[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  *name = t.substr(0, colon);
  *desc = t.substr(colon + 2);
  return !desc->empty();
}

// Value of `key=` in a space-separated list such as `PC=0x.. m=0 sigcode=1`.
std::string_view Field(std::string_view t, std::string_view key) {
  size_t pos = 0;
  while ((pos = t.find(key, pos)) != std::string_view::npos) {
    if (pos == 0 || t[pos - 1] == ' ' || t[pos - 1] == '[') {
      std::string_view v = t.substr(pos + key.size());
      size_t end = v.find_first_of(" ]");
      return v.substr(0, end);
    }
    pos += key.size();
  }
  return {};
}

// `[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f5b2]`.
bool ParseSignalLine(std::string_view t, SignalInfo* s) {
  if (!StartsWith(t, "[signal ")) return false;
  std::string_view rest = t.substr(8);
  if (EndsWith(rest, "]")) rest.remove_suffix(1);
  if (StartsWith(rest, "0x")) {
    // Go 1.0-1.4: `[signal 0xb code=0x1 addr=0x0 pc=0x..]`, the number
    // only (Windows: `[signal 0xc0000005 code=0x0 ...]`, an exception code).
    std::string_view num = rest.substr(0, rest.find(' '));
    uint64_t n = 0;
    ParseHex(num, &n);
    static constexpr struct {
      uint64_t n;
      const char* name;
      const char* desc;
    } kUnix[] = {{0x4, "SIGILL", "illegal instruction"}, {0x5, "SIGTRAP", "trace/breakpoint trap"},
                 {0x6, "SIGABRT", "abort"},                {0x7, "SIGBUS", "bus error"},
                 {0x8, "SIGFPE", "floating-point exception"}, {0xb, "SIGSEGV", "segmentation violation"},
                 {0xc0000005, "SIGSEGV", "segmentation violation"}};
    s->name = std::string(num);
    for (const auto& k : kUnix) {
      if (k.n == n) {
        s->name = k.name;
        s->description = k.desc;
      }
    }
  } else {
    size_t colon = rest.find(':');
    s->name = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      std::string_view d = TrimLeft(rest.substr(colon + 1));
      s->description = std::string(d.substr(0, d.find(" code=")));
    }
  }
  s->code = std::string(Field(rest, "code="));
  uint64_t v;
  if (ParseHex(Field(rest, "addr="), &v)) {
    s->addr = v;
    s->has_addr = true;
  }
  if (ParseHex(Field(rest, "pc="), &v)) s->pc = v;
  return true;
}

// Register dump lines after a signal: `rax    0x0`, `rflags 0x246`.
bool IsRegisterLine(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9'))) ++i;
  if (i == 0 || i > 8 || i == t.size() || t[i] != ' ') return false;
  std::string_view v = TrimLeft(t.substr(i));
  uint64_t x;
  return StartsWith(v, "0x") && ParseHex(v, &x);
}

bool IsRuntimeMessage(std::string_view t) {
  std::string_view u = TrimLeft(t);
  return StartsWith(t, "runtime: ") || StartsWith(t, "unexpected fault address ") ||
         StartsWith(u, "morebuf={") || StartsWith(u, "sched={") ||
         StartsWith(t, "signal arrived during ") || StartsWith(t, "fatal: morestack");
}

// Strips the recovered markers printed after a panic value.
void ApplyPanicSuffix(PanicValue* p) {
  std::string& m = p->message;
  auto cut = [&](std::string_view suffix) {
    if (m.size() >= suffix.size() && m.compare(m.size() - suffix.size(), suffix.size(), suffix) == 0) {
      m.resize(m.size() - suffix.size());
      return true;
    }
    return false;
  };
  if (cut(" [recovered, repanicked]") || cut(" [recovered, reraised]")) {
    p->recovered = p->repanicked = true;
  } else if (cut(" [recovered]")) {
    p->recovered = true;
  }
  if (cut(" goexit")) p->goexit = true;
}

// Where a log line reports a panic's value (`http: panic serving ADDR: V`,
// `Observed a panic: V`, `E | pkg: Panic: V`, `[Macaron] PANIC: V`), the
// value; false when the line names no panic. \a strict: the word must be
// followed by `: ` or ` serving ` (a line that merely mentions a panic
// does not announce one).
bool LoggedPanicValue(std::string_view r, bool strict, std::string_view* value) {
  size_t at = r.find("panic");
  if (at == std::string_view::npos) at = r.find("Panic");
  if (at == std::string_view::npos) at = r.find("PANIC");
  if (at == std::string_view::npos) return false;
  std::string_view v = r.substr(at);
  if (StartsWith(v, "panic serving ")) {
    // net/http: `http: panic serving 1.2.3.4:5: VALUE`.
    size_t c = v.find(": ");
    if (c != std::string_view::npos) v = v.substr(c + 2);
  } else if (StartsWith(v, "panic: ")) {
    v = v.substr(7);
  } else if (size_t c = v.find(": "); c != std::string_view::npos && c < 24) {
    if (strict && c != 5) return false;
    v = v.substr(c + 2);
  } else if (strict) {
    return false;
  }
  *value = Trim(v);
  return !strict || !value->empty();
}

// The words with which recovery handlers announce the stack they print
// next: apimachinery's `Observed a panic: V`, net/http's `http: panic
// serving ADDR: V`, `recovered from panic`, gin's `[Recovery] ... panic
// recovered:`. A bare `panic: V` is the runtime's own (an unrecovered
// crash's first line), not an announcement.
bool AnnouncesRecoveredPanic(std::string_view line) {
  for (std::string_view w : {"Observed a panic", "panic serving ", "ecovered from panic", "anic recovered",
                             "ecovered panic", "PANIC RECOVERED"})
    if (line.find(w) != std::string_view::npos) return true;
  return false;
}

// The import path a file path names by the GOPATH layout these loggers
// come from (`.../vendor/P/f.go`, `.../pkg/mod/P@v1.2.3/f.go`,
// `$GOROOT/src/P/f.go`, `$GOPATH/src/P/f.go`), or "" when it names none.
std::string PackageFromFile(std::string_view file) {
  size_t slash = file.rfind('/');
  if (slash == std::string_view::npos) return "";
  std::string_view dir = file.substr(0, slash);
  for (std::string_view root : {"/vendor/", "/pkg/mod/", "/src/"}) {
    size_t at = dir.rfind(root);
    if (at == std::string_view::npos) continue;
    std::string pkg(dir.substr(at + root.size()));
    // Go 1.0 to 1.3 kept the standard library in $GOROOT/src/pkg/
    // (`D:/go/src/pkg/reflect/value.go`): a path of no domain after it.
    if (root == "/src/" && StartsWith(pkg, "pkg/") && pkg.find('.') == std::string::npos) pkg.erase(0, 4);
    if (size_t v = pkg.find('@'); v != std::string::npos) {
      size_t end = pkg.find('/', v);
      pkg.erase(v, end == std::string::npos ? std::string::npos : end - v);
    }
    return pkg;
  }
  return "";
}

// A frame printed as its file alone, the form of loggers that print
// runtime.Caller's file:line per frame: old klog's `Observed a panic` stack
// (`/go/src/k8s.io/x/runtime.go:72`; some copies keep a `: ` from it),
// Macaron's and martini's recovery (`/x/y.go:204 (0x4144ac)`).
bool ParseFileOnlyFrame(std::string_view t, FileLine* f) {
  t = Trim(t);
  if (StartsWith(t, ": ")) t.remove_prefix(2);
  if (t.size() < 6) return false;
  bool windows = ((t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= 'a' && t[0] <= 'z')) && t[1] == ':' &&
                 (t[2] == '\\' || t[2] == '/');
  if (t[0] != '/' && !windows && !StartsWith(t, "<autogenerated>:")) return false;
  if (t.back() == ')') {
    size_t p = t.rfind(" (0x");
    if (p == std::string_view::npos) return false;
    for (size_t i = p + 4; i + 1 < t.size(); ++i)
      if (!std::isxdigit(static_cast<unsigned char>(t[i]))) return false;
    t = t.substr(0, p);
  }
  if (!ParseFileLine(t, f)) return false;
  if (EndsWith(f->file, ".go") || EndsWith(f->file, ".s") || f->file == "<autogenerated>") return true;
  // Go 1.0 to 1.4 wrote much of the runtime in C (`runtime/panic.c`,
  // `proc.c`) and Go 1.2 and 1.3 some in .goc (`chan.goc`).
  return (EndsWith(f->file, ".c") || EndsWith(f->file, ".goc")) && PackageFromFile(f->file) == "runtime";
}

// A frame's file line cut by a hard wrap before its `+0x` offset ended:
// `/x/y.go:304 +` (`0x1ec` follows).
bool CutFileLine(std::string_view t) {
  t = Trim(t);
  size_t go = t.find(".go:");
  if (go == std::string_view::npos) go = t.find(".s:");
  if (go == std::string_view::npos) return false;
  size_t sp = t.rfind(' ');
  if (sp == std::string_view::npos || sp < go) return false;
  std::string_view tail = t.substr(sp + 1);
  return tail.size() <= 3 && StartsWith("+0x", tail);
}

// The rest of a file line that a hard wrap pushed to a line of its own:
// `=0x42ce72`, `0xc0019779b0 pc=0xcf339a` (the `fp= sp= pc=` registers of
// GOTRACEBACK=system), nothing else.
bool WrappedRegisterTail(std::string_view t) {
  t = Trim(t);
  if (t.empty()) return false;
  while (!t.empty()) {
    size_t sp = t.find(' ');
    std::string_view tok = t.substr(0, sp);
    t = sp == std::string_view::npos ? std::string_view() : TrimLeft(t.substr(sp + 1));
    for (std::string_view k : {"fp=", "sp=", "pc=", "=", "p=", "c="})
      if (StartsWith(tok, k)) {
        tok.remove_prefix(k.size());
        break;
      }
    if (StartsWith(tok, "0x")) tok.remove_prefix(2);
    if (tok.empty() || tok.size() > 16) return false;
    for (char c : tok)
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

TracebackParser::TracebackParser(ParseContext* ctx)
    : ctx_(ctx), groups_(&ctx->out->strings, &ctx->limits, &ctx->out->limits_hit) {}

TracebackParser::~TracebackParser() = default;

bool TracebackParser::Idle() const {
  // Not between panicparse's buckets: another bucket header would start
  // its reader alone (the buckets end at the first line it does not take).
  return state_ == State::kBetween || (state_ == State::kPreamble && provisional_);
}

void TracebackParser::StartCondensed(const Line& line) {
  condensed_ctx_ = std::make_unique<ParseContext>(*ctx_);
  condensed_ctx_->recent.clear();
  condensed_ctx_->emit = [this](Incident&& dump) { condensed_dump_ = std::make_unique<Incident>(std::move(dump)); };
  condensed_ = std::make_unique<PanicparseParser>(condensed_ctx_.get());
  condensed_->Start(line);
  state_ = State::kCondensed;
  message_open_ = false;
}

void TracebackParser::EndCondensed() {
  if (!condensed_) return;
  condensed_->Finish(false);
  Boxed<Goroutine> first = condensed_->TakeFirst();
  condensed_.reset();
  condensed_ctx_.reset();
  if (!condensed_dump_) return;  // its header had no call line after it
  std::unique_ptr<Incident> dump = std::move(condensed_dump_);
  if (inc().groups.empty()) inc().groups = std::move(dump->groups);
  inc().last_line = std::max(inc().last_line, dump->last_line);
  // As the runtime's dump reads: a SIGQUIT's or SIGABRT's goroutines are
  // all bystanders; otherwise the first one crashed.
  bool quit_dump = inc().kind == IncidentKind::kSignalDump && inc().signal &&
                   (inc().signal->name == "SIGQUIT" || inc().signal->name == "SIGABRT");
  if (!inc().crashing && first && !quit_dump) inc().crashing = std::move(first);
}

bool TracebackParser::Flushable() const {
  // Also inside a goroutine whose last frame is complete: the runtime
  // writes a dump in one go, so a pause there is its end.
  return Idle() || state_ == State::kFileFrames || (state_ == State::kCondensed && condensed_->Idle()) || (state_ == State::kGoroutine && pending_open_ && !in_ancestor_ &&
                    pending_.last_frame_has_file() &&
                    (pending_.frame_count() > 0 || pending_.stack_unavailable));
}

void TracebackParser::Open(const Line& line) {
  incident_ = std::make_unique<Incident>();
  inc().first_line = inc().last_line = line.lineno;
  inc().source = ctx_->source;
  inc().pod = ctx_->pod;
  inc().timestamp = std::string(line.timestamp);
  inc().test = ctx_->tests.Current(line);
  pending_open_ = in_ancestor_ = expect_created_file_ = false;
  message_open_ = provisional_ = running_tests_ = headless_pending_ = blank_in_pair_ = double_spaced_ = false;
  dropped_file_next_ = false;
  wrapped_.clear();
  first_goroutine_done_ = false;
  first_goroutine_id_ = -1;
  after_separator_ = continuing_signal_ = false;
  noise_run_ = message_lines_ = 0;
  frames_dropped_ = 0;
  logged_ = false;
  bare_names_lineno_ = 0;
}

bool TracebackParser::StartPanic(const Line& line, std::string_view t) {
  PanicValue p;
  std::string_view msg = t.substr(7);
  if (msg.size() > ctx_->limits.max_message_bytes) {
    NoteLimit(&ctx_->out->limits_hit, "panic message bytes (cut)");
    msg = msg.substr(0, ctx_->limits.max_message_bytes);
  }
  p.message = std::string(msg);
  p.input_line = line.lineno;
  ApplyPanicSuffix(&p);
  if (inc().panics.empty() && StartsWith(p.message, "test timed out after ")) {
    inc().kind = IncidentKind::kTestTimeout;
    inc().timeout = p.message.substr(21);
  }
  if (inc().panics.size() >= kMaxPanicChain) {
    // A chain this long is hostile or looping: keep its start and the
    // latest panic, which is the one that killed the program.
    NoteLimit(&ctx_->out->limits_hit, "nested panics (middle of the chain dropped)");
    inc().panics.back() = std::move(p);
  } else {
    inc().panics.push_back(std::move(p));
  }
  message_open_ = true;
  message_lines_ = 1;
  return true;
}

void TracebackParser::AppendToPanicMessage(std::string_view t) {
  PanicValue& p = inc().panics.back();
  if (message_lines_ >= ctx_->limits.max_message_lines ||
      p.message.size() + t.size() > ctx_->limits.max_message_bytes) {
    NoteLimit(&ctx_->out->limits_hit, "panic message lines (--max-message-lines)");
    return;
  }
  ++message_lines_;
  // A multi-line value: the recovered marker sits on its last line.
  if (p.recovered) p.message += p.repanicked ? " [recovered, repanicked]" : " [recovered]";
  p.recovered = p.repanicked = false;
  p.message.push_back('\n');
  p.message.append(t);
  ApplyPanicSuffix(&p);
}

// A runtime error's own text at the start of \a t, as its Error method
// writes it (the value a `panic: ` line prints, quoted or logged without
// that word: olric#282's `> interface conversion: interface {} is nil, not
// string`): a TypeAssertionError's `interface conversion: ` and its `is
// ..., not ...` or `missing method`, or `runtime error: ` and one of the
// runtime's own phrasings. A line that only starts alike is not one.
bool RuntimeErrorText(std::string_view t) {
  if (StartsWith(t, "interface conversion: ")) {
    std::string_view rest = t.substr(22);
    return rest.find(" is ") != std::string_view::npos &&
           (rest.find(", not ") != std::string_view::npos || rest.find(": missing method ") != std::string_view::npos);
  }
  if (!StartsWith(t, "runtime error: ")) return false;
  std::string_view rest = t.substr(15);
  for (std::string_view w : {"invalid memory address or nil pointer dereference", "index out of range",
                             "slice bounds out of range", "integer divide by zero", "integer overflow",
                             "makeslice: ", "makechan: ", "makemap: ", "hash of unhashable type",
                             "comparing uncomparable type", "negative shift amount", "growslice: ",
                             "cannot convert slice with length"})
    if (StartsWith(rest, w)) return true;
  return false;
}

bool TracebackParser::Start(const Line& line) {
  // A log record's stack is never more of a dump reported before it.
  if (line.logged) may_amend_ = false;
  bool started = StartLine(line);
  if (!may_amend_) return started;
  if (!started) {
    // Foreign lines after a dump reported early: a few may sit between its
    // parts (another writer on the same stream), a long run ends it.
    if (!line.text.empty() && ++amend_noise_ > 64) may_amend_ = false;
    return false;
  }
  may_amend_ = false;
  // Goroutines again, and not the same dump printed anew (its first
  // goroutine repeated): the rest of the dump reported a moment ago.
  if (inc().kind == IncidentKind::kGoroutineDump && pending_open_ && pending_.id != amend_first_id_)
    inc().continues_previous = true;
  return true;
}

bool TracebackParser::StartLine(const Line& line) {
  std::string_view t = TrimRight(line.text);
  std::string_view name, desc;
  GoroutineHeader h;
  if (StartsWith(t, "panic: ") || StartsWith(t, "fatal error: ")) {
    // The first goroutine's header glued to the crash's line: the line,
    // then the header.
    if (size_t at = GluedGoroutineHeader(t, &h); at != std::string_view::npos) {
      Line l = line;
      l.text = TrimRight(t.substr(0, at));
      if (!StartLine(l)) return false;
      BeginGoroutine(line, h);
      return true;
    }
  }
  if (line.logged && StartLogged(line, t)) return true;
  if (StartsWith(t, "atal error: ") || StartsWith(t, "anic: ")) {
    // The paste lost the line's first character (makew0rld/amfora#300 in
    // fresh10/: `atal error: sync: Unlock of unlocked RWMutex`; a selection
    // that started one character late): the runtime's line it was.
    std::string whole = (t[1] == 't' ? "f" : "p") + std::string(t);
    Line l = line;
    l.text = whole;
    return StartLine(l);
  }
  if (StartsWith(t, "panic: ")) {
    Open(line);
    inc().kind = IncidentKind::kPanic;
    StartPanic(line, t);
    state_ = State::kPreamble;
    return true;
  }
  if (StartsWith(t, "fatal error: ")) {
    Open(line);
    inc().kind = IncidentKind::kFatalError;
    inc().fatal_error = std::string(t.substr(13, ctx_->limits.max_message_bytes));
    state_ = State::kPreamble;
    return true;
  }
  std::string_view quoted = TrimLeft(t);
  if (std::string_view v = TrimLeft(quoted.substr(QuoteMarkup(quoted))); RuntimeErrorText(v)) {
    // A panic's value without its `panic: ` (quoted in prose, printed by a
    // recover handler, often with debug.PrintStack's stack after it): a
    // panic that was recovered, whether or not a stack follows.
    Open(line);
    inc().kind = IncidentKind::kRecoveredPanic;
    StartPanic(line, std::string("panic: ") + std::string(v));
    inc().panics.back().recovered = true;
    state_ = State::kPreamble;
    return true;
  }
  SignalInfo sig;
  if (ParseSignalLine(t, &sig)) {
    // A paste that starts below its `panic:` line: the signal line still
    // says what happened.
    Open(line);
    inc().kind = IncidentKind::kPanic;
    sig.input_line = line.lineno;
    inc().signal = std::move(sig);
    inc().headline = "[signal " + inc().signal->name + ": " + inc().signal->description + "]";
    state_ = State::kPreamble;
    return true;
  }
  if (ParseSignalHeader(t, &name, &desc)) {
    Open(line);
    inc().kind = IncidentKind::kSignalDump;
    SignalInfo s;
    s.name = std::string(name);
    s.description = std::string(desc);
    s.input_line = line.lineno;
    inc().signal = std::move(s);
    state_ = State::kPreamble;
    return true;
  }
  if (StartsWith(t, "runtime: ") || StartsWith(t, "unexpected fault address ")) {
    Open(line);
    provisional_ = true;
    inc().kind = IncidentKind::kFatalError;
    inc().runtime_messages.emplace_back(t.substr(0, ctx_->limits.max_message_bytes));
    state_ = State::kPreamble;
    return true;
  }
  if (ParseGoroutineHeader(t, &h)) {
    Open(line);
    inc().kind = IncidentKind::kGoroutineDump;
    BeginGoroutine(line, h);
    return true;
  }
  return StartHeadless(line, t) || StartFileFrames(line, t);
}

bool TracebackParser::StartLogged(const Line& line, std::string_view t) {
  GoroutineHeader h;
  if (!line.logged->frames_only && !ParseGoroutineHeader(t, &h)) return false;
  Open(line);
  inc().kind = IncidentKind::kGoroutineDump;  // a recovered panic at its end (EndGoroutine)
  logged_ = true;
  logged_message_ = line.logged->message;
  if (!line.logged->frames_only) {
    BeginGoroutine(line, h);
    return true;
  }
  // zap's frame-only stack prints no header: the goroutine that logged it
  // was running, and its ID is unknown (0, as no goroutine prints it).
  h.id = 0;
  h.state = "running";
  BeginGoroutine(line, h);
  bare_names_lineno_ = line.lineno;
  if (!GoroutineLine(line, line.text)) ctx_->Unplaced(line.lineno);
  return true;
}

bool TracebackParser::PreambleFrame(const Line& line, std::string_view t) {
  // A crash whose first goroutine's header the paste lost (amazon-vpc-
  // resource-controller-k8s#238 in fresh9/: the panic and signal lines,
  // then the frames in a block of their own): after the crash's lines,
  // with its message closed, a function line of a package-qualified
  // function starts the crashing goroutine, running, its ID unknown.
  if (inc().kind != IncidentKind::kPanic && inc().kind != IncidentKind::kFatalError) return false;
  if (inc().panics.empty() && inc().fatal_error.empty()) return false;
  // (After a `runtime stack:` the frames are the runtime's, not a goroutine's.)
  if (groups_.goroutines() > 0 || pending_open_ || inc().runtime_stack) return false;
  std::string_view u = Trim(t);
  if (u.size() < 4 || u.back() != ')' || u.find('(') == std::string_view::npos) return false;
  FuncLine fl;
  if (!ParseFuncLine(u, &fl) || fl.function.find('.') == std::string_view::npos ||
      fl.function.find(' ') != std::string_view::npos)
    return false;
  GoroutineHeader h;
  h.state = "running";
  BeginGoroutine(line, h);
  GoroutineLine(line, u);
  return true;
}

bool TracebackParser::StartHeadless(const Line& line, std::string_view t) {
  // A function line ends with its argument list; cheap tests first.
  std::string_view u = Trim(t);
  if (u.size() < 4 || u.back() != ')' || u.find('(') == std::string_view::npos) return false;
  FuncLine fl;
  auto frame = [&fl](std::string_view s) {
    // (`panic(...)`: an excerpt that starts at the panic frame.)
    return ParseFuncLine(s, &fl) && (fl.function.find('.') != std::string_view::npos || fl.function == "panic") &&
           fl.function.find(' ') == std::string_view::npos;
  };
  if (!frame(u)) {
    // The first frame glued to a message by its `: `, as leak checkers
    // print a stack whose header they cut (pingcap's testleak: `Test X
    // check-count 50 appears to have leaked: pkg.F.func1(0xc0...)`, then
    // the file line): the stack starts there.
    // (A frame's arguments hold no `: `: the last one is the only place.)
    size_t at = u.rfind(": ");
    if (at == std::string_view::npos) return false;
    std::string_view tail = u.substr(at + 2);
    size_t paren = tail.find('(');
    if (paren == 0 || paren == std::string_view::npos || tail.substr(0, paren).find(' ') != std::string_view::npos ||
        !frame(tail))
      return false;
    u = tail;
  }
  Open(line);
  inc().kind = IncidentKind::kGoroutineDump;
  GoroutineHeader h;  // id and state unknown: not in the input
  BeginGoroutine(line, h);
  GoroutineLine(line, u);
  headless_pending_ = true;
  return true;
}

bool TracebackParser::StartFileFrames(const Line& line, std::string_view t) {
  // Cheap first: a file-only frame starts with a path (or klog's `: `).
  std::string_view u = TrimLeft(t);
  if (u.empty() || !(u[0] == '/' || u[0] == ':' || u[0] == '<' || (u.size() > 2 && u[1] == ':')))
    return false;
  // The line just before (or the same input line: a structured log record
  // whose field held the whole text).
  if (ctx_->recent.empty() ||
      (ctx_->recent_lineno + 1 != line.lineno && ctx_->recent_lineno != line.lineno))
    return false;
  FileLine fl;
  std::string_view value;
  if (!ParseFileOnlyFrame(u, &fl) || !LoggedPanicValue(ctx_->recent.back(), true, &value)) return false;
  Open(line);
  inc().kind = IncidentKind::kRecoveredPanic;
  inc().first_line = ctx_->recent_lineno;
  if (!ctx_->recent_timestamp.empty()) inc().timestamp = ctx_->recent_timestamp;
  PanicValue p;
  p.recovered = true;
  p.message = std::string(value.substr(0, ctx_->limits.max_message_bytes));
  p.input_line = ctx_->recent_lineno;
  inc().panics.push_back(std::move(p));
  Goroutine g;
  g.header_line = line.lineno;
  g.state = "running";
  g.wait = WaitKind::kRunning;
  inc().crashing = std::move(g);
  state_ = State::kFileFrames;
  AddFileFrame(line, u);
  return true;
}

bool TracebackParser::AddFileFrame(const Line& line, std::string_view t) {
  FileLine fl;
  if (!ParseFileOnlyFrame(t, &fl)) return false;
  Goroutine& g = *inc().crashing;
  if (g.frames.size() >= ctx_->limits.max_frames) {
    ++frames_dropped_;
    NoteLimit(&ctx_->out->limits_hit, "frames per goroutine (--max-frames)");
    g.frames_elided = true;
    return true;
  }
  Frame f;
  f.file = ctx_->out->strings.Intern(fl.file);
  f.line = fl.line;
  f.pc_offset = fl.offset;
  f.has_offset = fl.has_offset;
  // No function name was printed: the package is the one the path names.
  std::string pkg = PackageFromFile(fl.file);
  f.package = ctx_->out->strings.Intern(pkg);
  // runtime/panic.go is where the runtime raises a panic (gopanic,
  // panicmem, goPanicIndex, ...): what is above it handled the panic.
  f.is_panic = pkg == "runtime" && (EndsWith(fl.file, "/panic.go") || EndsWith(fl.file, "/panic.c"));
  f.input_line = line.lineno;
  g.frames.push_back(std::move(f));
  return true;
}

bool TracebackParser::PreambleLine(const Line& line, std::string_view t) {
  if (t.empty()) {
    message_open_ = running_tests_ = false;
    return true;
  }
  SignalInfo sig;
  if (ParseSignalLine(t, &sig)) {
    sig.input_line = line.lineno;
    if (!inc().signal) inc().signal = std::move(sig);
    message_open_ = false;
    return true;
  }
  std::string_view u = TrimLeft(t);
  if (StartsWith(u, "panic: ") && !provisional_) {
    if (inc().kind == IncidentKind::kFatalError && inc().panics.empty()) {
      // `fatal error: ...` then `panic: ...` during panicking: keep both.
    }
    StartPanic(line, u);
    return true;
  }
  if (StartsWith(t, "fatal error: ")) {
    if (provisional_ || inc().fatal_error.empty()) {
      if (provisional_ || inc().kind != IncidentKind::kPanic) inc().kind = IncidentKind::kFatalError;
      inc().fatal_error = std::string(t.substr(13, ctx_->limits.max_message_bytes));
    }
    provisional_ = false;
    message_open_ = false;
    return true;
  }
  if (IsRuntimeMessage(t)) {
    if (inc().runtime_messages.size() < 64)
      inc().runtime_messages.emplace_back(t.substr(0, ctx_->limits.max_message_bytes));
    return true;
  }
  if (provisional_) return false;
  if (StartsWith(t, "PC=")) {
    if (continuing_signal_) return true;
    if (!inc().signal) inc().signal = SignalInfo();
    uint64_t v;
    if (ParseHex(Field(t, "PC="), &v)) inc().signal->pc = v;
    inc().signal->code = std::string(Field(t, "sigcode="));
    if (ParseHex(Field(t, "addr="), &v)) {
      inc().signal->addr = v;
      inc().signal->has_addr = true;
    }
    return true;
  }
  if (u == "running tests:") {
    running_tests_ = true;
    message_open_ = false;
    return true;
  }
  if (running_tests_ && t.size() > u.size()) {
    inc().running_tests.emplace_back(u);
    return true;
  }
  if (t == "-----" || IsRegisterLine(t)) return true;
  return false;
}

void TracebackParser::BeginGoroutine(const Line& line, const GoroutineHeader& h) {
  pending_.Reset();
  dropped_file_next_ = blank_in_pair_ = false;
  wrapped_.clear();
  pending_.id = h.id;
  // Most goroutines of a dump share a few states: look among the last ones
  // seen before the pool's hash lookup.
  std::string_view state;
  for (std::string_view s : recent_states_) {
    if (s == h.state) {
      state = s;
      break;
    }
  }
  if (state.data() == nullptr) {
    state = ctx_->out->strings.Intern(h.state);
    recent_states_[next_recent_state_++ % recent_states_.size()] = state;
  }
  pending_.state = state;
  pending_.SetState(h.state);
  pending_.wait_minutes = h.wait_minutes;
  pending_.locked_to_thread = h.locked_to_thread;
  pending_.leaked = h.leaked;
  pending_.durable = h.durable;
  pending_.scan = h.scan;
  pending_.header_line = line.lineno;
  pending_.count = h.count;
  if (!h.labels.empty()) {
    // Per goroutine, like its arguments: recorded, never part of the stack
    // key or of what the known-stack trie compares.
    if (h.labels.size() <= kMaxLabelBytes) {
      pending_.labels.assign(h.labels);
      pending_.label_form = h.label_form;
      pending_.labels_hash = HashBytes(h.labels);
    } else {
      NoteLimit(&ctx_->out->limits_hit, "label list bytes per goroutine (labels dropped)");
    }
  }
  pending_open_ = true;
  in_ancestor_ = expect_created_file_ = false;
  noise_run_ = 0;
  message_open_ = false;
  state_ = State::kGoroutine;
}

bool TracebackParser::BeginUnknownGoroutine(const Line& line) {
  if (!incident_ || provisional_ || (state_ != State::kPreamble && state_ != State::kBetween)) return false;
  GoroutineHeader h;  // the ID is not in the input
  h.state = "running";
  BeginGoroutine(line, h);
  return true;
}

bool TracebackParser::GoroutineLine(const Line& line, std::string_view raw) {
  FuncLine fl;
  FileLine file;
  if (dropped_file_next_) {
    dropped_file_next_ = false;
    if (ParseFileLine(raw, &file)) return true;
  }
  Goroutine* anc = in_ancestor_ ? &pending_.ancestors.back() : nullptr;
  bool want_file = expect_created_file_ ||
                   (anc ? (!anc->frames.empty() && anc->frames.back().file.empty())
                        : !pending_.last_frame_has_file());
  if (want_file && ParseFileLine(raw, &file)) {
    if (anc) {
      Frame& f = expect_created_file_ && anc->created_by ? *anc->created_by : anc->frames.back();
      f.file = ctx_->out->strings.Intern(file.file);
      f.line = file.line;
      f.pc_offset = file.offset;
      f.has_offset = file.has_offset;
    } else if (expect_created_file_) {
      pending_.AddCreatedByFile(file.file, file.line, file.offset, file.has_offset);
    } else {
      pending_.AddFile(file.file, file.line, file.offset, file.has_offset);
    }
    expect_created_file_ = false;
    return true;
  }
  std::string_view t = Trim(raw);
  std::string_view cb;
  int64_t parent;
  if (!t.empty() && t[0] == 'c' && ParseCreatedBy(t, &cb, &parent)) {
    if (anc) {
      Frame f;
      f.function = ctx_->out->strings.Intern(cb);
      f.package = ctx_->out->strings.Intern(PackageOf(cb));
      f.input_line = line.lineno;
      anc->created_by = f;
    } else {
      pending_.SetCreatedBy(cb, parent, line.lineno);
    }
    expect_created_file_ = true;
    return true;
  }
  // (zap's frame-only stacks: function names without argument lists.)
  if (ParseFuncLine(t, &fl) || (line.lineno == bare_names_lineno_ && !raw.empty() && raw.front() != '\t' &&
                                raw.front() != ' ' && ParseBareFuncName(t, &fl))) {
    expect_created_file_ = false;
    if (anc) {
      if (anc->frames.size() >= ctx_->limits.max_frames) return true;
      Frame f;
      f.function = ctx_->out->strings.Intern(fl.function);
      f.package = ctx_->out->strings.Intern(PackageOf(fl.function));
      f.args = std::string(fl.args);
      f.inlined = fl.inlined;
      f.input_line = line.lineno;
      anc->frames.push_back(std::move(f));
      return true;
    }
    if (pending_.frame_count() >= ctx_->limits.max_frames) {
      ++frames_dropped_;
      NoteLimit(&ctx_->out->limits_hit, "frames per goroutine (--max-frames)");
      pending_.frames_elided = true;
      dropped_file_next_ = true;  // its file line is dropped with it
      return true;
    }
    pending_.AddFunc(fl.function, fl.args, fl.inlined, line.lineno);
    return true;
  }
  int elided;
  if (ParseElided(t, &elided)) {
    if (anc) {
      anc->frames_elided = true;
    } else {
      pending_.frames_elided = true;
      pending_.elided_count += elided;
    }
    return true;
  }
  if (t == "goroutine running on other thread; stack unavailable") {
    pending_.stack_unavailable = true;
    return true;
  }
  // The reporter left frames out here (`// more stuff`, `[...]`): the
  // stack goes on after the mark.
  if (ParsePasteElision(t)) {
    if (anc) anc->frames_elided = true;
    else pending_.frames_elided = true;
    return true;
  }
  if (StartsWith(t, "[originating from goroutine ") && EndsWith(t, "]:")) {
    Goroutine a;
    int64_t id;
    std::string_view num = t.substr(28, t.size() - 28 - 2);
    a.id = ParseInt(num, &id) ? id : -1;
    a.header_line = line.lineno;
    if (pending_.ancestors.size() >= kMaxAncestors) {
      NoteLimit(&ctx_->out->limits_hit, "ancestor goroutines per goroutine");
      pending_.ancestors.pop_back();  // keep the first ones; this one takes the last slot
    }
    pending_.ancestors.push_back(std::move(a));
    in_ancestor_ = true;
    expect_created_file_ = false;
    return true;
  }
  if (StartsWith(t, "non-Go function at pc=")) {
    pending_.AddFunc("non-Go function", "", false, line.lineno);
    return true;
  }
  return false;
}

bool TracebackParser::StartsNewIncident(const GoroutineHeader& h) {
  // A logged recovered panic holds one goroutine, and a dump that prints its
  // first goroutine again is a second dump.
  if (one_report_) return false;
  return inc().kind == IncidentKind::kRecoveredPanic ||
         (inc().kind == IncidentKind::kGoroutineDump && h.id >= 0 && h.id == first_goroutine_id_);
}

SubParser::Feed TracebackParser::NextGoroutine(const Line& line, const GoroutineHeader& h) {
  if (StartsNewIncident(h)) {
    Emit(false);
    Start(line);
    return Feed::kConsumed;
  }
  BeginGoroutine(line, h);
  return Feed::kConsumed;
}

void TracebackParser::EndGoroutine() {
  if (!pending_open_) return;
  pending_open_ = false;
  last_group_ = groups_.Add(pending_);
  if (first_goroutine_done_) return;
  first_goroutine_done_ = true;
  first_goroutine_id_ = pending_.id;
  IncidentKind k = inc().kind;
  if (k == IncidentKind::kGoroutineDump && !ctx_->continues && !inc().continues_previous && !one_report_) {
    // A bare stack with a panic frame is a recovered panic that the
    // application logged with its stack (debug.Stack, net/http's
    // "http: panic serving ...").
    Goroutine g = pending_.Materialize(&ctx_->out->strings);
    bool has_panic = false;
    for (const Frame& f : g.frames) has_panic |= f.is_panic;
    // Or the line just before it announced one (`Observed a panic: V`,
    // `http: panic serving ...: V`) and the goroutine runs: the handler's
    // stack, even cut before its panic frame (apimachinery's logPanic and
    // HandleCrash are all a cut paste may keep).
    // (In a double-spaced paste the paste's blank comes between them.)
    size_t gap = double_spaced_ ? 2 : 1;
    bool announces = !has_panic && !logged_ && g.state == "running" && !ctx_->recent.empty() &&
                     (ctx_->recent_lineno + 1 == pending_.header_line ||
                      ctx_->recent_lineno + gap == pending_.header_line || ctx_->recent_lineno == pending_.header_line) &&
                     AnnouncesRecoveredPanic(ctx_->recent.back());
    if ((has_panic || logged_ || announces) && groups_.goroutines() == pending_.count) {
      inc().kind = IncidentKind::kRecoveredPanic;
      PanicValue p;
      p.recovered = true;
      if (logged_) {
        // The record said what the panic was (its stack, zap's taken in
        // the logger, need not show a panic frame).
        p.message = logged_message_.empty() ? std::string("(no message logged)")
                                            : std::string(Trim(logged_message_));
      } else {
        for (auto it = ctx_->recent.rbegin(); it != ctx_->recent.rend(); ++it) {
          std::string_view v;
          if (!LoggedPanicValue(*it, false, &v)) continue;
          p.message = std::string(v);
          break;
        }
        if (p.message.empty() && !ctx_->recent.empty() &&
            (ctx_->recent_lineno + 1 == pending_.header_line || ctx_->recent_lineno + gap == pending_.header_line) &&
            !IsCodeFence(ctx_->recent.back())) {
          // No line names the panic, but the line just before the stack is
          // what the application logged with it (a markdown fence opening
          // the paste is the paste's, not the application's).
          p.message = std::string(Trim(std::string_view(ctx_->recent.back()).substr(0, 1024)));
        }
        if (!ctx_->recent_timestamp.empty() && inc().timestamp.empty())
          inc().timestamp = ctx_->recent_timestamp;
      }
      inc().panics.push_back(std::move(p));
      inc().crashing = std::move(g);
    }
    return;
  }
  bool quit_dump = k == IncidentKind::kSignalDump && inc().signal &&
                   (inc().signal->name == "SIGQUIT" || inc().signal->name == "SIGABRT");
  if (!quit_dump) inc().crashing = pending_.Materialize(&ctx_->out->strings);
}

std::optional<SubParser::Feed> TracebackParser::RepairedLine(const Line& line, std::string_view t) {
  if (!wrapped_.empty() && !line.cut) {
    // The rest of a hard-wrapped frame line: joined as it was printed.
    std::string joined = std::move(wrapped_);
    wrapped_.clear();
    joined.append(t);
    Line l = line;
    l.text = joined;
    if (GoroutineLine(l, joined)) {
      noise_run_ = 0;
      return Feed::kConsumed;
    }
    // Not its rest: the paste was cut inside the arguments (a frame all
    // the same, when the held line is one), or it was no frame.
    if (!TakeCutFrame(joined.substr(0, joined.size() - t.size()), wrapped_lineno_))
      ctx_->Unplaced(line.lineno);
    else if (GoroutineLine(line, line.text))
      return Feed::kConsumed;
  }
  bool in_pair = pending_open_ && pending_.frame_count() > 0 && !pending_.last_frame_has_file() &&
                 !expect_created_file_ && !in_ancestor_;
  if (t.empty()) {
    // A blank line between a function and its file line (a paste's empty
    // lines): the stack goes on if the file line follows. So after a
    // header (the runtime prints a stack, or `stack unavailable`, after
    // each), and between frames once the paste has shown it puts a blank
    // after every line (pingcap/tidb#41490's double-spaced goleak report:
    // two blanks end a goroutine there).
    bool after_header = pending_open_ && pending_.frame_count() == 0 && !pending_.stack_unavailable &&
                        !expect_created_file_ && !in_ancestor_;
    bool between_frames = double_spaced_ && pending_open_ && pending_.frame_count() > 0 &&
                          pending_.last_frame_has_file() && !in_ancestor_;
    if ((in_pair || after_header || between_frames) && !blank_in_pair_) {
      blank_in_pair_ = true;
      return Feed::kConsumed;
    }
    return std::nullopt;
  }
  if (blank_in_pair_) {
    // No file line after the blank: it ended the goroutine after all.
    blank_in_pair_ = false;
    EndGoroutine();
    state_ = State::kBetween;
    noise_run_ = 0;
    if (inc().kind == IncidentKind::kRecoveredPanic) {
      Emit(false);
      return Feed::kDone;
    }
    return Next(line);
  }
  wrapped_.clear();
  // The input's last line, cut inside a function's arguments.
  if (line.unterminated && !in_pair && TakeCutFrame(t, line.lineno)) return Feed::kConsumed;
  // A line cut by --max-line-bytes is not a paste's wrap.
  if (line.unterminated || line.cut) return std::nullopt;
  if ((!in_pair && MayBeCutFuncLine(t)) || (in_pair && CutFileLine(t))) {
    wrapped_.assign(t.substr(0, 4096));
    wrapped_lineno_ = line.lineno;
    return Feed::kConsumed;
  }
  if (!in_pair && pending_open_ && pending_.frame_count() > 0 && WrappedRegisterTail(t)) {
    noise_run_ = 0;
    return Feed::kConsumed;
  }
  return std::nullopt;
}

void TracebackParser::Discard() {
  incident_.reset();
  groups_.Take();
  known_.Clear();
  pending_open_ = headless_pending_ = false;
  state_ = State::kInactive;
}

void TracebackParser::Emit(bool at_eof) {
  if (!incident_) {
    state_ = State::kInactive;
    return;
  }
  if (headless_pending_) {
    Discard();
    return;
  }
  if (pending_open_) {
    bool incomplete = !pending_.last_frame_has_file() ||
                      (pending_.frame_count() == 0 && !pending_.stack_unavailable);
    if (at_eof && incomplete) {
      pending_.truncated = true;
      inc().partial = true;
      inc().partial_reason =
          pending_.id >= 0 ? "input ends inside goroutine " + std::to_string(pending_.id) + "'s stack"
                           : std::string("input ends inside a stack whose goroutine header is not in the input");
    }
    EndGoroutine();
  }
  if (provisional_) {
    // Only `runtime:` lines, no crash followed: not an incident.
    Discard();
    return;
  }
  inc().groups = groups_.Take();
  known_.Clear();
  EndCondensed();
  uint64_t n = 0;
  for (const auto& g : inc().groups) n += g.count;
  if (n == 0 && state_ == State::kFileFrames) n = 1;  // the crashing goroutine, not in a group
  inc().goroutine_count = n;
  if (inc().runtime_stack && inc().runtime_stack->frames.empty()) inc().runtime_stack.reset();
  bool prints_no_stacks = StartsWith(inc().fatal_error, "no goroutines (main called runtime.Goexit)");
  if (n == 0 && !inc().partial && inc().kind != IncidentKind::kGoroutineDump && !prints_no_stacks) {
    inc().partial = true;
    inc().partial_reason = "no goroutine stack follows the " +
                           std::string(inc().kind == IncidentKind::kFatalError ? "fatal error"
                                                                               : "crash header");
  }
  if (frames_dropped_ > 0 && inc().partial_reason.empty()) {
    inc().partial_reason = std::to_string(frames_dropped_) + " frames beyond --max-frames dropped";
  }
  ctx_->emit(std::move(*incident_));
  incident_.reset();
  ctx_->continues = false;
  state_ = State::kInactive;
}

SubParser::Feed TracebackParser::Next(const Line& line) {
  Feed r = NextLine(line);
  if (r == Feed::kConsumed && incident_) {
    inc().last_line = line.lineno;
    if (line.unterminated && !inc().partial &&
        (state_ == State::kGoroutine || state_ == State::kPreamble ||
         state_ == State::kRuntimeStack)) {
      // The input stops without a newline inside a trace: it was most likely
      // cut (a full pipe buffer, a size limit, a paste).
      inc().partial = true;
      inc().partial_reason = "input ends without a final newline inside the trace; it may be cut";
    }
  }
  if (r != Feed::kDone && state_ != State::kBetween) after_separator_ = false;
  return r;
}

bool TracebackParser::FreshGoroutine() const {
  return state_ == State::kGoroutine && pending_open_ && pending_.frame_count() == 0 &&
         !pending_.has_created_by() && !in_ancestor_ && !expect_created_file_ &&
         pending_.ancestors.empty() && !pending_.frames_elided && !pending_.stack_unavailable;
}

size_t TracebackParser::TakeKnownStack(const char* p, const char* end, size_t max_line,
                                       const RunEnvelope* env, size_t* lines, size_t* continued) {
  *lines = 0;
  *continued = 0;
  // The first goroutine of an incident, and one of a logged panic, have
  // more to do at their end than being counted (see EndGoroutine).
  StackTrie::Match m;
  if (!first_goroutine_done_ || inc().kind == IncidentKind::kRecoveredPanic ||
      !known_.MatchStack(pending_.state, p, end, max_line, env, &m) || groups_.WantsSample(m.group)) {
    return 0;
  }
  // What its lines would have done: frames that make the key of group
  // m.group, then the blank line, EndGoroutine.
  groups_.AddToGroup(m.group, pending_);
  last_group_ = m.group;
  pending_open_ = false;
  state_ = State::kBetween;
  noise_run_ = 0;
  after_separator_ = false;
  *lines = m.lines;
  *continued = m.continued;
  return m.bytes;
}

size_t TracebackParser::TakeRun(const LineRun& run, size_t* lines) {
  // Inside a dump, the lines of each stack, the blank line that ends it and
  // the next goroutine's header are taken here without the per-line layers;
  // anything else (a log line, an elided-frames line, the end of the dump)
  // stops the run and goes through Next. What each line does to the state
  // is what NextLine and Next would do with it.
  *lines = 0;
  if (!incident_ || headless_pending_ || blank_in_pair_ || double_spaced_ || !wrapped_.empty() ||
      (state_ != State::kGoroutine && state_ != State::kBetween))
    return 0;
  const char* begin = run.text.data();
  const char* p = begin;
  const char* end = p + run.text.size();
  size_t n = 0;
  Line line;
  // A goroutine is recorded (and, with a known stack, matched) only when
  // all its stack lines are in this run.
  bool try_known = FreshGoroutine();
  recording_ = try_known;
  steps_.clear();
  NewlineCursor newlines(p, end);
  while (p < end) {
    if (try_known) {
      try_known = false;
      size_t known_lines, continued;
      if (size_t taken = TakeKnownStack(p, end, run.max_line, run.envelope, &known_lines, &continued)) {
        p += taken;
        n += known_lines;
        if (run.continued) *run.continued += continued;
        recording_ = false;
        newlines = NewlineCursor(p, end);
        continue;
      }
      // Behind an envelope, only known stacks are read in place: any other
      // goes to the envelope layer, which offers its lines again as a batch
      // of their text, where one cut into CRI `P` pieces is whole and all
      // are recorded as they will be matched.
      if (run.envelope) break;
    }
    const char* nl = newlines.Next();
    if (!nl) break;
    std::string_view raw(p, static_cast<size_t>(nl - p));
    if (raw.size() > run.max_line) break;
    if (run.envelope && run.envelope->form == RunEnvelope::Form::kDocker) {
      // A docker record's text, decoded: only between goroutines (a header,
      // a blank line), whose views do not outlive the line.
      if (state_ != State::kBetween) break;
      docker_text_.clear();
      if (!run.envelope->decode(raw, &docker_text_)) break;
      raw = std::string_view(docker_text_.data(), docker_text_.size() - 1);
    } else if (run.envelope) {
      // Each line's text after its envelope, read in place.
      size_t at = run.envelope->TextAt(raw);
      if (at == std::string_view::npos) break;
      raw.remove_prefix(at);
    }
    if (state_ == State::kBetween) {
      // Between goroutines: blank lines, and the header of the next one.
      // No other parser starts on either (Scanner tries them first when
      // this one is idle) but the kernel OOM report's on a header holding
      // `kill` (below). A blank line passes the envelope layer
      // unchanged; a header only when it holds no marker the prefix layer
      // acts on (`goroutine 4 [fatal error: x]:` is a fatal error after a
      // log prefix there; `goroutine 2 gp=goroutine 5 []:` is goroutine 5).
      // PlainHeaderPassesUnchanged sees that in one pass for nearly all,
      // Go 1.27's labelled headers included; any other is asked.
      if (!raw.empty()) {
        // A header that starts a new incident goes through NextGoroutine.
        GoroutineHeader h;
        if (!FastGoroutineHeader(raw, &h) || StartsNewIncident(h)) break;
        if (!EnvelopeUnwrapper::PlainHeaderPassesUnchanged(raw) && !run.unchanged(raw)) break;
        // The one reader that starts on words anywhere in a line (the
        // kernel's OOM killer report: `invoked oom-killer`) is offered it
        // first, and notes what it says.
        if (MayConcernOomKiller(raw)) break;
        line.text = raw;
        line.lineno = run.LineNo(n);
        BeginGoroutine(line, h);
        after_separator_ = false;
        try_known = recording_ = true;
        steps_.clear();
      }
    } else if (raw.empty()) {
      // The end of a stack. The first goroutine of an incident may turn it
      // into a logged panic that ends here, and a blank line inside a frame
      // or right after the header is a paste's: those go the slow way.
      if (!first_goroutine_done_ || inc().kind == IncidentKind::kRecoveredPanic ||
          !pending_.last_frame_has_file() || expect_created_file_ ||
          (pending_.frame_count() == 0 && !pending_.stack_unavailable))
        break;
      EndGoroutine();
      if (recording_ && last_group_ != groups_.overflow_group()) {
        known_.Insert(pending_.state, steps_, static_cast<uint32_t>(last_group_));
      }
      recording_ = false;
      state_ = State::kBetween;
      noise_run_ = 0;
    } else {
      // The two shapes the runtime prints for a frame, parsed in one pass
      // each, and `created by`; they pass the envelope layer unchanged (see
      // grammar.h).
      bool taken = false;
      if (in_ancestor_ || dropped_file_next_) {
        // Ancestors' frames go the generic way, and so does the line after
        // a frame dropped at --max-frames (GoroutineLine drops it if it is
        // that frame's file line, which it reads more leniently than
        // FastFileLine: fast_lane_fuzz found `created by main.main:35`).
      } else if (expect_created_file_) {
        FastFile fast;
        if (FastFileLine(raw, &fast)) {
          FileLine file = FastFileValues(fast);
          pending_.AddCreatedByFile(file.file, file.line, file.offset, file.has_offset);
          expect_created_file_ = false;
          if (recording_) steps_.back().file = raw;
          taken = true;
        }
      } else if (pending_.last_frame_has_file()) {
        FuncLine fl;
        std::string_view fn;
        int64_t parent;
        bool in_goroutine;
        if (pending_.frame_count() < ctx_->limits.max_frames && FastFuncLine(raw, &fl)) {
          pending_.AddFunc(fl.function, fl.args, fl.inlined, run.LineNo(n));
          if (recording_) steps_.push_back({StackTrie::Kind::kFrame, fl.function, {}});
          taken = true;
        } else if (raw[0] == 'c' && FastCreatedBy(raw, &fn, &parent, &in_goroutine)) {
          pending_.SetCreatedBy(fn, parent, run.LineNo(n));
          expect_created_file_ = true;
          if (recording_) {
            steps_.push_back({in_goroutine ? StackTrie::Kind::kCreatedByIn : StackTrie::Kind::kCreatedBy,
                              fn, {}});
          }
          taken = true;
        }
      } else {
        FastFile file;
        if (FastFileLine(raw, &file)) {
          pending_.AddFile(file);
          if (recording_) steps_.back().file = raw;
          taken = true;
        }
      }
      if (!taken) {
        if (!run.unchanged(raw)) break;
        line.text = raw;
        line.lineno = run.LineNo(n);
        if (!GoroutineLine(line, raw)) break;
        recording_ = false;
      }
      noise_run_ = 0;
      after_separator_ = false;
    }
    ++n;
    p = nl + 1;
  }
  recording_ = false;
  if (n == 0) return 0;
  inc().last_line = run.LineNo(n - 1);
  *lines = n;
  return static_cast<size_t>(p - begin);
}

SubParser::Feed TracebackParser::NextLine(const Line& line) {
  std::string_view raw = line.text;
  if (headless_pending_) {
    // A stack whose header the paste lost counts only when the function
    // line it started on is completed by its file line.
    headless_pending_ = false;
    if (!(state_ == State::kGoroutine && !raw.empty() && GoroutineLine(line, raw) &&
          pending_.frame_count() == 1 && pending_.last_frame_has_file())) {
      Discard();
      return Feed::kDone;
    }
    return Feed::kConsumed;
  }
  // The hot path: a frame line inside a goroutine needs nothing else.
  if (state_ == State::kGoroutine && !raw.empty() && wrapped_.empty() && GoroutineLine(line, raw)) {
    noise_run_ = 0;
    if (blank_in_pair_) double_spaced_ = true;
    blank_in_pair_ = false;
    return Feed::kConsumed;
  }
  std::string_view t = TrimRight(raw);
  GoroutineHeader h;
  switch (state_) {
    case State::kInactive:
      return Feed::kDone;

    case State::kFileFrames:
      if (AddFileFrame(line, t)) return Feed::kConsumed;
      // The stack ends at the first line that is not a frame.
      Emit(false);
      if (t.empty()) return Feed::kConsumedDone;
      return Feed::kDone;

    case State::kCondensed:
      if (condensed_->Next(line) != Feed::kDone) return Feed::kConsumed;
      if (!condensed_->has_stacks()) {
        // Its header had no call line after it: a line of the preamble
        // after all (a panic message's), and this one goes on there.
        condensed_.reset();
        condensed_ctx_.reset();
        state_ = State::kPreamble;
        return NextLine(line);
      }
      Emit(false);
      return Feed::kDone;
    case State::kPreamble:
      if (size_t at = GluedGoroutineHeader(t, &h); at != std::string_view::npos) {
        // A preamble line with the first goroutine's header glued to it.
        Line l = line;
        l.text = TrimRight(t.substr(0, at));
        if (PreambleLine(l, l.text)) {
          BeginGoroutine(line, h);
          return Feed::kConsumed;
        }
      }
      if (PreambleLine(line, t)) return Feed::kConsumed;
      if (ParseGoroutineHeader(t, &h)) {
        if (provisional_) {
          // `runtime:` lines then a dump without `fatal error:`: keep it.
          provisional_ = false;
        }
        BeginGoroutine(line, h);
        return Feed::kConsumed;
      }
      if (t == "runtime stack:" && !provisional_) {
        inc().runtime_stack = Goroutine();
        state_ = State::kRuntimeStack;
        message_open_ = false;
        return Feed::kConsumed;
      }
      if (provisional_) {
        Emit(false);
        return Feed::kDone;
      }
      // panicparse's first bucket (`1: running [Created by ...]`): the
      // crash's goroutines, condensed.
      if (PanicparseHeader pp; !t.empty() && IsDigit(t[0]) && ParsePanicparseHeader(t, &pp)) {
        StartCondensed(line);
        return Feed::kConsumed;
      }
      if (message_open_) {
        AppendToPanicMessage(t);
        return Feed::kConsumed;
      }
      if (PreambleFrame(line, t)) return Feed::kConsumed;
      if (++noise_run_ > 16) {
        Emit(false);
        return Feed::kDone;
      }
      ctx_->Unplaced(line.lineno);
      return Feed::kConsumed;

    case State::kRuntimeStack: {
      if (t.empty()) {
        state_ = State::kPreamble;
        return Feed::kConsumed;
      }
      if (ParseGoroutineHeader(t, &h)) {
        BeginGoroutine(line, h);
        return Feed::kConsumed;
      }
      Goroutine& rs = *inc().runtime_stack;
      FuncLine fl;
      FileLine file;
      if (!rs.frames.empty() && rs.frames.back().file.empty() && ParseFileLine(t, &file)) {
        rs.frames.back().file = ctx_->out->strings.Intern(file.file);
        rs.frames.back().line = file.line;
        rs.frames.back().pc_offset = file.offset;
        rs.frames.back().has_offset = file.has_offset;
        return Feed::kConsumed;
      }
      if (ParseFuncLine(t, &fl)) {
        if (rs.frames.size() < ctx_->limits.max_frames) {
          Frame f;
          f.function = ctx_->out->strings.Intern(fl.function);
          f.package = ctx_->out->strings.Intern(PackageOf(fl.function));
          f.args = std::string(fl.args);
          f.inlined = fl.inlined;
          f.input_line = line.lineno;
          rs.frames.push_back(std::move(f));
        }
        return Feed::kConsumed;
      }
      int elided;
      if (ParseElided(t, &elided)) {
        rs.frames_elided = true;
        return Feed::kConsumed;
      }
      ctx_->Unplaced(line.lineno);
      return Feed::kConsumed;
    }

    case State::kGoroutine:
      // Handled (a wrapped or blank-split frame joined, or the goroutine
      // ended and the line passed on): its answer, kDone included.
      if (std::optional<Feed> r = RepairedLine(line, t)) return *r;
      if (t.empty()) {
        blank_in_pair_ = false;  // a second blank: the goroutine ended at the first
        EndGoroutine();
        state_ = State::kBetween;
        noise_run_ = 0;
        if (inc().kind == IncidentKind::kRecoveredPanic) {
          inc().last_line = line.lineno;
          Emit(false);
          return Feed::kConsumedDone;
        }
        return Feed::kConsumed;
      }
      if (ParseGoroutineHeader(t, &h)) {
        EndGoroutine();
        return NextGoroutine(line, h);
      }
      if (line.unterminated) {
        // The input stops inside a line of this stack: it was cut.
        inc().partial = true;
        inc().partial_reason = "input ends in the middle of a line of goroutine " +
                               std::to_string(pending_.id) + "'s stack";
        ctx_->Unplaced(line.lineno);
        return Feed::kConsumed;
      }
      // Not part of a stack. After a complete frame the goroutine has ended
      // (the runtime never prints anything else inside one: this is a log
      // line or the start of another input); inside a frame pair it is a
      // stray line.
      if ((pending_.last_frame_has_file() &&
           (pending_.frame_count() > 0 || pending_.stack_unavailable)) ||
          ++noise_run_ > 8) {
        EndGoroutine();
        state_ = State::kBetween;
        if (inc().kind == IncidentKind::kRecoveredPanic) {
          Emit(false);
          return Feed::kDone;
        }
        return Next(line);
      }
      if (line.unterminated) {
        inc().partial = true;
        inc().partial_reason = "input ends in the middle of a line of goroutine " +
                               std::to_string(pending_.id) + "'s stack";
      }
      ctx_->Unplaced(line.lineno);
      return Feed::kConsumed;

    case State::kBetween: {
      if (t.empty()) return Feed::kConsumed;
      if (t == "-----") {
        after_separator_ = true;
        return Feed::kConsumed;
      }
      if (ParseGoroutineHeader(t, &h)) {
        return NextGoroutine(line, h);
      }
      if (StartsWith(t, "exit status ")) {
        int64_t v;
        if (ParseInt(t.substr(12), &v) && v < 1000) inc().exit_status = static_cast<int>(v);
        inc().last_line = line.lineno;
        Emit(false);
        return Feed::kConsumedDone;
      }
      if (StartsWith(t, "FAIL\t") || t == "FAIL") {
        inc().last_line = line.lineno;
        Emit(false);
        return Feed::kConsumedDone;
      }
      if (StartsWith(t, "panic: ") || StartsWith(t, "fatal error: ") ||
          StartsWith(t, "runtime: ") || StartsWith(t, "unexpected fault address ")) {
        Emit(false);
        Start(line);
        return Feed::kConsumed;
      }
      std::string_view name, desc;
      if (ParseSignalHeader(t, &name, &desc) && after_separator_ &&
          inc().kind == IncidentKind::kSignalDump) {
        // GOTRACEBACK=crash: the runtime prints one block per thread,
        // separated by `-----`; they are one incident.
        after_separator_ = false;
        continuing_signal_ = true;
        state_ = State::kPreamble;
        return Feed::kConsumed;
      }
      if (ParseSignalHeader(t, &name, &desc)) {
        Emit(false);
        Start(line);
        return Feed::kConsumed;
      }
      // A pprof debug=1 profile right after the last goroutine: runtime.Stack
      // (debug=2) ends without a blank line, so the debug=1 part of a
      // goroutineleak profile written with both starts on the next line.
      if (StartsWith(t, "goroutine profile: total ") || StartsWith(t, "goroutineleak profile: total ")) {
        Emit(false);
        return Feed::kDone;
      }
      // A foreign line: an application log line between goroutines, or the
      // end of this input. Under --follow the dump is reported now, at its
      // first foreign line after a complete goroutine (an alert must not
      // wait for the stream to pause); goroutines that still follow become
      // an amendment of it (Start). In a batch run, a run of them is
      // tolerated.
      if (ctx_->streaming && first_goroutine_done_ && inc().kind != IncidentKind::kRecoveredPanic) {
        EmitMayContinue();
        return Feed::kDone;
      }
      if (++noise_run_ > 64) {
        Emit(false);
        return Feed::kDone;
      }
      ctx_->Remember(line, t);
      return Feed::kConsumed;
    }
  }
  return Feed::kDone;
}

bool TracebackParser::TakeCutFrame(std::string_view t, size_t lineno) {
  FuncLine fl;
  if (!pending_open_ || in_ancestor_ || !ParseCutFuncLine(t, &fl)) return false;
  if (pending_.frame_count() < ctx_->limits.max_frames) pending_.AddFunc(fl.function, fl.args, false, lineno);
  expect_created_file_ = false;
  return true;
}

void TracebackParser::Finish(bool at_eof) {
  // The input ended after a function line cut inside its arguments.
  if (!wrapped_.empty()) {
    TakeCutFrame(wrapped_, wrapped_lineno_);
    wrapped_.clear();
  }
  // Under --follow, a dump flushed because the stream went quiet may still
  // continue when it wakes up.
  if (incident_ && ctx_->streaming && !at_eof && (first_goroutine_done_ || pending_open_) &&
      inc().kind != IncidentKind::kRecoveredPanic) {
    EmitMayContinue();
    return;
  }
  if (incident_) Emit(at_eof && !ctx_->more_follows);
  state_ = State::kInactive;
}

void TracebackParser::EmitMayContinue() {
  Emit(false);  // ends the open goroutine: first_goroutine_id_ is known after it
  amend_first_id_ = first_goroutine_id_;
  may_amend_ = true;
  amend_noise_ = 0;
}

TracebackParser& InnerTraceback::Reset(ParseContext* ctx) {
  tb_ = std::make_unique<TracebackParser>(ctx);
  started_ = false;
  return *tb_;
}

void InnerTraceback::Feed(const Line& line, std::string_view text) {
  Line l = line;
  l.text = text;
  if (started_) {
    switch (tb_->Next(l)) {
      case SubParser::Feed::kConsumed:
        return;
      case SubParser::Feed::kConsumedDone:
        started_ = false;
        return;
      case SubParser::Feed::kDone:
        tb_->Finish(false);
        started_ = false;
        break;
    }
  }
  started_ = tb_->Start(l);
}

void InnerTraceback::Finish(bool at_eof) {
  if (tb_ && started_) tb_->Finish(at_eof);
  started_ = false;
  tb_.reset();
}

}  // namespace gotriage
