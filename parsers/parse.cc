// The parsers' entry point; see parse.h.
#include "parsers/parse.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <unordered_map>

#include "parsers/classify.h"
#include "parsers/demux.h"
#include "parsers/envelope.h"
#include "parsers/grammar.h"
#include "parsers/grouping.h"
#include "parsers/input.h"
#include "parsers/parse_parts.h"
#include "parsers/profile_proto.h"
#include "parsers/scanner.h"
#include "parsers/sub_parser.h"
#include "parsers/twins.h"

namespace gotriage {

namespace {
// Pods of one input read as streams of their own (PodDemux); beyond this,
// their lines are read together and the limit is reported.
constexpr size_t kMaxPodStreams = 1024;
// Inputs up to this size are kept while read, to be read again bottom-up
// (Parser::Impl::ReadBottomUp): pastes, not dumps.
constexpr size_t kMaxBottomUpBytes = 1 << 20;
bool ReadsBottomUp(const std::vector<std::string_view>& lines);

// Incidents a --follow amendment may continue: the traceback parser's.
bool Continuable(IncidentKind k) {
  return k == IncidentKind::kPanic || k == IncidentKind::kFatalError || k == IncidentKind::kSignalDump ||
         k == IncidentKind::kGoroutineDump || k == IncidentKind::kTestTimeout;
}
// The line and byte counts of \a from (a part of a file, or files read on
// another thread) added to \a out's.
void AddCounts(ParsedInput* out, const ParsedInput& from) {
  out->bytes += from.bytes;
  out->lines += from.lines;
  out->lines_in_traces += from.lines_in_traces;
  out->lines_unplaced += from.lines_unplaced;
}

}  // namespace

struct Parser::Impl {
  ParseOptions opts;
  std::unique_ptr<ParsedInput> out = std::make_unique<ParsedInput>();
  ParseContext ctx;
  Scanner* scanner = nullptr;  // the one reading now, for idle flushes
  std::vector<Scanner*> idle_scanners;  // and those of the pods' streams (demux)
  // --follow: the last dump reported, which an amendment extends.
  std::optional<Incident> last_streamed;
  // Batch: identical incidents of several inputs, held once (twins.h).
  TwinIndex twins;
  uint32_t next_input = 0;  // the reading-order number of the next input
  // Set by ReadFd for the next Run: the input cannot be kept whole for a
  // bottom-up reading (a plain file over kMaxBottomUpBytes).
  bool too_big_to_keep = false;

  explicit Impl(ParseOptions o) : opts(std::move(o)) {
    ctx.out = out.get();
    ctx.limits = opts.limits;
    ctx.streaming = static_cast<bool>(opts.on_incident);
    if (opts.on_pod) ctx.pod_added = [this] { opts.on_pod(*out); };
    ctx.emit = [this](Incident&& inc) {
      if (opts.on_incident) {
        // Classify this incident alone and hand it over in place; it is
        // dropped when the call returns.
        ParsedInput& in = *out;
        in.incidents.push_back(std::move(inc));
        ClassifyAll(&in, opts.module);
        // Only the same pod's dump continues (with pods read apart, the
        // last one reported may be another pod's).
        if (in.incidents.back().continues_previous && last_streamed &&
            last_streamed->pod == in.incidents.back().pod) {
          // More of the dump reported a moment ago: the whole of it again,
          // marked as an amendment (StreamAnalyzer gives it the same
          // incident number).
          Incident more = std::move(in.incidents.back());
          in.incidents.pop_back();
          more.continues_previous = false;
          MergeIncident(&*last_streamed, std::move(more), opts.limits);
          last_streamed->amended = true;
          in.incidents.push_back(*last_streamed);
        } else {
          in.incidents.back().continues_previous = false;
          if (Continuable(in.incidents.back().kind)) last_streamed = in.incidents.back();
          else last_streamed.reset();
        }
        opts.on_incident(in);
        in.incidents.clear();
        return;
      }
      if (!twins.Admit(inc, out->incidents.size(), opts.limits.max_incidents)) {
        NoteLimit(&out->limits_hit, "incidents per run (--max-incidents)");
        return;
      }
      out->incidents.push_back(std::move(inc));
    };
  }

