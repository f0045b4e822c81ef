// Frame classification; see classify.h.
#include "parsers/classify.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "parsers/grammar.h"

namespace gotriage {

namespace {

// First element of every standard library import path (Go 1.0 to 1.26).
constexpr std::string_view kStdRoots[] = {
    "archive", "bufio",  "builtin", "bytes",  "cmp",     "compress", "container", "context",
    "crypto",  "database", "debug", "embed",  "encoding", "errors",  "expvar",    "flag",
    "fmt",     "go",     "hash",    "html",   "image",   "index",    "internal",  "io",
    "iter",    "log",    "maps",    "math",   "mime",    "net",      "os",        "path",
    "plugin",  "reflect", "regexp", "runtime", "slices", "sort",     "strconv",   "strings",
    "structs", "sync",   "syscall", "testing", "text",   "time",     "unicode",   "unique",
    "unsafe",  "weak",   "vendor",  "cmd",
};

std::string_view FirstElem(std::string_view pkg) { return pkg.substr(0, pkg.find('/')); }

// Undoes the module cache's case escaping: `!sirupsen` -> `Sirupsen`.
std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '!' && i + 1 < s.size() && s[i + 1] >= 'a' && s[i + 1] <= 'z') {
      out.push_back(static_cast<char>(s[i + 1] - 'a' + 'A'));
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The root of an import path that names a repository: three elements for
// code hosts, two for other domains, one without a domain.
std::string_view RepoRoot(std::string_view pkg) {
  std::string_view first = FirstElem(pkg);
  size_t want = 1;
  if (first.find('.') != std::string_view::npos) {
    want = (first == "github.com" || first == "gitlab.com" || first == "bitbucket.org" ||
            first == "gitee.com" || first == "golang.org" || first == "go.googlesource.com")
               ? 3
               : 2;
  }
  size_t pos = 0;
  for (size_t i = 0; i < want; ++i) {
    size_t slash = pkg.find('/', pos);
    if (slash == std::string_view::npos) return pkg;
    pos = slash + 1;
  }
  return pkg.substr(0, pos - 1);
}

bool HasPathPrefix(std::string_view pkg, std::string_view mod) {
  return !mod.empty() && StartsWith(pkg, mod) && (pkg.size() == mod.size() || pkg[mod.size()] == '/');
}

}  // namespace

bool IsRuntimePackage(std::string_view pkg) {
  return pkg == "runtime" || StartsWith(pkg, "runtime/internal/") ||
         StartsWith(pkg, "internal/runtime/") || pkg == "runtime/cgo";
}

bool IsStdlibPackage(std::string_view pkg) {
  if (pkg.empty() || pkg == "main") return false;
  std::string_view first = FirstElem(pkg);
  if (first.find('.') != std::string_view::npos) return false;
  return std::find(std::begin(kStdRoots), std::end(kStdRoots), first) != std::end(kStdRoots);
}

ModuleRef ModuleFromFile(std::string_view file) {
  ModuleRef m;
  std::string f(file);
  std::replace(f.begin(), f.end(), '\\', '/');
  std::string_view v(f);
  if (size_t mod = v.find("/pkg/mod/"); mod != std::string_view::npos) {
    v = v.substr(mod + 9);
  } else if (size_t vend = v.rfind("/vendor/"); vend != std::string_view::npos) {
    std::string_view rest = v.substr(vend + 8);
    // vendor/github.com/a/b/pkg/file.go: the module is the repo root.
    size_t slash = rest.rfind('/');
    std::string_view dir = slash == std::string_view::npos ? rest : rest.substr(0, slash);
    m.path = std::string(RepoRoot(dir));
    m.vendored = true;
    if (FirstElem(m.path) == "src") m.path.clear();
    return m;
  }
  size_t at = v.find('@');
  if (at == std::string_view::npos) return m;
  std::string_view path = v.substr(0, at);
  // A module path has no spaces and, for trimpath, no leading '/'.
  if (path.empty() || path.find(' ') != std::string_view::npos) return m;
  if (path[0] == '/' && file.find("/pkg/mod/") == std::string_view::npos) return m;
  std::string_view ver = v.substr(at + 1);
  ver = ver.substr(0, ver.find('/'));
  if (ver.empty() || ver[0] != 'v') return m;
  m.path = Unescape(path);
  m.version = std::string(ver);
  return m;
}

namespace {

std::string NormalizePath(std::string_view p) {
  std::string s(p);
  std::replace(s.begin(), s.end(), '\\', '/');
  return s;
}

std::string_view DirOf(std::string_view file) {
  size_t slash = file.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : file.substr(0, slash);
}

// The directory of the module root that package \a pkg, whose file is
// \a file, would have: the file's directory minus the package path below
// its repository root. "" when the two do not line up.
std::string ModuleRootDir(std::string_view pkg, std::string_view file) {
  std::string f = NormalizePath(file);
  std::string_view dir = DirOf(f);
  std::string_view root = RepoRoot(pkg);
  std::string_view below = pkg.substr(root.size());  // "" or "/internal/db"
  if (!EndsWith(dir, below)) return "";
  return std::string(dir.substr(0, dir.size() - below.size()));
}

bool IsAncestorOrSelf(std::string_view dir, std::string_view of) {
  return !dir.empty() && StartsWith(of, dir) && (of.size() == dir.size() || of[dir.size()] == '/');
}

}  // namespace

bool MainModuleInfo::InMainModule(std::string_view pkg, std::string_view file) const {
  if (!module.empty() && HasPathPrefix(pkg, module)) return true;
  // An import path without a domain cannot be fetched: it is the
  // application's own (a GOPATH-era local package), not a dependency.
  if (FirstElem(pkg).find('.') == std::string_view::npos) return true;
  if (main_dirs.empty()) return module.empty();
  std::string r = ModuleRootDir(pkg, file);
  if (r.empty()) return module.empty();
  for (const std::string& m : main_dirs) {
    if (IsAncestorOrSelf(r, m)) return true;
  }
  return false;
}

FrameKind ClassifyFrame(const Frame& f, const MainModuleInfo& mm) {
  std::string_view pkg = f.package.empty() ? PackageOf(f.function) : f.package;
  if (f.is_panic || f.function == "panic" || IsRuntimePackage(pkg)) return FrameKind::kRuntime;
  if (f.function == "non-Go function") return FrameKind::kRuntime;
  // A frame printed as a file alone whose path names no package (a
  // compiler-generated `<autogenerated>:1` wrapper): nobody's code.
  if (pkg.empty() && f.function.empty()) return FrameKind::kUnknown;
  // cgo's generated glue (`pkg._Cfunc_get_PID` in _cgo_gotypes.go): the
  // call site that matters is the Go function above it.
  if (EndsWith(f.file, "_cgo_gotypes.go") || f.function.find("._Cfunc_") != std::string_view::npos)
    return FrameKind::kUnknown;
  // The C runtime of Go 1.4 and before printed its static functions with
  // no package (`MHeap_Grow`, `cnew`) from GOROOT's src/pkg/runtime/*.c.
  if (!f.function.empty() && f.function.find('.') == std::string_view::npos &&
      (f.file.find("/src/pkg/runtime/") != std::string_view::npos ||
       f.file.find("/src/runtime/") != std::string_view::npos))
    return FrameKind::kRuntime;
  if (IsStdlibPackage(pkg)) return FrameKind::kStdlib;
  if (pkg == "main") return FrameKind::kApp;
  ModuleRef m = ModuleFromFile(f.file);
  // A module-cache or vendored copy is a dependency, unless --module names
  // it: then the user says this is the application being triaged.
  if (!m.path.empty() && !(HasPathPrefix(pkg, mm.module) && ((!m.vendored && m.version.empty()) || mm.overridden)))
    return FrameKind::kDependency;
  if (mm.overridden) return HasPathPrefix(pkg, mm.module) ? FrameKind::kApp : FrameKind::kDependency;
  return mm.InMainModule(pkg, f.file) ? FrameKind::kApp : FrameKind::kDependency;
}


namespace {

// Two interned views by identity: their data pointers and sizes, never
// their bytes. Frames of one group's samples, and of groups that share
// code, repeat the same interned names, so a pair seen once is looked up
// by it instead of being worked out again.
struct InternedPair {
  std::string_view a, b;
  bool operator==(const InternedPair& o) const {
    return a.data() == o.a.data() && a.size() == o.a.size() && b.data() == o.b.data() && b.size() == o.b.size();
  }
};
struct InternedPairHash {
  size_t operator()(const InternedPair& p) const noexcept {
    size_t h = std::hash<const void*>{}(p.a.data()) * 31 + std::hash<const void*>{}(p.b.data());
    return (h * 31 + p.a.size()) * 31 + p.b.size();
  }
};
template <typename V>
using ByInternedPair = std::unordered_map<InternedPair, V, InternedPairHash>;

template <typename Fn>
void ForEachKeptGoroutine(const ParsedInput& in, Fn fn) {
  for (const Incident& inc : in.incidents) {
    if (inc.crashing) fn(*inc.crashing);
    for (const GoroutineGroup& g : inc.groups) {
      if (!g.samples.empty()) fn(g.samples.front());
    }
    if (inc.race) {
      // Race reports have no goroutines, but their stacks vote too.
      for (const RaceAccess& a : inc.race->accesses) {
        Goroutine stack;
        stack.frames = a.frames;
        fn(stack);
      }
    }
  }
}

}  // namespace

MainModuleInfo DetectMainModuleInfo(const ParsedInput& in) {
  MainModuleInfo info;
  ForEachKeptGoroutine(in, [&](const Goroutine& g) {
    for (const Frame& f : g.frames) {
      if (f.package != "main" || f.file.empty()) continue;
      std::string d(DirOf(NormalizePath(f.file)));
      if (!d.empty() && std::find(info.main_dirs.begin(), info.main_dirs.end(), d) == info.main_dirs.end() &&
          info.main_dirs.size() < 16)
        info.main_dirs.push_back(d);
    }
  });
  info.module = DetectMainModule(in, info);
  return info;
}


std::string DetectMainModule(const ParsedInput& in, const MainModuleInfo& dirs) {
  std::map<std::string, size_t> votes;
  // Where a frame of package \a pkg in \a file votes, or nullptr.
  auto weigh = [&](std::string_view pkg, std::string_view file) -> size_t* {
    if (pkg.empty() || pkg == "main" || IsStdlibPackage(pkg) || IsRuntimePackage(pkg)) return nullptr;
    if (!ModuleFromFile(file).path.empty()) return nullptr;
    if (!dirs.main_dirs.empty()) {
      // With main's directory known, only packages that line up with it
      // can be in main's module.
      std::string r = ModuleRootDir(pkg, file);
      bool in_main = false;
      for (const std::string& m : dirs.main_dirs) in_main |= IsAncestorOrSelf(r, m);
      if (!in_main) return nullptr;
    }
    return &votes[std::string(RepoRoot(pkg))];
  };
  // Each distinct (package, file) pair is weighed once, as ClassifyAll
  // classifies each (function, file) pair once: a tenth of the time on a
  // 100k debug=1 profile's 6,000 frames.
  ByInternedPair<size_t*> weighed;
  auto vote = [&](const Goroutine& g) {
    for (const Frame& f : g.frames) {
      if (f.is_panic) continue;
      auto [it, fresh] = weighed.try_emplace(InternedPair{f.package, f.file});
      if (fresh) it->second = weigh(f.package, f.file);
      if (it->second) ++*it->second;
    }
  };
  ForEachKeptGoroutine(in, vote);
  std::string best;
  size_t n = 0;
  for (const auto& [root, c] : votes) {
    if (c > n) {
      best = root;
      n = c;
    }
  }
  return best;
}

int FirstAppFrame(const std::vector<Frame>& frames) {
  for (size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].kind == FrameKind::kApp) return static_cast<int>(i);
  }
  return -1;
}

