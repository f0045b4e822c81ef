// gotriage watch: see watch.h.
//
// Over 600 lines: LogWatcher (what is read of each log file, rotation and
// truncation, the state file) and the command around it (options, inotify,
// the report and alert loop). The two halves are split by the ---- line
// below; LogWatcher is what the tests drive without the command.
#include "cli/watch.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "base/durations.h"
#include "cli/alertmanager.h"
#include "cli/app.h"
#include "cli/escape.h"
#include "cli/formats.h"
#include "cli/render.h"

namespace gotriage {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

FileHead HeadOf(std::string_view bytes) {
  FileHead h;
  h.len = static_cast<uint32_t>(std::min<size_t>(bytes.size(), kHeadBytes));
  h.hash = XXH3_64bits(bytes.data(), h.len);
  return h;
}

// True when \a head names the file whose first bytes are \a bytes.
bool HeadMatches(const FileHead& head, std::string_view bytes) {
  if (head.len == 0 || bytes.size() < head.len) return false;
  return XXH3_64bits(bytes.data(), head.len) == head.hash;
}

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Reads a file (gzip or plain: zlib reads both) from byte \a offset of its
// content: at most \a max bytes into \a out. False with \a error.
bool ReadContent(const std::string& path, uint64_t offset, uint64_t max, std::string* out,
                 std::string* error) {
  out->clear();
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno == ELOOP) fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  gzFile f = gzdopen(fd, "rb");
  if (!f) {
    close(fd);
    *error = "cannot read";
    return false;
  }
  gzbuffer(f, 128 * 1024);
  bool ok = true;
  if (offset > 0 && gzseek(f, static_cast<z_off_t>(offset), SEEK_SET) < 0) ok = false;
  char buf[64 * 1024];
  while (ok && out->size() < max) {
    unsigned want = static_cast<unsigned>(std::min<uint64_t>(sizeof buf, max - out->size()));
    int n = gzread(f, buf, want);
    if (n < 0) {
      ok = false;
      break;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  if (!ok) {
    int errnum = 0;
    const char* msg = gzerror(f, &errnum);
    *error = errnum == Z_ERRNO ? std::strerror(errno) : (msg ? msg : "read error");
  }
  gzclose(f);
  return ok;
}

}  // namespace

bool ParseLogFileName(std::string_view name, LogFileName* out) {
  if (name.empty() || name[0] == '.') return false;
  size_t pos = name.find(".log");
  while (pos != std::string_view::npos && pos + 4 < name.size() && name[pos + 4] != '.')
    pos = name.find(".log", pos + 1);
  if (pos == std::string_view::npos || pos == 0) return false;
  LogFileName r;
  r.stream.assign(name.substr(0, pos));
  std::string_view rest = name.substr(pos + 4);
  if (!rest.empty()) {
    rest.remove_prefix(1);  // the '.'
    if (rest.size() >= 3 && rest.substr(rest.size() - 3) == ".gz") {
      r.gz = true;
      rest.remove_suffix(3);
    } else if (rest == "gz") {
      r.gz = true;
      rest = "";
    }
    if (rest.empty() && !r.gz) return false;
    // kubelet writes `N.log.tmp` while compressing: not a log yet.
    if (rest == "tmp" || (rest.size() > 4 && rest.substr(rest.size() - 4) == ".tmp")) return false;
    r.rotation.assign(rest);
    // `N.log.gz` (kubelet never writes it; a person may gzip a log by
    // hand): a rotation with no date. `~` sorts after every dated suffix,
    // so it counts as the newest rotation, read just before `N.log`.
    if (r.rotation.empty()) r.rotation = "~";
  }
  *out = std::move(r);
  return true;
}

LogWatcher::LogWatcher(WatchConfig cfg, ReportFn report, std::ostream& err)
    : cfg_(std::move(cfg)), report_(std::move(report)), err_(err) {}

bool LogWatcher::LoadState(std::string* error) {
  if (cfg_.state_file.empty()) return true;
  std::ifstream f(cfg_.state_file, std::ios::binary);
  if (!f) {
    std::error_code ec;
    if (!fs::exists(cfg_.state_file, ec)) return true;
    *error = cfg_.state_file + ": cannot read the state file";
    return false;
  }
  try {
    json j = json::parse(f);
    if (j.value("version", 0) != 1) {
      *error = cfg_.state_file + ": not a gotriage watch state file (version 1)";
      return false;
    }
    auto head_of = [](const json& h) {
      FileHead r;
      r.hash = std::stoull(h.at("head").get<std::string>(), nullptr, 16);
      r.len = h.at("head_len").get<uint32_t>();
      return r;
    };
    for (const auto& [key, v] : j.at("streams").items()) {
      Stream s;
      if (v.contains("cursor")) {
        const json& c = v["cursor"];
        WatchCursor cur;
        cur.head = head_of(c);
        cur.offset = c.at("offset").get<uint64_t>();
        cur.line = c.at("line").get<uint64_t>();
        cur.size = c.value("size", cur.offset);
        s.cursor = cur;
      }
      if (v.contains("done")) {
        for (const json& d : v["done"]) s.done.push_back(head_of(d));
      }
      s.pending = true;  // look at it at the first scan
      streams_[key] = std::move(s);
    }
    if (j.contains("extra")) {
      for (const auto& [k, v] : j["extra"].items()) extra_[k] = v.get<uint64_t>();
    }
  } catch (const std::exception& e) {
    *error = cfg_.state_file + ": the state file is damaged (" + e.what() +
             "); move it away to start over (incidents still in the logs are then reported again)";
    return false;
  }
  first_scan_ = false;  // --from-end applies to a first start only
  return true;
}

bool LogWatcher::SaveState(std::string* error) {
  if (cfg_.state_file.empty()) {
    dirty_ = false;
    return true;
  }
  json streams = json::object();
  auto head_json = [](json* o, const FileHead& h) {
    (*o)["head"] = Hex(h.hash);
    (*o)["head_len"] = h.len;
  };
  for (const auto& [key, s] : streams_) {
    json v = json::object();
    if (s.cursor) {
      json c = json::object();
      head_json(&c, s.cursor->head);
      c["offset"] = s.cursor->offset;
      c["line"] = s.cursor->line;
      c["size"] = s.cursor->size;
      v["cursor"] = c;
    }
    json done = json::array();
    for (const FileHead& d : s.done) {
      json o = json::object();
      head_json(&o, d);
      done.push_back(o);
    }
    v["done"] = done;
    streams[key] = v;
  }
  json j = {{"version", 1}, {"streams", streams}, {"extra", extra_}};
  // Paths are bytes, not always UTF-8: such a name is written with U+FFFD
  // (that stream is then read again after a restart) rather than failing.
  std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  fs::path target(cfg_.state_file);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  std::string tmp = cfg_.state_file + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = cfg_.state_file + ": cannot write the state file: " + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = cfg_.state_file + ": cannot write the state file: " + std::strerror(errno);
      close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    *error = cfg_.state_file + ": cannot write the state file: " + std::strerror(errno);
    return false;
  }
  if (rename(tmp.c_str(), cfg_.state_file.c_str()) != 0) {
    *error = cfg_.state_file + ": cannot replace the state file: " + std::strerror(errno);
    return false;
  }
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  if (int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  dirty_ = false;
  return true;
}

std::vector<std::string> LogWatcher::Directories() const {
  std::vector<std::string> out;
  for (const std::string& root : cfg_.roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    out.push_back(root);
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->path().filename().string().rfind('.', 0) == 0) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory(ec) && !it->is_symlink(ec)) out.push_back(it->path().string());
    }
  }
  return out;
}

