// profile.proto reader; see profile_proto.h.
#include "parsers/profile_proto.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <unordered_map>

#include "base/durations.h"
#include "parsers/grouping.h"
#include "parsers/pprof_debug1.h"
#include "parsers/sub_parser.h"

namespace gotriage {

const char* ProfileKindName(ProfileKind k) {
  switch (k) {
    case ProfileKind::kUnknown: return "unknown";
    case ProfileKind::kGoroutine: return "goroutine";
    case ProfileKind::kGoroutineLeak: return "goroutineleak";
    case ProfileKind::kCpu: return "cpu";
    case ProfileKind::kHeap: return "heap";
    case ProfileKind::kAllocs: return "allocs";
    case ProfileKind::kBlock: return "block";
    case ProfileKind::kMutex: return "mutex";
    case ProfileKind::kThreadCreate: return "threadcreate";
  }
  return "unknown";
}

int Profile::SampleType(std::string_view type) const {
  for (size_t i = 0; i < sample_types.size(); ++i)
    if (sample_types[i].type == type) return static_cast<int>(i);
  return -1;
}

namespace {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

// A cursor over one message's bytes. Every read checks what is left.
struct Wire {
  const unsigned char* p;
  const unsigned char* end;
  explicit Wire(std::string_view s)
      : p(reinterpret_cast<const unsigned char*>(s.data())), end(p + s.size()) {}
  bool done() const { return p >= end; }

  bool Varint(uint64_t* v) {
    uint64_t r = 0;
    for (int i = 0; i < 10; ++i) {
      if (p >= end) return false;
      unsigned char b = *p++;
      r |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
      if (!(b & 0x80)) {
        *v = r;
        return true;
      }
    }
    return false;  // more than 10 bytes
  }

  // One field: its number, wire type, and its varint value or bytes.
  bool Field(uint32_t* num, uint32_t* wt, uint64_t* v, std::string_view* bytes) {
    uint64_t tag;
    if (!Varint(&tag)) return false;
    if ((tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) return false;
    *num = static_cast<uint32_t>(tag >> 3);
    *wt = static_cast<uint32_t>(tag & 7);
    switch (*wt) {
      case kVarint: return Varint(v);
      case kFixed64:
        if (end - p < 8) return false;
        p += 8;
        return true;
      case kFixed32:
        if (end - p < 4) return false;
        p += 4;
        return true;
      case kLen: {
        uint64_t n;
        if (!Varint(&n) || n > static_cast<uint64_t>(end - p)) return false;
        *bytes = std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
        p += n;
        return true;
      }
      default: return false;  // groups (3, 4) and reserved types
    }
  }
};

// Calls \a fn(value) for a repeated integer field, packed or not.
template <typename Fn>
bool Repeated(uint32_t wt, uint64_t v, std::string_view bytes, Fn&& fn) {
  if (wt == kVarint) return fn(v);
  if (wt != kLen) return false;
  Wire w(bytes);
  while (!w.done()) {
    uint64_t x;
    if (!w.Varint(&x) || !fn(x)) return false;
  }
  return true;
}

// Parses a ValueType's (type, unit) string indices.
bool ValueTypeIdx(std::string_view msg, uint64_t* type, uint64_t* unit) {
  Wire w(msg);
  *type = *unit = 0;
  while (!w.done()) {
    uint32_t num, wt;
    uint64_t v = 0;
    std::string_view b;
    if (!w.Field(&num, &wt, &v, &b)) return false;
    if (wt != kVarint) continue;
    if (num == 1) *type = v;
    if (num == 2) *unit = v;
  }
  return true;
}

class Decoder {
 public:
  Decoder(std::string_view data, StringPool* pool, const ProfileBounds& b, Profile* out, std::string* err)
      : data_(data), pool_(pool), b_(b), out_(out), err_(err) {}

