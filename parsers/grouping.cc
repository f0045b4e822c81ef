// Grouping of goroutines by identical stack.
#include "parsers/grouping.h"

#include <algorithm>
#include <cstring>

#include "parsers/grammar.h"

#include <xxhash.h>
#if defined(__x86_64__) || defined(_M_X64)
#include <xxh_x86dispatch.h>
#endif

namespace gotriage {

namespace {

constexpr char kFieldSep = '\x1f';
constexpr char kFrameSep = '\x1e';

}  // namespace

uint64_t HashBytes(std::string_view s) {
  // XXH3 through xxHash's x86 dispatcher, which picks the AVX2 or AVX-512
  // code path at run time: about 3x faster on 1 KiB stack keys than the
  // SSE2 path a portable build would compile in.
  return XXH3_64bits(s.data(), s.size());
}

void NoteLimit(std::vector<LimitNote>* notes, std::string_view what, uint64_t n) {
  if (!notes) return;
  for (auto& note : *notes) {
    if (note.what == what) {
      note.count += n;
      return;
    }
  }
  notes->push_back({std::string(what), n});
}

void PendingGoroutine::Reset() {
  key_.clear();
  args_.clear();
  frames_.clear();
  has_created_by_ = false;
  created_by_ = RawFrame();
  created_parent_ = -1;
  frames_limit_hit_ = 0;
  id = -1;
  state = {};
  wait_minutes = -1;
  locked_to_thread = leaked = durable = scan = false;
  stack_unavailable = frames_elided = truncated = false;
  elided_count = 0;
  count = 1;
  header_line = 0;
  labels.clear();
  label_form = LabelForm::kNone;
  labels_hash = 0;
  ancestors.clear();
}

// Not inlined: GCC would turn a memcpy of a size it can bound into `rep movs`.
__attribute__((noinline)) void ByteBuf::CopyLong(char* d, const char* s, size_t n) {
  std::memcpy(d, s, n);
}

void ByteBuf::Grow(size_t more) {
  size_t cap = std::max<size_t>({cap_ * 2, size_ + more, 256});
  std::unique_ptr<char[]> d(new char[cap]);
  if (size_) std::memcpy(d.get(), data_.get(), size_);
  data_ = std::move(d);
  cap_ = cap;
}

void PendingGoroutine::SetState(std::string_view s) {
  key_.clear();
  key_.Append(s, kFrameSep);
}

void PendingGoroutine::AppendFileKey(std::string_view file, int line) {
  key_.Append(file);
  // `:LINE` and the separator in one append.
  char buf[24];
  char* e = buf + sizeof buf;
  char* p = e;
  *--p = kFrameSep;
  unsigned v = static_cast<unsigned>(line);  // at most 9 digits, never negative
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  *--p = ':';
  key_.Append(std::string_view(p, static_cast<size_t>(e - p)));
}

void PendingGoroutine::AddFunc(std::string_view function, std::string_view args, bool inlined,
                               size_t lineno) {
  if (args.size() > 4096) args = args.substr(0, 4096);
  // Built in place: copying the struct in made GCC emit `rep movsq`.
  RawFrame& f = frames_.emplace_back();
  f.func_off = static_cast<uint32_t>(key_.size());
  f.func_len = static_cast<uint32_t>(function.size());
  f.args_off = static_cast<uint32_t>(args_.size());
  f.args_len = static_cast<uint32_t>(args.size());
  f.inlined = inlined;
  f.input_line = lineno;
  key_.Append(function, kFieldSep);
  args_.Append(args);
}

bool PendingGoroutine::AddFile(std::string_view file, int line, uint64_t offset, bool has_offset) {
  if (frames_.empty() || frames_.back().has_file) return false;
  RawFrame& f = frames_.back();
  f.file_off = static_cast<uint32_t>(key_.size());
  f.file_len = static_cast<uint32_t>(file.size());
  AppendFileKey(file, line);
  f.line = line;
  f.offset = offset;
  f.has_offset = has_offset;
  f.has_file = true;
  return true;
}

bool PendingGoroutine::AddFile(const FastFile& fl) {
  if (!FastFileCanonical(fl)) {
    FileLine v = FastFileValues(fl);
    return AddFile(v.file, v.line, v.offset, v.has_offset);
  }
  if (frames_.empty() || frames_.back().has_file) return false;
  RawFrame& f = frames_.back();
  f.file_off = static_cast<uint32_t>(key_.size());
  f.file_len = static_cast<uint32_t>(fl.file_len);
  key_.Append(fl.key, kFrameSep);
  f.lazy = true;
  f.has_offset = !fl.hex.empty();
  f.hex_off = static_cast<uint32_t>(args_.size());
  f.hex_len = static_cast<uint8_t>(fl.hex.size());
  args_.Append(fl.hex);
  f.has_file = true;
  return true;
}

int PendingGoroutine::Line(const RawFrame& r) const {
  if (!r.lazy) return r.line;
  // The digits between `FILE:` and the frame separator.
  std::string_view digits = key_.view().substr(r.file_off + r.file_len + 1);
  int64_t v = 0;
  ParseInt(digits.substr(0, digits.find(kFrameSep)), &v);
  return static_cast<int>(v);
}

uint64_t PendingGoroutine::Offset(const RawFrame& r) const {
  if (!r.lazy) return r.offset;
  uint64_t v = 0;
  ParseHex(args_.view().substr(r.hex_off, r.hex_len), &v);
  return v;
}

void PendingGoroutine::SetCreatedBy(std::string_view function, int64_t parent, size_t lineno) {
  has_created_by_ = true;
  created_parent_ = parent;
  created_by_ = RawFrame();
  created_by_.func_off = static_cast<uint32_t>(key_.size());
  created_by_.func_len = static_cast<uint32_t>(function.size());
  created_by_.input_line = lineno;
  key_.Append("created by ");
  created_by_.func_off += 11;
  key_.Append(function, kFieldSep);
}

bool PendingGoroutine::AddCreatedByFile(std::string_view file, int line, uint64_t offset,
                                        bool has_offset) {
  if (!has_created_by_ || created_by_.has_file) return false;
  created_by_.file_off = static_cast<uint32_t>(key_.size());
  created_by_.file_len = static_cast<uint32_t>(file.size());
  AppendFileKey(file, line);
  created_by_.line = line;
  created_by_.offset = offset;
  created_by_.has_offset = has_offset;
  created_by_.has_file = true;
  return true;
}

Goroutine PendingGoroutine::Materialize(StringPool* pool, const Goroutine* like) const {
  Goroutine g;
  g.id = id;
  g.state = state;
  g.wait = ClassifyWaitState(state);
  g.wait_minutes = wait_minutes;
  g.locked_to_thread = locked_to_thread;
  g.leaked = leaked;
  g.durable = durable;
  g.scan = scan;
  g.stack_unavailable = stack_unavailable;
  g.frames_elided = frames_elided;
  g.elided_count = elided_count;
  g.truncated = truncated;
  g.count = count;
  g.header_line = header_line;
  if (!labels.empty()) ParseLabelList(labels, label_form, &g.labels, 64, 4096, &g.labels_cut);
  g.ancestors = ancestors;
  if (like && like->frames.size() == frames_.size()) {
    // Same stack as an earlier sample: reuse its interned names and take
    // only what differs per goroutine.
    g.frames = like->frames;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const RawFrame& r = frames_[i];
      Frame& f = g.frames[i];
      f.args.assign(args_.view().substr(r.args_off, r.args_len));
      f.input_line = r.input_line;
      f.pc_offset = Offset(r);
      f.has_offset = r.has_offset;
      f.inlined = r.inlined;
    }
    if (has_created_by_ && like->created_by) {
      g.created_by = like->created_by;
      g.created_by->input_line = created_by_.input_line;
      g.created_by_goroutine = created_parent_;
    }
    if (has_created_by_ == g.created_by.has_value()) return g;
    g.frames.clear();
    g.created_by.reset();
  }
  auto make = [&](const RawFrame& r) {
    Frame f;
    std::string_view name = key_.view().substr(r.func_off, r.func_len);
    // Repaired here, for the goroutines kept, not in the key: every frame of
    // one paste lost its stars alike.
    if (std::string starred; RepairReceiverStars(name, &starred)) {
      f.function = pool->Intern(starred);
    } else {
      f.function = pool->Intern(name);
    }
    // `runtime.panic` is the frame's name up to Go 1.3 (runtime/panic.c).
    f.is_panic = f.function == "panic" || f.function == "runtime.gopanic" || f.function == "runtime.panic";
    f.package = pool->Intern(f.is_panic ? std::string_view("runtime") : PackageOf(f.function));
    if (r.has_file) f.file = pool->Intern(key_.view().substr(r.file_off, r.file_len));
    f.line = Line(r);
    f.pc_offset = Offset(r);
    f.has_offset = r.has_offset;
    f.inlined = r.inlined;
    f.args.assign(args_.view().substr(r.args_off, r.args_len));
    f.input_line = r.input_line;
    return f;
  };
  g.frames.reserve(frames_.size());
  for (const RawFrame& r : frames_) g.frames.push_back(make(r));
  if (has_created_by_) {
    g.created_by = make(created_by_);
    g.created_by_goroutine = created_parent_;
  }
  return g;
}

