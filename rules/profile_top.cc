// Leak and timer findings from pprof -top listings; see profile_top.h.
#include "rules/profile_top.h"

#include <algorithm>

#include <cstdio>
#include <unordered_map>

#include "parsers/classify.h"
#include "parsers/grammar.h"
#include "rules/util.h"

namespace gotriage {

namespace {

std::string Pct(double p) {
  char b[16];
  std::snprintf(b, sizeof b, "%.1f%%", p);
  return b;
}

bool IsStdOrRuntime(std::string_view fn) {
  std::string_view pkg = PackageOf(fn);
  return IsStdlibPackage(pkg) || IsRuntimePackage(pkg);
}

CodeRef RowRef(const ProfileTopRow& r, const ParsedInput& in) {
  CodeRef c;
  c.function = std::string(r.function);
  c.file = r.file;
  c.input_line = r.input_line;
  std::string_view pkg = PackageOf(r.function);
  if (IsRuntimePackage(pkg)) c.kind = "runtime";
  else if (IsStdlibPackage(pkg)) c.kind = "stdlib";
  else if (!in.main_module.empty() && StartsWith(pkg, in.main_module)) c.kind = "app";
  else if (pkg == "main") c.kind = "app";
  else c.kind = "dependency";
  return c;
}

}  // namespace

std::optional<Finding> TopGoroutineLeak(const RuleDoc& doc, const ParsedInput& in, size_t i) {
  const Incident& inc = in.incidents[i];
  if (!inc.top || inc.top->unit != "count") return std::nullopt;
  const ProfileTop& t = *inc.top;
  double parked = 0, chan = 0;
  const ProfileTopRow* owner = nullptr;
  for (const ProfileTopRow& r : t.rows) {
    std::string_view f = r.function;
    if (f == "runtime.gopark") parked = r.cum_pct;
    if (StartsWith(f, "runtime.chansend") || StartsWith(f, "runtime.chanrecv") || f == "runtime.selectgo")
      chan = std::max(chan, r.cum_pct);
    // The heaviest non-library function is where the parked goroutines live.
    if (!IsStdOrRuntime(f) && (!owner || r.cum_pct > owner->cum_pct)) owner = &r;
  }
  if (parked < 50 || chan < 50 || t.total_value < 1000) return std::nullopt;
  Finding f = NewFinding(doc, in, i);
  if (owner) {
    f.culprit = RowRef(*owner, in);
    f.evidence.input_lines.push_back(owner->input_line);
  }
  f.confidence = 0.75;
  f.severity = Severity::kHigh;
  f.evidence.goroutines_total = static_cast<uint64_t>(t.total_value);
  f.summary = "A goroutine profile listing of " + t.total + " goroutines: " + Pct(parked) +
              " are parked and " + Pct(chan) + " are blocked in channel operations";
  if (owner) f.summary += ", " + Pct(owner->cum_pct) + " of them under " + std::string(owner->function);
  f.summary += ". So many goroutines waiting on channels means they are started faster than they "
               "finish: something they wait for never comes (a receiver that left, a missing cancel). "
               "A debug=2 goroutine dump would show their full stacks.";
  AddDocRemediation(&f, doc);
  SetFingerprint(&f, "top leak");
  return f;
}

namespace {

// runtime.malg allocates the descriptor (g) of each new goroutine, and the
// runtime keeps every descriptor for reuse, never frees one: a fifth of
// the heap, and megabytes of them, is tens of thousands of goroutines
// alive at once at some point (golang/go#9869: 93.53MB, 42%).
bool ManyDescriptors(double pct, double bytes) { return pct >= 20 && bytes >= 8 << 20; }

// The finding of TopHeapGoroutines and ProfileHeapGoroutines: \a held
// says how much runtime.malg holds, \a detail is the evidence line. No
// culprit: a heap sample's stack ends at the runtime's systemstack, so who
// started the goroutines is not in a heap profile.
Finding HeapGoroutinesFinding(const RuleDoc& doc, const ParsedInput& in, size_t i, const std::string& held,
                              std::string detail) {
  Finding f = NewFinding(doc, in, i);
  f.confidence = 0.6;
  f.severity = Severity::kHigh;
  f.summary = held + ": the descriptors of goroutines, one per goroutine alive at once. The runtime keeps them "
              "for reuse and never frees them, so this many means the goroutine count reached tens of "
              "thousands or more, and may still be there: goroutines started faster than they finish, or "
              "never finishing. A goroutine profile (a debug=2 dump) shows where they wait and who started "
              "them.";
  f.evidence.details.push_back(std::move(detail));
  AddDocRemediation(&f, doc);
  SetFingerprint(&f, "heap goroutine descriptors");
  return f;
}

}  // namespace

std::optional<Finding> TopHeapGoroutines(const RuleDoc& doc, const ParsedInput& in, size_t i) {
  const Incident& inc = in.incidents[i];
  if (!inc.top || inc.top->unit != "bytes") return std::nullopt;
  const ProfileTopRow* malg = nullptr;
  for (const ProfileTopRow& r : inc.top->rows)
    if (r.function == "runtime.malg") malg = &r;
  if (!malg) return std::nullopt;
  double pct = std::max(malg->flat_pct, malg->cum_pct);
  if (!ManyDescriptors(pct, std::max(malg->flat_value, malg->cum_value))) return std::nullopt;
  const std::string& held = malg->flat_value >= malg->cum_value ? malg->flat : malg->cum;
  Finding f = HeapGoroutinesFinding(doc, in, i, "A heap listing where runtime.malg holds " + held + " (" + Pct(pct) + ")",
                                    "runtime.malg in the heap listing: " + malg->flat + " flat, " + malg->cum + " cum");
  f.evidence.input_lines.push_back(malg->input_line);
  return f;
}

std::optional<Finding> ProfileHeapGoroutines(const RuleDoc& doc, const ParsedInput& in, size_t i) {
  const Incident& inc = in.incidents[i];
  if (!inc.profile) return std::nullopt;
  const Profile& p = *inc.profile;
  int vi = p.SampleType("inuse_space");
  if (vi < 0) return std::nullopt;
  // The heap in use under runtime.malg, as TopHeapGoroutines reads it from
  // a listing.
  double total = 0, malg = 0;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    double v = static_cast<double>(p.Value(s, static_cast<size_t>(vi)));
    total += v;
    bool under = false;
    p.ForEachFrame(s, [&](const ProfileFunction& f, int64_t) {
      under = f.name == "runtime.malg";
      return !under;
    });
    if (under) malg += v;
  }
  if (total <= 0 || !ManyDescriptors(100 * malg / total, malg)) return std::nullopt;
  char held[64];
  std::snprintf(held, sizeof held, "%.1f of %.1f MiB", malg / (1 << 20), total / (1 << 20));
  return HeapGoroutinesFinding(doc, in, i,
                               "runtime.malg holds " + Pct(100 * malg / total) +
                                   " of the heap in use in this profile (" + held + ")",
                               "inuse_space under runtime.malg: " + std::string(held));
}

