// `gotriage watch [DIR...]`: the node agent. It follows the container log
// files kubelet writes (/var/log/pods/NS_POD_UID/CONTAINER/N.log, CRI
// format, rotated to N.log.DATE and later N.log.DATE.gz), reports each
// incident once with the pod, namespace and container taken from the path,
// and keeps its read positions in a state file, so that a restart -- a
// rollout, an OOM kill, kill -9 -- neither repeats nor loses an incident.
//
// A *stream* is one N.log with its rotations (one run of one container).
// For each stream the state keeps a cursor: the file (known by a hash of
// its first bytes, which survive rename and compression) and the offset at
// which the unreported data begins. Each scan reads a stream from its
// cursor, parses what it read, reports the incidents that are complete and
// moves the cursor past them; an incident that reaches the end of what was
// written while the file still grows is left for the next scan (the cursor
// stays at its first line). Output and state are committed together: with
// -o FILE, output written after the last saved state is cut off at start
// and written again, so the file holds each incident once.
#ifndef GOTRIAGE_CLI_WATCH_H_
#define GOTRIAGE_CLI_WATCH_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/model.h"
#include "parsers/parse.h"
#include "rules/engine.h"
#include "rules/finding.h"

namespace gotriage {

/// The parts of a log file's name: `0.log` (live), `0.log.20261130-120000`
/// (rotated), `0.log.20261130-120000.gz` (rotated, compressed). Any
/// `NAME.log` is followed, not only kubelet's numbered ones.
struct LogFileName {
  std::string stream;    ///< `0` of `0.log`
  std::string rotation;  ///< `20261130-120000`, "" for the live file
  bool gz = false;
};
/// False when \a name is not `NAME.log[.SUFFIX][.gz]` (or is hidden).
bool ParseLogFileName(std::string_view name, LogFileName* out);

/// A file known by its first bytes: `len` bytes (at most kHeadBytes) whose
/// hash is `hash`. Rename, rotation and compression keep it.
struct FileHead {
  uint64_t hash = 0;
  uint32_t len = 0;
  bool operator==(const FileHead&) const = default;
};
constexpr uint32_t kHeadBytes = 256;

struct WatchCursor {
  FileHead head;        ///< the file
  uint64_t offset = 0;  ///< bytes (after gunzip) already dealt with
  uint64_t line = 0;    ///< lines before offset
  uint64_t size = 0;    ///< bytes the file had when last read
};

struct WatchConfig {
  std::vector<std::string> roots;  ///< directories to follow
  std::string state_file;          ///< "" : no state kept
  int settle_ms = 2000;            ///< a stream this long unchanged is complete
  uint64_t max_read_bytes = 16u << 20;  ///< per stream and scan
  bool from_end = false;           ///< streams of the first scan start at their end
  std::string node;                ///< the node's name, given to every incident's pod
  ParseOptions parse;
  EngineOptions engine;
};

/// The agent's work, without the loop and the output: scan, report, keep
/// state. `gotriage watch` drives it; tests drive it directly.
class LogWatcher {
 public:
  /// Called with each stream's complete incidents and their findings.
  using ReportFn = std::function<void(ParsedInput& in, const std::vector<Finding>& findings)>;

  LogWatcher(WatchConfig cfg, ReportFn report, std::ostream& err);

  /// Reads the state file (a missing one is an empty state). False with
  /// \a error when it exists but cannot be read or understood.
  bool LoadState(std::string* error);
  /// Writes the state file atomically (temporary file, fsync, rename).
  bool SaveState(std::string* error);

  /// One pass over every stream. \a drain: every stream counts as
  /// complete (--once, and the last pass before exit is not one).
  void Scan(bool drain);

  /// Milliseconds until a stream left incomplete may be complete, or -1
  /// when none waits.
  int NextSettleMs() const;
  /// The directories (recursively) that exist now, for inotify.
  std::vector<std::string> Directories() const;

  /// Extra data the state file carries for the caller (the output file's
  /// committed size).
  std::map<std::string, uint64_t>& extra() { return extra_; }

  bool dirty() const { return dirty_; }

 private:
  struct FileSeen {
    std::string path;
    uint64_t ino = 0, size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileSeen&) const = default;
  };
  struct Stream {
    std::optional<WatchCursor> cursor;
    std::vector<FileHead> done;   ///< files wholly before the cursor
    std::vector<FileSeen> seen;   ///< at the last scan (not saved)
    int64_t changed_ms = 0;       ///< when `seen` last changed
    bool pending = false;         ///< an incident or data left for later
    bool warned_lost = false;
  };
  struct File {
    std::string path;
    LogFileName name;
    FileSeen seen;
    std::string head;  ///< first kHeadBytes bytes (after gunzip)
  };

  void ProcessStream(const std::string& key, Stream& s, std::vector<File>& files, bool settled, bool drain);

  WatchConfig cfg_;
  ReportFn report_;
  std::ostream& err_;
  std::map<std::string, Stream> streams_;
  std::map<std::string, uint64_t> extra_;
  bool first_scan_ = true;
  bool dirty_ = false;
};

/// `gotriage watch ...` (argv[0] is "watch").
int RunWatchMain(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_WATCH_H_
