// The kernel OOM killer's log; see kernel_oom.h.
#include "parsers/kernel_oom.h"

#include <re2/re2.h>

#include <charconv>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/strings.h"

namespace gotriage {

namespace {

// The value of `key=` in the `oom-kill:` summary's comma-separated list.
std::string_view Field(std::string_view list, std::string_view key) {
  size_t at = 0;
  while (at < list.size()) {
    size_t comma = list.find(',', at);
    std::string_view item = list.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    if (item.size() > key.size() && item.substr(0, key.size()) == key && item[key.size()] == '=')
      return item.substr(key.size() + 1);
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  return {};
}

template <class T>
T Number(std::string_view s, T fallback) {
  T v{};
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() ? v : fallback;
}

}  // namespace

bool ReadOomKillLine(std::string_view line, KernelOomKill* out) {
  size_t at = line.find("Killed process ");
  if (at == std::string_view::npos) return false;
  // The name may hold parentheses (`(resolved)` prints as `((resolved))`):
  // up to the last `)` before a blank, a comma or the end.
  static const RE2 re(R"(Killed process (\d+) \((.+?)\)(?:[ ,]|$)(?:.*?total-vm:(\d+)kB, anon-rss:(\d+)kB)?)");
  re2::StringPiece in(line.data() + at, line.size() - at);
  re2::StringPiece pid, name, vm, rss;
  if (!RE2::PartialMatch(in, re, &pid, &name, &vm, &rss)) return false;
  out->pid = Number<int64_t>(std::string_view(pid.data(), pid.size()), -1);
  out->process.assign(name.data(), name.size());
  out->total_vm_kb = Number<uint64_t>(std::string_view(vm.data(), vm.size()), 0);
  out->anon_rss_kb = Number<uint64_t>(std::string_view(rss.data(), rss.size()), 0);
  std::string_view before = line.substr(0, at);
  out->cgroup = before.find("Memory cgroup out of memory") != std::string_view::npos;
  out->node = !out->cgroup && before.find("Out of memory") != std::string_view::npos;
  return true;
}

void KernelOomParser::Observe(std::string_view t) {
  if (size_t inv = t.find(" invoked oom-killer"); inv != std::string_view::npos) {
    size_t sp = inv == 0 ? std::string_view::npos : t.rfind(' ', inv - 1);
    size_t from = sp == std::string_view::npos ? 0 : sp + 1;
    std::string_view who = t.substr(from, inv - from);
    if (!who.empty() && who.back() == ']') who = {};  // a dmesg stamp, no name
    invoker_.assign(who);
  }
  if (size_t sum = t.find("oom-kill:"); sum != std::string_view::npos) {
    std::string_view list = t.substr(sum + 9);
    constraint_.assign(Field(list, "constraint"));
    std::string_view memcg = Field(list, "oom_memcg");
    if (memcg.empty()) memcg = Field(list, "task_memcg");
    memcg_.assign(memcg);
    task_pid_ = Number<int64_t>(Field(list, "pid"), -1);
  }
  // Kernels before 4.19 name the victim first, on a line of its own:
  // `Memory cgroup out of memory: Kill process N (NAME) score S or
  // sacrifice child` (a cgroup's limit) or `Out of memory: Kill process`
  // (the node's memory); `Killed process` follows.
  if (size_t kill = t.find("ut of memory: Kill process "); kill != std::string_view::npos) {
    limit_of_cgroup_ = t.substr(0, kill).find("Memory cgroup") != std::string_view::npos;
    node_ = !limit_of_cgroup_;
  }
  // Cgroup v1's `Task in CG killed as a result of limit of LIMIT_CG`.
  if (size_t lim = t.find("killed as a result of limit of "); lim != std::string_view::npos) {
    std::string_view cg = t.substr(lim + 31);
    memcg_.assign(Trim(cg.substr(0, cg.find_first_of(" \n"))));
    limit_of_cgroup_ = true;
    task_pid_ = -1;
  }
  // The call trace of a cgroup's OOM (cgroup v1 and v2 alike).
  if (t.find("mem_cgroup_out_of_memory") != std::string_view::npos) limit_of_cgroup_ = true;
}

bool MayConcernOomKiller(std::string_view t) {
  // `kill` or `Kill`: found by its `ll`, sixteen places at a time (every
  // goroutine header of a dump is asked).
  const char* s = t.data();
  const size_t n = t.size();
  auto at = [&](size_t l) { return l >= 2 && s[l - 1] == 'i' && (s[l - 2] == 'k' || s[l - 2] == 'K'); };
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i ell = _mm_set1_epi8('l');
  for (; i + 17 <= n; i += 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + 1));
    unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, ell), _mm_cmpeq_epi8(b, ell))));
    for (; m; m &= m - 1)
      if (at(i + static_cast<size_t>(__builtin_ctz(m)))) return true;
  }
