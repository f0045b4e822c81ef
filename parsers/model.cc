// Small helpers of the shared data model.
#include "parsers/model.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "parsers/model_fields.h"

namespace gotriage {

namespace {

constexpr size_t kPoolBlock = 64 << 10;

uint64_t PoolHash(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

}  // namespace

std::string_view StringPool::Intern(std::string_view s) {
  if (slots_.empty()) slots_.resize(1024);
  const uint64_t h = PoolHash(s);
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(h) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (!slot.data) {
      slot = {h, Store(s), s.size()};
      ++count_;
      bytes_ += s.size();
      std::string_view v(slot.data, slot.size);
      if (count_ * 2 > slots_.size()) Grow();
      return v;
    }
    // (An empty view may have no data: memcmp is not asked about it.)
    if (slot.hash == h && slot.size == s.size() && (s.empty() || std::memcmp(slot.data, s.data(), s.size()) == 0))
      return {slot.data, slot.size};
  }
}

const char* StringPool::Store(std::string_view s) {
  const size_t need = s.size() + 1;  // and a NUL
  char* at;
  if (need > kPoolBlock / 4) {
    // A long string gets a block of its own; the current block stays.
    blocks_.emplace_back(new char[need]);
    at = blocks_.back().get();
  } else {
    if (need > left_) {
      blocks_.emplace_back(new char[kPoolBlock]);
      free_ = blocks_.back().get();
      left_ = kPoolBlock;
    }
    at = free_;
    free_ += need;
    left_ -= need;
  }
  if (!s.empty()) std::memcpy(at, s.data(), s.size());
  at[s.size()] = '\0';
  return at;
}

void StringPool::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (!slot.data) continue;
    size_t i = static_cast<size_t>(slot.hash) & mask;
    while (slots_[i].data) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

const char* FrameKindName(FrameKind k) {
  switch (k) {
    case FrameKind::kRuntime: return "runtime";
    case FrameKind::kStdlib: return "stdlib";
    case FrameKind::kDependency: return "dependency";
    case FrameKind::kApp: return "app";
    case FrameKind::kUnknown: break;
  }
  return "unknown";
}

const char* WaitKindName(WaitKind k) {
  switch (k) {
    case WaitKind::kRunning: return "running";
    case WaitKind::kChanReceive: return "chan_receive";
    case WaitKind::kChanSend: return "chan_send";
    case WaitKind::kChanNil: return "nil_chan";
    case WaitKind::kSelect: return "select";
    case WaitKind::kSelectNoCases: return "select_no_cases";
    case WaitKind::kMutex: return "mutex";
    case WaitKind::kWaitGroup: return "waitgroup";
    case WaitKind::kCond: return "cond";
    case WaitKind::kIOWait: return "io_wait";
    case WaitKind::kSleep: return "sleep";
    case WaitKind::kSyscall: return "syscall";
    case WaitKind::kRuntimeIdle: return "runtime_idle";
    case WaitKind::kOther: return "other";
    case WaitKind::kUnknown: break;
  }
  return "unknown";
}

namespace {
bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
}  // namespace

WaitKind ClassifyWaitState(std::string_view s) {
  // Decorations such as " (durable)", " (leaked)", " (scan)" are removed by
  // the header parser; tolerate them here too.
  for (std::string_view suffix : {" (leaked)", " (durable)", " (scan)"}) {
    if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix)
      s.remove_suffix(suffix.size());
  }
  if (s == "running" || s == "runnable" || s == "preempted" || s == "copystack")
    return WaitKind::kRunning;
  if (s == "syscall") return WaitKind::kSyscall;
  if (s == "chan receive (nil chan)" || s == "chan send (nil chan)")
    return WaitKind::kChanNil;
  if (s == "chan receive" || s == "chan receive (durable)")
    return WaitKind::kChanReceive;
  if (s == "chan send" || s == "chan send (durable)") return WaitKind::kChanSend;
  if (s == "select (no cases)") return WaitKind::kSelectNoCases;
  if (s == "select" || s == "select (durable)") return WaitKind::kSelect;
  if (s == "semacquire" || s == "sync.Mutex.Lock" || s == "sync.RWMutex.RLock" ||
      s == "sync.RWMutex.Lock")
    return WaitKind::kMutex;
  if (StartsWith(s, "sync.WaitGroup.Wait")) return WaitKind::kWaitGroup;
  if (s == "sync.Cond.Wait") return WaitKind::kCond;
  if (s == "IO wait") return WaitKind::kIOWait;
  if (s == "sleep") return WaitKind::kSleep;
  if (s == "idle" || StartsWith(s, "GC ") || s == "finalizer wait" ||
      s == "force gc (idle)" || s == "GOMAXPROCS updater (idle)" ||
      s == "cleanup wait" || s == "timer goroutine (idle)" ||
      StartsWith(s, "trace ") || s == "wait for GC cycle" || s == "garbage collection" ||
      s == "garbage collection scan" || s == "dumping heap" || s == "panicwait" ||
      s == "stopping the world" || s == "flushing proc caches" || s == "page trace flush" ||
      s == "debug call" || s == "coroutine" || s == "dead")
    return WaitKind::kRuntimeIdle;
  if (s.empty()) return WaitKind::kUnknown;
  return WaitKind::kOther;
}

