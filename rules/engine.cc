// The rule engine; see engine.h.
#include "rules/engine.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/strings.h"
#include "rules/finding_build.h"
#include "rules/finding_fold.h"
#include "rules/lifecycle.h"
#include "rules/selection.h"
#include "rules/util.h"

namespace gotriage {

namespace {

std::string Indent(std::string_view code, std::string_view pad) {
  std::string out;
  for (std::string_view l : SplitLines(code)) {
    out += pad;
    out += l;
    out += '\n';
  }
  return out;
}

// Wraps the paragraphs of \a text (separated by newlines) at \a width
// columns; the first line of each starts with \a first, the rest with
// \a rest. A word longer than the line stays whole.
std::string WrapText(std::string_view text, size_t width, std::string_view first, std::string_view rest) {
  std::string out;
  for (std::string_view para : SplitLines(text)) {
    std::string line(first);
    bool empty = true;
    size_t i = 0;
    while (i < para.size()) {
      while (i < para.size() && para[i] == ' ') ++i;
      size_t j = para.find(' ', i);
      if (j == std::string_view::npos) j = para.size();
      if (i == j) break;
      std::string_view word = para.substr(i, j - i);
      if (!empty && line.size() + 1 + word.size() > width) {
        out += line + "\n";
        line = std::string(rest);
        empty = true;
      }
      if (!empty) line += ' ';
      line += word;
      empty = false;
      i = j;
    }
    out += line + "\n";
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

// Fix steps from a rule's documentation may hold only under some evidence:
// such a step starts with `[if COND] `. The engine keeps it only when the
// finding's evidence shows COND; --explain and docs/rules.md say when.
struct FixCond {
  std::string_view tag;
  std::string_view when;  // how the documentation says it
};
constexpr FixCond kFixConds[] = {
    {"http-client", "With net/http client frames in the stack"},
    {"dependency", "When the culprit is in a dependency"},
    {"peers", "When the finding lists other goroutines"},
    {"no-peers", "When it lists none"},
    {"single", "When only the crashing goroutine was printed (GOTRACEBACK=single)"},
    {"drain", "When workers send results while their caller waits in wg.Wait()"},
    {"lock", "When a lock is involved"},
};

// Splits `[if COND] text`; false for a step without a condition.
bool SplitCond(std::string_view step, std::string_view* tag, std::string_view* text) {
  if (!StartsWith(step, "[if ")) return false;
  size_t close = step.find("] ");
  if (close == std::string_view::npos) return false;
  *tag = step.substr(4, close - 4);
  *text = step.substr(close + 2);
  return true;
}

// A documentation step as a reader sees it: `When ...: text`.
std::string DocStep(std::string_view step) {
  std::string_view tag, text;
  if (!SplitCond(step, &tag, &text)) return std::string(step);
  for (const FixCond& c : kFixConds) {
    if (c.tag == tag) return std::string(c.when) + ": " + std::string(text);
  }
  return std::string(text);
}

bool IsHttpClientFrame(std::string_view fn) {
  static constexpr std::string_view kClient[] = {
      "net/http.(*Client)", "net/http.(*Transport)", "net/http.(*persistConn)", "net/http.send",
      "net/http.Get",       "net/http.Post",         "net/http.Head",           "net/http.setRequestCancel"};
  for (std::string_view p : kClient) {
    if (StartsWith(fn, p)) return true;
  }
  return false;
}

// What the evidence of \a f shows, for the conditions of its fix steps.
struct FixFacts {
  bool http_client = false, dependency = false, peers = false, single = false, drain = false, lock = false;
  bool Holds(std::string_view tag) const {
    return (tag == "http-client" && http_client) || (tag == "dependency" && dependency) ||
           (tag == "peers" && peers) || (tag == "no-peers" && !peers) || (tag == "single" && single) ||
           (tag == "drain" && drain) || (tag == "lock" && lock);
  }
};

FixFacts FactsOf(const ParsedInput& in, const Finding& f) {
  FixFacts x;
  x.dependency = f.culprit && f.culprit->kind == "dependency";
  for (const std::string& d : f.evidence.details) x.peers = x.peers || StartsWith(d, "peers:");
  const Incident* found = in.IncidentAt(f.incident);
  if (!found) return x;
  const Incident& inc = *found;
  // The finding's own goroutines: those whose IDs it names (all of the
  // incident when it names none).
  // Sorted once: every ID of every group is looked up (a 100k dump's
  // groups keep thousands, its findings name thousands).
  std::vector<int64_t> ids = f.evidence.goroutine_ids;
  std::sort(ids.begin(), ids.end());
  auto mine = [&](int64_t id) { return ids.empty() || std::binary_search(ids.begin(), ids.end(), id); };
  bool wg_wait = false, chan_send = false;
  auto scan = [&](const std::vector<Frame>& frames, std::string_view state, bool own) {
    for (const Frame& fr : frames) {
      if (own && IsHttpClientFrame(fr.function)) x.http_client = true;
      if (StartsWith(fr.function, "sync.(*WaitGroup).Wait")) wg_wait = true;
      if (own && (StartsWith(fr.function, "sync.(*Mutex).") || StartsWith(fr.function, "sync.(*RWMutex).")))
        x.lock = true;
    }
    if (StartsWith(state, "chan send")) chan_send = true;
  };
  if (inc.crashing) scan(inc.crashing->frames, inc.crashing->state, mine(inc.crashing->id));
  // A finding that names no goroutine ID (pprof debug=1 prints none) owns
  // the groups that run through its culprit, not the whole dump: an HTTP
  // server elsewhere in the process is not the leak's HTTP client.
  auto through_culprit = [&](const GoroutineGroup& g) {
    if (!f.culprit) return true;
    const std::vector<Frame>& fr = g.samples.front().frames;
    return std::any_of(fr.begin(), fr.end(), [&](const Frame& x) { return x.function == f.culprit->function; });
  };
  for (const GoroutineGroup& g : inc.groups) {
    if (g.samples.empty()) continue;
    bool own = ids.empty() ? g.ids.empty() ? through_culprit(g) : true
                           : std::any_of(g.ids.begin(), g.ids.end(), mine);
    scan(g.samples.front().frames, g.state, own);
  }
  if (inc.race) {
    for (const RaceAccess& a : inc.race->accesses) scan(a.frames, "", true);
  }
  x.single = inc.crashing && inc.goroutine_count <= 1 && inc.kind != IncidentKind::kRaceReport;
  x.drain = wg_wait && chan_send;
  return x;
}

// Keeps the fix steps the evidence supports, most specific first: steps
// the rule wrote from this input, then documented steps whose condition
// holds, then the documented general advice.
void FitRemediation(const ParsedInput& in, Finding* f) {
  const Rule* r = FindRule(f->rule_id);
  std::vector<std::string_view> doc_steps;
  if (r) {
    for (std::string_view l : SplitLines(r->doc().fix)) doc_steps.push_back(Trim(l));
  }
  FixFacts facts = FactsOf(in, *f);
  std::vector<std::string> specific, conditional, general;
  for (std::string& step : f->remediation.steps) {
    std::string_view tag, text;
    if (SplitCond(step, &tag, &text)) {
      if (facts.Holds(tag)) conditional.emplace_back(text);
    } else if (std::find(doc_steps.begin(), doc_steps.end(), std::string_view(step)) != doc_steps.end()) {
      general.push_back(std::move(step));
    } else {
      specific.push_back(std::move(step));
    }
  }
  std::vector<std::string> out;
  for (auto* v : {&specific, &conditional, &general}) {
    for (std::string& st : *v) {
      if (std::find(out.begin(), out.end(), st) == out.end()) out.push_back(std::move(st));
    }
  }
  f->remediation.steps = std::move(out);
}

// The file of \a file under \a root: the longest tail of the printed path
// that exists there, never outside it.
std::string ResolveSource(const std::string& root, std::string_view file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (file.empty() || file.find("..") != std::string_view::npos) return "";
  for (size_t pos = 0; pos != std::string_view::npos; pos = file.find('/', pos + 1)) {
    std::string_view tail = file.substr(pos == 0 ? 0 : pos + 1);
    while (StartsWith(tail, "/")) tail.remove_prefix(1);
    if (tail.empty()) continue;
    fs::path c = fs::path(root) / std::string(tail);
    if (fs::is_regular_file(c, ec)) return c.string();
  }
  return "";
}

void QuoteSource(const std::string& root, std::optional<CodeRef>* ref) {
  if (!*ref || (*ref)->line <= 0 || !(*ref)->source_line.empty()) return;
  std::string path = ResolveSource(root, (*ref)->file);
  if (path.empty()) return;
  std::ifstream src(path);
  std::string line;
  for (int n = 1; std::getline(src, line); ++n) {
    if (n == (*ref)->line) {
      std::string_view t = Trim(line);
      (*ref)->source_line = std::string(t.substr(0, 200));
      return;
    }
  }
}

// Top-level arguments of a printed argument list (`0x0, {0x1, 0x2}, 0x3`).
std::vector<std::string_view> SplitArgs(std::string_view args) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= args.size(); ++i) {
    char c = i < args.size() ? args[i] : ',';
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == ',' && depth <= 0) {
      std::string_view a = Trim(args.substr(start, i - start));
      if (!a.empty()) out.push_back(a);
      start = i + 1;
    }
  }
  return out;
}

// Marks the arguments printed as 0x0: nil pointers. For a method with a
// pointer receiver, `(*T).M`, the first word is the receiver.
void ReadNilArgs(CodeRef* c) {
  if (!c || c->args.empty() || c->args == "...") return;
  bool method = c->function.find("(*") != std::string::npos;
  std::vector<std::string_view> a = SplitArgs(c->args);
  for (size_t i = 0; i < a.size(); ++i) {
    std::string_view v = a[i];
    if (!v.empty() && v.back() == '?') continue;  // not known to be exact
    if (v != "0x0") continue;
    if (method && i == 0) {
      c->nil_args.push_back("receiver");
    } else {
      c->nil_args.push_back("arg " + std::to_string(method ? i : i + 1));
    }
  }
}

// A nil dereference: the nil value usually came in as a receiver or
// argument printed 0x0. The frame nearest the application that received
// one names the value; its caller (the application frame) passed it.
void ExplainNil(const ParsedInput& in, Finding* f) {
  const Incident* found = in.IncidentAt(f->incident);
  if (f->category != "nil_dereference" || !found) return;
  const Incident& inc = *found;
  if (!inc.crashing) return;
  const std::vector<Frame>& fr = inc.crashing->frames;
  size_t app = 0;
  while (app < fr.size() && fr[app].kind != FrameKind::kApp) ++app;
  // From the application frame's callee down to the crash site; with no
  // application frame, the whole stack.
  size_t top = app < fr.size() ? app : fr.size();
  for (size_t k = top; k-- > 0;) {
    CodeRef c = CodeRefFrom(fr[k]);
    ReadNilArgs(&c);
    if (c.nil_args.empty()) continue;
    std::string what = (c.nil_args.front() == "receiver" ? "the receiver of " : c.nil_args.front() + " of ") +
                       c.function;
    std::string fact = what + " was nil (printed as 0x0)";
    std::string from;
    if (k + 1 < fr.size()) {
      const Frame& caller = fr[k + 1];
      from = std::string(BareFunc(caller.function)) + " (" + std::string(caller.file) + ":" +
             std::to_string(caller.line) + ")";
      fact += ", passed by " + from;
      if (caller.kind == FrameKind::kApp) fact += ", the application's code";
    }
    f->evidence.details.push_back(fact);
    if (fr[k].input_line) f->evidence.input_lines.push_back(fr[k].input_line);
    f->summary += " In the trace, " + fact + ".";
    f->remediation.steps.insert(
        f->remediation.steps.begin(),
        from.empty() ? "Find where " + what + " is set: it is nil when it gets there."
                     : "Set the value " + from + " passes as " + what +
                           ": it is nil there (a constructor that forgot it, or a result used without "
                           "checking its error).");
    auto& il = f->evidence.input_lines;
    std::sort(il.begin(), il.end());
    il.erase(std::unique(il.begin(), il.end()), il.end());
    return;
  }
}

// Evidence reads as a set: sorted, each goroutine and line once, and the
// count of goroutines never below the sample it comes with.
void NormalizeEvidence(Evidence* ev) {
  Evidence& e = *ev;
  std::sort(e.goroutine_ids.begin(), e.goroutine_ids.end());
  e.goroutine_ids.erase(std::unique(e.goroutine_ids.begin(), e.goroutine_ids.end()), e.goroutine_ids.end());
  e.input_lines.erase(std::remove(e.input_lines.begin(), e.input_lines.end(), size_t{0}), e.input_lines.end());
  std::sort(e.input_lines.begin(), e.input_lines.end());
  e.input_lines.erase(std::unique(e.input_lines.begin(), e.input_lines.end()), e.input_lines.end());
  e.goroutines_involved = std::max<uint64_t>(e.goroutines_involved, e.goroutine_ids.size());
  if (e.goroutines_total) e.goroutines_total = std::max(e.goroutines_total, e.goroutines_involved);
}

}  // namespace

