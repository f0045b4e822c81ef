// A bounded reader of pprof's profile.proto (gzipped or raw), as served by
// /debug/pprof/{goroutine,goroutineleak,profile,heap,allocs,block,mutex}
// without `debug=` and stored by continuous profilers.
//
// It is a hand-written protobuf wire decoder, like pprof's own Go reader
// (google/pprof profile/proto.go), not generated code: the schema is small
// and frozen, and a decoder written for hostile input keeps every bound in
// one place. Lengths are checked against what is left, varints are capped
// at 10 bytes, nothing recurses (messages are at most three deep and each
// level is its own loop), every count and index is validated, and the total
// of what is kept is bounded (ProfileBounds).
//
// Goroutine and goroutineleak profiles become the same goroutine groups as
// their debug=1 text (counts, labels, frames, and a wait state inferred from
// the innermost runtime frames); other profiles are kept whole on an
// Incident of kind kProfile. A binary input has no lines: positions in it
// are 1-based sample numbers, and Incident::sample_positions says so.
#ifndef GOTRIAGE_PARSERS_PROFILE_PROTO_H_
#define GOTRIAGE_PARSERS_PROFILE_PROTO_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "parsers/model.h"
#include "parsers/profile_model.h"

namespace gotriage {

struct ParseContext;

/// Bytes of an input (after gunzip) that LooksLikeProfileProto needs to
/// decide; it decides on fewer when the input is shorter.
constexpr size_t kProfileSniffBytes = 48;

/// True when \a head, the first bytes of an input after gunzip, starts a
/// profile.proto: every field in it is a Profile field of the right wire
/// type, and the first message field is a well-formed ValueType
/// (`sample_type`, first in generated marshalers, or `period_type`, first
/// in the Go runtime's output) or the string table's empty first string.
bool LooksLikeProfileProto(std::string_view head);

/// Bounds on what is decoded; beyond them the profile is rejected.
struct ProfileBounds {
  uint64_t max_bytes = 512ull << 20;  ///< decompressed profile size
  size_t max_samples = 8u << 20;
  size_t max_locations = 4u << 20;
  size_t max_functions = 4u << 20;
  size_t max_lines = 16u << 20;       ///< lines of all locations
  size_t max_strings = 16u << 20;
  size_t max_sample_types = 64;
  size_t max_labels = 8u << 20;       ///< labels of all samples
  size_t max_frames = 1024;           ///< locations kept per sample (more are cut, noted)
  size_t max_sample_locations = 32u << 20;  ///< locations of all samples
  size_t max_values = 32u << 20;            ///< values of all samples
};

/// Decodes \a data (raw, not gzipped). False with \a err when it is not a
/// well-formed profile or exceeds \a bounds; strings are interned in \a pool.
/// \a frames_cut counts samples whose stack was cut at bounds.max_frames.
bool DecodeProfile(std::string_view data, StringPool* pool, const ProfileBounds& bounds, Profile* out,
                   std::string* err, uint64_t* frames_cut = nullptr);

/// Decodes \a data and emits what it holds through \a ctx (a goroutine
/// profile as a kPprofDebug1 incident with groups, anything else as a
/// kProfile incident). False with \a err when it cannot be decoded.
bool ReadProfileProto(std::string_view data, ParseContext* ctx, std::string* err);

/// Emits a decoded profile (protobuf, or a text listing that fills
/// Profile::sample_lines) through \a ctx: goroutine profiles as a
/// kPprofDebug1 incident with groups, anything else as a kProfile incident
/// spanning \a first_line..\a last_line (sample numbers for a protobuf).
void EmitProfile(Profile&& p, ParseContext* ctx, uint64_t frames_cut, size_t first_line, size_t last_line);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PROFILE_PROTO_H_
