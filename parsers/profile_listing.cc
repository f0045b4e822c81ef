// `go tool pprof -traces` and `perf report`/`perf top` text; see
// profile_listing.h.
#include "parsers/profile_listing.h"

#include <cstdlib>

#include "base/strings.h"
#include "parsers/grouping.h"
#include "parsers/pprof_top.h"
#include "parsers/profile_proto.h"

namespace gotriage {

namespace {

// Samples kept per listing; more are counted in limits_hit.
constexpr size_t kMaxListingSamples = 1u << 20;

// What a `Type:` value measures, and its sample type's unit.
struct TypeInfo {
  ProfileKind kind = ProfileKind::kUnknown;
  const char* unit = "count";
};

TypeInfo KindOfType(std::string_view type) {
  if (type == "cpu") return {ProfileKind::kCpu, "nanoseconds"};
  if (type == "samples") return {ProfileKind::kCpu, "count"};
  if (type == "alloc_space") return {ProfileKind::kAllocs, "bytes"};
  if (type == "alloc_objects") return {ProfileKind::kAllocs, "count"};
  if (type == "inuse_space") return {ProfileKind::kHeap, "bytes"};
  if (type == "inuse_objects") return {ProfileKind::kHeap, "count"};
  if (type == "goroutine") return {ProfileKind::kGoroutine, "count"};
  if (type == "goroutineleak") return {ProfileKind::kGoroutineLeak, "count"};
  if (type == "contentions") return {ProfileKind::kBlock, "count"};
  if (type == "delay") return {ProfileKind::kBlock, "nanoseconds"};
  if (type == "threadcreate") return {ProfileKind::kThreadCreate, "count"};
  return {};
}

// `Duration: 6.04s, Total samples = 1.39s (23.00%)`: the duration and the
// total, in seconds.
void ParseDuration(std::string_view t, double* duration_s, double* total_s) {
  std::string unit;
  t.remove_prefix(10);  // "Duration: "
  size_t comma = t.find(',');
  ParseTopValue(Trim(t.substr(0, comma)), duration_s, &unit);
  size_t eq = t.find("Total samples = ");
  if (eq == std::string_view::npos) return;
  std::string_view v = t.substr(eq + 16);
  ParseTopValue(v.substr(0, v.find(' ')), total_s, &unit);
}

// A record's value line: `%10s   %s` -- the value right-aligned in ten
// columns (wider values push the name right), three spaces, the function.
bool SplitValueLine(std::string_view t, std::string_view* value, std::string_view* fn) {
  std::string_view s = TrimLeft(t);
  size_t sp = s.find("   ");
  if (s.empty() || sp == std::string_view::npos || sp == 0) return false;
  *value = s.substr(0, sp);
  *fn = Trim(s.substr(sp));
  return !fn->empty() && value->find(' ') == std::string_view::npos;
}

// A caller line: thirteen spaces, then the function.
bool CallerLine(std::string_view t, std::string_view* fn) {
  if (t.size() < 14 || t.substr(0, 13).find_first_not_of(' ') != std::string_view::npos || t[13] == ' ')
    return false;
  *fn = Trim(t.substr(13));
  return true;
}

// A label line: `%10s:  %s` (`     bytes:  64B`, `    tenant:  t1`).
bool LabelLine(std::string_view t, std::string_view* key, std::string_view* value) {
  size_t colon = t.find(":  ");
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view k = TrimLeft(t.substr(0, colon));
  if (k.empty() || k.find(' ') != std::string_view::npos) return false;
  *key = k;
  *value = Trim(t.substr(colon + 3));
  return true;
}

// ` (inline)` after a function name.
std::string_view StripInline(std::string_view fn) {
  if (EndsWith(fn, " (inline)")) fn.remove_suffix(9);
  return fn;
}

// The 2nd field of `# Samples: 2K of event 'cpu-clock:u'`, scaled.
uint64_t PerfSamples(std::string_view t) {
  std::string_view v = t.substr(11);
  size_t sp = v.find(' ');
  std::string num(v.substr(0, sp));
  char* end = nullptr;
  double x = std::strtod(num.c_str(), &end);
  if (end && *end == 'K') x *= 1e3;
  else if (end && *end == 'M') x *= 1e6;
  return x > 0 && x < 1e15 ? static_cast<uint64_t>(x) : 0;
}

bool IsPerfHeader(std::string_view t) {
  return StartsWith(t, "# Overhead  ") || StartsWith(t, "# Children  ") || StartsWith(t, "#  Overhead  ");
}

// The function named \a name in \a p, added once (\a index: interned
// name -> its index in p->functions).
uint32_t FunctionIndex(std::string_view name, Profile* p, StringPool* pool,
                       std::unordered_map<std::string_view, uint32_t>* index) {
  std::string_view n = pool->Intern(name);
  if (auto it = index->find(n); it != index->end()) return it->second;
  ProfileFunction f;
  f.name = n;
  uint32_t idx = static_cast<uint32_t>(p->functions.size());
  p->functions.push_back(f);
  index->emplace(n, idx);
  return idx;
}

// Appends one frame (a location of one line, no address) to the last
// sample of \a p. Listings print no line numbers.
void AppendFrame(Profile* p, uint32_t function) {
  ProfileLocation loc;
  loc.first_line = static_cast<uint32_t>(p->lines.size());
  loc.line_count = 1;
  p->lines.push_back({function, 0});
  p->sample_locations.push_back(static_cast<uint32_t>(p->locations.size()));
  p->locations.push_back(loc);
  ++p->samples.back().location_count;
}

// Emits a listing's profile over the incident's lines; a listing with no
// sample (a lone separator, a header without rows) is not an incident.
void EmitListing(std::unique_ptr<Incident>* incident, std::unique_ptr<Profile>* profile, ParseContext* ctx) {
  if (!*incident) return;
  size_t first = (*incident)->first_line, last = (*incident)->last_line;
  incident->reset();
  if (!(*profile)->samples.empty()) EmitProfile(std::move(**profile), ctx, 0, first, last);
  profile->reset();
}

}  // namespace

bool IsTracesSeparator(std::string_view t) {
  return t.size() >= 24 && StartsWith(t, "-----------+----") && t.find_first_not_of('-', 12) == std::string_view::npos;
}

bool ParsePerfRow(std::string_view t, double* self_pct, std::string_view* symbol) {
  // The symbol follows `[.] ` (user) or `[k] ` (kernel), ...; the shared
  // object before it may be bracketed too (`[vdso]`, `[unknown]`).
  size_t mark = 0;
  for (size_t at = t.find("] "); ; at = t.find("] ", at + 1)) {
    if (at == std::string_view::npos) return false;
    if (at >= 2 && t[at - 2] == '[' && std::string_view(".kguH").find(t[at - 1]) != std::string_view::npos) {
      mark = at;
      break;
    }
  }
  std::string_view s = TrimLeft(t.substr(0, mark - 2));
  // One or two percentages (`Children Self`) first.
  double pct[2] = {0, 0};
  int n = 0;
  while (n < 2 && !s.empty() && s[0] >= '0' && s[0] <= '9') {
    size_t end = s.find('%');
    if (end == std::string_view::npos || end > 8) return false;
    std::string num(s.substr(0, end));
    char* e = nullptr;
    pct[n++] = std::strtod(num.c_str(), &e);
    if (!e || *e) return false;
    s = TrimLeft(s.substr(end + 1));
  }
  if (n == 0) return false;
  *self_pct = pct[n - 1];
  *symbol = Trim(t.substr(mark + 2));
  return !symbol->empty() && *self_pct >= 0 && *self_pct <= 100;
}

// --- go tool pprof -traces ---------------------------------------------------

uint32_t PprofTracesParser::Function(std::string_view name) {
  return FunctionIndex(name, profile_.get(), &ctx_->out->strings, &functions_);
}

bool PprofTracesParser::Start(const Line& line) {
  if (!IsTracesSeparator(TrimRight(line.text))) return false;
  incident_ = StartIncident(IncidentKind::kProfile, line, *ctx_);
  profile_ = std::make_unique<Profile>();
  functions_.clear();
  // The header pprof prints before the first record: the last lines no
  // parser took.
  std::string_view type = "cpu";
  bool typed = false;
  double duration_s = 0, total_s = 0;
  for (const std::string& r : ctx_->recent) {
    std::string_view t = Trim(r);
    if (StartsWith(t, "Type: ")) {
      type = Trim(t.substr(6));
      typed = true;
    } else if (StartsWith(t, "Duration: ")) {
      ParseDuration(t, &duration_s, &total_s);
    }
  }
  TypeInfo info = KindOfType(type);
  if (!typed) info = {ProfileKind::kUnknown, "count"};  // decided by the first value's unit
  StringPool& pool = ctx_->out->strings;
  profile_->kind = info.kind;
  profile_->sample_types.push_back({pool.Intern(type), pool.Intern(info.unit)});
  profile_->default_sample_type = profile_->sample_types[0].type;
  profile_->duration_nanos = static_cast<int64_t>(duration_s * 1e9);
  // A CPU listing's records aggregate 10ms samples (the runtime's default
  // rate, which -traces does not print).
  if (info.kind == ProfileKind::kCpu && total_s > 0) profile_->declared_samples = static_cast<uint64_t>(total_s / 0.01 + 0.5);
  scale_ = std::string_view(info.unit) == "nanoseconds" ? 1e9 : 1;
  state_ = State::kLabels;
  return true;
}

SubParser::Feed PprofTracesParser::Next(const Line& line) {
  std::string_view t = TrimRight(line.text);
  if (IsTracesSeparator(t)) {
    incident_->last_line = line.lineno;
    state_ = State::kLabels;
    return Feed::kConsumed;
  }
  std::string_view fn, value, key;
  if (state_ == State::kFrames && CallerLine(t, &fn)) {
    ProfileSample& s = profile_->samples.back();
    if (s.location_count >= ctx_->limits.max_frames) {
      NoteLimit(&ctx_->out->limits_hit, "frames per profile sample (--max-frames)");
    } else {
      AppendFrame(profile_.get(), Function(StripInline(fn)));
    }
    incident_->last_line = line.lineno;
    return Feed::kConsumed;
  }
  if (state_ == State::kLabels && SplitValueLine(t, &value, &fn)) {
    double v = 0;
    std::string unit;
    if (ParseTopValue(value, &v, &unit)) {
      if (profile_->kind == ProfileKind::kUnknown) {
        // No header: the unit says what was measured.
        StringPool& pool = ctx_->out->strings;
        if (unit == "time") {
          profile_->kind = ProfileKind::kCpu;
          profile_->sample_types[0] = {pool.Intern("cpu"), pool.Intern("nanoseconds")};
          scale_ = 1e9;
        } else if (unit == "bytes") {
          profile_->kind = ProfileKind::kAllocs;
          profile_->sample_types[0] = {pool.Intern("alloc_space"), pool.Intern("bytes")};
        }
        profile_->default_sample_type = profile_->sample_types[0].type;
      }
      if (profile_->samples.size() >= kMaxListingSamples) {
        NoteLimit(&ctx_->out->limits_hit, "samples per pprof -traces listing (1M)");
        state_ = State::kBetween;
      } else {
        ProfileSample s;
        s.first_location = static_cast<uint32_t>(profile_->sample_locations.size());
        s.first_label = static_cast<uint32_t>(profile_->labels.size());
        s.label_count = static_cast<uint32_t>(pending_labels_.size());
        profile_->labels.insert(profile_->labels.end(), pending_labels_.begin(), pending_labels_.end());
        pending_labels_.clear();
        profile_->samples.push_back(s);
        profile_->values.push_back(static_cast<int64_t>(v * scale_ + (v >= 0 ? 0.5 : -0.5)));
        profile_->sample_lines.push_back(static_cast<uint32_t>(line.lineno));
        state_ = State::kFrames;
        AppendFrame(profile_.get(), Function(StripInline(fn)));
      }
      incident_->last_line = line.lineno;
      return Feed::kConsumed;
    }
  }
  if (state_ == State::kLabels && LabelLine(t, &key, &value)) {
    // Labels belong to the sample that follows; kept as strings.
    if (pending_labels_.size() < 64) {
      ProfileLabel l;
      l.key = ctx_->out->strings.Intern(key);
      l.str = ctx_->out->strings.Intern(value);
      pending_labels_.push_back(l);
    }
    incident_->last_line = line.lineno;
    return Feed::kConsumed;
  }
  Finish(false);
  return Feed::kDone;
}

void PprofTracesParser::Finish(bool) {
  state_ = State::kBetween;
  pending_labels_.clear();
  EmitListing(&incident_, &profile_, ctx_);
}

// --- perf report / perf top ----------------------------------------------------

void PerfReportParser::Begin(const Line& line) {
  incident_ = StartIncident(IncidentKind::kProfile, line, *ctx_);
  profile_ = std::make_unique<Profile>();
  functions_.clear();
  event_count_ = 0;
  event_.clear();
  uint64_t samples = 0;
  for (const std::string& r : ctx_->recent) {
    std::string_view t = Trim(r);
    if (StartsWith(t, "# Samples: ")) {
      samples = PerfSamples(t);
      size_t ev = t.find(" of event '");
      if (ev != std::string_view::npos) {
        std::string_view e = t.substr(ev + 11);
        event_ = std::string(e.substr(0, e.find('\'')));
      }
    } else if (StartsWith(t, "# Event count (approx.): ")) {
      event_count_ = std::strtod(std::string(t.substr(25)).c_str(), nullptr);
    }
  }
  StringPool& pool = ctx_->out->strings;
  // cpu-clock and task-clock count nanoseconds; any other event (cycles,
  // instructions) is weighed in samples, which is what the shares need.
  bool clock = StartsWith(event_, "cpu-clock") || StartsWith(event_, "task-clock");
  profile_->kind = ProfileKind::kCpu;
  if (clock && event_count_ > 0) profile_->sample_types.push_back({pool.Intern("cpu"), pool.Intern("nanoseconds")});
  else profile_->sample_types.push_back({pool.Intern("samples"), pool.Intern("count")});
  profile_->default_sample_type = profile_->sample_types[0].type;
  profile_->declared_samples = samples;
}

void PerfReportParser::AddRow(const Line& line, double pct, std::string_view symbol) {
  incident_->last_line = line.lineno;
  if (profile_->samples.size() >= kMaxListingSamples) {
    NoteLimit(&ctx_->out->limits_hit, "rows per perf listing (1M)");
    return;
  }
  // `runtime.gcDrain`, `runtime.systemstack.abi0`: Go's ABI wrapper suffix
  // is not part of the function's name.
  if (EndsWith(symbol, ".abi0")) symbol.remove_suffix(5);
  uint32_t fi = FunctionIndex(symbol, profile_.get(), &ctx_->out->strings, &functions_);
  double base = profile_->sample_types[0].unit == "nanoseconds" ? event_count_
                : profile_->declared_samples > 0 ? static_cast<double>(profile_->declared_samples)
                                                 : 10000;
  ProfileSample s;
  s.first_location = static_cast<uint32_t>(profile_->sample_locations.size());
  profile_->samples.push_back(s);
  AppendFrame(profile_.get(), fi);
  profile_->values.push_back(static_cast<int64_t>(pct / 100 * base + 0.5));
  profile_->sample_lines.push_back(static_cast<uint32_t>(line.lineno));
}

bool PerfReportParser::Start(const Line& line) {
  std::string_view t = TrimRight(line.text);
  if (IsPerfHeader(t) || StartsWith(TrimLeft(t), "PerfTop:")) {
    Begin(line);
    return true;
  }
  // A pasted listing without its header: rows alone.
  double pct;
  std::string_view sym;
  if (t.empty() || t[0] != ' ' || !ParsePerfRow(t, &pct, &sym)) return false;
  Begin(line);
  AddRow(line, pct, sym);
  return true;
}

SubParser::Feed PerfReportParser::Next(const Line& line) {
  std::string_view t = TrimRight(line.text);
  double pct;
  std::string_view sym;
  if (ParsePerfRow(t, &pct, &sym)) {
    AddRow(line, pct, sym);
    return Feed::kConsumed;
  }
  std::string_view l = TrimLeft(t);
  // Comment lines, the column rulers, perf top's dashes, blank lines and
  // the call graph under a row (`|`, `---sym`, `--12.88%--sym`, and its
  // deeply indented callers).
  if (l.empty() || l[0] == '#' || l[0] == '|' || StartsWith(l, "--") ||
      (t.size() > l.size() + 8 && !profile_->samples.empty())) {
    incident_->last_line = line.lineno;
    return Feed::kConsumed;
  }
  Finish(false);
  return Feed::kDone;
}

void PerfReportParser::Finish(bool) { EmitListing(&incident_, &profile_, ctx_); }

}  // namespace gotriage