const char* IncidentKindName(IncidentKind k) {
  switch (k) {
    case IncidentKind::kPanic: return "panic";
    case IncidentKind::kFatalError: return "fatal_error";
    case IncidentKind::kSignalDump: return "signal_dump";
    case IncidentKind::kGoroutineDump: return "goroutine_dump";
    case IncidentKind::kPprofDebug1: return "pprof_debug1";
    case IncidentKind::kRecoveredPanic: return "recovered_panic";
    case IncidentKind::kRaceReport: return "race_report";
    case IncidentKind::kTestTimeout: return "test_timeout";
    case IncidentKind::kProfileTop: return "pprof_top";
    case IncidentKind::kProfile: return "pprof_profile";
    case IncidentKind::kGcTrace: return "gctrace";
    case IncidentKind::kFatalRecord: return "fatal_record";
    case IncidentKind::kKernelOomKill: return "kernel_oom_kill";
  }
  return "unknown";
}

std::string Incident::Title() const {
  if (!headline.empty()) return headline;
  switch (kind) {
    case IncidentKind::kFatalError:
      return "fatal error: " + fatal_error;
    case IncidentKind::kPanic:
    case IncidentKind::kRecoveredPanic:
    case IncidentKind::kTestTimeout:
      if (!panics.empty()) {
        std::string m = panics.front().message;
        if (auto nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
        return "panic: " + m;
      }
      return "panic";
    case IncidentKind::kSignalDump:
      return signal ? signal->name + ": " + signal->description : "signal";
    case IncidentKind::kPprofDebug1:
      return "goroutine profile: total " + std::to_string(declared_total ? declared_total : goroutine_count);
    case IncidentKind::kGoroutineDump:
      return "goroutine dump: " + std::to_string(goroutine_count) + " goroutines";
    case IncidentKind::kRaceReport:
      return "WARNING: DATA RACE";
    case IncidentKind::kProfileTop:
      return "pprof top listing: " + std::string(top ? top->total : "") + " total";
    case IncidentKind::kProfile:
      return "pprof profile";
    case IncidentKind::kGcTrace:
      return "gctrace";
    case IncidentKind::kFatalRecord:
      if (fatal_record) {
        std::string t = "fatal log record: " + fatal_record->message;
        if (!fatal_record->error.empty()) t += (fatal_record->message.empty() ? "" : ": ") + fatal_record->error;
        return t;
      }
      return "fatal log record";
    case IncidentKind::kKernelOomKill:
      return oom_kill ? "OOM killer killed process " + std::to_string(oom_kill->pid) + " (" + oom_kill->process + ")"
                      : "OOM killer";
  }
  return "";
}

bool HasLabels(const std::vector<Label>& labels, const std::vector<Label>& wanted) {
  for (const Label& w : wanted) {
    bool found = false;
    for (const Label& l : labels) found |= l.key == w.key && l.value == w.value;
    if (!found) return false;
  }
  return true;
}

void ApplyLabelFilter(ParsedInput* in, const std::vector<Label>& wanted) {
  LabelFilterReport rep;
  rep.wanted = wanted;
  std::vector<Incident> kept;
  for (Incident& inc : in->incidents) {
    bool crash_ok = !inc.crashing || inc.kind == IncidentKind::kGoroutineDump ||
                    HasLabels(inc.crashing->labels, wanted);
    uint64_t before = inc.goroutine_count;
    uint64_t after = 0;
    std::vector<GoroutineGroup> groups;
    for (GoroutineGroup& g : inc.groups) {
      uint64_t match = 0;
      std::vector<LabelSetCount> sets;
      for (LabelSetCount& s : g.label_sets) {
        if (HasLabels(s.labels, wanted)) {
          match += s.count;
          sets.push_back(std::move(s));
        }
      }
      rep.goroutines_unknown += g.label_sets_other * (1 + inc.twins.size());
      if (match == 0 || !crash_ok) continue;
      std::vector<Goroutine> samples;
      std::vector<int64_t> ids;
      for (Goroutine& x : g.samples) {
        if (!HasLabels(x.labels, wanted)) continue;
        if (x.id >= 0) ids.push_back(x.id);
        samples.push_back(std::move(x));
      }
      if (samples.empty()) {
        // The matching goroutines were not among the kept samples: the
        // stack is the group's all the same; its labels are the first
        // matching set's.
        samples.push_back(std::move(g.samples.front()));
        samples.back().labels = sets.front().labels;
        samples.back().id = -1;
      }
      g.samples = std::move(samples);
      g.ids = std::move(ids);
      g.header_lines.clear();
      for (const Goroutine& x : g.samples) g.header_lines.push_back(x.header_line);
      g.count = g.labelled = match;
      g.label_sets = std::move(sets);
      g.label_sets_other = 0;
      after += match;
      groups.push_back(std::move(g));
    }
    // An incident folded from several inputs (twins) counts once for each.
    const uint64_t copies = 1 + inc.twins.size();
    rep.goroutines_kept += after * copies;
    rep.goroutines_filtered_out += (before - std::min(before, after)) * copies;
    if (after == 0 && (before > 0 || inc.crashing)) {
      rep.incidents_filtered_out += copies;
      continue;
    }
    inc.groups = std::move(groups);
    inc.goroutine_count = after;
    if (inc.crashing && inc.kind == IncidentKind::kGoroutineDump && !HasLabels(inc.crashing->labels, wanted))
      inc.crashing.reset();
    kept.push_back(std::move(inc));
  }
  in->incidents = std::move(kept);
  in->label_filter = std::move(rep);
}

}  // namespace gotriage

