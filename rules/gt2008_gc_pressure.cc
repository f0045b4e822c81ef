// GT2008: GC pressure -- garbage collection takes a large share of the CPU
// samples of a CPU profile, and an allocs or heap profile given alongside
// names the function that allocates (and its caller, which calls it in a
// loop). Modelled on the kube-proxy incident: over 60% of CPU in
// runtime.gcDrain/scanobject/greyobject because GetLocalAddresses was called
// once per service for thousands of services.
#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "base/durations.h"
#include "parsers/classify.h"
#include "parsers/grammar.h"
#include "rules/catalog.h"
#include "rules/util.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT2008.id,
    .title = "GC pressure: CPU spent in garbage collection",
    .category = rule_names::GT2008.category,
    .severity = Severity::kHigh,
    .what = "A large share of the process's CPU goes to the garbage collector (marking, sweeping, "
            "assists) rather than to the program's own work.",
    .why = "The program allocates many short-lived objects, often a function that builds a fresh "
           "result on every call and is called in a loop (once per item of a large list) although "
           "the result does not change. Each GC cycle must also mark the live heap, so a large, "
           "pointer-rich live heap makes every cycle triggered by the churn expensive.",
    .fix = "Hoist the allocating call out of the loop: compute the result once per pass, not once per item.\n"
           "Cache the result when it rarely changes, and reuse buffers and slices (s = s[:0]) across calls.\n"
           "Pool short-lived objects with sync.Pool on hot paths.\n"
           "As a stopgap, trade memory for CPU: raise GOGC, or set GOMEMLIMIT to the container's memory and GOGC higher.\n"
           "Confirm with `go tool pprof -sample_index=alloc_objects -top` on an allocs profile (/debug/pprof/allocs).",
    .before = "for _, svc := range services {\n\taddrs := getLocalAddresses() // new objects per service\n\tif contains(addrs, svc.IP) { ... }\n}",
    .after = "addrs := getLocalAddresses() // once per sync\nfor _, svc := range services {\n\tif contains(addrs, svc.IP) { ... }\n}",
    .links = {"https://go.dev/doc/gc-guide", "https://pkg.go.dev/runtime/pprof"},
};

// Frames that are the garbage collector's own work (the classic collector
// and the Green Tea collector of Go 1.25+).
bool IsGcFunction(std::string_view f) {
  static constexpr std::string_view kPrefixes[] = {
      "runtime.gcBgMarkWorker", "runtime.gcDrain",     "runtime.scanobject",  "runtime.greyobject",
      "runtime.markroot",       "runtime.gcAssistAlloc", "runtime.bgsweep",   "runtime.sweepone",
      "runtime.scanSpan",       "runtime.tryDeferToSpanScan", "runtime.scanObject", "runtime.gcMarkDone",
      "runtime.gcMarkTermination", "runtime.scanblock", "runtime.scanstack",  "runtime.gcStart",
      "runtime.(*gcWork)",      "runtime.(*sweepLocked).sweep", "runtime.deductSweepCredit",
      "internal/runtime/gc/scan.", "runtime.bgscavenge", "runtime.gcFlushBgCredit",
  };
  for (std::string_view p : kPrefixes)
    if (StartsWith(f, p)) return true;
  return false;
}

bool IsLibrary(std::string_view fn) {
  std::string_view pkg = PackageOf(fn);
  return IsRuntimePackage(pkg) || IsStdlibPackage(pkg);
}

std::string Pct(double p) {
  char b[16];
  std::snprintf(b, sizeof b, "%.0f%%", p * 100);
  return b;
}

std::string Num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.0f", v);
  std::string s = b, out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string Bytes(double v) {
  char b[32];
  if (v >= 1 << 30) std::snprintf(b, sizeof b, "%.1f GB", v / (1 << 30));
  else if (v >= 1 << 20) std::snprintf(b, sizeof b, "%.1f MB", v / (1 << 20));
  else std::snprintf(b, sizeof b, "%.1f kB", v / (1 << 10));
  return b;
}

