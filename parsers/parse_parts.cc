// Reading one large file as two parts on two threads, and putting the
// parts' incidents back together; see parse_parts.h.
#include "parsers/parse_parts.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "parsers/envelope.h"
#include "parsers/grammar.h"
#include "parsers/grouping.h"
#include "parsers/grouping.h"

namespace gotriage {

// Reads [offset, offset+len) of \a fd through \a splitter with pread.
bool ReadRange(int fd, uint64_t offset, uint64_t len, LineSplitter* splitter, uint64_t* bytes,
               std::string* err) {
  constexpr size_t kChunk = 1 << 20;
  std::unique_ptr<char[]> buf(new char[kChunk]);
  bool ok = true;
  while (len > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(len, kChunk));
    ssize_t n = pread(fd, buf.get(), want, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = std::string("read error: ") + std::strerror(errno);
      ok = false;
      break;
    }
    if (n == 0) break;  // the file shrank
    splitter->Write(buf.get(), static_cast<size_t>(n));
    *bytes += static_cast<uint64_t>(n);
    offset += static_cast<uint64_t>(n);
    len -= static_cast<uint64_t>(n);
  }
  splitter->Close();
  return ok;
}

// The text of \a line once its log envelope (a kubectl timestamp, a CRI
// record header, a docker json-file record decoded into \a buf, ...) is
// peeled; false for a CRI or docker piece that continues on the next line.
bool Unwrapped(std::string_view line, std::string_view* text, std::string* buf) {
  std::string_view ts, stream;
  bool partial = false;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!line.empty() && line[0] == '{') {
    std::string_view time;
    buf->clear();
    if (!DecodeDockerRecord(line, buf, &stream, &time)) return false;
    if (buf->empty() || buf->back() != '\n') return false;
    buf->pop_back();
    line = *buf;
  }
  PeelPrefixes(&line, &ts, &stream, &partial);
  *text = line;
  return !partial;
}

namespace {

// A line that may start the second part: it begins a goroutine or a
// debug=1 record, and the line before it ended the previous one.
bool StartsPart(std::string_view prev, std::string_view line) {
  std::string_view p, t;
  std::string buf;
  if (!Unwrapped(prev, &p, &buf) || !Trim(p).empty() || !Unwrapped(line, &t, &buf)) return false;
  GoroutineHeader h;
  if (ParseGoroutineHeader(t, &h)) return true;
  size_t d = 0;
  while (d < t.size() && t[d] >= '0' && t[d] <= '9') ++d;
  return d > 0 && t.substr(d, 5) == " @ 0x";
}

}  // namespace

// Finds where the second half of a dump may start: the start of a goroutine
// or a debug=1 record near the middle of the file, bare or inside a log
// envelope (`kubectl logs --timestamps`, CRI files, docker json-file). Returns 0 when there
// is no such place (then the file is read whole).
uint64_t FindSplit(int fd, uint64_t size) {
  // Read 64 KiB at a time (a goroutine ends every few KiB), up to 4 MiB.
  constexpr size_t kWindow = 64 << 10;
  constexpr uint64_t kMaxScan = 4 << 20;
  char buf[kWindow];
  uint64_t mid = size / 2;
  for (uint64_t at = mid; at < mid + kMaxScan && at < size;) {
    ssize_t n = pread(fd, buf, kWindow, static_cast<off_t>(at));
    if (n <= 0) return 0;
    std::string_view w(buf, static_cast<size_t>(n));
    // Whole lines only: from after the first newline to the last one.
    size_t first = w.find('\n');
    size_t last = w.rfind('\n');
    if (first == std::string_view::npos || first == last) return 0;  // a line over 64 KiB
    std::string_view prev;
    for (size_t start = first + 1, nl; start <= last; start = nl + 1) {
      nl = w.find('\n', start);
      std::string_view line = w.substr(start, nl - start);
      if (start > first + 1 && StartsPart(prev, line)) return at + start;
      prev = line;
    }
    at += last;  // the next window starts with the last line read
  }
  return 0;
}

namespace {

bool SameStack(const GoroutineGroup& a, const GoroutineGroup& b) {
  if (a.stack_hash != b.stack_hash || a.state != b.state) return false;
  if (a.samples.empty() || b.samples.empty()) return a.samples.empty() && b.samples.empty();
  const auto& fa = a.samples.front().frames;
  const auto& fb = b.samples.front().frames;
  if (fa.size() != fb.size()) return false;
  for (size_t i = 0; i < fa.size(); ++i) {
    if (fa[i].function != fb[i].function || fa[i].file != fb[i].file || fa[i].line != fb[i].line)
      return false;
  }
  return true;
}

}  // namespace