int LogWatcher::NextSettleMs() const {
  int64_t now = NowMs();
  int64_t best = -1;
  for (const auto& [key, s] : streams_) {
    if (!s.pending) continue;
    int64_t left = std::max<int64_t>(0, s.changed_ms + cfg_.settle_ms - now);
    if (best < 0 || left < best) best = left;
  }
  return static_cast<int>(best);
}

void LogWatcher::Scan(bool drain) {
  int64_t now = NowMs();
  // Every log file under the roots, by stream (directory + `N`).
  std::map<std::string, std::vector<File>> found;
  for (const std::string& root : cfg_.roots) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      err_ << "gotriage watch: " << EscapeForTerminal(root) << ": cannot list: " << EscapeForTerminal(ec.message())
           << "\n";
      continue;
    }
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.rfind('.', 0) == 0) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      LogFileName ln;
      if (!ParseLogFileName(name, &ln)) continue;
      struct stat st;
      if (stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      File f;
      f.path = it->path().string();
      f.name = ln;
      f.seen = {f.path, static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
                static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
      found[(it->path().parent_path() / ln.stream).string()].push_back(std::move(f));
    }
  }
  // Streams whose files are all gone leave the state (it stays bounded).
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (!found.count(it->first)) {
      it = streams_.erase(it);
      dirty_ = true;
    } else {
      ++it;
    }
  }
  for (auto& [key, files] : found) {
    // Oldest first: rotations by their suffix (kubelet's is a sortable
    // time), then the live file.
    std::sort(files.begin(), files.end(), [](const File& a, const File& b) {
      bool la = a.name.rotation.empty(), lb = b.name.rotation.empty();
      if (la != lb) return lb;
      return a.name.rotation < b.name.rotation;
    });
    auto [it, inserted] = streams_.try_emplace(key);
    Stream& s = it->second;
    std::vector<FileSeen> seen;
    for (const File& f : files) seen.push_back(f.seen);
    if (seen != s.seen) {
      s.seen = seen;
      s.changed_ms = now;
    } else if (!s.pending && !drain) {
      continue;  // nothing new (a drain reads what a scan left: a last line without its end)
    }
    if (inserted && first_scan_ && cfg_.from_end) {
      // --from-end: what was there before the agent first started is old.
      for (File& f : files) {
        std::string e;
        ReadContent(f.path, 0, kHeadBytes, &f.head, &e);
        if (f.head.empty()) continue;
        if (&f != &files.back()) {
          s.done.push_back(HeadOf(f.head));
          continue;
        }
        std::string all;
        ReadContent(f.path, 0, UINT64_MAX, &all, &e);
        size_t end = all.rfind('\n');
        end = end == std::string::npos ? 0 : end + 1;
        s.cursor = WatchCursor{HeadOf(f.head), end,
                               static_cast<uint64_t>(std::count(all.begin(), all.begin() + end, '\n')),
                               all.size()};
      }
      dirty_ = true;
      continue;
    }
    bool settled = drain || now - s.changed_ms >= cfg_.settle_ms;
    ProcessStream(key, s, files, settled, drain);
  }
  first_scan_ = false;
}

