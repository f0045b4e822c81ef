// The HTML report (`--format html`): one self-contained file to attach to a
// ticket. The diagnosis comes first, rendered server-side so that it reads
// with JavaScript off; then each incident with the crashing stack, the
// goroutine groups (largest first), an icicle view of all groups and the
// creator tree. The script (cli/assets/report.js) only adds search, filters,
// paging and flame clicks, reading a JSON data block, never parsing input
// text as HTML. A Content-Security-Policy forbids every fetch; the inline
// script and style are allowed by their SHA-256 hashes.
//
// Over 600 lines: the report page, its two views (icicle, creator tree; each
// under a ---- line) and the page of `gotriage diff`, which shares the
// page's head, styles and escaping.
#include <algorithm>
#include <functional>
#include <memory>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "base/durations.h"
#include "cli/html_assets.h"
#include "cli/diff.h"
#include "cli/html_safe.h"
#include "cli/render.h"
#include "rules/engine.h"

namespace gotriage {

using nlohmann::json;

namespace {

constexpr size_t kServerGroups = 100;    // groups rendered as HTML per incident
constexpr size_t kDataGroups = 5000;     // groups in the data block per incident
constexpr size_t kServerFrames = 64;     // frames per stack rendered as HTML
constexpr size_t kFlameDepth = 24;       // icicle rows
constexpr double kFlameMinShare = 0.004; // narrower nodes are not drawn

std::string H(std::string_view s) { return EscapeHtml(s); }

std::string ShortFile(std::string_view file) {
  size_t last = file.rfind('/');
  if (last == std::string_view::npos || last == 0) return std::string(file);
  size_t prev = file.rfind('/', last - 1);
  return std::string(prev == std::string_view::npos ? file : file.substr(prev + 1));
}

std::string Plural(uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

const char* KindClass(std::string_view kind) {
  if (kind == "app") return "k-app";
  if (kind == "dependency") return "k-dep";
  if (kind == "stdlib") return "k-std";
  if (kind == "runtime") return "k-rt";
  return "k-unk";
}

std::string Link(const std::string& url, const std::string& text_html, const std::string& title) {
  if (url.empty()) return "<span class=\"loc\" title=\"" + H(title) + "\">" + text_html + "</span>";
  // url is built from validated components only (SourceUrl); escaped anyway.
  return "<a class=\"loc\" href=\"" + H(url) + "\" rel=\"noreferrer noopener\" title=\"" + H(title) +
         "\">" + text_html + "</a>";
}

std::string Location(std::string_view file, int line) {
  if (file.empty()) return "";
  std::string text = H(ShortFile(file)) + (line > 0 ? ":" + std::to_string(line) : "");
  return Link(SourceUrl(file, line), text, std::string(file));
}

std::string CodeRefHtml(const CodeRef& c) {
  std::string s = "<code class=\"fn " + std::string(KindClass(c.kind)) + "\">" + H(c.function) + "</code> ";
  s += Location(c.file, c.line);
  if (!c.module.empty() && c.kind == "dependency")
    s += " <span class=\"dim\">" + H(c.module) + (c.module_version.empty() ? "" : " " + H(c.module_version)) +
         "</span>";
  if (!c.kind.empty()) s += " <span class=\"tag " + std::string(KindClass(c.kind)) + "\">" + H(c.kind) + "</span>";
  if (c.input_line) s += " <span class=\"dim\">input line " + std::to_string(c.input_line) + "</span>";
  return s;
}

void RenderFinding(const Finding& f, size_t index, std::ostream& os) {
  std::string sev = SeverityName(f.severity);
  os << "<article class=\"finding sev-" << H(sev) << "\" id=\"finding-" << index + 1 << "\" data-rule=\""
     << H(f.rule_id) << "\">\n<header><span class=\"sev\">" << H(sev) << "</span> <span class=\"rule\">"
     << H(f.rule_id) << "</span> <h3>" << H(f.title) << "</h3>";
  if (f.occurrences > 1) os << " <span class=\"occ\">&times;" << f.occurrences << "</span>";
  os << "<span class=\"dim conf\">" << H(f.category) << ", confidence "
     << static_cast<int>(f.confidence * 100 + 0.5) << "%</span></header>\n";
  os << "<p class=\"summary\">" << H(f.summary) << "</p>\n<dl>";
  if (std::string pods = FindingPodsText(f); !pods.empty()) os << "<dt>Where</dt><dd>" << H(pods) << "</dd>";
  if (f.culprit) os << "<dt>Culprit</dt><dd>" << CodeRefHtml(*f.culprit) << "</dd>";
  if (f.app_frame) os << "<dt>Your code</dt><dd>" << CodeRefHtml(*f.app_frame) << "</dd>";
  const Evidence& e = f.evidence;
  std::string ev;
  if (!e.goroutine_ids.empty()) {
    ev += e.goroutine_ids.size() > 1 ? "goroutines " : "goroutine ";
    for (size_t i = 0; i < e.goroutine_ids.size() && i < 12; ++i)
      ev += (i ? ", " : "") + std::to_string(e.goroutine_ids[i]);
    if (e.goroutine_ids.size() > 12) ev += ", &hellip;";
  }
  if (e.goroutines_involved > 0 && e.goroutines_total > 0)
    ev += (ev.empty() ? "" : "; ") + std::to_string(e.goroutines_involved) + " of " +
          std::to_string(e.goroutines_total) + " goroutines";
  if (e.max_wait_minutes >= 0)
    ev += (ev.empty() ? "" : "; ") + std::string("waiting up to ") + std::to_string(e.max_wait_minutes) + " min";
  if (!e.input_lines.empty()) {
    ev += (ev.empty() ? "" : "; ") + std::string(e.input_lines.size() > 1 ? "input lines " : "input line ");
    for (size_t i = 0; i < e.input_lines.size() && i < 12; ++i)
      ev += (i ? ", " : "") + std::string("<span class=\"ln\">") + std::to_string(e.input_lines[i]) + "</span>";
    if (e.input_lines.size() > 12) ev += ", &hellip;";
    if (!f.source.empty() && f.source != "-") ev += " of <code>" + H(f.source) + "</code>";
  }
  if (!ev.empty() || !e.details.empty()) {
    os << "<dt>Evidence</dt><dd>" << ev;
    if (!e.details.empty()) {
      os << "<ul class=\"details\">";
      for (const std::string& d : e.details) os << "<li>" << H(d) << "</li>";
      os << "</ul>";
    }
    os << "</dd>";
  }
  if (!f.first_seen.empty())
    os << "<dt>Seen</dt><dd>" << H(f.first_seen)
       << (f.last_seen.empty() || f.last_seen == f.first_seen ? "" : " &ndash; " + H(f.last_seen)) << "</dd>";
  os << "</dl>\n";
  if (!f.remediation.steps.empty()) {
    os << "<h4>Fix</h4><ol class=\"fix\">";
    for (const std::string& s : f.remediation.steps) os << "<li>" << H(s) << "</li>";
    os << "</ol>\n";
  }
  if (!f.remediation.example_before.empty() || !f.remediation.example_after.empty()) {
    os << "<details class=\"example\"><summary>Example</summary><div class=\"cols\">";
    if (!f.remediation.example_before.empty())
      os << "<div><h5>Before</h5><pre>" << H(f.remediation.example_before) << "</pre></div>";
    if (!f.remediation.example_after.empty())
      os << "<div><h5>After</h5><pre>" << H(f.remediation.example_after) << "</pre></div>";
    os << "</div></details>\n";
  }
  if (const Rule* r = FindRule(f.rule_id))
    os << "<details class=\"explain\"><summary>About " << H(f.rule_id)
       << " (<code>gotriage --explain " << H(f.rule_id) << "</code>)</summary><pre>" << H(ExplainRule(*r))
       << "</pre></details>\n";
  os << "<p class=\"dim fp\">fingerprint <code>" << H(f.fingerprint) << "</code></p>\n</article>\n";
}

void RenderFrames(const std::vector<Frame>& frames, int mark, std::ostream& os) {
  os << "<ol class=\"stack\">";
  size_t shown = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (shown++ == kServerFrames) {
      os << "<li class=\"more dim\">&hellip; " << frames.size() - kServerFrames << " more frames</li>";
      break;
    }
    const Frame& f = frames[i];
    os << "<li class=\"fr " << KindClass(FrameKindName(f.kind)) << (static_cast<int>(i) == mark ? " mark" : "")
       << "\"><code class=\"fn\">" << H(f.function) << "</code> " << Location(f.file, f.line);
    if (f.input_line) os << " <span class=\"ln\" title=\"input line\">L" << f.input_line << "</span>";
    os << "</li>";
  }
  os << "</ol>\n";
}

const char* kLegend =
    "<p class=\"legend\"><span class=\"tag k-app\">app</span> your module "
    "<span class=\"tag k-dep\">dependency</span> third-party module "
    "<span class=\"tag k-std\">stdlib</span> standard library "
    "<span class=\"tag k-rt\">runtime</span> Go runtime</p>\n";

std::string WaitText(const GoroutineGroup& g) {
  if (g.min_wait_minutes < 0) return "";
  if (g.min_wait_minutes == g.max_wait_minutes) return std::to_string(g.max_wait_minutes) + " min";
  return std::to_string(g.min_wait_minutes) + "&ndash;" + std::to_string(g.max_wait_minutes) + " min";
}

void RenderGroup(const GoroutineGroup& g, size_t i, std::ostream& os) {
  os << "<details class=\"group\" data-g=\"" << i << "\"><summary><span class=\"cnt\">" << g.count
     << "</span> <span class=\"st\">" << H(g.state.empty() ? "unknown" : g.state) << "</span>";
  std::string w = WaitText(g);
  if (!w.empty()) os << " <span class=\"wait\">" << w << "</span>";
  if (g.any_leaked) os << " <span class=\"tag leak\">leaked</span>";
  if (!g.samples.empty()) {
    const Goroutine& r = g.samples.front();
    int at = g.first_app_frame >= 0 ? g.first_app_frame : g.crash_site_frame;
    if (at < 0 && !r.frames.empty()) at = 0;
    if (at >= 0 && static_cast<size_t>(at) < r.frames.size())
      os << " <code class=\"fn " << KindClass(FrameKindName(r.frames[at].kind)) << "\">"
         << H(r.frames[at].function) << "</code>";
    if (r.created_by) os << " <span class=\"cr\">created by " << H(r.created_by->function) << "</span>";
    if (!r.labels.empty()) os << " <span class=\"lb\">" << H(LabelText(r.labels)) << "</span>";
  }
  os << "</summary>\n";
  if (!g.samples.empty()) {
    const Goroutine& r = g.samples.front();
    RenderFrames(r.frames, g.first_app_frame, os);
    if (r.created_by) {
      os << "<p class=\"created\">created by <code class=\"fn\">" << H(r.created_by->function) << "</code> "
         << Location(r.created_by->file, r.created_by->line);
      if (r.created_by_goroutine >= 0) os << " in goroutine " << r.created_by_goroutine;
      os << "</p>";
    }
  }
  if (!g.ids.empty()) {
    os << "<p class=\"ids dim\">goroutine" << (g.count > 1 ? "s " : " ");
    for (size_t k = 0; k < g.ids.size() && k < 20; ++k) os << (k ? ", " : "") << g.ids[k];
    if (g.count > std::min<size_t>(g.ids.size(), 20)) os << ", &hellip;";
    os << "</p>";
  }
  os << "</details>\n";
}

// ---- icicle view: the groups' stacks merged from the outermost frame ----

struct FlameNode {
  std::string_view fn;
  FrameKind kind = FrameKind::kUnknown;
  uint64_t count = 0;
  std::vector<std::unique_ptr<FlameNode>> kids;
  FlameNode* Child(std::string_view f, FrameKind k) {
    for (auto& c : kids)
      if (c->fn == f) return c.get();
    kids.push_back(std::make_unique<FlameNode>());
    kids.back()->fn = f;
    kids.back()->kind = k;
    return kids.back().get();
  }
};

// A cell's label: the function without its import path (the tooltip has it
// all); slivers get none.
std::string FlameLabel(std::string_view fn, double share) {
  if (share < 0.012) return "";
  size_t paren = fn.find('(');
  size_t slash = fn.rfind('/', paren == std::string_view::npos ? fn.size() : paren);
  if (slash != std::string_view::npos) fn.remove_prefix(slash + 1);
  return "<text x=\"4\" y=\"14\">" + H(fn) + "</text>";
}

void FlameRows(const FlameNode& n, double x, double total, size_t depth, std::ostream& os, size_t* rows) {
  if (depth > 0) {
    double w = n.count / total;
    *rows = std::max(*rows, depth);
    char pos[96];
    std::snprintf(pos, sizeof pos, "x=\"%.3f%%\" y=\"%zu\" width=\"%.3f%%\"", x * 100, (depth - 1) * 20, w * 100);
    os << "<svg class=\"fl " << KindClass(FrameKindName(n.kind)) << "\" " << pos
       << " height=\"19\" data-fn=\"" << H(n.fn) << "\" tabindex=\"-1\"><title>" << H(n.fn) << " ("
       << Plural(n.count, "goroutine") << ")</title><rect width=\"100%\" height=\"100%\" rx=\"2\"/>"
       << FlameLabel(n.fn, w) << "</svg>";
  }
  if (depth >= kFlameDepth) return;
  std::vector<const FlameNode*> kids;
  for (const auto& c : n.kids) kids.push_back(c.get());
  std::sort(kids.begin(), kids.end(), [](auto* a, auto* b) { return a->count > b->count; });
  double cx = x;
  for (const FlameNode* c : kids) {
    if (c->count / total >= kFlameMinShare) FlameRows(*c, cx, total, depth + 1, os, rows);
    cx += c->count / total;
  }
}

void RenderFlame(const Incident& inc, std::ostream& os) {
  FlameNode root;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty()) continue;
    const auto& frames = g.samples.front().frames;
    root.count += g.count;
    FlameNode* n = &root;
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
      n = n->Child(it->function, it->kind);
      n->count += g.count;
    }
  }
  if (root.count == 0) return;
  std::ostringstream body;
  size_t rows = 0;
  FlameRows(root, 0, static_cast<double>(root.count), 0, body, &rows);
  os << "<details class=\"flame\" open><summary>Icicle view: every group's stack from its entry function "
        "down, width = goroutines</summary>\n<p class=\"dim\">Click a frame to show only the groups "
        "through it.</p><svg class=\"icicle\" width=\"100%\" height=\""
     << rows * 20 << "\" role=\"img\" aria-label=\"icicle view of goroutine stacks\">" << body.str()
     << "</svg></details>\n";
}

