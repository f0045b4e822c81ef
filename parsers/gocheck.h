// Parser of the panic report of gocheck (gopkg.in/check.v1), the test
// framework that prints a test's panic as a block of its own instead of
// the runtime's traceback (check.go's logPanic):
//
//     PANIC: store_test.go:46: StoreSuite.TestIndexOutOfRange
//
//     ... Panic: runtime error: index out of range [0] with length 0 (PC=0x48B499)
//
//     runtime/panic.go:860
//       in gopanic
//     store_test.go:44
//       in firstItem
//     store_test.go:47
//       in StoreSuite.TestIndexOutOfRange
//
// Each frame is its file first, then `in` and the function with its
// package path cut off (niceFuncName: `(*T).M` as `T.M`); paths are made
// relative to the test's directory, or are module paths under -trimpath.
// Each block becomes what the runtime prints and goes to a TracebackParser:
// `... Panic: V (PC=0x..)` the `panic: V` line, the frames the stack of the
// goroutine that panicked (its header is not printed: running, ID
// unknown), each `FUNC()` then `\tFILE:LINE`. A frame whose file is in the
// Go distribution (`runtime/panic.go`, `/usr/local/go/src/runtime/...`,
// Go 1.2's `.../src/pkg/runtime/panic.c`) gets its package back
// (`runtime.gopanic`), so the runtime's frames are known as such; the
// application's keep the name gocheck printed. Real output:
// testdata/gocheck/ (testdata/gen-gocheck/capture).
#ifndef GOTRIAGE_PARSERS_GOCHECK_H_
#define GOTRIAGE_PARSERS_GOCHECK_H_

#include <string>
#include <string_view>

#include "parsers/sub_parser.h"
#include "parsers/traceback.h"

namespace gotriage {


/// \a name qualified with the package of \a file when the file is in the Go
/// distribution (see above); \a name as it is otherwise.
std::string GocheckFunction(std::string_view name, std::string_view file);

class GocheckParser : public SubParser {
 public:
  /// \a ctx must outlive the parser.
  explicit GocheckParser(ParseContext* ctx);
  ~GocheckParser() override;

  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return false; }
  void Finish(bool at_eof) override;

 private:
  void Begin();

  ParseContext* ctx_;
  ParseContext inner_;
  InnerTraceback tb_;
  bool active_ = false;
  bool value_ = false;      // the `... Panic:` line was read
  bool goroutine_ = false;  // the stack is open
  std::string file_;        // a frame's `FILE:LINE`, waiting for its `in FUNC`
  std::string buf_;         // the line made for tb_
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_GOCHECK_H_
