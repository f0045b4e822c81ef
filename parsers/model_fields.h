// The fields of the model's stack structs (Frame, Label, Goroutine,
// LabelSetCount, GoroutineGroup), listed once, each with its role.
//
// Several places must treat every field of a stack: the line shift
// (MapInputLines: every input line number), the twin key (TwinKey: what
// two copies of one crash share) and the model dump of the equality tests
// (tests/support/model_dump.h: everything). Each of them used to list the
// fields by hand, and the lists drifted apart: the dump left out a frame's
// module, the key its kind. Now each walks the list below with a visitor and
// decides by role. A field added to one of these structs goes here, once,
// with its role (parsers/model_fields_test.cc fails until it does).
//
// The incident-level structs (Incident, RaceReport, ...) are still listed
// by hand in those places; the size guard of model_fields_test.cc names
// them.
#ifndef GOTRIAGE_PARSERS_MODEL_FIELDS_H_
#define GOTRIAGE_PARSERS_MODEL_FIELDS_H_

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

/// True for the types VisitFields lists.
template <class T>
constexpr bool kHasFieldList = std::is_same_v<T, Frame> || std::is_same_v<T, Label> || std::is_same_v<T, Goroutine> ||
                               std::is_same_v<T, LabelSetCount> || std::is_same_v<T, GoroutineGroup>;

/// The containers nested stacks come in, for visitors that walk into them.
template <class T>
constexpr bool kIsVector = false;
template <class T, class A>
constexpr bool kIsVector<std::vector<T, A>> = true;
template <class T>
constexpr bool kIsOptional = false;
template <class T>
constexpr bool kIsOptional<std::optional<T>> = true;

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_MODEL_FIELDS_H_
