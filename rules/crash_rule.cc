// The shared crash-rule driver; see crash_rule.h.
#include "rules/crash_rule.h"

#include <algorithm>

namespace gotriage {

std::string CrashContext::CulpritText() const {
  if (goroutine && culprit < 0 && !goroutine->frames.empty() && goroutine->frames.back().is_panic)
    return "an unknown frame (the stack in the input ends at the handler's panic() call, above the frame that panicked)";
  if (goroutine && culprit < 0 && recovered && !goroutine->frames.empty() &&
      std::none_of(goroutine->frames.begin(), goroutine->frames.end(), [](const Frame& f) { return f.is_panic; }))
    return "an unknown frame (the stack in the input is the recovery handler's, cut before its panic() call)";
  if (!goroutine || culprit < 0) return "an unknown frame (the stack was not in the input)";
  CodeRef c = CodeRefFrom(goroutine->frames[culprit]);
  // A stack printed as file lines only names no function.
  if (c.function.empty()) return "the code at " + Where(c) + " (the log printed no function names)";
  return FuncAndWhere(c.function, c);
}

std::string CrashContext::GoroutineText() const {
  if (goroutine && goroutine->id >= 0) return "goroutine " + std::to_string(goroutine->id);
  return "the crashing goroutine";
}

bool CrashRule::AppliesTo(const Incident& inc) const { return ClassifyCrash(inc) == doc().id; }

namespace {

// Frames above a panic() frame are deferred calls that ran while the panic
// unwound. When such a stretch holds no application code, it is a
// framework's handler that logged or re-raised the panic (apimachinery's
// HandleCrash/logPanic, net/http's conn.serve.func1, a gRPC recovery
// interceptor, a logger): the culprit is below that panic() frame. Returns
// the index where the culprit search starts (0 when there is no such
// handler) and sets \a handler to the handler's first frame.
size_t BelowFrameworkHandlers(const std::vector<Frame>& fr, int* handler) {
  size_t start = 0;
  *handler = -1;
  for (;;) {
    size_t i = start;
    if (i < fr.size() && fr[i].is_panic) ++i;  // the panic being raised
    size_t p = i;
    bool app = false;
    int first_other = -1;
    for (; p < fr.size() && !fr[p].is_panic; ++p) {
      if (fr[p].kind == FrameKind::kApp) app = true;
      else if (fr[p].kind != FrameKind::kRuntime && first_other < 0) first_other = static_cast<int>(p);
    }
    if (p >= fr.size() || app || first_other < 0) return start;
    if (*handler < 0) *handler = first_other;
    start = p + 1;
  }
}

}  // namespace

int CrashCulprit(const std::vector<Frame>& frames, bool recovered, int* handler, bool cut) {
  size_t start = BelowFrameworkHandlers(frames, handler);
  if (recovered) {
    // A logged stack cut right after its panic() frame (a log line's
    // length limit, a paste) holds only the handler above it: the frame
    // that panicked is not in the input. So does one cut before any
    // panic() frame (apimachinery's logPanic and HandleCrash alone).
    if (!frames.empty() && frames.back().is_panic) return -1;
    if (cut && std::none_of(frames.begin(), frames.end(), [](const Frame& f) { return f.is_panic; })) return -1;
    return CulpritIndex(frames, true);
  }
  if (start == 0 || start >= frames.size()) return CulpritIndex(frames, false);
  std::vector<Frame> rest(frames.begin() + static_cast<std::ptrdiff_t>(start), frames.end());
  int idx = CulpritIndex(rest, false);
  return idx < 0 ? -1 : idx + static_cast<int>(start);
}

void CrashRule::CheckIncident(const RuleContext& ctx, size_t i, std::vector<Finding>* out) const {
  const ParsedInput& in = *ctx.input;
  const Incident& inc = in.incidents[i];
  const Goroutine* g = CrashingGoroutine(inc);
  std::string_view lost_rule;
  const Goroutine* lost_g = nullptr;
  int raiser = HeaderLostRaiser(inc, &lost_rule, &lost_g);
  if (raiser >= 0) g = lost_g;
  bool recovered = inc.kind == IncidentKind::kRecoveredPanic;
  int handler = -1;
  // Cut: the input ended inside the stack, or its last frame lost its
  // file line (a record cut mid-line, then a paste's closing fence).
  bool cut = g && (g->truncated || (!g->frames.empty() && g->frames.back().line <= 0));
  int idx = g ? CrashCulprit(g->frames, recovered, &handler, cut) : -1;
  // A lost header inferred from a runtime-only stack names no culprit.
  if (raiser >= 0 && idx >= 0 && std::string_view(g->frames[idx].function).starts_with("runtime.")) idx = -1;
  CrashContext c{in, inc, i, g, idx, RootMessage(inc), recovered};
  Finding f = NewFinding(doc(), in, i);
  if (g) {
    SetCulprit(&f, g->frames, idx);
    if (g->id >= 0) f.evidence.goroutine_ids.push_back(g->id);
    if (g->header_line) f.evidence.input_lines.push_back(g->header_line);
  }
  f.confidence = g && idx >= 0 ? 0.95 : 0.7;
  Explain(c, &f);
  if (handler >= 0 && idx > handler) {
    const Frame& h = g->frames[handler];
    std::string name = h.function.empty() ? "the code at " + std::string(h.file) + ":" + std::to_string(h.line)
                                          : std::string(BareFunc(h.function));
    f.summary += " The stack was printed while " + name +
                 " handled the panic (a framework's recovery or logging code, not where it "
                 "started); the culprit is the first frame below its panic().";
  }
  if (recovered) {
    f.severity = OneLower(f.severity);
    f.summary += " The panic was recovered and logged (the process kept running), so each "
                 "occurrence is a failed request or job rather than a restart.";
  } else if (inc.panics.size() > 1) {
    f.summary += " The first panic was recovered and a new panic (\"" +
                 inc.panics.back().message.substr(0, inc.panics.back().message.find('\n')).substr(0, 160) +
                 "\") was raised while handling it; the first one is the root cause.";
  }
  if (raiser >= 0) {
    // Judged from the stack alone: say so, and trust it less.
    f.confidence = std::min(f.confidence, 0.6);
    f.summary += " The input starts at the crashing goroutine: the panic line above it is not in "
                 "the paste, so this is inferred from " + std::string(BareFunc(g->frames[raiser].function)) +
                 " on top of its stack, the call that raised it.";
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
  if (g) SetFingerprint(&f, c.message, g->frames, idx);
  else SetFingerprint(&f, c.message);
  out->push_back(std::move(f));
}

}  // namespace gotriage
