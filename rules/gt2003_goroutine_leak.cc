// GT2003: goroutine leak -- large groups of identical goroutines parked on
// channels, selects, condition variables or I/O, weighted by count, share
// and wait time.
#include <algorithm>
#include <cmath>

#include "base/strings.h"
#include "parsers/goleak.h"
#include "rules/catalog.h"
#include "rules/hang_util.h"
#include "rules/profile_top.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2003.id,
    .title = "Goroutine leak",
    .category = rule_names::GT2003.category,
    .severity = Severity::kHigh,
    .what = "Many goroutines with the same stack are parked on a channel operation, a select, a "
            "sleep or idle network I/O, and their number grows with traffic. Each holds its stack "
            "and everything it references, so memory grows until the process is OOM-killed. Go "
            "1.26's goroutineleak profile marks goroutines it proved unreachable with `(leaked)`. "
            "In a heap profile the pile shows as runtime.malg: goroutine descriptors, never freed.",
    .why = "A goroutine sends its result on an unbuffered channel after the caller gave up (timeout, "
           "early return on error); a receiver waits on a channel nobody will close; a response "
           "body or object reader is never closed; a new http.Client/Transport per request leaves "
           "keep-alive connections (persistConn readLoop/writeLoop) behind.",
    .fix = "Look at the `created by` site: every goroutine started there must have a way to finish.\n"
           "Give result channels a buffer of 1 so the sender never blocks, or select on ctx.Done() when sending.\n"
           "[if http-client] Close every resp.Body (defer resp.Body.Close()), also on error paths: an open body keeps its connection's readLoop goroutine.\n"
           "[if http-client] Reuse one http.Client; do not create Transports per request.\n"
           "Verify with go.uber.org/goleak in tests, or the goroutineleak profile (Go 1.26+).",
    .before = "ch := make(chan Price)\ngo func() { ch <- queryUpstream(sym) }()\nselect {\ncase p := <-ch:\n\treturn p, nil\ncase <-ctx.Done():\n\treturn Price{}, ctx.Err() // the sender blocks forever\n}",
    .after = "ch := make(chan Price, 1) // the sender can always complete\ngo func() { ch <- queryUpstream(sym) }()\nselect {\ncase p := <-ch:\n\treturn p, nil\ncase <-ctx.Done():\n\treturn Price{}, ctx.Err()\n}",
    .links = {"https://go.dev/blog/pipelines", "https://pkg.go.dev/runtime/pprof#Profile",
              "https://github.com/uber-go/goleak", "https://go.dev/doc/go1.26#goroutineleak"},
};

// The frame of \a member (`(*persistConn).readLoop`) of net/http's
// Transport, or of a copy of it kept in another package whose last element
// names http (bfenetworks/bfe#1209: bfe_http.(*persistConn).readLoop, 162
// of them on a request channel): the methods' names are net/http's own.
int FindTransportFrame(const std::vector<Frame>& fr, std::string_view member) {
  for (size_t i = 0; i < fr.size(); ++i) {
    std::string_view fn = fr[i].function;
    if (fn.size() <= member.size() + 1 || !EndsWith(fn, member) || fn[fn.size() - member.size() - 1] != '.')
      continue;
    std::string_view pkg = fn.substr(0, fn.size() - member.size() - 1);
    std::string_view last = pkg.substr(pkg.rfind('/') + 1);  // npos + 1 == 0
    if (pkg == "net/http" || last.find("http") != std::string_view::npos) return static_cast<int>(i);
  }
  return -1;
}

bool IsPersistConnLoop(const GoroutineGroup& g) {
  if (g.samples.empty()) return false;
  const std::vector<Frame>& fr = g.representative().frames;
  return FindTransportFrame(fr, "(*persistConn).readLoop") >= 0 || FindTransportFrame(fr, "(*persistConn).writeLoop") >= 0;
}

// No state and no runtime frame above the stack's own (a debug=1 record
// cut to its own frames): where it is parked is unknown.
bool WaitHidden(WaitKind w) { return w == WaitKind::kUnknown || w == WaitKind::kOther; }

// readLoop parked on its own select (not reading the socket) waits for
// the caller to read the response body to its end or close it.
bool ReadLoopAwaitsBody(const GoroutineGroup& g) {
  if (g.samples.empty()) return false;
  const std::vector<Frame>& fr = g.representative().frames;
  int rl = FindTransportFrame(fr, "(*persistConn).readLoop");
  WaitKind w = EffectiveWait(g);
  return rl >= 0 && FindTransportFrame(fr, "(*persistConn).Read") < 0 && FindFrame(fr, "bufio.") < 0 &&
         w != WaitKind::kIOWait && !WaitHidden(w);
}