namespace {

// A fallback rule's finding (RuleDoc::fallback): it speaks only when
// nothing else explains its incident.
bool IsFallback(const Finding& f) {
  const Rule* r = FindRule(f.rule_id);
  return r && r->doc().fallback;
}

// Another rule's finding about an incident, above info: the fallbacks on
// that incident are dropped.
bool Explains(const Finding& f) { return f.incident >= 0 && f.severity > Severity::kInfo && !IsFallback(f); }

}  // namespace

void DropOverriddenFallbacks(std::vector<Finding>* raw) {
  std::set<int> explained;
  for (const Finding& f : *raw) {
    if (Explains(f)) explained.insert(f.incident);
  }
  std::erase_if(*raw, [&](const Finding& f) { return IsFallback(f) && explained.count(f.incident); });
}

std::string ExplainRule(const Rule& rule, size_t width) {
  const RuleDoc& d = rule.doc();
  std::ostringstream os;
  os << d.id << ": " << d.title << "\n"
     << "Category: " << d.category << "   Severity: " << SeverityName(d.severity)
     << "   Since: " << d.since << "\n\n"
     << "What it means\n" << WrapText(d.what, width, "  ", "  ") << "\n"
     << "Why it happens\n" << WrapText(d.why, width, "  ", "  ") << "\n"
     << "How to fix it\n";
  for (std::string_view l : SplitLines(d.fix)) os << WrapText(DocStep(l), width, "  - ", "    ");
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
    for (std::string_view l : SplitLines(d.fix)) os << "- " << DocStep(l) << "\n";
    if (!d.before.empty()) os << "\nBefore:\n\n```go\n" << d.before << "\n```\n";
    if (!d.after.empty()) os << "\nAfter:\n\n```go\n" << d.after << "\n```\n";
    if (!d.links.empty()) {
      os << "\nSee also:\n\n";
      for (std::string_view l : d.links) os << "- <" << l << ">\n";
    }
  }
  return os.str();
}