size_t GroupBuilder::Add(const PendingGoroutine& g) {
  goroutines_ += g.count;
  size_t idx;
  const KeyRef key{g.key(), HashBytes(g.key())};
  auto it = index_.find(key);
  if (it != index_.end()) {
    idx = it->second;
  } else if (groups_.size() >= limits_->max_groups) {
    // Too many distinct stacks: fold the rest into one group and say so.
    NoteLimit(notes_, "distinct stacks per incident (--max-groups)", g.count);
    if (overflow_group_ == SIZE_MAX) {
      overflow_group_ = groups_.size();
      GoroutineGroup grp;
      grp.state = pool_->Intern("(stacks beyond the distinct-stack limit)");
      grp.wait = WaitKind::kUnknown;
      grp.stack_hash = 0;
      groups_.push_back(std::move(grp));
    }
    idx = overflow_group_;
  } else {
    idx = groups_.size();
    GoroutineGroup grp;
    grp.state = g.state;
    grp.wait = ClassifyWaitState(g.state);
    grp.stack_hash = key.hash;
    grp.first_line = g.header_line;
    groups_.push_back(std::move(grp));
    index_.emplace(Key{std::string(key.text), key.hash}, idx);
  }
  Count(idx, g);
  if (WantsSample(idx)) {
    GoroutineGroup& grp = groups_[idx];
    grp.samples.push_back(g.Materialize(pool_, grp.samples.empty() ? nullptr : &grp.samples.front()));
  }
  return idx;
}