std::optional<Finding> TopNetworkReads(const RuleDoc& doc, const ParsedInput& in, size_t i) {
  const Incident& inc = in.incidents[i];
  if (!inc.top || inc.top->unit != "count" || inc.top->total_value < 1000) return std::nullopt;
  const ProfileTop& t = *inc.top;
  // The widest read of a connection, and which side's code sits above it
  // when the listing shows it: net/http's client connection loop reads
  // through bufio's Peek, its server through connReader.
  const ProfileTopRow* read = nullptr;
  bool client = false, server = false;
  const ProfileTopRow* owner = nullptr;
  for (const ProfileTopRow& r : t.rows) {
    std::string_view f = r.function;
    if (f == "crypto/tls.(*Conn).Read" || f == "net.(*conn).Read" || f == "net.(*netFD).Read" ||
        f == "internal/poll.(*FD).Read") {
      if (!read || r.cum_pct > read->cum_pct) read = &r;
    }
    if (f == "net/http.(*persistConn).readLoop" || f == "bufio.(*Reader).Peek") client = true;
    if (f == "net/http.(*conn).serve" || f == "net/http.(*connReader).Read") server = true;
    if (!IsStdOrRuntime(f) && (!owner || r.cum_pct > owner->cum_pct)) owner = &r;
  }
  // A quarter of a thousand goroutines or more, all waiting on peers.
  if (!read || read->cum_pct < 25 || read->cum_value < 250) return std::nullopt;
  // Under one function of the program's own: its reads, not a pile.
  if (owner && owner->cum_pct + 0.01 >= read->cum_pct) return std::nullopt;
  Finding f = NewFinding(doc, in, i);
  f.culprit = RowRef(*read, in);
  f.evidence.input_lines.push_back(read->input_line);
  f.evidence.goroutines_total = static_cast<uint64_t>(t.total_value);
  f.confidence = 0.65;
  f.severity = Severity::kHigh;
  f.summary = "A goroutine profile listing of " + t.total + " goroutines: " + read->cum + " (" +
              Pct(read->cum_pct) + ") are parked in " + std::string(read->function) +
              ", each waiting to read from a connection.";
  if (server && !client)
    f.summary += " They are the server's connections (net/http.(*conn).serve): without ReadTimeout, "
                 "IdleTimeout or ReadHeaderTimeout a silent client keeps its goroutine forever.";
  else if (client)
    f.summary += " They read responses of client connections (through bufio's Peek, as persistConn.readLoop does): "
                 "without a Client.Timeout or a deadline on the request, a server that stops answering "
                 "keeps each connection's goroutines forever.";
  else
    f.summary += " Nothing times these reads out: a deadline on the connection (SetReadDeadline) or on "
                 "the request (Client.Timeout, a context) would end them.";
  f.summary += " The listing names no function of the program above them; a debug=2 dump would show whose "
               "connections they are.";
  AddDocRemediation(&f, doc);
  SetFingerprint(&f, "top network reads");
  return f;
}

