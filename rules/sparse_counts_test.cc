// GT2003 on count-only evidence (issue 15 item 5): pprof debug=1 profiles
// pasted in issues, with counts but no wait minutes and no creators. Real
// pastes from testdata/corpus/threads and captured fixtures.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"
#include "tests/support/triage.h"
#include "rules/engine.h"

namespace gotriage {
namespace {

const std::string kSource = GOTRIAGE_SOURCE_DIR;

std::vector<Finding> Triage(const std::string& rel) {
  std::string path = kSource + "/testdata/" + rel;
  EXPECT_EQ(test_inputs::FileProblem(path), "") << rel;
  Parser p(ParseOptions{});
  std::string err;
  EXPECT_TRUE(p.AddFile(path, &err)) << err;
  auto in = p.Finish();
  EXPECT_FALSE(in->incidents.empty()) << rel << ": nothing parsed";
  return Analyze(*in, {});
}

const Finding* Of(const std::vector<Finding>& fs, const std::string& id) {
  for (const Finding& f : fs)
    if (f.rule_id == id) return &f;
  return nullptr;
}

// golang/go#24455: 163 of 330 goroutines are HTTP server connections in a
// blocking read of their client's next request (the record cut before
// (*conn).serve). Without minutes GT2004 cannot say how long they waited;
// the count against the total says they piled up.
TEST(SparseCounts, ServerConnectionsPilingUpAreALeak) {
  std::vector<Finding> fs = Triage("corpus/threads/72-go-24455-debug1-330-server-conn-readers-file-on-tcpconn.txt");
  ASSERT_FALSE(fs.empty());
  const Finding& f = fs[0];
  EXPECT_EQ(f.rule_id, "GT2003");
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_LE(f.confidence, 0.65);
  ASSERT_TRUE(f.culprit);
  EXPECT_EQ(f.culprit->function, "net/http.(*connReader).Read");
  EXPECT_EQ(f.evidence.goroutines_involved, 163u);
  EXPECT_NE(f.summary.find("(49% of 330 goroutines)"), std::string::npos) << f.summary;
  EXPECT_NE(f.summary.find("HTTP server connection waiting in a blocking read"), std::string::npos) << f.summary;
  EXPECT_NE(f.summary.find("no wait times"), std::string::npos) << f.summary;
  ASSERT_FALSE(f.remediation.steps.empty());
  EXPECT_NE(f.remediation.steps[0].find("IdleTimeout"), std::string::npos) << f.remediation.steps[0];
}

// hashicorp/horizon#29: one record of a debug=1 profile, 216 goroutines
// reading TLS connections, cut above the code that owns them ("climbing
// goroutines that look like this"; the fix gave the server IdleTimeout).
// An excerpt of nothing but connection readers, as many as a server's
// idle connections must be to count, is a pile of held connections.
TEST(SparseCounts, APickedRecordOfConnectionReadersIsAPile) {
  const std::string rel = "corpus/fresh7/C-horizon-29-pprof-debug1-single-record-cut.log";
  std::vector<Finding> fs = Triage(rel);
  const Finding* f = Of(fs, "GT2003");
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->culprit);
  EXPECT_EQ(f->culprit->function, "crypto/tls.(*Conn).readRecord");  // the outermost frame shown
  EXPECT_EQ(f->evidence.goroutines_involved, 216u);
  EXPECT_NE(f->summary.find("blocking read on a network connection"), std::string::npos) << f->summary;
  ASSERT_FALSE(f->remediation.steps.empty());
  EXPECT_NE(f->remediation.steps[0].find("IdleTimeout"), std::string::npos);

