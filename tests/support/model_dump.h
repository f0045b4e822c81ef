// Everything the parsers produced, as JSON: every field of every incident,
// group and sample, down to each frame's arguments and input line. Used to
// check that two ways of parsing (the fast lane on and off, whole and in
// pieces) give the same model: cli/fast_lane_test.cc and the differential
// fuzz target cli/fast_lane_fuzz.cc. Header-only so that the gotriage
// binary does not carry it.
#ifndef GOTRIAGE_TESTS_SUPPORT_MODEL_DUMP_H_
#define GOTRIAGE_TESTS_SUPPORT_MODEL_DUMP_H_

#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/render.h"
#include "parsers/limits.h"
#include "parsers/model.h"
#include "parsers/model_fields.h"

namespace gotriage::check {

using nlohmann::json;

// A model struct's every field (parsers/model_fields.h), by name.
template <class T>
json All(const T& x);

struct FieldDump {
  json j = json::object();
  template <class T>
  void operator()(const char* name, const T& x, FieldRole /*role*/) {
    j[name] = All(x);
  }
};

template <class T>
json All(const T& x) {
  if constexpr (kHasFieldList<T>) {
    FieldDump d;
    VisitFields(x, d);
    return std::move(d.j);
  } else if constexpr (kIsVector<T>) {
    json a = json::array();
    for (const auto& e : x) a.push_back(All(e));
    return a;
  } else if constexpr (kIsOptional<T>) {
    return x ? All(*x) : json();
  } else if constexpr (kIsShared<T>) {
    return x != nullptr;  // its content is in IncidentJson
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return std::string(x);
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<int>(x);
  } else {
    return x;
  }
}

// Everything the parsers produced, with every sample of every group.
inline json ModelAll(const ParsedInput& in) {
  json incidents = json::array();
  for (const Incident& inc : in.incidents) {
    // Every field, and the report's view (a decoded profile's or GC
    // trace's content is only in the latter).
    incidents.push_back({All(inc), IncidentJson(inc, SIZE_MAX)});
  }
  json limits = json::array();
  for (const LimitNote& l : in.limits_hit) limits.push_back({l.what, l.count});
  return {incidents, in.pods.size(), in.bytes, in.lines, in.lines_in_traces, in.lines_unplaced,
          limits, in.warnings};
}

/// The tight limits fast_lane_fuzz parses under besides the defaults:
/// fast_lane_test replays every fuzz regression under them, so an input
/// the fuzzer found differs there as it did in the fuzzer.
inline Limits FastLaneFuzzLimits() {
  Limits l;
  l.max_line_bytes = 256;
  l.max_groups = 3;
  l.max_frames = 4;
  l.max_samples_per_group = 2;
  l.max_ids_per_group = 2;
  return l;
}

}  // namespace gotriage::check

#endif  // GOTRIAGE_TESTS_SUPPORT_MODEL_DUMP_H_
