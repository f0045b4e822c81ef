// Parser of race detector reports; see race.h.
#include "parsers/race.h"

#include <utility>

#include "parsers/grammar.h"
#include "parsers/grouping.h"

namespace gotriage {

namespace {

constexpr std::string_view kSeparator = "==================";
constexpr std::string_view kWarning = "WARNING: DATA RACE";

// `Read at 0x00c0000a0010 by goroutine 12:`, `Previous write at 0x.. by main
// goroutine:`. TSan prints exactly these four kinds for Go.
bool ParseAccess(std::string_view t, RaceAccess* a) {
  if (!EndsWith(t, ":")) return false;
  size_t at = t.find(" at 0x");
  // Old race detectors (Go 1.5 and before) print `Write by goroutine 7:`
  // with no address.
  bool no_addr = at == std::string_view::npos;
  if (no_addr) at = t.find(" by ");
  if (at == std::string_view::npos) return false;
  std::string_view kind = t.substr(0, at);
  if (kind != "Read" && kind != "Write" && kind != "Previous read" && kind != "Previous write")
    return false;
  std::string_view rest = no_addr ? t.substr(at, t.size() - at - 1) : t.substr(at + 4, t.size() - at - 5);
  size_t by = rest.find(" by ");
  if (by == std::string_view::npos) return false;
  std::string_view who = rest.substr(by + 4);
  int64_t id = -1;
  if (who == "main goroutine") {
    id = -1;
  } else if (StartsWith(who, "goroutine ") && ParseInt(who.substr(10), &id)) {
  } else {
    return false;
  }
  a->kind = std::string(kind);
  a->address = std::string(rest.substr(0, by));
  a->goroutine = id;
  return true;
}

// `Goroutine 12 (running) created at:`.
bool ParseCreatedAt(std::string_view t, int64_t* id, std::string_view* status) {
  if (!StartsWith(t, "Goroutine ") || !EndsWith(t, ") created at:")) return false;
  std::string_view rest = t.substr(10, t.size() - 10 - 13);
  size_t open = rest.find(" (");
  if (open == std::string_view::npos) return false;
  if (!ParseInt(rest.substr(0, open), id)) return false;
  *status = rest.substr(open + 2);
  return true;
}

// `--- FAIL: TestX/sub (0.00s)` -> `TestX/sub`; `result` is FAIL/PASS/SKIP.
bool ParseTestResult(std::string_view t, std::string_view* result, std::string_view* name) {
  if (!StartsWith(t, "--- ")) return false;
  size_t colon = t.find(": ", 4);
  if (colon == std::string_view::npos || colon > 8) return false;
  *result = t.substr(4, colon - 4);
  std::string_view n = t.substr(colon + 2);
  if (size_t sp = n.find(" ("); sp != std::string_view::npos) n = n.substr(0, sp);
  if (n.empty()) return false;
  *name = n;
  return true;
}

bool IsRaceDetectedLine(std::string_view t) {
  return EndsWith(t, ": race detected during execution of test") ||
         t == "race detected during execution of test";
}

}  // namespace

RaceParser::RaceParser(ParseContext* ctx) : ctx_(ctx) {}
RaceParser::~RaceParser() = default;

bool RaceParser::Idle() const { return state_ == State::kTrailer; }

void RaceParser::TrackTest(const Line& line, std::string_view t) {
  // `=== RUN   TestX`, `=== CONT  TestX`, `=== NAME  TestX` (go test -v and
  // -json): the test whose output follows.
  if (StartsWith(t, "=== ")) {
    std::string_view rest = t.substr(4);
    if (StartsWith(rest, "RUN ") || StartsWith(rest, "CONT ") || StartsWith(rest, "NAME ")) {
      std::string_view name = Trim(rest.substr(rest.find(' ')));
      if (!name.empty()) {
        run_test_ = std::string(name);
        run_line_ = line.lineno;
      }
    }
    return;
  }
  std::string_view u = TrimLeft(t);
  std::string_view result, name;
  if (ParseTestResult(u, &result, &name) && name == run_test_) {
    // The test ended: output that follows belongs to its parent, if any.
    size_t slash = run_test_.rfind('/');
    run_test_.resize(slash == std::string::npos ? 0 : slash);
  }
}

bool RaceParser::Start(const Line& line) {
  std::string_view t = TrimRight(line.text);
  TrackTest(line, t);
  if (t == kSeparator) {
    Open(line);
    state_ = State::kOpened;
    return true;
  }
  if (t == kWarning) {
    // The separator went elsewhere (or was lost in a log envelope).
    Open(line);
    state_ = State::kBody;
    return true;
  }
  if (t.size() >= 9 && t.size() < kWarning.size() && EndsWith(kWarning, t)) {
    // A paste that starts inside the warning line (`RNING: DATA RACE`).
    Open(line);
    cur_->partial = true;
    cur_->partial_reason = "the report starts inside its WARNING line";
    state_ = State::kBody;
    return true;
  }
  // A paste that starts at the report's first access (consul#9458 in
  // fresh9/: `Write at 0x000003e9b868 by goroutine 167:`): the race
  // detector's own line, in words no other output has.
  if (RaceAccess a; ParseAccess(t, &a) && StartsWith(t, a.kind + " at 0x")) {
    Open(line);
    cur_->partial = true;
    cur_->partial_reason = "the report starts at an access (its WARNING line is not in the input)";
    state_ = State::kBody;
    BodyLine(line, t);
    return true;
  }
  return false;
}

void RaceParser::Open(const Line& line) {
  cur_ = StartIncident(IncidentKind::kRaceReport, line, *ctx_);
  cur_->race = RaceReport();
  created_.clear();
  block_ = Block::kNone;
  noise_run_ = 0;
  // A `--- FAIL:` printed before this report belongs to an earlier test.
  if (queued_.empty()) {
    fail_test_.clear();
    detected_line_ = 0;
  }
}

std::vector<Frame>* RaceParser::BlockFrames() {
  switch (block_) {
    case Block::kAccess:
      return &cur_->race->accesses.back().frames;
    case Block::kCreatedAt:
      return &created_.back().frames;
    case Block::kHeap:
      return &cur_->race->heap_allocated_at;
    case Block::kNone:
    case Block::kIgnored:
      break;
  }
  return nullptr;
}

void RaceParser::AddFrameLine(const Line& line, std::string_view t, bool* used) {
  *used = false;
  std::vector<Frame>* frames = BlockFrames();
  if (!frames) return;
  FileLine file;
  if (!frames->empty() && frames->back().file.empty() && ParseFileLine(t, &file)) {
    Frame& f = frames->back();
    f.file = ctx_->out->strings.Intern(file.file);
    f.line = file.line;
    f.pc_offset = file.offset;
    f.has_offset = file.has_offset;
    *used = true;
    return;
  }
  FuncLine fl;
  if (!ParseFuncLine(t, &fl)) return;
  *used = true;
  if (frames->size() >= ctx_->limits.max_frames) {
    NoteLimit(&ctx_->out->limits_hit, "frames per goroutine (--max-frames)");
    return;
  }
  Frame f;
  f.function = ctx_->out->strings.Intern(fl.function);
  f.package = ctx_->out->strings.Intern(PackageOf(fl.function));
  f.args = std::string(fl.args.substr(0, ctx_->limits.max_args_bytes));
  f.inlined = fl.inlined;
  f.input_line = line.lineno;
  frames->push_back(std::move(f));
}

bool RaceParser::BodyLine(const Line& line, std::string_view t) {
  RaceReport& r = *cur_->race;
  if (t.empty()) {
    block_ = Block::kNone;
    return true;
  }
  std::string_view u = TrimLeft(t);
  if (u == "[failed to restore the stack]") {
    if (block_ == Block::kAccess) r.accesses.back().stack_unavailable = true;
    if (block_ == Block::kCreatedAt) created_.back().stack_unavailable = true;
    return true;
  }
  if (t.size() > u.size()) {  // frames are indented
    bool used;
    AddFrameLine(line, u, &used);
    return used || block_ == Block::kIgnored;
  }
  RaceAccess a;
  if (ParseAccess(t, &a)) {
    if (r.accesses.size() >= 16) {  // a report holds two; more is hostile
      NoteLimit(&ctx_->out->limits_hit, "accesses per race report");
      block_ = Block::kIgnored;
      return true;
    }
    r.accesses.push_back(std::move(a));
    block_ = Block::kAccess;
    return true;
  }
  int64_t id;
  std::string_view status;
  if (ParseCreatedAt(t, &id, &status)) {
    CreatedAt c;
    c.goroutine = id;
    c.status = std::string(status);
    created_.push_back(std::move(c));
    block_ = Block::kCreatedAt;
    return true;
  }
  if (StartsWith(t, "Heap block of size ")) {
    r.heap_block = std::string(t.substr(0, t.size() - (EndsWith(t, ":") ? 1 : 0)));
    block_ = Block::kHeap;
    return true;
  }
  if (StartsWith(t, "Global var ") || StartsWith(t, "Location is ")) {
    r.global_var = std::string(t);
    block_ = Block::kNone;
    return true;
  }
  return false;
}

void RaceParser::EndReport(bool at_eof) {
  if (!cur_) return;
  RaceReport& r = *cur_->race;
  for (CreatedAt& c : created_) {
    for (RaceAccess& a : r.accesses) {
      if (a.goroutine != c.goroutine || !a.created_at.empty() || !a.goroutine_status.empty()) continue;
      a.created_at = c.frames;
      a.goroutine_status = c.status;
    }
  }
  created_.clear();
  if (at_eof) {
    cur_->partial = true;
    cur_->partial_reason = "input ends inside the race report";
  }
  queued_.push_back(std::move(*cur_));
  cur_.reset();
  if (queued_.size() >= kMaxQueued) Flush();
}

void RaceParser::Flush() {
  std::string name;
  size_t name_line = 0;
  if (!fail_test_.empty()) {
    name = fail_test_;
    name_line = fail_line_;
  } else if (!run_test_.empty()) {
    name = run_test_;
    name_line = run_line_;
  }
  for (Incident& inc : queued_) {
    if (!name.empty()) {
      inc.race->test_name = name;
      inc.race->test_line = name_line;
    }
    inc.race->detected_line = detected_line_;
    ctx_->emit(std::move(inc));
  }
  queued_.clear();
  fail_test_.clear();
  fail_line_ = detected_line_ = 0;
}

SubParser::Feed RaceParser::Next(const Line& line) {
  std::string_view t = TrimRight(line.text);
  TrackTest(line, t);
  switch (state_) {
    case State::kInactive:
      return Feed::kDone;

    case State::kOpened:
      if (t == kWarning) {
        cur_->last_line = line.lineno;
        state_ = State::kBody;
        return Feed::kConsumed;
      }
      // A separator line that does not start a race report.
      cur_.reset();
      Flush();
      state_ = State::kInactive;
      return Feed::kDone;

    case State::kBody:
      cur_->last_line = line.lineno;
      if (t == kSeparator) {
        EndReport(false);
        state_ = State::kTrailer;
        noise_run_ = 0;
        return Feed::kConsumed;
      }
      if (BodyLine(line, t)) {
        noise_run_ = 0;
        return Feed::kConsumed;
      }
      if (t == kWarning) {
        // A new report without the end of the last one.
        EndReport(false);
        Open(line);
        state_ = State::kBody;
        return Feed::kConsumed;
      }
      if (++noise_run_ > 16) {
        // The closing separator never came: keep what was read.
        cur_->partial = true;
        cur_->partial_reason = "race report without its closing line";
        EndReport(false);
        Flush();
        state_ = State::kInactive;
        return Feed::kDone;
      }
      ctx_->Unplaced(line.lineno);
      return Feed::kConsumed;

    case State::kTrailer: {
      if (t == kSeparator) {
        Open(line);
        state_ = State::kOpened;
        return Feed::kConsumed;
      }
      if (t == kWarning) {
        Open(line);
        state_ = State::kBody;
        return Feed::kConsumed;
      }
      if (queued_.empty()) {
        state_ = State::kInactive;
        return Feed::kDone;
      }
      if (t.empty()) return Feed::kConsumed;
      std::string_view u = TrimLeft(t);
      std::string_view result, name;
      if (ParseTestResult(u, &result, &name) && result == "FAIL") {
        bool nested = !fail_test_.empty() && StartsWith(name, fail_test_ + "/");
        if (detected_line_ != 0 && !fail_test_.empty() && !nested) {
          // -v order: `race detected` came first; this is another test.
          Flush();
          state_ = State::kInactive;
          return Feed::kDone;
        }
        fail_test_ = std::string(name);
        fail_line_ = line.lineno;
        return Feed::kConsumed;
      }
      if (IsRaceDetectedLine(u)) {
        detected_line_ = line.lineno;
        if (fail_test_.empty() && run_test_.empty()) return Feed::kConsumed;
        Flush();
        state_ = State::kInactive;
        return Feed::kConsumedDone;
      }
      if (StartsWith(t, "Found ") && EndsWith(t, " data race(s)")) {
        Flush();
        return Feed::kConsumed;
      }
      if (StartsWith(t, "exit status ")) {
        int64_t v;
        if (ParseInt(t.substr(12), &v) && v < 1000) {
          for (Incident& inc : queued_) inc.exit_status = static_cast<int>(v);
        }
        Flush();
        state_ = State::kInactive;
        return Feed::kConsumedDone;
      }
      // The test's own log lines (indented) sit between `--- FAIL:` and the
      // `race detected` line.
      if (!fail_test_.empty() && t.size() > u.size() && ++noise_run_ <= 64) {
        return Feed::kConsumed;
      }
      Flush();
      state_ = State::kInactive;
      return Feed::kDone;
    }
  }
  return Feed::kDone;
}

void RaceParser::Finish(bool at_eof) {
  if (cur_) {
    if (state_ == State::kBody) {
      EndReport(at_eof);
    } else {
      cur_.reset();  // only a separator was seen
    }
  }
  Flush();
  state_ = State::kInactive;
}

}  // namespace gotriage
