// The hang, leak and GC-pressure rules on protobuf profiles written by the
// real Go runtime (testdata/fixtures/profiles, made by testdata/gen/profiles).
// A separate test rather than manifest rows: manifest.py reads text fixtures
// line by line, and these pairs need several inputs at once.
#include <gtest/gtest.h>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"
#include "tests/support/triage.h"

namespace gotriage {
namespace {

const std::string kDir = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/profiles/";

struct ProfileRun {
  std::unique_ptr<ParsedInput> in;
  std::vector<Finding> findings;
};

ProfileRun Analyze(std::initializer_list<std::string> names) {
  Parser p(ParseOptions{});
  for (const std::string& n : names) {
    std::string err;
    EXPECT_TRUE(p.AddFile(kDir + n, &err)) << err;
  }
  ProfileRun r;
  r.in = p.Finish();
  r.findings = gotriage::Analyze(*r.in, EngineOptions{});
  return r;
}

const Finding* Find(const ProfileRun& r, std::string_view id) {
  for (const Finding& f : r.findings)
    if (f.rule_id == id) return &f;
  return nullptr;
}

TEST(ProfileRules, ProtoLeakGivesTheSameLeakFindingAsItsDebug1Twin) {
  for (const char* dir : {"leak-go126", "leakexp-go126", "leak-go127"}) {
    ProfileRun proto = Analyze({std::string(dir) + "/goroutine.pb.gz"});
    ProfileRun text = Analyze({std::string(dir) + "/goroutine.debug1.txt"});
    const Finding* p = Find(proto, "GT2003");
    const Finding* t = Find(text, "GT2003");
    ASSERT_TRUE(t) << dir;
    ASSERT_TRUE(p) << dir;
    EXPECT_EQ(p->category, t->category);
    EXPECT_EQ(p->severity, t->severity);
    ASSERT_TRUE(p->culprit && t->culprit);
    EXPECT_EQ(p->culprit->function, t->culprit->function);
    EXPECT_EQ(p->culprit->line, t->culprit->line);
    EXPECT_EQ(p->evidence.goroutines_involved, t->evidence.goroutines_involved);
  }
}

TEST(ProfileRules, GoroutineLeakProtoProfileIsALeak) {
  for (const char* dir : {"leakexp-go126", "leak-go127"}) {
    ProfileRun proto = Analyze({std::string(dir) + "/goroutineleak.pb.gz"});
    ProfileRun text = Analyze({std::string(dir) + "/goroutineleak.debug1.txt"});
    const Finding* p = Find(proto, "GT2003");
    const Finding* t = Find(text, "GT2003");
    ASSERT_TRUE(p && t) << dir;
    ASSERT_TRUE(p->culprit && t->culprit);
    EXPECT_EQ(p->culprit->function, t->culprit->function);
    EXPECT_EQ(p->severity, t->severity);
    EXPECT_EQ(p->evidence.goroutines_involved, t->evidence.goroutines_involved);
  }
}

TEST(ProfileRules, GcChurnNamesTheAllocatingFunctionAndItsCaller) {
  ProfileRun r = Analyze({"gc-churn/cpu.pb.gz", "gc-churn/allocs.pb.gz"});
  const Finding* f = Find(r, "GT2008");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->category, "gc_pressure");
  ASSERT_TRUE(f->culprit);
  EXPECT_EQ(f->culprit->function, "main.getLocalAddresses");
  EXPECT_EQ(f->culprit->kind, "app");
  ASSERT_TRUE(f->app_frame);
  EXPECT_EQ(f->app_frame->function, "main.syncProxyRules");
  EXPECT_NE(f->summary.find("alloc_objects"), std::string::npos);
  EXPECT_NE(f->summary.find("alloc_space"), std::string::npos);
  EXPECT_NE(f->summary.find("garbage collection"), std::string::npos);
  bool hoist = false;
  for (const std::string& s : f->remediation.steps) hoist |= s.find("Hoist") != std::string::npos;
  EXPECT_TRUE(hoist);
  // The order of the inputs does not matter.
  ProfileRun r2 = Analyze({"gc-churn/allocs.pb.gz", "gc-churn/cpu.pb.gz"});
  const Finding* f2 = Find(r2, "GT2008");
  ASSERT_TRUE(f2 && f2->culprit);
  EXPECT_EQ(f2->culprit->function, "main.getLocalAddresses");
}

TEST(ProfileRules, GcChurnWithOnlyACpuProfileSaysWhichProfileWouldName) {
  ProfileRun r = Analyze({"gc-churn/cpu.pb.gz"});
  const Finding* f = Find(r, "GT2008");
  ASSERT_TRUE(f);
  EXPECT_NE(f->summary.find("allocs profile"), std::string::npos);
}

TEST(ProfileRules, GcChurnWithTheHeapProfileText) {
  ProfileRun r = Analyze({"gc-churn/cpu.pb.gz", "gc-churn/heap.debug1.txt", "gc-churn/gctrace.txt"});
  const Finding* f = Find(r, "GT2008");
  ASSERT_TRUE(f);
  ASSERT_TRUE(f->culprit);
  EXPECT_EQ(f->culprit->function, "main.getLocalAddresses");
  bool trace = false;
  for (const std::string& d : f->evidence.details) trace |= d.rfind("gctrace:", 0) == 0;
  EXPECT_TRUE(trace);
  size_t n = 0;
  for (const Finding& x : r.findings) n += x.rule_id == "GT2008";
  EXPECT_EQ(n, 1u);  // CPU samples preferred: one finding, gctrace as evidence
}

// olivere/elastic#83 (fresh10/): `top30 -cum` of a heap profile, 71.9% in
// time.NewTicker, 85 of its 91.5 MB under (*Client).healthchecker (the rest
// created elsewhere): the caller holding most of the timers is named.
TEST(ProfileRules, TimersInATopListingNameTheCallerHoldingMostOfThem) {
  const std::string top =
      "(pprof) top30 -cum\n91.51MB of 127.35MB total (71.86%)\n"
      "Showing top 30 nodes out of 67 (cum >= 6.50MB)\n"
      "      flat  flat%   sum%        cum   cum%\n"
      "         0     0%     0%   117.35MB 92.15%  runtime.goexit\n"
      "   91.51MB 71.86% 71.86%    91.51MB 71.86%  time.NewTicker\n"
      "         0     0% 71.86%    %CALLER%  github.com/acme/es.(*Client).healthchecker\n"
      "         0     0% 71.86%     9.40MB  7.38%  main.(*Server).main\n";
  for (const auto& [cum, named] : std::vector<std::pair<std::string, bool>>{
           {"85.01MB 66.75%", true}, {"91.51MB 71.86%", true}, {"30.00MB 23.56%", false}}) {
    std::string text = top;
    text.replace(text.find("%CALLER%"), 8, cum);
    auto in = ParseText(text);
    std::vector<Finding> fs = Analyze(*in, {});
    ASSERT_FALSE(fs.empty()) << cum;
    EXPECT_EQ(fs[0].rule_id, "GT2006");
    ASSERT_TRUE(fs[0].culprit);
    EXPECT_EQ(fs[0].culprit->function, named ? "github.com/acme/es.(*Client).healthchecker" : "time.NewTicker") << cum;
  }
}

// goroutine-pileup's heap profile (40,000 senders parked forever on a
// channel nobody reads, golang/go#9869's listing): runtime.malg's
// goroutine descriptors are most of the heap in use. The protobuf profile,
// its debug=1 twin and its `-top` listing each give the same leak finding,
// and no heap profile of other work gives it.
TEST(ProfileRules, GoroutineDescriptorsFillingTheHeapAreALeak) {
  for (const char* name : {"goroutine-pileup/heap.pb.gz", "goroutine-pileup/heap.debug1.txt",
                           "goroutine-pileup/heap.top.txt"}) {
    SCOPED_TRACE(name);
    ProfileRun r = Analyze({name});
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].rule_id, "GT2003");
    EXPECT_NE(r.findings[0].summary.find("runtime.malg holds"), std::string::npos) << r.findings[0].summary;
    EXPECT_NE(r.findings[0].summary.find("descriptors of goroutines"), std::string::npos) << r.findings[0].summary;
    EXPECT_FALSE(r.findings[0].culprit);  // a heap profile does not say who started them
  }
  for (const char* name : {"timer-churn/heap.pb.gz", "timer-churn/heap.debug1.txt", "timer-churn/heap.top.txt",
                           "gc-churn/heap.debug1.txt", "gc-churn/allocs.pb.gz"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(Find(Analyze({name}), "GT2003"), nullptr);
  }
}

