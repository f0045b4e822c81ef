// Frame classification: Go runtime, standard library, third-party
// dependency, or the application's own code; and detection of the main
// module that the application frames belong to.
#ifndef GOTRIAGE_PARSERS_CLASSIFY_H_
#define GOTRIAGE_PARSERS_CLASSIFY_H_

#include <string>
#include <string_view>
#include <vector>

#include "parsers/model.h"

namespace gotriage {

/// True for import paths of the standard library (`net/http`, `sync`,
/// `vendor/golang.org/x/net/...`), including the runtime.
bool IsStdlibPackage(std::string_view pkg);
/// True for `runtime`, `runtime/internal/...`, `internal/runtime/...`.
bool IsRuntimePackage(std::string_view pkg);

/// Module path and version from a file path under `pkg/mod`, a `vendor/`
/// directory or a `-trimpath` path (`module@v1.2.3/file.go`). Empty when
/// the path does not show one.
struct ModuleRef {
  std::string path;
  std::string version;
  bool vendored = false;
};
ModuleRef ModuleFromFile(std::string_view file);

/// What is known of the application's main module.
struct MainModuleInfo {
  std::string module;                  ///< import path, "" when unknown
  std::vector<std::string> main_dirs;  ///< directories of package main files
  bool overridden = false;             ///< from --module
  /// True when package \a pkg with file \a file belongs to the main module.
  bool InMainModule(std::string_view pkg, std::string_view file) const;
};
/// Guesses the application's module from the frames of every incident:
/// the directories of package main, and the import-path root that most
/// non-dependency frames lining up with them share.
MainModuleInfo DetectMainModuleInfo(const ParsedInput& in);
/// The voting step of DetectMainModuleInfo, given main's directories.
std::string DetectMainModule(const ParsedInput& in, const MainModuleInfo& dirs);

/// Classifies \a f given what is known of the main module.
FrameKind ClassifyFrame(const Frame& f, const MainModuleInfo& mm);

/// Sets FrameKind and module on every frame kept in \a in, and each group's
/// first_app_frame and crash_site_frame. \a module_override wins over
/// detection when not empty.
void ClassifyAll(ParsedInput* in, std::string_view module_override);

/// Index of the first frame of kind app in \a frames, or -1.
int FirstAppFrame(const std::vector<Frame>& frames);
/// Index of the first frame that is not runtime (and not the panic
/// machinery), or -1.
int CrashSiteFrame(const std::vector<Frame>& frames);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_CLASSIFY_H_