  bool Run(uint64_t* frames_cut) {
    if (data_.size() > b_.max_bytes) return Fail("profile larger than " + std::to_string(b_.max_bytes >> 20) + " MiB");
    std::vector<std::string_view> sample_types, samples, locations, functions;
    std::string_view period_type;
    bool has_period_type = false;
    std::vector<uint64_t> comments;
    uint64_t default_type = 0;
    Wire w(data_);
    while (!w.done()) {
      uint32_t num, wt;
      uint64_t v = 0;
      std::string_view m;
      if (!w.Field(&num, &wt, &v, &m)) return Fail("malformed protobuf at byte " + Offset(w));
      auto want = [&](WireType t) { return wt == t; };
      switch (num) {
        case 1:
          if (!want(kLen)) return BadType("sample_type");
          if (sample_types.size() >= b_.max_sample_types) return Fail("too many sample types");
          sample_types.push_back(m);
          break;
        case 2:
          if (!want(kLen)) return BadType("sample");
          if (samples.size() >= b_.max_samples) return Fail("more than " + std::to_string(b_.max_samples) + " samples");
          samples.push_back(m);
          break;
        case 4:
          if (!want(kLen)) return BadType("location");
          if (locations.size() >= b_.max_locations) return Fail("too many locations");
          locations.push_back(m);
          break;
        case 5:
          if (!want(kLen)) return BadType("function");
          if (functions.size() >= b_.max_functions) return Fail("too many functions");
          functions.push_back(m);
          break;
        case 6:
          if (!want(kLen)) return BadType("string_table");
          if (strings_.size() >= b_.max_strings) return Fail("too many strings");
          strings_.push_back(m);
          break;
        case 9: if (want(kVarint)) out_->time_nanos = static_cast<int64_t>(v); break;
        case 10: if (want(kVarint)) out_->duration_nanos = static_cast<int64_t>(v); break;
        case 11:
          if (!want(kLen)) return BadType("period_type");
          period_type = m;
          has_period_type = true;
          break;
        case 12: if (want(kVarint)) out_->period = static_cast<int64_t>(v); break;
        case 13:
          if (!Repeated(wt, v, m, [&](uint64_t x) {
                if (comments.size() >= 64) return true;
                comments.push_back(x);
                return true;
              }))
            return BadType("comment");
          break;
        case 14: if (want(kVarint)) default_type = v; break;
        default: break;  // mapping, drop/keep frames, fields of newer schemas
      }
    }
    if (strings_.empty() || !strings_[0].empty()) return Fail("string table missing or its first string is not empty");

    for (std::string_view m : sample_types) {
      uint64_t t, u;
      if (!ValueTypeIdx(m, &t, &u)) return Fail("malformed sample_type");
      ProfileValueType vt;
      if (!Str(t, &vt.type) || !Str(u, &vt.unit)) return false;
      out_->sample_types.push_back(vt);
    }
    if (has_period_type) {
      uint64_t t, u;
      if (!ValueTypeIdx(period_type, &t, &u)) return Fail("malformed period_type");
      if (!Str(t, &out_->period_type.type) || !Str(u, &out_->period_type.unit)) return false;
    }
    for (uint64_t c : comments) {
      std::string_view s;
      if (!Str(c, &s)) return false;
      out_->comments.push_back(s);
    }
    if (!Str(default_type, &out_->default_sample_type)) return false;

    if (!Functions(functions) || !Locations(locations) || !Samples(samples, frames_cut)) return false;
    out_->kind = Kind();
    return true;
  }

 private:
  bool Fail(std::string msg) {
    *err_ = std::move(msg);
    return false;
  }
  bool BadType(const char* field) { return Fail(std::string("field ") + field + " has the wrong wire type"); }
  std::string Offset(const Wire& w) const {
    return std::to_string(reinterpret_cast<const char*>(w.p) - data_.data());
  }
  // The string at \a idx of the string table, interned.
  bool Str(uint64_t idx, std::string_view* s) {
    if (idx >= strings_.size()) return Fail("string index " + std::to_string(idx) + " out of range");
    *s = idx == 0 ? std::string_view() : pool_->Intern(strings_[idx]);
    return true;
  }