#endif
  for (; i + 1 < n; ++i)
    if (s[i] == 'l' && s[i + 1] == 'l' && at(i)) return true;
  return false;
}

bool KernelOomParser::Start(const Line& line) {
  std::string_view t = line.text;
  // One cheap test for the lines that matter (`Killed process`, `Kill
  // process`, `killed as a result`, `oom-kill`, `invoked oom-killer`: all
  // hold `kill` or `Kill`); every other line of the killer's report (its
  // call trace, memory state, task table) is left.
  if (!MayConcernOomKiller(t)) return false;
  Observe(t);
  KernelOomKill k;
  if (ReadOomKillLine(t, &k)) {
    Begin(std::move(k), line);
    return true;
  }
  if (t.find(" invoked oom-killer") == std::string_view::npos || invoker_.empty()) return false;
  // The report starts: its victim comes later, if the input holds it.
  k.pid = -1;
  Begin(std::move(k), line);
  awaiting_victim_ = true;
  report_lines_ = 0;
  return true;
}

void KernelOomParser::Begin(KernelOomKill k, const Line& line) {
  k.input_line = line.lineno;
  if (k.pid >= 0) Attribute(&k);
  incident_ = StartIncident(IncidentKind::kKernelOomKill, line, *ctx_);
  incident_->oom_kill = std::move(k);
}

void KernelOomParser::Attribute(KernelOomKill* k) {
  if (task_pid_ == k->pid || (task_pid_ < 0 && limit_of_cgroup_)) {
    k->constraint = constraint_;
    k->memcg = memcg_;
    k->cgroup = k->cgroup || limit_of_cgroup_ || constraint_ == "CONSTRAINT_MEMCG";
  }
  k->node = !k->cgroup && (k->node || node_ || constraint_ == "CONSTRAINT_NONE");
  k->invoker = std::move(invoker_);
  invoker_.clear();
  constraint_.clear();
  memcg_.clear();
  task_pid_ = -1;
  limit_of_cgroup_ = node_ = false;
}

SubParser::Feed KernelOomParser::Next(const Line& line) {
  if (!awaiting_victim_) return Feed::kDone;
  std::string_view t = line.text;
  KernelOomKill k;
  if (ReadOomKillLine(t, &k)) {
    // The victim: the report is read again from this line (Start), with
    // what its lines said.
    awaiting_victim_ = false;
    incident_.reset();
    return Feed::kDone;
  }
  // Another report, or one longer than any the kernel prints (its task
  // table is one line per process): this one ends without its victim.
  if (t.find(" invoked oom-killer") != std::string_view::npos || ++report_lines_ > 5000) return Feed::kDone;
  Observe(t);
  if (incident_) incident_->last_line = line.lineno;
  return Feed::kConsumed;
}

void KernelOomParser::Finish(bool /*at_eof*/) {
  if (!incident_) return;
  if (awaiting_victim_) {
    // Cut before its victim: what the report said so far.
    awaiting_victim_ = false;
    Attribute(&*incident_->oom_kill);
  }
  Incident inc = std::move(*incident_);
  incident_.reset();
  ctx_->emit(std::move(inc));
}

}  // namespace gotriage
