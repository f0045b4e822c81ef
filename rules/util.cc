// Shared rule helpers; see util.h.
#include "rules/util.h"

#include <algorithm>
#include <cstdio>

#include "parsers/grammar.h"

namespace gotriage {

CodeRef CodeRefFrom(const Frame& f) {
  CodeRef c;
  c.function = std::string(BareFunc(f.function));
  c.file = std::string(f.file);
  c.line = f.line;
  c.module = std::string(f.module);
  c.module_version = std::string(f.module_version);
  c.kind = FrameKindName(f.kind);
  c.input_line = f.input_line;
  c.args = std::string(f.args);
  return c;
}

std::string Where(const CodeRef& c) {
  if (c.file.empty()) return c.function;
  return c.file + ":" + std::to_string(c.line);
}

std::string_view BareFunc(std::string_view function) {
  if (EndsWith(function, "(...)")) function.remove_suffix(5);
  return function;
}

std::string ShortFunc(std::string_view function) {
  function = BareFunc(function);
  // The last path element starts after the last '/' that comes before the
  // first '.' following it; generics brackets may hold slashes, so stop at '['.
  std::string_view head = function.substr(0, function.find('['));
  size_t slash = head.rfind('/');
  return std::string(slash == std::string_view::npos ? function : function.substr(slash + 1));
}

std::string NormalizeMessage(std::string_view msg) {
  std::string out;
  out.reserve(msg.size());
  size_t i = 0;
  auto is_hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  while (i < msg.size()) {
    char c = msg[i];
    if (c == '0' && i + 1 < msg.size() && (msg[i + 1] == 'x' || msg[i + 1] == 'X')) {
      i += 2;
      while (i < msg.size() && is_hex(msg[i])) ++i;
      out += "0x?";
      continue;
    }
    if (c >= '0' && c <= '9') {
      while (i < msg.size() && ((msg[i] >= '0' && msg[i] <= '9') || msg[i] == '.')) ++i;
      out += '#';
      continue;
    }
    if (c == '\n') break;  // the first line names the problem
    out += c;
    ++i;
  }
  return out;
}

std::string Fingerprint(std::string_view rule_id, std::string_view function,
                        std::string_view message) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
  };
  mix(rule_id);
  mix(BareFunc(function));
  mix(NormalizeMessage(message));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

int CulpritIndex(const std::vector<Frame>& frames, bool below_panic) {
  size_t start = 0;
  if (below_panic) {
    for (size_t i = 0; i < frames.size(); ++i) {
      if (frames[i].is_panic) start = i + 1;
    }
  }
  for (size_t i = start; i < frames.size(); ++i) {
    if (frames[i].kind == FrameKind::kApp || frames[i].kind == FrameKind::kDependency)
      return static_cast<int>(i);
  }
  for (size_t i = start; i < frames.size(); ++i) {
    if (frames[i].kind != FrameKind::kRuntime) return static_cast<int>(i);
  }
  if (start < frames.size()) return static_cast<int>(start);
  return frames.empty() ? -1 : 0;
}

int AppFrameFrom(const std::vector<Frame>& frames, int from) {
  for (size_t i = std::max(from, 0); i < frames.size(); ++i) {
    if (frames[i].kind == FrameKind::kApp) return static_cast<int>(i);
  }
  return -1;
}

void SetCulprit(Finding* f, const std::vector<Frame>& frames, int idx) {
  if (idx < 0 || static_cast<size_t>(idx) >= frames.size()) return;
  f->culprit = CodeRefFrom(frames[idx]);
  if (frames[idx].kind != FrameKind::kApp) {
    int app = AppFrameFrom(frames, idx + 1);
    if (app >= 0) f->app_frame = CodeRefFrom(frames[app]);
  }
  f->evidence.input_lines.push_back(frames[idx].input_line);
}

Finding FindingOf(const RuleDoc& doc) {
  Finding f;
  f.rule_id = std::string(doc.id);
  f.category = std::string(doc.category);
  f.severity = doc.severity;
  f.title = std::string(doc.title);
  f.confidence = 0.8;
  return f;
}

Finding NewFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident) {
  Finding f = FindingOf(doc);
  if (incident < in.incidents.size()) {
    const Incident& inc = in.incidents[incident];
    f.incident = static_cast<int>(incident);
    f.source = inc.source;
    f.first_seen = f.last_seen = inc.timestamp;
    f.evidence.goroutines_total = inc.declared_total ? inc.declared_total : inc.goroutine_count;
    if (inc.first_line) f.evidence.input_lines.push_back(inc.first_line);
  }
  return f;
}