// What the persistConn loops of an incident say: how many connections,
// and whether their response bodies were left unread.
std::string ConnectionLeakText(const Incident& inc) {
  uint64_t read = 0, write = 0, body = 0, unknown = 0;
  for (const GoroutineGroup& o : inc.groups) {
    if (o.samples.empty()) continue;
    const std::vector<Frame>& fr = o.representative().frames;
    if (FindTransportFrame(fr, "(*persistConn).readLoop") >= 0) {
      read += o.count;
      if (ReadLoopAwaitsBody(o)) body += o.count;
      if (WaitHidden(EffectiveWait(o))) unknown += o.count;
    } else if (FindTransportFrame(fr, "(*persistConn).writeLoop") >= 0) {
      write += o.count;
    }
  }
  std::string s = " Each open client connection keeps two goroutines, readLoop and writeLoop: " +
                  std::to_string(read) + " and " + std::to_string(write) + " here, so about " +
                  Count(std::max(read, write), "connection") + (std::max(read, write) == 1 ? " is" : " are") +
                  " open.";
  if (unknown * 2 > read) {
    s += " Where most readLoops are parked (reading the socket, or waiting for a request or for their "
         "response body to be read) is not in this input: the runtime's frames above them are cut.";
  } else if (body * 2 > read) {
    s += " " + Count(body, "readLoop") + " wait for the caller to read a response body to its end or "
         "close it: response bodies are not closed (resp.Body.Close()), so no connection can be "
         "reused and every request dials a new one.";
  } else {
    s += " Most sit idle reading the socket: keep-alive connections piling up, typically from a new "
         "http.Client or Transport created per request (each keeps its own idle pool) and never closed.";
  }
  return s;
}

// Server connections waiting in a blocking read for their client's next
// request (net/http's connReader, not the backgroundRead a running handler
// starts): each keeps a goroutine and a socket until the client speaks or
// goes away. With wait minutes, GT2004 reports the missing server timeouts.
bool IsIdleServerConn(const GoroutineGroup& g) {
  if (g.samples.empty() || EffectiveWait(g) != WaitKind::kIOWait) return false;
  const std::vector<Frame>& fr = g.representative().frames;
  return HasFrame(fr, "net/http.(*connReader).Read") && !HasFrame(fr, "net/http.(*connReader).backgroundRead") &&
         g.max_wait_minutes < 10;
}

// A goroutine waiting in a blocking read on a network connection, other
// than an HTTP client's connection loop or a handler's background read: in
// a record cut above the code that owns the connection (horizon#29's
// debug=1 record ends in crypto/tls), all that says whose it is.
bool IsConnReader(const GoroutineGroup& g) {
  if (g.samples.empty() || EffectiveWait(g) != WaitKind::kIOWait || IsPersistConnLoop(g)) return false;
  const std::vector<Frame>& fr = g.representative().frames;
  return HasFrame(fr, "net.(*conn).Read") && !HasFrame(fr, "net/http.(*connReader).backgroundRead");
}

// Server connections piling up is judged on numbers alone: at least this
// many, and this share of the process's goroutines.
constexpr uint64_t kMinServerConns = 100;
constexpr double kMinServerConnShare = 0.25;
// Findings one goleak report gives at most (one per leaking function).
constexpr size_t kMaxGoleakFindings = 8;

// \a declared: a leak checker (goleak, the goroutineleak profile) declared
// the input's goroutines leaked.
bool IsCandidate(const GoroutineGroup& g, bool declared) {
  if (g.samples.empty()) return false;
  const std::vector<Frame>& fr = g.representative().frames;
  WaitKind w = EffectiveWait(g);
  if (IsIdleServerConn(g)) return true;
  if (HasFrame(fr, "net/http.(*conn).serve") || HasFrame(fr, "net/http.(*persistConn).roundTrip") ||
      HasFrame(fr, "net/http.(*Transport).getConn") || HasFrame(fr, "testing."))
    return false;  // in-flight HTTP: GT2004; tests: GT2007
  if (IsPersistConnLoop(g)) return true;
  // A sync.Cond waiter waits for a Signal or Broadcast as a receiver waits
  // for a send (moby's BytesPipe.Read under an attach nobody closes: 4716
  // of them). A few are a pool's idle workers (cmd/go's par.Work runners
  // in golang/go#31073's excerpt): only their number says leak, or a leak
  // checker (miekg/dns#1610: goleak names one Cond.Wait of a test's server).
  return IsChanWait(w) || w == WaitKind::kSleep ||
         (w == WaitKind::kCond && (g.count > 64 || declared || g.any_leaked));
}

