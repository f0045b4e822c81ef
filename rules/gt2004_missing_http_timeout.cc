// GT2004: HTTP calls or server connections without timeouts.
#include "base/strings.h"
#include "rules/catalog.h"
#include "rules/hang_util.h"
#include "rules/profile_top.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2004.id,
    .title = "Missing HTTP timeout",
    .category = rule_names::GT2004.category,
    .severity = Severity::kHigh,
    .what = "Goroutines are stuck inside the net/http client (persistConn.roundTrip, "
            "Transport.getConn, waiting for a response) or an HTTP server connection sits in a "
            "blocking read for a long time; or a TLS handshake waits minutes on its peer, or a "
            "goroutine listing shows a large share parked reading connections. The default "
            "http.Client and http.Server have no timeouts at all, nor has a net.Conn: a peer that "
            "never answers holds the goroutine forever.",
    .why = "`http.Get`, `http.DefaultClient` or `&http.Client{}` without Timeout, requests without "
           "a context deadline, or an `http.Server` (or `http.ListenAndServe`) without "
           "ReadHeaderTimeout/ReadTimeout/IdleTimeout, facing a slow or dead peer.",
    .fix = "Set http.Client.Timeout (or pass a context with a deadline via http.NewRequestWithContext).\n"
           "On servers set ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout instead of http.ListenAndServe.\n"
           "Bound dial and TLS handshake times on the Transport (DialContext timeout, TLSHandshakeTimeout).",
    .before = "client := &http.Client{}\nresp, err := client.Get(url) // may wait forever",
    .after = "client := &http.Client{Timeout: 10 * time.Second}\nctx, cancel := context.WithTimeout(ctx, 5*time.Second)\ndefer cancel()\nreq, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)\nresp, err := client.Do(req)",
    .links = {"https://pkg.go.dev/net/http#Client", "https://pkg.go.dev/net/http#Server",
              "https://blog.cloudflare.com/the-complete-guide-to-golang-net-http-timeouts/"},
};

// A goroutine waiting inside an HTTP client call: for the response
// (HTTP/1 persistConn.roundTrip, HTTP/2 RoundTrip), for a connection
// (getConn, dialConn), or reading a response body (Client.Timeout also
// bounds the body read).
//
// dialConn itself (and dialConnFor) is a dial in progress; its closures are
// not: the connection's readLoop and writeLoop run under
// `dialConn.gowrap2/3` in a SIGQUIT dump (a debug=2 dump omits those
// wrapper frames), and counting them made the same state 24 goroutines in
// one form and 8 in the other.
bool InClientCall(const std::vector<Frame>& fr) {
  if (HasFrame(fr, "net/http.(*persistConn).roundTrip") || HasFrame(fr, "net/http.(*Transport).getConn") ||
      HasFunctionOrSibling(fr, "net/http.(*Transport).dialConn") || HasFrame(fr, "net/http.(*http2ClientConn).RoundTrip") ||
      HasFrame(fr, "net/http.(*http2clientStream).waitOnHeaders") ||
      HasFrame(fr, "golang.org/x/net/http2.(*ClientConn).RoundTrip") ||
      HasFrame(fr, "golang.org/x/net/http2.(*clientStream).waitOnHeaders"))
    return true;
  // Body reads: the caller's goroutine, under (*bodyEOFSignal).Read.
  return HasFrame(fr, "net/http.(*bodyEOFSignal).Read") && FindFrame(fr, "net/http.(*conn).serve") < 0;
}

// A goroutine inside a TLS handshake it started itself (not the net/http
// client's, InClientCall): a handshake is a few round trips, so one that
// waits minutes on the peer has no deadline (syncthing#2548: a relay
// client's handshake in IO wait for 77 minutes).
bool InOwnTlsHandshake(const GoroutineGroup& g) {
  const std::vector<Frame>& fr = g.representative().frames;
  return EffectiveWait(g) == WaitKind::kIOWait && !InClientCall(fr) &&
         (HasFrame(fr, "crypto/tls.(*Conn).Handshake") || HasFrame(fr, "crypto/tls.(*Conn).HandshakeContext") ||
          HasFrame(fr, "crypto/tls.(*Conn).handshakeContext") || HasFrame(fr, "crypto/tls.(*Conn).clientHandshake") ||
          HasFrame(fr, "crypto/tls.(*Conn).serverHandshake"));
}

class GT2004 : public IncidentRule {
 public:
  const RuleDoc& doc() const override { return kDoc; }
  bool AppliesTo(const Incident& inc) const override {
    return inc.top || (HasGroups(inc) && inc.kind != IncidentKind::kTestTimeout);
  }

