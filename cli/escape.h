// Makes text from the input safe to print: control characters (C0, DEL, C1)
// and invalid UTF-8 are escaped, so a panic message cannot move the cursor,
// change colours or retitle the user's terminal.
#ifndef GOTRIAGE_CLI_ESCAPE_H_
#define GOTRIAGE_CLI_ESCAPE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace gotriage {

/// Escapes for a terminal or a text file. Tabs are kept when \a keep_tabs,
/// newlines when \a keep_newlines; every other control becomes `\xNN` or
/// `\u{NNNN}`, invalid UTF-8 bytes `\xNN`.
std::string EscapeForTerminal(std::string_view s, bool keep_newlines = false,
                              bool keep_tabs = false);

/// Replaces invalid UTF-8 with U+FFFD so JSON stays valid UTF-8.
std::string ValidUtf8(std::string_view s);

/// Decodes one UTF-8 sequence at s[i] into *cp; returns its length, 0 when
/// invalid (overlong forms, surrogates and values past U+10FFFF included).
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_ESCAPE_H_