  bool Functions(const std::vector<std::string_view>& msgs) {
    out_->functions.reserve(msgs.size());
    func_ids_.reserve(msgs.size());
    for (std::string_view m : msgs) {
      Wire w(m);
      uint64_t id = 0, name = 0, sys = 0, file = 0;
      int64_t start = 0;
      while (!w.done()) {
        uint32_t num, wt;
        uint64_t v = 0;
        std::string_view b;
        if (!w.Field(&num, &wt, &v, &b)) return Fail("malformed function");
        if (wt != kVarint) continue;
        if (num == 1) id = v;
        else if (num == 2) name = v;
        else if (num == 3) sys = v;
        else if (num == 4) file = v;
        else if (num == 5) start = static_cast<int64_t>(v);
      }
      if (id == 0) return Fail("function without an id");
      ProfileFunction f;
      if (!Str(name ? name : sys, &f.name) || !Str(file, &f.file)) return false;
      f.start_line = start;
      if (!func_ids_.emplace(id, static_cast<uint32_t>(out_->functions.size())).second)
        return Fail("duplicate function id " + std::to_string(id));
      out_->functions.push_back(f);
    }
    return true;
  }

  bool Locations(const std::vector<std::string_view>& msgs) {
    out_->locations.reserve(msgs.size());
    loc_ids_.reserve(msgs.size());
    for (std::string_view m : msgs) {
      Wire w(m);
      uint64_t id = 0;
      ProfileLocation loc;
      loc.first_line = static_cast<uint32_t>(out_->lines.size());
      while (!w.done()) {
        uint32_t num, wt;
        uint64_t v = 0;
        std::string_view b;
        if (!w.Field(&num, &wt, &v, &b)) return Fail("malformed location");
        if (num == 1 && wt == kVarint) id = v;
        else if (num == 3 && wt == kVarint) loc.address = v;
        else if (num == 4 && wt == kLen) {
          if (out_->lines.size() >= b_.max_lines) return Fail("too many location lines");
          Wire lw(b);
          uint64_t fid = 0;
          int64_t line = 0;
          while (!lw.done()) {
            uint32_t n2, w2;
            uint64_t v2 = 0;
            std::string_view b2;
            if (!lw.Field(&n2, &w2, &v2, &b2)) return Fail("malformed location line");
            if (w2 != kVarint) continue;
            if (n2 == 1) fid = v2;
            else if (n2 == 2) line = static_cast<int64_t>(v2);
          }
          auto it = func_ids_.find(fid);
          if (it == func_ids_.end()) return Fail("location refers to unknown function " + std::to_string(fid));
          out_->lines.push_back({it->second, line});
          ++loc.line_count;
        }
      }
      if (id == 0) return Fail("location without an id");
      if (loc.line_count == 0) {
        // No symbols (a stripped binary): the address stands for the frame.
        if (out_->lines.size() >= b_.max_lines) return Fail("too many location lines");
        char hex[24];
        std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(loc.address));
        ProfileFunction f;
        f.name = pool_->Intern(hex);
        out_->lines.push_back({static_cast<uint32_t>(out_->functions.size()), 0});
        out_->functions.push_back(f);
        loc.line_count = 1;
      }
      if (!loc_ids_.emplace(id, static_cast<uint32_t>(out_->locations.size())).second)
        return Fail("duplicate location id " + std::to_string(id));
      out_->locations.push_back(loc);
    }
    return true;
  }