CodeRef Ref(const ProfileFunction& f, int64_t line, const ParsedInput& in, size_t sample) {
  CodeRef c;
  c.function = std::string(f.name);
  c.file = std::string(f.file);
  c.line = static_cast<int>(line);
  std::string_view pkg = PackageOf(f.name);
  if (IsRuntimePackage(pkg)) c.kind = "runtime";
  else if (IsStdlibPackage(pkg)) c.kind = "stdlib";
  else if (pkg == "main" || (!in.main_module.empty() && StartsWith(pkg, in.main_module))) c.kind = "app";
  else c.kind = "dependency";
  c.input_line = sample;
  return c;
}

// Where the CPU of a CPU profile goes.
struct CpuShare {
  double total = 0, gc = 0, alloc = 0;
  std::vector<std::pair<std::string_view, double>> gc_top;     // innermost GC functions
  const ProfileFunction* alloc_app = nullptr;                  // app frame above mallocgc
  double alloc_app_value = 0;
  size_t top_gc_sample = 0;
};

CpuShare WeighCpu(const Profile& p) {
  CpuShare s;
  int vi = p.SampleType("cpu");
  if (vi < 0) vi = p.sample_types.empty() ? -1 : static_cast<int>(p.sample_types.size()) - 1;
  if (vi < 0) return s;
  std::unordered_map<std::string_view, double> gc_flat;
  std::unordered_map<const ProfileFunction*, double> alloc_by_app;
  double top_gc_value = -1;
  for (size_t i = 0; i < p.samples.size(); ++i) {
    double v = static_cast<double>(p.Value(i, static_cast<size_t>(vi)));
    if (v <= 0) continue;
    s.total += v;
    bool gc = false, malloc = false;
    std::string_view innermost;
    const ProfileFunction* app = nullptr;
    p.ForEachFrame(i, [&](const ProfileFunction& f, int64_t) {
      if (innermost.empty()) innermost = f.name;
      if (IsGcFunction(f.name)) gc = true;
      if (StartsWith(f.name, "runtime.mallocgc")) malloc = true;
      if (malloc && !app && !IsLibrary(f.name)) app = &f;
      return true;
    });
    if (gc) {
      s.gc += v;
      gc_flat[innermost] += v;
      if (v > top_gc_value) {
        top_gc_value = v;
        s.top_gc_sample = p.Position(i);
      }
    } else if (malloc) {
      s.alloc += v;
    }
    if (malloc && app) alloc_by_app[app] += v;
  }
  s.gc_top.assign(gc_flat.begin(), gc_flat.end());
  std::sort(s.gc_top.begin(), s.gc_top.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (s.gc_top.size() > 4) s.gc_top.resize(4);
  for (const auto& [f, v] : alloc_by_app) {
    if (v > s.alloc_app_value || (v == s.alloc_app_value && s.alloc_app && f->name < s.alloc_app->name)) {
      s.alloc_app = f;
      s.alloc_app_value = v;
    }
  }
  return s;
}

// The allocation hot spot of an allocs or heap profile.
struct AllocSpot {
  const ProfileFunction* fn = nullptr;
  int64_t line = 0;
  const ProfileFunction* caller = nullptr;
  int64_t caller_line = 0;
  double objects = 0, bytes = 0, total_objects = 0, total_bytes = 0;
  size_t sample = 0;
  int incident = -1;
  bool has_objects = true, has_bytes = true;
};

AllocSpot AllocHotSpot(const Profile& p) {
  AllocSpot spot;
  // Both sample types in a protobuf or heap text profile; one in a
  // `go tool pprof -traces` listing (its -sample_index).
  int oi = p.SampleType("alloc_objects"), bi = p.SampleType("alloc_space");
  if (oi < 0 && bi < 0) return spot;
  spot.has_objects = oi >= 0;
  spot.has_bytes = bi >= 0;
  struct Agg {
    double objects = 0, bytes = 0;
    int64_t line = 0;
    size_t sample = 0;
    std::map<std::pair<const ProfileFunction*, int64_t>, double> callers;
  };
  std::unordered_map<const ProfileFunction*, Agg> by_fn;
  for (size_t i = 0; i < p.samples.size(); ++i) {
    double o = oi >= 0 ? static_cast<double>(p.Value(i, static_cast<size_t>(oi))) : 0;
    double b = bi >= 0 ? static_cast<double>(p.Value(i, static_cast<size_t>(bi))) : 0;
    spot.total_objects += o;
    spot.total_bytes += b;
    const ProfileFunction* app = nullptr;
    int64_t app_line = 0;
    const ProfileFunction* caller = nullptr;
    int64_t caller_line = 0;
    p.ForEachFrame(i, [&](const ProfileFunction& f, int64_t line) {
      if (IsLibrary(f.name)) return true;
      if (!app) {
        app = &f;
        app_line = line;
        return true;
      }
      caller = &f;
      caller_line = line;
      return false;
    });
    if (!app) continue;
    Agg& a = by_fn[app];
    a.objects += o;
    a.bytes += b;
    if (!a.sample || o > 0 || b > 0) {
      if (!a.line) a.line = app_line;
      if (!a.sample) a.sample = p.Position(i);
    }
    if (caller) a.callers[{caller, caller_line}] += oi >= 0 ? o : b;
  }
  // Ranked by objects (what the GC must trace and sweep), by bytes when
  // only alloc_space is given.
  auto weight = [&](const Agg& a) { return oi >= 0 ? a.objects : a.bytes; };
  const Agg* best = nullptr;
  for (const auto& [f, a] : by_fn) {
    if (!best || weight(a) > weight(*best) || (weight(a) == weight(*best) && f->name < spot.fn->name)) {
      best = &a;
      spot.fn = f;
    }
  }
  if (!best) return spot;
  spot.objects = best->objects;
  spot.bytes = best->bytes;
  spot.line = best->line;
  spot.sample = best->sample;
  double top = -1;
  for (const auto& [c, v] : best->callers) {
    if (v > top) {
      top = v;
      spot.caller = c.first;
      spot.caller_line = c.second;
    }
  }
  return spot;
}

// What the gctrace lines of the input say.
struct TraceFacts {
  uint64_t cycles = 0;         // not forced
  double span_s = 0, rate = 0; // cycles per second
  int last_percent = 0;
  double mark_share = 0;       // wall time inside a cycle / span
  double heap_mb = 0, goal_mb = 0;
  double assist_ms = 0, background_ms = 0;  // mark CPU, summed over the cycles
  double longest_ms = 0;                    // the longest cycle's wall time
  size_t first_line = 0;
  int incident = -1;
};

TraceFacts WeighTrace(const ParsedInput& in) {
  TraceFacts t;
  double first = -1, last = 0, clock = 0;
  for (size_t i = 0; i < in.incidents.size(); ++i) {
    const Incident& inc = in.incidents[i];
    if (inc.kind != IncidentKind::kGcTrace || !inc.gctrace) continue;
    if (t.incident < 0) {
      t.incident = static_cast<int>(i);
      t.first_line = inc.first_line;
    }
    for (const GcCycle& c : inc.gctrace->cycles) {
      if (c.forced) continue;
      ++t.cycles;
      if (first < 0 || c.at_seconds < first) first = c.at_seconds;
      last = std::max(last, c.at_seconds);
      clock += c.clock_ms / 1000;
      t.last_percent = c.cpu_percent;
      t.heap_mb = c.heap_start_mb;
      t.goal_mb = c.heap_goal_mb;
      t.assist_ms += c.assist_cpu_ms;
      t.background_ms += c.background_cpu_ms;
      t.longest_ms = std::max(t.longest_ms, c.clock_ms);
    }
  }
  if (t.cycles >= 2 && last > first) {
    t.span_s = last - first;
    t.rate = static_cast<double>(t.cycles - 1) / t.span_s;
    t.mark_share = std::min(1.0, clock / t.span_s);
  }
  return t;
}

// GC cycles in quick succession with a high GC share, from gctrace alone;
// or, however far apart, GC at half the CPU or more by gctrace's own count
// after as many cycles (that count reads low, never high: golang/go#10898,
// 37% rising to 73% in four seconds on a 2-14 MB heap), or a cycle running
// 80% of the time or more: the collector never stops (golang/go#58106, a
// heap held at its GOMEMLIMIT goal, 2.2 s cycles every 2.5 s).
bool TraceSaysPressure(const TraceFacts& t) {
  return t.cycles >= 8 &&
         ((t.rate >= 2 && (t.last_percent >= 10 || t.mark_share >= 0.3)) || t.last_percent >= 50 ||
          t.mark_share >= 0.8);
}

// Mark assists doing more of the marking than the background workers,
// seconds of it, in cycles that run a tenth of a second or more: the
// program allocates faster than the collector marks, and each allocating
// goroutine is made to mark first (golang/go#33927: 45 s of assist CPU
// against 29 s in the background in one 2.4 s cycle on 48 Ps). Any number
// of cycles: a single one this lopsided is the symptom.
bool AssistsSayPressure(const TraceFacts& t) {
  return t.cycles >= 1 && t.assist_ms >= 1000 && t.assist_ms >= t.background_ms && t.longest_ms >= 100;
}

std::string TraceText(const TraceFacts& t) {
  // Sized by a first call: a hostile gctrace can make any of these numbers
  // hundreds of digits long, and a fixed buffer would cut the sentence.
  auto print = [&](char* b, size_t n) {
    return std::snprintf(b, n,
                         "gctrace: %llu GC cycles in %.1fs (one every %.0f ms), a cycle running %.0f%% of the time, "
                         "GC at %d%% of CPU by gctrace's own count (which, on a small machine, counts idle mark "
                         "workers and reads low), heap %.0f MB at the last cycle's start against a %.0f MB goal",
                         static_cast<unsigned long long>(t.cycles), t.span_s, t.rate > 0 ? 1000 / t.rate : 0,
                         t.mark_share * 100, t.last_percent, t.heap_mb, t.goal_mb);
  };
  int n = print(nullptr, 0);
  if (n <= 0) return {};
  std::string out(static_cast<size_t>(n) + 1, '\0');
  print(out.data(), out.size());
  out.resize(static_cast<size_t>(n));
  return out;
}

void AddGcTraceDetails(Finding* f, const TraceFacts& t) {
  if (t.cycles >= 2) f->evidence.details.push_back(TraceText(t));
}

// Names the allocation hot spot, from an allocs/heap profile when one was
// given, else from the CPU profile's allocation samples.
void AddAllocEvidence(Finding* f, const AllocSpot& spot, const CpuShare* s, const ParsedInput& in) {
      if (spot.fn) {
        const Profile& ap = *in.incidents[static_cast<size_t>(spot.incident)].profile;
        f->culprit = Ref(*spot.fn, spot.line, in, 0);  // its sample is in another input
        std::string objects = Num(spot.objects) + " objects (" +
                              Pct(spot.total_objects > 0 ? spot.objects / spot.total_objects : 0) + " of alloc_objects)";
        std::string bytes = Bytes(spot.bytes) + " (" + Pct(spot.total_bytes > 0 ? spot.bytes / spot.total_bytes : 0) +
                            " of alloc_space)";
        f->summary += "The " + std::string(ProfileKindName(ap.kind)) + " profile names the allocation hot spot: " +
                     std::string(spot.fn->name) + " allocated " +
                     (spot.has_objects && spot.has_bytes ? Num(spot.objects) + " objects (" +
                                                               Pct(spot.total_objects > 0 ? spot.objects / spot.total_objects : 0) +
                                                               " of alloc_objects) and " + Bytes(spot.bytes) + " (alloc_space)"
                      : spot.has_objects ? objects
                                         : bytes);
        std::string where = spot.fn->file.empty() ? "" : " (" + std::string(spot.fn->file) + ":" + std::to_string(spot.line) + ")";
        f->evidence.details.push_back("top allocating function: " + std::string(spot.fn->name) + where +
                                     (spot.has_objects ? ", alloc_objects " + Num(spot.objects) : "") +
                                     (spot.has_bytes ? ", alloc_space " + Bytes(spot.bytes) : "") + ", in " +
                                     in.incidents[static_cast<size_t>(spot.incident)].source);
        if (spot.caller) {
          f->app_frame = Ref(*spot.caller, spot.caller_line, in, 0);
          std::string at = spot.caller->file.empty() ? ""
                           : " (" + std::string(spot.caller->file) + ":" + std::to_string(spot.caller_line) + ")";
          f->summary += ", called from " + std::string(spot.caller->name) + at +
                       ": if that call sits in a loop whose result does not change, hoist it out of the loop or "
                       "cache its result";
          f->evidence.details.push_back("its caller: " + std::string(spot.caller->name) + at);
        }
        f->summary += ".";
      } else {
        if (s && s->alloc_app) {
          f->summary += "In the CPU profile, the application frame that allocates most is " +
                       std::string(s->alloc_app->name) + " (" + Pct(s->alloc_app_value / s->total) +
                       " of CPU under runtime.mallocgc). ";
          f->culprit = Ref(*s->alloc_app, 0, in, 0);
          f->culprit->line = 0;
        }
        f->summary += std::string(s ? "A CPU profile" : "gctrace") +
                      " cannot say which code churns: an allocs profile "
                     "(/debug/pprof/allocs, `go tool pprof -sample_index=alloc_objects`) taken at the same time "
                     "would name the function that allocates and its caller.";
      }
}

class GT2008 : public Rule {
 public:
  const RuleDoc& doc() const override { return kDoc; }

  void Check(const RuleContext& ctx, std::vector<Finding>* out) const override {
    const ParsedInput& in = *ctx.input;
    // The allocation profile given alongside, if any (allocs before heap).
    AllocSpot spot;
    for (size_t i = 0; i < in.incidents.size(); ++i) {
      const Incident& inc = in.incidents[i];
      if (inc.kind != IncidentKind::kProfile || !inc.profile) continue;
      if (inc.profile->kind != ProfileKind::kAllocs && inc.profile->kind != ProfileKind::kHeap) continue;
      if (spot.fn && inc.profile->kind == ProfileKind::kHeap) continue;
      AllocSpot s = AllocHotSpot(*inc.profile);
      if (s.fn && (!spot.fn || inc.profile->kind == ProfileKind::kAllocs)) {
        spot = s;
        spot.incident = static_cast<int>(i);
      }
    }
    TraceFacts trace = WeighTrace(in);
    bool had_cpu = false;
    bool oom = false;
    for (const PodStatus& pod : in.pods)
      for (const ContainerStatus& c : pod.containers) oom |= c.last_reason == "OOMKilled" || c.state_reason == "OOMKilled";

    for (size_t i = 0; i < in.incidents.size(); ++i) {
      const Incident& inc = in.incidents[i];
      if (inc.kind != IncidentKind::kProfile || !inc.profile || inc.profile->kind != ProfileKind::kCpu) continue;
      const Profile& p = *inc.profile;
      had_cpu = true;
      CpuShare s = WeighCpu(p);
      // Too few samples say nothing (each is 10ms of CPU by default).
      if (s.total <= 0 || p.SampleCount() < 20) continue;
      double share = s.gc / s.total;
      if (share < 0.25) continue;
      Finding f = NewFinding(kDoc, in, i);
      f.severity = share >= 0.5 ? Severity::kHigh : Severity::kMedium;
      f.confidence = spot.fn ? 0.85 : 0.7;
      std::string frames;
      for (const auto& [fn, v] : s.gc_top) {
        if (!frames.empty()) frames += ", ";
        frames += std::string(fn) + " " + Pct(v / s.total);
      }
      f.summary = "The CPU profile spends " + Pct(share) + " of its " + FormatNanosAsSeconds(s.total) +
                  " of CPU samples in garbage collection (" + frames + ")";
      if (s.alloc > 0) f.summary += ", and " + Pct(s.alloc / s.total) + " more in allocation (runtime.mallocgc)";
      f.summary += ". ";
      f.evidence.details.push_back("GC share of CPU samples: " + Pct(share) + " of " + FormatNanosAsSeconds(s.total) +
                                   (p.duration_nanos > 0 ? " sampled over " + FormatNanosAsSeconds(static_cast<double>(p.duration_nanos)) : ""));
      if (!frames.empty()) f.evidence.details.push_back("GC frames (innermost): " + frames);
      if (s.top_gc_sample) f.evidence.input_lines.push_back(s.top_gc_sample);
      AddAllocEvidence(&f, spot, &s, in);
      AddGcTraceDetails(&f, trace);
      if (oom) {
        f.summary += " A container of the pod given was OOMKilled: the same allocation churn raises the heap "
                     "peak (GOMEMLIMIT below the container limit keeps the GC ahead of it).";
        f.evidence.details.push_back("pod: a container was OOMKilled");
      }
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, spot.fn ? std::string(spot.fn->name) : "gc pressure");
      out->push_back(std::move(f));
    }
    // Without a CPU profile, gctrace lines alone (CPU samples are preferred
    // when both are given: gctrace's percentage reads low on small machines).
    if (!had_cpu && trace.incident >= 0 && (TraceSaysPressure(trace) || AssistsSayPressure(trace))) {
      Finding f = NewFinding(kDoc, in, static_cast<size_t>(trace.incident));
      f.severity = Severity::kMedium;
      f.confidence = spot.fn ? 0.75 : 0.6;
      char b[1024];  // (enough for any double the format prints)
      if (trace.rate >= 2) {
        std::snprintf(b, sizeof b,
                      "GC cycles come in quick succession: %llu cycles in %.1fs, one every %.0f ms, with a cycle "
                      "running %.0f%% of the time (gctrace). ",
                      static_cast<unsigned long long>(trace.cycles), trace.span_s, 1000 / trace.rate,
                      trace.mark_share * 100);
      } else if (!TraceSaysPressure(trace)) {
        std::snprintf(b, sizeof b,
                      "Mark assists did more of the collector's work than its background workers: %.0f ms of "
                      "assist CPU against %.0f ms in the background over %llu cycle%s, the longest running "
                      "%.0f ms (gctrace). A goroutine that allocates while a cycle runs is made to mark before "
                      "it may allocate, so every request that allocates slows down during each cycle: the "
                      "program allocates faster than the collector keeps up with. ",
                      trace.assist_ms, trace.background_ms, static_cast<unsigned long long>(trace.cycles),
                      trace.cycles == 1 ? "" : "s", trace.longest_ms);
      } else if (trace.last_percent >= 50) {
        std::snprintf(b, sizeof b,
                      "The garbage collector takes %d%% of the CPU by gctrace's own count after %llu cycles in "
                      "%.1fs, a cycle running %.0f%% of the time (gctrace). ",
                      trace.last_percent, static_cast<unsigned long long>(trace.cycles), trace.span_s,
                      trace.mark_share * 100);
      } else {
        std::snprintf(b, sizeof b,
                      "The garbage collector never stops: a cycle is running %.0f%% of the time, %llu cycles in "
                      "%.1fs, each starting soon after the last ended (gctrace); GC takes %d%% of the CPU by "
                      "gctrace's own count. ",
                      trace.mark_share * 100, static_cast<unsigned long long>(trace.cycles), trace.span_s,
                      trace.last_percent);
      }
      f.summary = b;
      f.evidence.input_lines.push_back(trace.first_line);
      AddGcTraceDetails(&f, trace);
      AddAllocEvidence(&f, spot, nullptr, in);
      if (oom) f.evidence.details.push_back("pod: a container was OOMKilled");
      AddDocRemediation(&f, kDoc);
      SetFingerprint(&f, spot.fn ? std::string(spot.fn->name) : "gc pressure gctrace");
      out->push_back(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT2008() { return std::make_unique<GT2008>(); }

}  // namespace gotriage