class GT2003 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  bool AppliesTo(const Incident& inc) const override {
    return inc.top || inc.profile || (HasGroups(inc) && inc.kind != IncidentKind::kTestTimeout);
  }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    if (inc.top) {
      if (auto f = TopGoroutineLeak(kDoc, in, i)) out->push_back(std::move(*f));
      else if (auto h = TopHeapGoroutines(kDoc, in, i)) out->push_back(std::move(*h));
      return;
    }
    if (inc.profile) {
      // A heap profile (a goroutine profile has no inuse_space: its groups below).
      if (auto f = ProfileHeapGoroutines(kDoc, in, i)) {
        out->push_back(std::move(*f));
        return;
      }
    }
    if (!HasGroups(inc) || inc.kind == IncidentKind::kTestTimeout) return;
    uint64_t total = std::max<uint64_t>(1, inc.declared_total ? inc.declared_total : NonIdleGoroutines(inc));
    bool leak_profile = inc.Title().rfind("goroutineleak", 0) == 0;
    // A goleak report (parsers/goleak.h): a checker declared them leaked.
    bool goleak = inc.Title().rfind(kGoleakHeadline, 0) == 0;
    // Excerpts of leftover goroutines (goleak output, a list or the
    // records of a profile pasted in an issue), all of them candidates.
    bool excerpt = PastedExcerpt(inc, false);
    bool profile_excerpt = excerpt && inc.kind == IncidentKind::kPprofDebug1;
    // An excerpt of nothing but connections being read, as many as a
    // server's idle ones must be to count (horizon#29: "climbing
    // goroutines that look like this", one record of 216): what the person
    // picked out is the pile of connections, whoever holds them.
    uint64_t readers = 0;
    bool conn_excerpt = PastedExcerpt(inc, true);
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty()) continue;
      if (IsConnReader(g)) readers += g.count;
      else conn_excerpt = false;
    }
    conn_excerpt = conn_excerpt && readers >= kMinServerConns;
    auto candidate = [&](const GoroutineGroup& g) {
      return IsCandidate(g, leak_profile || goleak) || (conn_excerpt && IsConnReader(g));
    };
    for (const GoroutineGroup& g : inc.groups)
      if (!g.samples.empty() && !candidate(g)) excerpt = false;

    // Requests waiting in the client each hold a connection: that many
    // persistConn loops are in flight (GT2004's case), not leaked.
    uint64_t in_flight = 0;
    for (const GoroutineGroup& g : inc.groups) {
      if (!g.samples.empty() && (HasFrame(g.representative().frames, "net/http.(*persistConn).roundTrip") ||
                                 HasFrame(g.representative().frames, "net/http.(*Transport).getConn")))
        in_flight += g.count;
    }
    // Client connections of the same process (persistConn readLoops): idle
    // server connections as many are their other ends (a service calling
    // itself, or a test's server): the client side is the one to blame.
    uint64_t client_conns = 0;
    for (const GoroutineGroup& g : inc.groups) {
      if (!g.samples.empty() && FindTransportFrame(g.representative().frames, "(*persistConn).readLoop") >= 0)
        client_conns += g.count;
    }
    std::vector<std::pair<double, const GoroutineGroup*>> scored;
    for (const GoroutineGroup& g : inc.groups) {
      if (!candidate(g)) continue;
      if (IsPersistConnLoop(g) && g.count <= in_flight && !ReadLoopAwaitsBody(g)) continue;
      if (IsIdleServerConn(g) && client_conns * 2 >= g.count) continue;
      if (IsIdleServerConn(g) && !(g.any_leaked || leak_profile || goleak) &&
          (g.count < kMinServerConns || static_cast<double>(g.count) / total < kMinServerConnShare))
        continue;
      WaitKind w = EffectiveWait(g);
      bool leaked = g.any_leaked || leak_profile || goleak;
      double n = static_cast<double>(g.count);
      // An idle worker pool is not a leak at any size (PoolReason); a
      // small group waiting for work is not one either.
      bool pool = !PoolReason(g).empty();
      bool waits_for_work = w == WaitKind::kChanReceive || w == WaitKind::kSelect || w == WaitKind::kOther ||
                            w == WaitKind::kCond;
      bool big = g.count >= 100 || (g.count >= 20 && !(waits_for_work && g.count <= 64));
      // (A leak checker's list of leftovers is judged by the excerpt rule
      // below: there even a once-started worker should have exited.)
      if (!leaked && pool && !excerpt && !IsPersistConnLoop(g)) continue;
      if (!leaked && !big && !excerpt) continue;
      if (!leaked && !excerpt && waits_for_work && g.count <= 64 && !IsPersistConnLoop(g)) continue;
      // Goroutines the application's own code started or runs come before
      // a library's (opencensus' view worker, a client's pool): those are
      // what a fix can reach, and what a leak checker's users ignore least.
      int gc = GroupCulprit(g);
      bool app = gc >= 0 && g.representative().frames[static_cast<size_t>(gc)].kind == FrameKind::kApp;
      double score = std::log10(n + 1) + static_cast<double>(g.count) / total +
                     (g.max_wait_minutes > 0 ? std::log10(g.max_wait_minutes + 1.0) : 0) + (leaked ? 10 : 0) +
                     (app ? 0.5 : 0);
      if (score > 0) scored.emplace_back(score, &g);
    }
    // The best first (the first of equals). A goleak report declares every
    // goroutine in it a leak: each other function of the application's own
    // code that leaks is a finding of its own; in a dump only the best one
    // is (and a library's or the runtime's leftovers never add one).
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string_view> reported;
    for (const auto& [score, g] : scored) {
      int ci = GroupCulprit(*g);
      std::string_view fn = ci >= 0 ? g->representative().frames[static_cast<size_t>(ci)].function : "";
      if (!reported.empty() &&
          (!goleak || reported.size() >= kMaxGoleakFindings ||
           ci < 0 || g->representative().frames[static_cast<size_t>(ci)].kind != FrameKind::kApp ||
           std::find(reported.begin(), reported.end(), fn) != reported.end()))
        continue;
      reported.push_back(fn);
      Report(in, i, *g, {.total = total, .leak_profile = leak_profile, .goleak = goleak,
                         .excerpt = excerpt, .profile_excerpt = profile_excerpt}, out);
    }
  }

 private:
  struct Judged {
    uint64_t total;
    bool leak_profile, goleak, excerpt, profile_excerpt;
  };

  void Report(const ParsedInput& in, size_t i, const GoroutineGroup& g, const Judged& j,
              std::vector<Finding>* out) const {
    const Incident& inc = in.incidents[i];
    const uint64_t total = j.total;
    const bool leak_profile = j.leak_profile, goleak = j.goleak, excerpt = j.excerpt,
               profile_excerpt = j.profile_excerpt;
    bool leaked = g.any_leaked || leak_profile || goleak;
    Finding f = NewFinding(kDoc, in, i);
    int ci = GroupCulprit(g);
    if (IsIdleServerConn(g) && (ci < 0 || g.representative().frames[ci].kind == FrameKind::kStdlib)) {
      // No handler code on a connection between requests: name the server
      // loop (or, in a cut record, the connection's reader).
      int serve = FindFrame(g.representative().frames, "net/http.(*conn).serve");
      ci = serve >= 0 ? serve : FindFrame(g.representative().frames, "net/http.(*connReader).Read");
    }
    if (!IsIdleServerConn(g) && IsConnReader(g) &&
        (ci < 0 || g.representative().frames[ci].kind != FrameKind::kApp)) {
      // No code of the program on the stack: the outermost frame shown is
      // the nearest to whoever holds the connection.
      ci = static_cast<int>(g.representative().frames.size()) - 1;
    }
    SetCulprit(&f, g.representative().frames, ci);
    AddGroupEvidence(&f, g);
    uint64_t same = 0;
    for (const GoroutineGroup& o : inc.groups) {
      if (IsCandidate(o, leak_profile || goleak) && GroupCulprit(o) >= 0 && ci >= 0 &&
          o.representative().frames[GroupCulprit(o)].function == g.representative().frames[ci].function)
        same += o.count;
    }
    double share = static_cast<double>(g.count) / total;
    bool sparse = !leaked && SparseEvidence(g);
    CreatorInfo creator = CreatorOf(g);
    if (leaked) {
      f.confidence = 0.97;
      f.severity = Severity::kHigh;
    } else if (excerpt && g.count < 20) {
      f.confidence = 0.5;
      f.severity = Severity::kMedium;
    } else {
      f.confidence = std::min(0.9, 0.55 + 0.1 * std::log10(g.count + 1.0) + 0.15 * share +
                                       (g.max_wait_minutes >= 10 ? 0.1 : 0));
      f.severity = g.count >= 1000 || share >= 0.5 ? Severity::kHigh : Severity::kMedium;
      if (sparse) {
        // Counts and shape only: no wait time says they stay, no creator
        // says they are started per request. Lower, and say why.
        f.confidence = std::min(f.confidence, creator.from_name ? 0.75 : 0.65);
        if (share < 0.5 && g.count < 1000) f.severity = Severity::kMedium;
      }
    }
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f%%", share * 100);
    f.summary = GroupText(g, ci) + " (" + pct + " of " + std::to_string(total) + " goroutines)";
    if (same > g.count) f.summary += "; " + std::to_string(same) + " in that function in all";
    f.summary += ".";
    if (goleak) {
      f.summary += " go.uber.org/goleak reported them: " + inc.Title() + ".";
    } else if (leaked) {
      f.summary += " The goroutineleak profile marked them `(leaked)`: nothing can ever wake them.";
    } else if (profile_excerpt && excerpt && g.count < 20) {
      uint64_t shown = 0;
      for (const GoroutineGroup& o : inc.groups) shown += o.count;
      f.summary += " The input holds only some records of a goroutine profile (" + std::to_string(shown) + " of its " +
                   std::to_string(inc.declared_total) +
                   " goroutines, not the one that wrote the profile): the records someone picked out as the "
                   "suspects, which are few here; whether they keep growing needs a second profile taken later.";
    } else if (excerpt && g.count < 20) {
      f.summary += " The input lists only goroutines left behind (no running or main goroutine), as "
                   "leak checkers print them; each one should have exited.";
    }
    if (IsPersistConnLoop(g)) f.summary += ConnectionLeakText(inc);
    if (!IsIdleServerConn(g) && IsConnReader(g)) {
      f.summary += " Each waits in a blocking read on a network connection, and the input (records "
                   "someone picked out) shows nothing else: connections held open with no deadline, "
                   "one goroutine each until the peer speaks or goes away. An http.Server without "
                   "IdleTimeout/ReadTimeout keeps its clients' idle keep-alive connections so; a "
                   "client or a raw net.Conn without a read deadline, its peers'.";
      f.remediation.steps.push_back(
          "Bound the connections' reads: IdleTimeout, ReadHeaderTimeout and ReadTimeout on the "
          "http.Server that accepts them, net.Conn.SetReadDeadline on a connection the code reads "
          "itself, timeouts on the client that dialed them.");
    }
    if (IsIdleServerConn(g)) {
      f.summary += " Each is an HTTP server connection waiting in a blocking read for its client's next "
                   "request: connections piling up, from clients that keep them open or went away "
                   "without closing them, kept forever by a server without ReadTimeout/IdleTimeout "
                   "(or leaked by code that took the socket over).";
      f.remediation.steps.push_back(
          "Give the http.Server ReadHeaderTimeout and IdleTimeout (and ReadTimeout) so idle and stalled "
          "connections are closed.");
    }
    const Goroutine& r = g.representative();
    if (r.created_by) {
      f.summary += " They are created by " + std::string(BareFunc(r.created_by->function)) + " (" +
                   Where(CodeRefFrom(*r.created_by)) + ")";
      if (creator.parent > 1) f.summary += ", e.g. in goroutine " + std::to_string(creator.parent);
      f.summary += ".";
      f.evidence.details.push_back("created by " + std::string(r.created_by->function));
    } else if (creator.from_name) {
      f.summary += " Each is a closure started by " + creator.function + " (the closure's name says so), "
                   "i.e. one per call of " + creator.function + ", not a fixed pool.";
      f.evidence.details.push_back("created by " + creator.function + " (from the closure name)");
    }
    if (sparse) {
      f.summary += " Judged from counts and the stack's shape only: the input has no wait times";
      f.summary += r.created_by ? "" : " and no creators";
      f.summary += " (pprof debug=1 or a fragment), so whether they stay is inferred from " +
                   Count(g.count, "goroutine") + " of " + std::to_string(total) +
                   " parked at one frame; confidence is lowered accordingly. A debug=2 dump taken "
                   "later would show their wait times.";
    }
    AddDocRemediation(&f, kDoc);
    // Not the wait state: debug=1 does not print it, and one leak must
    // keep one fingerprint whichever form it was captured in.
    SetFingerprint(&f, "leak", g.representative().frames, ci);
    out->push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2003() { return std::make_unique<GT2003>(); }

}  // namespace gotriage