// timer-churn's heap profile (an expiration loop's unstopped timers,
// jellydator/ttlcache#18) in every form: the protobuf profile and its
// debug=1 twin, and as `go tool pprof` lists it: `-top`, `-peek` of the
// constructor and `-tree`, each pasted alone, and a `top` cut before the
// program's rows with the `peek` after it, as ttlcache#18 pasted them.
// Every form names the loop.
TEST(ProfileRules, TimersInPeekAndTreeListingsNameTheCallerOfTheConstructor) {
  const std::string loop = "main.(*Cache).startExpirationProcessing";
  for (const char* name : {"timer-churn/heap.pb.gz", "timer-churn/heap.debug1.txt"}) {
    SCOPED_TRACE(name);
    ProfileRun r = Analyze({name});
    ASSERT_FALSE(r.findings.empty());
    EXPECT_EQ(r.findings[0].rule_id, "GT2006");
    ASSERT_TRUE(r.findings[0].culprit);
    EXPECT_EQ(r.findings[0].culprit->function, loop);
    EXPECT_EQ(r.findings[0].culprit->line, 43);  // the loop's time.NewTimer
    EXPECT_NE(r.findings[0].summary.find("Timers hold 100.0% of the heap in use"), std::string::npos)
        << r.findings[0].summary;
  }
  // A heap profile whose timers are a small share stays quiet for GT2006.
  EXPECT_EQ(Find(Analyze({"gc-churn/heap.debug1.txt"}), "GT2006"), nullptr);
  for (const char* name : {"timer-churn/heap.top.txt", "timer-churn/heap.peek.txt", "timer-churn/heap.tree.txt"}) {
    SCOPED_TRACE(name);
    ProfileRun r = Analyze({name});
    ASSERT_FALSE(r.findings.empty());
    EXPECT_EQ(r.findings[0].rule_id, "GT2006");
    ASSERT_TRUE(r.findings[0].culprit);
    EXPECT_EQ(r.findings[0].culprit->function, loop);
    EXPECT_EQ(r.findings[0].culprit->kind, "app");
  }
  // The peek listing's model: its node a row, its caller and callees edges.
  ProfileRun peek = Analyze({"timer-churn/heap.peek.txt"});
  ASSERT_EQ(peek.in->incidents.size(), 1u);
  const ProfileTop& t = *peek.in->incidents[0].top;
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].function, "time.NewTimer");
  ASSERT_EQ(t.edges.size(), 3u);
  EXPECT_EQ(t.edges[0].caller, loop);
  EXPECT_EQ(t.edges[0].callee, "time.NewTimer");
  EXPECT_EQ(t.edges[1].caller, "time.NewTimer");
  EXPECT_EQ(t.edges[1].callee, "time.newTimer");
  EXPECT_EQ(peek.in->incidents[0].last_line, peek.in->lines);

  // The top listing cut after its two rows of the time package, `[...]`,
  // then the peek: one listing, the caller from the peek.
  std::string top = test_inputs::ReadInput(kDir + "timer-churn/heap.top.txt");
  std::string peek_text = test_inputs::ReadInput(kDir + "timer-churn/heap.peek.txt");
  size_t cut = top.find("\n", top.find("time.newTimer")) + 1;
  std::string pasted = "(pprof) top\n" + top.substr(top.find("Showing nodes"), cut - top.find("Showing nodes")) +
                       "\n[...]\n" + peek_text.substr(peek_text.find("-----"));
  auto in = ParseText(pasted);
  ASSERT_EQ(in->incidents.size(), 1u) << pasted;
  EXPECT_FALSE(in->incidents[0].top->edges.empty());
  std::vector<Finding> fs = gotriage::Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2006");
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, loop);
  // Without the peek, the constructor is all the listing names.
  fs = gotriage::Analyze(*ParseText(pasted.substr(0, pasted.find("[...]"))), {});
  ASSERT_FALSE(fs.empty());
  ASSERT_TRUE(fs[0].culprit);
  EXPECT_EQ(fs[0].culprit->function, "time.NewTimer");
  // A log line after the top listing ends it; the lines after go elsewhere.
  auto logged = ParseText(pasted.substr(0, pasted.find("[...]")) + "level=info msg=done\n" +
                          peek_text.substr(peek_text.find("-----")));
  ASSERT_FALSE(logged->incidents.empty());
  EXPECT_TRUE(logged->incidents[0].top->edges.empty());
}

