// The man page and the shell completions, rendered from the command line's
// own option definitions (the CLI11 app built in options.cc, the same objects
// that print --help) and from the rule catalog (the same RuleDoc text that
// --explain prints). Nothing here keeps a second list of options or rules,
// so the installed man page and completions cannot drift from the binary.
#ifndef GOTRIAGE_CLI_COMMAND_DOCS_H_
#define GOTRIAGE_CLI_COMMAND_DOCS_H_

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gotriage {

/// What a shell may offer as the value of an option; set in options.cc next to
/// the option it describes.
struct OptionValues {
  enum class Kind {
    kNone,      ///< free text or a number: nothing to offer
    kWords,     ///< one of `words`
    kRuleId,    ///< one rule ID from the catalog
    kRuleList,  ///< comma-separated rule IDs, each optionally prefixed '-'
    kFile,
    kDir,
  };
  Kind kind = Kind::kNone;
  std::string metavar;             ///< FORMAT, ID, DIR, N... in the man page
  std::vector<std::string> words;  ///< for kWords
};

/// Everything --help prints, in pieces, plus the completion hints.
struct CommandDoc {
  const CLI::App* app = nullptr;
  std::string_view name;         ///< "gotriage"
  std::string_view summary;      ///< one line, the man page's NAME
  std::string_view description;  ///< the text before the options in --help
  std::string_view examples;     ///< one command per line
  std::vector<std::pair<int, std::string_view>> exit_codes;
  std::string_view environment;
  std::map<const CLI::Option*, OptionValues> values;
};

/// The options shown by --help, in its order (hidden ones and positionals
/// left out).
std::vector<const CLI::Option*> VisibleOptions(const CommandDoc& doc);

/// The man page, in man(7) roff.
std::string ManPage(const CommandDoc& doc, std::string_view version);
/// A completion script for \a shell ("bash", "zsh" or "fish"); "" for any
/// other shell.
std::string Completion(const CommandDoc& doc, std::string_view shell);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_COMMAND_DOCS_H_
