// The places that list the model's fields one by one, kept in step with it.
//
// C++ cannot list a struct's fields. Frame, Label, Goroutine, LabelSetCount
// and GoroutineGroup are listed once, with each field's role, in
// parsers/model_fields.h: the twin key, the line shift and the test dump
// walk that list. The other structs are still named by hand in five places:
//   - TwinKey (parsers/twins.cc): what two incidents must share to be folded;
//   - MapInputLines (parsers/model.cc): every input line, for shifts and
//     bottom-up reads;
//   - MergeIncident (parsers/parse_parts.cc): a group parsed in two parts;
//   - ModelAll (tests/support/model_dump.h): the model-equality tests;
//   - IncidentJson and GroupJson (cli/render_json.cc): the JSON report.
// A field added to a model struct changes its size: this test then fails
// until the sizes below are updated, which is the moment to add the field
// to model_fields.h (the stack structs) or to each of those places
// (or to say in them why it is left out).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "parsers/model.h"
#include "parsers/model_fields.h"

namespace gotriage {
namespace {

#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(Frame) == 144, "Frame changed: see the list at the top of this file");
static_assert(sizeof(Goroutine) == 304, "Goroutine changed: see the list at the top of this file");
static_assert(sizeof(LabelSetCount) == 40, "LabelSetCount changed: see the list at the top of this file");
static_assert(sizeof(GoroutineGroup) == 176, "GoroutineGroup changed: see the list at the top of this file");
static_assert(sizeof(PanicValue) == 48, "PanicValue changed: see the list at the top of this file");
static_assert(sizeof(SignalInfo) == 128, "SignalInfo changed: see the list at the top of this file");
static_assert(sizeof(RaceAccess) == 160, "RaceAccess changed: see the list at the top of this file");
static_assert(sizeof(RaceReport) == 160, "RaceReport changed: see the list at the top of this file");
static_assert(sizeof(Occurrence) == 216, "Occurrence changed: see the list at the top of this file");
static_assert(sizeof(Incident) == 648, "Incident changed: see the list at the top of this file");
#endif

// The list names every field once, and no field is left out of it: the
// bytes of the struct that no listed field covers (its padding) are
// pinned. A field added to the struct but not to the list shows up there.
template <class T>
size_t UnlistedBytes(const T& x) {
  std::set<std::string> names;
  size_t n = 0, bytes = 0;
  VisitFields(x, [&](const char* name, const auto& field, FieldRole) {
    names.insert(name);
    ++n;
    bytes += sizeof(field);
  });
  EXPECT_EQ(names.size(), n) << "a field listed twice";
  return sizeof(T) - bytes;
}

TEST(ModelFields, EveryFieldListedOnce) {
#if !(defined(__x86_64__) && defined(__GLIBCXX__))
  GTEST_SKIP() << "padding is pinned for x86-64 with libstdc++ only";
#endif
  EXPECT_EQ(UnlistedBytes(Frame{}), size_t{8});
  EXPECT_EQ(UnlistedBytes(Label{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(Goroutine{}), size_t{15});
  EXPECT_EQ(UnlistedBytes(LabelSetCount{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(GoroutineGroup{}), size_t{6});
}

TEST(ModelFields, SizesPinnedOnThisPlatform) {
#if !(defined(__x86_64__) && defined(__GLIBCXX__))
  GTEST_SKIP() << "sizes are pinned for x86-64 with libstdc++ only";
#endif
  SUCCEED() << "checked at compile time";
}

}  // namespace
}  // namespace gotriage