void AddDocRemediation(Finding* f, const RuleDoc& doc) {
  std::string_view fix = doc.fix;
  while (!fix.empty()) {
    size_t nl = fix.find('\n');
    std::string_view line = Trim(fix.substr(0, nl));
    if (!line.empty()) f->remediation.steps.emplace_back(line);
    if (nl == std::string_view::npos) break;
    fix.remove_prefix(nl + 1);
  }
  if (f->remediation.example_before.empty()) f->remediation.example_before = std::string(doc.before);
  if (f->remediation.example_after.empty()) f->remediation.example_after = std::string(doc.after);
}

void SetFingerprint(Finding* f, std::string_view message) {
  f->fingerprint = Fingerprint(f->rule_id, f->culprit ? f->culprit->function : "", message);
}

Severity OneLower(Severity s) {
  return s == Severity::kInfo ? s : static_cast<Severity>(static_cast<int>(s) - 1);
}

const Goroutine* CrashingGoroutine(const Incident& inc) {
  if (inc.crashing) return &*inc.crashing;
  for (const GoroutineGroup& g : inc.groups) {
    if (!g.samples.empty()) return &g.samples.front();
  }
  return nullptr;
}

std::string RootMessage(const Incident& inc) {
  if (!inc.fatal_error.empty()) return inc.fatal_error;
  if (!inc.panics.empty()) {
    std::string m = inc.panics.front().message;
    if (size_t nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
    while (!m.empty() && (m.back() == '\r' || m.back() == ' ')) m.pop_back();
    if (EndsWith(m, "^M")) m.resize(m.size() - 2);
    return m;
  }
  return "";
}

bool IsCrash(const Incident& inc) {
  return inc.kind == IncidentKind::kPanic || inc.kind == IncidentKind::kFatalError ||
         inc.kind == IncidentKind::kRecoveredPanic;
}

namespace {
bool Has(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
}  // namespace

CrashClass ClassifyCrash(const Incident& inc) {
  if (inc.kind == IncidentKind::kTestTimeout) return CrashClass::kTestTimeout;
  if (!IsCrash(inc)) return CrashClass::kNone;
  std::string m = RootMessage(inc);
  std::string_view s = m;
  if (StartsWith(s, "concurrent map ")) return CrashClass::kConcurrentMap;
  if (Has(s, "all goroutines are asleep - deadlock") || Has(s, "no goroutines (main called runtime.Goexit)"))
    return CrashClass::kDeadlock;
  if (StartsWith(s, "test timed out after")) return CrashClass::kTestTimeout;
  if (inc.kind == IncidentKind::kPanic && inc.crashing && HasFrame(inc.crashing->frames, "testing.tRunner")) {
    // A test's own watchdog: `panic: test network took more than 60s ... hang`.
    std::string low(s);
    for (char& ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (std::string_view w : {"hang", "timed out", "timeout", "took more than", "deadline exceeded"}) {
      if (low.find(w) != std::string::npos) return CrashClass::kTestTimeout;
    }
  }
  if (Has(s, "invalid memory address or nil pointer dereference")) return CrashClass::kNilDeref;
  if (Has(s, "index out of range") || Has(s, "slice bounds out of range")) return CrashClass::kIndexRange;
  if (Has(s, "assignment to entry in nil map")) return CrashClass::kNilMapWrite;
  if (Has(s, "send on closed channel") || Has(s, "close of closed channel") || Has(s, "close of nil channel"))
    return CrashClass::kClosedChannel;
  if (Has(s, "negative WaitGroup counter") || Has(s, "WaitGroup is reused") ||
      Has(s, "WaitGroup misuse"))
    return CrashClass::kWaitGroup;
  if (Has(s, "unlock of unlocked mutex") || Has(s, "Unlock of unlocked RWMutex") ||
      Has(s, "RUnlock of unlocked RWMutex") || Has(s, "sync: unlock of unlocked"))
    return CrashClass::kMutexMisuse;
  if (s == "stack overflow" || Has(s, "goroutine stack exceeds")) return CrashClass::kStackOverflow;
  if (Has(s, "out of memory")) return CrashClass::kOutOfMemory;
  if (inc.signal && inc.signal->name == "SIGSEGV" && inc.signal->has_addr && inc.signal->addr < 4096 &&
      inc.kind != IncidentKind::kFatalError)
    return CrashClass::kNilDeref;
  return CrashClass::kOther;
}

WaitKind EffectiveWait(const GoroutineGroup& g) {
  if (g.wait != WaitKind::kUnknown || g.samples.empty()) return g.wait;
  const std::vector<Frame>& fr = g.samples.front().frames;
  if (fr.empty()) return WaitKind::kUnknown;
  std::string_view top = fr.front().function;
  static constexpr std::pair<std::string_view, WaitKind> kTops[] = {
      {"runtime.chanrecv", WaitKind::kChanReceive},
      {"runtime.chansend", WaitKind::kChanSend},
      {"runtime.selectgo", WaitKind::kSelect},
      {"runtime.block", WaitKind::kSelectNoCases},
      {"time.Sleep", WaitKind::kSleep},
      {"internal/poll.runtime_pollWait", WaitKind::kIOWait},
      {"sync.runtime_Semacquire", WaitKind::kMutex},
      {"internal/sync.runtime_Semacquire", WaitKind::kMutex},
      {"sync.(*Mutex).Lock", WaitKind::kMutex},
      {"sync.(*RWMutex).", WaitKind::kMutex},
      {"sync.(*WaitGroup).Wait", WaitKind::kWaitGroup},
      {"sync.(*Cond).Wait", WaitKind::kCond},
      {"net/http.(*persistConn).", WaitKind::kSelect},
      {"runtime/pprof.", WaitKind::kRunning},
  };
  for (const auto& [p, k] : kTops) {
    if (StartsWith(top, p)) return k;
  }
  if (fr.front().kind == FrameKind::kApp || fr.front().kind == FrameKind::kDependency)
    return WaitKind::kOther;  // parked in a hidden runtime frame: chan op or select
  return WaitKind::kUnknown;
}

bool HasFrame(const std::vector<Frame>& frames, std::string_view prefix) {
  return FindFrame(frames, prefix) >= 0;
}

int FindFrame(const std::vector<Frame>& frames, std::string_view prefix) {
  for (size_t i = 0; i < frames.size(); ++i) {
    if (StartsWith(frames[i].function, prefix)) return static_cast<int>(i);
  }
  return -1;
}

std::string FirstArg(const Frame& f) {
  std::string_view a = f.args;
  a = a.substr(0, a.find(','));
  a = Trim(a);
  if (EndsWith(a, "?")) a.remove_suffix(1);
  if (!StartsWith(a, "0x") || a == "0x0") return "";
  return std::string(a);
}

std::string ReceiverType(std::string_view function) {
  function = BareFunc(function);
  size_t open = function.find(".(");
  if (open == std::string_view::npos) return "";
  size_t close = function.find(')', open);
  if (close == std::string_view::npos) return "";
  return std::string(function.substr(0, close + 1));
}

uint64_t NonIdleGoroutines(const Incident& inc) {
  uint64_t n = 0;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.wait != WaitKind::kRuntimeIdle) n += g.count;
  }
  return n;
}

std::string Count(uint64_t n, std::string_view singular, std::string_view plural) {
  std::string s = std::to_string(n) + " ";
  if (n == 1) return s + std::string(singular);
  return s + (plural.empty() ? std::string(singular) + "s" : std::string(plural));
}

void AddGroupEvidence(Finding* f, const GoroutineGroup& g, size_t max) {
  for (size_t i = 0; i < g.ids.size() && i < max; ++i) f->evidence.goroutine_ids.push_back(g.ids[i]);
  f->evidence.group_sizes.push_back(g.count);
  f->evidence.goroutines_involved += g.count;
  if (g.max_wait_minutes > f->evidence.max_wait_minutes) f->evidence.max_wait_minutes = g.max_wait_minutes;
  for (size_t i = 0; i < g.header_lines.size() && i < 3; ++i)
    f->evidence.input_lines.push_back(g.header_lines[i]);
  AddGroupLabels(&f->evidence, g);
}

namespace {

void AddLabelValue(Evidence* e, const Label& l, uint64_t n) {
  for (LabelValueCount& c : e->labels) {
    if (c.key == l.key && c.value == l.value) {
      c.count += n;
      return;
    }
  }
  // Bounded: a high-cardinality key (a request ID) keeps its first values.
  if (e->labels.size() >= 256) {
    e->labels_partial = true;
    return;
  }
  e->labels.push_back({l.key, l.value, n});
}

void SortLabels(Evidence* e) {
  std::stable_sort(e->labels.begin(), e->labels.end(), [](const LabelValueCount& a, const LabelValueCount& b) {
    if (a.key != b.key) return a.key < b.key;
    return a.count > b.count;
  });
}

bool NeedsQuoting(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '/' || c == '_'))
      return true;
  }
  return false;
}

