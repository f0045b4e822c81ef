// gctrace and heap profile text; see profile_text.h.
#include "parsers/profile_text.h"

#include <re2/re2.h>

#include <charconv>
#include <cstdio>
#include <system_error>

#include "parsers/grammar.h"
#include "parsers/grouping.h"

namespace gotriage {

namespace {

bool IsGcLine(std::string_view t) {
  size_t d = StartsWith(t, "gc #") ? 4 : 3;  // Go 1.5-dev: `gc #3`
  return t.size() > d + 1 && StartsWith(t, "gc ") && t[d] >= '0' && t[d] <= '9';
}

// Lines the runtime prints among gctrace lines.
bool IsGcNoise(std::string_view t) {
  return StartsWith(t, "scvg") || StartsWith(t, "GC forced") || StartsWith(t, "pacer:") ||
         StartsWith(t, "gc done") || StartsWith(t, "gcBgMarkWorker");
}

// `N: B [N: B] @ 0x...`: inuse objects and bytes, alloc objects and bytes.
bool ParseHeapRecord(std::string_view t, int64_t v[4]) {
  static const RE2 kRec(R"(^(\d+): (\d+) \[(\d+): (\d+)\] @)");
  return RE2::PartialMatch(t, kRec, &v[0], &v[1], &v[2], &v[3]);
}

}  // namespace

bool ParseGcTraceLine(std::string_view t, GcCycle* c) {
  if (!IsGcLine(t)) return false;
  // gc 3 @0.182s 10%: 5.4+68+0.20 ms clock, 10+0.41/20/13+0.41 ms cpu, 16->18->14 MB, 18 MB goal, ... 2 P
  // Go 1.5 and 1.6 print five phases (sweep termination, scan, synchronize
  // Ps, mark, mark termination): `0.036+0.32+0.083+0.011+0.19 ms clock,
  // 0.14+0.32+0+0.059/0.19/0.20+0.79 ms cpu`; Go 1.5's development tree
  // wrote `gc #3` (golang/go#10898). The phases are summed; the CPU part
  // with slashes is mark's assist/background/idle split in every form.
  static const RE2 kLine(
      R"(^gc #?(\d+) @([\d.]+)s (\d+)%: ([\d.+]+) ms clock, ([\d.+/]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal)");
  re2::StringPiece clock_piece, cpu_piece;
  if (!RE2::PartialMatch(t, kLine, &c->number, &c->at_seconds, &c->cpu_percent, &clock_piece, &cpu_piece,
                         &c->heap_start_mb, &c->heap_end_mb, &c->heap_live_mb, &c->heap_goal_mb))
    return false;
  std::string_view clock(clock_piece.data(), clock_piece.size()), cpu(cpu_piece.data(), cpu_piece.size());
  auto number = [](std::string_view v, double* out) {
    return !v.empty() && std::from_chars(v.data(), v.data() + v.size(), *out).ec == std::errc();
  };
  c->clock_ms = 0;
  size_t phases = 0;
  for (std::string_view rest = clock; !rest.empty(); ++phases) {
    size_t plus = rest.find('+');
    double v;
    if (!number(rest.substr(0, plus), &v)) return false;
    c->clock_ms += v;
    rest = plus == std::string_view::npos ? std::string_view() : rest.substr(plus + 1);
  }
  if (phases != 3 && phases != 5) return false;
  bool mark = false;
  for (std::string_view rest = cpu; !rest.empty();) {
    size_t plus = rest.find('+');
    std::string_view part = rest.substr(0, plus);
    rest = plus == std::string_view::npos ? std::string_view() : rest.substr(plus + 1);
    size_t a = part.find('/');
    if (a == std::string_view::npos) continue;
    size_t b = part.find('/', a + 1);
    if (b == std::string_view::npos || !number(part.substr(0, a), &c->assist_cpu_ms) ||
        !number(part.substr(a + 1, b - a - 1), &c->background_cpu_ms) ||
        !number(part.substr(b + 1), &c->idle_cpu_ms))
      return false;
    mark = true;
  }
  if (!mark) return false;
  static const RE2 kProcs(R"(, (\d+) P)");
  RE2::PartialMatch(t, kProcs, &c->procs);
  c->forced = t.find("(forced)") != std::string_view::npos;
  return true;
}

bool GcTraceParser::Start(const Line& line) {
  GcCycle c;
  if (!ParseGcTraceLine(TrimRight(line.text), &c)) return false;
  incident_ = StartIncident(IncidentKind::kGcTrace, line, *ctx_);
  trace_ = std::make_shared<GcTrace>();
  c.input_line = line.lineno;
  Add(c);
  return true;
}

void GcTraceParser::Add(const GcCycle& c) {
  ++trace_->cycles_seen;
  if (trace_->cycles.size() < GcTrace::kMaxCycles) trace_->cycles.push_back(c);
  else NoteLimit(&ctx_->out->limits_hit, "gctrace cycles kept per run of lines", 1);
}

SubParser::Feed GcTraceParser::Next(const Line& line) {
  std::string_view t = TrimRight(line.text);
  GcCycle c;
  if (ParseGcTraceLine(t, &c)) {
    c.input_line = line.lineno;
    Add(c);
    incident_->last_line = line.lineno;
    return Feed::kConsumed;
  }
  if (IsGcNoise(t)) {
    incident_->last_line = line.lineno;
    return Feed::kConsumed;
  }
  Finish(false);
  return Feed::kDone;
}

void GcTraceParser::Finish(bool) {
  if (!incident_) return;
  const GcCycle& last = trace_->cycles.back();
  char b[160];
  std::snprintf(b, sizeof b, "gctrace: %llu GC cycles, last gc %lld @%.3fs %d%%",
                static_cast<unsigned long long>(trace_->cycles_seen), static_cast<long long>(last.number),
                last.at_seconds, last.cpu_percent);
  incident_->headline = b;
  incident_->gctrace = std::move(trace_);
  ctx_->emit(std::move(*incident_));
  incident_.reset();
}

bool HeapTextParser::Start(const Line& line) {
  std::string_view t = TrimRight(line.text);
  if (!StartsWith(t, "heap profile: ")) return false;
  int64_t v[4];
  if (!ParseHeapRecord(t.substr(14), v)) return false;
  incident_ = StartIncident(IncidentKind::kProfile, line, *ctx_);
  profile_ = std::make_unique<Profile>();
  profile_->kind = ProfileKind::kHeap;
  StringPool& pool = ctx_->out->strings;
  for (const char* n : {"alloc_objects", "alloc_space", "inuse_objects", "inuse_space"})
    profile_->sample_types.push_back({pool.Intern(n), pool.Intern(StartsWith(n, "alloc_s") || StartsWith(n, "inuse_s") ? "bytes" : "count")});
  profile_->default_sample_type = pool.Intern("inuse_space");
  functions_.clear();
  locations_.clear();
  in_record_ = false;
  memstats_ = false;
  return true;
}

uint32_t HeapTextParser::FunctionIndex(std::string_view name, std::string_view file) {
  std::string key = std::string(name) + '\x1f' + std::string(file);
  auto it = functions_.find(key);
  if (it != functions_.end()) return it->second;
  ProfileFunction f;
  f.name = ctx_->out->strings.Intern(name);
  f.file = ctx_->out->strings.Intern(file);
  uint32_t idx = static_cast<uint32_t>(profile_->functions.size());
  profile_->functions.push_back(f);
  functions_.emplace(ctx_->out->strings.Intern(key), idx);
  return idx;
}

SubParser::Feed HeapTextParser::Next(const Line& line) {
  std::string_view t = TrimRight(line.text);
  incident_->last_line = line.lineno;
  if (t.empty()) {
    in_record_ = false;
    return Feed::kConsumed;
  }
  if (memstats_) {
    if (t[0] == '#') return Feed::kConsumed;
    Finish(false);
    return Feed::kDone;
  }
  int64_t v[4];
  if (ParseHeapRecord(t, v)) {
    if (profile_->samples.size() >= (1u << 20)) {
      NoteLimit(&ctx_->out->limits_hit, "heap profile records (1M)");
      in_record_ = false;
      return Feed::kConsumed;
    }
    ProfileSample s;
    s.first_location = static_cast<uint32_t>(profile_->sample_locations.size());
    profile_->samples.push_back(s);
    // In profile.proto order: alloc_objects, alloc_space, inuse_objects, inuse_space.
    for (int k : {2, 3, 0, 1}) profile_->values.push_back(v[k]);
    in_record_ = true;
    return Feed::kConsumed;
  }
  if (StartsWith(t, "# runtime.MemStats")) {
    memstats_ = true;
    in_record_ = false;
    return Feed::kConsumed;
  }
  if (in_record_ && StartsWith(t, "#\t0x")) {
    // `#\t0x4e36f9\tmain.getLocalAddresses+0x139\t/path/main.go:53`
    std::string_view rest = TrimLeft(t.substr(1));
    size_t sp = rest.find_first_of(" \t");
    if (sp == std::string_view::npos) return Feed::kConsumed;
    rest = TrimLeft(rest.substr(sp));
    sp = rest.find_first_of(" \t");
    std::string_view fn = rest.substr(0, sp);
    std::string_view where = sp == std::string_view::npos ? std::string_view() : Trim(rest.substr(sp));
    if (size_t plus = fn.rfind("+0x"); plus != std::string_view::npos) fn = fn.substr(0, plus);
    FileLine fl;
    if (!ParseFileLine(where, &fl)) fl = FileLine{};
    ProfileSample& s = profile_->samples.back();
    if (s.location_count >= ctx_->limits.max_frames) {
      NoteLimit(&ctx_->out->limits_hit, "frames per profile sample (--max-frames)");
      return Feed::kConsumed;
    }
    std::string key = std::string(fn) + '\x1f' + std::string(fl.file) + ':' + std::to_string(fl.line);
    uint32_t loc;
    if (auto it = locations_.find(key); it != locations_.end()) {
      loc = it->second;
    } else {
      ProfileLocation l;
      l.first_line = static_cast<uint32_t>(profile_->lines.size());
      l.line_count = 1;
      profile_->lines.push_back({FunctionIndex(fn, fl.file), fl.line});
      loc = static_cast<uint32_t>(profile_->locations.size());
      profile_->locations.push_back(l);
      locations_.emplace(ctx_->out->strings.Intern(key), loc);
    }
    profile_->sample_locations.push_back(loc);
    ++s.location_count;
    return Feed::kConsumed;
  }
  if (t[0] == '#') {
    ctx_->Unplaced(line.lineno);
    return Feed::kConsumed;
  }
  Finish(false);
  return Feed::kDone;
}

void HeapTextParser::Finish(bool) {
  if (!incident_) return;
  double inuse = 0, alloc_objects = 0;
  for (size_t i = 0; i < profile_->samples.size(); ++i) {
    inuse += static_cast<double>(profile_->Value(i, 3));
    alloc_objects += static_cast<double>(profile_->Value(i, 0));
  }
  char b[160];
  std::snprintf(b, sizeof b, "heap profile (text): %zu records, %.2f MB in use, %.0f objects allocated (sampled)",
                profile_->samples.size(), inuse / (1 << 20), alloc_objects);
  incident_->headline = b;
  incident_->profile = std::shared_ptr<const Profile>(std::move(profile_));
  ctx_->emit(std::move(*incident_));
  incident_.reset();
  in_record_ = false;
}

}  // namespace gotriage
