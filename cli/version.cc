// See version.h. kGitCommit is defined in the generated git_commit.cc.
#include "cli/version.h"

#include "cli/render.h"

namespace gotriage {

const char kVersion[] = GOTRIAGE_VERSION;

std::string VersionText() {
  return std::string("gotriage ") + kVersion + " (commit " + kGitCommit +
         ", JSON schema_version " + std::to_string(kJsonSchemaVersion) + ")";
}

}  // namespace gotriage