  // Reads one whole input with \a read (Run, or a file in parts), then
  // folds its incidents into the identical ones of inputs read before.
  bool Input(const std::function<bool()>& read) {
    const size_t from = out->incidents.size();
    const bool ok = read();
    if (opts.fold_twins && !ctx.streaming) twins.Fold(&out->incidents, from, next_input);
    ++next_input;
    return ok;
  }

  bool Run(const std::string& name, const std::function<bool(LineSplitter*, std::string*)>& read,
           std::string* err) {
    ctx.source = name;
    // What the lines before a trace said (a logged panic value, the test
    // running) belongs to this input alone, not to the one read before it.
    ctx.recent.clear();
    ctx.recent_timestamp.clear();
    ctx.recent_lineno = 0;
    ctx.tests = TestTracker();
    ctx.last_unplaced_lineno = 0;
    // A kubelet log file's path names its pod and container.
    ctx.pod = PodRef();
    PodFromLogPath(name, &ctx.pod);
    out->sources.push_back(name);
    Scanner scanner_obj(&ctx);
    scanner = &scanner_obj;
    EnvelopeUnwrapper env(&scanner_obj);
    // Interleaved `kubectl logs --prefix` output: one stream per pod, each
    // with its own context and Scanner (parsers/demux.h).
    struct Stream {
      ParseContext ctx;
      std::unique_ptr<Scanner> scanner;
      std::unique_ptr<EnvelopeUnwrapper> env;
    };
    std::vector<std::unique_ptr<Stream>> streams;
    size_t first_incident = out->incidents.size();
    env.set_demux_tag("");
    PodDemux demux(&env, [&](const PodRef& pod) {
      auto st = std::make_unique<Stream>();
      st->ctx.out = ctx.out;
      st->ctx.limits = ctx.limits;
      st->ctx.source = ctx.source;
      st->ctx.emit = ctx.emit;
      st->ctx.pod_added = ctx.pod_added;
      st->ctx.more_follows = ctx.more_follows;
      st->ctx.continues = ctx.continues;
      st->ctx.streaming = ctx.streaming;
      st->ctx.pod = pod;
      if (st->ctx.pod.namespace_.empty()) st->ctx.pod.namespace_ = ctx.pod.namespace_;
      st->scanner = std::make_unique<Scanner>(&st->ctx);
      st->env = std::make_unique<EnvelopeUnwrapper>(st->scanner.get());
      idle_scanners.push_back(st->scanner.get());
      streams.push_back(std::move(st));
      return streams.back()->env.get();
    }, kMaxPodStreams);
    LineSplitter splitter(&env, opts.limits, &out->limits_hit);
    splitter.set_demux(&demux);
    splitter.set_fast_lane(opts.fast_lane);
    // A binary pprof profile is recognised by its first bytes and read
    // whole by the profile reader instead of being cut into lines.
    std::string profile;
    bool profile_too_big = false;
    const uint64_t max_profile = ProfileBounds().max_bytes;
    BinarySniff sniff{kProfileSniffBytes, LooksLikeProfileProto, [&](std::string_view b) {
                        if (profile.size() + b.size() > max_profile) profile_too_big = true;
                        else profile.append(b);
                      }};
    splitter.set_binary_sniff(&sniff);
    // A paste small enough to be read twice is kept, for ReadBottomUp.
    std::string kept;
    const bool may_reverse = !ctx.streaming && !ctx.continues && !ctx.more_follows && !too_big_to_keep;
    too_big_to_keep = false;
    if (may_reverse) splitter.set_keep(&kept, kMaxBottomUpBytes);
    const uint64_t in_traces_before = out->lines_in_traces, unplaced_before = out->lines_unplaced;
    std::string e;
    bool ok = read(&splitter, &e);
    scanner = nullptr;
    idle_scanners.clear();
    if (demux.overflow_lines())
      NoteLimit(&out->limits_hit, "pods in one input (" + std::to_string(kMaxPodStreams) +
                                      "; further pods' lines read as one stream)");
    // Each pod's incidents were complete when its stream ended: back in
    // input order.
    if (!streams.empty())
      std::stable_sort(out->incidents.begin() + static_cast<std::ptrdiff_t>(first_incident), out->incidents.end(),
                       [](const Incident& a, const Incident& b) { return a.first_line < b.first_line; });
    if (splitter.binary()) out->binary_sources.push_back(name);
    if (may_reverse && splitter.kept_whole() && profile.empty() && !splitter.binary())
      ReadBottomUp(name, kept, first_incident, in_traces_before, unplaced_before);
    if (!profile.empty()) {
      std::string perr;
      if (profile_too_big) perr = "larger than " + std::to_string(max_profile >> 20) + " MiB";
      else if (ReadProfileProto(profile, &ctx, &perr)) perr.clear();
      if (!perr.empty()) out->warnings.push_back(name + ": unreadable pprof profile: " + perr);
    }
    if (!ok) {
      std::string msg = name + ": " + e;
      out->warnings.push_back(msg);
      if (err) *err = msg;
    }
    return ok;
  }

