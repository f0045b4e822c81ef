// The data model shared by every parser, the rule engine and the renderers.
//
// Lifetime: every std::string_view in this model points into the
// StringPool owned by the ParsedInput that holds it (function names, file
// paths, wait states, package paths), so a model object must not outlive its
// ParsedInput. Per-goroutine values that differ between goroutines (argument
// lists, labels) are owned std::strings, and are only kept for the bounded
// number of sample goroutines of each group.
//
// Memory is bounded by the number of distinct stacks, not by the number of
// goroutines: goroutines are folded into GoroutineGroups as they are parsed,
// and each group keeps at most kMaxSamplesPerGroup goroutines in full plus at
// most kMaxIdsPerGroup goroutine IDs.
#ifndef GOTRIAGE_PARSERS_MODEL_H_
#define GOTRIAGE_PARSERS_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "parsers/boxed.h"
#include "parsers/label.h"
#include "parsers/profile_model.h"

namespace gotriage {

/// Owns interned strings; views handed out stay valid for its lifetime. One
/// view per distinct string: equal strings share their bytes (a view's
/// data() names the string), each followed by a NUL.
class StringPool {
 public:
  StringPool() = default;
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  /// Returns a stable view equal to \a s, storing it once.
  std::string_view Intern(std::string_view s);
  size_t size() const { return count_; }
  size_t bytes() const { return bytes_; }

