// Which test an incident happened in, from what `go test` prints around it.
//
// go test names the tests it runs and the ones that failed:
//
//   === RUN   TestField/a              (with -v; also NAME, CONT)
//   --- FAIL: TestField (0.00s)
//       --- FAIL: TestField/a (0.00s)  (a subtest: indented, or first
//   panic: assignment to entry ...      under -json, which reorders them)
//   FAIL	example.com/field	0.006s   (the package's result, after it)
//
// A panic in a test comes right after the `--- FAIL:` lines of the test and
// its parents; the deepest of them is the test that panicked. Without them
// (a paste that starts at `panic:`), the test function is still in the
// crashing goroutine's stack, right above `testing.tRunner`, and names the
// test and its package. `go test -json` carries the package on every event
// (Line::test_package).
#ifndef GOTRIAGE_PARSERS_GOTEST_H_
#define GOTRIAGE_PARSERS_GOTEST_H_

#include <optional>
#include <string>
#include <string_view>

#include "parsers/line.h"
#include "parsers/model.h"

namespace gotriage {

/// Follows the test lines among the lines no parser took.
class TestTracker {
 public:
  /// Sees a line no parser took. Cheap on other lines (one byte test).
  void Observe(const Line& line);
  /// The test an incident starting at \a line happened in: the deepest
  /// `--- FAIL:` test since the last `=== RUN`, else the test last named
  /// by `=== RUN/NAME/CONT`; nothing after a package's result line. The
  /// package is the -json event's, when there is one.
  std::optional<TestRef> Current(const Line& line) const;

 private:
  std::string run_;        // last === RUN / NAME / CONT
  std::string fail_;       // deepest --- FAIL: since run_
  std::string package_;    // from -json events
};

/// True when \a name is a test, benchmark, fuzz or example function name
/// (`TestX`, `Test`, `Test_x`; not `Testify`).
bool IsTestFunctionName(std::string_view name);

/// The test \a inc happened in: Incident::test (from the output around
/// it), with its package and its top-level name checked against the test
/// function in the stacks, or, when the output named none, that function
/// (the frame above `testing.tRunner` in the crashing goroutine, else in
/// any goroutine of a test timeout); nullopt when neither tells.
std::optional<TestRef> TestOf(const Incident& inc);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_GOTEST_H_