  // A log view that lists the newest line first (Grafana's and Kibana's
  // tables, `journalctl -r`), copied whole, holds each trace upside down:
  // frames before their goroutine's header, the panic after it. The
  // runtime prints a goroutine's top frame right after its header; when
  // more headers in the input have a frame right before them than right
  // after (BottomUpVotes), it is read again bottom-up, and that reading
  // replaces the first when it finds at least as many frames. Its incidents
  // keep the input's own line numbers and are marked read_bottom_up.
  void ReadBottomUp(const std::string& name, std::string_view text, size_t first_incident,
                    uint64_t in_traces_before, uint64_t unplaced_before) {
    auto frames = [](const std::vector<Incident>& incs, size_t from) {
      size_t n = 0;
      for (size_t i = from; i < incs.size(); ++i) {
        const Incident& inc = incs[i];
        if (inc.crashing) n += inc.crashing->frames.size();
        for (const GoroutineGroup& g : inc.groups)
          if (!g.samples.empty()) n += g.samples.front().frames.size();
        if (inc.race)
          for (const RaceAccess& a : inc.race->accesses) n += a.frames.size();
      }
      return n;
    };
    if (text.find("goroutine ") == std::string_view::npos) return;
    std::vector<std::string_view> lines;
    for (size_t at = 0; at < text.size();) {
      size_t nl = text.find('\n', at);
      if (nl == std::string_view::npos) nl = text.size();
      lines.push_back(text.substr(at, nl - at));
      at = nl + 1;
    }
    if (!ReadsBottomUp(lines)) return;
    const size_t top_down = frames(out->incidents, first_incident);
    std::string reversed;
    reversed.reserve(text.size() + 1);
    for (size_t i = lines.size(); i-- > 0;) {
      reversed.append(lines[i]);
      reversed.push_back('\n');
    }
    ParseOptions o = opts;
    o.on_incident = nullptr;
    o.on_pod = nullptr;
    o.text_piece_bytes = 0;
    Parser p(std::move(o));
    p.AddText(name, reversed);
    std::unique_ptr<ParsedInput> rev = p.Finish();
    if (size_t bottom_up = frames(rev->incidents, 0); bottom_up == 0 || bottom_up < top_down) return;
    const size_t n = lines.size();
    out->incidents.erase(out->incidents.begin() + static_cast<std::ptrdiff_t>(first_incident), out->incidents.end());
    for (size_t i = rev->incidents.size(); i-- > 0;) {  // in input order
      Incident& inc = rev->incidents[i];
      MapInputLines(&inc, [n](size_t l) { return l <= n ? n + 1 - l : l; });
      inc.read_bottom_up = true;
      if (out->incidents.size() >= opts.limits.max_incidents) {
        NoteLimit(&out->limits_hit, "incidents per run (--max-incidents)");
        break;
      }
      out->incidents.push_back(std::move(inc));
    }
    rev->incidents.clear();
    out->lines_in_traces = in_traces_before + rev->lines_in_traces;
    out->lines_unplaced = unplaced_before + rev->lines_unplaced;
    for (const LimitNote& l : rev->limits_hit) NoteLimit(&out->limits_hit, l.what, l.count);
    out->parts.push_back(std::move(rev));  // the incidents' views point into its pool
  }
};

namespace {

// True when more goroutine headers in \a lines have a function line right
// before them than right after: the runtime prints each goroutine's top
// frame after its header, so such an input lists its lines newest first.
// Headers and frames are recognised inside a log envelope and a markdown
// quote too.
bool ReadsBottomUp(const std::vector<std::string_view>& lines) {
  std::string buf;
  // The text of line i inside its envelope and a markdown quote's `>`.
  auto text = [&](size_t i, std::string_view* t) {
    if (i >= lines.size() || !Unwrapped(lines[i], t, &buf)) return false;
    *t = Trim(*t);
    while (!t->empty() && t->front() == '>') *t = Trim(t->substr(1));
    return true;
  };
  auto func = [&](size_t i) {
    std::string_view t;
    FuncLine fl;
    return text(i, &t) && ParseFuncLine(t, &fl);
  };
  size_t after = 0, before = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("goroutine ") == std::string_view::npos) continue;
    std::string_view t;
    GoroutineHeader h;
    if (!text(i, &t) || !ParseGoroutineHeader(t, &h)) continue;
    after += func(i + 1);
    before += i > 0 && func(i - 1);
  }
  return before > after;
}

}  // namespace

