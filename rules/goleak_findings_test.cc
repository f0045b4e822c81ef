// GT2003 on a goleak report: every goroutine in it is declared leaked, so
// which ones become findings, and in what order, is the rule's choice. The
// application's own leaks come first and each distinct one is a finding; a
// library's background goroutine (opencensus' view worker) or the
// runtime's and net/http's leftovers never add one of their own.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/parse.h"
#include "rules/engine.h"
#include "tests/support/test_inputs.h"
#include "tests/support/triage.h"

namespace gotriage {
namespace {

using test_triage::Triage;

std::vector<std::string> LeakCulprits(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const Finding& f : fs)
    if (f.rule_id == "GT2003") out.push_back(f.culprit ? f.culprit->function : "-");
  return out;
}

// A record of goleak's report for goroutine \a id parked in \a fn (the
// first opens with `[`, the others with a space).
std::string Record(int id, const std::string& fn, const std::string& file, bool first = false) {
  return (first ? "[" : " ") + std::string("Goroutine ") + std::to_string(id) + " in state select, with " + fn + " on top of the stack:\n" +
         fn + "(0xc00003a080)\n\t" + file + ":276 +0x177\n";
}

TEST(GoleakFindings, TheApplicationsLeakBeforeALibrarysWorker) {
  // open-telemetry/opentelemetry-collector-contrib#9126 (fresh2/): the
  // opencensus worker is listed first; the tail-sampling batcher is the leak.
  std::vector<Finding> fs = Triage(test_inputs::ReadInput(
      (test_inputs::CorpusDir() / "fresh2/C-otel-contrib-9126-goleak-verifynone-test-indented-idbatcher.log").string()));
  EXPECT_EQ(LeakCulprits(fs),
            (std::vector<std::string>{"github.com/open-telemetry/opentelemetry-collector-contrib/processor/"
                                      "tailsamplingprocessor/internal/idbatcher.New.func1"}));
}

TEST(GoleakFindings, EachLeakingFunctionOfTheApplicationIsAFinding) {
  const std::string lib = "/root/go/pkg/mod/go.opencensus.io@v0.23.0/stats/view/worker.go";
  std::string report = "found unexpected goroutines:\n" +
                       Record(6, "go.opencensus.io/stats/view.(*worker).start", lib, true) +
                       Record(7, "example.com/app.(*Emitter).loop", "/src/app/emitter.go") +
                       Record(8, "example.com/app.(*Manager).watch", "/src/app/manager.go") +
                       Record(9, "example.com/app.(*Emitter).loop", "/src/app/emitter.go");
  EXPECT_EQ(LeakCulprits(Triage(report)),
            (std::vector<std::string>{"example.com/app.(*Emitter).loop", "example.com/app.(*Manager).watch"}));
  // The same goroutines in a plain dump: one finding, the best.
  std::string dump;
  for (int id : {6, 7, 8, 9}) {
    std::string fn = id == 6 ? "go.opencensus.io/stats/view.(*worker).start"
                   : id == 8 ? "example.com/app.(*Manager).watch"
                             : "example.com/app.(*Emitter).loop";
    dump += "goroutine " + std::to_string(id) + " [select, 30 minutes]:\n" + fn + "(0xc00003a080)\n\t" +
            (id == 6 ? lib : "/src/app/x.go") + ":276 +0x177\n\n";
  }
  EXPECT_LE(LeakCulprits(Triage(dump)).size(), 1u);
  // Only a library's goroutine: it is still the finding.
  EXPECT_EQ(LeakCulprits(Triage("found unexpected goroutines:\n" +
                                Record(6, "go.opencensus.io/stats/view.(*worker).start", lib, true))),
            (std::vector<std::string>{"go.opencensus.io/stats/view.(*worker).start"}));
}

}  // namespace
}  // namespace gotriage
