// The fields of the model's structs (Frame, Label, Goroutine,
// LabelSetCount, GoroutineGroup, and the incident-level ones: Incident,
// PanicValue, SignalInfo, RaceReport, RaceAccess, ProfileTop, FatalRecord,
// KernelOomKill, TestRef, PodRef, Occurrence), listed once, each with its role.
//
// Several places must treat every field of an incident: the line shift
// (MapInputLines: every input line number), the twin key (TwinKey: what
// two copies of one crash share) and the model dump of the equality tests
// (tests/support/model_dump.h: everything). Each of them used to list the
// fields by hand, and the lists drifted apart: the dump left out a frame's
// module, the key its kind. Now each walks the list below with a visitor and
// decides by role. A field added to one of these structs goes here, once,
// with its role (parsers/model_fields_test.cc fails until it does).
//
// MergeIncident (parsers/parse_parts.cc), which puts an incident read in
// two parts back together, names the few fields the second part adds to
// (groups, counts, end, cut); every other field is the first part's.
#ifndef GOTRIAGE_PARSERS_MODEL_FIELDS_H_
#define GOTRIAGE_PARSERS_MODEL_FIELDS_H_

#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "parsers/model.h"

namespace gotriage {

/// What a field is, which decides who reads it.
enum class FieldRole {
  kContent,    ///< what the input said: in the twin key and the dump
  kDerived,    ///< worked out from content fields: the dump only
  kInputLine,  ///< an input line number (0: unknown): shifted, dumped, never keyed
  kPerRun,     ///< differs between two runs of one binary (IDs, argument values): the dump only
  kPlace,      ///< where an incident was (input, pod, time): the dump only, never shifted
};

/// Calls \a v(name, field, role) for every field of a Frame, Label,
/// Goroutine, LabelSetCount or GoroutineGroup (const or not), in
/// declaration order. Nested structs (frames, created_by, labels,
/// ancestors, samples, label sets) come as the vector or optional they
/// are; the visitor walks into them with VisitFields again.
template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, Frame>
void VisitFields(T& f, V&& v) {
  v("function", f.function, FieldRole::kContent);
  v("package", f.package, FieldRole::kDerived);
  v("file", f.file, FieldRole::kContent);
  v("line", f.line, FieldRole::kContent);
  v("pc_offset", f.pc_offset, FieldRole::kContent);
  v("has_offset", f.has_offset, FieldRole::kContent);
  v("inlined", f.inlined, FieldRole::kContent);
  v("is_panic", f.is_panic, FieldRole::kContent);
  v("kind", f.kind, FieldRole::kDerived);
  v("args", f.args, FieldRole::kPerRun);  // pointer values
  v("input_line", f.input_line, FieldRole::kInputLine);
  v("module", f.module, FieldRole::kContent);
  v("module_version", f.module_version, FieldRole::kContent);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, Label>
void VisitFields(T& l, V&& v) {
  v("key", l.key, FieldRole::kContent);
  v("value", l.value, FieldRole::kContent);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, Goroutine>
void VisitFields(T& g, V&& v) {
  v("id", g.id, FieldRole::kPerRun);
  v("state", g.state, FieldRole::kContent);
  v("wait", g.wait, FieldRole::kContent);
  v("wait_minutes", g.wait_minutes, FieldRole::kContent);
  v("locked_to_thread", g.locked_to_thread, FieldRole::kContent);
  v("leaked", g.leaked, FieldRole::kContent);
  v("durable", g.durable, FieldRole::kContent);
  v("scan", g.scan, FieldRole::kContent);
  v("stack_unavailable", g.stack_unavailable, FieldRole::kContent);
  v("frames_elided", g.frames_elided, FieldRole::kContent);
  v("elided_count", g.elided_count, FieldRole::kContent);
  v("truncated", g.truncated, FieldRole::kContent);
  v("frames", g.frames, FieldRole::kContent);
  v("created_by", g.created_by, FieldRole::kContent);
  v("created_by_goroutine", g.created_by_goroutine, FieldRole::kPerRun);
  v("labels", g.labels, FieldRole::kContent);
  v("labels_cut", g.labels_cut, FieldRole::kContent);
  v("count", g.count, FieldRole::kContent);
  v("header_line", g.header_line, FieldRole::kInputLine);
  v("ancestors", g.ancestors, FieldRole::kContent);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, LabelSetCount>
void VisitFields(T& s, V&& v) {
  v("labels", s.labels, FieldRole::kContent);
  v("count", s.count, FieldRole::kContent);
  v("first_line", s.first_line, FieldRole::kInputLine);
}

// A group's frame indexes and stack hash are worked out from its samples,
// but they are what its findings quote: content.
template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, GoroutineGroup>
void VisitFields(T& g, V&& v) {
  v("count", g.count, FieldRole::kContent);
  v("state", g.state, FieldRole::kContent);
  v("wait", g.wait, FieldRole::kContent);
  v("min_wait_minutes", g.min_wait_minutes, FieldRole::kContent);
  v("max_wait_minutes", g.max_wait_minutes, FieldRole::kContent);
  v("any_leaked", g.any_leaked, FieldRole::kContent);
  v("samples", g.samples, FieldRole::kContent);
  v("ids", g.ids, FieldRole::kPerRun);
  v("header_lines", g.header_lines, FieldRole::kInputLine);
  v("first_app_frame", g.first_app_frame, FieldRole::kContent);
  v("crash_site_frame", g.crash_site_frame, FieldRole::kContent);
  v("stack_hash", g.stack_hash, FieldRole::kContent);
  v("first_line", g.first_line, FieldRole::kInputLine);
  v("label_sets", g.label_sets, FieldRole::kContent);
  v("labelled", g.labelled, FieldRole::kContent);
  v("label_sets_other", g.label_sets_other, FieldRole::kContent);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, PanicValue>
void VisitFields(T& p, V&& v) {
  v("message", p.message, FieldRole::kContent);
  v("recovered", p.recovered, FieldRole::kContent);
  v("repanicked", p.repanicked, FieldRole::kContent);
  v("goexit", p.goexit, FieldRole::kContent);
  v("input_line", p.input_line, FieldRole::kInputLine);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, SignalInfo>
void VisitFields(T& s, V&& v) {
  v("name", s.name, FieldRole::kContent);
  v("description", s.description, FieldRole::kContent);
  v("code", s.code, FieldRole::kContent);
  v("addr", s.addr, FieldRole::kContent);
  v("has_addr", s.has_addr, FieldRole::kContent);
  v("pc", s.pc, FieldRole::kContent);
  v("input_line", s.input_line, FieldRole::kInputLine);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, RaceAccess>
void VisitFields(T& a, V&& v) {
  v("kind", a.kind, FieldRole::kContent);
  v("address", a.address, FieldRole::kPerRun);
  v("goroutine", a.goroutine, FieldRole::kPerRun);
  v("frames", a.frames, FieldRole::kContent);
  v("created_at", a.created_at, FieldRole::kContent);
  v("goroutine_status", a.goroutine_status, FieldRole::kContent);
  v("stack_unavailable", a.stack_unavailable, FieldRole::kContent);
}

// The variable's and the heap block's lines print addresses (and the
// block its goroutine's ID): per run.
template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, RaceReport>
void VisitFields(T& r, V&& v) {
  v("accesses", r.accesses, FieldRole::kContent);
  v("global_var", r.global_var, FieldRole::kPerRun);
  v("test_name", r.test_name, FieldRole::kContent);
  v("heap_block", r.heap_block, FieldRole::kPerRun);
  v("heap_allocated_at", r.heap_allocated_at, FieldRole::kContent);
  v("detected_line", r.detected_line, FieldRole::kInputLine);
  v("test_line", r.test_line, FieldRole::kInputLine);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, ProfileTopRow>
void VisitFields(T& r, V&& v) {
  v("flat", r.flat, FieldRole::kContent);
  v("cum", r.cum, FieldRole::kContent);
  v("flat_value", r.flat_value, FieldRole::kDerived);
  v("cum_value", r.cum_value, FieldRole::kDerived);
  v("flat_pct", r.flat_pct, FieldRole::kContent);
  v("cum_pct", r.cum_pct, FieldRole::kContent);
  v("function", r.function, FieldRole::kContent);
  v("file", r.file, FieldRole::kContent);
  v("input_line", r.input_line, FieldRole::kInputLine);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, ProfileTopEdge>
void VisitFields(T& e, V&& v) {
  v("caller", e.caller, FieldRole::kContent);
  v("callee", e.callee, FieldRole::kContent);
  v("value", e.value, FieldRole::kContent);
  v("input_line", e.input_line, FieldRole::kInputLine);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, ProfileTop>
void VisitFields(T& t, V&& v) {
  v("unit", t.unit, FieldRole::kContent);
  v("total", t.total, FieldRole::kContent);
  v("total_value", t.total_value, FieldRole::kDerived);
  v("rows", t.rows, FieldRole::kContent);
  v("edges", t.edges, FieldRole::kContent);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, FatalRecord>
void VisitFields(T& r, V&& v) {
  v("format", r.format, FieldRole::kContent);
  v("level", r.level, FieldRole::kContent);
  v("message", r.message, FieldRole::kContent);
  v("error", r.error, FieldRole::kContent);
  v("caller", r.caller, FieldRole::kContent);
  v("function", r.function, FieldRole::kContent);
  v("input_line", r.input_line, FieldRole::kInputLine);
}

// A kill's PID and sizes differ between two kills of one program.
template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, KernelOomKill>
void VisitFields(T& k, V&& v) {
  v("process", k.process, FieldRole::kContent);
  v("pid", k.pid, FieldRole::kPerRun);
  v("total_vm_kb", k.total_vm_kb, FieldRole::kPerRun);
  v("anon_rss_kb", k.anon_rss_kb, FieldRole::kPerRun);
  v("cgroup", k.cgroup, FieldRole::kContent);
  v("node", k.node, FieldRole::kContent);
  v("constraint", k.constraint, FieldRole::kContent);
  v("memcg", k.memcg, FieldRole::kPerRun);  // holds the pod's UID
  v("invoker", k.invoker, FieldRole::kContent);
  v("input_line", k.input_line, FieldRole::kInputLine);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, TestRef>
void VisitFields(T& t, V&& v) {
  v("package", t.package, FieldRole::kContent);
  v("name", t.name, FieldRole::kContent);
}

template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, PodRef>
void VisitFields(T& p, V&& v) {
  v("namespace", p.namespace_, FieldRole::kPlace);
  v("name", p.name, FieldRole::kPlace);
  v("container", p.container, FieldRole::kPlace);
  v("node", p.node, FieldRole::kPlace);
}

// Where a twin of an incident was; its lines are its own input's.
template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, Occurrence>
void VisitFields(T& o, V&& v) {
  v("source", o.source, FieldRole::kPlace);
  v("pod", o.pod, FieldRole::kPlace);
  v("timestamp", o.timestamp, FieldRole::kPlace);
  v("first_line", o.first_line, FieldRole::kPlace);
  v("last_line", o.last_line, FieldRole::kPlace);
  v("input", o.input, FieldRole::kPlace);
}

// Two copies of one crash share every content field: the twin key
// (parsers/twins.cc) writes them all. A decoded profile, heap profile or
// GC trace is held behind a shared pointer and never folded (TwinKey
// returns no key for them): content the visitors do not walk into.
template <class T, class V>
  requires std::is_same_v<std::remove_const_t<T>, Incident>
void VisitFields(T& i, V&& v) {
  v("kind", i.kind, FieldRole::kContent);
  v("pod", i.pod, FieldRole::kPlace);
  v("panics", i.panics, FieldRole::kContent);
  v("fatal_error", i.fatal_error, FieldRole::kContent);
  v("signal", i.signal, FieldRole::kContent);
  v("runtime_messages", i.runtime_messages, FieldRole::kContent);
  v("runtime_stack", i.runtime_stack, FieldRole::kContent);
  v("crashing", i.crashing, FieldRole::kContent);
  v("groups", i.groups, FieldRole::kContent);
  v("goroutine_count", i.goroutine_count, FieldRole::kContent);
  v("declared_total", i.declared_total, FieldRole::kContent);
  v("exit_status", i.exit_status, FieldRole::kContent);
  v("timeout", i.timeout, FieldRole::kContent);
  v("running_tests", i.running_tests, FieldRole::kContent);
  v("test", i.test, FieldRole::kContent);
  v("race", i.race, FieldRole::kContent);
  v("top", i.top, FieldRole::kContent);
  v("fatal_record", i.fatal_record, FieldRole::kContent);
  v("oom_kill", i.oom_kill, FieldRole::kContent);
  v("profile", i.profile, FieldRole::kContent);
  v("gctrace", i.gctrace, FieldRole::kContent);
  v("sample_positions", i.sample_positions, FieldRole::kContent);
  v("read_bottom_up", i.read_bottom_up, FieldRole::kContent);
  v("partial", i.partial, FieldRole::kContent);
  v("continues_previous", i.continues_previous, FieldRole::kContent);
  v("amended", i.amended, FieldRole::kContent);
  v("partial_reason", i.partial_reason, FieldRole::kContent);
  v("first_line", i.first_line, FieldRole::kInputLine);
  v("last_line", i.last_line, FieldRole::kInputLine);
  v("timestamp", i.timestamp, FieldRole::kPlace);
  v("source", i.source, FieldRole::kPlace);
  v("input", i.input, FieldRole::kPlace);
  v("headline", i.headline, FieldRole::kDerived);
  v("twins", i.twins, FieldRole::kPlace);
}

/// True for the types VisitFields lists.
template <class T>
constexpr bool kHasFieldList =
    std::is_same_v<T, Frame> || std::is_same_v<T, Label> || std::is_same_v<T, Goroutine> ||
    std::is_same_v<T, LabelSetCount> || std::is_same_v<T, GoroutineGroup> || std::is_same_v<T, PanicValue> ||
    std::is_same_v<T, SignalInfo> || std::is_same_v<T, RaceAccess> || std::is_same_v<T, RaceReport> ||
    std::is_same_v<T, ProfileTopRow> || std::is_same_v<T, ProfileTopEdge> || std::is_same_v<T, ProfileTop> || std::is_same_v<T, TestRef> || std::is_same_v<T, FatalRecord> || std::is_same_v<T, KernelOomKill> ||
    std::is_same_v<T, PodRef> || std::is_same_v<T, Occurrence> || std::is_same_v<T, Incident>;

/// The containers nested stacks come in, for visitors that walk into them.
template <class T>
constexpr bool kIsVector = false;
template <class T, class A>
constexpr bool kIsVector<std::vector<T, A>> = true;
template <class T>
constexpr bool kIsOptional = false;
template <class T>
constexpr bool kIsOptional<std::optional<T>> = true;
template <class T>
constexpr bool kIsOptional<Boxed<T>> = true;
/// A decoded profile or GC trace, shared between an incident's copies.
template <class T>
constexpr bool kIsShared = false;
template <class T>
constexpr bool kIsShared<std::shared_ptr<T>> = true;

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_MODEL_FIELDS_H_
