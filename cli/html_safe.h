// Building blocks of the HTML report that make it safe by construction:
// every string from the input goes through one of these before it reaches
// the page, and links are built only from validated components.
#ifndef GOTRIAGE_CLI_HTML_SAFE_H_
#define GOTRIAGE_CLI_HTML_SAFE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gotriage {

/// Makes input text displayable: invalid UTF-8 becomes U+FFFD, control
/// characters (except tab and newline) become visible `\xNN`, and bidi
/// controls (U+202A..E, U+2066..9, U+200E/F, U+061C) and U+2028/9 become
/// visible `\u{NNNN}`, so a name cannot be shown reordered (Trojan Source).
std::string DisplaySafe(std::string_view s);

/// DisplaySafe, then `& < > " '` as character references: safe in HTML text
/// and in a quoted attribute value alike.
std::string EscapeHtml(std::string_view s);

/// Serialises \a j for a `<script type="application/json">` block: `<`, `>`,
/// `&`, U+2028 and U+2029 are written as `\uNNNN` escapes, so the block cannot
/// be closed (`</script>`, `<!--`) whatever the strings hold; invalid UTF-8
/// is replaced.
std::string JsonForScript(const nlohmann::json& j);

/// SHA-256 of \a data, base64-encoded (for CSP `'sha256-...'` sources).
std::string Sha256Base64(std::string_view data);

/// A link to the source of a frame, or "" when it cannot be known:
/// - `.../pkg/mod/MODULE@VERSION/path` with a github.com/OWNER/REPO module:
///   https://github.com/OWNER/REPO/blob/REF/path#Lline (REF the tag, or the
///   commit of a pseudo-version); other modules: https://pkg.go.dev/MODULE@VERSION;
/// - `.../goX.Y.Z/src/path` (a versioned GOROOT, e.g. a toolchain module or
///   an SDK directory): https://cs.opensource.google/go/go/+/refs/tags/goX.Y.Z:src/path;l=N.
/// Every component is checked against a strict character set first; anything
/// else (a `javascript:` module path, `..`, quotes, spaces) gives "".
std::string SourceUrl(std::string_view file, int line);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_HTML_SAFE_H_