 private:
  // An open-addressed table (linear probing, at most half full) of views
  // into blocks of text that never move: a lookup reads one slot, and the
  // bytes only when the hashes agree. (A std::unordered_set<std::string>
  // read a bucket, a node and the string's own allocation: its lookups
  // were a twentieth of a run on a debug=1 profile of 300 stacks.)
  struct Slot {
    uint64_t hash = 0;
    const char* data = nullptr;  // nullptr: empty slot
    size_t size = 0;
  };
  const char* Store(std::string_view s);
  void Grow();
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;   // in the block short strings go to
  size_t left_ = 0;        // bytes free there (a long one gets its own)
  size_t count_ = 0;
  size_t bytes_ = 0;
};

/// Where a frame's code comes from.
enum class FrameKind : uint8_t {
  kUnknown,
  kRuntime,     ///< package runtime, runtime/internal/*, internal/runtime/*
  kStdlib,      ///< any other standard library package (net/http, sync, ...)
  kDependency,  ///< third-party module (pkg/mod, vendor/, outside main module)
  kApp,         ///< the application's own module
};
const char* FrameKindName(FrameKind k);

/// One stack frame: `FUNC(ARGS)` followed by `\tFILE:LINE +0xOFF`.
struct Frame {
  std::string_view function;  ///< full name, e.g. `pkg/path.(*T).M.func1`
  std::string_view package;   ///< import path, e.g. `pkg/path`
  std::string_view file;      ///< as printed (may be trimmed or Windows)
  int line = 0;
  uint64_t pc_offset = 0;     ///< the `+0x..` value; 0 when absent
  bool has_offset = false;
  bool inlined = false;       ///< args printed as `(...)`
  bool is_panic = false;      ///< `panic(...)` / runtime.gopanic / (Go <= 1.3) runtime.panic
  FrameKind kind = FrameKind::kUnknown;
  std::string args;           ///< raw text between the parentheses
  size_t input_line = 0;      ///< 1-based line of the function line in input
  std::string_view module;    ///< module path when known (pkg/mod), else ""
  std::string_view module_version;  ///< `v1.2.3` when the path carries it
};

/// How a goroutine is blocked, folded from the many spellings of the
/// runtime's wait reasons across versions.
enum class WaitKind : uint8_t {
  kUnknown,
  kRunning,       ///< running, runnable, syscall (not blocked on Go)
  kChanReceive,
  kChanSend,
  kChanNil,       ///< chan send/receive on a nil channel (blocks forever)
  kSelect,
  kSelectNoCases,
  kMutex,         ///< sync.Mutex.Lock, sync.RWMutex.*, semacquire
  kWaitGroup,
  kCond,
  kIOWait,
  kSleep,
  kSyscall,
  kRuntimeIdle,   ///< GC workers, finalizer wait, force gc (idle), ...
  kOther,
};
const char* WaitKindName(WaitKind k);

/// Parses a wait state (`chan receive`, `semacquire`, `IO wait`, ...).
WaitKind ClassifyWaitState(std::string_view state);

struct Goroutine {
  int64_t id = -1;
  std::string_view state;      ///< wait reason as printed, minus decorations
  WaitKind wait = WaitKind::kUnknown;
  int wait_minutes = -1;       ///< -1 when not printed
  bool locked_to_thread = false;
  bool leaked = false;         ///< `(leaked)` mark of the goroutineleak profile
  bool durable = false;        ///< `(durable)` wait forms
  bool scan = false;           ///< `(scan)`
  bool stack_unavailable = false;  ///< running on other thread
  bool frames_elided = false;
  int elided_count = 0;        ///< N of `...N frames elided...`, 0 if unknown
  bool truncated = false;      ///< input ended inside this goroutine
  std::vector<Frame> frames;   ///< innermost first
  std::optional<Frame> created_by;
  int64_t created_by_goroutine = -1;
  /// runtime/pprof labels, decoded (Go 1.27 header `{k: v}`, Go 1.26
  /// `labels:{...}`, pprof debug=1 `# labels:`), sorted as printed.
  std::vector<Label> labels;
  bool labels_cut = false;     ///< more labels than kept (bounded)
  uint64_t count = 1;          ///< >1 for pprof debug=1 records
  size_t header_line = 0;      ///< 1-based input line of the header
  std::vector<Goroutine> ancestors;  ///< `[originating from goroutine N]:`
};

/// A distinct label set of a group's goroutines and how many carry it.
struct LabelSetCount {
  std::vector<Label> labels;
  uint64_t count = 0;
  size_t first_line = 0;  ///< input line of the first goroutine with these labels
};

/// Distinct label sets kept per group; goroutines with further sets are
/// counted in GoroutineGroup::label_sets_other.
constexpr size_t kMaxLabelSetsPerGroup = 16;

/// Goroutines folded by identical stack (function + file:line of every frame,
/// and the wait state), like panicparse's aggregation.
struct GoroutineGroup {
  uint64_t count = 0;             ///< goroutines in the group
  std::string_view state;
  WaitKind wait = WaitKind::kUnknown;
  int min_wait_minutes = -1;      ///< -1 when no goroutine printed minutes
  int max_wait_minutes = -1;
  bool any_leaked = false;
  std::vector<Goroutine> samples; ///< first goroutines seen, in full
  std::vector<int64_t> ids;       ///< first goroutine IDs seen
  std::vector<size_t> header_lines;  ///< input lines of the first headers
  int first_app_frame = -1;       ///< index into samples[0].frames, or -1
  int crash_site_frame = -1;      ///< first non-runtime frame, or -1
  uint64_t stack_hash = 0;
  size_t first_line = 0;          ///< input line of its first goroutine's header
  /// Labels are not part of the group key: goroutines with the same stack
  /// and different labels share a group, and their label sets are counted
  /// here (most goroutines first, at most kMaxLabelSetsPerGroup).
  std::vector<LabelSetCount> label_sets;
  uint64_t labelled = 0;          ///< goroutines that carried labels
  uint64_t label_sets_other = 0;  ///< labelled goroutines beyond the kept sets