// ---- creator tree: which function started which goroutines ----

void RenderCreators(const Incident& inc, std::ostream& os) {
  struct Node {
    uint64_t count = 0;
    size_t groups = 0;
    std::set<int64_t> in_goroutines;
    std::string_view parent;
    bool has_parent = false;
  };
  std::map<std::string_view, Node> nodes;
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty() || !g.samples.front().created_by) continue;
    const Goroutine& r = g.samples.front();
    Node& n = nodes[r.created_by->function];
    n.count += g.count;
    ++n.groups;
    if (r.created_by_goroutine >= 0 && n.in_goroutines.size() < 5) n.in_goroutines.insert(r.created_by_goroutine);
  }
  if (nodes.empty()) return;
  // A creator's parent: the creator of the largest group whose stack runs
  // through the creating function (the goroutine that is still inside it).
  for (auto& node : nodes) {
    // Named, not a structured binding: clang 14 cannot capture those.
    const auto& fn = node.first;
    auto& n = node.second;
    for (const GoroutineGroup& g : inc.groups) {
      if (g.samples.empty() || !g.samples.front().created_by) continue;
      const Goroutine& r = g.samples.front();
      if (r.created_by->function == fn) continue;
      bool through = std::any_of(r.frames.begin(), r.frames.end(), [&](const Frame& f) { return f.function == fn; });
      if (through) {
        n.parent = r.created_by->function;
        n.has_parent = true;
        break;
      }
    }
  }
  std::map<std::string_view, std::vector<std::string_view>> kids;
  std::vector<std::string_view> roots;
  for (auto& [fn, n] : nodes) (n.has_parent && nodes.count(n.parent) ? kids[n.parent] : roots).push_back(fn);
  auto by_count = [&](std::string_view a, std::string_view b) { return nodes[a].count > nodes[b].count; };
  std::set<std::string_view> seen;
  std::function<void(std::string_view, int)> emit = [&](std::string_view fn, int depth) {
    if (!seen.insert(fn).second || depth > 32) return;
    const Node& n = nodes[fn];
    os << "<li><code class=\"fn\">" << H(fn) << "</code> started " << Plural(n.count, "goroutine") << " in "
       << Plural(n.groups, "group");
    if (!n.in_goroutines.empty()) {
      os << " <span class=\"dim\">(in goroutine";
      size_t k = 0;
      for (int64_t id : n.in_goroutines) os << (k++ ? ", " : " ") << id;
      os << ")</span>";
    }
    auto it = kids.find(fn);
    if (it != kids.end()) {
      std::sort(it->second.begin(), it->second.end(), by_count);
      os << "<ul>";
      for (std::string_view k : it->second) emit(k, depth + 1);
      os << "</ul>";
    }
    os << "</li>";
  };
  std::sort(roots.begin(), roots.end(), by_count);
  os << "<details class=\"creators\"><summary>Creator tree (<code>created by &hellip; in goroutine "
        "N</code>)</summary><ul class=\"tree\">";
  for (std::string_view r : roots) emit(r, 0);
  // Creators caught in a cycle are reached from no root: shown at the top.
  for (auto& [fn, n] : nodes)
    if (!seen.count(fn)) emit(fn, 0);
  os << "</ul></details>\n";
}

