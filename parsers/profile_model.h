// The model of a pprof profile (profile.proto) once decoded: sample types,
// samples with their stacks, values and labels, and the profile's period and
// duration. Goroutine and goroutineleak profiles are turned into goroutine
// groups (the same as a debug=1 profile); every other kind (CPU, heap,
// allocs, block, mutex) is kept as a Profile on its Incident, for the rules
// that weigh CPU and allocation samples (GT2008, GC pressure).
//
// Every std::string_view points into the StringPool of the ParsedInput
// that holds the incident.
#ifndef GOTRIAGE_PARSERS_PROFILE_MODEL_H_
#define GOTRIAGE_PARSERS_PROFILE_MODEL_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace gotriage {

/// What a profile measures, from its sample and period types.
enum class ProfileKind : uint8_t {
  kUnknown,
  kGoroutine,      ///< `goroutine/count`
  kGoroutineLeak,  ///< `goroutineleak/count` (Go 1.26 experiment, 1.27)
  kCpu,            ///< `samples/count`, `cpu/nanoseconds`
  kHeap,           ///< alloc_* and inuse_* (heap: inuse_space by default)
  kAllocs,         ///< the same sample types, alloc_space by default
  kBlock,          ///< `contentions/count`, `delay/nanoseconds`
  kMutex,
  kThreadCreate,
};
const char* ProfileKindName(ProfileKind k);

struct ProfileValueType {
  std::string_view type;  ///< `samples`, `cpu`, `alloc_objects`, ...
  std::string_view unit;  ///< `count`, `nanoseconds`, `bytes`
};

struct ProfileFunction {
  std::string_view name;   ///< `main.getLocalAddresses`
  std::string_view file;
  int64_t start_line = 0;
};

/// One frame of a location: a function and a line in it. A location holds
/// several when calls were inlined, innermost first (as profile.proto says).
struct ProfileLine {
  uint32_t function = 0;  ///< index into Profile::functions
  int64_t line = 0;
};

struct ProfileLocation {
  uint64_t address = 0;
  uint32_t first_line = 0, line_count = 0;  ///< range of Profile::lines
};

struct ProfileLabel {
  std::string_view key;
  std::string_view str;       ///< "" for a numeric label
  int64_t num = 0;
  std::string_view num_unit;
};

struct ProfileSample {
  uint32_t first_location = 0, location_count = 0;  ///< range of Profile::sample_locations, innermost first
  uint32_t first_label = 0, label_count = 0;        ///< range of Profile::labels
};

/// A decoded profile.proto. Values of sample i are
/// values[i * sample_types.size() + t].
struct Profile {
  ProfileKind kind = ProfileKind::kUnknown;
  std::vector<ProfileValueType> sample_types;
  ProfileValueType period_type;
  int64_t period = 0;
  int64_t time_nanos = 0;
  int64_t duration_nanos = 0;
  std::string_view default_sample_type;
  std::vector<std::string_view> comments;

  std::vector<ProfileFunction> functions;
  std::vector<ProfileLine> lines;
  std::vector<ProfileLocation> locations;
  std::vector<uint32_t> sample_locations;  ///< indices into locations
  std::vector<int64_t> values;
  std::vector<ProfileLabel> labels;
  std::vector<ProfileSample> samples;
  /// Text forms (`go tool pprof -traces`, `perf report`): the input line of
  /// each sample; empty for a protobuf profile, whose positions are 1-based
  /// sample numbers.
  std::vector<uint32_t> sample_lines;
  /// Samples the text says were taken when its rows aggregate them (perf's
  /// `# Samples: 2K`, pprof's `Total samples = 1.39s` over a 10ms period);
  /// 0 when each sample is one row.
  uint64_t declared_samples = 0;

  /// Index of the sample type named \a type, or -1.
  int SampleType(std::string_view type) const;
  /// Where sample \a i sits in the input: its line for a text form, its
  /// 1-based number for a protobuf profile.
  size_t Position(size_t i) const { return i < sample_lines.size() ? sample_lines[i] : i + 1; }
  /// Samples taken: the declared count when the text gives one.
  uint64_t SampleCount() const { return declared_samples > samples.size() ? declared_samples : samples.size(); }
  int64_t Value(size_t sample, size_t type) const { return values[sample * sample_types.size() + type]; }
  /// Calls \a fn(function, line) for every frame of sample \a s, innermost
  /// first (inlined frames expanded); stops early when \a fn returns false.
  template <typename Fn>
  void ForEachFrame(size_t s, Fn&& fn) const {
    const ProfileSample& smp = samples[s];
    for (uint32_t i = 0; i < smp.location_count; ++i) {
      const ProfileLocation& loc = locations[sample_locations[smp.first_location + i]];
      for (uint32_t k = 0; k < loc.line_count; ++k) {
        const ProfileLine& ln = lines[loc.first_line + k];
        if (!fn(functions[ln.function], ln.line)) return;
      }
    }
  }
};

/// One `GODEBUG=gctrace=1` line:
/// `gc 12 @3.104s 21%: 0.01+2.1+0.02 ms clock, 0.05+0.4/1.2/0+0.08 ms cpu,
///  4->5->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 4 P`.
struct GcCycle {
  int64_t number = 0;
  double at_seconds = 0;    ///< since the program started
  int cpu_percent = 0;      ///< GC's share of CPU since the program started
  double clock_ms = 0;      ///< wall time of the cycle (the three phases)
  double assist_cpu_ms = 0, background_cpu_ms = 0, idle_cpu_ms = 0;
  double heap_start_mb = 0, heap_end_mb = 0, heap_live_mb = 0, heap_goal_mb = 0;
  int procs = 0;
  bool forced = false;      ///< `(forced)`
  size_t input_line = 0;
};

/// The gctrace lines of one input.
struct GcTrace {
  std::vector<GcCycle> cycles;  ///< the first kMaxCycles, then every cycle's counts
  uint64_t cycles_seen = 0;
  static constexpr size_t kMaxCycles = 100000;
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_PROFILE_MODEL_H_