  const Goroutine& representative() const { return samples.front(); }
};

enum class IncidentKind : uint8_t {
  kPanic,          ///< `panic: ...` (unrecovered)
  kFatalError,     ///< `fatal error: ...`
  kSignalDump,     ///< `SIGQUIT: quit` / `SIGABRT: abort` / ... dumps
  kGoroutineDump,  ///< bare goroutine dump (debug=2, runtime.Stack)
  kPprofDebug1,    ///< `goroutine profile: total N`
  kRecoveredPanic, ///< a panic logged with its stack by the application
  kRaceReport,     ///< `WARNING: DATA RACE`
  kTestTimeout,    ///< `panic: test timed out after D`
  kProfileTop,     ///< a `go tool pprof -top` listing (no stacks)
  kProfile,        ///< a CPU, heap, allocs, block or mutex profile (protobuf, or heap text)
  kGcTrace,        ///< `GODEBUG=gctrace=1` lines
  kFatalRecord,    ///< a fatal-level log record: the program exited on purpose
  kKernelOomKill,  ///< the Linux kernel's OOM killer killed a process (its log)
};
const char* IncidentKindName(IncidentKind k);

/// One line of a panic chain: `panic: A [recovered]` then `\tpanic: B`.
struct PanicValue {
  std::string message;     ///< may span several lines, joined with '\n'
  bool recovered = false;
  bool repanicked = false; ///< `[recovered, repanicked]` / `reraised`
  bool goexit = false;     ///< `panic: ... goexit` forms
  size_t input_line = 0;
};

struct SignalInfo {
  std::string name;   ///< SIGSEGV, SIGQUIT, SIGABRT, SIGBUS, ...
  std::string description;  ///< `segmentation violation`, `quit`, ...
  std::string code;   ///< `0x1` / sigcode
  uint64_t addr = 0;
  bool has_addr = false;
  uint64_t pc = 0;
  size_t input_line = 0;
};

/// One access of a `go test -race` report.
struct RaceAccess {
  std::string kind;          ///< `Read`, `Write`, `Previous read`, ...
  std::string address;       ///< 0x...
  int64_t goroutine = -1;    ///< -1 for `main goroutine`
  std::vector<Frame> frames;
  std::vector<Frame> created_at;  ///< `Goroutine N (running) created at:`
  std::string goroutine_status;   ///< running / finished
  bool stack_unavailable = false; ///< `[failed to restore the stack]`
};

struct RaceReport {
  std::vector<RaceAccess> accesses;  ///< current then previous
  std::string global_var;            ///< `Global var ...` / `Location is ...`
  std::string test_name;             ///< test in which it was detected
  /// `Heap block of size N at 0x.. allocated by goroutine N:` as printed.
  std::string heap_block;
  std::vector<Frame> heap_allocated_at;  ///< the allocation's stack
  size_t detected_line = 0;  ///< `testing.go:N: race detected ...`, 0 if none
  size_t test_line = 0;      ///< the `--- FAIL:`/`=== RUN` naming the test
};

/// One row of a `go tool pprof -top` listing.
struct ProfileTopRow {
  std::string flat, cum;        ///< as printed: `75.01MB`, `44362`, `1.2s`
  double flat_value = 0, cum_value = 0;  ///< in the listing's unit
  double flat_pct = 0, cum_pct = 0;
  std::string_view function;    ///< interned
  std::string file;             ///< with `-top` of some versions, or ""
  size_t input_line = 0;
};

/// One call of a `go tool pprof -peek` or `-tree` listing: how much of
/// \a callee's cum came through calls from \a caller.
struct ProfileTopEdge {
  std::string_view caller, callee;  ///< interned
  double value = 0;                 ///< in the listing's unit
  size_t input_line = 0;
};

/// A `go tool pprof -top` listing: flat/cum per function, no stacks; or a
/// `-peek` or `-tree` listing, whose nodes are rows and whose callers and
/// callees are edges (after a `top` in the same paste, with it).
struct ProfileTop {
  std::string unit;   ///< "count" (goroutines, objects), "bytes" or "time"
  std::string total;  ///< `78.56MB`, `44364`
  double total_value = 0;
  std::vector<ProfileTopRow> rows;  ///< in printed order (by flat)
  std::vector<ProfileTopEdge> edges;
};

/// A log record at fatal level (klog's `F0117 ...] msg`, zap's and
/// logrus' `"level":"fatal"`, `level=fatal`, `FATA[0000]`, zerolog's
/// `FTL`): the program's last words before it exited on purpose
/// (parsers/fatal_record.h).
struct FatalRecord {
  std::string format;    ///< klog, json, logfmt, logrus, zap, zerolog, pretty
  std::string level;     ///< as printed: `F`, `fatal`, `FATAL`, `FATA`, `FTL`
  std::string message;   ///< the record's message
  std::string error;     ///< its `error`/`err` field, "" when none
  std::string caller;    ///< `file.go:123` as the record names it, "" when none
  std::string function;  ///< its `func` field, "" when none
  size_t input_line = 0;
};

/// A process the Linux kernel's OOM killer killed, as its log says
/// (parsers/kernel_oom.h): dmesg, `journalctl -k`, kern.log.
struct KernelOomKill {
  std::string process;     ///< the killed task's name, as the kernel prints it (15 bytes at most)
  int64_t pid = -1;
  uint64_t total_vm_kb = 0, anon_rss_kb = 0;  ///< 0 when not printed
  /// `Memory cgroup out of memory:`: a cgroup's limit (a container's) was
  /// hit, not the node's memory.
  bool cgroup = false;
  /// `Out of memory: Killed process` (or `Kill process`) without `Memory
  /// cgroup`: the node ran out of memory.
  bool node = false;
  std::string constraint;  ///< `oom-kill:constraint=`: CONSTRAINT_MEMCG, CONSTRAINT_NONE, ...; "" if not printed
  std::string memcg;       ///< the cgroup whose limit was hit (`oom_memcg=`), else the task's (`task_memcg=`)
  std::string invoker;     ///< the task whose allocation invoked the killer (`NAME invoked oom-killer`)
  size_t input_line = 0;   ///< the `Killed process` line
};

/// A test of `go test` (parsers/gotest.h).
struct TestRef {
  std::string package;  ///< import path, "" when unknown
  std::string name;     ///< `TestField/a`: the test, subtests after `/`
};

/// One Go incident found in the input: a crash, a dump, a race report, ...
/// Where in Kubernetes an output came from: the `[pod/NAME/CONTAINER] `
/// tag of `kubectl logs --prefix`, a CRI log file's path
/// (`/var/log/pods/NS_POD_UID/CONTAINER/N.log`), a pod object or a `kubectl
/// describe pod`. Each part is "" when unknown.
struct PodRef {
  std::string namespace_, name, container, node;
  bool empty() const { return name.empty() && container.empty() && namespace_.empty(); }
  bool operator==(const PodRef&) const = default;
  bool operator<(const PodRef& o) const {
    return std::tie(namespace_, name, container, node) < std::tie(o.namespace_, o.name, o.container, o.node);
  }
};

/// The pod of a `kubectl logs --prefix` tag at the start of \a line
/// (`[pod/NAME/CONTAINER] `): its length, the `] ` included (or the `]` at
/// the end of the line), or 0 when \a line does not start with one. Sets
/// \a pod's name and container when given.
size_t ParsePodTag(std::string_view line, PodRef* pod = nullptr);

/// The pod of a kubelet log file path
/// (`.../pods/NAMESPACE_POD_UID/CONTAINER/N.log`, rotated `N.log.DATE`,
/// `.gz`); false when \a path is not shaped so.
bool PodFromLogPath(std::string_view path, PodRef* pod);

/// One more place an incident was read from: an identical incident of
/// another input, folded into the first (parsers/twins.h).
struct Occurrence {
  std::string source;       ///< input name
  PodRef pod;
  std::string timestamp;    ///< from its log envelope, if any
  size_t first_line = 0, last_line = 0;
  uint32_t input = 0;       ///< the input's place in reading order
};

struct Incident {
  IncidentKind kind = IncidentKind::kGoroutineDump;
  /// The pod and container whose output held it (PodRef), when known.
  PodRef pod;
  std::vector<PanicValue> panics;       ///< outermost first as printed
  std::string fatal_error;              ///< text after `fatal error: `
  Boxed<SignalInfo> signal;
  std::vector<std::string> runtime_messages;  ///< `runtime: ...` lines
  Boxed<Goroutine> runtime_stack;     ///< `runtime stack:` block
  Boxed<Goroutine> crashing;    ///< the first goroutine (panicking)
  std::vector<GoroutineGroup> groups;   ///< every goroutine, folded
  uint64_t goroutine_count = 0;         ///< goroutines parsed
  uint64_t declared_total = 0;          ///< `profile: total N`, 0 if absent
  int exit_status = -1;                 ///< `exit status N`
  std::string timeout;                  ///< `test timed out after 10m0s`
  std::vector<std::string> running_tests;  ///< `running tests:` list
  /// The test go test's own lines before it named (TestTracker); see
  /// TestOf for the one completed from the stacks.
  std::optional<TestRef> test;
  Boxed<RaceReport> race;
  Boxed<ProfileTop> top;        ///< kProfileTop listings
  /// kFatalRecord: the record; a dump klog printed after it (Fatal dumps
  /// every goroutine) is the incident's goroutines.
  Boxed<FatalRecord> fatal_record;
  Boxed<KernelOomKill> oom_kill;  ///< kKernelOomKill
  /// kProfile: the decoded profile.proto (parsers/profile_proto.h) or
  /// heap profile text (parsers/gctrace.h).
  std::shared_ptr<const Profile> profile;
  std::shared_ptr<const GcTrace> gctrace;  ///< kGcTrace
  /// True for a binary input (profile.proto): its "lines" (first_line,
  /// header_line, input_line) are 1-based sample numbers, not text lines.
  bool sample_positions = false;
  /// The input's lines were in reverse order (a log view that lists the
  /// newest line first, pasted): the incident was read bottom-up. Its line
  /// numbers are still the input's own.
  bool read_bottom_up = false;
  bool partial = false;                 ///< cut off (input ended, limit)
  /// --follow: the parser reported this dump at the first foreign line after
  /// it, and this is more of the same dump that came after that line;
  /// Parser folds it into the incident already reported (see `amended`).
  bool continues_previous = false;
  /// --follow: a second report of an incident already reported, now with
  /// the rest of its dump (its findings are marked as amendments).
  bool amended = false;
  std::string partial_reason;
  size_t first_line = 0;                ///< 1-based input lines
  size_t last_line = 0;
  std::string timestamp;                ///< from the log envelope, if any
  std::string source;                   ///< input name (file or `-`)
  uint32_t input = 0;                   ///< the input's place in reading order
  std::string headline;                 ///< one line: what happened
  /// The incidents of later inputs identical to this one (TwinKey: the
  /// same message and stacks; goroutine IDs, argument values, lines and
  /// pods may differ), in reading order: a fleet's thousands of copies of
  /// one crash are held as one incident and where each was.
  std::vector<Occurrence> twins;

