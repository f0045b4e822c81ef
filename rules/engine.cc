// The rule engine; see engine.h.
#include "rules/engine.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "parsers/grammar.h"
#include "rules/lifecycle.h"

namespace gotriage {

const Rule* FindRule(std::string_view id) {
  for (const auto& r : Catalog()) {
    if (r->doc().id == id) return r.get();
  }
  return nullptr;
}

namespace {

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t nl = s.find('\n');
    out.push_back(s.substr(0, nl));
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

std::string Indent(std::string_view code, std::string_view pad) {
  std::string out;
  for (std::string_view l : SplitLines(code)) {
    out += pad;
    out += l;
    out += '\n';
  }
  return out;
}

// Glob with '*' and '?', case-insensitive for the GT prefix.
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
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '*' && c != '?') {
        if (err) *err = "bad character '" + std::string(1, c) + "' in pattern '" + std::string(item) + "'";
        return false;
      }
    }
    p.glob = std::string(item);
    if (p.glob == "all" || p.glob == "ALL") p.glob = "*";
    bool any = false;
    for (const auto& r : Catalog()) any = any || GlobMatch(p.glob, r->doc().id);
    bool wildcard = p.glob.find_first_of("*?") != std::string::npos;
    if (!any && !wildcard) {
      if (err) *err = "no rule '" + std::string(item) + "'; 'gotriage --list-rules' lists them";
      return false;
    }
    out->push_back(std::move(p));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return true;
}

std::vector<const Rule*> Selected(const std::string& select) {
  std::vector<Pattern> pats;
  ParsePatterns(select, &pats, nullptr);
  bool any_include = std::any_of(pats.begin(), pats.end(), [](const Pattern& p) { return !p.exclude; });
  std::vector<const Rule*> out;
  for (const auto& r : Catalog()) {
    bool on = !any_include;
    for (const Pattern& p : pats) {
      if (GlobMatch(p.glob, r->doc().id)) on = !p.exclude;
    }
    if (on) out.push_back(r.get());
  }
  return out;
}

// The source root to read: the --src directory, or the current directory
// when its go.mod declares the module seen in the trace.
std::string SourceRoot(const ParsedInput& in, const EngineOptions& opts) {
  if (!opts.src_dir.empty()) return opts.src_dir;
  if (in.main_module.empty()) return "";
  std::ifstream gomod("go.mod");
  std::string line;
  while (gomod && std::getline(gomod, line)) {
    std::string_view l = Trim(line);
    if (StartsWith(l, "module ")) {
      std::string_view m = Trim(l.substr(7));
      if (m == in.main_module) {
        std::error_code ec;
        return std::filesystem::current_path(ec).string();
      }
      return "";
    }
  }
  return "";
}

}  // namespace

std::string ExplainRule(const Rule& rule) {
  const RuleDoc& d = rule.doc();
  std::ostringstream os;
  os << d.id << ": " << d.title << "\n"
     << "Category: " << d.category << "   Severity: " << SeverityName(d.severity)
     << "   Since: " << d.since << "\n\n"
     << "What it means\n" << Indent(d.what, "  ") << "\n"
     << "Why it happens\n" << Indent(d.why, "  ") << "\n"
     << "How to fix it\n";
  for (std::string_view l : SplitLines(d.fix)) os << "  - " << l << "\n";
  if (!d.before.empty()) os << "\nBefore:\n" << Indent(d.before, "    ");
  if (!d.after.empty()) os << "\nAfter:\n" << Indent(d.after, "    ");
  if (!d.links.empty()) {
    os << "\nSee also\n";
    for (std::string_view l : d.links) os << "  " << l << "\n";
  }
  return os.str();
}

