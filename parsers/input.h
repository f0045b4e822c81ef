// Reads an input once, in chunks, and cuts it into lines: gzip is detected by
// its magic bytes and inflated on the fly, lines longer than the limit are
// cut (and reported), and a final line without `\n` is flagged.
#ifndef GOTRIAGE_PARSERS_INPUT_H_
#define GOTRIAGE_PARSERS_INPUT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/demux.h"
#include "parsers/envelope.h"
#include "parsers/limits.h"
#include "parsers/model.h"

namespace gotriage {

/// A hook that sees the first bytes of an input after gunzip, before they
/// are cut into lines, and may take the whole input instead: binary pprof
/// profiles (parsers/profile_proto.h).
struct BinarySniff {
  size_t head_bytes = 0;  ///< bytes \a is_binary wants (fewer at the end of input)
  std::function<bool(std::string_view head)> is_binary;
  std::function<void(std::string_view bytes)> take;  ///< every byte of a binary input
};

class LineSplitter {
 public:
  LineSplitter(EnvelopeUnwrapper* env, const Limits& limits, std::vector<LimitNote>* notes)
      : env_(env), max_line_(limits.max_line_bytes), notes_(notes) {}
  /// Feeds bytes; complete lines are passed on at once.
  void Write(const char* data, size_t n);
  /// Ends the input (flushes a last line without `\n`).
  void Close();
  uint64_t lines() const { return lineno_; }
  /// True when the first 4 KiB held a NUL byte: binary data, not text.
  bool binary() const { return binary_; }
  /// Offers runs of whole lines to the envelope layer in one call (the fast
  /// lane, see LineRun); on by default. Off only to test it against the
  /// line-by-line path.
  void set_fast_lane(bool on) { fast_lane_ = on; }
  /// Routes lines through \a demux (one stream per pod of `kubectl logs
  /// --prefix`, parsers/demux.h) instead of the envelope layer alone.
  void set_demux(PodDemux* demux) { demux_ = demux; }
  /// Routes an input that \a sniff recognises away from the lines.
  void set_binary_sniff(const BinarySniff* sniff) { sniff_ = sniff; }
  /// Keeps a copy of the text (after gunzip) in \a keep while it stays
  /// within \a max_bytes; beyond that \a keep is emptied and nothing more
  /// is kept (kept_whole() then false). For a second reading of a small
  /// input (a paste read bottom-up, see parse.cc).
  void set_keep(std::string* keep, size_t max_bytes) {
    keep_ = keep;
    keep_max_ = max_bytes;
  }
  bool kept_whole() const { return keep_ != nullptr; }

 private:
  void Emit(std::string_view line, bool unterminated);
  void WriteText(const char* data, size_t n);
  // While sniffing: true when the bytes were taken (held or diverted).
  bool Sniffed(const char* data, size_t n, bool at_end);
  const BinarySniff* sniff_ = nullptr;
  std::string* keep_ = nullptr;
  size_t keep_max_ = 0;
  enum class Route : uint8_t { kUndecided, kText, kBinary } route_ = Route::kUndecided;
  std::string head_;
  EnvelopeUnwrapper* env_;
  PodDemux* demux_ = nullptr;
  size_t max_line_;
  std::vector<LimitNote>* notes_;
  std::string carry_;
  bool skipping_ = false;  // inside the dropped tail of an over-long line
  bool cut_ = false;
  bool fast_lane_ = true;
  uint64_t lineno_ = 0;
  uint64_t sniffed_ = 0;  // bytes looked at for NUL so far (at most 4 KiB)
  bool binary_ = false;
};

/// Reads \a fd to its end through \a splitter (then closes the splitter).
/// Returns false with \a err set when reading or inflating failed; what was
/// read before the failure has been fed.
/// With \a idle_ms > 0, \a on_idle is called once each time no byte has
/// arrived for that long (a stream that stays open: --follow).
bool ReadAll(int fd, LineSplitter* splitter, uint64_t* bytes, std::string* err, int idle_ms = -1,
             const std::function<void()>& on_idle = {});

/// Same for a buffer already in memory (tests, fuzzing), fed in pieces of
/// \a piece bytes (0: at once).
bool ReadBuffer(std::string_view data, LineSplitter* splitter, std::string* err, size_t piece = 0);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_INPUT_H_
