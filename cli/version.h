// What `gotriage --version` prints. Each part has one source: the release
// from project(VERSION) in CMakeLists.txt (GOTRIAGE_VERSION), the commit
// from git when the binary was built (cmake/GitCommit.cmake, generated into
// the build tree), the JSON schema version from kJsonSchemaVersion
// (cli/render.h), which is also what `--format json` writes.
#ifndef GOTRIAGE_CLI_VERSION_H_
#define GOTRIAGE_CLI_VERSION_H_

#include <string>

namespace gotriage {

/// The release, e.g. "0.1.0".
extern const char kVersion[];
/// The commit the binary was built from: a short hash, with "-dirty" when
/// tracked files differed from it at build time, or "unknown" when built
/// from a tree with neither .git nor a `git archive` stamp.
extern const char kGitCommit[];

/// "gotriage 0.1.0 (commit 1a2b3c4, JSON schema_version 1)".
std::string VersionText();

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_VERSION_H_
