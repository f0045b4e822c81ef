// Tracebacks of Go 1.3 - 1.6 as users still paste them in issue threads
// (testdata/fixtures/old-forms/README.md names each thread): one test per
// form the parser had to learn or must keep reading.
#include <gtest/gtest.h>

#include <string>

#include "parsers/model.h"
#include "parsers/parse.h"

namespace gotriage {
namespace {

std::unique_ptr<ParsedInput> ParseOld(const std::string& name) {
  Parser p{ParseOptions()};
  std::string err;
  EXPECT_TRUE(p.AddFile(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/old-forms/" + name, &err)) << err;
  return p.Finish();
}

// `[signal 0xb code=0x1 addr=0x1 pc=0x..]` (Go <= 1.4 printed the number):
// the signal is SIGSEGV, and `created by main.main` has no parent.
TEST(OldForms, SignalNumberAndCreatedByWithoutParent) {
  auto in = ParseOld("go14-signal-0xb-created-by.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(in->lines_unplaced, 0u);
  ASSERT_TRUE(inc.signal.has_value());
  EXPECT_EQ(inc.signal->name, "SIGSEGV");
  EXPECT_EQ(inc.signal->description, "segmentation violation");
  EXPECT_TRUE(inc.signal->has_addr);
  EXPECT_EQ(inc.signal->addr, 1u);
  EXPECT_EQ(inc.exit_status, 2);
  ASSERT_TRUE(inc.crashing.has_value());
  EXPECT_EQ(inc.crashing->frames[0].function, "main.main");
  EXPECT_EQ(inc.crashing->frames[0].line, 25);
  bool created = false;
  for (const GoroutineGroup& g : inc.groups) {
    const Goroutine& r = g.representative();
    if (r.created_by && r.created_by->function == "main.main") {
      created = true;
      EXPECT_EQ(r.created_by_goroutine, -1);
      EXPECT_EQ(r.created_by->line, 20);
    }
  }
  EXPECT_TRUE(created);
}

// Go <= 1.3: the panic frame is `runtime.panic(0x.., 0x..)` from
// runtime/panic.c, file lines carry `fp= sp=`, closures are `func·001`.
TEST(OldForms, RuntimePanicFrameWithFpSp) {
  auto in = ParseOld("go13-runtime-panic-fp-sp.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->lines_unplaced, 0u);
  const Incident& inc = in->incidents[0];
  ASSERT_TRUE(inc.signal.has_value());
  EXPECT_EQ(inc.signal->name, "SIGSEGV");
  ASSERT_TRUE(inc.crashing.has_value());
  const Goroutine& g = *inc.crashing;
  ASSERT_GE(g.frames.size(), 4u);
  EXPECT_EQ(g.frames[0].function, "runtime.panic");
  EXPECT_TRUE(g.frames[0].is_panic);
  EXPECT_EQ(g.frames[0].args, "0x842920, 0xb32d33");
  EXPECT_EQ(g.frames[0].file, "/home/samer/src/go/src/pkg/runtime/panic.c");
  EXPECT_EQ(g.frames[0].line, 278);
  EXPECT_EQ(g.frames[0].pc_offset, 0xf7u);
  EXPECT_EQ(g.frames[3].function, "sourcegraph.com/sourcegraph/srclib/scan.func·001");
  EXPECT_EQ(g.frames[3].line, 39);
  // `runtime.goexit()` with no offset on its file line.
  EXPECT_EQ(g.frames.back().function, "runtime.goexit");
  EXPECT_FALSE(g.frames.back().has_offset);
  ASSERT_TRUE(g.created_by.has_value());
  EXPECT_EQ(g.created_by->function, "code.google.com/p/rog-go/parallel.(*Run).Do");
}

// Go 1.5/1.6, before the register ABI: arguments as machine words,
// `[signal 0xb ...]`, `created by os/signal.init.1` with no parent.
TEST(OldForms, WordArgumentsBeforeTheRegisterAbi) {
  auto in = ParseOld("go16-signal-0xb-register-abi-before.txt");
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->lines_unplaced, 0u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.signal->name, "SIGSEGV");
  EXPECT_EQ(inc.goroutine_count, 4u);
  ASSERT_TRUE(inc.crashing.has_value());
  EXPECT_EQ(inc.crashing->frames[0].function, "main.LoadExport");
  EXPECT_EQ(inc.crashing->frames[0].args, "0x7ffdd2b6085a, 0x9, 0xc820010420, 0x1b, 0xc82009e010, 0x0, 0x0");
  EXPECT_EQ(inc.crashing->frames[0].line, 183);
}

}  // namespace
}  // namespace gotriage
