// The rule engine: runs the selected rules of the catalog over a parsed
// input and returns the findings, most important first.
#ifndef GOTRIAGE_RULES_ENGINE_H_
#define GOTRIAGE_RULES_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

namespace gotriage {

/// Every rule, in ID order; built once, explicitly (rules/catalog.cc).
const std::vector<std::unique_ptr<Rule>>& Catalog();
/// The rule with \a id (any case), or nullptr.
const Rule* FindRule(std::string_view id);
/// The rules named by \a name: one rule ID, or a category as
/// `--list-rules` prints it (`goroutine_leak`); any case. Empty when none.
std::vector<const Rule*> FindRules(std::string_view name);

struct EngineOptions {
  /// `GT1*,-GT2005` style patterns; empty selects every rule.
  std::string select;
  std::string src_dir;
};

/// A rule's documentation as plain text, for `gotriage --explain ID`; prose
/// is wrapped to \a width columns (code examples and links are not).
std::string ExplainRule(const Rule& rule, size_t width = 80);
/// The whole catalog's documentation as Markdown (docs/rules.md).
std::string RulesMarkdown();

/// Validates \a select; false with \a err naming the bad pattern: a
/// character outside IDs and globs, an empty item, an item (ID, category or
/// glob) that matches no rule, or a selection that leaves no rule at all.
bool ValidateSelection(const std::string& select, std::string* err);

/// Removes the findings of fallback rules (RuleDoc::fallback) on incidents
/// that a finding of another rule (above info) is about; Analyze does this to what the
/// rules report.
void DropOverriddenFallbacks(std::vector<Finding>* raw);

/// Runs the selected rules; findings are de-duplicated by fingerprint
/// (counting occurrences) and ordered by severity, confidence, then input
/// order.
std::vector<Finding> Analyze(const ParsedInput& input, const EngineOptions& opts);
/// The fix steps of \a f that \a input's evidence supports, most specific
/// first (what Analyze does to every finding): for findings made outside
/// the engine (gotriage diff).
void FitFixSteps(const ParsedInput& input, Finding* f);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_ENGINE_H_
