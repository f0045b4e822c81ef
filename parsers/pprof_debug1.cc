// Parser of pprof debug=1 goroutine profiles; see pprof_debug1.h.
#include "parsers/pprof_debug1.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstring>

#include "base/chars.h"
#include "parsers/envelope.h"
#include "parsers/grammar.h"
#include "parsers/newlines.h"

namespace gotriage {

namespace {

// `COUNT @ 0x.. 0x..`; returns the count and, in \a pcs, the PC list.
bool ParseRecordHeader(std::string_view t, uint64_t* count, std::string_view* pcs = nullptr) {
  size_t at = t.find(" @ 0x");
  if (at == std::string_view::npos && EndsWith(t, " @")) at = t.size() - 2;
  if (at == std::string_view::npos) return false;
  int64_t n;
  if (!ParseInt(t.substr(0, at), &n)) return false;
  *count = static_cast<uint64_t>(n);
  if (pcs) *pcs = t.substr(at + 2);
  return true;
}

// `goroutine profile: total N` / `goroutineleak profile: total N`.
bool ParseProfileHeader(std::string_view t, uint64_t* total, bool* leak) {
  std::string_view rest;
  if (StartsWith(t, "goroutine profile: total ")) {
    rest = t.substr(25);
    *leak = false;
  } else if (StartsWith(t, "goroutineleak profile: total ")) {
    rest = t.substr(29);
    *leak = true;
  } else {
    return false;
  }
  int64_t n;
  if (!ParseInt(Trim(rest), &n)) return false;
  *total = static_cast<uint64_t>(n);
  return true;
}

bool Contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

}  // namespace

std::string_view InferWaitState(const std::vector<std::string_view>& fns) {
  // Look at the innermost few frames only: the blocking call is there.
  size_t n = fns.size() < 6 ? fns.size() : 6;
  for (size_t i = 0; i < n; ++i) {
    std::string_view f = fns[i];
    if (Contains(f, "runtime.chanrecv")) return "chan receive";
    if (Contains(f, "runtime.chansend")) return "chan send";
    if (f == "runtime.selectgo") return "select";
    if (f == "runtime.block") return "select (no cases)";
    if (Contains(f, "sync.(*WaitGroup).Wait")) return "sync.WaitGroup.Wait";
    if (Contains(f, "sync.(*RWMutex).RLock")) return "sync.RWMutex.RLock";
    if (Contains(f, "sync.(*RWMutex).Lock")) return "sync.RWMutex.Lock";
    if (Contains(f, "sync.(*Mutex).Lock") || Contains(f, "sync.(*Mutex).lockSlow") ||
        Contains(f, "internal/sync.(*Mutex)"))
      return "sync.Mutex.Lock";
    if (Contains(f, "sync.(*Cond).Wait")) return "sync.Cond.Wait";
    if (Contains(f, "semacquire") || Contains(f, "Semacquire")) return "semacquire";
    if (Contains(f, "runtime.netpollblock") || Contains(f, "internal/poll.runtime_pollWait"))
      return "IO wait";
    if (f == "time.Sleep" || f == "runtime.timeSleep") return "sleep";
    if (Contains(f, "syscall.Syscall") || Contains(f, "syscall.RawSyscall") ||
        Contains(f, "runtime/internal/syscall") || Contains(f, "internal/runtime/syscall"))
      return "syscall";
  }
  if (n > 0 && (fns[0] == "runtime/pprof.writeGoroutineStacks" ||
                fns[0] == "runtime/pprof.runtime_goroutineProfileWithLabels" ||
                fns[0] == "runtime.goroutineProfileWithLabels"))
    return "running";
  return "";
}

PprofDebug1Parser::PprofDebug1Parser(ParseContext* ctx)
    : ctx_(ctx), groups_(&ctx->out->strings, &ctx->limits, &ctx->out->limits_hit) {}

bool PprofDebug1Parser::Start(const Line& line) {
  std::string_view t = TrimRight(line.text);
  uint64_t total = 0, count = 0;
  bool leak = false;
  bool header = ParseProfileHeader(t, &total, &leak);
  // A pasted fragment may start inside a record, at its labels or frames.
  bool fragment = !header && (StartsWith(t, "# labels: {") || StartsWith(t, "#\t0x"));
  std::string_view pcs;
  if (!header && !fragment && !ParseRecordHeader(t, &count, &pcs)) return false;
  incident_ = StartIncident(IncidentKind::kPprofDebug1, line, *ctx_);
  incident_->declared_total = total;
  leak_profile_ = leak;
  if (leak) incident_->headline = "goroutineleak profile: total " + std::to_string(total);
  record_open_ = false;
  between_records_ = true;
  if (fragment) {
    // The `COUNT @ ...` line is missing: one goroutine at least.
    BeginRecord(line, 1, {});
    incident_->partial = true;
    incident_->partial_reason = "the profile starts inside a record (its count line is missing)";
    Next(line);
    return true;
  }
  if (!header) BeginRecord(line, count, pcs);
  return true;
}

void PprofDebug1Parser::BeginRecord(const Line& line, uint64_t count, std::string_view pcs) {
  pending_.Reset();
  pcs_hash_ = pcs.empty() ? 0 : HashBytes(pcs) | 1;
  pending_.SetState("");
  pending_.count = count;
  pending_.header_line = line.lineno;
  pending_.leaked = leak_profile_;
  top_key_.clear();
  top_count_ = 0;
  record_open_ = true;
  between_records_ = false;
}

void PprofDebug1Parser::EndRecord() {
  if (!record_open_) return;
  record_open_ = false;
  auto it = state_cache_.find(top_key_);
  if (it != state_cache_.end()) {
    pending_.state = it->second;
  } else {
    std::vector<std::string_view> fns;
    std::string_view rest(top_key_);
    for (size_t nl; (nl = rest.find('\n')) != std::string_view::npos; rest.remove_prefix(nl + 1))
      fns.push_back(rest.substr(0, nl));
    pending_.state = ctx_->out->strings.Intern(InferWaitState(fns));
    if (state_cache_bytes_ + top_key_.size() <= kMaxStateCacheBytes) {
      state_cache_bytes_ += top_key_.size();
      state_cache_.emplace(top_key_, pending_.state);
    }
  }
  last_group_ = groups_.Add(pending_);
}

namespace {

// Where the first space or tab in \a s is, or npos: find_first_of(" \t")
// without its memchr into the set for every byte (a third of the time on a
// debug=1 profile of a million records), 16 bytes at a time: a function
// name runs 30 to 100 bytes before its tab (two thirds of Next's own time
// went to the byte loop).
size_t FirstBlank(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i tab = _mm_set1_epi8('\t');
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)));
    if (m) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(m)));
  }
