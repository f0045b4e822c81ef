// libFuzzer target: what `gotriage watch` reads besides the logs' text --
// its state file, and a log written in two pieces with a kubelet rotation
// between them -- through LogWatcher on a real (temporary) directory.
//
// Input: byte 0 holds flags (1: rotate between the pieces, 2: the text up
// to the first NUL is the state file), bytes 1-2 where the log is split;
// the rest is the log. Contracts checked (a broken one aborts):
//  - a state file that loads is saved, loaded and saved again unchanged;
//  - the cursor never points past the data (a second drain reports nothing
//    and a third watcher started from the saved state reports nothing);
//  - every reported incident has lines inside the log.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/watch.h"

namespace {

namespace fs = std::filesystem;

[[noreturn]] void Broken(const std::string& what) {
  std::fprintf(stderr, "watch_fuzz: %s\n", what.c_str());
  std::abort();
}

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Write(const fs::path& p, std::string_view text, bool append) {
  std::ofstream f(p, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
}

const fs::path& Dir() {
  static const fs::path dir = [] {
    char tmpl[] = "/tmp/gotriage-watch-fuzz-XXXXXX";
    if (!mkdtemp(tmpl)) Broken("mkdtemp failed");
    return fs::path(tmpl);
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gotriage;
  if (size < 3) return 0;
  uint8_t flags = data[0];
  size_t split = static_cast<size_t>(data[1]) | static_cast<size_t>(data[2]) << 8;
  std::string_view rest(reinterpret_cast<const char*>(data) + 3, size - 3);
  std::string state_text;
  if (flags & 2) {
    size_t nul = rest.find('\0');
    state_text.assign(rest.substr(0, nul));
    rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  }
  split = rest.empty() ? 0 : split % (rest.size() + 1);

  std::error_code ec;
  fs::remove_all(Dir(), ec);
  fs::path logdir = Dir() / "pods" / "ns_pod-x2kqp_0a1b" / "app";
  fs::create_directories(logdir);
  fs::path log = logdir / "0.log";
  fs::path state = Dir() / "state.json";
  if (flags & 2) Write(state, state_text, false);

  WatchConfig cfg;
  cfg.roots = {(Dir() / "pods").string()};
  cfg.state_file = state.string();
  cfg.settle_ms = 3600 * 1000;
  uint64_t reported = 0;
  auto report = [&](ParsedInput& in, const std::vector<Finding>&) {
    for (const Incident& inc : in.incidents) {
      if (inc.first_line > inc.last_line && inc.last_line != 0)
        Broken("an incident ends before it starts");
    }
    reported += in.incidents.size();
  };
  std::ostringstream err;
  LogWatcher w(cfg, report, err);
  std::string e;
  if (!w.LoadState(&e)) return 0;  // a damaged state file is refused, said
  Write(log, rest.substr(0, split), false);
  w.Scan(false);
  if (flags & 1) fs::rename(log, logdir / "0.log.20261130-120000", ec);
  Write(log, rest.substr(split), true);
  w.Scan(true);
  if (!w.SaveState(&e)) Broken("cannot save: " + e);
  if (std::getenv("WATCH_FUZZ_DEBUG")) {
    std::fprintf(stderr, "after two scans: %s\n", Slurp(state).c_str());
    for (auto& f : fs::directory_iterator(logdir)) std::fprintf(stderr, "  %s %zu\n", f.path().c_str(), (size_t)f.file_size());
  }

  // Nothing is left to report: a drain and a restart from the state say
  // nothing new.
  uint64_t before = reported;
  w.Scan(true);
  if (reported != before) Broken("a second drain reported again");
  std::string saved = Slurp(state);
  LogWatcher again(cfg, report, err);
  if (!again.LoadState(&e)) Broken("its own state file does not load: " + e);
  again.Scan(true);
  if (reported != before) Broken("a restart from the saved state reported again");
  if (!again.SaveState(&e)) Broken("cannot save: " + e);
  std::string resaved = Slurp(state);
  if (resaved != saved) Broken("state changed by a restart that read nothing:\n" + saved + "\n" + resaved);
  return 0;
}