bool IsTimerConstructor(std::string_view fn) {
  return fn == "time.NewTicker" || fn == "time.NewTimer" || fn == "time.Tick" || fn == "time.After" ||
         fn == "time.startTimer" || fn == "time.newTimer" || fn == "time.AfterFunc";
}

std::optional<Finding> ProfileTimerLeak(const RuleDoc& doc, const ParsedInput& in, size_t i) {
  const Incident& inc = in.incidents[i];
  if (!inc.profile) return std::nullopt;
  const Profile& p = *inc.profile;
  int vi = p.SampleType("inuse_space");
  if (vi < 0) return std::nullopt;
  // What the timers hold of the heap in use: every sample with a timer
  // constructor in its stack, and, per caller outside the standard library
  // above the constructors, its share (the creator).
  double total = 0, timers = 0;
  struct Caller {
    double bytes = 0;
    std::string_view file;
    int64_t line = 0;
  };
  std::unordered_map<std::string_view, Caller> callers;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    double v = static_cast<double>(p.Value(s, static_cast<size_t>(vi)));
    total += v;
    bool in_timer = false;
    const ProfileFunction* creator = nullptr;
    int64_t creator_line = 0;
    p.ForEachFrame(s, [&](const ProfileFunction& f, int64_t line) {
      if (IsTimerConstructor(f.name)) {
        in_timer = true;
        return true;
      }
      if (!in_timer || IsStdOrRuntime(f.name)) return true;
      creator = &f;
      creator_line = line;
      return false;
    });
    if (!in_timer) continue;
    timers += v;
    if (creator) {
      Caller& c = callers[creator->name];
      c.bytes += v;
      c.file = creator->file;
      if (!c.line) c.line = creator_line;
    }
  }
  if (total <= 0 || timers < 0.3 * total || timers < 1 << 20) return std::nullopt;
  std::string_view top;
  const Caller* best = nullptr;
  for (const auto& [fn, c] : callers) {
    if (!best || c.bytes > best->bytes || (c.bytes == best->bytes && fn < top)) {
      best = &c;
      top = fn;
    }
  }
  Finding f = NewFinding(doc, in, i);
  char held[64];
  std::snprintf(held, sizeof held, "%.1f of %.1f MiB", timers / (1 << 20), total / (1 << 20));
  f.summary = "Timers hold " + Pct(100 * timers / total) + " of the heap in use in this profile (" + held + ")";
  if (best) {
    ProfileTopRow r;
    r.function = top;
    CodeRef c = RowRef(r, in);
    c.file = std::string(best->file);
    c.line = static_cast<int>(best->line);
    f.culprit = std::move(c);
    f.summary += ", " + Pct(100 * best->bytes / timers) + " of it created by calls from " + std::string(top);
  }
  f.summary += ". Timers and tickers that are created again and again and never stopped (time.Tick "
               "in a function called repeatedly, a new time.NewTimer per retry or per select loop "
               "turn) stay alive until they fire or are stopped.";
  f.evidence.details.push_back("inuse_space under time's constructors: " + std::string(held));
  f.confidence = best ? 0.8 : 0.7;
  f.severity = Severity::kHigh;
  AddDocRemediation(&f, doc);
  SetFingerprint(&f, "profile timers");
  return f;
}