void FitFixSteps(const ParsedInput& input, Finding* f) { FitRemediation(input, f); }

std::vector<Finding> Analyze(const ParsedInput& input, const EngineOptions& opts) {
  RuleContext ctx;
  ctx.input = &input;
  ctx.src_dir = SourceRoot(input, opts);

  // Check, then fold at once: a rule that judges one incident at a time is
  // asked about each incident in turn and its findings are folded before
  // the next, so a fleet of thousands of identical crashes holds one
  // finding, not thousands. Fallback findings wait for the end: another
  // rule's finding on their incident (above info) drops them.
  PodIndex pods(input);
  FindingFold fold(input, pods);
  std::set<int> explained;
  std::vector<Finding> fallbacks;
  auto take = [&](std::vector<Finding>* raw) {
    for (Finding& f : *raw) {
      // Labels: a crash finding names the crashing goroutine's labels;
      // group findings got theirs from AddGroupEvidence. Either way the
      // summary says which labels the goroutines share.
      if (const Incident* inc = input.IncidentAt(f.incident)) {
        f.amendment = inc->amended;
        uint64_t n = f.evidence.goroutines_involved;
        if (f.evidence.labelled == 0 && inc->crashing && !inc->crashing->labels.empty()) {
          AddGoroutineLabels(&f.evidence, *inc->crashing);
          n = 1;  // the crashing goroutine's own labels
        }
        f.summary += LabelSentence(f.evidence, n);
      }
      StampPod(input, pods, &f);
      if (IsFallback(f)) {
        fallbacks.push_back(std::move(f));
        continue;
      }
      if (Explains(f)) explained.insert(f.incident);
      fold.Add(std::move(f));
    }
    raw->clear();
  };
  std::vector<Finding> raw;
  for (const Rule* r : Selected(opts.select)) {
    if (const auto* per_incident = dynamic_cast<const IncidentRule*>(r)) {
      for (size_t i = 0; i < input.incidents.size(); ++i) {
        per_incident->CheckOne(ctx, i, &raw);
        take(&raw);
      }
      per_incident->CheckPods(ctx, &raw);
      take(&raw);
    } else {
      r->Check(ctx, &raw);
      take(&raw);
    }
    fold.Flush();
  }
  // What DropOverriddenFallbacks does to a whole list. The final order
  // does not depend on when they were folded: it is by severity,
  // confidence, incident and rule, and within one rule by input order.
  for (Finding& f : fallbacks)
    if (!explained.count(f.incident)) fold.Add(std::move(f));
  fold.Flush();
  fallbacks.clear();
  std::vector<Finding> out = fold.Take();
  for (Finding& f : out) {
    NormalizeEvidence(&f.evidence);
    if (f.occurrences > 1 && f.category == "data_race") {
      // The same two code locations: one race, reported from both sides
      // or on several runs through it.
      f.summary += " The race detector reported this race " + std::to_string(f.occurrences) + " times.";
    } else if (f.occurrences > 1) {
      f.summary += " This happened " + std::to_string(f.occurrences) + " times" +
                   (f.input_count > 1 ? " in " + std::to_string(f.input_count) + " inputs" : " in the input");
      if (!f.first_seen.empty() && f.first_seen != f.last_seen)
        f.summary += " (first " + f.first_seen + ", last " + f.last_seen + ")";
      f.summary += ".";
    }
  }
  for (Finding& f : out) {
    if (f.culprit) ReadNilArgs(&*f.culprit);
    if (f.app_frame) ReadNilArgs(&*f.app_frame);
    FitRemediation(input, &f);
    ExplainNil(input, &f);
    if (!ctx.src_dir.empty()) {
      QuoteSource(ctx.src_dir, &f.culprit);
      QuoteSource(ctx.src_dir, &f.app_frame);
    }
  }
  // Pod state and the crash from its logs make one diagnosis (GT3xxx
  // post-step, rules/lifecycle.cc).
  CorrelateLifecycle(input, &out);
  // It adds the pod's lines to the crash it joins: the evidence is a set again.
  for (Finding& f : out) {
    NormalizeEvidence(&f.evidence);
    StampPod(input, pods, &f);  // the pod it joined, if any
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.incident != b.incident) return a.incident < b.incident;
    return a.rule_id < b.rule_id;
  });
  return out;
}

}  // namespace gotriage
