// Tests of the profile.proto reader on profiles written by the real Go
// runtime (testdata/gen/profiles, fixtures in testdata/fixtures/profiles).
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "parsers/parse.h"
#include "parsers/profile_proto.h"
#include "parsers/profile_text.h"

namespace gotriage {
namespace {

const std::string kDir = std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures/profiles/";

std::string ReadAllFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Gunzip(const std::string& gz) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 16 + MAX_WBITS), Z_OK);
  std::string out;
  char buf[1 << 16];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  int r;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    r = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  } while (r == Z_OK);
  inflateEnd(&zs);
  EXPECT_EQ(r, Z_STREAM_END);
  return out;
}

std::unique_ptr<ParsedInput> ParseFiles(std::initializer_list<std::string> names) {
  Parser p(ParseOptions{});
  for (const std::string& n : names) {
    std::string err;
    EXPECT_TRUE(p.AddFile(kDir + n, &err)) << err;
  }
  return p.Finish();
}

const GoroutineGroup* GroupWith(const Incident& inc, std::string_view fn) {
  for (const GoroutineGroup& g : inc.groups)
    for (const Frame& f : g.representative().frames)
      if (f.function == fn) return &g;
  return nullptr;
}

TEST(ProfileProto, GoroutineProfileBecomesTheGroupsOfItsDebug1Twin) {
  auto proto = ParseFiles({"leak-go126/goroutine.pb.gz"});
  auto text = ParseFiles({"leak-go126/goroutine.debug1.txt"});
  ASSERT_EQ(proto->incidents.size(), 1u);
  ASSERT_EQ(text->incidents.size(), 1u);
  const Incident& p = proto->incidents[0];
  const Incident& t = text->incidents[0];
  EXPECT_EQ(p.kind, IncidentKind::kPprofDebug1);
  EXPECT_TRUE(p.sample_positions);
  EXPECT_FALSE(t.sample_positions);
  EXPECT_EQ(p.goroutine_count, t.declared_total);  // written at the same moment
  EXPECT_EQ(p.groups.size(), t.groups.size());
  const GoroutineGroup* pg = GroupWith(p, "main.fetchPrice.func1");
  const GoroutineGroup* tg = GroupWith(t, "main.fetchPrice.func1");
  ASSERT_TRUE(pg && tg);
  EXPECT_EQ(pg->count, tg->count);
  // The proto keeps the runtime frames debug=1 hides, so the wait is known.
  EXPECT_EQ(pg->state, "chan send");
  EXPECT_EQ(pg->wait, WaitKind::kChanSend);
  EXPECT_EQ(pg->representative().frames.front().function, "runtime.gopark");
  // Positions are sample numbers, not lines.
  EXPECT_GE(pg->representative().header_line, 1u);
  EXPECT_LE(pg->representative().header_line, p.last_line);
  // Same files and lines for the application frames.
  const Frame* pf = nullptr;
  for (const Frame& f : pg->representative().frames)
    if (f.function == "main.fetchPrice.func1") pf = &f;
  ASSERT_TRUE(pf);
  EXPECT_EQ(pf->line, tg->representative().frames.front().line);
  EXPECT_EQ(pf->file, tg->representative().frames.front().file);
}

TEST(ProfileProto, GoroutineLeakProfileMarksItsGroupsLeaked) {
  auto proto = ParseFiles({"leakexp-go126/goroutineleak.pb.gz"});
  auto text = ParseFiles({"leakexp-go126/goroutineleak.debug1.txt"});
  ASSERT_EQ(proto->incidents.size(), 1u);
  const Incident& p = proto->incidents[0];
  EXPECT_EQ(p.goroutine_count, text->incidents[0].declared_total);
  ASSERT_FALSE(p.groups.empty());
  for (const GoroutineGroup& g : p.groups) EXPECT_TRUE(g.any_leaked);
  EXPECT_NE(p.Title().find("goroutineleak profile: total"), std::string::npos);
}

TEST(ProfileProto, CpuAndAllocsProfilesAreKeptWhole) {
  auto in = ParseFiles({"gc-churn/cpu.pb.gz", "gc-churn/allocs.pb.gz"});
  ASSERT_EQ(in->incidents.size(), 2u);
  ASSERT_TRUE(in->incidents[0].profile);
  ASSERT_TRUE(in->incidents[1].profile);
  const Profile& cpu = *in->incidents[0].profile;
  const Profile& allocs = *in->incidents[1].profile;
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kProfile);
  EXPECT_EQ(cpu.kind, ProfileKind::kCpu);
  EXPECT_EQ(allocs.kind, ProfileKind::kAllocs);
  EXPECT_GE(cpu.SampleType("cpu"), 0);
  EXPECT_GT(cpu.duration_nanos, 1000000000);
  EXPECT_EQ(cpu.period_type.type, "cpu");
  EXPECT_GT(cpu.samples.size(), 20u);
  EXPECT_EQ(allocs.sample_types.size(), 4u);
  EXPECT_EQ(allocs.default_sample_type, "alloc_space");
  bool found = false;
  for (size_t i = 0; i < allocs.samples.size(); ++i)
    allocs.ForEachFrame(i, [&](const ProfileFunction& f, int64_t) {
      found |= f.name == "main.getLocalAddresses";
      return true;
    });
  EXPECT_TRUE(found);
  EXPECT_NE(in->incidents[0].Title().find("cpu profile"), std::string::npos);
}

