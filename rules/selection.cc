// Which rules run: IDs, categories and globs as --rules and --explain take
// them; see engine.h (FindRule, FindRules, ValidateSelection) and
// selection.h (Selected).
#include "rules/selection.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "rules/engine.h"

namespace gotriage {

namespace {

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

const Rule* FindRule(std::string_view id) {
  for (const auto& r : Catalog()) {
    if (EqualFold(r->doc().id, id)) return r.get();
  }
  return nullptr;
}

std::vector<const Rule*> FindRules(std::string_view name) {
  std::vector<const Rule*> out;
  for (const auto& r : Catalog()) {
    if (EqualFold(r->doc().id, name) || EqualFold(r->doc().category, name)) out.push_back(r.get());
  }
  return out;
}

namespace {

// Glob with '*' and '?', case-insensitive.
bool GlobMatch(std::string_view pat, std::string_view s) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  auto eq = [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b)); };
  while (i < s.size()) {
    if (p < pat.size() && (pat[p] == '?' || eq(pat[p], s[i]))) {
      ++p;
      ++i;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

struct Pattern {
  bool exclude = false;
  std::string glob;
};

// A pattern names a rule by its ID or by its category (`--list-rules`).
bool Matches(const Pattern& p, const RuleDoc& d) {
  return GlobMatch(p.glob, d.id) || GlobMatch(p.glob, d.category);
}

bool ParsePatterns(const std::string& select, std::vector<Pattern>* out, std::string* err) {
  std::string_view s = select;
  if (Trim(s).empty()) return true;
  while (true) {
    size_t comma = s.find(',');
    std::string_view item = Trim(s.substr(0, comma));
    Pattern p;
    if (!item.empty() && item[0] == '-') {
      p.exclude = true;
      item.remove_prefix(1);
    }
    if (item.empty()) {
      if (err) *err = "empty pattern in '" + select + "'";
      return false;
    }
    for (char c : item) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '*' && c != '?' && c != '_') {
        if (err) *err = "bad character '" + std::string(1, c) + "' in pattern '" + std::string(item) + "'";
        return false;
      }
    }
    p.glob = std::string(item);
    if (p.glob == "all" || p.glob == "ALL") p.glob = "*";
    bool any = false;
    for (const auto& r : Catalog()) any = any || Matches(p, r->doc());
    // A typo must not silently switch rules off (in CI it would pass every
    // build): a pattern that matches nothing, glob or not, is an error.
    if (!any) {
      if (err) *err = "'" + std::string(item) + "' matches no rule ID or category; 'gotriage --list-rules' lists them";
      return false;
    }
    out->push_back(std::move(p));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return true;
}

}  // namespace

std::vector<const Rule*> Selected(const std::string& select) {
  std::vector<Pattern> pats;
  ParsePatterns(select, &pats, nullptr);
  bool any_include = std::any_of(pats.begin(), pats.end(), [](const Pattern& p) { return !p.exclude; });
  std::vector<const Rule*> out;
  for (const auto& r : Catalog()) {
    bool on = !any_include;
    for (const Pattern& p : pats) {
      if (Matches(p, r->doc())) on = !p.exclude;
    }
    if (on) out.push_back(r.get());
  }
  return out;
}

bool ValidateSelection(const std::string& select, std::string* err) {
  std::vector<Pattern> pats;
  if (!ParsePatterns(select, &pats, err)) return false;
  if (Selected(select).empty()) {
    if (err) *err = "'" + select + "' leaves no rule selected";
    return false;
  }
  return true;
}

}  // namespace gotriage
