// Parsers of two text forms that carry allocation and GC evidence:
// `GODEBUG=gctrace=1` lines (`gc 12 @3.104s 21%: ...`) and heap profiles in
// text form (`/debug/pprof/heap?debug=1`: `heap profile: N: B [N: B] @
// heap/1048576`, records `N: B [N: B] @ 0x..` with `#\t0x..\tFUNC+0x..\tFILE:LINE`
// frames, then `# runtime.MemStats` lines). A heap profile becomes the same
// Profile as its protobuf form (sample types alloc_objects, alloc_space,
// inuse_objects, inuse_space; the text's values are the runtime's sampled
// counts, not scaled up as the protobuf's are).
#ifndef GOTRIAGE_PARSERS_PROFILE_TEXT_H_
#define GOTRIAGE_PARSERS_PROFILE_TEXT_H_

#include <memory>
#include <string>
#include <unordered_map>

#include "parsers/profile_model.h"
#include "parsers/sub_parser.h"

namespace gotriage {

/// Parses one gctrace line; false when \a t is not one.
bool ParseGcTraceLine(std::string_view t, GcCycle* c);

/// Consecutive gctrace lines (other runtime GC lines such as `scvg` and
/// `GC forced` in between) become one kGcTrace incident.
class GcTraceParser : public SubParser {
 public:
  explicit GcTraceParser(ParseContext* ctx) : ctx_(ctx) {}
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return true; }
  void Finish(bool at_eof) override;

 private:
  void Add(const GcCycle& c);
  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  std::shared_ptr<GcTrace> trace_;
};

class HeapTextParser : public SubParser {
 public:
  explicit HeapTextParser(ParseContext* ctx) : ctx_(ctx) {}
  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return !in_record_; }
  void Finish(bool at_eof) override;

 private:
  uint32_t FunctionIndex(std::string_view name, std::string_view file);
  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  std::unique_ptr<Profile> profile_;
  std::unordered_map<std::string_view, uint32_t> functions_;  // by "name\x1ffile", interned
  std::unordered_map<std::string_view, uint32_t> locations_;  // by "name\x1ffile:line", interned
  bool in_record_ = false;
  bool memstats_ = false;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PROFILE_TEXT_H_
