// runtime/pprof goroutine labels: how a dump prints them and one decoded
// label. Shared by the grammar (parsers/grammar.h) and the model.
#ifndef GOTRIAGE_PARSERS_LABEL_H_
#define GOTRIAGE_PARSERS_LABEL_H_

#include <cstdint>
#include <string>

namespace gotriage {

/// How a goroutine header carries runtime/pprof labels (docs/trace-format.md).
enum class LabelForm : uint8_t {
  kNone,
  /// Go 1.27+: ` {route: /api/x, tenant: "a b"}` after the `]`; keys and
  /// values bare when they hold only [A-Za-z0-9./_], Go-quoted otherwise.
  kBraces,
  /// Go 1.26 with GODEBUG=tracebacklabels=1: ` labels:{"k": "v"}` inside
  /// the brackets, every key and value quoted.
  kInside,
  /// pprof debug=1 `# labels: {"k":"v", "k2":"v2"}` (fmt's %q, no blank
  /// after the colon).
  kPprof,
};

/// One decoded label.
struct Label {
  std::string key, value;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_LABEL_H_