std::optional<Finding> TopTimerLeak(const RuleDoc& doc, const ParsedInput& in, size_t i) {
  const Incident& inc = in.incidents[i];
  if (!inc.top || inc.top->unit != "bytes") return std::nullopt;
  const ProfileTop& t = *inc.top;
  const ProfileTopRow* timer = nullptr;
  double timer_flat = 0;
  // What one constructor holds with what it allocates through the runtime
  // (the channel of each timer is runtime.makechan's flat: google/goexpect#3,
  // NewTicker 11.5 MB flat but 45.85 MB cum of 68.93). Constructors may call
  // one another (time.After calls NewTimer), so their cum shares are not
  // added: the largest one stands for them.
  double timer_cum = 0;
  const ProfileTopRow* widest = nullptr;  // the constructor of the largest cum
  for (const ProfileTopRow& r : t.rows) {
    std::string_view fn = r.function;
    if (IsTimerConstructor(fn)) {
      timer_flat += r.flat_pct;
      if (!widest || r.cum_pct > widest->cum_pct) widest = &r;
      timer_cum = std::max(timer_cum, r.cum_pct);
      if (!timer || r.flat_pct > timer->flat_pct) timer = &r;
    }
  }
  const bool by_cum = timer_cum > timer_flat;
  if (by_cum) {
    timer_flat = std::min(timer_cum, 100.0);
    timer = widest;
  }
  if (!timer || timer_flat < 30) return std::nullopt;
  // The caller that creates them, when the listing shows it: the non-library
  // function with the least under it that still holds most of the timers'
  // share (olivere/elastic#83: healthchecker, 85 of NewTicker's 91.5 MB,
  // the rest created elsewhere).
  // (By value where the listing prints one: its percentages are rounded,
  // and main.main's 100% is a few bytes more than its callee's.)
  const ProfileTopRow* caller = nullptr;
  for (const ProfileTopRow& r : t.rows) {
    if (IsStdOrRuntime(r.function) || r.cum_pct + 0.01 < timer_flat / 2) continue;
    if (!caller || (r.cum_value > 0 && caller->cum_value > 0 ? r.cum_value < caller->cum_value
                                                             : r.cum_pct < caller->cum_pct))
      caller = &r;
  }
  // A `-peek` or `-tree` listing names the creator outright: the heaviest
  // caller outside the standard library of the timers' constructor, up
  // through the library's own callers (time.After calls NewTimer;
  // jellydator/ttlcache#18 pasted `top` and `peek NewTimer`, whose caller
  // only the peek shows).
  const ProfileTopEdge* call = nullptr;
  std::vector<std::string_view> level = {timer->function}, seen = level;
  for (int depth = 0; depth < 4 && !call && !level.empty(); ++depth) {
    std::vector<std::string_view> up;
    for (const ProfileTopEdge& e : t.edges) {
      if (std::find(level.begin(), level.end(), e.callee) == level.end()) continue;
      if (!IsStdOrRuntime(e.caller)) {
        if (!call || e.value > call->value) call = &e;
      } else if (std::find(seen.begin(), seen.end(), e.caller) == seen.end()) {
        seen.push_back(e.caller);
        up.push_back(e.caller);
      }
    }
    level = std::move(up);
  }
  Finding f = NewFinding(doc, in, i);
  std::string_view creator;
  if (call) {
    ProfileTopRow r;
    r.function = call->caller;
    r.input_line = call->input_line;
    f.culprit = RowRef(r, in);
    creator = call->caller;
  } else {
    f.culprit = RowRef(caller ? *caller : *timer, in);
    if (caller) creator = caller->function;
  }
  f.evidence.input_lines.push_back(timer->input_line);
  if (call) f.evidence.input_lines.push_back(call->input_line);
  else if (caller) f.evidence.input_lines.push_back(caller->input_line);
  f.confidence = !creator.empty() ? 0.8 : 0.7;
  f.severity = Severity::kHigh;
  f.summary = "Timers hold " + Pct(timer_flat) + " of this " + t.total + " memory profile (" +
              std::string(timer->function) + " " + (by_cum ? timer->cum + " with the channels it makes" : timer->flat) +
              ")";
  if (call) f.summary += ", created by calls from " + std::string(creator);
  else if (caller) f.summary += ", created under " + std::string(creator);
  f.summary += ". Timers and tickers that are created again and again and never stopped (time.Tick "
               "in a function called repeatedly, a new time.NewTimer per retry or per select loop "
               "turn) stay alive until they fire or are stopped.";
  AddDocRemediation(&f, doc);
  SetFingerprint(&f, "top timers " + std::string(timer->function));
  return f;
}

}  // namespace gotriage
