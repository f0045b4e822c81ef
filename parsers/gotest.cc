// Which test an incident happened in; see gotest.h.
#include "parsers/gotest.h"

#include "parsers/grammar.h"

namespace gotriage {

namespace {

// The test named by `=== RUN   X`, `--- FAIL: X (0.00s)`, ...: up to the
// first blank (go test turns blanks in subtest names into `_`).
std::string_view NameAfter(std::string_view rest) {
  rest = TrimLeft(rest);
  return rest.substr(0, std::min(rest.find(' '), std::min<size_t>(rest.size(), 512)));
}

size_t Depth(std::string_view name) {
  size_t n = 0;
  for (char c : name) n += c == '/';
  return n;
}

// Splits `example.com/field.TestField.func2` into the package and the test
// function's name (`TestField`); false when it is no test function.
bool SplitTestFunction(std::string_view function, std::string_view* pkg, std::string_view* name) {
  std::string_view p = PackageOf(function);
  if (p.empty() || p.size() + 1 >= function.size()) return false;
  std::string_view rest = function.substr(p.size() + 1);
  rest = rest.substr(0, rest.find('.'));
  if (!IsTestFunctionName(rest)) return false;
  *pkg = p;
  *name = rest;
  return true;
}

// The test function above testing.tRunner in \a frames (innermost
// first): false when there is none (the runner's own goroutines have
// testing.runTests.func1 there).
bool TestFrame(const std::vector<Frame>& frames, std::string_view* pkg, std::string_view* name) {
  for (size_t i = 0; i + 1 < frames.size(); ++i) {
    if (frames[i + 1].function == "testing.tRunner") return SplitTestFunction(frames[i].function, pkg, name);
  }
  return false;
}

}  // namespace

bool IsTestFunctionName(std::string_view name) {
  for (std::string_view prefix : {"Test", "Benchmark", "Fuzz", "Example"}) {
    if (!StartsWith(name, prefix)) continue;
    if (name.size() == prefix.size()) return true;
    char c = name[prefix.size()];
    // go test's rule (isTest): the next rune is not lower case.
    return !(c >= 'a' && c <= 'z');
  }
  return false;
}

void TestTracker::Observe(const Line& line) {
  std::string_view t = line.text;
  if (t.empty()) return;
  if (!line.test_package.empty() && line.test_package != package_) package_.assign(line.test_package);
  char c = t[0];
  if (c != '=' && c != '-' && c != ' ' && c != 'o' && c != 'F' && c != 'P') return;
  if (c == '=') {
    for (std::string_view p : {"=== RUN ", "=== NAME ", "=== CONT "}) {
      if (StartsWith(t, p)) {
        std::string_view name = NameAfter(t.substr(p.size()));
        if (name.empty()) return;
        run_.assign(name);
        fail_.clear();
        return;
      }
    }
    return;
  }
  std::string_view s = TrimLeft(t);
  if (StartsWith(s, "--- FAIL: ")) {
    std::string_view name = NameAfter(s.substr(10));
    if (!name.empty() && (fail_.empty() || Depth(name) >= Depth(fail_))) fail_.assign(name);
    return;
  }
  // The package's result: its tests are over.
  if (t == "PASS" || t == "FAIL" || StartsWith(t, "ok  ") || StartsWith(t, "FAIL\t")) {
    run_.clear();
    fail_.clear();
  }
}

std::optional<TestRef> TestTracker::Current(const Line& line) const {
  const std::string& name = !fail_.empty() ? fail_ : run_;
  if (name.empty()) return std::nullopt;
  TestRef r;
  r.name = name;
  r.package = !line.test_package.empty() ? std::string(line.test_package) : package_;
  return r;
}

std::optional<TestRef> TestOf(const Incident& inc) {
  TestRef r = inc.test ? *inc.test : TestRef{};
  // A race report names its test after it (`--- FAIL:` follows the
  // report): that is the test it was detected in.
  if (inc.race && !inc.race->test_name.empty()) r.name = NameAfter(inc.race->test_name);
  if (r.name.empty() && inc.running_tests.size() == 1) r.name = NameAfter(inc.running_tests.front());
  // The test function in the stacks: the crashing goroutine's, else (a
  // timeout, a dump) the first goroutine that runs one.
  std::string_view pkg, fn;
  bool found = inc.crashing && TestFrame(inc.crashing->frames, &pkg, &fn);
  if (!found && inc.kind != IncidentKind::kPanic && inc.kind != IncidentKind::kFatalError) {
    for (const GoroutineGroup& g : inc.groups) {
      if (!g.samples.empty() && (found = TestFrame(g.representative().frames, &pkg, &fn))) break;
    }
  }
  if (!found && inc.race) {
    for (const RaceAccess& a : inc.race->accesses) {
      if ((found = TestFrame(a.frames, &pkg, &fn) || TestFrame(a.created_at, &pkg, &fn))) break;
    }
  }
  if (found) {
    std::string_view top = std::string_view(r.name).substr(0, r.name.find('/'));
    if (r.name.empty()) {
      r.name = fn;
      if (r.package.empty()) r.package = pkg;
    } else if (top == fn && r.package.empty()) {
      r.package = pkg;
    }
  }
  if (r.name.empty()) return std::nullopt;
  return r;
}

}  // namespace gotriage
