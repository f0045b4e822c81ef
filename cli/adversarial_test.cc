// Hostile input through the whole pipeline and through the gotriage binary:
// fuzz regressions, random mutations of every fixture, terminal escapes and
// invalid UTF-8 in panic messages and function names, and memory bounds on
// endless or huge input (peak RSS of the binary, measured by wait4).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/pipeline_check.h"
#include "tests/support/test_inputs.h"

#if defined(__SANITIZE_ADDRESS__)
#define GOTRIAGE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GOTRIAGE_SANITIZED 1
#endif
#endif

namespace gotriage {
namespace {

namespace fs = std::filesystem;

#ifdef GOTRIAGE_SANITIZED
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

std::string ReadFile(const fs::path& p) {
  return test_inputs::ReadInput(p);  // a missing or empty input fails
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    std::string ext = it->path().extension().string();
    if (it->is_regular_file() && ext != ".json" && ext != ".md") out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Check(std::string_view input, check::Outputs* out = nullptr, ParseOptions popts = {}) {
  check::Outputs o;
  return check::CheckPipeline(input, popts, true, out ? out : &o);
}

// --- Fuzz regressions -----------------------------------------------------

TEST(FuzzRegressions, EveryFileHoldsTheOutputContracts) {
  std::vector<std::string> files = FilesIn(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fuzz-regressions");
  ASSERT_FALSE(files.empty());
  for (const std::string& f : files) {
    std::string data = ReadFile(f);
    EXPECT_EQ(Check(data), "") << f;
    ParseOptions small;
    small.limits.max_groups = 2;
    small.limits.max_frames = 3;
    small.limits.max_line_bytes = 256;
    EXPECT_EQ(Check(data, nullptr, small), "") << f << " (small limits)";
  }
}

// --- Random mutations of every fixture ------------------------------------

class Mutations : public testing::TestWithParam<std::string> {};

TEST_P(Mutations, HoldTheOutputContracts) {
  std::string base = test_inputs::ReadInput(GetParam());
  if (base.size() > (256u << 10)) base.resize(256u << 10);
  // Seeded by the file's path inside the repository, so that every clone
  // runs the same mutations; GOTRIAGE_MUTATION_SEED explores others.
  std::string name = GetParam();
  if (name.rfind(GOTRIAGE_SOURCE_DIR, 0) == 0) name.erase(0, std::string_view(GOTRIAGE_SOURCE_DIR).size());
  const char* salt = std::getenv("GOTRIAGE_MUTATION_SEED");
  std::mt19937_64 rng(std::hash<std::string>{}(name + (salt ? salt : "")));
  const char* nasty[] = {"\x1b[2J", "\x1b]0;owned\x07", "\xc2\x9b", "\xe2\x80\xae", "\xff\xfe",
                         "\xc0\xaf", "\xed\xa0\x80", std::string_view("\0", 1).data(), "\r", "\t",
                         "\npanic: ", "\ngoroutine 1 [running]:\n", "\n\tpanic: ", "(...)",
                         " +0x", "\n#\t0x1\t", "\n==================\n"};
  int rounds = kSanitized ? 4 : 12;
  for (int r = 0; r < rounds; ++r) {
    std::string m = base;
    int edits = 1 + static_cast<int>(rng() % 16);
    for (int e = 0; e < edits && !m.empty(); ++e) {
      size_t at = rng() % m.size();
      switch (rng() % 5) {
        case 0: m[at] = static_cast<char>(rng()); break;
        case 1: m.erase(at, rng() % 256); break;
        case 2: {
          size_t k = rng() % (sizeof nasty / sizeof *nasty);
          m.insert(at, k == 7 ? std::string(1, '\0') : std::string(nasty[k]));
          break;
        }
        case 3: m.insert(at, m.substr(rng() % m.size(), rng() % 512)); break;
        case 4: m.resize(at); break;
      }
    }
    ASSERT_EQ(Check(m), "") << GetParam() << " round " << r;
  }
}

std::vector<std::string> MutationSeeds() {
  std::vector<std::string> v = FilesIn(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/fixtures");
  for (const std::string& f : FilesIn(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/ci")) v.push_back(f);
  // Every labelled corpus file; a case whose file is missing stays in the
  // list and fails (ReadInput) rather than vanishing.
  for (const test_inputs::LabelledCase& c : test_inputs::CorpusCases()) v.push_back(c.path.string());
  return v;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Mutations, testing::ValuesIn(MutationSeeds()),
                         [](const testing::TestParamInfo<std::string>& i) {
                           std::string n = fs::path(i.param).filename().string();
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n + "_" + std::to_string(i.index);
                         });

// --- Terminal escapes and invalid UTF-8 -----------------------------------

const std::string kEvil =
    "panic: \x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b\xc2\x9b" "31m \xe2\x80\xae\xff\xfe \xc0\xaf end\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.(*T).\x1b[5mEvil\xe2\x80\xae(0x1)\n"
    "\t/app/\x1b[8mhidden\x1b[0m/main.go:12 +0x1d\n"
    "main.main()\n"
    "\t/app/main.go:20 +0x2\n"
    "exit status 2\n";

TEST(Escaping, TextOutputNeverHoldsAnEscapeByte) {
  check::Outputs out;
  ASSERT_EQ(Check(kEvil, &out), "");
  EXPECT_EQ(out.text.find('\x1b'), std::string::npos);
  EXPECT_NE(out.text.find("\\x1B]0;pwned\\x07"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("Evil"), std::string::npos) << out.text;
  // With colour, the only escapes are the renderer's own SGR sequences.
  const std::string& c = out.text_color;
  for (size_t i = c.find('\x1b'); i != std::string::npos; i = c.find('\x1b', i + 1)) {
    ASSERT_LT(i + 1, c.size());
    ASSERT_EQ(c[i + 1], '[') << c.substr(i, 16);
    size_t j = i + 2;
    while (j < c.size() && (isdigit(static_cast<unsigned char>(c[j])) || c[j] == ';')) ++j;
    ASSERT_LT(j, c.size());
    EXPECT_EQ(c[j], 'm') << c.substr(i, 16);
  }
}

TEST(Escaping, JsonOutputIsValidUtf8AndKeepsTheMessage) {
  check::Outputs out;
  ASSERT_EQ(Check(kEvil, &out), "");
  nlohmann::json j = nlohmann::json::parse(out.json);
  std::string dumped = j.dump();
  EXPECT_NE(dumped.find("pwned"), std::string::npos);
  EXPECT_EQ(out.json.find('\x1b'), std::string::npos);  // escaped as \u001b
}

// Runs the gotriage binary with \a args; \a feed writes its standard input
// (through \a write, which returns false once the reader is gone). Returns
// the exit status; \a out gets the first 1 MiB of standard output.
struct RunResult {
  int status = -1;
  long max_rss_kib = 0;
  uint64_t out_bytes = 0;
  std::string out;
  bool output_before_eof = false;  ///< output appeared while stdin was open
  double seconds = 0;
};

RunResult RunBinary(const std::vector<std::string>& args,
                    const std::function<void(const std::function<bool(std::string_view)>&)>& feed) {
  RunResult r;
  int in[2], outp[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(outp, O_CLOEXEC) != 0) return r;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(outp[1], 1);
    std::vector<char*> argv;
    std::string bin = GOTRIAGE_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(in[0]);
  close(outp[1]);
  std::atomic<bool> eof{false};
  std::thread reader([&] {
    char buf[1 << 16];
    for (;;) {
      ssize_t n = read(outp[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (r.out_bytes == 0 && !eof.load()) r.output_before_eof = true;
      r.out_bytes += static_cast<uint64_t>(n);
      if (r.out.size() < (1u << 20)) r.out.append(buf, static_cast<size_t>(n));
    }
    close(outp[0]);
  });
  signal(SIGPIPE, SIG_IGN);
  feed([&](std::string_view s) {
    while (!s.empty()) {
      ssize_t n = write(in[1], s.data(), s.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      s.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  });
  eof = true;
  close(in[1]);
  reader.join();
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.max_rss_kib = ru.ru_maxrss;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// Repeats \a unit until \a total bytes were written.
std::function<void(const std::function<bool(std::string_view)>&)> Repeat(std::string unit,
                                                                          uint64_t total,
                                                                          std::string head = "") {
  return [=](const std::function<bool(std::string_view)>& write) {
    if (!head.empty() && !write(head)) return;
    if (total <= unit.size()) {
      write(unit);
      return;
    }
    std::string block;
    while (block.size() < (1u << 20)) block += unit;
    for (uint64_t n = 0; n < total; n += block.size())
      if (!write(block)) return;
  };
}

// Peak RSS allowed for the binary: a bounded working set. Sanitizer builds
// keep freed memory in quarantine and carry shadow memory, so they get more.
constexpr long kMaxRssKiB = kSanitized ? 768 << 10 : 64 << 10;

TEST(Escaping, BinaryOutputHoldsNoEscapeByte) {
  for (const char* fmt : {"text", "json", "sarif", "github", "ndjson", "html"}) {
    RunResult r = RunBinary({"--color=never", "--format", fmt}, Repeat(kEvil, 1));
    EXPECT_EQ(r.status, 1) << fmt;
    EXPECT_GT(r.out_bytes, 0u) << fmt;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << fmt << ":\n" << r.out;
    EXPECT_TRUE(check::ValidUtf8Strict(r.out)) << fmt;
  }
}

// --- Memory bounds on endless and huge input ------------------------------

// An endless stream of crash dumps through a pipe: --follow reports while
// the pipe is open, and memory stays bounded however long the stream runs.
TEST(Bounds, EndlessStdinWithFollowStaysBounded) {
  std::string dump = ReadFile(std::string(GOTRIAGE_SOURCE_DIR) +
                              "/testdata/fixtures/seed-report-queue-sigquit.go126.txt");
  ASSERT_GT(dump.size(), 1000u);
  uint64_t total = kSanitized ? uint64_t{256} << 20 : uint64_t{2} << 30;
  RunResult r = RunBinary({"--follow", "--format", "json"}, Repeat(dump + "\n", total));
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.output_before_eof);
  EXPECT_GT(r.out_bytes, 1000u);
  EXPECT_LT(r.max_rss_kib, kMaxRssKiB) << "peak RSS " << r.max_rss_kib << " KiB after "
                                       << (total >> 20) << " MiB in " << r.seconds << " s";
  std::cerr << "endless stdin: " << (total >> 20) << " MiB in " << r.seconds << " s, peak RSS "
            << r.max_rss_kib << " KiB\n";
}

struct HugeCase {
  const char* name;
  std::string head;
  std::string unit;
  uint64_t total;
  std::string tail;
  std::vector<std::string> args;
};

TEST(Bounds, HugeFieldsKeepMemoryBounded) {
  uint64_t big = kSanitized ? uint64_t{64} << 20 : uint64_t{1} << 30;
  std::vector<HugeCase> cases = {
      {"10 MB panic message on one line", "panic: ", "message text ", 10 << 20, "\n", {}},
      {"10 MB panic message, many lines", "panic: x\n", "more message\n", 10 << 20,
       "\ngoroutine 1 [running]:\nmain.main()\n\t/a/main.go:1 +0x1\n", {}},
      {"10 MB args list", "panic: x\n\ngoroutine 1 [running]:\nmain.f(", "0xc000012345, ", 10 << 20,
       ")\n\t/a/main.go:1 +0x1\n", {"--max-line-bytes", "33554432"}},
      {"10 MB pprof labels", "goroutine profile: total 1\n1 @ 0x1\n# labels: {", "\"k\":\"v\", ",
       10 << 20, "}\n#\t0x1\tmain.f+0x1\t/a/main.go:1\n\n", {"--max-line-bytes", "33554432"}},
      {"CRI partial chain", "2024-05-01T10:00:00.000000000Z stderr F panic: boom\n",
       "2024-05-01T10:00:00.000000000Z stderr P " + std::string(4000, 'y') + "\n", big, "", {}},
      {"docker json-file partial chain", "",
       "{\"log\":\"" + std::string(4000, 'z') + "\",\"stream\":\"stderr\",\"time\":\"2024-05-01T10:00:00Z\"}\n",
       kSanitized ? 64u << 20 : 256u << 20, "", {}},
      {"JSON log with a huge escaped stack",
       "{\"level\":\"error\",\"msg\":\"boom\",\"stacktrace\":\"goroutine 1 [running]:\\n",
       "main.f(0x1)\\n\\t/app/main.go:10 +0x1d\\n", 30 << 20, "\"}\n", {"--max-line-bytes", "67108864"}},
      {"200k frames", "panic: deep\n\ngoroutine 1 [running]:\n", "main.f(0x1)\n\t/a/main.go:10 +0x1d\n",
       200000 * 34, "", {}},
      {"1M goroutine headers", "", "goroutine 7 [chan receive]:\n", 30 << 20, "", {}},
      {"nested panics", "panic: a [recovered]\n", "\tpanic: b [recovered]\n", 20 << 20,
       "\tpanic: c\n\ngoroutine 1 [running]:\nmain.main()\n\t/a/main.go:1 +0x1\n", {}},
  };
  for (const HugeCase& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.begin(), {"--format", "json"});
    auto feed = [&](const std::function<bool(std::string_view)>& write) {
      Repeat(c.unit, c.total, c.head)(write);
      write(c.tail);
    };
    RunResult r = RunBinary(args, feed);
    // --max-line-bytes raised to 32 or 64 MiB lets one line hold that much.
    long allowed = kMaxRssKiB + (c.args.empty() ? 0 : 3 * 64 << 10);
    // A header repeated with the same ID starts a new dump each time: up to
    // max_incidents (10000) small incidents are kept.
    if (c.unit.rfind("goroutine ", 0) == 0) allowed += 64 << 10;
    EXPECT_LT(r.max_rss_kib, allowed) << c.name << ": peak RSS " << r.max_rss_kib << " KiB";
    EXPECT_TRUE(r.status == 0 || r.status == 1) << c.name << " exit " << r.status;
    if (r.out.size() == r.out_bytes) {
      EXPECT_TRUE(check::JsonValid(r.out)) << c.name;
    }
    std::cerr << c.name << ": " << (c.total >> 20) << " MiB in " << r.seconds << " s, peak RSS "
              << r.max_rss_kib << " KiB\n";
  }
}

TEST(Bounds, LimitFlagsAreReportedInTheOutput) {
  std::string t = "panic: " + std::string(5000, 'x') + "\n\ngoroutine 1 [running]:\n";
  for (int i = 0; i < 50; ++i) t += "main.f(0x1)\n\t/a/main.go:10 +0x1d\n";
  for (int g = 2; g < 10; ++g)
    t += "\ngoroutine " + std::to_string(g) + " [select]:\nmain.g" + std::to_string(g) +
         "()\n\t/a/main.go:" + std::to_string(g) + " +0x1\n";
  RunResult r = RunBinary({"--color=never", "--max-line-bytes", "1000", "--max-frames", "5",
                           "--max-groups", "3"},
                          Repeat(t, 1));
  EXPECT_NE(r.out.find("limit hit: lines longer than --max-line-bytes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--max-frames"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--max-groups"), std::string::npos) << r.out;
  r = RunBinary({"--format", "json", "--max-frames", "5"}, Repeat(t, 1));
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out.substr(r.out.size() > 2000 ? r.out.size() - 2000 : 0);
  EXPECT_NE(j.dump().find("--max-frames"), std::string::npos);
  EXPECT_EQ(RunBinary({"--max-frames", "0"}, Repeat("", 0)).status, 2);
}

}  // namespace
}  // namespace gotriage