namespace {

// True when a log line holds text: its CRI envelope (`TIME STREAM TAG `)
// aside, something other than blanks.
bool HasText(std::string_view l) {
  std::string_view body = l;
  size_t a = l.find(' ');
  if (a != std::string_view::npos) {
    size_t b = l.find(' ', a + 1);
    std::string_view stream = l.substr(a + 1, b == std::string_view::npos ? 0 : b - a - 1);
    if (b != std::string_view::npos && (stream == "stdout" || stream == "stderr")) {
      size_t c = l.find(' ', b + 1);
      body = c == std::string_view::npos ? std::string_view() : l.substr(c + 1);
    }
  }
  return body.find_first_not_of(" \t\r") != std::string_view::npos;
}

}  // namespace

void LogWatcher::ProcessStream(const std::string& key, Stream& s, std::vector<File>& files, bool settled,
                               bool drain) {
  for (File& f : files) {
    std::string e;
    if (!ReadContent(f.path, 0, kHeadBytes, &f.head, &e)) f.head.clear();
  }
  // Where the unreported data begins.
  int start = -1;
  if (s.cursor) {
    // The file the cursor is in. Two files that begin alike (a rotation
    // that starts with the same 256 bytes) are told apart by size: the
    // newest one that holds the cursor's offset.
    int shrunk = -1;
    for (size_t i = 0; i < files.size(); ++i) {
      if (!HeadMatches(s.cursor->head, files[i].head)) continue;
      if (files[i].name.gz || files[i].seen.size >= s.cursor->offset) start = static_cast<int>(i);
      else shrunk = static_cast<int>(i);
    }
    if (start < 0 && shrunk >= 0) {
      err_ << "gotriage watch: " << EscapeForTerminal(files[shrunk].path)
           << ": the file was truncated; reading it again from its start\n";
      s.cursor->offset = 0;
      s.cursor->line = 0;
      start = shrunk;
    }
    if (start < 0 && !s.warned_lost && s.cursor->offset < s.cursor->size) {
      err_ << "gotriage watch: " << EscapeForTerminal(key) << ".log: a file was removed before it was read to "
           << "its end (" << (s.cursor->size - s.cursor->offset) << " bytes unread)\n";
      s.warned_lost = true;
    }
  }
  auto is_done = [&](const File& f) {
    return std::any_of(s.done.begin(), s.done.end(), [&](const FileHead& d) { return HeadMatches(d, f.head); });
  };

  // The text from the cursor to the end of what is written, in pieces.
  struct Segment {
    size_t file = 0;        // index into files
    uint64_t offset = 0;    // file offset of the piece's first byte
    uint64_t len = 0;       // the piece's bytes in the file
    uint64_t line = 0;      // file lines before it
    size_t buf_start = 0;   // its first byte in the text
    uint64_t buf_line = 0;  // text lines before it
  };
  std::string text;
  std::vector<Segment> segs;
  uint64_t newlines = 0;
  bool more = false;  // stopped at max_read_bytes: more is written
  for (size_t i = start < 0 ? 0 : static_cast<size_t>(start); i < files.size() && !more; ++i) {
    const File& f = files[i];
    bool at_cursor = static_cast<int>(i) == start;
    if (f.head.empty() || (!at_cursor && is_done(f))) continue;
    uint64_t off = at_cursor ? s.cursor->offset : 0;
    uint64_t room = cfg_.max_read_bytes > text.size() ? cfg_.max_read_bytes - text.size() : 0;
    std::string piece, e;
    if (!ReadContent(f.path, off, room + 1, &piece, &e)) {
      err_ << "gotriage watch: " << EscapeForTerminal(f.path) << ": " << EscapeForTerminal(e) << "\n";
      if (piece.empty()) continue;
    }
    if (piece.size() > room) {
      piece.resize(room);
      more = true;
    }
    // A line still being written is read once it is complete (all of it
    // under --once).
    bool live = i + 1 == files.size() && f.name.rotation.empty();
    if (more || (live && !drain)) {
      size_t nl = piece.rfind('\n');
      piece.resize(nl == std::string::npos ? 0 : nl + 1);
    }
    if (piece.empty()) continue;
    Segment seg{i, off, piece.size(), at_cursor ? s.cursor->line : 0, text.size(), newlines};
    newlines += static_cast<uint64_t>(std::count(piece.begin(), piece.end(), '\n'));
    text += piece;
    // A file whose last line has no end does not glue it to the next one.
    if (text.back() != '\n') {
      text += '\n';
      ++newlines;
    }
    segs.push_back(seg);
  }
  s.pending = more;
  if (segs.empty()) return;  // nothing new (a new stream's cursor comes with its first line)

  // Parse what was read, as one input named after its first file.
  Parser parser(cfg_.parse);
  std::string e;
  parser.AddText(files[segs.front().file].path, text, &e);
  std::unique_ptr<ParsedInput> in = parser.Finish();

  // An incident that reaches the last line with text may go on while the
  // log is still written: it waits, and so does every one after it.
  size_t cut = in->incidents.size();
  if (!settled || more) {
    uint64_t last_text_line = 0, ln = 0;
    for (size_t pos = 0; pos < text.size();) {
      size_t nl = text.find('\n', pos);
      size_t end = nl == std::string::npos ? text.size() : nl;
      ++ln;
      if (HasText(std::string_view(text).substr(pos, end - pos))) last_text_line = ln;
      pos = end + 1;
    }
    for (size_t k = 0; k < in->incidents.size(); ++k) {
      if (in->incidents[k].last_line >= last_text_line) {
        cut = k;
        break;
      }
    }
    // One incident bigger than a whole read cannot wait for its end.
    if (cut == 0 && more && in->incidents[0].first_line <= 1) cut = 1;
  }

  // The new cursor: at the first line of the first incident that waits,
  // or after everything read.
  size_t cut_byte = text.size();
  if (cut < in->incidents.size()) {
    size_t pos = 0;
    for (uint64_t l = 1; l < in->incidents[cut].first_line && pos < text.size(); ++l) {
      size_t nl = text.find('\n', pos);
      pos = nl == std::string::npos ? text.size() : nl + 1;
    }
    cut_byte = pos;
    s.pending = true;
  }
  size_t si = 0;
  while (si + 1 < segs.size() && segs[si + 1].buf_start <= cut_byte && cut_byte < text.size()) ++si;
  if (cut_byte == text.size()) si = segs.size() - 1;
  const Segment& cs = segs[si];
  const File& cf = files[cs.file];
  uint64_t into = std::min<uint64_t>(cut_byte - cs.buf_start, cs.len);
  WatchCursor nc;
  nc.head = HeadOf(cf.head);
  nc.offset = cs.offset + into;
  nc.line = cs.line + static_cast<uint64_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(cs.buf_start),
                                                       text.begin() + static_cast<std::ptrdiff_t>(cs.buf_start + into),
                                                       '\n'));
  nc.size = cf.name.gz ? std::max(nc.offset, cs.offset + cs.len) : std::max<uint64_t>(cf.seen.size, nc.offset);
  // Files wholly before the cursor's are done (and so are the ones the
  // state already knew as done, while they exist).
  std::vector<FileHead> done;
  for (size_t i = 0; i < cs.file; ++i) {
    if (files[i].head.empty()) continue;
    FileHead h = HeadOf(files[i].head);
    if (std::find(done.begin(), done.end(), h) == done.end()) done.push_back(h);
  }
  for (const FileHead& d : s.done) {
    bool present = std::any_of(files.begin(), files.end(), [&](const File& f) { return HeadMatches(d, f.head); });
    if (present && std::find(done.begin(), done.end(), d) == done.end()) done.push_back(d);
  }

  // Report what is complete, each incident with its own file's name and
  // line numbers.
  in->incidents.erase(in->incidents.begin() + static_cast<std::ptrdiff_t>(cut), in->incidents.end());
  for (Incident& inc : in->incidents) {
    size_t k = 0;
    while (k + 1 < segs.size() && segs[k + 1].buf_line < inc.first_line) ++k;
    ShiftInputLines(&inc, static_cast<int64_t>(segs[k].line) - static_cast<int64_t>(segs[k].buf_line));
    inc.source = files[segs[k].file].path;
    if (inc.pod.empty()) PodFromLogPath(inc.source, &inc.pod);
    if (inc.pod.node.empty()) inc.pod.node = cfg_.node;
  }
  bool changed = !s.cursor || !(s.cursor->head == nc.head) || s.cursor->offset != nc.offset || s.done != done;
  s.cursor = nc;
  s.done = std::move(done);
  s.warned_lost = false;
  if (changed) dirty_ = true;
  if (!in->incidents.empty()) {
    std::vector<Finding> findings = Analyze(*in, cfg_.engine);
    dirty_ = true;
    report_(*in, findings);
  }
}