// Folds the groups of \a b into \a a (same incident, parsed in two parts).
void MergeIncident(Incident* a, Incident&& b, const Limits& limits) {
  std::unordered_multimap<uint64_t, size_t> by_hash;
  for (size_t i = 0; i < a->groups.size(); ++i) by_hash.emplace(a->groups[i].stack_hash, i);
  for (GoroutineGroup& g : b.groups) {
    GoroutineGroup* into = nullptr;
    auto range = by_hash.equal_range(g.stack_hash);
    for (auto it = range.first; it != range.second; ++it) {
      if (SameStack(a->groups[it->second], g)) {
        into = &a->groups[it->second];
        break;
      }
    }
    if (!into) {
      a->groups.push_back(std::move(g));
      continue;
    }
    into->count += g.count;
    if (g.min_wait_minutes >= 0 &&
        (into->min_wait_minutes < 0 || g.min_wait_minutes < into->min_wait_minutes))
      into->min_wait_minutes = g.min_wait_minutes;
    into->max_wait_minutes = std::max(into->max_wait_minutes, g.max_wait_minutes);
    into->any_leaked |= g.any_leaked;
    for (size_t i = 0; i < g.ids.size() && into->ids.size() < limits.max_ids_per_group; ++i) {
      into->ids.push_back(g.ids[i]);
      into->header_lines.push_back(g.header_lines[i]);
    }
    for (size_t i = 0; i < g.samples.size() && into->samples.size() < limits.max_samples_per_group; ++i)
      into->samples.push_back(std::move(g.samples[i]));
    // The label sets, as GroupBuilder counts them: one set's goroutines
    // added up, a set first seen here kept while the group has room. Exact
    // while a group has at most kMaxLabelSetsPerGroup sets; beyond, the
    // second part counted the goroutines of sets it met after its own
    // first 16 as other, even those of a set the first part kept (it
    // cannot know them), so a kept set's count may be lower than a
    // sequential read gives; `labelled` stays exact.
    into->labelled += g.labelled;
    into->label_sets_other += g.label_sets_other;
    for (LabelSetCount& s : g.label_sets) {
      auto same = std::find_if(into->label_sets.begin(), into->label_sets.end(), [&](const LabelSetCount& h) {
        return h.labels.size() == s.labels.size() &&
               std::equal(h.labels.begin(), h.labels.end(), s.labels.begin(), [](const Label& x, const Label& y) {
                 return x.key == y.key && x.value == y.value;
               });
      });
      if (same != into->label_sets.end()) same->count += s.count;
      else if (into->label_sets.size() < kMaxLabelSetsPerGroup) into->label_sets.push_back(std::move(s));
      else into->label_sets_other += s.count;
    }
    SortLabelSets(&into->label_sets);
  }
  // Largest first, ties in input order: what a sequential parse gives
  // (each part's groups were sorted by their own counts).
  std::stable_sort(a->groups.begin(), a->groups.end(),
                   [](const GoroutineGroup& x, const GoroutineGroup& y) {
                     return x.count != y.count ? x.count > y.count : x.first_line < y.first_line;
                   });
  a->goroutine_count += b.goroutine_count;
  a->last_line = b.last_line;
  if (b.partial && !a->partial) {
    a->partial = true;
    a->partial_reason = b.partial_reason;
  }
  if (a->declared_total > a->goroutine_count && !a->partial) {
    a->partial = true;
    a->partial_reason = "profile declares " + std::to_string(a->declared_total) +
                        " goroutines but only " + std::to_string(a->goroutine_count) +
                        " are in the input";
  }
}

bool Mergeable(const Incident& a, const Incident& b) {
  if (!(a.pod == b.pod)) return false;
  if (b.kind == IncidentKind::kPprofDebug1) return a.kind == IncidentKind::kPprofDebug1 && b.declared_total == 0;
  if (b.kind != IncidentKind::kGoroutineDump) return false;
  return a.kind == IncidentKind::kGoroutineDump || a.kind == IncidentKind::kPanic ||
         a.kind == IncidentKind::kFatalError || a.kind == IncidentKind::kSignalDump ||
         a.kind == IncidentKind::kTestTimeout;
}

}  // namespace gotriage