  void CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    const Incident& inc = in.incidents[i];
    if (inc.top) {
      if (auto f = TopNetworkReads(kDoc, in, i)) out->push_back(std::move(*f));
      return;
    }
    const GoroutineGroup* client = nullptr;
    const GoroutineGroup* server = nullptr;
    const GoroutineGroup* handshake = nullptr;  // the longest waiting, then the largest
    uint64_t nclient = 0, nhandshake = 0;
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty()) continue;
      const std::vector<Frame>& fr = g.representative().frames;
      if (InClientCall(fr)) {
        nclient += g.count;
        if (!client || g.count > client->count) client = &g;
      } else if (EffectiveWait(g) == WaitKind::kIOWait && HasFrame(fr, "net/http.(*connReader).Read") &&
                 g.max_wait_minutes >= 10) {
        if (!server || g.max_wait_minutes > server->max_wait_minutes) server = &g;
      } else if (InOwnTlsHandshake(g)) {
        nhandshake += g.count;
        if (!handshake || g.max_wait_minutes > handshake->max_wait_minutes ||
            (g.max_wait_minutes == handshake->max_wait_minutes && g.count > handshake->count))
          handshake = &g;
      }
    }
    // A paste of only goroutines in the client (prometheus/prom2json#71:
    // the one record of a debug=1 profile its reporter showed): what they
    // chose to show is where it hangs, though the input cannot say for how
    // long.
    bool chosen = client && PastedExcerpt(inc, true) && nclient == inc.goroutine_count;
    bool client_hit = client && (nclient >= 4 || client->max_wait_minutes >= 5 || chosen);
    // Handshakes waiting minutes, or many at once (a snapshot without wait
    // times catches a few in flight on a busy server).
    bool handshake_hit = handshake && (handshake->max_wait_minutes >= 5 || nhandshake >= 16);
    if (!client_hit && !server && !handshake_hit) return;
    Finding f = NewFinding(kDoc, in, i);
    if (client_hit) {
      const GoroutineGroup& g = *client;
      int ci = GroupCulprit(g);
      SetCulprit(&f, g.representative().frames, ci);
      // Every client group, the culprit's first: the summary counts them
      // all, so the evidence (goroutines_involved, ids) must too.
      AddGroupEvidence(&f, g);
      for (const GoroutineGroup& o : inc.groups) {
        if (&o != &g && !o.samples.empty() && InClientCall(o.representative().frames)) AddGroupEvidence(&f, o);
      }
      f.confidence = 0.9;
      // "N of TOTAL" in the text is the whole dump, as the evidence says;
      // the confidence is judged against the goroutines that are not idle.
      uint64_t total = f.evidence.goroutines_total;
      uint64_t busy = inc.declared_total ? inc.declared_total : NonIdleGoroutines(inc);
      f.summary = Count(nclient, "goroutine") + (nclient == 1 ? " is" : " are") +
                  " waiting inside the net/http client for a response" + WaitText(g);
      if (ci >= 0) f.summary += ", called from " + FuncAndWhere(BareFunc(g.representative().frames[ci].function),
                                                                 CodeRefFrom(g.representative().frames[ci]));
      f.summary += ". Nothing bounds how long they wait: the http.Client has no Timeout and the "
                   "requests carry no deadline, so a peer that does not answer holds each goroutine "
                   "(and whatever work queue feeds it) forever.";
      if (g.max_wait_minutes < 0) {
        // No wait minutes (debug=1, a fragment): these may be ordinary
        // in-flight requests caught by the snapshot.
        f.confidence = nclient >= 16 || (busy && nclient * 4 >= busy) ? 0.75 : 0.65;
        if (nclient < 4) f.confidence = 0.55;  // only what was pasted
        std::string of;
        if (total) of = " of " + std::to_string(total);
        std::string busy_part;
        if (busy && busy != total) busy_part = " (" + std::to_string(nclient) + " of the " + std::to_string(busy) + " not idle)";
        f.summary += " The input has no wait times (pprof debug=1 or a fragment), so this is judged "
                     "from " + std::to_string(nclient) + of + " goroutines" + busy_part +
                     " parked in the client at once; confidence is lowered accordingly. A "
                     "debug=2 dump would show how long they have waited.";
      }
      SetFingerprint(&f, "http client without timeout");
    } else if (!server) {
      const GoroutineGroup& g = *handshake;
      int ci = GroupCulprit(g);
      SetCulprit(&f, g.representative().frames, ci);
      AddGroupEvidence(&f, g);
      for (const GoroutineGroup& o : inc.groups)
        if (&o != &g && !o.samples.empty() && InOwnTlsHandshake(o)) AddGroupEvidence(&f, o);
      f.confidence = g.max_wait_minutes >= 5 ? 0.8 : 0.6;
      f.summary = Count(nhandshake, "goroutine") + (nhandshake == 1 ? " is" : " are") +
                  " in a TLS handshake, waiting for the peer" + WaitText(g);
      if (ci >= 0) f.summary += ", started by " + FuncAndWhere(BareFunc(g.representative().frames[ci].function),
                                                                CodeRefFrom(g.representative().frames[ci]));
      f.summary += ". A handshake takes a few round trips; one that waits minutes has no deadline: a peer "
                   "that accepted the TCP connection and never answers holds the goroutine and its "
                   "connection forever. Set a deadline on the connection before Handshake "
                   "(conn.SetDeadline) or use HandshakeContext with a timeout (tls.Dialer, "
                   "Transport.TLSHandshakeTimeout for HTTP).";
      SetFingerprint(&f, "tls handshake without deadline");
    } else {
      const GoroutineGroup& g = *server;
      int ci = GroupCulprit(g);
      if (ci < 0 || g.representative().frames[ci].kind == FrameKind::kStdlib)
        ci = FindFrame(g.representative().frames, "net/http.(*conn).serve");
      SetCulprit(&f, g.representative().frames, ci);
      AddGroupEvidence(&f, g);
      f.severity = Severity::kMedium;
      f.confidence = 0.85;
      f.summary = Count(g.count, "HTTP server connection") + " sat in a blocking read of the next request" +
                  WaitText(g) + " (net/http.(*conn).serve -> connReader.Read, IO wait). The server has no "
                  "ReadTimeout/IdleTimeout, so idle or slow clients keep a goroutine and a file "
                  "descriptor each, indefinitely.";
      SetFingerprint(&f, "http server without timeouts");
    }
    AddDocRemediation(&f, kDoc);
    out->push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2004() { return std::make_unique<GT2004>(); }

}  // namespace gotriage
