// Resource bounds that keep memory and time bounded on hostile or huge input.
// Every limit that is hit is reported in the output, never silently applied.
#ifndef GOTRIAGE_PARSERS_LIMITS_H_
#define GOTRIAGE_PARSERS_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace gotriage {

struct Limits {
  size_t max_line_bytes = 1 << 20;       ///< longer lines are cut to this
  size_t max_groups = 100000;            ///< distinct stacks per incident
  size_t max_frames = 1024;              ///< frames kept per goroutine
  /// Goroutines kept in full per group. The report and every rule read
  /// only the first (GoroutineGroup::representative); more cost memory and
  /// time on large dumps (8 kept: 23 MiB peak RSS on the 100k bench dump,
  /// against 11 MiB with 1).
  size_t max_samples_per_group = 1;
  size_t max_ids_per_group = 64;         ///< goroutine IDs kept per group
  size_t max_incidents = 10000;          ///< incidents kept per run
  size_t max_message_lines = 64;         ///< lines of one panic message
  size_t max_message_bytes = 64 << 10;   ///< bytes of one panic message
  size_t max_args_bytes = 4096;          ///< bytes of one frame's arguments
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_LIMITS_H_
