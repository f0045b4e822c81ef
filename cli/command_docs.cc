// The man page and shell completions; see command_docs.h.
#include "cli/command_docs.h"

#include <sstream>

#include "cli/escape.h"
#include "rules/engine.h"

namespace gotriage {

namespace {

// ---------------------------------------------------------------------------
// Text helpers

std::vector<std::string_view> Lines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t nl = s.find('\n');
    out.push_back(s.substr(0, nl));
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The first sentence of an option's description, for completion menus.
std::string ShortDescription(std::string_view d) {
  size_t end = d.size();
  for (std::string_view stop : {"; ", ". "}) {
    size_t p = d.find(stop);
    if (p != std::string_view::npos && p < end) end = p;
  }
  return std::string(Trim(d.substr(0, end)));
}

std::string RuleIdList() {
  std::string out;
  for (const auto& r : Catalog()) {
    if (!out.empty()) out += ' ';
    out += r->doc().id;
  }
  return out;
}

// ---------------------------------------------------------------------------
// roff


// One line of text as roff: backslashes and minus signs escaped, anything
// beyond ASCII as a \[uXXXX] glyph (groff and mandoc both read it whatever
// the locale), a leading '.' or '\'' protected, and, in prose, `code` spans
// set in bold.
std::string RoffLine(std::string_view line, bool code) {
  std::string out;
  bool in_tick = false;
  for (size_t i = 0; i < line.size();) {
    char c = line[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      uint32_t cp = 0xFFFD;  // an invalid byte is one U+FFFD
      size_t n = DecodeUtf8(line, i, &cp);
      i += n ? n : 1;
      if (!n) cp = 0xFFFD;
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", cp);
      out += buf;
      continue;
    }
    ++i;
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c == '`' && !code) {
      out += in_tick ? "\\fR" : "\\fB";
      in_tick = !in_tick;
    } else if (c == '\t') {
      out += code ? "    " : " ";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      // Not in our own text; never passed through.
    } else {
      out += c;
    }
  }
  if (in_tick) out += "\\fR";
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

// Prose: each line as it is (roff fills them), a blank line starts a
// paragraph.
void RoffProse(std::ostream& os, std::string_view text) {
  bool para_pending = false;
  for (std::string_view l : Lines(text)) {
    std::string_view t = Trim(l);
    if (t.empty()) {
      para_pending = true;
      continue;
    }
    if (para_pending) os << ".PP\n";
    para_pending = false;
    os << RoffLine(t, false) << "\n";
  }
}

void RoffCode(std::ostream& os, std::string_view text) {
  os << ".EX\n";
  for (std::string_view l : Lines(text)) os << RoffLine(l, true) << "\n";
  os << ".EE\n";
}

std::string OptionHeader(const CLI::Option* o, const OptionValues* v) {
  std::string out;
  for (const std::string& s : o->get_snames()) {
    if (!out.empty()) out += ", ";
    out += "\\fB" + RoffLine("-" + s, true) + "\\fR";
  }
  for (const std::string& l : o->get_lnames()) {
    if (!out.empty()) out += ", ";
    out += "\\fB" + RoffLine("--" + l, true) + "\\fR";
  }
  if (o->get_items_expected_max() > 0) {
    std::string metavar = v && !v->metavar.empty() ? v->metavar : "VALUE";
    out += " \\fI" + RoffLine(metavar, true) + "\\fR";
  }
  return out;
}

// ---------------------------------------------------------------------------
// Shell quoting

// 'text' for sh/bash/zsh/fish (fish also reads '\'' as a quote inside single
// quotes only through \', which it accepts).
std::string ShQuote(std::string_view s, bool fish = false) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += fish ? "\\'" : "'\\''";
    } else if (fish && c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

const OptionValues* ValuesOf(const CommandDoc& doc, const CLI::Option* o) {
  auto it = doc.values.find(o);
  return it == doc.values.end() ? nullptr : &it->second;
}

bool TakesValue(const CLI::Option* o) { return o->get_items_expected_max() > 0; }

std::vector<std::string> Names(const CLI::Option* o) {
  std::vector<std::string> out;
  for (const std::string& s : o->get_snames()) out.push_back("-" + s);
  for (const std::string& l : o->get_lnames()) out.push_back("--" + l);
  return out;
}

// ---------------------------------------------------------------------------
// bash

std::string Bash(const CommandDoc& doc) {
  std::ostringstream os;
  std::string fn = "_" + std::string(doc.name);
  os << "# bash completion for " << doc.name << ".\n"
     << "# Generated by `" << doc.name
     << " --completion bash` from its option definitions and rule catalog; do not edit.\n"
     << fn << "() {\n"
     << "  local cur=${COMP_WORDS[COMP_CWORD]} prev=\n"
     << "  (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
     << "  # --opt=value: bash splits it into '--opt' '=' 'value' (COMP_WORDBREAKS).\n"
     << "  if [[ $cur == = ]]; then\n"
     << "    cur=\n"
     << "  elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
     << "    prev=${COMP_WORDS[COMP_CWORD-2]}\n"
     << "  fi\n"
     << "  local rules=" << ShQuote(RuleIdList()) << "\n"
     << "  COMPREPLY=()\n"
     << "  case $prev in\n";
  std::vector<std::string> all;
  for (const CLI::Option* o : VisibleOptions(doc)) {
    std::vector<std::string> names = Names(o);
    all.insert(all.end(), names.begin(), names.end());
    if (!TakesValue(o)) continue;
    const OptionValues* v = ValuesOf(doc, o);
    os << "    " << Join(names, "|") << ")\n";
    switch (v ? v->kind : OptionValues::Kind::kNone) {
      case OptionValues::Kind::kWords:
        os << "      COMPREPLY=($(compgen -W " << ShQuote(Join(v->words, " ")) << " -- \"$cur\"))\n";
        break;
      case OptionValues::Kind::kRuleId:
        os << "      COMPREPLY=($(compgen -W \"$rules\" -- \"$cur\"))\n";
        break;
      case OptionValues::Kind::kRuleList:
        os << "      # A comma-separated list; '-' before an ID excludes it.\n"
           << "      local head= last=$cur neg=\n"
           << "      if [[ $cur == *,* ]]; then head=${cur%,*},; last=${cur##*,}; fi\n"
           << "      if [[ $last == -* ]]; then neg=-; last=${last#-}; fi\n"
           << "      COMPREPLY=($(compgen -P \"$head$neg\" -W \"$rules\" -- \"$last\"))\n"
           << "      compopt -o nospace 2>/dev/null\n";
        break;
      case OptionValues::Kind::kFile:
        os << "      COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           << "      compopt -o filenames 2>/dev/null\n";
        break;
      case OptionValues::Kind::kDir:
        os << "      COMPREPLY=($(compgen -d -- \"$cur\"))\n"
           << "      compopt -o filenames 2>/dev/null\n";
        break;
      case OptionValues::Kind::kNone:
        os << "      # free text or a number: nothing to offer\n";
        break;
    }
    os << "      return 0 ;;\n";
  }
  os << "  esac\n"
     << "  if [[ $cur == -* ]]; then\n"
     << "    COMPREPLY=($(compgen -W " << ShQuote(Join(all, " ")) << " -- \"$cur\"))\n"
     << "    return 0\n"
     << "  fi\n"
     << "  # Inputs are files.\n"
     << "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
     << "  compopt -o filenames 2>/dev/null\n"
     << "  return 0\n"
     << "}\n"
     << "complete -F " << fn << " " << doc.name << "\n";
  return os.str();
}

// ---------------------------------------------------------------------------
// zsh

// Text inside an _arguments "[description]", itself inside single quotes.
std::string ZshDescription(std::string_view d) {
  std::string out;
  for (char c : ShortDescription(d)) {
    if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
    if (c == '\'') {
      out += "'\\''";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Zsh(const CommandDoc& doc) {
  std::ostringstream os;
  os << "#compdef " << doc.name << "\n"
     << "# zsh completion for " << doc.name << ".\n"
     << "# Generated by `" << doc.name
     << " --completion zsh` from its option definitions and rule catalog; do not edit.\n\n"
     << "local -a rule_ids\n"
     << "rule_ids=(\n";
  for (const auto& r : Catalog()) {
    std::string entry = std::string(r->doc().id) + ":" + std::string(r->doc().title);
    os << "  " << ShQuote(entry) << "\n";
  }
  os << ")\n\n"
     << "# --rules: comma-separated rule IDs, '-' before one excludes it.\n"
     << "_" << doc.name << "_rule_list() {\n"
     << "  compset -P '*,'\n"
     << "  compset -P '-'\n"
     << "  _describe -t rules 'rule ID' rule_ids -qS,\n"
     << "}\n\n"
     << "_arguments -s -S \\\n";
  for (const CLI::Option* o : VisibleOptions(doc)) {
    std::vector<std::string> names = Names(o);
    const OptionValues* v = ValuesOf(doc, o);
    bool value = TakesValue(o);
    bool exits = o->get_lnames() == std::vector<std::string>{"help"} ||
                 o->get_lnames() == std::vector<std::string>{"version"};
    std::string spec;
    if (exits) {
      spec = "'(- *)'";
    } else if (names.size() > 1) {
      spec = "'(" + Join(names, " ") + ")'";
    }
    // -f+ : value in the same word or the next; --format= : after '=' or
    // in the next word.
    std::vector<std::string> forms;
    for (const std::string& n : names) {
      forms.push_back(!value ? n : n.rfind("--", 0) == 0 ? n + "=" : n + "+");
    }
    if (forms.size() > 1) {
      spec += "{" + Join(forms, ",") + "}";
    } else {
      spec += forms[0];
    }
    spec += "'[" + ZshDescription(o->get_description()) + "]";
    if (value) {
      std::string metavar = v && !v->metavar.empty() ? v->metavar : "value";
      std::string action = " ";
      switch (v ? v->kind : OptionValues::Kind::kNone) {
        case OptionValues::Kind::kWords: action = "(" + Join(v->words, " ") + ")"; break;
        case OptionValues::Kind::kRuleId: action = "{_describe -t rules 'rule ID' rule_ids}"; break;
        case OptionValues::Kind::kRuleList: action = "_" + std::string(doc.name) + "_rule_list"; break;
        case OptionValues::Kind::kFile: action = "_files"; break;
        case OptionValues::Kind::kDir: action = "_files -/"; break;
        case OptionValues::Kind::kNone: break;
      }
      // The action sits inside the single-quoted spec.
      std::string quoted;
      for (char c : action) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      spec += ":" + metavar + ":" + quoted;
    }
    spec += "'";
    os << "  " << spec << " \\\n";
  }
  os << "  '*:input file:_files'\n";
  return os.str();
}

// ---------------------------------------------------------------------------
// fish

std::string Fish(const CommandDoc& doc) {
  std::ostringstream os;
  std::string rules_fn = "__" + std::string(doc.name) + "_rules";
  os << "# fish completion for " << doc.name << ".\n"
     << "# Generated by `" << doc.name
     << " --completion fish` from its option definitions and rule catalog; do not edit.\n\n"
     << "function " << rules_fn << " --description 'gotriage rule IDs with their titles'\n";
  for (const auto& r : Catalog()) {
    os << "    printf '%s\\t%s\\n' " << r->doc().id << " "
       << ShQuote(r->doc().title, /*fish=*/true) << "\n";
  }
  os << "end\n\n"
     << "# --rules: comma-separated rule IDs, '-' before one excludes it.\n"
     << "function " << rules_fn << "_list\n"
     << "    set -l tok (commandline -ct | string replace -r '^--[^=]*=' '')\n"
     << "    set -l head (string match -r '^.*,' -- $tok)\n"
     << "    set -l last (string replace -r '^.*,' '' -- $tok)\n"
     << "    set -l neg ''\n"
     << "    string match -q -- '-*' $last; and set neg '-'\n"
     << "    for l in (" << rules_fn << ")\n"
     << "        echo $head$neg$l\n"
     << "    end\n"
     << "end\n\n";
  for (const CLI::Option* o : VisibleOptions(doc)) {
    std::string line = "complete -c " + std::string(doc.name);
    for (const std::string& s : o->get_snames()) line += " -s " + s;
    for (const std::string& l : o->get_lnames()) line += " -l " + l;
    const OptionValues* v = ValuesOf(doc, o);
    if (TakesValue(o)) {
      switch (v ? v->kind : OptionValues::Kind::kNone) {
        case OptionValues::Kind::kWords:
          line += " -x -a " + ShQuote(Join(v->words, " "), true);
          break;
        case OptionValues::Kind::kRuleId: line += " -x -a '(" + rules_fn + ")'"; break;
        case OptionValues::Kind::kRuleList: line += " -x -a '(" + rules_fn + "_list)'"; break;
        case OptionValues::Kind::kFile: line += " -r -F"; break;
        case OptionValues::Kind::kDir: line += " -x -a '(__fish_complete_directories)'"; break;
        case OptionValues::Kind::kNone: line += " -x"; break;
      }
    }
    line += " -d " + ShQuote(ShortDescription(o->get_description()), true);
    os << line << "\n";
  }
  return os.str();
}

}  // namespace

std::vector<const CLI::Option*> VisibleOptions(const CommandDoc& doc) {
  return doc.app->get_options([](const CLI::Option* o) {
    return !o->get_group().empty() && o->nonpositional();
  });
}

std::string ManPage(const CommandDoc& doc, std::string_view version) {
  std::ostringstream os;
  std::string name(doc.name);
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  os << ".\\\" Generated by `" << name << " --man` from the option definitions behind --help\n"
     << ".\\\" (cli/options.cc) and the rule documentation behind --explain (rules/); do not edit.\n"
     << ".TH " << upper << " 1 \"\" \"" << name << " " << RoffLine(version, true)
     << "\" \"User Commands\"\n"
     << ".SH NAME\n"
     << name << " \\- " << RoffLine(doc.summary, false) << "\n"
     << ".SH SYNOPSIS\n"
     << ".B " << name << "\n"
     << ".RI [ OPTIONS ]\n"
     << ".RI [ FILE \" ...]\"\n"
     << ".SH DESCRIPTION\n";
  RoffProse(os, doc.description);
  os << ".SH OPTIONS\n";
  for (const CLI::Option* o : VisibleOptions(doc)) {
    os << ".TP\n" << OptionHeader(o, ValuesOf(doc, o)) << "\n";
    RoffProse(os, o->get_description());
    if (TakesValue(o) && !o->get_default_str().empty()) {
      os << ".br\nDefault: \\fB" << RoffLine(o->get_default_str(), true) << "\\fR.\n";
    }
  }
  os << ".SH EXIT STATUS\n";
  for (const auto& [code, meaning] : doc.exit_codes) {
    os << ".TP\n.B " << code << "\n" << RoffLine(meaning, false) << "\n";
  }
  if (!doc.environment.empty()) {
    os << ".SH ENVIRONMENT\n";
    RoffProse(os, doc.environment);
  }
  os << ".SH EXAMPLES\n";
  std::string examples;
  for (std::string_view l : Lines(doc.examples)) examples += std::string(Trim(l)) + "\n";
  if (!examples.empty()) examples.pop_back();
  RoffCode(os, examples);

  os << ".SH RULES\n"
     << "Every finding names one of these rules; IDs are stable and never reused.\n"
     << "GT1xxx are crashes, GT2xxx hangs and leaks, GT3xxx Kubernetes and process\n"
     << "lifecycle.\n"
     << ".B " << name << " \\-\\-explain\n"
     << ".I ID\n"
     << "prints the same text for one rule.\n";
  for (const auto& r : Catalog()) {
    const RuleDoc& d = r->doc();
    os << ".SS \"" << RoffLine(d.id, true) << ": " << RoffLine(d.title, false) << "\"\n"
       << "Category \\fB" << RoffLine(d.category, true) << "\\fR, severity \\fB"
       << SeverityName(d.severity) << "\\fR, since " << RoffLine(d.since, true) << ".\n"
       << ".PP\n.I What it means\n.RS\n";
    RoffProse(os, d.what);
    os << ".RE\n.PP\n.I Why it happens\n.RS\n";
    RoffProse(os, d.why);
    os << ".RE\n.PP\n.I How to fix it\n.RS\n";
    for (std::string_view step : Lines(d.fix)) {
      os << ".IP \\(bu 2\n" << RoffLine(Trim(step), false) << "\n";
    }
    os << ".RE\n";
    if (!d.before.empty()) {
      os << ".PP\n.I Before\n.RS\n";
      RoffCode(os, d.before);
      os << ".RE\n";
    }
    if (!d.after.empty()) {
      os << ".PP\n.I After\n.RS\n";
      RoffCode(os, d.after);
      os << ".RE\n";
    }
    if (!d.links.empty()) {
      // Unfilled: a URL wider than the page cannot be broken or adjusted.
      os << ".PP\n.I See also\n.RS\n.nf\n";
      for (std::string_view l : d.links) os << RoffLine(l, true) << "\n";
      os << ".fi\n.RE\n";
    }
  }
  os << ".SH FILES\n"
     << "The JSON schema of \\fB\\-\\-format json\\fR, the rules as Markdown and the\n"
     << "input formats read are installed under\n"
     << ".IR share/doc/" << name << "/\n"
     << "beside this page's\n"
     << ".I share/man\n"
     << "directory (gotriage.schema.json, rules.md, trace\\-format.md).\n";
  return os.str();
}

std::string Completion(const CommandDoc& doc, std::string_view shell) {
  if (shell == "bash") return Bash(doc);
  if (shell == "zsh") return Zsh(doc);
  if (shell == "fish") return Fish(doc);
  return "";
}

}  // namespace gotriage