TEST(ProfileRules, TimersHoldWhatTheirConstructorsAllocateThroughTheRuntime) {
  // A ticker's memory is mostly its channel, runtime.makechan's flat: the
  // constructors' cum is what the timers hold (google/goexpect#3). Their
  // cum shares are not added (time.After calls NewTimer): the largest one
  // decides, and below 30% of the heap there is no finding.
  const std::string top =
      "68.93MB of 68.93MB total (  100%)\n"
      "      flat  flat%   sum%        cum   cum%\n"
      "      46MB 66.74% 66.74%       46MB 66.74%  runtime.makechan\n"
      "   11.50MB 16.68% 83.42%    %TICKER%  time.NewTicker\n"
      "       4MB  5.80% 89.22%    18.50MB 26.84%  time.NewTimer\n"
      "    2.85MB  4.13% 93.35%     2.85MB  4.13%  runtime.addtimerLocked\n";
  for (const auto& [cum, fires] : std::vector<std::pair<std::string, bool>>{
           {"45.85MB 66.51%", true}, {"20.00MB 29.01%", false}}) {
    std::string text = top;
    text.replace(text.find("%TICKER%"), 8, cum);
    std::vector<Finding> fs = test_triage::Triage(text);
    const Finding* f = test_triage::Of(fs, "GT2006");
    ASSERT_EQ(f != nullptr, fires) << cum;
    if (!f) continue;
    ASSERT_TRUE(f->culprit);
    EXPECT_EQ(f->culprit->function, "time.NewTicker");
    EXPECT_NE(f->summary.find("66.5%"), std::string::npos) << f->summary;
    EXPECT_NE(f->summary.find("45.85MB with the channels it makes"), std::string::npos) << f->summary;
  }
}