  bool Samples(const std::vector<std::string_view>& msgs, uint64_t* frames_cut) {
    size_t nt = out_->sample_types.size();
    out_->samples.reserve(msgs.size());
    out_->values.reserve(std::min(msgs.size() * nt, b_.max_values));
    bool failed = false, too_many = false;
    for (std::string_view m : msgs) {
      Wire w(m);
      ProfileSample s;
      s.first_location = static_cast<uint32_t>(out_->sample_locations.size());
      s.first_label = static_cast<uint32_t>(out_->labels.size());
      size_t values = 0;
      bool cut = false;
      while (!w.done()) {
        uint32_t num, wt;
        uint64_t v = 0;
        std::string_view b;
        if (!w.Field(&num, &wt, &v, &b)) return Fail("malformed sample");
        if (num == 1) {
          if (!Repeated(wt, v, b, [&](uint64_t id) {
                auto it = loc_ids_.find(id);
                if (it == loc_ids_.end()) {
                  failed = true;
                  return false;
                }
                if (s.location_count >= b_.max_frames) {
                  cut = true;
                  return true;
                }
                if (out_->sample_locations.size() >= b_.max_sample_locations) {
                  too_many = true;
                  return false;
                }
                out_->sample_locations.push_back(it->second);
                ++s.location_count;
                return true;
              }))
            return Fail(failed     ? "sample refers to an unknown location"
                        : too_many ? "more than " + std::to_string(b_.max_sample_locations) + " sample locations"
                                   : "malformed sample locations");
        } else if (num == 2) {
          if (!Repeated(wt, v, b, [&](uint64_t x) {
                if (++values > nt || out_->values.size() >= b_.max_values) return false;
                out_->values.push_back(static_cast<int64_t>(x));
                return true;
              }))
            return Fail("sample has more values than sample types, or malformed values");
        } else if (num == 3 && wt == kLen) {
          if (out_->labels.size() >= b_.max_labels) return Fail("too many labels");
          Wire lw(b);
          uint64_t key = 0, str = 0, unit = 0;
          int64_t n = 0;
          while (!lw.done()) {
            uint32_t n2, w2;
            uint64_t v2 = 0;
            std::string_view b2;
            if (!lw.Field(&n2, &w2, &v2, &b2)) return Fail("malformed label");
            if (w2 != kVarint) continue;
            if (n2 == 1) key = v2;
            else if (n2 == 2) str = v2;
            else if (n2 == 3) n = static_cast<int64_t>(v2);
            else if (n2 == 4) unit = v2;
          }
          ProfileLabel l;
          if (!Str(key, &l.key) || !Str(str, &l.str) || !Str(unit, &l.num_unit)) return false;
          l.num = n;
          out_->labels.push_back(l);
          ++s.label_count;
        }
      }
      if (values != nt) return Fail("sample has " + std::to_string(values) + " values for " + std::to_string(nt) + " sample types");
      if (cut && frames_cut) ++*frames_cut;
      out_->samples.push_back(s);
    }
    return true;
  }

  ProfileKind Kind() const {
    const Profile& p = *out_;
    if (p.sample_types.empty()) return ProfileKind::kUnknown;
    std::string_view t0 = p.sample_types[0].type;
    if (t0 == "goroutine") return ProfileKind::kGoroutine;
    if (t0 == "goroutineleak") return ProfileKind::kGoroutineLeak;
    if (t0 == "threadcreate") return ProfileKind::kThreadCreate;
    if (p.SampleType("cpu") >= 0 || (t0 == "samples" && p.period_type.type == "cpu")) return ProfileKind::kCpu;
    if (p.SampleType("alloc_objects") >= 0 || p.SampleType("inuse_space") >= 0)
      return p.default_sample_type == "alloc_space" || p.default_sample_type == "alloc_objects" ? ProfileKind::kAllocs
                                                                                                 : ProfileKind::kHeap;
    if (t0 == "contentions") return ProfileKind::kBlock;  // block and mutex profiles look alike
    return ProfileKind::kUnknown;
  }