namespace gotriage {

namespace {
// A Kubernetes object name (DNS label or subdomain, as kubectl prints it;
// upper case and `_` tolerated): no `/`, `]`, space or control character.
bool PodNameChar(char c) {
  return c != '/' && c != ']' && c != '[' && c != ' ' && c != '\t' && static_cast<unsigned char>(c) > 0x20 &&
         c != 0x7f;
}
}  // namespace

size_t ParsePodTag(std::string_view line, PodRef* pod) {
  // `[pod/` NAME `/` CONTAINER `] ` (kubectl's `[pod/%s/%s] `).
  if (line.size() < 9 || line.compare(0, 5, "[pod/") != 0) return 0;
  size_t i = 5, name = i;
  while (i < line.size() && i < 320 && PodNameChar(line[i])) ++i;
  if (i == name || i >= line.size() || line[i] != '/') return 0;
  size_t name_end = i++;
  size_t cont = i;
  while (i < line.size() && i < 400 && PodNameChar(line[i])) ++i;
  if (i == cont || i >= line.size() || line[i] != ']') return 0;
  size_t cont_end = i++;
  if (i < line.size()) {
    if (line[i] != ' ') return 0;
    ++i;
  }
  if (pod) {
    pod->name.assign(line.substr(name, name_end - name));
    pod->container.assign(line.substr(cont, cont_end - cont));
  }
  return i;
}

bool PodFromLogPath(std::string_view path, PodRef* pod) {
  auto last = [&](std::string_view* rest) {
    size_t s = rest->rfind('/');
    std::string_view c = s == std::string_view::npos ? *rest : rest->substr(s + 1);
    *rest = s == std::string_view::npos ? std::string_view() : rest->substr(0, s);
    return c;
  };
  auto split3 = [](std::string_view s, std::string_view* a, std::string_view* b, std::string_view* c) {
    size_t u1 = s.find('_');
    if (u1 == std::string_view::npos) return false;
    size_t u2 = s.find('_', u1 + 1);
    if (u2 == std::string_view::npos || s.find('_', u2 + 1) != std::string_view::npos) return false;
    *a = s.substr(0, u1), *b = s.substr(u1 + 1, u2 - u1 - 1), *c = s.substr(u2 + 1);
    return !a->empty() && !b->empty() && !c->empty();
  };
  std::string_view rest = path;
  std::string_view file = last(&rest);
  // /var/log/pods/NS_POD_UID/CONTAINER/N.log (rotated N.log.DATE[.gz]).
  size_t d = 0;
  while (d < file.size() && file[d] >= '0' && file[d] <= '9') ++d;
  if (d > 0 && file.substr(d, 4) == ".log" && (file.size() == d + 4 || file[d + 4] == '.')) {
    std::string_view container = last(&rest);
    std::string_view dir = last(&rest);
    std::string_view ns, name, uid;
    if (!container.empty() && split3(dir, &ns, &name, &uid)) {
      pod->namespace_.assign(ns);
      pod->name.assign(name);
      pod->container.assign(container);
      return true;
    }
    return false;
  }
  // /var/log/containers/POD_NS_CONTAINER-ID.log (kubelet's symlinks; ID: 64 hex).
  if (file.size() > 4 + 65 && file.substr(file.size() - 4) == ".log" && last(&rest) == "containers") {
    std::string_view stem = file.substr(0, file.size() - 4);
    std::string_view id = stem.substr(stem.size() - 64);
    if (stem[stem.size() - 65] != '-' ||
        id.find_first_not_of("0123456789abcdef") != std::string_view::npos)
      return false;
    std::string_view ns, name, container;
    if (!split3(stem.substr(0, stem.size() - 65), &name, &ns, &container)) return false;
    pod->namespace_.assign(ns);
    pod->name.assign(name);
    pod->container.assign(container);
    return true;
  }
  return false;
}

}  // namespace gotriage