TEST(ProfileRules, AGoroutineListingOfConnectionReadsIsAMissingTimeout) {
  // syepes/network_exporter#18: half of 5043 goroutines in TLS reads under
  // bufio's Peek (client connections' readLoops), no function of the
  // program above them.
  const std::string head =
      "Showing nodes accounting for 5040, 99.94% of %TOTAL% total\n"
      "      flat  flat%   sum%        cum   cum%\n"
      "      5040 99.94% 99.94%       5040 99.94%  runtime.gopark\n"
      "         0     0% 99.94%       2435 48.28%  bufio.(*Reader).Peek\n"
      "         0     0% 99.94%       2435 48.28%  crypto/tls.(*Conn).Read\n";
  auto gt2004 = [](const std::string& text) -> std::string {
    std::vector<Finding> fs = test_triage::Triage(text);
    const Finding* f = test_triage::Of(fs, "GT2004");
    return f ? f->summary : "";
  };
  std::string base = head;
  base.replace(base.find("%TOTAL%"), 7, "5043");
  std::string s = gt2004(base);
  EXPECT_NE(s.find("2435 (48.3%) are parked in crypto/tls.(*Conn).Read"), std::string::npos) << s;
  EXPECT_NE(s.find("client connections"), std::string::npos) << s;
  // The program's own function above all of them: its reads, not a pile.
  EXPECT_EQ(gt2004(base + "         0     0% 99.94%       2440 48.38%  github.com/acme/mq.(*Conn).readLoop\n"), "");
  // A small process: a few hundred reads in flight are ordinary.
  std::string small = head;
  small.replace(small.find("%TOTAL%"), 7, "800");
  EXPECT_EQ(gt2004(small), "");
}

TEST(ProfileRules, GcTraceAloneShowsTheChurn) {
  ProfileRun r = Analyze({"gc-churn/gctrace.txt"});
  const Finding* f = Find(r, "GT2008");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::kMedium);
  EXPECT_NE(f->summary.find("allocs profile"), std::string::npos);
  ProfileRun r2 = Analyze({"gc-churn/gctrace.txt", "gc-churn/allocs.pb.gz"});
  const Finding* f2 = Find(r2, "GT2008");
  ASSERT_TRUE(f2 && f2->culprit);
  EXPECT_EQ(f2->culprit->function, "main.getLocalAddresses");
}