// ---------------------------------------------------------------------------
// The command.

namespace {

volatile sig_atomic_t g_stop = 0;
void OnStopSignal(int) { g_stop = 1; }

std::string DefaultStateFile() {
  std::string spool = DefaultSpoolDir();  // .../gotriage/spool
  return spool.substr(0, spool.rfind('/')) + "/watch-state.json";
}

// Writes \a text to \a fd whole. False on error.
bool WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// inotify on every directory under the roots; polling when unavailable.
class DirWatch {
 public:
  explicit DirWatch(bool enabled) {
    if (enabled) fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  }
  ~DirWatch() {
    if (fd_ >= 0) close(fd_);
  }
  bool active() const { return fd_ >= 0; }
  // Adds watches for directories not yet watched; false (and inotify off)
  // when the kernel refuses one (max_user_watches).
  bool Update(const std::vector<std::string>& dirs, std::ostream& err) {
    if (fd_ < 0) return false;
    for (const std::string& d : dirs) {
      if (watched_.count(d)) continue;
      int wd = inotify_add_watch(fd_, d.c_str(),
                                 IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE |
                                     IN_DELETE_SELF | IN_ONLYDIR);
      if (wd < 0) {
        if (errno == ENOENT) continue;  // gone meanwhile
        err << "gotriage watch: inotify: " << std::strerror(errno) << " (" << EscapeForTerminal(d)
            << "); polling instead\n";
        close(fd_);
        fd_ = -1;
        return false;
      }
      watched_[d] = wd;
    }
    // Forget directories that are gone (their watch went with them).
    std::set<std::string> now(dirs.begin(), dirs.end());
    for (auto it = watched_.begin(); it != watched_.end();) {
      if (!now.count(it->first)) {
        inotify_rm_watch(fd_, it->second);
        it = watched_.erase(it);
      } else {
        ++it;
      }
    }
    return true;
  }
  // Waits up to \a ms for an event (or a signal). True when one came.
  bool Wait(int ms) {
    struct pollfd p = {fd_, POLLIN, 0};
    int r = poll(fd_ >= 0 ? &p : nullptr, fd_ >= 0 ? 1 : 0, ms);
    if (r <= 0) return false;
    char buf[64 * 1024];
    while (read(fd_, buf, sizeof buf) > 0) {
    }
    return true;
  }