  std::string_view data_;
  StringPool* pool_;
  const ProfileBounds& b_;
  Profile* out_;
  std::string* err_;
  std::vector<std::string_view> strings_;  // into data_
  std::unordered_map<uint64_t, uint32_t> func_ids_, loc_ids_;
};

// `{"key":"value", "n":3}` as debug=1 prints labels (numeric ones too).
std::string LabelText(const Profile& p, const ProfileSample& s) {
  if (s.label_count == 0) return "";
  std::string out = "{";
  for (uint32_t i = 0; i < s.label_count && out.size() < 4096; ++i) {
    const ProfileLabel& l = p.labels[s.first_label + i];
    if (i) out += ", ";
    out += '"';
    out += l.key;
    out += "\":";
    if (!l.str.empty() || (l.num_unit.empty() && l.num == 0)) {
      out += '"';
      out += l.str;
      out += '"';
    } else {
      out += std::to_string(l.num);
      if (!l.num_unit.empty()) {
        out += ' ';
        out += l.num_unit;
      }
    }
  }
  out += '}';
  return out;
}

std::string Human(double v, std::string_view unit) {
  char b[48];
  if (unit == "bytes") {
    if (v >= 1 << 30) std::snprintf(b, sizeof b, "%.2f GB", v / (1 << 30));
    else if (v >= 1 << 20) std::snprintf(b, sizeof b, "%.2f MB", v / (1 << 20));
    else if (v >= 1 << 10) std::snprintf(b, sizeof b, "%.2f kB", v / (1 << 10));
    else std::snprintf(b, sizeof b, "%.0f B", v);
  } else if (unit == "nanoseconds") {
    return FormatNanosAsSeconds(v);
  } else {
    std::snprintf(b, sizeof b, "%.0f", v);
  }
  return b;
}

// Goroutine groups from a goroutine or goroutineleak profile, as the debug=1
// parser makes them.
void EmitGoroutines(const Profile& p, ParseContext* ctx, uint64_t frames_cut, size_t first_line, size_t last_line) {
  Incident inc;
  inc.kind = IncidentKind::kPprofDebug1;
  inc.source = ctx->source;
  inc.pod = ctx->pod;
  inc.sample_positions = p.sample_lines.empty();
  inc.first_line = first_line;
  inc.last_line = last_line;
  GroupBuilder groups(&ctx->out->strings, &ctx->limits, &ctx->out->limits_hit);
  PendingGoroutine g;
  std::vector<std::string_view> top;
  bool leak = p.kind == ProfileKind::kGoroutineLeak;
  uint64_t total = 0;
  for (size_t i = 0; i < p.samples.size(); ++i) {
    int64_t count = p.Value(i, 0);
    if (count <= 0) continue;
    top.clear();
    p.ForEachFrame(i, [&](const ProfileFunction& f, int64_t) {
      top.push_back(f.name);
      return top.size() < 6;
    });
    g.Reset();
    std::string_view state = ctx->out->strings.Intern(InferWaitState(top));
    g.SetState(state);
    g.state = state;
    g.count = static_cast<uint64_t>(count);
    g.header_line = p.Position(i);
    g.leaked = leak;
    g.labels = LabelText(p, p.samples[i]);
    p.ForEachFrame(i, [&](const ProfileFunction& f, int64_t line) {
      g.AddFunc(f.name, "", false, p.Position(i));
      g.AddFile(f.file, static_cast<int>(line), 0, false);
      return true;
    });
    groups.Add(g);
    total += static_cast<uint64_t>(count);
  }
  if (frames_cut) NoteLimit(&ctx->out->limits_hit, "frames per goroutine (--max-frames)", frames_cut);
  inc.groups = groups.Take();
  inc.goroutine_count = total;
  inc.declared_total = total;
  inc.headline = std::string(leak ? "goroutineleak" : "goroutine") + " profile: total " + std::to_string(total) +
                 (p.sample_lines.empty() ? " (protobuf)" : " (pprof -traces)");
  ctx->emit(std::move(inc));
}

void EmitSamples(Profile&& p, ParseContext* ctx, size_t first_line, size_t last_line) {
  Incident inc;
  inc.kind = IncidentKind::kProfile;
  inc.source = ctx->source;
  inc.pod = ctx->pod;
  inc.sample_positions = p.sample_lines.empty();
  inc.first_line = first_line;
  inc.last_line = last_line;
  std::string h = std::string(ProfileKindName(p.kind)) + " profile: " + std::to_string(p.samples.size()) + " samples";
  // The total of the most telling value.
  int t = p.kind == ProfileKind::kCpu ? p.SampleType("cpu")
          : p.kind == ProfileKind::kAllocs ? p.SampleType("alloc_space")
          : p.kind == ProfileKind::kHeap ? p.SampleType("inuse_space")
                                         : (p.sample_types.empty() ? -1 : static_cast<int>(p.sample_types.size()) - 1);
  if (t >= 0) {
    double sum = 0;
    for (size_t i = 0; i < p.samples.size(); ++i) sum += static_cast<double>(p.Value(i, static_cast<size_t>(t)));
    h += ", " + Human(sum, p.sample_types[static_cast<size_t>(t)].unit) + " " +
         std::string(p.sample_types[static_cast<size_t>(t)].type);
  }
  if (p.duration_nanos > 0) h += " over " + Human(static_cast<double>(p.duration_nanos), "nanoseconds");
  inc.headline = h;
  inc.profile = std::make_shared<const Profile>(std::move(p));
  ctx->emit(std::move(inc));
}

}  // namespace

bool LooksLikeProfileProto(std::string_view head) {
  // Every field in the head must be a Profile field of the right wire type,
  // and the first message field a ValueType (sample_type, 1, which
  // generated marshalers write first, or period_type, 11, which the Go
  // runtime writes first) or the string table's empty first string.
  // Scalars (time_nanos, 9, is the runtime's first field in a CPU profile)
  // may come before it.
  Wire w(head);
  bool anchored = false;  // a ValueType or the empty string was seen
  for (int field = 0; !w.done() && field < 16; ++field) {
    uint64_t tag;
    if (!w.Varint(&tag)) return anchored;
    uint64_t num = tag >> 3, wt = tag & 7;
    bool len_field = num <= 6 || num == 11 || num == 13;
    bool varint_field = (num >= 7 && num <= 10) || num == 12 || num == 13 || num == 14;
    if (num == 0 || num > 14 || (wt == kLen ? !len_field : wt == kVarint ? !varint_field : true)) return false;
    uint64_t n;
    if (!w.Varint(&n)) return anchored;
    if (wt == kVarint) continue;
    if (num == 6 && n == 0 && !anchored) {
      anchored = true;
      continue;
    }
    if (!anchored && num != 1 && num != 11) return false;
    if (num == 1 || num == 11) {
      if (n < 2 || n > 30 || n > static_cast<uint64_t>(w.end - w.p)) return false;
      Wire vt(std::string_view(reinterpret_cast<const char*>(w.p), static_cast<size_t>(n)));
      while (!vt.done()) {
        uint64_t t, v;
        if (!vt.Varint(&t) || (t != 0x08 && t != 0x10) || !vt.Varint(&v)) return false;
      }
      anchored = true;
    }
    if (n > static_cast<uint64_t>(w.end - w.p)) return anchored;  // runs past the head
    w.p += n;
  }
  return anchored;
}

bool DecodeProfile(std::string_view data, StringPool* pool, const ProfileBounds& bounds, Profile* out,
                   std::string* err, uint64_t* frames_cut) {
  Decoder d(data, pool, bounds, out, err);
  return d.Run(frames_cut);
}

bool ReadProfileProto(std::string_view data, ParseContext* ctx, std::string* err) {
  ProfileBounds b;
  b.max_frames = ctx->limits.max_frames;
  Profile p;
  uint64_t cut = 0;
  if (!DecodeProfile(data, &ctx->out->strings, b, &p, err, &cut)) return false;
  size_t first = p.samples.empty() ? 0 : 1, last = p.samples.size();
  EmitProfile(std::move(p), ctx, cut, first, last);
  return true;
}

void EmitProfile(Profile&& p, ParseContext* ctx, uint64_t frames_cut, size_t first_line, size_t last_line) {
  if (p.kind == ProfileKind::kGoroutine || p.kind == ProfileKind::kGoroutineLeak) {
    EmitGoroutines(p, ctx, frames_cut, first_line, last_line);
    return;
  }
  if (frames_cut) NoteLimit(&ctx->out->limits_hit, "frames per profile sample (--max-frames)", frames_cut);
  EmitSamples(std::move(p), ctx, first_line, last_line);
}

}  // namespace gotriage
