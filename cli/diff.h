// `gotriage diff OLD NEW [NEWER...]` and `gotriage --baseline FILE`: compare
// goroutine snapshots of one process taken at different times, by stack
// signature, and report the groups that grew or whose waits grew.
#ifndef GOTRIAGE_CLI_DIFF_H_
#define GOTRIAGE_CLI_DIFF_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/formats.h"
#include "cli/render.h"
#include "parsers/parse.h"
#include "rules/finding.h"

namespace gotriage {

/// One stack signature followed across the snapshots.
struct DiffGroup {
  std::string signature;            ///< 16 hex digits over the stack's non-runtime frames and lines
  std::vector<uint64_t> counts;     ///< per snapshot (0: absent)
  std::vector<int> max_wait;        ///< per snapshot, -1 when not printed or absent
  std::string status;               ///< new, gone, grown, shrunk, same
  std::string state;                ///< wait state in the newest snapshot that has it
  std::optional<CodeRef> culprit;   ///< first application frame
  std::optional<CodeRef> created_by;
  bool grew_every_step = false;
  bool wait_grew_every_step = false;
  int64_t growth = 0;               ///< newest count - oldest count
  const GoroutineGroup* last = nullptr;  ///< in the newest snapshot holding it
  size_t last_snapshot = 0;
  int last_incident = -1;
};

struct DiffSnapshot {
  std::string source;
  uint64_t goroutines = 0;
  std::optional<int64_t> unix_time;  ///< when known
  std::unique_ptr<ParsedInput> input;
};

struct DiffResult {
  std::vector<DiffSnapshot> snapshots;
  std::vector<DiffGroup> groups;    ///< changed groups first, by |growth|
  std::vector<Finding> findings;    ///< GT2003, ranked by growth
  std::string time_basis;           ///< envelope timestamps, wait minutes, file mtimes, per step
  std::optional<int64_t> elapsed_seconds;  ///< oldest to newest, when known
};

struct DiffOptions {
  bool baseline = false;   ///< CI: any growth of a parked group is a finding
  ParseOptions parse;
};

/// Reads \a paths (oldest first) and compares them. Returns false with
/// \a error when a file cannot be read or holds no goroutine dump.
bool DiffSnapshots(const std::vector<std::string>& paths, const DiffOptions& opts, DiffResult* out,
                   std::string* error);

/// \a r as the formats of cli/formats.h that compare snapshots write it.
void RenderDiffText(const DiffResult& r, const RenderOptions& opts, std::ostream& os);
void RenderDiffJson(const DiffResult& r, const RenderOptions& opts, std::ostream& os);
/// The findings (grown groups, leaks) on the newest snapshot.
void RenderDiffNdjson(const DiffResult& r, const RenderOptions& opts, std::ostream& os);
void RenderDiffSarif(const DiffResult& r, const RenderOptions& opts, std::ostream& os);
/// One self-contained page (cli/render_html.cc): findings, then every
/// changed group with its count per snapshot, growth and waits.
void RenderDiffHtml(const DiffResult& r, const RenderOptions& opts, std::ostream& os);

/// `gotriage diff ...` (argv[0] is "diff").
int RunDiffMain(int argc, char** argv, std::ostream& out, std::ostream& err);

/// `gotriage --baseline FILE INPUT`: the work of --baseline once the main
/// command line is parsed.
int RunBaseline(const std::string& baseline, const std::vector<std::string>& inputs,
                const OutputFormat& format, const RenderOptions& ropts, bool never_fail,
                std::ostream& out, std::ostream& err);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_DIFF_H_