std::string RulesMarkdown() {
  std::ostringstream os;
  os << "# gotriage rules\n\n"
     << "<!-- Generated from the rules' own documentation (RuleDoc in rules/*.cc) by\n"
     << "     RulesMarkdown(); do not edit. Regenerate with:\n"
     << "     GOTRIAGE_REGEN=1 ./build/rules_test --gtest_filter='Docs.*' -->\n\n"
     << "`gotriage --explain ID` prints the same text. IDs are stable and never reused:\n"
     << "GT1xxx crashes, GT2xxx hangs and leaks, GT3xxx Kubernetes and process lifecycle.\n\n"
     << "| ID | Title | Category | Severity |\n|---|---|---|---|\n";
  for (const auto& r : Catalog()) {
    const RuleDoc& d = r->doc();
    std::string anchor(d.id);
    for (char& c : anchor) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    os << "| [" << d.id << "](#" << anchor << ") | " << d.title << " | `" << d.category << "` | "
       << SeverityName(d.severity) << " |\n";
  }
  for (const auto& r : Catalog()) {
    const RuleDoc& d = r->doc();
    os << "\n## " << d.id << "\n\n**" << d.title << "** — category `" << d.category
       << "`, severity " << SeverityName(d.severity) << ", since " << d.since << ".\n\n"
       << "### What it means\n\n" << d.what << "\n\n"
       << "### Why it happens\n\n" << d.why << "\n\n"
       << "### How to fix it\n\n";
    for (std::string_view l : SplitLines(d.fix)) os << "- " << l << "\n";
    if (!d.before.empty()) os << "\nBefore:\n\n```go\n" << d.before << "\n```\n";
    if (!d.after.empty()) os << "\nAfter:\n\n```go\n" << d.after << "\n```\n";
    if (!d.links.empty()) {
      os << "\nSee also:\n\n";
      for (std::string_view l : d.links) os << "- <" << l << ">\n";
    }
  }
  return os.str();
}

bool ValidateSelection(const std::string& select, std::string* err) {
  std::vector<Pattern> pats;
  return ParsePatterns(select, &pats, err);
}

std::vector<Finding> Analyze(const ParsedInput& input, const EngineOptions& opts) {
  RuleContext ctx;
  ctx.input = &input;
  ctx.src_dir = SourceRoot(input, opts);
  std::vector<Finding> raw;
  for (const Rule* r : Selected(opts.select)) r->Check(ctx, &raw);

  // Fold identical findings (crash loops): same fingerprint.
  std::vector<Finding> out;
  std::map<std::string, size_t> seen;
  // Fleet roll-up: the same crash from many files or replicas is one
  // finding that counts the inputs it came from.
  std::map<std::string, std::set<std::string>> sources;
  for (Finding& f : raw) {
    if (f.fingerprint.empty()) f.fingerprint = f.rule_id;
    auto it = seen.find(f.fingerprint);
    std::set<std::string>& src = sources[f.fingerprint];
    bool new_source = src.insert(f.source).second;
    if (it == seen.end()) {
      seen.emplace(f.fingerprint, out.size());
      out.push_back(std::move(f));
      continue;
    }
    Finding& g = out[it->second];
    if (new_source) {
      if (g.input_sources.empty()) g.input_sources.push_back(g.source);
      ++g.input_count;
      if (g.input_sources.size() < kMaxInputSources) g.input_sources.push_back(f.source);
    }
    g.occurrences += f.occurrences;
    if (!f.first_seen.empty() && (g.first_seen.empty() || f.first_seen < g.first_seen)) g.first_seen = f.first_seen;
    if (!f.last_seen.empty() && (g.last_seen.empty() || f.last_seen > g.last_seen)) g.last_seen = f.last_seen;
    g.confidence = std::max(g.confidence, f.confidence);
  }
  for (Finding& f : out) {
    if (f.occurrences > 1) {
      f.summary += " This happened " + std::to_string(f.occurrences) + " times" +
                   (f.input_count > 1 ? " in " + std::to_string(f.input_count) + " inputs" : " in the input");
      if (!f.first_seen.empty() && f.first_seen != f.last_seen)
        f.summary += " (first " + f.first_seen + ", last " + f.last_seen + ")";
      f.summary += ".";
    }
  }
  // Pod state and the crash from its logs make one diagnosis (GT3xxx
  // post-step, rules/lifecycle.cc).
  CorrelateLifecycle(input, &out);
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.incident != b.incident) return a.incident < b.incident;
    return a.rule_id < b.rule_id;
  });
  return out;
}

}  // namespace gotriage