// golang/go#10898 (fresh2/): eight go1.5-dev cycles about 500 ms apart,
// GC's share of the CPU rising from 37% to 73% on a 2-14 MB heap. Not in
// quick succession, but GC at half the CPU or more is pressure.
TEST(ProfileRules, GcTraceAtHalfTheCpuIsPressureHoweverFarApart) {
  std::string paste = test_inputs::ReadInput(
      (test_inputs::CorpusDir() / "fresh2/C-golang-go-10898-gctrace-go15dev-gc-70pct-mark-termination.log").string());
  auto in = ParseText(paste);
  std::vector<Finding> fs = gotriage::Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2008");
  EXPECT_NE(fs[0].summary.find("takes 70% of the CPU"), std::string::npos) << fs[0].summary;
  // The same cycles at a GC share under half: still pressure, since a
  // cycle runs 83% of the time; that is what the finding says then.
  std::string low = paste;
  for (const char* pct : {"48%", "59%", "66%", "65%", "70%", "73%"}) {
    size_t at = low.find(std::string(" ") + pct + ":");
    ASSERT_NE(at, std::string::npos) << pct;
    for (; at != std::string::npos; at = low.find(std::string(" ") + pct + ":"))
      low.replace(at + 1, std::string(pct).size(), "12%");
  }
  std::vector<Finding> lf = gotriage::Analyze(*ParseText(low), {});
  ASSERT_FALSE(lf.empty());
  EXPECT_NE(lf[0].summary.find("never stops"), std::string::npos) << lf[0].summary;
  // And with cycles of a few milliseconds: no pressure at all.
  std::string quiet;
  for (size_t at = 0; at < low.size();) {
    size_t nl = low.find('\n', at);
    std::string line = low.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    size_t from = line.find("%: "), to = line.find(" ms clock");
    if (from != std::string::npos && to != std::string::npos) line.replace(from + 3, to - from - 3, "0+1+0+1+1");
    quiet += line + "\n";
    at = nl == std::string::npos ? low.size() : nl + 1;
  }
  ASSERT_NE(quiet.find("12%: 0+1+0+1+1 ms clock"), std::string::npos);
  for (const Finding& f : gotriage::Analyze(*ParseText(quiet), {})) EXPECT_NE(f.rule_id, "GT2008");
}

// golang/go#58106 (fresh3/): nine cycles 2.5 s apart at 18% GC, each
// running 2.2 s: a heap held at its GOMEMLIMIT goal, the collector never
// stops. Cycles that run a small part of the time are no pressure.
TEST(ProfileRules, GcTraceThatNeverStopsIsPressure) {
  std::string paste = test_inputs::ReadInput(
      (test_inputs::CorpusDir() / "fresh3/E-go-58106-gctrace-memlimit-gc-cpu-fragment.log").string());
  auto in = ParseText(paste);
  std::vector<Finding> fs = gotriage::Analyze(*in, {});
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule_id, "GT2008");
  EXPECT_NE(fs[0].summary.find("never stops"), std::string::npos) << fs[0].summary;
  // The same cycles lasting 200 ms instead of 2.2-2.6 s.
  std::string short_cycles = paste;
  for (size_t at = short_cycles.find("+2"); at != std::string::npos; at = short_cycles.find("+2", at + 1)) {
    size_t end = short_cycles.find('+', at + 1);
    if (end != std::string::npos && end - at == 5) short_cycles.replace(at + 1, 4, "200");
  }
  ASSERT_EQ(short_cycles.find("+2172+"), std::string::npos);
  auto in2 = ParseText(short_cycles);
  for (const Finding& f : gotriage::Analyze(*in2, {})) EXPECT_NE(f.rule_id, "GT2008");
}

TEST(ProfileRules, BusyButHealthyProfilesStayQuiet) {
  for (const char* name : {"cpu-bound/cpu.pb.gz", "healthy-server/goroutine.pb.gz"}) {
    ProfileRun r = Analyze({name});
    ASSERT_EQ(r.in->incidents.size(), 1u) << name;
    for (const Finding& f : r.findings) EXPECT_EQ(f.severity, Severity::kInfo) << name << ": " << f.rule_id;
  }
}