// The compact data block the script filters and pages; frames are shared
// through a table.
json IncidentData(const Incident& inc, size_t index) {
  json frames = json::array();
  std::unordered_map<std::string, size_t> ids;
  auto frame_id = [&](const Frame& f) {
    std::string key = std::string(f.function) + '\0' + std::string(f.file) + '\0' + std::to_string(f.line);
    auto [it, fresh] = ids.emplace(key, frames.size());
    if (fresh)
      frames.push_back(json::array({DisplaySafe(f.function), DisplaySafe(f.file), f.line,
                                    KindClass(FrameKindName(f.kind)), SourceUrl(f.file, f.line),
                                    DisplaySafe(f.package), f.input_line}));
    return it->second;
  };
  json groups = json::array();
  for (size_t i = 0; i < inc.groups.size() && i < kDataGroups; ++i) {
    const GoroutineGroup& g = inc.groups[i];
    json x = {{"n", g.count}, {"s", DisplaySafe(g.state.empty() ? "unknown" : g.state)}};
    if (g.min_wait_minutes >= 0) x["w"] = {g.min_wait_minutes, g.max_wait_minutes};
    if (g.any_leaked) x["lk"] = true;
    json ids_j = json::array();
    for (size_t k = 0; k < g.ids.size() && k < 20; ++k) ids_j.push_back(g.ids[k]);
    x["ids"] = std::move(ids_j);
    if (!g.samples.empty()) {
      const Goroutine& r = g.samples.front();
      json fr = json::array();
      for (size_t k = 0; k < r.frames.size() && k < kServerFrames; ++k) fr.push_back(frame_id(r.frames[k]));
      x["f"] = std::move(fr);
      if (r.frames.size() > kServerFrames) x["more"] = r.frames.size() - kServerFrames;
      x["a"] = g.first_app_frame;
      x["c"] = g.crash_site_frame;
      if (r.created_by) {
        x["cr"] = frame_id(*r.created_by);
        if (r.created_by_goroutine >= 0) x["cg"] = r.created_by_goroutine;
      }
      if (!r.labels.empty()) x["lb"] = DisplaySafe(LabelText(r.labels));
    }
    // Every label `key=value` of the group's goroutines with how many carry
    // it (the label filter), not only the first goroutine's.
    if (!g.label_sets.empty()) {
      std::map<std::string, uint64_t> kv;
      for (const LabelSetCount& s : g.label_sets)
        for (const Label& l : s.labels) kv[DisplaySafe(l.key + "=" + l.value)] += s.count;
      json ls = json::object();
      for (const auto& [k, n] : kv) ls[k] = n;
      x["ls"] = std::move(ls);
    }
    groups.push_back(std::move(x));
  }
  return {{"id", "incident-" + std::to_string(index + 1)},
          {"frames", std::move(frames)},
          {"groups", std::move(groups)},
          {"total_groups", inc.groups.size()},
          {"server_groups", std::min(inc.groups.size(), kServerGroups)}};
}