#endif
  for (; i < s.size(); ++i)
    if (s[i] == ' ' || s[i] == '\t') return i;
  return std::string_view::npos;
}

// A frame line exactly as runtime/pprof prints it,
// `#\t0xPC\tFUNC+0xOFF\tFILE:LINE`, holding none of the bytes the
// envelope and prefix layers act on: no space (every envelope's prefix ends
// in one, and every marker the prefix layer looks for holds one: no
// envelope, syslog month or marker can be read in such a line), no other
// control byte and no byte over 0x7f, no backslash (an escaped newline in a
// log field), no `](` (an autolink; a generic function's `[...]` is
// followed by `+0x`), a digit last (no `\r`, no `^M`), and
// the tabs of the canonical form, the last ones repeated where the
// profile's tabwriter aligned the file column (so LooksLikeDamagedDebug1
// leaves it alone). Such a line passes EnvelopeUnwrapper::PassesUnchanged;
// the fast-lane differential tests hold the two to that.
bool PlainFrameLine(std::string_view s) {
  if (s.size() < 8 || s[0] != '#' || s[1] != '\t' || s[2] != '0' || s[3] != 'x' || !IsDigit(s.back()))
    return false;
  size_t i = 4;
  int tabs = 0;
#if defined(__SSE2__)
  const __m128i low = _mm_set1_epi8(0x21);  // signed: controls, space and bytes over 0x7f
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i bracket = _mm_set1_epi8(']');
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i t = _mm_cmpeq_epi8(v, tab);
    __m128i bad = _mm_or_si128(_mm_andnot_si128(t, _mm_cmplt_epi8(v, low)), _mm_cmpeq_epi8(v, backslash));
    if (_mm_movemask_epi8(bad)) return false;
    // The line ends in a digit: a `]` has a byte after it.
    for (auto b = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, bracket))); b; b &= b - 1)
      if (s[i + static_cast<size_t>(__builtin_ctz(b)) + 1] == '(') return false;
    // Counted up to two a block: two are all the test needs.
    auto m = static_cast<unsigned>(_mm_movemask_epi8(t));
    tabs += (m != 0) + ((m & (m - 1)) != 0);
  }