std::string Quote(std::string_view s) {
  if (!NeedsQuoting(s)) return std::string(s);
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q.push_back('\\');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

}  // namespace

void AddGroupLabels(Evidence* e, const GoroutineGroup& g) {
  if (g.labelled == 0) return;
  e->labelled += g.labelled;
  if (g.label_sets_other > 0) e->labels_partial = true;
  for (const LabelSetCount& s : g.label_sets)
    for (const Label& l : s.labels) AddLabelValue(e, l, s.count);
  SortLabels(e);
}

void AddGoroutineLabels(Evidence* e, const Goroutine& g) {
  if (g.labels.empty()) return;
  e->labelled += 1;
  for (const Label& l : g.labels) AddLabelValue(e, l, 1);
  SortLabels(e);
}

std::string FormatLabel(std::string_view key, std::string_view value) {
  return Quote(key) + "=" + Quote(value);
}

std::string LabelSentence(const Evidence& e, uint64_t goroutines) {
  if (e.labelled == 0 || e.labels.empty()) return "";
  std::vector<std::string> all, top;
  for (size_t i = 0; i < e.labels.size();) {
    size_t j = i;
    while (j < e.labels.size() && e.labels[j].key == e.labels[i].key) ++j;
    const LabelValueCount& first = e.labels[i];
    if (j - i == 1 && first.count == goroutines && e.labelled == goroutines && !e.labels_partial) {
      all.push_back(FormatLabel(first.key, first.value));
    } else {
      std::string t;
      for (size_t k = i; k < j && k < i + 3; ++k) {
        if (!t.empty()) t += ", ";
        t += FormatLabel(e.labels[k].key, e.labels[k].value) + " (" + std::to_string(e.labels[k].count) + ")";
      }
      if (j - i > 3) t += ", " + std::to_string(j - i - 3) + " more values";
      top.push_back(t);
    }
    i = j;
  }
  std::string s = " Goroutine labels: ";
  if (!all.empty()) {
    s += goroutines == 1 ? "it carries " : "all " + std::to_string(goroutines) + " carry ";
    for (size_t i = 0; i < all.size(); ++i) s += (i ? ", " : "") + all[i];
  }
  if (!top.empty()) {
    if (!all.empty()) s += "; ";
    if (e.labelled == goroutines)
      s += all.empty() ? "by value " : "other labels ";
    else
      s += std::to_string(e.labelled) + " of " + std::to_string(goroutines) + " labelled, ";
    for (size_t i = 0; i < top.size(); ++i) s += (i ? "; " : "") + top[i];
  }
  if (e.labels_partial) s += " (counts are lower bounds: more distinct label sets than kept)";
  return s + ".";
}

