// The JSON report (`--format json`); its layout is documented in
// docs/gotriage.schema.json and versioned by kJsonSchemaVersion.
#include <algorithm>

#include "cli/escape.h"
#include "cli/json_writer.h"
#include "cli/render.h"
#include "parsers/gotest.h"
#include "rules/engine.h"
#include "rules/util.h"

namespace gotriage {

using nlohmann::json;

std::string DumpJson(const json& j, int indent) {
  // Invalid UTF-8 from the input is replaced, never written raw.
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

namespace {

// The parts of the report a large dump fills, written once for both sinks
// of cli/json_writer.h; keys in byte order (JsonText needs them so).
template <class W>
void WriteFrame(const Frame& f, W* w) {
  w->BeginObject();
  if (!f.args.empty()) {
    w->Key("args");
    w->String(f.args);
  }
  w->Key("file");
  w->String(f.file);
  w->Key("function");
  w->String(f.function);
  if (f.inlined) {
    w->Key("inlined");
    w->Bool(true);
  }
  w->Key("input_line");
  w->Uint(f.input_line);
  w->Key("kind");
  w->String(FrameKindName(f.kind));
  w->Key("line");
  w->Int(f.line);
  if (!f.module.empty()) {
    w->Key("module");
    w->String(f.module);
  }
  if (!f.module_version.empty()) {
    w->Key("module_version");
    w->String(f.module_version);
  }
  w->EndObject();
}

// As a json object of the labels: keys in order, and of a key given twice
// the last value (what assigning them one by one to an object keeps).
template <class W>
void WriteLabelMap(const std::vector<Label>& ls, W* w) {
  std::vector<const Label*> order;
  order.reserve(ls.size());
  for (const Label& l : ls) order.push_back(&l);
  std::stable_sort(order.begin(), order.end(), [](const Label* a, const Label* b) { return a->key < b->key; });
  w->BeginObject();
  for (size_t i = 0; i < order.size(); ++i) {
    if (i + 1 < order.size() && order[i + 1]->key == order[i]->key) continue;
    w->Key(order[i]->key);
    w->String(order[i]->value);
  }
  w->EndObject();
}

}  // namespace

json FrameJson(const Frame& f) {
  JsonTree t;
  WriteFrame(f, &t);
  return t.Take();
}

// Labels as the Go 1.27 runtime prints them (`{k: v, k2: "a b"}`) and as
// an object.
std::string LabelText(const std::vector<Label>& ls) {
  std::string t = "{";
  for (size_t i = 0; i < ls.size(); ++i) {
    std::string kv = FormatLabel(ls[i].key, ls[i].value);
    size_t eq = FormatLabel(ls[i].key, "").size() - 1;
    t += (i ? ", " : "") + kv.substr(0, eq) + ": " + kv.substr(eq + 1);
  }
  return t + "}";
}

namespace {

// `{"name": "TestField/a", "package": "example.com/field"}`.
json TestJson(const std::string& name, const std::string& package) {
  json t = {{"name", name}};
  if (!package.empty()) t["package"] = package;
  return t;
}


json CodeRefJson(const CodeRef& c) {
  json j = {{"function", c.function}, {"file", c.file}, {"line", c.line}, {"kind", c.kind}};
  if (!c.module.empty()) j["module"] = c.module;
  if (!c.module_version.empty()) j["module_version"] = c.module_version;
  if (c.input_line) j["input_line"] = c.input_line;
  if (!c.args.empty()) j["args"] = c.args;
  if (!c.nil_args.empty()) j["nil_args"] = c.nil_args;
  if (!c.source_line.empty()) j["source_line"] = c.source_line;
  return j;
}

json LabelMap(const std::vector<Label>& ls) {
  JsonTree t;
  WriteLabelMap(ls, &t);
  return t.Take();
}

}  // namespace

json LabelFilterJson(const LabelFilterReport& r) {
  json w = json::array();
  for (const Label& l : r.wanted) w.push_back({{"key", l.key}, {"value", l.value}});
  return {{"labels", std::move(w)},
          {"goroutines_kept", r.goroutines_kept},
          {"goroutines_filtered_out", r.goroutines_filtered_out},
          {"goroutines_unknown", r.goroutines_unknown},
          {"incidents_filtered_out", r.incidents_filtered_out}};
}

namespace {

json GoroutineJson(const Goroutine& g) {
  json frames = json::array();
  for (const Frame& f : g.frames) frames.push_back(FrameJson(f));
  json j = {{"id", g.id}, {"state", g.state}, {"wait", WaitKindName(g.wait)}, {"header_line", g.header_line}};
  j["frames"] = std::move(frames);
  if (g.wait_minutes >= 0) j["wait_minutes"] = g.wait_minutes;
  if (g.locked_to_thread) j["locked_to_thread"] = true;
  if (g.leaked) j["leaked"] = true;
  if (g.frames_elided) j["frames_elided"] = g.elided_count > 0 ? json(g.elided_count) : json(true);
  if (g.stack_unavailable) j["stack_unavailable"] = true;
  if (g.truncated) j["truncated"] = true;
  if (g.created_by) {
    j["created_by"] = FrameJson(*g.created_by);
    if (g.created_by_goroutine >= 0) j["created_by_goroutine"] = g.created_by_goroutine;
  }
  if (!g.labels.empty()) {
    j["labels"] = LabelText(g.labels);
    j["label_map"] = LabelMap(g.labels);
    if (g.labels_cut) j["labels_cut"] = true;
  }
  if (!g.ancestors.empty()) {
    json a = json::array();
    for (const Goroutine& x : g.ancestors) a.push_back(GoroutineJson(x));
    j["ancestors"] = std::move(a);
  }
  return j;
}

template <class W>
void WriteGroup(const GoroutineGroup& g, W* w) {
  const Goroutine* r = g.samples.empty() ? nullptr : &g.samples.front();
  w->BeginObject();
  w->Key("count");
  w->Uint(g.count);
  if (r && g.crash_site_frame >= 0) {
    w->Key("crash_site_frame");
    w->Int(g.crash_site_frame);
  }
  if (r && r->created_by) {
    w->Key("created_by");
    WriteFrame(*r->created_by, w);
  }
  if (r && g.first_app_frame >= 0) {
    w->Key("first_app_frame");
    w->Int(g.first_app_frame);
  }
  if (r) {
    w->Key("frames");
    w->BeginArray();
    for (const Frame& f : r->frames) WriteFrame(f, w);
    w->EndArray();
  }
  w->Key("ids");
  w->BeginArray();
  for (int64_t id : g.ids) w->Int(id);
  w->EndArray();
  if (g.labelled) {
    w->Key("label_sets");
    w->BeginArray();
    for (const LabelSetCount& s : g.label_sets) {
      w->BeginObject();
      w->Key("count");
      w->Uint(s.count);
      w->Key("labels");
      WriteLabelMap(s.labels, w);
      w->EndObject();
    }
    w->EndArray();
    if (g.label_sets_other) {
      w->Key("label_sets_other");
      w->Uint(g.label_sets_other);
    }
    w->Key("labelled");
    w->Uint(g.labelled);
  }
  if (r && !r->labels.empty()) {
    w->Key("labels");
    w->String(LabelText(r->labels));
  }
  if (g.any_leaked) {
    w->Key("leaked");
    w->Bool(true);
  }
  if (g.min_wait_minutes >= 0) {
    w->Key("max_wait_minutes");
    w->Int(g.max_wait_minutes);
    w->Key("min_wait_minutes");
    w->Int(g.min_wait_minutes);
  }
  w->Key("state");
  w->String(g.state);
  w->Key("wait");
  w->String(WaitKindName(g.wait));
  w->EndObject();
}

}  // namespace

// `namespace`, `pod`, `container`, `node` of \a p, those known, as strings.
static void PodRefJson(const PodRef& p, json* j) {
  if (!p.namespace_.empty()) (*j)["namespace"] = p.namespace_;
  if (!p.name.empty()) (*j)["pod"] = p.name;
  if (!p.container.empty()) (*j)["container"] = p.container;
  if (!p.node.empty()) (*j)["node"] = p.node;
}

namespace {

// The incident with an empty `groups` array, which IncidentJson and
// AppendIncidentJson fill.
json IncidentJsonWithoutGroups(const Incident& inc) {
  json j = {{"kind", IncidentKindName(inc.kind)},
            {"title", inc.Title()},
            {"source", inc.source},
            {"first_line", inc.first_line},
            {"last_line", inc.last_line},
            {"goroutines", inc.goroutine_count},
            {"partial", inc.partial}};
  if (inc.partial) j["partial_reason"] = inc.partial_reason;
  // A binary profile has no lines: its positions (first_line, last_line,
  // the input_lines of its findings) are 1-based sample numbers.
  if (inc.sample_positions) j["positions"] = "samples";
  if (inc.read_bottom_up) j["read_bottom_up"] = true;
  if (!inc.timestamp.empty()) j["timestamp"] = inc.timestamp;
  PodRefJson(inc.pod, &j);  // the pod whose output held it, when known
  if (!inc.twins.empty()) {
    // Identical incidents of later inputs, folded into this one.
    json twins = json::array();
    for (const Occurrence& o : inc.twins) {
      json x = {{"source", o.source}, {"first_line", o.first_line}, {"last_line", o.last_line}};
      if (!o.timestamp.empty()) x["timestamp"] = o.timestamp;
      PodRefJson(o.pod, &x);
      twins.push_back(std::move(x));
    }
    j["twins"] = std::move(twins);
  }
  if (inc.declared_total) j["declared_total"] = inc.declared_total;
  if (!inc.panics.empty()) {
    json p = json::array();
    for (const PanicValue& v : inc.panics) {
      json x = {{"message", v.message}, {"recovered", v.recovered}, {"input_line", v.input_line}};
      if (v.repanicked) x["repanicked"] = true;
      if (v.goexit) x["goexit"] = true;
      p.push_back(std::move(x));
    }
    j["panics"] = std::move(p);
  }
  if (!inc.fatal_error.empty()) j["fatal_error"] = inc.fatal_error;
  if (inc.signal) {
    const SignalInfo& s = *inc.signal;
    json x = {{"name", s.name}, {"description", s.description}, {"code", s.code}};
    if (s.has_addr) x["addr"] = s.addr;
    if (s.pc) x["pc"] = s.pc;
    j["signal"] = std::move(x);
  }
  if (!inc.runtime_messages.empty()) j["runtime_messages"] = inc.runtime_messages;
  if (inc.exit_status >= 0) j["exit_status"] = inc.exit_status;
  if (!inc.timeout.empty()) j["timeout"] = inc.timeout;
  if (!inc.running_tests.empty()) j["running_tests"] = inc.running_tests;
  if (std::optional<TestRef> t = TestOf(inc)) j["test"] = TestJson(t->name, t->package);
  if (inc.crashing) j["crashing"] = GoroutineJson(*inc.crashing);
  if (inc.runtime_stack) j["runtime_stack"] = GoroutineJson(*inc.runtime_stack);
  j["groups"] = json::array();
  j["group_count"] = inc.groups.size();
  if (inc.top) {
    json rows = json::array();
    for (const ProfileTopRow& r : inc.top->rows) {
      json x = {{"function", r.function}, {"flat", r.flat},         {"flat_pct", r.flat_pct},
                {"cum", r.cum},           {"cum_pct", r.cum_pct},   {"input_line", r.input_line}};
      if (!r.file.empty()) x["file"] = r.file;
      rows.push_back(std::move(x));
    }
    j["top"] = {{"unit", inc.top->unit}, {"total", inc.top->total}};
    j["top"]["rows"] = std::move(rows);
  }
  if (inc.fatal_record) {
    const FatalRecord& r = *inc.fatal_record;
    json x = {{"format", r.format}, {"level", r.level}, {"message", r.message}, {"input_line", r.input_line}};
    if (!r.error.empty()) x["error"] = r.error;
    if (!r.caller.empty()) x["caller"] = r.caller;
    if (!r.function.empty()) x["function"] = r.function;
    j["fatal_record"] = std::move(x);
  }
  if (inc.oom_kill) {
    const KernelOomKill& k = *inc.oom_kill;
    json x = {{"process", k.process}, {"pid", k.pid}, {"cgroup_limit", k.cgroup}, {"node_out_of_memory", k.node},
              {"input_line", k.input_line}};
    if (k.anon_rss_kb) x["anon_rss_kb"] = k.anon_rss_kb;
    if (k.total_vm_kb) x["total_vm_kb"] = k.total_vm_kb;
    if (!k.constraint.empty()) x["constraint"] = k.constraint;
    if (!k.memcg.empty()) x["memcg"] = k.memcg;
    if (!k.invoker.empty()) x["invoker"] = k.invoker;
    j["oom_kill"] = std::move(x);
  }
  if (inc.race) {
    json acc = json::array();
    for (const RaceAccess& a : inc.race->accesses) {
      json frames = json::array();
      for (const Frame& f : a.frames) frames.push_back(FrameJson(f));
      json created = json::array();
      for (const Frame& f : a.created_at) created.push_back(FrameJson(f));
      acc.push_back({{"kind", a.kind},
                     {"address", a.address},
                     {"goroutine", a.goroutine},
                     {"frames", frames},
                     {"created_at", created},
                     {"goroutine_status", a.goroutine_status}});
    }
    json r = json::object();
    r["accesses"] = std::move(acc);
    if (!inc.race->global_var.empty()) r["location"] = inc.race->global_var;
    if (!inc.race->test_name.empty()) r["test"] = inc.race->test_name;
    j["race"] = std::move(r);
  }
  return j;
}

// Where the empty array of \a key is in \a text (dumped with an indent of
// 2, the key \a indent spaces in), from \a from: the offset of its `[`, or
// npos. A JSON string holds no raw newline and the keys of nested objects
// sit deeper, so only the key itself matches. The slot a report or an
// incident leaves for what is written into it afterwards.
size_t EmptyArraySlot(std::string_view text, size_t from, unsigned indent, std::string_view key) {
  std::string slot = "\n" + std::string(indent, ' ') + "\"" + std::string(key) + "\": []";
  size_t at = text.find(slot, from);
  return at == std::string_view::npos ? at : at + slot.size() - 2;
}

}  // namespace

json IncidentJson(const Incident& inc, size_t max_groups) {
  json j = IncidentJsonWithoutGroups(inc);
  json& groups = j["groups"];
  for (size_t i = 0; i < inc.groups.size() && i < max_groups; ++i) {
    JsonTree t;
    WriteGroup(inc.groups[i], &t);
    groups.push_back(t.Take());
  }
  return j;
}

void AppendIncidentJson(const Incident& inc, size_t max_groups, unsigned indent, std::string* out,
                        std::ostream* flush_to) {
  size_t start = out->size();
  nlohmann::detail::serializer<json> dump(nlohmann::detail::output_adapter<char>(*out), ' ',
                                          json::error_handler_t::replace);
  dump.dump(IncidentJsonWithoutGroups(inc), true, false, 2, indent);
  // The groups, written straight into the slot left for them (the incident
  // always has one): the rest of the incident (a few keys after `groups`)
  // is set aside and put back after them, so that the groups, most of a
  // large report, are not written elsewhere and copied in.
  size_t at = EmptyArraySlot(*out, start, indent + 2, "groups");
  std::string rest = out->substr(at + 2);
  out->resize(at);
  JsonText w(out, 2, indent + 2);
  w.BeginArray();
  for (size_t i = 0; i < inc.groups.size() && i < max_groups; ++i) {
    WriteGroup(inc.groups[i], &w);
    if (flush_to && out->size() >= kFlushBytes) {
      flush_to->write(out->data(), static_cast<std::streamsize>(out->size()));
      out->clear();
    }
  }
  w.EndArray();
  out->append(rest);
}

json FindingJson(const Finding& f) {
  json j = {{"rule_id", f.rule_id},
            {"category", f.category},
            {"severity", SeverityName(f.severity)},
            {"confidence", f.confidence},
            {"title", f.title},
            {"summary", f.summary},
            {"fingerprint", f.fingerprint},
            {"fingerprint_version", kFingerprintVersion},
            {"occurrences", f.occurrences},
            {"source", f.source}};
  if (f.amendment) j["amendment"] = true;
  if (!f.test.empty()) j["test"] = TestJson(f.test, f.test_package);
  if (f.input_count > 1) {
    j["inputs"] = f.input_count;
    j["input_sources"] = f.input_sources;
  }
  if (f.culprit) j["culprit"] = CodeRefJson(*f.culprit);
  if (f.app_frame) j["app_frame"] = CodeRefJson(*f.app_frame);
  const Evidence& e = f.evidence;
  json ev = {{"goroutine_ids", e.goroutine_ids},
             {"group_sizes", e.group_sizes},
             {"goroutines_involved", e.goroutines_involved},
             {"goroutines_total", e.goroutines_total},
             {"input_lines", e.input_lines},
             {"details", e.details}};
  if (e.max_wait_minutes >= 0) ev["max_wait_minutes"] = e.max_wait_minutes;
  if (e.labelled) {
    json ls = json::array();
    for (const LabelValueCount& l : e.labels) ls.push_back({{"key", l.key}, {"value", l.value}, {"count", l.count}});
    ev["labels"] = std::move(ls);
    ev["labelled"] = e.labelled;
    if (e.labels_partial) ev["labels_partial"] = true;
  }
  j["evidence"] = std::move(ev);
  j["remediation"] = {{"steps", f.remediation.steps},
                      {"example_before", f.remediation.example_before},
                      {"example_after", f.remediation.example_after}};
  if (f.incident >= 0) j["incident"] = f.incident;
  if (!f.incident_id.empty()) j["incident_id"] = f.incident_id;
  PodRefJson(f.pod_ref, &j);
  if (f.pods.size() > 1) {
    json ps = json::array();
    for (const PodRef& p : f.pods) {
      json x = json::object();
      PodRefJson(p, &x);
      ps.push_back(std::move(x));
    }
    j["pods"] = std::move(ps);
    j["pod_count"] = f.pod_count;
  }
  if (!f.first_seen.empty()) j["first_seen"] = f.first_seen;
  if (!f.last_seen.empty()) j["last_seen"] = f.last_seen;
  return j;
}

json ReportJson(const ParsedInput& in, const std::vector<Finding>& findings,
                const RenderOptions& opts, bool with_incidents) {
  json fs = json::array();
  for (const Finding& f : findings) fs.push_back(FindingJson(f));
  json incs = json::array();
  bool partial = false;
  for (const Incident& inc : in.incidents) {
    if (with_incidents) incs.push_back(IncidentJson(inc, opts.verbose ? SIZE_MAX : 50));
    partial |= inc.partial;
  }
  json pods = json::array();
  for (const PodStatus& p : in.pods) {
    json cs = json::array();
    for (const ContainerStatus& c : p.containers) {
      json x = {{"name", c.name}, {"state", c.state}, {"ready", c.ready}};
      if (!c.state_reason.empty()) x["state_reason"] = c.state_reason;
      if (c.restart_count >= 0) x["restart_count"] = c.restart_count;
      if (!c.last_state.empty()) {
        json ls = {{"state", c.last_state}, {"reason", c.last_reason}};
        if (c.last_exit_code >= 0) ls["exit_code"] = c.last_exit_code;
        if (c.last_signal >= 0) ls["signal"] = c.last_signal;
        if (!c.last_started.empty()) ls["started"] = c.last_started;
        if (!c.last_finished.empty()) ls["finished"] = c.last_finished;
        if (c.last_uptime_seconds >= 0) ls["uptime_seconds"] = c.last_uptime_seconds;
        x["last_state"] = std::move(ls);
      }
      if (!c.memory_limit.empty()) x["memory_limit"] = c.memory_limit;
      if (!c.memory_request.empty()) x["memory_request"] = c.memory_request;
      if (!c.liveness.empty()) x["liveness"] = c.liveness;
      cs.push_back(std::move(x));
    }
    json ev = json::array();
    for (const PodEvent& e : p.events)
      ev.push_back({{"type", e.type}, {"reason", e.reason}, {"age", e.age}, {"from", e.from},
                    {"message", e.message}});
    pods.push_back({{"name", p.name}, {"namespace", p.namespace_}, {"node", p.node},
                    {"status", p.status}, {"containers", cs}, {"events", ev},
                    {"source", p.source}, {"first_line", p.first_line}});
  }
  json limits = json::array();
  for (const LimitNote& l : in.limits_hit) limits.push_back({{"what", l.what}, {"count", l.count}});
  Severity highest = Severity::kInfo;
  for (const Finding& f : findings) highest = std::max(highest, f.severity);
  json summary = {{"incidents", in.incidents.size()},
                  {"findings", findings.size()},
                  {"highest_severity", findings.empty() ? json(nullptr) : json(SeverityName(highest))},
                  {"partial", partial || !in.warnings.empty() || !in.limits_hit.empty()},
                  {"bytes", in.bytes},
                  {"lines", in.lines},
                  {"lines_in_traces", in.lines_in_traces},
                  {"lines_unplaced", in.lines_unplaced},
                  {"main_module", in.main_module}};
  if (uint64_t read = in.IncidentsRead(); read != in.incidents.size()) summary["incidents_read"] = read;
  // Moved in, not listed in an initializer list: that would copy each
  // subtree (the groups' frames make most of a large report).
  json report = {{"schema_version", kJsonSchemaVersion},
                 {"tool", {{"name", "gotriage"}, {"version", GOTRIAGE_VERSION}}},
                 {"inputs", in.sources},
                 {"warnings", in.warnings}};
  report["summary"] = std::move(summary);
  report["findings"] = std::move(fs);
  report["incidents"] = std::move(incs);
  report["pods"] = std::move(pods);
  report["limits_hit"] = std::move(limits);
  if (in.label_filter) report["label_filter"] = LabelFilterJson(*in.label_filter);
  return report;
}

void RenderJson(const ParsedInput& in, const std::vector<Finding>& findings,
                const RenderOptions& opts, std::ostream& os) {
  // The incidents are written one at a time, each as it would appear in
  // the whole document: a fleet's thousands of them are never one tree in
  // memory (the report is byte for byte what dumping the whole tree gives).
  std::string doc = DumpJson(ReportJson(in, findings, opts, false), 2);
  size_t at = in.incidents.empty() ? std::string::npos : EmptyArraySlot(doc, 0, 2, "incidents");
  if (at == std::string::npos) {
    os << doc << '\n';
    return;
  }
  ++at;  // at the closing bracket
  os.write(doc.data(), static_cast<std::streamsize>(at));
  std::string one;
  for (size_t i = 0; i < in.incidents.size(); ++i) {
    one.assign(i ? ",\n    " : "\n    ");
    // Nested two levels deep, as dump() writes it inside the whole tree;
    // its groups written out as they come, a few at a time.
    AppendIncidentJson(in.incidents[i], opts.verbose ? SIZE_MAX : 50, 4, &one, &os);
    os.write(one.data(), static_cast<std::streamsize>(one.size()));
  }
  os << "\n  ";
  os.write(doc.data() + at, static_cast<std::streamsize>(doc.size() - at));
  os << '\n';
}

void RenderRuleListJson(std::ostream& out) {
  json rs = json::array();
  for (const auto& r : Catalog()) {
    const RuleDoc& d = r->doc();
    rs.push_back({{"id", d.id}, {"severity", SeverityName(d.severity)}, {"category", d.category},
                  {"title", d.title}, {"since", d.since}});
  }
  out << DumpJson(json{{"schema_version", kJsonSchemaVersion}, {"rules", rs}}, 2) << "\n";
}

}  // namespace gotriage