TEST(ProfileProto, RawAndGzippedGiveTheSame) {
  std::string raw = Gunzip(ReadAllFile(kDir + "leak-go126/goroutine.pb.gz"));
  ASSERT_TRUE(LooksLikeProfileProto(raw.substr(0, kProfileSniffBytes)));
  Parser p(ParseOptions{});
  p.AddText("raw.pb", raw);
  auto in = p.Finish();
  auto gz = ParseFiles({"leak-go126/goroutine.pb.gz"});
  ASSERT_EQ(in->incidents.size(), 1u);
  EXPECT_EQ(in->incidents[0].goroutine_count, gz->incidents[0].goroutine_count);
  EXPECT_EQ(in->incidents[0].groups.size(), gz->incidents[0].groups.size());
}

TEST(ProfileProto, MixedInputsKeepWorking) {
  auto in = ParseFiles({"leak-go126/goroutine.debug1.txt", "gc-churn/cpu.pb.gz", "gc-churn/gctrace.txt",
                        "healthy-server/goroutine.pb.gz"});
  ASSERT_GE(in->incidents.size(), 3u);
  EXPECT_EQ(in->incidents[0].kind, IncidentKind::kPprofDebug1);
  EXPECT_FALSE(in->incidents[0].sample_positions);
  EXPECT_EQ(in->incidents[1].kind, IncidentKind::kProfile);
  EXPECT_EQ(in->incidents.back().kind, IncidentKind::kPprofDebug1);
  EXPECT_TRUE(in->incidents.back().sample_positions);
  EXPECT_GT(in->lines, 0u);  // the text inputs were still cut into lines
}

TEST(ProfileProto, TextIsNeverTakenForAProfile) {
  namespace fs = std::filesystem;
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures")) {
    if (!e.is_regular_file()) continue;
    std::string s = ReadAllFile(e.path().string());
    EXPECT_FALSE(LooksLikeProfileProto(std::string_view(s).substr(0, kProfileSniffBytes))) << e.path();
    ++n;
  }
  EXPECT_GT(n, 20u);
  EXPECT_FALSE(LooksLikeProfileProto("\n\ngoroutine 1 [running]:\n"));
  EXPECT_FALSE(LooksLikeProfileProto(""));
}

// Every prefix and many corruptions of real profiles: decoding fails or
// succeeds, never crashes, and a failure is a warning, not silence.
TEST(ProfileProto, HostileBytesNeverCrash) {
  for (const char* name : {"leak-go126/goroutine.pb.gz", "gc-churn/cpu.pb.gz", "gc-churn/allocs.pb.gz",
                           "leakexp-go126/goroutineleak.pb.gz"}) {
    std::string raw = Gunzip(ReadAllFile(kDir + name));
    ASSERT_GT(raw.size(), 100u);
    StringPool pool;
    size_t ok = 0;
    for (size_t cut = 0; cut < raw.size(); cut += std::max<size_t>(1, raw.size() / 400)) {
      Profile prof;
      std::string err;
      if (DecodeProfile(std::string_view(raw).substr(0, cut), &pool, ProfileBounds{}, &prof, &err, nullptr)) ++ok;
      else EXPECT_FALSE(err.empty());
    }
    EXPECT_LT(ok, 400u) << name;  // most prefixes cut a message
    std::mt19937 rng(42);
    for (int i = 0; i < 300; ++i) {
      std::string m = raw;
      for (int k = 0; k < 4; ++k) m[rng() % m.size()] = static_cast<char>(rng());
      Profile prof;
      std::string err;
      DecodeProfile(m, &pool, ProfileBounds{}, &prof, &err, nullptr);
      // Through the whole pipeline too.
      Parser p(ParseOptions{});
      p.AddText("m", m);
      auto in = p.Finish();
      EXPECT_TRUE(!in->incidents.empty() || !in->warnings.empty() || in->lines > 0);
    }
  }
}

TEST(ProfileProto, BoundsAreEnforced) {
  std::string raw = Gunzip(ReadAllFile(kDir + "gc-churn/cpu.pb.gz"));
  StringPool pool;
  Profile prof;
  std::string err;
  ProfileBounds b;
  b.max_samples = 3;
  EXPECT_FALSE(DecodeProfile(raw, &pool, b, &prof, &err, nullptr));
  EXPECT_NE(err.find("samples"), std::string::npos);
  Profile p2;
  ProfileBounds b2;
  b2.max_frames = 2;
  uint64_t cut = 0;
  ASSERT_TRUE(DecodeProfile(raw, &pool, b2, &p2, &err, &cut));
  EXPECT_GT(cut, 0u);
  for (const ProfileSample& s : p2.samples) EXPECT_LE(s.location_count, 2u);
  // A varint of 11 bytes is refused.
  std::string bad = "\x0a\x04\x08\x01\x10\x02\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
  Profile p3;
  EXPECT_FALSE(DecodeProfile(bad, &pool, ProfileBounds{}, &p3, &err, nullptr));
}