void RenderIncident(const Incident& inc, size_t index, std::ostream& os) {
  os << "<section class=\"incident\" id=\"incident-" << index + 1 << "\" data-goroutines=\""
     << inc.goroutine_count << "\" data-groups=\"" << inc.groups.size() << "\">\n<h2>Incident " << index + 1
     << ": " << H(inc.Title()) << "</h2>\n<p class=\"meta dim\">" << H(IncidentKindName(inc.kind)) << " &middot; "
     << H(inc.source == "-" ? "stdin" : inc.source) << " lines " << inc.first_line << "&ndash;" << inc.last_line;
  if (!inc.timestamp.empty()) os << " &middot; " << H(inc.timestamp);
  if (!inc.pod.empty()) os << " &middot; " << H(PodRefText(inc.pod));
  os << "</p>\n";
  if (!inc.twins.empty()) {
    // Identical incidents of later inputs, folded into this one.
    constexpr size_t kListed = 100;
    std::set<std::string_view> inputs;
    for (const Occurrence& o : inc.twins) inputs.insert(o.source);
    os << "<details class=\"twins\"><summary>and " << Plural(inc.twins.size(), "identical incident") << " in "
       << Plural(inputs.size(), "more input") << "</summary>\n<ul>";
    for (size_t k = 0; k < inc.twins.size() && k < kListed; ++k) {
      const Occurrence& o = inc.twins[k];
      os << "<li>" << H(o.source == "-" ? "stdin" : o.source) << " lines " << o.first_line << "&ndash;" << o.last_line;
      if (!o.timestamp.empty()) os << " &middot; " << H(o.timestamp);
      if (!o.pod.empty()) os << " &middot; " << H(PodRefText(o.pod));
      os << "</li>";
    }
    if (inc.twins.size() > kListed)
      os << "<li>and " << inc.twins.size() - kListed << " more (the JSON report lists them all)</li>";
    os << "</ul></details>\n";
  }
  if (inc.panics.size() > 1) {
    os << "<ul class=\"panics\">";
    for (const PanicValue& p : inc.panics)
      os << "<li><code>panic: " << H(p.message) << "</code>" << (p.recovered ? " [recovered]" : "")
         << " <span class=\"ln\">L" << p.input_line << "</span></li>";
    os << "</ul>\n";
  }
  if (inc.signal && !inc.signal->name.empty()) {
    os << "<p>signal <code>" << H(inc.signal->name) << "</code>";
    if (!inc.signal->description.empty()) os << " " << H(inc.signal->description);
    if (inc.signal->has_addr) {
      char b[32];
      std::snprintf(b, sizeof b, " addr=0x%llx", static_cast<unsigned long long>(inc.signal->addr));
      os << b;
    }
    os << "</p>\n";
  }
  for (const std::string& m : inc.runtime_messages) os << "<p class=\"dim\"><code>" << H(m) << "</code></p>\n";
  if (inc.partial) os << "<p class=\"warn\">Partial input: " << H(inc.partial_reason) << "</p>\n";
  if (inc.crashing) {
    const Goroutine& g = *inc.crashing;
    os << "<h3>" << (inc.kind == IncidentKind::kGoroutineDump ? "First goroutine" : "Crashing goroutine")
       << " " << g.id << " <span class=\"st\">" << H(g.state) << "</span></h3>\n" << kLegend;
    int mark = -1;
    for (size_t i = 0; i < g.frames.size(); ++i)
      if (g.frames[i].kind == FrameKind::kApp) {
        mark = static_cast<int>(i);
        break;
      }
    RenderFrames(g.frames, mark, os);
  }
  if (inc.race) {
    os << kLegend;
    for (const RaceAccess& a : inc.race->accesses) {
      os << "<h3>" << H(a.kind) << " at " << H(a.address) << " by goroutine " << a.goroutine << "</h3>\n";
      RenderFrames(a.frames, -1, os);
      if (!a.created_at.empty()) {
        os << "<p class=\"dim\">goroutine " << a.goroutine << " created at:</p>";
        RenderFrames(a.created_at, -1, os);
      }
    }
  }
  if (inc.top) {
    os << "<h3>Profile top (" << H(inc.top->unit) << ")</h3><table class=\"top\"><tr><th>flat</th><th>flat%</th>"
          "<th>cum</th><th>cum%</th><th>function</th></tr>";
    for (const ProfileTopRow& r : inc.top->rows)
      os << "<tr><td>" << r.flat << "</td><td>" << r.flat_pct << "</td><td>" << r.cum << "</td><td>" << r.cum_pct
         << "</td><td><code>" << H(r.function) << "</code></td></tr>";
    os << "</table>\n";
  }
  if (!inc.groups.empty()) {
    os << "<h3>Goroutine groups <span class=\"dim\">" << Plural(inc.goroutine_count, "goroutine") << " in "
       << Plural(inc.groups.size(), "group");
    if (inc.declared_total && inc.declared_total != inc.goroutine_count)
      os << " (profile says " << inc.declared_total << ")";
    os << ", largest first</span></h3>\n";
    os << "<div class=\"controls\" data-for=\"incident-" << index + 1 << "\" hidden>"
          "<input type=\"search\" class=\"q\" placeholder=\"Search functions, files, states, labels\" "
          "aria-label=\"Search groups\">"
          "<select class=\"fstate\" aria-label=\"Filter by state\"><option value=\"\">all states</option></select>"
          "<select class=\"fpkg\" aria-label=\"Filter by package\"><option value=\"\">all packages</option></select>"
          "<select class=\"flabel\" aria-label=\"Filter by label\" hidden><option value=\"\">all labels</option></select>"
          "<label><input type=\"checkbox\" class=\"fmine\"> only my code</label>"
          "<button type=\"button\" class=\"clear\">clear</button>"
          "<span class=\"status\" role=\"status\" aria-live=\"polite\"></span></div>\n";
    RenderFlame(inc, os);
    if (inc.crashing == std::nullopt) os << kLegend;
    os << "<div class=\"groups\">\n";
    for (size_t i = 0; i < inc.groups.size() && i < kServerGroups; ++i) RenderGroup(inc.groups[i], i, os);
    if (inc.groups.size() > kServerGroups)
      os << "<p class=\"more-groups dim\">" << inc.groups.size() - kServerGroups
         << " smaller groups are in the page's data: with JavaScript on they are paged in here; "
            "<code>gotriage --format json --verbose</code> lists them all.</p>\n";
    os << "</div>\n";
    RenderCreators(inc, os);
  }
  os << "</section>\n";
}