  /// The first line that explains the incident (`panic: ...`, `fatal
  /// error: ...`, `goroutine profile: total N`, ...).
  std::string Title() const;
};

/// A container of a `kubectl describe pod` / `get pod -o json` output.
struct ContainerStatus {
  std::string name;
  std::string state;              ///< Running, Waiting, Terminated
  std::string state_reason;
  std::string last_state;         ///< usually Terminated
  std::string last_reason;        ///< OOMKilled, Error, Completed, ...
  int last_exit_code = -1;
  int last_signal = -1;
  std::string last_started;       ///< as printed
  std::string last_finished;
  int64_t last_uptime_seconds = -1;  ///< Finished - Started
  bool ready = false;
  int restart_count = -1;
  std::string memory_limit, memory_request, cpu_limit, cpu_request;
  std::string liveness, readiness, startup;  ///< probe lines as printed
  int liveness_timeout_seconds = -1;
  int liveness_period_seconds = -1;
  int liveness_failure_threshold = -1;
  std::string state_started;      ///< `Started:` of the current state
  std::string last_message;       ///< `Message:` of the last state
  std::string image;
  size_t first_line = 0;          ///< 1-based input line of the container
};

struct PodEvent {
  std::string type, reason, age, from, message;
  int count = 1;           ///< N of `(xN over 11m)` in Age
  size_t input_line = 0;
};

struct PodStatus {
  std::string name, namespace_, node, status;
  std::vector<ContainerStatus> containers;
  std::vector<PodEvent> events;
  size_t first_line = 0;
  size_t last_line = 0;
  std::string source;
  std::string format;  ///< `describe`, `json` or `yaml`
};

/// A limit that was hit while reading; reported, never silent.
struct LimitNote {
  std::string what;
  uint64_t count = 0;
};

/// What `--label KEY=VALUE` kept and left out (never silent).
struct LabelFilterReport {
  std::vector<Label> wanted;           ///< every one must be carried
  uint64_t goroutines_kept = 0;
  uint64_t goroutines_filtered_out = 0;
  /// Among those filtered out: goroutines whose label set was beyond a
  /// group's bound, so whether they carried the labels is unknown.
  uint64_t goroutines_unknown = 0;
  uint64_t incidents_filtered_out = 0;
};

/// Everything parsed from the inputs of one run.
struct ParsedInput {
  StringPool strings;                 ///< owns every interned view
  std::vector<Incident> incidents;    ///< in input order
  /// The ordinal of incidents[0] among the input's incidents (those a label
  /// filter kept): 0 for a whole input. Under --follow each incident is
  /// analysed alone and then dropped; this says how many came before it, so
  /// Finding::incident numbers incidents as a batch run does.
  size_t first_incident = 0;
  std::vector<PodStatus> pods;
  uint64_t bytes = 0;
  uint64_t lines = 0;                 ///< input lines read
  uint64_t lines_in_traces = 0;       ///< lines that belong to an incident
  uint64_t lines_unplaced = 0;        ///< inside a trace but not understood
  std::vector<std::string> sources;   ///< input names in order
  std::vector<LimitNote> limits_hit;
  std::vector<std::string> warnings;  ///< e.g. unreadable gzip member
  std::string main_module;            ///< detected or from --module
  std::optional<LabelFilterReport> label_filter;  ///< set by ApplyLabelFilter
  std::vector<std::string> binary_sources;  ///< inputs with NUL bytes: not text
  /// Inputs parsed in parallel parts whose incidents were merged into this
  /// one; kept alive because those incidents' views point into their pools.
  /// Their own `incidents` hold only what the merge left behind.
  std::vector<std::unique_ptr<ParsedInput>> parts;

