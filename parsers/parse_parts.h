// Parser's helpers for reading in parts (parse_parts.cc): a file of at
// least kParallelMinBytes is cut at the start of a goroutine or debug=1
// record near its middle and read as two parts on two threads; the part
// that continues a dump is merged into the incident before it. Internal to
// the parsers (parse.cc).
#ifndef GOTRIAGE_PARSERS_PARSE_PARTS_H_
#define GOTRIAGE_PARSERS_PARSE_PARTS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "parsers/input.h"
#include "parsers/limits.h"
#include "parsers/model.h"

namespace gotriage {

/// Files at least this large are parsed in two parts on two threads.
constexpr uint64_t kParallelMinBytes = 32ull << 20;

/// Reads [offset, offset+len) of \a fd through \a splitter with pread,
/// adding what it read to \a bytes; false with \a err on a read error.
bool ReadRange(int fd, uint64_t offset, uint64_t len, LineSplitter* splitter, uint64_t* bytes,
               std::string* err);

/// The text of \a line once its log envelope (a kubectl timestamp, a CRI
/// record header, a docker json-file record decoded into \a buf, ...) is
/// peeled; false for a CRI or docker piece that continues on the next line.
bool Unwrapped(std::string_view line, std::string_view* text, std::string* buf);

/// Where the second part of \a fd (\a size bytes) may start: a goroutine or
/// debug=1 record near the middle, bare or inside a log envelope; 0 when
/// there is no such place (the file is read whole).
uint64_t FindSplit(int fd, uint64_t size);

/// True when \a b, the first incident of a later part, continues \a a, the
/// last incident of the part before it (the same pod's goroutine dump or
/// debug=1 profile).
bool Mergeable(const Incident& a, const Incident& b);

/// Folds the groups of \a b into \a a (one incident read in two parts, or
/// more of a dump under --follow), within \a limits.
void MergeIncident(Incident* a, Incident&& b, const Limits& limits);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PARSE_PARTS_H_
