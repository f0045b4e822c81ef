// `--format sarif`: SARIF 2.1.0 (OASIS errata01 schema, kept in
// testdata/schemas/sarif-2.1.0.json and checked by tests/ci_formats.sh).
//
// One run; tool.driver.rules holds every rule of the catalog with its
// documentation (RuleDoc) as help text; each finding is a result located at
// its culprit frame, mapped to a repository-relative path (SourceMapper),
// or else at the incident's lines in the input; the goroutine stacks behind
// it are SARIF `stacks`; the fingerprint is a partial fingerprint, so
// GitHub code scanning folds repeated reports of one bug.
#include <map>

#include "base/chars.h"
#include "base/strings.h"
#include "cli/render.h"
#include "cli/render_ci.h"
#include "cli/source_map.h"
#include "rules/engine.h"

namespace gotriage {

using nlohmann::json;

namespace {

constexpr const char* kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr size_t kMaxStacks = 8;
constexpr size_t kMaxStackFrames = 64;

std::string PascalCase(std::string_view title) {
  std::string out;
  bool up = true;
  for (char c : title) {
    bool alnum = IsAlnum(c);
    if (!alnum) {
      up = true;
      continue;
    }
    out.push_back(up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    up = false;
  }
  return out;
}

json RuleJson(const RuleDoc& d) {
  std::string text = std::string(d.what);
  if (!d.why.empty()) text += "\n\nWhy: " + std::string(d.why);
  if (!d.fix.empty()) text += "\n\nFix:\n" + std::string(d.fix);
  std::string md = "**" + std::string(d.title) + "** (" + std::string(d.id) + ")\n\n" + std::string(d.what);
  if (!d.why.empty()) md += "\n\n**Why it happens.** " + std::string(d.why);
  if (!d.fix.empty()) {
    md += "\n\n**How to fix it.**\n";
    std::string_view fix = d.fix;
    while (!fix.empty()) {
      size_t nl = fix.find('\n');
      std::string_view step = fix.substr(0, nl);
      if (!step.empty()) md += "\n- " + std::string(step);
      fix = nl == std::string_view::npos ? std::string_view() : fix.substr(nl + 1);
    }
  }
  if (!d.before.empty()) md += "\n\nBefore:\n\n```go\n" + std::string(d.before) + "\n```";
  if (!d.after.empty()) md += "\n\nAfter:\n\n```go\n" + std::string(d.after) + "\n```";
  json r = {{"id", d.id},
            {"name", PascalCase(d.title)},
            {"shortDescription", {{"text", d.title}}},
            {"fullDescription", {{"text", d.what.empty() ? d.title : d.what}}},
            {"help", {{"text", text}, {"markdown", md}}},
            {"defaultConfiguration", {{"level", SarifLevel(d.severity)}}},
            {"properties",
             {{"category", d.category},
              {"severity", SeverityName(d.severity)},
              {"since", d.since},
              {"tags", json::array({"go", std::string(d.category)})}}}};
  for (std::string_view l : d.links) {
    if (StartsWith(l, "https://") || StartsWith(l, "http://")) {
      r["helpUri"] = l;
      break;
    }
  }
  return r;
}

// A physical location for a file:line; null when there is no file.
json Physical(const SourceMapper& map, std::string_view function, std::string_view file, int line,
              std::string_view module, bool app) {
  if (file.empty()) return nullptr;
  json art;
  std::string repo = app ? map.RepoPath(function, file, module) : "";
  if (!repo.empty()) {
    art = {{"uri", SourceMapper::ToUri(repo)}, {"uriBaseId", "%SRCROOT%"}};
  } else {
    art = {{"uri", SourceMapper::ToUri(file)}};
  }
  json p = {{"artifactLocation", art}};
  if (line > 0) p["region"] = {{"startLine", line}};
  return p;
}

json FrameLocation(const SourceMapper& map, const Frame& f) {
  json loc = json::object();
  json phys = Physical(map, f.function, f.file, f.line, f.module, f.kind == FrameKind::kApp);
  if (!phys.is_null()) loc["physicalLocation"] = phys;
  loc["logicalLocations"] = json::array({{{"fullyQualifiedName", f.function}, {"kind", "function"}}});
  return loc;
}

json StackJson(const SourceMapper& map, const std::string& message, const std::vector<Frame>& frames,
               int64_t goroutine) {
  json fs = json::array();
  for (size_t i = 0; i < frames.size() && i < kMaxStackFrames; ++i) {
    const Frame& f = frames[i];
    json sf = {{"location", FrameLocation(map, f)}};
    if (!f.package.empty()) sf["module"] = f.package;
    if (goroutine >= 0) sf["threadId"] = goroutine;
    fs.push_back(sf);
  }
  return {{"message", {{"text", message}}}, {"frames", fs}};
}

// The stacks behind a finding: the race's accesses, the crashing goroutine,
// or the groups holding the goroutines named as evidence.
json StacksFor(const SourceMapper& map, const Finding& f, const ParsedInput& in) {
  json stacks = json::array();
  const Incident* found = in.IncidentAt(f.incident);
  if (!found) return stacks;
  const Incident& inc = *found;
  if (inc.race) {
    for (const RaceAccess& a : inc.race->accesses) {
      std::string who = a.goroutine < 0 ? "main goroutine" : "goroutine " + std::to_string(a.goroutine);
      stacks.push_back(StackJson(map, a.kind + " at " + a.address + " by " + who, a.frames, a.goroutine));
      if (!a.created_at.empty())
        stacks.push_back(StackJson(map, "Goroutine " + std::to_string(a.goroutine) + " (" +
                                            a.goroutine_status + ") created at",
                                   a.created_at, a.goroutine));
    }
    return stacks;
  }
  if (inc.crashing) {
    stacks.push_back(StackJson(map, "goroutine " + std::to_string(inc.crashing->id) + " [" +
                                        std::string(inc.crashing->state) + "] (crashing)",
                               inc.crashing->frames, inc.crashing->id));
  }
  for (const GoroutineGroup& g : inc.groups) {
    if (stacks.size() >= kMaxStacks || g.samples.empty()) break;
    bool named = false;
    for (int64_t id : g.ids) {
      for (int64_t e : f.evidence.goroutine_ids) named |= id == e;
    }
    const Goroutine& r = g.representative();
    if (!named || (inc.crashing && r.id == inc.crashing->id)) continue;
    stacks.push_back(StackJson(map, std::to_string(g.count) + " goroutine(s) [" + std::string(g.state) +
                                        "], e.g. goroutine " + std::to_string(r.id),
                               r.frames, r.id));
  }
  return stacks;
}

}  // namespace

const char* SarifLevel(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    case Severity::kLow:
    case Severity::kInfo: return "note";
  }
  return "note";
}

json SarifLog(const ParsedInput& in, const std::vector<Finding>& findings, const RenderOptions& opts) {
  SourceMapper map(opts.src_dir);
  json rules = json::array();
  std::map<std::string, size_t, std::less<>> index;
  for (const auto& r : Catalog()) {
    index.emplace(std::string(r->doc().id), rules.size());
    rules.push_back(RuleJson(r->doc()));
  }
  json results = json::array();
  for (const Finding& f : findings) {
    json res = {{"ruleId", f.rule_id}, {"level", SarifLevel(f.severity)}};
    if (auto it = index.find(f.rule_id); it != index.end()) res["ruleIndex"] = it->second;
    std::string text = f.title;
    if (!f.summary.empty()) text += "\n\n" + f.summary;
    if (!f.remediation.steps.empty()) text += "\n\nFix: " + f.remediation.steps.front();
    res["message"] = {{"text", text}};

    json locations = json::array();
    json related = json::array();
    // The input lines where the evidence is (a log file, when it has a name).
    json input_loc = nullptr;
    size_t input_line = f.evidence.input_lines.empty() ? 0 : f.evidence.input_lines.front();
    if (const Incident* inc = in.IncidentAt(f.incident); input_line == 0 && inc) input_line = inc->first_line;
    if (!f.source.empty() && f.source != kStdinName && f.source != "<text>") {
      json p = {{"artifactLocation", {{"uri", SourceMapper::ToUri(f.source)}}}};
      if (input_line > 0) p["region"] = {{"startLine", input_line}};
      input_loc = {{"physicalLocation", p}, {"message", {{"text", "the Go output in the input"}}}};
    }
    auto code_loc = [&](const CodeRef& c) -> json {
      json phys = Physical(map, c.function, c.file, c.line, c.module, c.kind == "app");
      json loc = json::object();
      if (!phys.is_null()) loc["physicalLocation"] = phys;
      loc["logicalLocations"] = json::array({{{"fullyQualifiedName", c.function}, {"kind", "function"}}});
      return loc;
    };
    // The primary location is in the repository, as with --format github:
    // a culprit outside it (the module cache) becomes a related location
    // and the application frame that called it the primary one.
    bool distinct_app = f.app_frame && (!f.culprit || f.app_frame->function != f.culprit->function ||
                                        f.app_frame->line != f.culprit->line);
    auto in_repo = [&](const CodeRef& c) {
      return c.kind == "app" && !map.RepoPath(c.function, c.file, c.module).empty();
    };
    bool app_first = distinct_app && f.culprit && !in_repo(*f.culprit) && in_repo(*f.app_frame);
    if (app_first) {
      locations.push_back(code_loc(*f.app_frame));
      json l = code_loc(*f.culprit);
      l["message"] = {{"text", "crash site (" + f.culprit->kind + ")"}};
      related.push_back(l);
    } else {
      if (f.culprit) locations.push_back(code_loc(*f.culprit));
      if (distinct_app) {
        json l = code_loc(*f.app_frame);
        l["message"] = {{"text", "first application frame"}};
        if (locations.empty()) {
          locations.push_back(l);
        } else {
          related.push_back(l);
        }
      }
    }
    if (!input_loc.is_null()) {
      if (locations.empty()) {
        input_loc.erase("message");
        locations.push_back(input_loc);
      } else {
        related.push_back(input_loc);
      }
    }
    if (!locations.empty()) res["locations"] = locations;
    for (size_t i = 0; i < related.size(); ++i) related[i]["id"] = i + 1;
    if (!related.empty()) res["relatedLocations"] = related;
    if (!f.fingerprint.empty()) res["partialFingerprints"] = {{"gotriage/v" + std::to_string(kFingerprintVersion), f.fingerprint}};
    json stacks = StacksFor(map, f, in);
    if (!stacks.empty()) res["stacks"] = stacks;
    json props = {{"severity", SeverityName(f.severity)},
                  {"confidence", f.confidence},
                  {"category", f.category},
                  {"occurrences", f.occurrences}};
    if (!f.source.empty()) props["source"] = f.source;
    // Where in Kubernetes: strings, as in the JSON report.
    if (!f.pod_ref.namespace_.empty()) props["namespace"] = f.pod_ref.namespace_;
    if (!f.pod_ref.name.empty()) props["pod"] = f.pod_ref.name;
    if (!f.pod_ref.container.empty()) props["container"] = f.pod_ref.container;
    if (!f.pod_ref.node.empty()) props["node"] = f.pod_ref.node;
    if (f.pods.size() > 1) {
      json ps = json::array();
      for (const PodRef& p : f.pods) ps.push_back(PodRefText(p));
      props["pods"] = std::move(ps);
      props["pod_count"] = f.pod_count;
    }
    if (!f.first_seen.empty()) props["first_seen"] = f.first_seen;
    if (!f.test.empty()) props["test"] = f.test;
    if (!f.test_package.empty()) props["test_package"] = f.test_package;
    if (!f.last_seen.empty()) props["last_seen"] = f.last_seen;
    if (!f.evidence.details.empty()) props["details"] = f.evidence.details;
    if (!f.remediation.steps.empty()) props["remediation"] = f.remediation.steps;
    if (f.evidence.labelled) {
      // runtime/pprof labels of the goroutines involved: key -> value -> count.
      json ls = json::object();
      for (const LabelValueCount& l : f.evidence.labels) ls[l.key][l.value] = l.count;
      props["labels"] = std::move(ls);
      props["labelled_goroutines"] = f.evidence.labelled;
      if (f.evidence.labels_partial) props["labels_partial"] = true;
    }
    res["properties"] = props;
    results.push_back(res);
  }

  json notes = json::array();
  for (const std::string& w : in.warnings)
    notes.push_back({{"level", "warning"}, {"message", {{"text", w}}}});
  for (const LimitNote& l : in.limits_hit)
    notes.push_back({{"level", "warning"},
                     {"message", {{"text", "limit reached: " + l.what + " (" + std::to_string(l.count) + ")"}}}});
  json invocation = {{"executionSuccessful", in.warnings.empty()}};
  if (!notes.empty()) invocation["toolExecutionNotifications"] = notes;

  json run = {{"tool",
               {{"driver",
                 {{"name", "gotriage"},
                  {"version", GOTRIAGE_VERSION},
                  {"semanticVersion", GOTRIAGE_VERSION},
                  {"rules", rules}}}}},
              {"originalUriBaseIds",
               {{"%SRCROOT%",
                 {{"description", {{"text", "The repository root: the directory gotriage ran in"}}}}}}},
              {"invocations", json::array({invocation})},
              {"results", results},
              {"columnKind", "unicodeCodePoints"},
              {"properties", {{"inputs", in.sources}, {"main_module", in.main_module}}}};
  if (in.label_filter) run["properties"]["label_filter"] = LabelFilterJson(*in.label_filter);
  return {{"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", json::array({run})}};
}

void RenderSarif(const ParsedInput& in, const std::vector<Finding>& findings,
                 const RenderOptions& opts, std::ostream& os) {
  os << DumpJson(SarifLog(in, findings, opts), 2) << '\n';
}

}  // namespace gotriage
