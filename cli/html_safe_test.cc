// The HTML report's escaping, hashing and link building (cli/html_safe.h).
#include "cli/html_safe.h"

#include <gtest/gtest.h>

namespace gotriage {
namespace {

TEST(HtmlSafe, EscapesMarkupInTextAndAttributes) {
  EXPECT_EQ(EscapeHtml("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(EscapeHtml("a & b's"), "a &amp; b&#39;s");
  EXPECT_EQ(EscapeHtml("main.(*T).M"), "main.(*T).M");
}

TEST(HtmlSafe, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(DisplaySafe("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(DisplaySafe("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");        // overlong '/'
  EXPECT_EQ(DisplaySafe("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(DisplaySafe("caf\xC3\xA9"), "caf\xC3\xA9");                  // valid stays
  EXPECT_EQ(DisplaySafe("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");        // cut short
}

TEST(HtmlSafe, BidiAndControlsAreMadeVisible) {
  // Trojan Source: RLO and the isolates would reorder what is shown.
  EXPECT_EQ(DisplaySafe("ab\xE2\x80\xAE" "cd"), "ab\\u{202E}cd");
  EXPECT_EQ(DisplaySafe("\xE2\x81\xA6x\xE2\x81\xA9"), "\\u{2066}x\\u{2069}");
  EXPECT_EQ(DisplaySafe("\xE2\x80\x8F"), "\\u{200F}");
  EXPECT_EQ(DisplaySafe("\xE2\x80\xA8"), "\\u{2028}");
  EXPECT_EQ(DisplaySafe("a\x1b[31mb"), "a\\x1B[31mb");
  EXPECT_EQ(DisplaySafe("\xC2\x9B"), "\\x9B");  // C1 CSI
  EXPECT_EQ(DisplaySafe("tab\tnew\nline"), "tab\tnew\nline");
}

TEST(HtmlSafe, JsonForScriptCannotCloseTheBlock) {
  nlohmann::json j = {{"m", "</script><script>alert(1)</script><!-- & \xE2\x80\xA8\xE2\x80\xA9"}};
  std::string s = JsonForScript(j);
  EXPECT_EQ(s.find('<'), std::string::npos);
  EXPECT_EQ(s.find('>'), std::string::npos);
  EXPECT_EQ(s.find('&'), std::string::npos);
  EXPECT_EQ(s.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(s.find("\xE2\x80\xA9"), std::string::npos);
  EXPECT_EQ(s, R"({"m":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e\u003c!-- \u0026 \u2028\u2029"})");
  // Still the same JSON once parsed back.
  EXPECT_EQ(nlohmann::json::parse(s), j);
  // Invalid UTF-8 is replaced, never written raw.
  EXPECT_EQ(JsonForScript(nlohmann::json("a\xFF")), "\"a\xEF\xBF\xBD\"");
}

TEST(HtmlSafe, Sha256MatchesKnownVectors) {
  // FIPS 180-2 examples, base64 as CSP wants them.
  EXPECT_EQ(Sha256Base64(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(Sha256Base64("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  EXPECT_EQ(Sha256Base64("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
  EXPECT_EQ(Sha256Base64(std::string(1000, 'a')).size(), 44u);
}

TEST(HtmlSafe, ModuleFramesLinkToTheirSourceAtThatVersion) {
  EXPECT_EQ(SourceUrl("/root/go/pkg/mod/github.com/gorilla/mux@v1.8.1/mux.go", 212),
            "https://github.com/gorilla/mux/blob/v1.8.1/mux.go#L212");
  // Case-encoded module directory; +incompatible is not part of the tag.
  EXPECT_EQ(SourceUrl("/go/pkg/mod/github.com/!burnt!sushi/toml@v0.3.1+incompatible/decode.go", 9),
            "https://github.com/BurntSushi/toml/blob/v0.3.1/decode.go#L9");
  // A pseudo-version names a commit.
  EXPECT_EQ(SourceUrl("/go/pkg/mod/github.com/o/r@v0.0.0-20230101120000-abcdef012345/x/y.go", 3),
            "https://github.com/o/r/blob/abcdef012345/x/y.go#L3");
  // Not a plain github.com/OWNER/REPO module: the module's page.
  EXPECT_EQ(SourceUrl("/go/pkg/mod/google.golang.org/grpc@v1.60.1/server.go", 1),
            "https://pkg.go.dev/google.golang.org/grpc@v1.60.1");
  EXPECT_EQ(SourceUrl("/go/pkg/mod/github.com/jackc/pgx/v5@v5.5.0/conn.go", 1),
            "https://pkg.go.dev/github.com/jackc/pgx/v5@v5.5.0");
}

TEST(HtmlSafe, StandardLibraryLinksNeedAKnownGoVersion) {
  EXPECT_EQ(SourceUrl("/usr/local/go1.22.3/src/runtime/proc.go", 398),
            "https://cs.opensource.google/go/go/+/refs/tags/go1.22.3:src/runtime/proc.go;l=398");
  EXPECT_EQ(SourceUrl("/root/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.23.4.linux-amd64/src/net/http/server.go", 7),
            "https://cs.opensource.google/go/go/+/refs/tags/go1.23.4:src/net/http/server.go;l=7");
  EXPECT_EQ(SourceUrl("/usr/lib/go-1.19/src/sync/mutex.go", 5),
            "https://cs.opensource.google/go/go/+/refs/tags/go1.19:src/sync/mutex.go;l=5");
  // No version in the path: no link rather than a wrong line.
  EXPECT_EQ(SourceUrl("/usr/local/go/src/runtime/proc.go", 398), "");
  // go1.22 is not a tag (1.21 on have patch numbers).
  EXPECT_EQ(SourceUrl("/sdk/go1.22/src/runtime/proc.go", 1), "");
  EXPECT_EQ(SourceUrl("/home/u/app/main.go", 10), "");
}

TEST(HtmlSafe, HostileComponentsNeverBecomeLinks) {
  EXPECT_EQ(SourceUrl("/go/pkg/mod/javascript:alert(1)@v1.0.0/x.go", 1), "");
  EXPECT_EQ(SourceUrl("/go/pkg/mod/github.com/o/r@v1.0.0/../../../evil.go", 1), "");
  EXPECT_EQ(SourceUrl("/go/pkg/mod/github.com/o/r@v1.0.0\"onmouseover=x/a.go", 1), "");
  EXPECT_EQ(SourceUrl("/go/pkg/mod/github.com/o/r@v1.0.0/a b\".go", 1), "");
  EXPECT_EQ(SourceUrl("/go/pkg/mod/github.com/o/r@javascript:1/a.go", 1), "");
  EXPECT_EQ(SourceUrl("/go/pkg/mod/github.com/o/r@v1.0.0/a<script>.go", 1), "");
  EXPECT_EQ(SourceUrl("/go/pkg/mod/evil.com/!X@v1.0.0/a.go", 1), "");
  EXPECT_EQ(SourceUrl("/usr/local/go1.22.3/src/runtime/../../x\xE2\x80\xAE.go", 1), "");
}

}  // namespace
}  // namespace gotriage