 private:
  int fd_ = -1;
  std::map<std::string, int> watched_;
};

}  // namespace

int RunWatchMain(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"Follow the container log files kubelet writes on a node (/var/log/pods/NS_POD_UID/CONTAINER/"
               "N.log, CRI format, rotated N.log.DATE and .gz) and report each Go incident once, with its "
               "namespace, pod and container, as soon as it is complete. Read positions are kept in a "
               "state file: a restart neither repeats nor loses an incident.",
               "gotriage watch"};
  std::vector<std::string> roots;
  std::string format_name = "ndjson", output, state_file, node, interval_text = "1s", settle_text = "2s",
              fail_on = "high";
  bool once = false, poll_only = false, from_end = false, no_state = false;
  AlertmanagerOptions am;
  app.add_option("dirs", roots, "Directories to follow (default /var/log/pods)");
  app.add_option("-f,--format", format_name,
                 "Output format, one record per incident: " + OutputFormatNames(&OutputFormat::follow, ", "))
      ->check(CLI::IsMember(OutputFormatList(&OutputFormat::follow)))
      ->capture_default_str();
  app.add_option("-o,--output", output,
                 "Append the report to FILE; kept in step with the state file, so that it holds each "
                 "incident once across restarts");
  app.add_option("--state", state_file,
                 "Where read positions are kept (default: " + DefaultStateFile() + ")");
  app.add_flag("--no-state", no_state, "Keep no state: every start reads the logs from their start");
  app.add_option("--interval", interval_text, "How often to look when inotify says nothing (500ms, 2s, ...)")
      ->capture_default_str();
  app.add_option("--settle", settle_text,
                 "A dump at the end of a log still being written is reported after the log stays unchanged "
                 "this long")
      ->capture_default_str();
  app.add_flag("--once", once, "Read what is there now, report it, save the state and exit");
  app.add_flag("--poll", poll_only, "Do not use inotify; look every --interval");
  app.add_flag("--from-end", from_end,
               "At the first start (no state yet), skip what the logs already hold");
  app.add_option("--node", node,
                 "The node's name, given to every finding and alert (in a DaemonSet: $(NODE_NAME) from "
                 "spec.nodeName)");
  app.add_option("--alertmanager", am.url, "Also post each finding to Alertmanager's v2 API at URL");
  app.add_option("--spool", am.spool, "With --alertmanager: where alerts wait while it is unreachable");
  app.add_option("--fail-on", fail_on, "With --once: exit 1 when a finding has this severity or higher, or never")
      ->capture_default_str();
  app.footer(
      "Examples:\n"
      "  gotriage watch /var/log/pods --node \"$NODE_NAME\" --alertmanager http://alertmanager:9093\n"
      "  gotriage watch /var/log/pods -o /var/log/gotriage.ndjson\n"
      "  gotriage watch /var/log/pods --once --format text\n\n"
      "Exit codes (it runs until SIGTERM or SIGINT; with --once, the first that applies):\n"
      "  2  usage error\n"
      "  1  --once: a finding at or above --fail-on (default: high)\n"
      "  3  a directory is missing, the state file is damaged, or writing the output failed\n"
      "  5  --alertmanager could not be reached: alerts are spooled and sent later\n"
      "  0  none of the above\n\n"
      "The DaemonSet that runs it on every node: packaging/k8s/gotriage-watch.yaml.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "gotriage watch: " << e.what() << "\nRun 'gotriage watch --help' for usage.\n";
    return kExitUsage;
  }
  int interval_ms = 0, settle_ms = 0;
  if (!ParseDurationMs(interval_text, &interval_ms) || interval_ms < 10) {
    err << "gotriage watch: --interval: give a duration of at least 10ms, like 500ms or 2s\n";
    return kExitUsage;
  }
  if (!ParseDurationMs(settle_text, &settle_ms)) {
    err << "gotriage watch: --settle: give a duration, like 500ms or 2s\n";
    return kExitUsage;
  }
  Severity fail_sev = Severity::kHigh;
  bool never_fail = fail_on == "never" || fail_on == "none";
  if (!never_fail && !ParseSeverity(fail_on, &fail_sev)) {
    err << "gotriage watch: --fail-on: unknown severity '" << EscapeForTerminal(fail_on) << "'\n";
    return kExitUsage;
  }
  if (std::string e; !am.url.empty() && !ValidAlertmanagerUrl(am.url, &e)) {
    err << "gotriage watch: --alertmanager: " << EscapeForTerminal(e) << "\n";
    return kExitUsage;
  }
  if (!am.spool.empty() && am.url.empty()) {
    err << "gotriage watch: --spool is where --alertmanager keeps unsent alerts; give --alertmanager URL too\n";
    return kExitUsage;
  }
  if (roots.empty()) roots.push_back("/var/log/pods");
  for (std::string& r : roots) {
    // Streams are kept by absolute path: a restart from another directory
    // finds them again.
    std::error_code aec;
    fs::path abs = fs::absolute(r, aec);
    if (!aec) r = abs.lexically_normal().string();
    while (r.size() > 1 && r.back() == '/') r.pop_back();
    std::error_code ec;
    if (!fs::is_directory(r, ec)) {
      err << "gotriage watch: " << EscapeForTerminal(r) << ": not a directory\n";
      return kExitUnreadable;
    }
  }
  const OutputFormat& format = *FindOutputFormat(format_name);

  // Output: -o FILE (appended, committed with the state) or stdout.
  int out_fd = -1;
  if (!output.empty()) {
    out_fd = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out_fd < 0) {
      err << "gotriage watch: cannot write " << EscapeForTerminal(output) << ": " << std::strerror(errno) << "\n";
      return kExitUsage;
    }
  }
  struct CloseFd {
    int fd;
    ~CloseFd() {
      if (fd >= 0) close(fd);
    }
  } close_out{out_fd};

  WatchConfig cfg;
  cfg.roots = roots;
  cfg.state_file = no_state ? "" : state_file.empty() ? DefaultStateFile() : state_file;
  cfg.settle_ms = settle_ms;
  cfg.from_end = from_end;
  cfg.node = node;
  RenderOptions ropts;
  ropts.messages = &err;
  if (!never_fail) ropts.fail_on = fail_sev;
  bool any_at_threshold = false, alerts_pending = false, write_failed = false;
  std::string output_key = output.empty() ? "" : "output_bytes:" + fs::absolute(output).string();
  LogWatcher* self = nullptr;
  auto report = [&](ParsedInput& in, const std::vector<Finding>& fs) {
    for (const Finding& f : fs) {
      if (!never_fail && f.severity >= fail_sev) any_at_threshold = true;
    }
    std::ostringstream text;
    format.follow(in, fs, ropts, text);
    if (out_fd >= 0) {
      if (!WriteAll(out_fd, text.str()) || fsync(out_fd) != 0) {
        if (!write_failed)
          err << "gotriage watch: cannot write " << EscapeForTerminal(output) << ": " << std::strerror(errno) << "\n";
        write_failed = true;
      }
      struct stat st;
      if (fstat(out_fd, &st) == 0) self->extra()[output_key] = static_cast<uint64_t>(st.st_size);
    } else {
      out << text.str() << std::flush;
    }
    if (!am.url.empty() && DeliverAlerts(in, fs, am, err) != DeliveryResult::kSent) alerts_pending = true;
    // Output and state advance together: a kill between the two repeats
    // this report in the output file at most (cut at the next start).
    std::string e;
    if (!self->SaveState(&e)) err << "gotriage watch: " << EscapeForTerminal(e) << "\n";
  };
  LogWatcher watcher(cfg, report, err);
  self = &watcher;
  if (std::string e; !watcher.LoadState(&e)) {
    err << "gotriage watch: " << EscapeForTerminal(e) << "\n";
    return kExitUnreadable;
  }
  if (out_fd >= 0) {
    // What a killed run wrote after its last saved state is written again
    // from the logs: cut it off first.
    struct stat st;
    auto it = watcher.extra().find(output_key);
    if (it != watcher.extra().end() && fstat(out_fd, &st) == 0 && static_cast<uint64_t>(st.st_size) > it->second) {
      if (ftruncate(out_fd, static_cast<off_t>(it->second)) == 0)
        err << "gotriage watch: " << EscapeForTerminal(output) << ": " << (st.st_size - it->second)
            << " bytes written after the last saved state removed; their incidents are reported again\n";
    }
    if (fstat(out_fd, &st) == 0) watcher.extra()[output_key] = static_cast<uint64_t>(st.st_size);
  }

  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_term, old_int;
  if (!once) {
    g_stop = 0;
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGINT, &sa, &old_int);
  }
  DirWatch dirs(!poll_only && !once);
  int64_t last_retry = NowMs();
  if (!am.url.empty()) {
    // What an earlier run spooled goes out first (a restart of the agent
    // or of Alertmanager loses nothing); while Alertmanager stays down it
    // is tried again every 30 s.
    AlertmanagerOptions first = am;
    if (!once) first.attempts = 1;
    ParsedInput none;
    alerts_pending = DeliverAlerts(none, {}, first, err) != DeliveryResult::kSent;
  }
  for (;;) {
    if (dirs.active()) dirs.Update(watcher.Directories(), err);
    watcher.Scan(once);
    if (watcher.dirty()) {
      std::string e;
      if (!watcher.SaveState(&e)) err << "gotriage watch: " << EscapeForTerminal(e) << "\n";
    }
    if (once || g_stop) break;
    // Alerts spooled while Alertmanager was down go out when it is back.
    if (alerts_pending && NowMs() - last_retry > 30000) {
      last_retry = NowMs();
      AlertmanagerOptions retry = am;
      retry.attempts = 1;
      ParsedInput none;
      alerts_pending = DeliverAlerts(none, {}, retry, err) != DeliveryResult::kSent;
    }
    int wait = interval_ms;
    if (int settle = watcher.NextSettleMs(); settle >= 0) wait = std::min(wait, settle + 10);
    if (dirs.active()) {
      if (dirs.Wait(wait) && !g_stop) {
        // Let a burst of writes finish before reading.
        dirs.Wait(std::min(100, interval_ms));
      }
    } else {
      struct pollfd none;
      poll(&none, 0, wait);
    }
    if (g_stop) {
      watcher.Scan(false);
      std::string e;
      if (watcher.dirty() && !watcher.SaveState(&e)) err << "gotriage watch: " << EscapeForTerminal(e) << "\n";
      break;
    }
  }
  if (!once) {
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGINT, &old_int, nullptr);
  }
  if (write_failed) return kExitUnreadable;
  if (once && any_at_threshold) return kExitFindings;
  if (alerts_pending) return kExitSpooled;
  return kExitOk;
}

}  // namespace gotriage