bool GroupBuilder::WantsSample(size_t idx) const {
  size_t max_samples = idx == overflow_group_ ? 1 : limits_->max_samples_per_group;
  return groups_[idx].samples.size() < max_samples;
}

void GroupBuilder::AddToGroup(size_t idx, const PendingGoroutine& g) {
  goroutines_ += g.count;
  Count(idx, g);
}

void GroupBuilder::Count(size_t idx, const PendingGoroutine& g) {
  GoroutineGroup& grp = groups_[idx];
  grp.count += g.count;
  if (g.wait_minutes >= 0) {
    if (grp.min_wait_minutes < 0 || g.wait_minutes < grp.min_wait_minutes)
      grp.min_wait_minutes = g.wait_minutes;
    if (g.wait_minutes > grp.max_wait_minutes) grp.max_wait_minutes = g.wait_minutes;
  }
  grp.any_leaked |= g.leaked;
  if (!g.labels.empty()) {
    grp.labelled += g.count;
    if (raw_labels_.size() <= idx) raw_labels_.resize(idx + 1);
    GroupLabels& gl = raw_labels_[idx];
    // Labels differ per goroutine: compare hashes first (a dump of 100k
    // labelled goroutines passes here once per goroutine).
    uint64_t h = g.labels_hash ? g.labels_hash : HashBytes(g.labels);
    bool found = false;
    for (uint32_t k = 0; k < gl.n; ++k) {
      if (gl.hash[k] == h && gl.sets[k].form == g.label_form && gl.sets[k].text == g.labels) {
        gl.sets[k].count += g.count;
        found = true;
        break;
      }
    }
    if (!found) {
      if (gl.n < kMaxLabelSetsPerGroup) {
        gl.hash[gl.n++] = h;
        gl.sets.push_back({g.labels, g.label_form, g.count, g.header_line});
      } else {
        grp.label_sets_other += g.count;
      }
    }
  }
  if (grp.ids.size() < limits_->max_ids_per_group && g.id >= 0) {
    grp.ids.push_back(g.id);
    grp.header_lines.push_back(g.header_line);
  }
}

void SortLabelSets(std::vector<LabelSetCount>* sets) {
  std::sort(sets->begin(), sets->end(), [](const LabelSetCount& a, const LabelSetCount& b) {
    return a.count != b.count ? a.count > b.count : a.first_line < b.first_line;
  });
}

std::vector<GoroutineGroup> GroupBuilder::Take() {
  // Decode each group's distinct label lists; the same labels printed two
  // ways (say, a 1.26 and a 1.27 form) are one set.
  for (size_t i = 0; i < raw_labels_.size() && i < groups_.size(); ++i) {
    GoroutineGroup& grp = groups_[i];
    for (const RawLabelSet& r : raw_labels_[i].sets) {
      std::vector<Label> decoded;
      if (!ParseLabelList(r.text, r.form, &decoded) || decoded.empty()) {
        grp.label_sets_other += r.count;
        continue;
      }
      bool merged = false;
      for (LabelSetCount& have : grp.label_sets) {
        bool same = have.labels.size() == decoded.size();
        for (size_t k = 0; same && k < decoded.size(); ++k)
          same = have.labels[k].key == decoded[k].key && have.labels[k].value == decoded[k].value;
        if (same) {
          have.count += r.count;
          merged = true;
          break;
        }
      }
      if (!merged) grp.label_sets.push_back({std::move(decoded), r.count, r.first_line});
    }
    SortLabelSets(&grp.label_sets);
  }
  raw_labels_.clear();
  std::vector<GoroutineGroup> out = std::move(groups_);
  std::stable_sort(out.begin(), out.end(), [](const GoroutineGroup& a, const GoroutineGroup& b) {
    return a.count > b.count;
  });
  // Kept as long as the incident (thousands of them from a fleet): without
  // the room a growing vector keeps, a crash's few groups take up to half.
  out.shrink_to_fit();
  groups_.clear();
  index_.clear();
  overflow_group_ = SIZE_MAX;
  goroutines_ = 0;
  return out;
}

}  // namespace gotriage
