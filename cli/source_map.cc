// Frame files to repository-relative paths; see source_map.h.
#include "cli/source_map.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "base/chars.h"
#include "parsers/grammar.h"

namespace gotriage {

namespace {

std::string Slashes(std::string_view p) {
  std::string s(p);
  for (char& c : s) {
    if (c == '\\') c = '/';
  }
  return s;
}

bool IsAbsolute(std::string_view p) {
  return StartsWith(p, "/") ||
         (p.size() > 2 && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) &&
          p[1] == ':' && (p[2] == '/' || p[2] == '\\'));
}

// Joins and removes `.` segments and a leading `./`.
std::string Join(std::string_view dir, std::string_view rel) {
  std::string out = dir.empty() ? std::string(rel) : std::string(dir) + "/" + std::string(rel);
  out = std::filesystem::path(out).lexically_normal().generic_string();
  while (StartsWith(out, "./")) out.erase(0, 2);
  return out;
}

std::string_view BaseName(std::string_view p) {
  size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

}  // namespace

SourceMapper::SourceMapper(std::string src_dir, std::string cwd)
    : src_(Slashes(src_dir)), have_src_(!src_dir.empty()) {
  while (src_.size() > 1 && src_.back() == '/') src_.pop_back();
  if (src_ == ".") src_.clear();
  if (cwd.empty()) {
    std::error_code ec;
    cwd = std::filesystem::current_path(ec).generic_string();
  }
  cwd_ = Slashes(cwd);
  if (cwd_.empty() || cwd_.back() != '/') cwd_.push_back('/');
  // --src given as an absolute path inside the working directory.
  if (IsAbsolute(src_) && StartsWith(src_ + "/", cwd_)) {
    src_ = src_.size() + 1 > cwd_.size() ? src_.substr(cwd_.size()) : "";
  }
}

std::string SourceMapper::RepoPath(std::string_view function, std::string_view file_in,
                                   std::string_view module) const {
  if (file_in.empty() || file_in == "??" || StartsWith(file_in, "<")) return "";
  std::string file = Slashes(file_in);
  // 1. Printed on this checkout: the path starts with the working directory.
  if (StartsWith(file, cwd_)) return file.substr(cwd_.size());
  // 2. --src given: the longest tail of the path found under it (also for
  //    `--src .`, the usual CI form, where src_ is "": tails are then
  //    looked up in the working directory).
  if (have_src_) {
    std::string_view tail = file;
    while (!tail.empty()) {
      while (StartsWith(tail, "/")) tail.remove_prefix(1);
      if (tail.empty()) break;
      std::error_code ec;
      std::string cand = Join(src_, tail);
      if (std::filesystem::is_regular_file(cand, ec)) return cand;
      size_t slash = tail.find('/');
      if (slash == std::string_view::npos) break;
      tail.remove_prefix(slash + 1);
    }
  }
  if (module.empty()) return "";
  // 3. -trimpath: `example.com/m/pkg/file.go`.
  std::string mod(module);
  if (!IsAbsolute(file) && StartsWith(file, mod + "/")) return Join(src_, file.substr(mod.size() + 1));
  // 4. The import path below the module, and the file's base name.
  std::string_view pkg = PackageOf(function);
  if (pkg == "main") {
    // main's import path is not printed: only a directory that exists
    // under the module root can place it.
    return "";
  }
  if (pkg == module) return Join(src_, BaseName(file));
  if (StartsWith(pkg, mod + "/")) {
    return Join(src_, std::string(pkg.substr(mod.size() + 1)) + "/" + std::string(BaseName(file)));
  }
  return "";
}

std::string SourceMapper::ToUri(std::string_view path) {
  std::string p = Slashes(path);
  std::string out;
  if (IsAbsolute(p)) out = p[0] == '/' ? "file://" : "file:///";
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : p) {
    bool keep = IsAlnum(static_cast<char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' ||
                c == ':' || c == '@' || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' ||
                c == '*' || c == '+' || c == ',' || c == ';' || c == '=';
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  // A relative path whose first segment holds ':' would read as a scheme.
  if (!IsAbsolute(p)) {
    size_t colon = out.find(':'), slash = out.find('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon < slash)) out = "./" + out;
  }
  return out;
}

}  // namespace gotriage
