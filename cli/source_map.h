// Maps the file of a frame, as the Go runtime printed it, to a path relative
// to the repository root, for the CI outputs (SARIF locations, GitHub
// annotations), which both want repository-relative paths.
//
// The repository root is the working directory (where CI runs gotriage).
// `--src DIR` names the application's module root, relative to it or
// absolute; without it the module root is taken to be the working directory.
#ifndef GOTRIAGE_CLI_SOURCE_MAP_H_
#define GOTRIAGE_CLI_SOURCE_MAP_H_

#include <string>
#include <string_view>

namespace gotriage {

class SourceMapper {
 public:
  /// \a src_dir is --src ("" when not given); \a cwd the working directory
  /// ("" reads it).
  explicit SourceMapper(std::string src_dir, std::string cwd = "");

  /// The repository-relative path (`pkg/store.go`) of the application frame
  /// \a function in \a file of module \a module, or "" when it cannot be
  /// placed. Tried in order: a path under the working directory (the trace
  /// came from this checkout); with --src, the longest tail of the path that
  /// exists under it; the import path below the module (`example.com/m/pkg`
  /// in module `example.com/m` is `pkg/`), also for -trimpath paths.
  std::string RepoPath(std::string_view function, std::string_view file,
                       std::string_view module) const;

  /// \a path as a URI reference: relative paths are percent-encoded,
  /// absolute ones (`/usr/...`, `C:\...`) become `file:///...`.
  static std::string ToUri(std::string_view path);

 private:
  std::string src_;  // --src without a trailing '/', "" for the working dir
  std::string cwd_;  // absolute, with a trailing '/'
  bool have_src_;    // --src was given (src_ is "" also for `--src .`)
};

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_SOURCE_MAP_H_