  /// The incident with ordinal \a n (Finding::incident), or nullptr when
  /// it is not held here (-1, or dropped under --follow).
  const Incident* IncidentAt(int n) const {
    if (n < 0 || static_cast<size_t>(n) < first_incident) return nullptr;
    size_t i = static_cast<size_t>(n) - first_incident;
    return i < incidents.size() ? &incidents[i] : nullptr;
  }

  /// Incidents read, those folded into an identical one (Incident::twins)
  /// included.
  uint64_t IncidentsRead() const {
    uint64_t n = 0;
    for (const Incident& inc : incidents) n += 1 + inc.twins.size();
    return n;
  }

  ParsedInput() = default;
  ParsedInput(const ParsedInput&) = delete;
  ParsedInput& operator=(const ParsedInput&) = delete;
  ParsedInput(ParsedInput&&) = delete;
};

/// Keeps only the goroutines that carry every label of \a wanted: groups
/// keep their matching goroutines (count, label sets, samples); a group or
/// incident left with none is removed, and so is a crash whose crashing
/// goroutine lacks them. What was removed is counted in in->label_filter.
/// Moves every input line number of \a inc by \a delta: an incident
/// parsed from a piece of a file (`gotriage watch` reads a log from where it
/// left off) then names the file's own lines. Sample positions of binary
/// inputs are left alone.
void ShiftInputLines(Incident* inc, int64_t delta);
/// Replaces every known input line number L of \a inc with \a f(L)
/// (ShiftInputLines is one such map; a paste read bottom-up is another);
/// first_line and last_line are swapped if \a f reversed them.
void MapInputLines(Incident* inc, const std::function<size_t(size_t)>& f);

void ApplyLabelFilter(ParsedInput* in, const std::vector<Label>& wanted);

/// True when \a labels holds every one of \a wanted.
bool HasLabels(const std::vector<Label>& labels, const std::vector<Label>& wanted);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_MODEL_H_