TEST(ProfileText, GcTraceLinesBecomeOneTrace) {
  auto in = ParseFiles({"gc-churn/gctrace.txt"});
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  EXPECT_EQ(inc.kind, IncidentKind::kGcTrace);
  ASSERT_TRUE(inc.gctrace);
  size_t lines = 0;
  for (char c : ReadAllFile(kDir + "gc-churn/gctrace.txt")) lines += c == '\n';
  EXPECT_EQ(inc.gctrace->cycles.size(), lines);
  const GcCycle& first = inc.gctrace->cycles.front();
  EXPECT_EQ(first.number, 1);
  EXPECT_GT(first.heap_goal_mb, 0);
  EXPECT_GT(first.procs, 0);
  EXPECT_TRUE(inc.gctrace->cycles.back().forced);  // the runtime.GC() before the heap profile
  GcCycle c;
  EXPECT_FALSE(ParseGcTraceLine("gc 12 is not a trace line", &c));
}

// Go 1.5 and 1.6 print five phases; Go 1.5's development tree wrote
// `gc #N`. Lines verbatim from golang/go#15068 (Go 1.5.3/1.6) and
// golang/go#10898 (go1.5-dev).
TEST(ProfileText, GcTraceLinesOfGo15And16) {
  GcCycle c;
  ASSERT_TRUE(ParseGcTraceLine("gc 49 @4.380s 0%: 4.8+5.2+0.54+0.35+0.60 ms clock, 19+5.2+0+4.5/0.006/7.2+2.4 ms "
                               "cpu, 124->125->58 MB, 130 MB goal, 32 P",
                               &c));
  EXPECT_EQ(c.number, 49);
  EXPECT_DOUBLE_EQ(c.clock_ms, 4.8 + 5.2 + 0.54 + 0.35 + 0.60);
  EXPECT_DOUBLE_EQ(c.assist_cpu_ms, 4.5);
  EXPECT_DOUBLE_EQ(c.background_cpu_ms, 0.006);
  EXPECT_DOUBLE_EQ(c.idle_cpu_ms, 7.2);
  EXPECT_EQ(c.heap_live_mb, 58);
  EXPECT_EQ(c.procs, 32);
  ASSERT_TRUE(ParseGcTraceLine("gc 59 @5.182s 0%: 0.092+0+0+0+6.8 ms clock, 0.37+0+0+4.1/0.025/5.8+27 ms cpu, "
                               "79->79->79 MB, 79 MB goal, 32 P (forced)",
                               &c));
  EXPECT_TRUE(c.forced);
  ASSERT_TRUE(ParseGcTraceLine("gc #6 @2.166s 70%: 0+188+12+60+205 ms clock, 0+188+0+23/20/0+205 ms cpu, "
                               "7->12->9 MB, 8 MB goal, 1 P",
                               &c));
  EXPECT_EQ(c.number, 6);
  EXPECT_EQ(c.cpu_percent, 70);
  EXPECT_DOUBLE_EQ(c.clock_ms, 465);
  // Four phases, or no mark split, is no form the runtime printed.
  EXPECT_FALSE(ParseGcTraceLine("gc 6 @2.1s 7%: 1+2+3+4 ms clock, 1+2/3/4+5 ms cpu, 7->12->9 MB, 8 MB goal, 1 P", &c));
  EXPECT_FALSE(ParseGcTraceLine("gc 6 @2.1s 7%: 1+2+3 ms clock, 1+2+5 ms cpu, 7->12->9 MB, 8 MB goal, 1 P", &c));
  EXPECT_FALSE(ParseGcTraceLine("gc #x @2.1s 7%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 7->12->9 MB, 8 MB goal, 1 P", &c));
}

TEST(ProfileText, HeapProfileTextIsTheSameModelAsTheProtobuf) {
  auto in = ParseFiles({"gc-churn/heap.debug1.txt"});
  ASSERT_EQ(in->incidents.size(), 1u);
  const Incident& inc = in->incidents[0];
  ASSERT_TRUE(inc.profile);
  const Profile& p = *inc.profile;
  EXPECT_EQ(p.kind, ProfileKind::kHeap);
  EXPECT_EQ(p.SampleType("alloc_objects"), 0);
  EXPECT_EQ(p.SampleType("inuse_space"), 3);
  EXPECT_GT(p.samples.size(), 5u);
  bool found = false;
  double alloc = 0;
  for (size_t i = 0; i < p.samples.size(); ++i) {
    alloc += static_cast<double>(p.Value(i, 0));
    p.ForEachFrame(i, [&](const ProfileFunction& f, int64_t line) {
      if (f.name == "main.getLocalAddresses") {
        found = true;
        EXPECT_GT(line, 0);
      }
      return true;
    });
  }
  EXPECT_TRUE(found);
  EXPECT_GT(alloc, 0);
  EXPECT_EQ(in->lines_unplaced, 0u);
}

}  // namespace
}  // namespace gotriage
