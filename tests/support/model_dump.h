// Everything the parsers produced, as JSON: every field of every incident,
// group and sample, down to each frame's arguments and input line. Used to
// check that two ways of parsing (the fast lane on and off, whole and in
// pieces) give the same model: cli/fast_lane_test.cc and the differential
// fuzz target cli/fast_lane_fuzz.cc. Header-only so that the gotriage
// binary does not carry it.
#ifndef GOTRIAGE_TESTS_SUPPORT_MODEL_DUMP_H_
#define GOTRIAGE_TESTS_SUPPORT_MODEL_DUMP_H_

#include <nlohmann/json.hpp>

#include "cli/render.h"
#include "parsers/model.h"

namespace gotriage::check {

using nlohmann::json;

inline json FrameAll(const Frame& f) {
  return {f.function, f.package, f.file,  f.line,         f.pc_offset, f.has_offset,
          f.inlined,  f.is_panic, f.args, f.input_line,  static_cast<int>(f.kind)};
}

inline json LabelsAll(const std::vector<Label>& ls) {
  json a = json::array();
  for (const Label& l : ls) a.push_back({l.key, l.value});
  return a;
}

inline json GoroutineAll(const Goroutine& g) {
  json frames = json::array();
  for (const Frame& f : g.frames) frames.push_back(FrameAll(f));
  json anc = json::array();
  for (const Goroutine& a : g.ancestors) anc.push_back(GoroutineAll(a));
  return {g.id,
          g.state,
          static_cast<int>(g.wait),
          g.wait_minutes,
          g.locked_to_thread,
          g.leaked,
          g.durable,
          g.scan,
          g.stack_unavailable,
          g.frames_elided,
          g.elided_count,
          g.truncated,
          frames,
          g.created_by ? FrameAll(*g.created_by) : json(),
          g.created_by_goroutine,
          LabelsAll(g.labels),
          g.labels_cut,
          g.count,
          g.header_line,
          anc};
}

// Everything the parsers produced, with every sample of every group.
inline json ModelAll(const ParsedInput& in) {
  json incidents = json::array();
  for (const Incident& inc : in.incidents) {
    json groups = json::array();
    for (const GoroutineGroup& g : inc.groups) {
      json samples = json::array();
      for (const Goroutine& s : g.samples) samples.push_back(GoroutineAll(s));
      json sets = json::array();
      for (const LabelSetCount& s : g.label_sets) sets.push_back({LabelsAll(s.labels), s.count, s.first_line});
      groups.push_back({g.count, g.state, g.min_wait_minutes, g.max_wait_minutes, g.any_leaked,
                        g.ids, g.header_lines, g.first_app_frame, g.crash_site_frame,
                        g.stack_hash, samples, g.labelled, g.label_sets_other, sets});
    }
    incidents.push_back({IncidentJson(inc, SIZE_MAX), inc.crashing ? GoroutineAll(*inc.crashing) : json(),
                         inc.runtime_stack ? GoroutineAll(*inc.runtime_stack) : json(), groups,
                         inc.first_line, inc.last_line, inc.partial, inc.partial_reason, inc.input});
  }
  json limits = json::array();
  for (const LimitNote& l : in.limits_hit) limits.push_back({l.what, l.count});
  return {incidents, in.pods.size(), in.bytes, in.lines, in.lines_in_traces, in.lines_unplaced,
          limits, in.warnings};
}

}  // namespace gotriage::check

#endif  // GOTRIAGE_TESTS_SUPPORT_MODEL_DUMP_H_
