// The shared crash-rule driver; see crash_rule.h.
#include "rules/crash_rule.h"

namespace gotriage {

std::string CrashContext::CulpritText() const {
  if (!goroutine || culprit < 0) return "an unknown frame (the stack was not in the input)";
  CodeRef c = CodeRefFrom(goroutine->frames[culprit]);
  std::string s = c.function;
  if (!c.file.empty()) s += " (" + Where(c) + ")";
  return s;
}

std::string CrashContext::GoroutineText() const {
  if (goroutine && goroutine->id >= 0) return "goroutine " + std::to_string(goroutine->id);
  return "the crashing goroutine";
}

bool CrashRule::Accepts(const Incident& inc) const { return ClassifyCrash(inc) == class_; }

void CrashRule::Check(const RuleContext& ctx, std::vector<Finding>* out) const {
  const ParsedInput& in = *ctx.input;
  for (size_t i = 0; i < in.incidents.size(); ++i) {
    const Incident& inc = in.incidents[i];
    if (!Accepts(inc)) continue;
    const Goroutine* g = CrashingGoroutine(inc);
    bool recovered = inc.kind == IncidentKind::kRecoveredPanic;
    int idx = g ? CulpritIndex(g->frames, recovered) : -1;
    CrashContext c{in, inc, i, g, idx, RootMessage(inc), recovered};
    Finding f = NewFinding(doc(), in, i);
    if (g) {
      SetCulprit(&f, g->frames, idx);
      if (g->id >= 0) f.evidence.goroutine_ids.push_back(g->id);
      if (g->header_line) f.evidence.input_lines.push_back(g->header_line);
    }
    f.confidence = g && idx >= 0 ? 0.95 : 0.7;
    Explain(c, &f);
    if (recovered) {
      f.severity = OneLower(f.severity);
      f.summary += " The panic was recovered and logged (the process kept running), so each "
                   "occurrence is a failed request or job rather than a restart.";
    } else if (inc.panics.size() > 1) {
      f.summary += " The first panic was recovered and a new panic (\"" +
                   inc.panics.back().message.substr(0, inc.panics.back().message.find('\n')).substr(0, 160) +
                   "\") was raised while handling it; the first one is the root cause.";
    }
    if (!g) {
      f.summary += " The input did not include the crashing goroutine's stack, so the culprit "
                   "frame is unknown.";
    } else if (inc.partial) {
      f.summary += " The input was cut short (" + inc.partial_reason + "); the stack may be incomplete.";
    }
    for (const PanicValue& p : inc.panics) {
      if (p.input_line) f.evidence.input_lines.push_back(p.input_line);
    }
    AddDocRemediation(&f, doc());
    SetFingerprint(&f, c.message);
    out->push_back(std::move(f));
  }
}

}  // namespace gotriage