void RenderPod(const PodStatus& p, std::ostream& os) {
  std::string name = p.name.empty() ? "(name not in the input)" : p.name;
  os << "<section class=\"pod\"><h2>Pod " << H(p.namespace_.empty() ? name : p.namespace_ + "/" + name)
     << (p.status.empty() ? "" : " <span class=\"st\">" + H(p.status) + "</span>") << "</h2><p class=\"dim\">"
     << (p.node.empty() ? "" : "on " + H(p.node) + " &middot; ") << H(p.source) << " line " << p.first_line
     << "</p><ul>";
  for (const ContainerStatus& c : p.containers) {
    os << "<li>container <code>" << H(c.name) << "</code>: " << H(c.state);
    if (!c.state_reason.empty()) os << " (" << H(c.state_reason) << ")";
    if (c.restart_count >= 0) os << ", " << Plural(c.restart_count, "restart");
    if (!c.last_state.empty()) {
      os << "; last " << H(c.last_state) << " " << H(c.last_reason);
      if (c.last_exit_code >= 0) os << ", exit code " << c.last_exit_code;
    }
    if (!c.memory_limit.empty()) os << "; memory limit " << H(c.memory_limit);
    os << "</li>";
  }
  os << "</ul>";
  bool any = false;
  for (const PodEvent& e : p.events) {
    if (e.type != "Warning") continue;
    if (!any) os << "<table class=\"events\"><tr><th>reason</th><th>age</th><th>message</th></tr>";
    any = true;
    os << "<tr><td>" << H(e.reason) << "</td><td>" << H(e.age) << "</td><td>" << H(e.message) << "</td></tr>";
  }
  if (any) os << "</table>";
  os << "</section>\n";
}

}  // namespace