#endif
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\t') {
      ++tabs;
    } else if (c <= ' ' || c >= 0x80 || c == '\\' || (c == ']' && s[i + 1] == '(')) {
      return false;
    }
  }
  return tabs >= 2;
}

}  // namespace

size_t PprofDebug1Parser::TakeKnownRecord(const LineRun& run, size_t* lines) {
  auto it = known_.find(pcs_hash_);
  if (it == known_.end()) return 0;
  const KnownRecord& k = it->second;
  if (k.longest_line > run.max_line || run.text.size() <= k.bytes ||
      std::memcmp(run.text.data(), known_text_.data() + k.offset, k.bytes) != 0 ||
      run.text[k.bytes] != '\n' || groups_.WantsSample(k.group)) {
    return 0;
  }
  // The same lines as a record already parsed into group k.group, then the
  // blank line: what Next would do with them, its group counts this one.
  groups_.AddToGroup(k.group, pending_);
  record_open_ = false;
  between_records_ = true;
  incident_->last_line = run.LineNo(k.lines);
  *lines = k.lines + 1;
  return k.bytes + 1;
}

// `20281 @ 0x7905ee 0xb9047f`, as the runtime prints a record's first
// line: a count, ` @ 0x`, then nothing but blanks, digits, `a`-`f` and `x`
// to the line's end. No other format starts on such a line, and Next reads
// it as OnLine would hand it over. Nor does any layer act on it: no colon
// (no marker), quote, backslash, bracket, control byte or timestamp, so it
// passes EnvelopeUnwrapper::PassesUnchanged (envelope_test holds the two
// to that).
bool PlainRecordHeader(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == 0 || i > 18 || s.size() < i + 6 || s.compare(i, 5, " @ 0x") != 0) return false;
  i += 5;
  auto ok = [](unsigned char c) {
    return c == ' ' || c == 'x' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  };
#if defined(__SSE2__)
  // A record of 20 frames has a 200-byte count line; 16 bytes a step.
  const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
  const __m128i a = _mm_set1_epi8('a'), five = _mm_set1_epi8(5);
  const __m128i blank = _mm_set1_epi8(' '), x = _mm_set1_epi8('x');
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i d = _mm_sub_epi8(v, zero);
    __m128i h = _mm_sub_epi8(v, a);
    __m128i good = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, nine), d),
                                             _mm_cmpeq_epi8(_mm_min_epu8(h, five), h)),
                                _mm_or_si128(_mm_cmpeq_epi8(v, blank), _mm_cmpeq_epi8(v, x)));
    if (_mm_movemask_epi8(good) != 0xffff) return false;
  }
