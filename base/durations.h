// Durations read from input and options, and written in reports.
#ifndef GOTRIAGE_BASE_DURATIONS_H_
#define GOTRIAGE_BASE_DURATIONS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace gotriage {

/// A Go duration as time.Duration.String prints it (`457314h58m45.57s`,
/// `1.5ms`, `3µs`), in seconds; -1 when \a s is not one.
double ParseGoDuration(std::string_view s);

/// An option's duration in milliseconds: `500ms`, `2s`, `1m` (at most a
/// day), or a bare number of milliseconds; 1 to 9 digits, no fraction.
/// False when \a s is none of these.
bool ParseDurationMs(std::string_view s, int* ms);

/// A container's uptime: `3h32m`, `2m4s`, `26s`, `2d3h`, `1h` (the two
/// largest units, a zero second one dropped; seconds dropped past an hour);
/// "" when \a seconds is negative.
std::string FormatUptime(int64_t seconds);

/// A time span to its rough unit: `90s` below two minutes, `45min` below two
/// hours, `9h` (rounded) past that.
std::string FormatRoughDuration(int64_t seconds);
/// \a n events in \a seconds (> 0) as a rate in FormatRoughDuration's unit
/// for the same span: `0.5/s`, `12/min`, `3/h`.
std::string FormatRate(int64_t n, int64_t seconds);

/// Nanoseconds as seconds with two decimals: `1.39s`.
std::string FormatNanosAsSeconds(double ns);

}  // namespace gotriage

#endif  // GOTRIAGE_BASE_DURATIONS_H_