bool IsMapOpFrame(const Frame& f) {
  std::string_view fn = f.function;
  return StartsWith(fn, "runtime.mapaccess") || StartsWith(fn, "runtime.mapassign") ||
         StartsWith(fn, "runtime.mapiter") || StartsWith(fn, "runtime.mapdelete") ||
         StartsWith(fn, "runtime.mapclear") || StartsWith(fn, "runtime.mapclone") ||
         StartsWith(fn, "internal/runtime/maps.") || StartsWith(fn, "maps.clone");
}

bool RaceOnMap(const RaceReport& r) {
  for (const RaceAccess& a : r.accesses) {
    for (const Frame& f : a.frames) {
      if (IsMapOpFrame(f)) return true;
      if (f.kind != FrameKind::kRuntime) break;
    }
  }
  return false;
}

Finding RaceFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident) {
  Finding f = NewFinding(doc, in, incident);
  const RaceReport& r = *in.incidents[incident].race;
  f.confidence = 0.9;
  if (r.accesses.empty()) return f;
  const RaceAccess& a = r.accesses.front();
  SetCulprit(&f, a.frames, CulpritIndex(a.frames, false));
  for (const RaceAccess& x : r.accesses) {
    if (x.goroutine >= 0) f.evidence.goroutine_ids.push_back(x.goroutine);
    std::string d = x.kind + " by " + (x.goroutine >= 0 ? "goroutine " + std::to_string(x.goroutine) : "main goroutine");
    int ci = CulpritIndex(x.frames, false);
    if (ci >= 0) {
      d += " in " + std::string(BareFunc(x.frames[ci].function)) + " (" + Where(CodeRefFrom(x.frames[ci])) + ")";
      f.evidence.input_lines.push_back(x.frames[ci].input_line);
    }
    if (x.stack_unavailable) d += " [stack not restored]";
    f.evidence.details.push_back(d);
  }
  f.evidence.goroutines_involved = r.accesses.size();
  if (!r.test_name.empty()) f.evidence.details.push_back("test: " + r.test_name);
  return f;
}

}  // namespace gotriage