Parser::Parser(ParseOptions opts) : impl_(std::make_unique<Impl>(std::move(opts))) {}
Parser::~Parser() = default;

bool Parser::AddFd(int fd, const std::string& name, std::string* err) {
  return impl_->Input([&] { return ReadFd(fd, name, err); });
}

namespace {

// True when \a fd's first two bytes are there and are not gzip's magic
// (ReadAll inflates a file that starts with it).
bool PlainFileStart(int fd) {
  unsigned char magic[2] = {0, 0};
  return pread(fd, magic, 2, 0) == 2 && !(magic[0] == 0x1f && magic[1] == 0x8b);
}

}  // namespace

bool Parser::ReadFd(int fd, const std::string& name, std::string* err) {
  // A plain file larger than a paste read twice is never kept whole: its
  // first megabyte need not be copied aside (and its pages faulted in) only
  // to be dropped at the second read.
  struct stat st;
  impl_->too_big_to_keep = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                           static_cast<uint64_t>(st.st_size) > kMaxBottomUpBytes && PlainFileStart(fd);
  return impl_->Run(
      name,
      [&](LineSplitter* s, std::string* e) {
        return ReadAll(fd, s, &impl_->out->bytes, e, impl_->opts.on_incident ? impl_->opts.idle_flush_ms : -1,
                       [this] {
                         if (impl_->scanner) impl_->scanner->OnIdle();
                         for (Scanner* s : impl_->idle_scanners) s->OnIdle();
                       });
      },
      err);
}

bool Parser::AddFile(const std::string& path, std::string* err) {
  return impl_->Input([&] { return ReadFile(path, err); });
}

bool Parser::ReadFile(const std::string& path, std::string* err) {
  if (path == "-") return ReadFd(0, "-", err);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (err) *err = path + ": " + std::strerror(errno);
    return false;
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  struct stat st;
  bool ok;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<uint64_t>(st.st_size) >= kParallelMinBytes && !impl_->opts.on_incident &&
      std::thread::hardware_concurrency() >= 2) {
    ok = ReadFileInParts(fd, static_cast<uint64_t>(st.st_size), path, err);
  } else {
    ok = ReadFd(fd, path, err);
  }
  close(fd);
  return ok;
}