// The same profiles as the text users paste instead of the file: `go tool
// pprof -traces` and `perf report --stdio` (testdata/gen/profiles/
// regen-listings, the real tools on the real profiles and programs).
TEST(ProfileRules, PprofTracesListingsGiveWhatTheirProfilesGive) {
  ProfileRun proto = Analyze({"gc-churn/cpu.pb.gz", "gc-churn/allocs.pb.gz"});
  ProfileRun text = Analyze({"gc-churn/cpu.traces.txt", "gc-churn/allocs.traces.txt"});
  const Finding* p = Find(proto, "GT2008");
  const Finding* t = Find(text, "GT2008");
  ASSERT_TRUE(p && t);
  EXPECT_EQ(t->severity, p->severity);
  ASSERT_TRUE(t->culprit && t->app_frame);
  EXPECT_EQ(t->culprit->function, "main.getLocalAddresses");
  EXPECT_EQ(t->app_frame->function, "main.syncProxyRules");
  // The same share of CPU in GC: `29% of its 1.39s`.
  std::string share = p->summary.substr(0, p->summary.find(" in garbage collection"));
  EXPECT_EQ(t->summary.substr(0, share.size()), share);
  EXPECT_NE(t->summary.find("alloc_objects"), std::string::npos);  // -sample_index=alloc_objects
  // Evidence points at input lines of the listing, not sample numbers.
  const Incident& cpu = text.in->incidents[0];
  EXPECT_FALSE(cpu.sample_positions);
  ASSERT_FALSE(t->evidence.input_lines.empty());
  for (size_t l : t->evidence.input_lines) {
    EXPECT_GE(l, cpu.first_line);
    EXPECT_LE(l, cpu.last_line);
  }
  // A goroutine -traces listing is the same leak as its debug=1 twin.
  for (const char* pair : {"leak-go126/goroutine", "leak-go127/goroutineleak"}) {
    ProfileRun tr = Analyze({std::string(pair) + ".traces.txt"});
    ProfileRun d1 = Analyze({std::string(pair) + ".debug1.txt"});
    const Finding* a = Find(tr, "GT2003");
    const Finding* b = Find(d1, "GT2003");
    ASSERT_TRUE(a && b) << pair;
    ASSERT_TRUE(a->culprit && b->culprit);
    EXPECT_EQ(a->culprit->function, b->culprit->function);
    EXPECT_EQ(a->evidence.goroutines_involved, b->evidence.goroutines_involved);
  }
}

TEST(ProfileRules, PerfReportOfTheChurnIsGcPressure) {
  for (const char* name : {"gc-churn/perf-report.txt", "gc-churn/perf-report-children.txt"}) {
    ProfileRun r = Analyze({name});
    ASSERT_EQ(r.in->incidents.size(), 1u) << name;
    const Finding* f = Find(r, "GT2008");
    ASSERT_TRUE(f) << name;
    EXPECT_NE(f->summary.find("runtime.tryDeferToSpanScan"), std::string::npos) << f->summary;
    // With an allocs profile alongside, it names the allocating function.
    ProfileRun with = Analyze({name, "gc-churn/allocs.pb.gz"});
    const Finding* g = Find(with, "GT2008");
    ASSERT_TRUE(g && g->culprit) << name;
    EXPECT_EQ(g->culprit->function, "main.getLocalAddresses");
  }
}

TEST(ProfileRules, BusyButHealthyListingsStayQuiet) {
  for (const char* name : {"cpu-bound/cpu.traces.txt", "cpu-bound/perf-report.txt", "cpu-bound/perf-report-children.txt"}) {
    ProfileRun r = Analyze({name});
    ASSERT_EQ(r.in->incidents.size(), 1u) << name;
    EXPECT_EQ(r.in->incidents[0].kind, IncidentKind::kProfile) << name;
    for (const Finding& f : r.findings) EXPECT_EQ(f.severity, Severity::kInfo) << name << ": " << f.rule_id;
  }
}

// GC pressure with a pod that was OOMKilled: the finding says the churn
// raises the heap peak. The pod is a real `kubectl describe` of an
// OOMKilled container (testdata/corpus/dumps, kyma-project/kyma#3195).
TEST(ProfileRules, GcPressureTiesToAnOomKilledPod) {
  Parser p(ParseOptions{});
  std::string err;
  ASSERT_TRUE(p.AddFile(kDir + "gc-churn/cpu.pb.gz", &err)) << err;
  ASSERT_TRUE(p.AddFile(std::string(GOTRIAGE_SOURCE_DIR) +
                            "/testdata/corpus/dumps/14-kyma3195-prometheus-oomkilled-describe.txt",
                        &err))
      << err;
  std::unique_ptr<ParsedInput> in = p.Finish();
  std::vector<Finding> findings = gotriage::Analyze(*in, EngineOptions{});
  const Finding* f = nullptr;
  for (const Finding& x : findings)
    if (x.rule_id == "GT2008") f = &x;
  ASSERT_TRUE(f);
  EXPECT_NE(f->summary.find("OOMKilled"), std::string::npos) << f->summary;
  bool detail = false;
  for (const std::string& d : f->evidence.details) detail |= d.find("OOMKilled") != std::string::npos;
  EXPECT_TRUE(detail);
  ProfileRun alone = Analyze({"gc-churn/cpu.pb.gz"});
  const Finding* g = Find(alone, "GT2008");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->summary.find("OOMKilled"), std::string::npos);
}

}  // namespace
}  // namespace gotriage
