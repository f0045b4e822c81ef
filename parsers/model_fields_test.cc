// The model's field list (parsers/model_fields.h), kept in step with the
// structs.
//
// C++ cannot list a struct's fields. The model's structs, from Frame up to
// Incident, are listed once, with each field's role, in
// parsers/model_fields.h: the twin key (parsers/twins.cc), the line shift
// (MapInputLines, parsers/model.cc) and the test dump (ModelAll,
// tests/support/model_dump.h) walk that list. Two places still name fields
// by hand, for reasons of their own: MergeIncident (parsers/parse_parts.cc)
// names the fields a second part adds to, and IncidentJson and GroupJson
// (cli/render_json.cc) are the report's schema, not the model's.
// A field added to a model struct changes its size: this test then fails
// until the sizes below are updated, which is the moment to add the field
// to model_fields.h, with its role.
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
static_assert(sizeof(Incident) == 664, "Incident changed: see the list at the top of this file");
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
  EXPECT_EQ(UnlistedBytes(PanicValue{}), size_t{5});
  EXPECT_EQ(UnlistedBytes(SignalInfo{}), size_t{7});
  EXPECT_EQ(UnlistedBytes(RaceAccess{}), size_t{7});
  EXPECT_EQ(UnlistedBytes(RaceReport{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(ProfileTopRow{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(ProfileTopEdge{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(ProfileTop{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(FatalRecord{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(KernelOomKill{}), size_t{6});
  EXPECT_EQ(UnlistedBytes(TestRef{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(PodRef{}), size_t{0});
  EXPECT_EQ(UnlistedBytes(Occurrence{}), size_t{4});
  EXPECT_EQ(UnlistedBytes(Incident{}), size_t{18});
}

TEST(ModelFields, SizesPinnedOnThisPlatform) {
#if !(defined(__x86_64__) && defined(__GLIBCXX__))
  GTEST_SKIP() << "sizes are pinned for x86-64 with libstdc++ only";
#endif
  SUCCEED() << "checked at compile time";
}

}  // namespace
}  // namespace gotriage