bool Parser::AddFiles(const std::vector<std::string>& paths, unsigned threads, std::vector<std::string>* errs) {
  bool ok = true;
  auto one_by_one = [&] {
    for (const std::string& path : paths) {
      std::string e;
      if (!AddFile(path, &e)) {
        ok = false;
        if (errs) errs->push_back(e);
      }
    }
    return ok;
  };
  if (threads < 2 || paths.size() < 2 || impl_->opts.on_incident || impl_->opts.on_pod ||
      std::find(paths.begin(), paths.end(), "-") != paths.end())
    return one_by_one();

  // What reading one file added to its thread's model.
  struct Added {
    size_t worker = 0;
    size_t incidents_begin = 0, incidents_end = 0;
    size_t pods_begin = 0, pods_end = 0;
    size_t sources_begin = 0, sources_end = 0;
    size_t binary_begin = 0, binary_end = 0;
    size_t warnings_begin = 0, warnings_end = 0;
    std::vector<LimitNote> limits;  // counts added by this file
    bool ok = true;
    std::string err;
  };
  const size_t n_workers = std::min<size_t>(threads, paths.size());
  std::vector<std::unique_ptr<Parser>> workers;
  for (size_t w = 0; w < n_workers; ++w) workers.push_back(std::make_unique<Parser>(impl_->opts));
  std::vector<Added> added(paths.size());
  std::atomic<size_t> next{0};
  const uint32_t first_input = impl_->next_input;
  auto work = [&](size_t w) {
    ParsedInput& o = *workers[w]->impl_->out;
    for (size_t i; (i = next.fetch_add(1)) < paths.size();) {
      Added& a = added[i];
      a.worker = w;
      a.incidents_begin = o.incidents.size();
      a.pods_begin = o.pods.size();
      a.sources_begin = o.sources.size();
      a.binary_begin = o.binary_sources.size();
      a.warnings_begin = o.warnings.size();
      std::vector<LimitNote> before = o.limits_hit;
      workers[w]->impl_->next_input = first_input + static_cast<uint32_t>(i);
      a.ok = workers[w]->AddFile(paths[i], &a.err);
      a.incidents_end = o.incidents.size();
      a.pods_end = o.pods.size();
      a.sources_end = o.sources.size();
      a.binary_end = o.binary_sources.size();
      a.warnings_end = o.warnings.size();
      for (const LimitNote& l : o.limits_hit) {
        uint64_t was = 0;
        for (const LimitNote& b : before)
          if (b.what == l.what) was = b.count;
        if (l.count > was) a.limits.push_back({l.what, l.count - was});
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < n_workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& t : pool) t.join();

  // In the order given, as AddFile on each in turn would have added them.
  ParsedInput& out = *impl_->out;
  size_t incidents = out.incidents.size();
  for (const Added& a : added) incidents += a.incidents_end - a.incidents_begin;
  out.incidents.reserve(std::min(incidents, impl_->opts.limits.max_incidents));
  for (Added& a : added) {
    ParsedInput& o = *workers[a.worker]->impl_->out;
    for (size_t k = a.sources_begin; k < a.sources_end; ++k) out.sources.push_back(std::move(o.sources[k]));
    // Each thread folded its own inputs' identical incidents; here those
    // of different threads fold, as reading them in turn would have.
    const size_t from = out.incidents.size();
    for (size_t k = a.incidents_begin; k < a.incidents_end; ++k) {
      if (!impl_->twins.Admit(o.incidents[k], out.incidents.size(), impl_->opts.limits.max_incidents)) {
        // Its twins, folded on its thread, would each have been dropped.
        NoteLimit(&out.limits_hit, "incidents per run (--max-incidents)", 1 + o.incidents[k].twins.size());
        continue;
      }
      out.incidents.push_back(std::move(o.incidents[k]));
    }
    if (impl_->opts.fold_twins) impl_->twins.Fold(&out.incidents, from, impl_->next_input);
    ++impl_->next_input;
    for (size_t k = a.pods_begin; k < a.pods_end; ++k) out.pods.push_back(std::move(o.pods[k]));
    for (size_t k = a.binary_begin; k < a.binary_end; ++k) out.binary_sources.push_back(std::move(o.binary_sources[k]));
    for (const LimitNote& l : a.limits) NoteLimit(&out.limits_hit, l.what, l.count);
    for (size_t k = a.warnings_begin; k < a.warnings_end; ++k) out.warnings.push_back(std::move(o.warnings[k]));
    if (!a.ok) {
      ok = false;
      if (errs) errs->push_back(a.err);
    }
  }
  for (std::unique_ptr<Parser>& w : workers) {
    ParsedInput& o = *w->impl_->out;
    AddCounts(&out, o);
    // The incidents' views point into its pool, and its parts' pools.
    std::vector<Incident>().swap(o.incidents);
    std::vector<PodStatus>().swap(o.pods);
    out.parts.push_back(std::move(w->impl_->out));
  }
  return ok;
}

bool Parser::ReadFileInParts(int fd, uint64_t size, const std::string& path, std::string* err) {
  uint64_t split = 0;
  char head[kProfileSniffBytes];
  ssize_t got = pread(fd, head, sizeof head, 0);
  if (PlainFileStart(fd) && !(got > 0 && LooksLikeProfileProto(std::string_view(head, static_cast<size_t>(got)))))
    split = FindSplit(fd, size);
  if (split == 0) return ReadFd(fd, path, err);

  // The second part is parsed on another thread into its own ParsedInput,
  // then its first incident is folded into the first part's last one.
  Impl& a = *impl_;
  auto b = std::make_unique<Impl>(a.opts);
  b->ctx.continues = true;
  b->ctx.source = path;
  bool ok_b = true;
  std::string err_b;
  std::thread tb([&] {
    ok_b = b->Run(path, [&](LineSplitter* s, std::string* e) {
      return ReadRange(fd, split, size - split, s, &b->out->bytes, e);
    }, &err_b);
  });
  a.ctx.more_follows = true;
  size_t lines_before = 0;
  bool ok_a = a.Run(path, [&](LineSplitter* s, std::string* e) {
    bool r = ReadRange(fd, 0, split, s, &a.out->bytes, e);
    lines_before = s->lines();
    return r;
  }, err);
  a.ctx.more_follows = false;
  tb.join();

  ParsedInput& out = *a.out;
  ParsedInput& part = *b->out;
  size_t first_new = out.incidents.size();
  for (Incident& inc : part.incidents) {
    ShiftInputLines(&inc, static_cast<int64_t>(lines_before));
    inc.source = path;
  }
  size_t start = 0;
  if (!part.incidents.empty() && first_new > 0 &&
      Mergeable(out.incidents.back(), part.incidents.front()) &&
      part.incidents.front().first_line == lines_before + 1) {
    MergeIncident(&out.incidents.back(), std::move(part.incidents.front()), a.opts.limits);
    start = 1;
  }
  for (size_t i = start; i < part.incidents.size(); ++i) out.incidents.push_back(std::move(part.incidents[i]));
  // What the merge did not take (samples beyond the limit) stays in the
  // part and is freed with it, after the report: freeing it here would add
  // milliseconds between the parse and the output.
  for (PodStatus& p : part.pods) {
    p.first_line += lines_before;
    out.pods.push_back(std::move(p));
  }
  part.pods.clear();
  AddCounts(&out, part);
  for (const LimitNote& l : part.limits_hit) NoteLimit(&out.limits_hit, l.what, l.count);
  for (std::string& w : part.warnings) out.warnings.push_back(std::move(w));
  out.parts.push_back(std::move(b->out));
  if (!ok_b && err && err->empty()) *err = err_b;
  return ok_a && ok_b;
}

bool Parser::AddText(std::string_view name, std::string_view text, std::string* err) {
  impl_->out->bytes += text.size();
  return impl_->Input([&] {
    return impl_->Run(
        std::string(name),
        [&](LineSplitter* s, std::string* e) { return ReadBuffer(text, s, e, impl_->opts.text_piece_bytes); }, err);
  });
}

std::unique_ptr<ParsedInput> Parser::Finish() {
  TwinIndex::SortTwins(&impl_->out->incidents);
  ClassifyAll(impl_->out.get(), impl_->opts.module);
  return std::move(impl_->out);
}

std::unique_ptr<ParsedInput> ParseText(std::string_view text, const ParseOptions& opts) {
  Parser p(opts);
  p.AddText("<text>", text);
  return p.Finish();
}

}  // namespace gotriage
