// Finding build: see finding_build.h.
#include "rules/finding_build.h"

#include <algorithm>
#include <cstdio>

#include "base/chars.h"
#include "parsers/gotest.h"
#include "parsers/grammar.h"
#include "rules/util.h"

namespace gotriage {

void SetCulprit(Finding* f, const std::vector<Frame>& frames, int idx) {
  if (idx < 0 || static_cast<size_t>(idx) >= frames.size()) return;
  f->culprit = CodeRefFrom(frames[idx]);
  if (frames[idx].kind != FrameKind::kApp) {
    int app = AppFrameFrom(frames, idx + 1);
    if (app >= 0) f->app_frame = CodeRefFrom(frames[app]);
  }
  f->evidence.input_lines.push_back(frames[idx].input_line);
}

Finding FindingOf(const RuleDoc& doc) {
  Finding f;
  f.rule_id = std::string(doc.id);
  f.category = std::string(doc.category);
  f.severity = doc.severity;
  f.title = std::string(doc.title);
  f.confidence = 0.8;
  return f;
}

Finding NewFinding(const RuleDoc& doc, const ParsedInput& in, size_t incident) {
  Finding f = FindingOf(doc);
  if (incident < in.incidents.size()) {
    const Incident& inc = in.incidents[incident];
    f.incident = static_cast<int>(in.first_incident + incident);
    f.source = inc.source;
    f.first_seen = f.last_seen = inc.timestamp;
    if (std::optional<TestRef> t = TestOf(inc)) {
      f.test = t->name;
      f.test_package = t->package;
    }
    f.evidence.goroutines_total = inc.declared_total ? inc.declared_total : inc.goroutine_count;
    if (inc.first_line) f.evidence.input_lines.push_back(inc.first_line);
  }
  return f;
}

void AddDocRemediation(Finding* f, const RuleDoc& doc) {
  std::string_view fix = doc.fix;
  while (!fix.empty()) {
    size_t nl = fix.find('\n');
    std::string_view line = Trim(fix.substr(0, nl));
    if (!line.empty()) f->remediation.steps.emplace_back(line);
    if (nl == std::string_view::npos) break;
    fix.remove_prefix(nl + 1);
  }
  if (f->remediation.example_before.empty()) f->remediation.example_before = std::string(doc.before);
  if (f->remediation.example_after.empty()) f->remediation.example_after = std::string(doc.after);
}

Severity OneLower(Severity s) {
  return s == Severity::kInfo ? s : static_cast<Severity>(static_cast<int>(s) - 1);
}

std::string Count(uint64_t n, std::string_view singular, std::string_view plural) {
  std::string s = std::to_string(n) + " ";
  if (n == 1) return s + std::string(singular);
  return s + (plural.empty() ? std::string(singular) + "s" : std::string(plural));
}

void AddGroupEvidence(Finding* f, const GoroutineGroup& g, size_t max) {
  for (size_t i = 0; i < g.ids.size() && i < max; ++i) f->evidence.goroutine_ids.push_back(g.ids[i]);
  f->evidence.group_sizes.push_back(g.count);
  f->evidence.goroutines_involved += g.count;
  if (g.max_wait_minutes > f->evidence.max_wait_minutes) f->evidence.max_wait_minutes = g.max_wait_minutes;
  for (size_t i = 0; i < g.header_lines.size() && i < 3; ++i)
    f->evidence.input_lines.push_back(g.header_lines[i]);
  AddGroupLabels(&f->evidence, g);
}

namespace {

void AddLabelValue(Evidence* e, const Label& l, uint64_t n) {
  for (LabelValueCount& c : e->labels) {
    if (c.key == l.key && c.value == l.value) {
      c.count += n;
      return;
    }
  }
  // Bounded: a high-cardinality key (a request ID) keeps its first values.
  if (e->labels.size() >= 256) {
    e->labels_partial = true;
    return;
  }
  e->labels.push_back({l.key, l.value, n});
}

void SortLabels(Evidence* e) {
  std::stable_sort(e->labels.begin(), e->labels.end(), [](const LabelValueCount& a, const LabelValueCount& b) {
    if (a.key != b.key) return a.key < b.key;
    return a.count > b.count;
  });
}

bool NeedsQuoting(std::string_view s) {
  for (char c : s) {
    if (!(IsAlnum(c) || c == '.' || c == '/' || c == '_'))
      return true;
  }
  return false;
}

std::string Quote(std::string_view s) {
  if (!NeedsQuoting(s)) return std::string(s);
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q.push_back('\\');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

}  // namespace

void AddGroupLabels(Evidence* e, const GoroutineGroup& g) {
  if (g.labelled == 0) return;
  e->labelled += g.labelled;
  if (g.label_sets_other > 0) e->labels_partial = true;
  for (const LabelSetCount& s : g.label_sets)
    for (const Label& l : s.labels) AddLabelValue(e, l, s.count);
  SortLabels(e);
}

void AddGoroutineLabels(Evidence* e, const Goroutine& g) {
  if (g.labels.empty()) return;
  e->labelled += 1;
  for (const Label& l : g.labels) AddLabelValue(e, l, 1);
  SortLabels(e);
}

std::string FormatLabel(std::string_view key, std::string_view value) {
  return Quote(key) + "=" + Quote(value);
}

std::string LabelSentence(const Evidence& e, uint64_t goroutines) {
  if (e.labelled == 0 || e.labels.empty()) return "";
  std::vector<std::string> all, top;
  for (size_t i = 0; i < e.labels.size();) {
    size_t j = i;
    while (j < e.labels.size() && e.labels[j].key == e.labels[i].key) ++j;
    const LabelValueCount& first = e.labels[i];
    if (j - i == 1 && first.count == goroutines && e.labelled == goroutines && !e.labels_partial) {
      all.push_back(FormatLabel(first.key, first.value));
    } else {
      std::string t;
      for (size_t k = i; k < j && k < i + 3; ++k) {
        if (!t.empty()) t += ", ";
        t += FormatLabel(e.labels[k].key, e.labels[k].value) + " (" + std::to_string(e.labels[k].count) + ")";
      }
      if (j - i > 3) t += ", " + std::to_string(j - i - 3) + " more values";
      top.push_back(t);
    }
    i = j;
  }
  std::string s = " Goroutine labels: ";
  if (!all.empty()) {
    s += goroutines == 1 ? "it carries " : "all " + std::to_string(goroutines) + " carry ";
    for (size_t i = 0; i < all.size(); ++i) s += (i ? ", " : "") + all[i];
  }
  if (!top.empty()) {
    if (!all.empty()) s += "; ";
    if (e.labelled == goroutines)
      s += all.empty() ? "by value " : "other labels ";
    else
      s += std::to_string(e.labelled) + " of " + std::to_string(goroutines) + " labelled, ";
    for (size_t i = 0; i < top.size(); ++i) s += (i ? "; " : "") + top[i];
  }
  if (e.labels_partial) s += " (counts are lower bounds: more distinct label sets than kept)";
  return s + ".";
}

// Fills Finding::pod_ref: the pod of the finding's incident (its stream's
// `kubectl logs --prefix` tag or log path) or the pod object it is about,
// completed from the pod objects of the input with the same name (the
// namespace and node a `[pod/NAME/CONTAINER]` tag does not carry).
PodIndex::PodIndex(const ParsedInput& in) : in_(in) {
  by_name_.reserve(in.pods.size());
  for (size_t i = 0; i < in.pods.size(); ++i) by_name_.emplace(in.pods[i].name, i);
}

const PodStatus* PodIndex::Find(const PodRef& r) const {
  const PodStatus* p = nullptr;
  auto [it, end] = by_name_.equal_range(r.name);
  for (; it != end; ++it) {
    const PodStatus& q = in_.pods[it->second];
    if (!r.namespace_.empty() && !q.namespace_.empty() && q.namespace_ != r.namespace_) continue;
    if (p) return nullptr;  // the same name in two namespaces: which one is unknown
    p = &q;
  }
  return p;
}

void StampPod(const ParsedInput& in, const PodIndex& pods, Finding* f) {
  PodRef& r = f->pod_ref;
  if (const Incident* inc = in.IncidentAt(f->incident)) {
    if (r.empty()) r = inc->pod;
    if (f->incident_id.empty()) f->incident_id = inc->source + ":" + std::to_string(inc->first_line);
  }
  const PodStatus* p = nullptr;
  if (f->pod >= 0 && static_cast<size_t>(f->pod) < in.pods.size()) {
    p = &in.pods[static_cast<size_t>(f->pod)];
    if (r.name.empty()) r.name = p->name;
    if (!(r.name == p->name)) p = nullptr;
  }
  if (!p && !r.name.empty()) p = pods.Find(r);
  if (!p) return;
  if (r.namespace_.empty()) r.namespace_ = p->namespace_;
  if (r.node.empty()) r.node = p->node;
  if (r.container.empty() && p->containers.size() == 1) r.container = p->containers[0].name;
}

}  // namespace gotriage