int CrashSiteFrame(const std::vector<Frame>& frames) {
  // Below the last panic frame when there is one: the frames above it are the
  // deferred functions and loggers that ran during panicking.
  size_t start = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].is_panic) start = i + 1;
  }
  for (size_t i = start; i < frames.size(); ++i) {
    if (frames[i].kind != FrameKind::kRuntime) return static_cast<int>(i);
  }
  return start < frames.size() ? static_cast<int>(start) : -1;
}

void ClassifyAll(ParsedInput* in, std::string_view module_override) {
  MainModuleInfo mm;
  if (!module_override.empty()) {
    mm.module = std::string(module_override);
    mm.overridden = true;
  } else {
    mm = DetectMainModuleInfo(*in);
    if (mm.module.empty()) mm.module = in->main_module;
  }
  in->main_module = mm.module;
  // Samples of one group share their frames' interned function and file,
  // so each distinct pair is classified once.
  struct Known {
    FrameKind kind;
    std::string_view module, version;
  };
  ByInternedPair<Known> known;
  auto fix = [&](Frame& f) {
    InternedPair key{f.function, f.file};
    if (auto it = known.find(key); it != known.end()) {
      f.kind = it->second.kind;
      f.module = it->second.module;
      f.module_version = it->second.version;
      return;
    }
    ModuleRef m = ModuleFromFile(f.file);
    if (!m.path.empty()) {
      f.module = in->strings.Intern(m.path);
      f.module_version = in->strings.Intern(m.version);
    }
    f.kind = ClassifyFrame(f, mm);
    if (f.kind == FrameKind::kApp && f.module.empty() && !mm.module.empty())
      f.module = in->strings.Intern(mm.module);
    if (f.kind == FrameKind::kDependency && f.module.empty())
      f.module = in->strings.Intern(RepoRoot(f.package));
    known.emplace(key, Known{f.kind, f.module, f.module_version});
  };
  auto fix_g = [&](Goroutine& g) {
    for (Frame& f : g.frames) fix(f);
    if (g.created_by) fix(*g.created_by);
    for (Goroutine& a : g.ancestors) {
      for (Frame& f : a.frames) fix(f);
      if (a.created_by) fix(*a.created_by);
    }
  };
  for (Incident& inc : in->incidents) {
    if (inc.crashing) fix_g(*inc.crashing);
    if (inc.runtime_stack) fix_g(*inc.runtime_stack);
    for (GoroutineGroup& g : inc.groups) {
      for (Goroutine& s : g.samples) fix_g(s);
      if (!g.samples.empty()) {
        g.first_app_frame = FirstAppFrame(g.samples.front().frames);
        g.crash_site_frame = CrashSiteFrame(g.samples.front().frames);
      }
    }
    if (inc.race) {
      for (RaceAccess& a : inc.race->accesses) {
        for (Frame& f : a.frames) fix(f);
        for (Frame& f : a.created_at) fix(f);
      }
      for (Frame& f : inc.race->heap_allocated_at) fix(f);
    }
  }
}

}  // namespace gotriage
