// Helpers for the hang rules; see hang_util.h.
#include "rules/hang_util.h"

#include "parsers/grammar.h"

namespace gotriage {

bool IsChanWait(WaitKind w) {
  return w == WaitKind::kChanSend || w == WaitKind::kChanReceive || w == WaitKind::kChanNil ||
         w == WaitKind::kSelect || w == WaitKind::kSelectNoCases || w == WaitKind::kOther;
}

bool HasGroups(const Incident& inc) {
  return inc.kind != IncidentKind::kRaceReport && !inc.groups.empty();
}

int GroupCulprit(const GoroutineGroup& g) {
  return g.samples.empty() ? -1 : CulpritIndex(g.representative().frames, false);
}

std::string StateName(const GoroutineGroup& g) {
  if (!g.state.empty()) return std::string(g.state);
  switch (EffectiveWait(g)) {
    case WaitKind::kOther: return "a channel operation or select";
    case WaitKind::kRunning: return "running";
    default: return WaitKindName(EffectiveWait(g));
  }
}

std::string WaitText(const GoroutineGroup& g) {
  if (g.max_wait_minutes <= 0) return "";
  return ", for up to " + Count(static_cast<uint64_t>(g.max_wait_minutes), "minute");
}

std::string GroupText(const GoroutineGroup& g, int frame) {
  std::string s = Count(g.count, "goroutine") + " blocked on " + StateName(g);
  if (!g.samples.empty() && frame >= 0) {
    CodeRef c = CodeRefFrom(g.representative().frames[frame]);
    s += " in " + c.function + " (" + Where(c) + ")";
  }
  return s + WaitText(g);
}

}  // namespace gotriage