void RenderHtml(const ParsedInput& in, const std::vector<Finding>& findings, const RenderOptions& opts,
                std::ostream& os) {
  const std::string_view css = kHtmlReportCss;
  const std::string_view js = kHtmlReportJs;
  const std::string sources =
      SourcesText(in.sources, [](const std::string& n) { return n == "-" ? std::string("stdin") : n; });
  Severity highest = Severity::kInfo;
  for (const Finding& f : findings) highest = std::max(highest, f.severity);

  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-"
     << Sha256Base64(js) << "'; style-src 'sha256-" << Sha256Base64(css)
     << "'; img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'\">\n"
     << "<meta name=\"referrer\" content=\"no-referrer\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<meta name=\"color-scheme\" content=\"light dark\">\n"
     << "<meta name=\"generator\" content=\"gotriage " << GOTRIAGE_VERSION << "\">\n"
     << "<title>gotriage: " << H(sources) << " &ndash; " << Plural(findings.size(), "finding") << "</title>\n"
     << "<style>" << css << "</style>\n</head>\n<body>\n<header class=\"top\"><h1>gotriage report</h1><p>"
     << "<code>" << H(sources) << "</code> &middot; " << Plural(in.IncidentsRead(), "incident");
  if (!in.pods.empty()) os << " &middot; " << Plural(in.pods.size(), "pod");
  os << " &middot; <strong>" << Plural(findings.size(), "finding") << "</strong>";
  if (!findings.empty()) os << " (highest: <span class=\"sev-" << SeverityName(highest) << "\">" << SeverityName(highest) << "</span>)";
  os << " <span class=\"dim\">&middot; " << in.lines << " input lines, " << in.lines_in_traces << " parsed";
  if (in.lines_unplaced) os << ", " << in.lines_unplaced << " not understood";
  if (!in.main_module.empty()) os << " &middot; main module <code>" << H(in.main_module) << "</code>";
  os << "</span></p>\n";
  if (in.incidents.size() > 1) {
    os << "<nav class=\"toc\"><a href=\"#findings\">Findings</a>";
    for (size_t i = 0; i < in.incidents.size() && i < 200; ++i)
      os << " <a href=\"#incident-" << i + 1 << "\">Incident " << i + 1 << "</a>";
    os << "</nav>\n";
  }
  os << "</header>\n<main>\n<section id=\"findings\" data-count=\"" << findings.size() << "\">\n<h2>Findings</h2>\n";
  if (findings.empty())
    os << "<p class=\"ok\">"
       << (in.incidents.empty() && in.pods.empty()
               ? "No Go traceback, goroutine dump, race report or pod description found in the input."
               : "No problem found.")
       << "</p>\n";
  for (size_t i = 0; i < findings.size(); ++i) RenderFinding(findings[i], i, os);
  os << "</section>\n";
  // The data block, `{"incidents":[...]}`, as compact JSON text made one
  // incident at a time: a document holding every incident's data cost
  // ~9 KiB per incident (140 MiB at 10,000 pods); its text costs a fifth.
  std::string data = "{\"incidents\":[";
  bool first_data = true;
  for (size_t i = 0; i < in.incidents.size(); ++i) {
    RenderIncident(in.incidents[i], i, os);
    if (in.incidents[i].groups.empty()) continue;
    if (!first_data) data += ',';
    first_data = false;
    data += JsonForScript(IncidentData(in.incidents[i], i));
  }
  data += "]}";
  for (const PodStatus& p : in.pods) RenderPod(p, os);
  if (!in.limits_hit.empty() || !in.warnings.empty()) {
    os << "<section class=\"notes\"><h2>Notes</h2><ul>";
    for (const LimitNote& l : in.limits_hit)
      os << "<li class=\"warn\">limit hit: " << H(l.what) << " (" << l.count << " times)</li>";
    for (const std::string& w : in.warnings) os << "<li class=\"warn\">" << H(w) << "</li>";
    os << "</ul></section>\n";
  }
  os << "</main>\n<footer class=\"dim\">gotriage " << GOTRIAGE_VERSION
     << " &middot; this file makes no network request; links open the source in a new navigation.</footer>\n"
     << "<script type=\"application/json\" id=\"gt-data\">" << data << "</script>\n"
     << "<script>" << js << "</script>\n</body>\n</html>\n";
  (void)opts;
}