#endif
  for (; i < s.size(); ++i) {
    if (!ok(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

size_t PprofDebug1Parser::TakeRun(const LineRun& run, size_t* lines) {
  *lines = 0;
  // A run the envelope layer peeled is left to Next: it is offered only to
  // a parser that says it takes one (TakesUnwrappedRuns).
  if (!incident_ || run.unwrapped) return 0;
  // Record after record: its frame lines and blank line (TakeRecordRun),
  // then the next record's count line when it has the runtime's shape
  // (PlainRecordHeader). Through OnLine, the Scanner would ask every other reader whether
  // that line starts its format (the parser is Idle between records): a
  // fifth of the time on the bench's 100k debug=1 profile.
  size_t off = 0, n = 0;
  Line line;
  // The next line of \a rest, handed to Next when \a plain says it is one
  // of the runtime's: its bytes, or 0.
  auto one_line = [&](const LineRun& rest, bool (*plain)(std::string_view)) -> size_t {
    const char* nl = static_cast<const char*>(std::memchr(rest.text.data(), '\n', rest.text.size()));
    if (!nl) return 0;
    std::string_view raw(rest.text.data(), static_cast<size_t>(nl - rest.text.data()));
    if (raw.size() > run.max_line || !plain(raw)) return 0;
    line.text = raw;
    line.lineno = rest.LineNo(0);
    Next(line);
    return raw.size() + 1;
  };
  while (off < run.text.size()) {
    LineRun rest = run;
    rest.text = run.text.substr(off);
    rest.lineno = run.LineNo(n);
    if (run.linenos) rest.linenos = run.linenos + n;
    size_t k = 0, taken = 0;
    if (record_open_ && !between_records_ && pending_.frame_count() == 0 && pending_.labels.empty() &&
        StartsWith(rest.text, "# labels: {")) {
      // The record's label line, before its frames, as OnLine would hand
      // it to Next (inside a record, the parser is not Idle); then its
      // frames may still be a known record's.
      taken = one_line(rest, EnvelopeUnwrapper::PlainPprofLabelsPassesUnchanged);
      k = taken ? 1 : 0;
    } else if (record_open_ && !between_records_) {
      taken = TakeRecordRun(rest, &k);
    } else if (between_records_) {
      taken = one_line(rest, PlainRecordHeader);
      k = taken ? 1 : 0;
    }
    if (k == 0) break;
    off += taken;
    n += k;
  }
  *lines = n;
  return off;
}

size_t PprofDebug1Parser::TakeRecordRun(const LineRun& run, size_t* lines) {
  *lines = 0;
  // At a record's first frame line: the record may repeat one seen before.
  bool at_start = pcs_hash_ != 0 && pending_.frame_count() == 0 && top_count_ == 0 &&
                  !pending_.frames_elided;
  if (at_start) {
    if (size_t taken = TakeKnownRecord(run, lines)) return taken;
  }
  const char* begin = run.text.data();
  const char* p = begin;
  const char* end = p + run.text.size();
  NewlineCursor newlines(p, end);
  size_t n = 0, longest = 0;
  bool blank_next = false;
  Line line;
  while (p < end) {
    const char* nl = newlines.Next();
    if (!nl) break;
    std::string_view raw(p, static_cast<size_t>(nl - p));
    if (raw.size() > run.max_line || !PlainFrameLine(raw)) {
      blank_next = raw.empty();
      break;
    }
    if (raw.size() > longest) longest = raw.size();
    line.text = raw;
    line.lineno = run.LineNo(n);
    Next(line);  // a frame line inside a record: always consumed
    ++n;
    p = nl + 1;
  }
  if (at_start && blank_next && n > 0 && pending_.frame_count() == n) {
    // A whole record of plain frame lines, then the blank line that ends
    // it: end it here and remember its lines with its group.
    auto bytes = static_cast<size_t>(p - begin);
    line.text = {};  // the blank line
    line.lineno = run.LineNo(n);
    Next(line);
    if (last_group_ != groups_.overflow_group() && known_text_.size() + bytes <= kMaxKnownBytes &&
        known_.try_emplace(pcs_hash_, KnownRecord{known_text_.size(), bytes, n, longest, last_group_}).second) {
      // Its whole bound at once: pages are faulted in only as the text
      // reaches them, and growing would copy it to fresh pages each time
      // (140 of 1,250 page faults on the bench's 100k debug=1 profile).
      if (known_text_.capacity() < kMaxKnownBytes) known_text_.reserve(kMaxKnownBytes);
      known_text_.append(begin, bytes);
    }
    ++n;
    ++p;
  } else if (blank_next && p < end) {
    // The blank line that ends the record, as OnLine would hand it to Next
    // (the parser is not Idle inside a record).
    line.text = {};
    line.lineno = run.LineNo(n);
    Next(line);
    ++n;
    ++p;
  }
  *lines = n;
  return static_cast<size_t>(p - begin);
}

SubParser::Feed PprofDebug1Parser::Next(const Line& line) {
  // No line of a profile starts with a blank: one that does was indented
  // by its paste (a quote, a list item, a comment's margin), all its lines
  // alike or only some (bfenetworks/bfe#1209's ` #       0x...` frame).
  std::string_view t = Trim(line.text);
  incident_->last_line = line.lineno;
  uint64_t count;
  if (t.empty()) {
    EndRecord();
    between_records_ = true;
    return Feed::kConsumed;
  }
  if (t[0] == '#') {
    std::string_view rest = TrimLeft(t.substr(1));
    if (StartsWith(rest, "labels: ")) {
      // `# labels: {"k":"v", "k2":"v2"}`: the list between the braces.
      std::string_view list = Trim(rest.substr(8));
      if (record_open_ && list.size() >= 2 && list.front() == '{' && list.back() == '}' &&
          list.size() <= 4096 + 2 &&
          ScanLabelList(list.substr(1), LabelForm::kPprof) == list.size() - 2) {
        pending_.labels.assign(list.substr(1, list.size() - 2));
        pending_.label_form = LabelForm::kPprof;
      } else if (record_open_) {
        NoteLimit(&ctx_->out->limits_hit, "pprof label lines not understood (labels dropped)");
      }
      return Feed::kConsumed;
    }
    if (!record_open_) {
      ctx_->Unplaced(line.lineno);
      return Feed::kConsumed;
    }
    // `#\t0x4a5b3c\tpkg.func+0x1c\t/path/file.go:123`
    size_t sp = FirstBlank(rest);
    if (StartsWith(rest, "0x") && sp != std::string_view::npos) {
      rest = TrimLeft(rest.substr(sp));
      sp = FirstBlank(rest);
      std::string_view fn = rest.substr(0, sp);
      std::string_view file = sp == std::string_view::npos ? std::string_view() : Trim(rest.substr(sp));
      uint64_t off = 0;
      bool has_off = false;
      if (size_t plus = fn.rfind("+0x"); plus != std::string_view::npos) {
        has_off = ParseHex(fn.substr(plus + 1), &off);
        fn = fn.substr(0, plus);
      }
      if (pending_.frame_count() < ctx_->limits.max_frames) {
        pending_.AddFunc(fn, "", false, line.lineno);
        FileLine fl;
        if (ParseFileLine(file, &fl)) pending_.AddFile(fl.file, fl.line, off, has_off);
        if (top_count_ < 6) {
          top_key_.append(fn);
          top_key_.push_back('\n');
          ++top_count_;
        }
      } else {
        NoteLimit(&ctx_->out->limits_hit, "frames per goroutine (--max-frames)");
      }
      return Feed::kConsumed;
    }
    ctx_->Unplaced(line.lineno);
    return Feed::kConsumed;
  }
  std::string_view pcs;
  if (ParseRecordHeader(t, &count, &pcs)) {
    EndRecord();
    BeginRecord(line, count, pcs);
    return Feed::kConsumed;
  }
  // A person's mark where they left frames out (`...`, grep's `--` between
  // its matches: prometheus/prom2json#71): the record goes on.
  if (record_open_ && ParsePasteElision(t)) {
    pending_.frames_elided = true;
    return Feed::kConsumed;
  }
  // Anything else ends the profile.
  EndRecord();
  Finish(false);
  return Feed::kDone;
}

void PprofDebug1Parser::Finish(bool at_eof) {
  if (!incident_) return;
  if (record_open_) {
    if (at_eof && pending_.frame_count() == 0) {
      incident_->partial = true;
      incident_->partial_reason = "input ends inside a profile record";
    }
    EndRecord();
  }
  Incident& inc = *incident_;
  inc.groups = groups_.Take();
  uint64_t n = 0;
  for (const auto& g : inc.groups) n += g.count;
  inc.goroutine_count = n;
  if (inc.declared_total > n && !inc.partial && !ctx_->more_follows) {
    inc.partial = true;
    inc.partial_reason = "profile declares " + std::to_string(inc.declared_total) +
                         " goroutines but only " + std::to_string(n) + " are in the input";
  }
  ctx_->emit(std::move(inc));
  ctx_->continues = false;
  incident_.reset();
  known_.clear();  // their groups went with the incident
  known_text_.clear();
  between_records_ = false;
}

}  // namespace gotriage