namespace gotriage {

namespace {

using LineMap = const std::function<size_t(size_t)>&;

void Map(size_t* line, LineMap f) {
  if (*line != 0) *line = f(*line);  // 0: not known
}

// Maps every input line of an incident (model_fields.h: the kInputLine
// fields), however deep it nests.
struct LineMapper {
  LineMap f;
  template <class T>
  void operator()(const char* /*name*/, T& x, FieldRole role) const {
    if constexpr (kHasFieldList<T>) {
      VisitFields(x, *this);
    } else if constexpr (kIsVector<T>) {
      for (auto& e : x) (*this)("", e, role);
    } else if constexpr (kIsOptional<T>) {
      if (x) (*this)("", *x, role);
    } else if constexpr (std::is_same_v<T, size_t>) {
      if (role == FieldRole::kInputLine) Map(&x, f);
    }
  }
};

}  // namespace

void MapInputLines(Incident* inc, const std::function<size_t(size_t)>& f) {
  if (inc->sample_positions) return;
  LineMapper{f}("", *inc, FieldRole::kContent);
  if (inc->first_line > inc->last_line) std::swap(inc->first_line, inc->last_line);
}

void ShiftInputLines(Incident* inc, int64_t delta) {
  if (delta == 0) return;
  MapInputLines(inc, [delta](size_t line) {
    int64_t v = 0;
    if (line > static_cast<size_t>(INT64_MAX) || __builtin_add_overflow(static_cast<int64_t>(line), delta, &v))
      return delta < 0 ? size_t{1} : SIZE_MAX;
    return v > 0 ? static_cast<size_t>(v) : size_t{1};
  });
}

}  // namespace gotriage