namespace {

// Counts per snapshot as a small line (inline SVG, no script).
std::string Sparkline(const std::vector<uint64_t>& counts) {
  if (counts.size() < 2) return "";
  uint64_t hi = *std::max_element(counts.begin(), counts.end());
  const double w = 96, h = 20;
  std::ostringstream pts;
  for (size_t i = 0; i < counts.size(); ++i) {
    double x = w * static_cast<double>(i) / static_cast<double>(counts.size() - 1);
    double y = hi ? h - h * static_cast<double>(counts[i]) / static_cast<double>(hi) : h;
    pts << (i ? " " : "") << static_cast<int>(x + 0.5) << "," << static_cast<int>(y + 1.5);
  }
  return "<svg class=\"spark\" width=\"96\" height=\"23\" viewBox=\"0 0 96 23\" role=\"img\" aria-label=\"count "
         "per snapshot\"><polyline points=\"" + pts.str() + "\"/></svg>";
}

}  // namespace

void RenderDiffHtml(const DiffResult& r, const RenderOptions& opts, std::ostream& os) {
  const std::string_view css = kHtmlReportCss;
  Severity highest = Severity::kInfo;
  for (const Finding& f : r.findings) highest = std::max(highest, f.severity);
  std::string sources;
  for (size_t i = 0; i < r.snapshots.size(); ++i) sources += (i ? " \u2192 " : "") + r.snapshots[i].source;
  // No script: the page is a table the server wrote; CSP forbids scripts.
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none'; "
        "style-src 'sha256-"
     << Sha256Base64(css)
     << "'; img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'\">\n"
     << "<meta name=\"referrer\" content=\"no-referrer\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<meta name=\"color-scheme\" content=\"light dark\">\n"
     << "<meta name=\"generator\" content=\"gotriage " << GOTRIAGE_VERSION << "\">\n"
     << "<title>gotriage diff: " << H(sources) << " &ndash; " << Plural(r.findings.size(), "finding")
     << "</title>\n<style>" << css << "</style>\n</head>\n<body>\n<header class=\"top\"><h1>gotriage diff</h1><p>"
     << Plural(r.snapshots.size(), "snapshot") << ", oldest first";
  if (r.elapsed_seconds) {
    // As the text report and the finding say it (cli/diff.cc).
    os << " &middot; over " << FormatRoughDuration(*r.elapsed_seconds);
  }
  if (!r.time_basis.empty()) os << " <span class=\"dim\">(times from " << H(r.time_basis) << ")</span>";
  os << " &middot; <strong>" << Plural(r.findings.size(), "finding") << "</strong>";
  if (!r.findings.empty())
    os << " (highest: <span class=\"sev-" << SeverityName(highest) << "\">" << SeverityName(highest) << "</span>)";
  os << "</p>\n<ol class=\"snapshots\">";
  for (const DiffSnapshot& s : r.snapshots)
    os << "<li><code>" << H(s.source == "-" ? "stdin" : s.source) << "</code>: " << Plural(s.goroutines, "goroutine")
       << "</li>";
  os << "</ol>\n</header>\n<main>\n<section id=\"findings\" data-count=\"" << r.findings.size()
     << "\">\n<h2>Findings</h2>\n";
  if (r.findings.empty()) os << "<p class=\"ok\">No group grew in every step: no leak found.</p>\n";
  for (size_t i = 0; i < r.findings.size(); ++i) RenderFinding(r.findings[i], i, os);
  os << "</section>\n";
  // Changed groups (new, gone, grown, shrunk) first, as the diff ranks them;
  // unchanged ones only with -v.
  size_t shown = 0, changed = 0;
  for (const DiffGroup& g : r.groups) changed += g.status != "same";
  os << "<section id=\"groups\" data-changed=\"" << changed << "\">\n<h2>Goroutine groups by stack</h2>\n"
     << "<p class=\"dim\">Matched by stack signature (functions and lines), never by goroutine ID. "
     << Plural(changed, "group") << " changed";
  if (!opts.verbose) os << "; unchanged groups are listed with <code>-v</code>";
  os << ".</p>\n<table class=\"diff\"><thead><tr><th>status</th>";
  for (size_t i = 0; i < r.snapshots.size(); ++i) os << "<th class=\"n\">#" << i + 1 << "</th>";
  os << "<th class=\"n\">growth</th><th>trend</th><th>longest wait (min)</th><th>state</th><th>where</th>"
        "<th>created by</th></tr></thead>\n<tbody>\n";
  constexpr size_t kMaxRows = 1000;
  for (const DiffGroup& g : r.groups) {
    if (g.status == "same" && !opts.verbose) continue;
    if (shown == kMaxRows) break;
    ++shown;
    os << "<tr class=\"st-" << H(g.status) << "\" data-signature=\"" << H(g.signature) << "\"><td>" << H(g.status);
    if (g.grew_every_step) os << " <span class=\"tag\">every step</span>";
    os << "</td>";
    for (uint64_t n : g.counts) os << "<td class=\"n\">" << n << "</td>";
    os << "<td class=\"n growth\">" << (g.growth > 0 ? "+" : "") << g.growth << "</td><td>" << Sparkline(g.counts)
       << "</td><td class=\"n\">";
    bool any_wait = false;
    for (size_t i = 0; i < g.max_wait.size(); ++i) {
      os << (i ? " &rarr; " : "") << (g.max_wait[i] >= 0 ? std::to_string(g.max_wait[i]) : std::string("&ndash;"));
      any_wait |= g.max_wait[i] >= 0;
    }
    if (any_wait && g.wait_grew_every_step) os << " <span class=\"tag\">growing</span>";
    os << "</td><td>" << H(g.state) << "</td><td>" << (g.culprit ? CodeRefHtml(*g.culprit) : std::string("&ndash;"))
       << "</td><td>" << (g.created_by ? CodeRefHtml(*g.created_by) : std::string("&ndash;")) << "</td></tr>\n";
  }
  os << "</tbody></table>\n";
  size_t listable = opts.verbose ? r.groups.size() : changed;
  if (listable > shown) os << "<p class=\"dim\">" << listable - shown << " more groups not listed.</p>\n";
  os << "</section>\n</main>\n<footer class=\"dim\">gotriage " << GOTRIAGE_VERSION
     << " &middot; this file makes no network request; links open the source in a new navigation.</footer>\n"
     << "</body>\n</html>\n";
}

}  // namespace gotriage