  // Fewer than a server's idle connections must be, or the whole profile
  // (its header declares no more goroutines than it holds): no pile.
  std::string text = test_inputs::ReadInput(kSource + "/testdata/" + rel);
  for (const std::string& variant : {std::string(text).replace(text.find("216 @"), 3, "50"),
                                     "goroutine profile: total 216\n" + text.substr(text.find("216 @"))}) {
    auto in = ParseText(variant);
    EXPECT_EQ(Of(Analyze(*in, {}), "GT2003"), nullptr) << variant.substr(0, 60);
  }
}

// A service calling itself (the persistconn-leak reproducer): its idle
// server connections are the other ends of its own leaked client
// connections, and the client side is blamed.
TEST(SparseCounts, ServerEndsOfTheProcessOwnClientConnectionsAreNotBlamed) {
  for (const char* rel : {"fixtures/persistconn-leak-debug1.go126.txt", "fixtures/persistconn-leak-debug2.go126.txt",
                          "fixtures/persistconn-leak-debug1.go127.txt"}) {
    std::vector<Finding> fs = Triage(rel);
    const Finding* f = Of(fs, "GT2003");
    ASSERT_TRUE(f) << rel;
    ASSERT_TRUE(f->culprit) << rel;
    EXPECT_EQ(f->culprit->function, "net/http.(*persistConn).readLoop") << rel;
    EXPECT_EQ(f->summary.find("HTTP server connection"), std::string::npos) << rel << ": " << f->summary;
  }
}

// A few server connections are how a server looks: the healthy idle server
// (one keep-alive connection) and servers whose handlers wait on a backend
// (GT2004's case) are not leaks of connections.
TEST(SparseCounts, FewServerConnectionsAreNotALeak) {
  for (const char* rel : {"fixtures/healthy-idle-server-debug1.go126.txt", "fixtures/healthy-idle-server-debug2.go126.txt",
                          "fixtures/http-no-timeout-pool-debug2.go126.txt",
                          "fixtures/http-no-timeout-pool-sigquit.go126.txt"}) {
    for (const Finding& f : Triage(rel)) EXPECT_NE(f.rule_id, "GT2003") << rel << ": " << f.summary;
  }
}

// go-cfclient#257: the reporter pasted four records of an eight-goroutine
// debug=1 profile, without the goroutine that wrote it: an excerpt of the
// suspects, judged like a leak checker's list, at low confidence.
TEST(SparseCounts, ProfileExcerptOfSuspectsIsJudgedAsAnExcerpt) {
  std::vector<Finding> fs = Triage("corpus/threads/73-go-cfclient-257-debug1-markdown-bold-persistconn.txt");
  ASSERT_FALSE(fs.empty());
  const Finding& f = fs[0];
  EXPECT_EQ(f.rule_id, "GT2003");
  EXPECT_DOUBLE_EQ(f.confidence, 0.5);
  ASSERT_TRUE(f.culprit);
  EXPECT_EQ(f.culprit->function, "net/http.(*persistConn).readLoop");
  EXPECT_NE(f.summary.find("only some records of a goroutine profile (4 of its 8 goroutines"), std::string::npos)
      << f.summary;
  EXPECT_NE(f.summary.find("about 2 connections are open"), std::string::npos) << f.summary;
}

// A whole debug=1 profile holds the goroutine that wrote it: not an
// excerpt, and a handful of parked goroutines in it is no leak.
TEST(SparseCounts, WholeProfileIsNotAnExcerpt) {
  for (const char* rel : {"fixtures/healthy-idle-server-debug1.go119.txt", "fixtures/healthy-tickers.go126.txt",
                          "fixtures/healthy-worker-pool-256-debug1.go126.txt"}) {
    for (const Finding& f : Triage(rel)) EXPECT_LE(f.severity, Severity::kInfo) << rel << ": " << f.summary;
  }
}

// Goroutines waiting on a sync.Cond are judged as channel waiters are:
// thousands of them at one frame are a leak (projectatomic/docker#257:
// 4716 attach copiers in BytesPipe.Read, 2358 more waiting for them)...
TEST(SparseCounts, ThousandsOfCondWaitersAreALeak) {
  std::vector<Finding> fs = Triage("corpus/fresh5/B-projectatomic-docker-257-debug1-attach-copystreams-leak-cut.log");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2003");
  EXPECT_EQ(fs[0].evidence.goroutines_involved, 4716u);
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "github.com/docker/docker/pkg/ioutils.(*BytesPipe).Read");
  EXPECT_NE(fs[0].summary.find("sync.Cond.Wait"), std::string::npos) << fs[0].summary;
}

// ... while a pool's few idle workers waiting on its Cond are not, even in
// an excerpt with no running goroutine (golang/go#31073: two cmd/go
// par.Work runners; the hang was a git subprocess the paste does not show).
TEST(SparseCounts, AFewCondWaitersAreNotALeak) {
  std::vector<Finding> fs = Triage("corpus/threads/106-go-31073-git-ls-remote-no-timeout-par-work-runners-registers.log");
  EXPECT_EQ(Of(fs, "GT2003"), nullptr);
}

// The one record of a debug=1 profile a reporter pasted, cut by grep's
// `--` (prometheus/prom2json#71): one record, and the goroutine it shows
// waiting in the HTTP client is what the paste is about, at low confidence
// (no wait time, one goroutine).
TEST(SparseCounts, APastedClientRecordIsAMissingTimeout) {
  std::vector<Finding> fs = Triage("corpus/fresh5/B-prom2json-71-unfenced-debug1-frames-roundtrip-no-header.log");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2004");
  EXPECT_LE(fs[0].confidence, 0.55);
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "github.com/prometheus/prom2json.FetchMetricFamilies");
}

// A headerless record someone gave as an example (cockroachdb#71622: a
// goroutine's pprof labels) is no leak: one goroutine waiting says nothing.
TEST(SparseCounts, AHeaderlessExampleRecordIsNoLeak) {
  std::vector<Finding> fs = Triage("corpus/dumps/37-cockroach71622-pprof-labels-push-wait-debug1.txt");
  EXPECT_EQ(Of(fs, "GT2003"), nullptr);
}

TEST(SparseCounts, ConnectionLoopsOfACopyOfNetHttpAreItsLoops) {
  // bfenetworks/bfe#1209: the Transport of a package that copied net/http
  // (bfe_http) leaks its readLoops; the paste keeps only their own frame, so
  // where they are parked is not claimed. A package whose name has no
  // `http` in it is not a copy of net/http.
  for (const auto& [pkg, copy] : std::vector<std::pair<std::string, bool>>{
           {"github.com/bfenetworks/bfe/bfe_http", true}, {"github.com/acme/queue", false}}) {
    const std::string text = "162 @ 0x7b0d96 0x77b41b 0x77af18 0xb85ec6 0x7e30c1\n"
                             "#\t0xb85ec5\t" + pkg + ".(*persistConn).readLoop+0x1a5\t/w/transport.go:812\n\n";
    std::vector<Finding> fs = test_triage::Triage(text);
    const Finding* f = test_triage::Of(fs, "GT2003");
    ASSERT_EQ(f != nullptr, copy) << pkg;
    if (!f) continue;
    EXPECT_NE(f->summary.find("readLoop and writeLoop: 162 and 0"), std::string::npos) << f->summary;
    EXPECT_NE(f->summary.find("is not in this input"), std::string::npos) << f->summary;
    EXPECT_EQ(f->summary.find("response bodies are not closed"), std::string::npos) << f->summary;
  }
}

}  // namespace
}  // namespace gotriage
