// Race finding: see race_finding.h.
#include "rules/race_finding.h"

#include <algorithm>
#include <cstdio>

#include "base/strings.h"
#include "rules/util.h"

namespace gotriage {

bool RaceOnMap(const RaceReport& r) {
  for (const RaceAccess& a : r.accesses) {
    for (const Frame& f : a.frames) {
      if (IsMapOpFrame(f)) return true;
      if (f.kind != FrameKind::kRuntime) break;
    }
  }
  return false;
}

int RaceCulpritIndex(const std::vector<Frame>& frames) {
  int app = AppFrameFrom(frames, 0);
  return app >= 0 ? app : CulpritIndex(frames, false);
}

int DependencyAccess(const std::vector<Frame>& frames) {
  int first = CulpritIndex(frames, false);
  if (first < 0 || frames[static_cast<size_t>(first)].kind != FrameKind::kDependency) return -1;
  return RaceCulpritIndex(frames) > first ? first : -1;
}

Finding RaceFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident) {
  Finding f = NewFinding(doc, in, incident);
  const RaceReport& r = *in.incidents[incident].race;
  f.confidence = 0.9;
  if (r.accesses.empty()) return f;
  const RaceAccess& a = r.accesses.front();
  SetCulprit(&f, a.frames, RaceCulpritIndex(a.frames));
  for (const RaceAccess& x : r.accesses) {
    if (x.goroutine >= 0) f.evidence.goroutine_ids.push_back(x.goroutine);
    std::string d = x.kind + " by " + (x.goroutine >= 0 ? "goroutine " + std::to_string(x.goroutine) : "main goroutine");
    int ci = RaceCulpritIndex(x.frames);
    if (ci >= 0) {
      d += " in " + FuncAndWhere(BareFunc(x.frames[ci].function), CodeRefFrom(x.frames[ci]));
      f.evidence.input_lines.push_back(x.frames[ci].input_line);
    }
    if (int dep = DependencyAccess(x.frames); dep >= 0)
      d += ", inside the dependency's " + FuncAndWhere(BareFunc(x.frames[dep].function), CodeRefFrom(x.frames[dep]));
    if (x.stack_unavailable) d += " [stack not restored]";
    f.evidence.details.push_back(d);
  }
  f.evidence.goroutines_involved = r.accesses.size();
  return f;
}

}  // namespace gotriage
