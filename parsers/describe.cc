// Parser of `kubectl describe pod` and of pod objects in the text stream
// (whole `kubectl get pod -o json|yaml` documents are read by
// pod_object.cc, their YAML by pod_yaml.cc); see describe.h.
//
// Over 600 lines: describe text is one state machine (describe sections,
// the Events table, loose event and kernel lines, `kubectl get pods`
// tables, and finding where an object document starts and ends), whose
// states share the pod being built; split further it would pass that state
// between files.
#include "parsers/describe.h"

#include <nlohmann/json.hpp>

#include "base/chars.h"
#include "base/strings.h"
#include "parsers/grouping.h"
#include "parsers/k8s_events.h"
#include "parsers/pod_object.h"
#include "parsers/pod_yaml.h"

namespace gotriage {

namespace {

using nlohmann::json;

constexpr size_t kMaxDocumentBytes = 16 << 20;

// `Key:   value` with a describe-style key (letters, digits, spaces, `_./-`;
// redacted keys such as `xxxxxx Code` pass). The colon must be followed by
// a space or end the line, so `node.kubernetes.io/unreachable:NoExecute`
// is not a key.
bool SplitField(std::string_view t, std::string_view* key, std::string_view* value) {
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 64) return false;
  if (colon + 1 < t.size() && t[colon + 1] != ' ' && t[colon + 1] != '\t') return false;
  std::string_view k = t.substr(0, colon);
  char c0 = k[0];
  if (!((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z'))) return false;
  for (char c : k) {
    bool ok = IsAlnum(c) || c == ' ' || c == '_' || c == '.' || c == '/' || c == '-';
    if (!ok) return false;
  }
  *key = k;
  *value = Trim(t.substr(colon + 1));
  return true;
}

// A container name line: `  app:` (a DNS label, nothing after the colon).
bool IsContainerName(std::string_view t, std::string_view* name) {
  t = Trim(t);
  if (t.size() < 2 || t.back() != ':') return false;
  std::string_view n = t.substr(0, t.size() - 1);
  if (!((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= '0' && n[0] <= '9'))) return false;
  for (char c : n) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  *name = n;
  return true;
}

// Keys that only occur under a container's `State:` / `Last State:`. A paste
// that lost its indentation (every line flush left, or `Reason:` level with
// `Last State:`) still means them as that state's fields.
bool StateSubKey(std::string_view k) {
  return k == "Reason" || k == "Exit Code" || k == "Signal" || k == "Started" || k == "Finished" ||
         k == "Message";
}

// Keys of a describe container section (its own and its states' fields):
// after `Containers:` in a paste whose indentation was lost, these lines
// still belong to the container, not to the pod.
bool ContainerKey(std::string_view k) {
  static constexpr std::string_view kKeys[] = {
      "Container ID", "Image",   "Image ID", "Port",     "Ports",       "Host Port", "Host Ports",
      "Command",      "Args",    "State",    "Last State", "Ready",     "Restart Count",
      "Limits",       "Requests", "Liveness", "Readiness", "Startup",   "Environment", "Mounts",
      "cpu",          "memory"};
  for (std::string_view x : kKeys)
    if (k == x) return true;
  return StateSubKey(k);
}

// A kubelet event message anywhere in a line, whatever table, log or prose
// carries it: `Liveness probe failed: ...` (or `errored:`, `error:`), `Container NAME failed liveness
// probe, will be restarted`, `Back-off restarting failed container ...`
// (also inside an old `FailedSync ... CrashLoopBackOff: "..."` message).
// Sets the event's reason and message and, for a back-off, the container's
// name when the message gives it. False for any other line.
bool KubeletEventIn(std::string_view t, PodEvent* e, std::string_view* backoff_container) {
  size_t at = t.find("iveness probe");
  if (at != std::string_view::npos && at > 0) {
    size_t kill = t.find("failed liveness probe, will be restarted");
    if (kill != std::string_view::npos) {
      size_t c = t.rfind("Container ", kill);
      e->reason = "Killing";
      e->type = "Normal";
      e->message = std::string(Trim(t.substr(c == std::string_view::npos ? kill : c)));
      return true;
    }
    // Every wording a kubelet gives a failing liveness probe: `failed:`
    // (the probe ran and failed), `errored:` (it could not run; the same
    // Unhealthy event since Kubernetes 1.20) and OpenShift's ProbeError
    // event, `Liveness probe error: ... body: ...`.
    static constexpr struct {
      std::string_view words, reason;
    } kProbeEvents[] = {{"Liveness probe failed", "Unhealthy"},
                        {"Liveness probe errored", "Unhealthy"},
                        {"Liveness probe error:", "ProbeError"}};
    if (t[at - 1] != 'L') return false;
    std::string_view from = t.substr(at - 1);
    for (const auto& p : kProbeEvents) {
      if (!from.starts_with(p.words)) continue;
      e->reason = std::string(p.reason);
      e->type = "Warning";
      e->message = std::string(Trim(from));
      return true;
    }
    return false;
  }
  // `Back-off restarting failed container NAME in pod ...`, and the old
  // `Back-off 5m0s restarting failed container=NAME pod=...`.
  at = t.find("restarting failed container");
  size_t b = at == std::string_view::npos ? at : t.rfind("ack-off", at);
  if (b != std::string_view::npos && b > 0 && at - b <= 16) {
    e->reason = "BackOff";
    e->type = "Warning";
    e->message = std::string(Trim(t.substr(b - 1)));
    std::string_view rest = t.substr(at + 27);
    if (rest.starts_with("=") || rest.starts_with(" ")) {
      rest.remove_prefix(1);
      size_t end = 0;
      while (end < rest.size() && ((rest[end] >= 'a' && rest[end] <= 'z') ||
                                   (rest[end] >= '0' && rest[end] <= '9') || rest[end] == '-' ||
                                   rest[end] == '.'))
        ++end;
      *backoff_container = rest.substr(0, end);
    }
    return true;
  }
  return false;
}

// The STATUS column of `kubectl get pods`.
bool PodStatusWord(std::string_view s) {
  static constexpr std::string_view kWords[] = {
      "Running", "Pending", "Completed", "CrashLoopBackOff", "Error", "OOMKilled", "Terminating",
      "ContainerCreating", "ImagePullBackOff", "ErrImagePull", "Evicted", "PodInitializing",
      "Unknown", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
      "ContainerStatusUnknown", "NotReady"};
  for (std::string_view w : kWords)
    if (s == w) return true;
  return s.starts_with("Init:") || s.starts_with("ExitCode:") || s.starts_with("Signal:");
}

// Cells of a table row: runs of text separated by two or more spaces (a
// cell may hold single spaces: `16 (5m13s ago)`), with their offsets.
std::vector<std::pair<std::string_view, size_t>> Cells(std::string_view t) {
  std::vector<std::pair<std::string_view, size_t>> out;
  size_t i = 0;
  while (i < t.size() && out.size() < 16) {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    if (i >= t.size()) break;
    size_t b = i;
    while (i < t.size() && t[i] != '\t' && !(t[i] == ' ' && (i + 1 >= t.size() || t[i + 1] == ' ')))
      ++i;
    out.emplace_back(t.substr(b, i - b), b);
  }
  return out;
}

// `N/M` of the READY column.
bool ReadyCell(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= s.size() || s.size() > 7) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (i != slash && !(s[i] >= '0' && s[i] <= '9')) return false;
  return true;
}

// `timeout=3s` in a describe probe line; -1 when absent.
int ProbeParam(std::string_view probe, std::string_view key) {
  size_t at = probe.find(key);
  if (at == std::string_view::npos) return -1;
  std::string_view v = probe.substr(at + key.size());
  size_t end = 0;
  while (end < v.size() && v[end] >= '0' && v[end] <= '9') ++end;
  return end ? K8sInt(v.substr(0, end)) : -1;
}

void SetLiveness(ContainerStatus* c, std::string_view probe) {
  c->liveness = std::string(probe);
  c->liveness_timeout_seconds = ProbeParam(probe, "timeout=");
  c->liveness_period_seconds = ProbeParam(probe, "period=");
  c->liveness_failure_threshold = ProbeParam(probe, "#failure=");
}

}  // namespace

DescribeParser::DescribeParser(ParseContext* ctx) : ctx_(ctx) {}
DescribeParser::~DescribeParser() = default;

// A pod known only from a loose line (an event, a kernel OOM line, a lone
// `Reason: CrashLoopBackOff`): a describe whose events section is open.
void DescribeParser::OpenLoosePod(const Line& line) {
  mode_ = Mode::kDescribe;
  NewPod(line);
  confirmed_ = true;
  loose_ = true;
  section_ = Section::kEvents;
}

void DescribeParser::NewPod(const Line& line) {
  EndPod();
  pod_ = std::make_unique<PodStatus>();
  pod_->first_line = pod_->last_line = line.lineno;
  pod_->source = ctx_->source;
  pod_->format = "describe";
  section_ = Section::kPod;
  sub_ = Sub::kNone;
  field_indent_ = 0;
  noise_ = 0;
  loose_ = false;
  event_cols_.clear();
}

void DescribeParser::EndPod() {
  if (!pod_) return;
  if (confirmed_) {
    for (auto& c : pod_->containers) ComputeUptime(&c);
    ctx_->AddPod(std::move(*pod_));
  }
  pod_.reset();
  confirmed_ = false;
}

ContainerStatus& DescribeParser::Container(const Line& line, std::string_view name) {
  if (!name.empty() && pod_->containers.size() >= 256) {  // bounded on hostile input
    NoteLimit(&ctx_->out->limits_hit, "containers per pod");
    return pod_->containers.back();
  }
  if (!name.empty() || pod_->containers.empty()) {
    pod_->containers.emplace_back();
    pod_->containers.back().name = std::string(name);
    pod_->containers.back().first_line = line.lineno;
    sub_ = Sub::kNone;
  }
  return pod_->containers.back();
}

bool DescribeParser::LooseEvent(const Line& line, std::string_view t, bool first) {
  if (OldEventRow(line, t, first)) return true;
  // A container's waiting reason on a line of its own, outside any
  // describe or document (a console UI's container table, a grep):
  // `Reason: CrashLoopBackOff`.
  if (std::string_view b = Trim(t); b.size() < 40 && (b.starts_with("Reason:") || b.starts_with("reason:")) &&
                                    Trim(b.substr(7)) == "CrashLoopBackOff") {
    if (first) OpenLoosePod(line);
    if (pod_->containers.empty()) {
      pod_->containers.emplace_back();
      pod_->containers.back().first_line = line.lineno;
    }
    pod_->containers.back().state = "Waiting";
    pod_->containers.back().state_reason = "CrashLoopBackOff";
    pod_->last_line = line.lineno;
    return true;
  }
  // Cheap gate: every message KubeletEventIn knows holds one of these.
  if (t.find("iveness probe") == std::string_view::npos &&
      t.find("restarting failed container") == std::string_view::npos)
    return false;
  PodEvent e;
  std::string_view backoff;
  if (!KubeletEventIn(t, &e, &backoff)) return false;
  if (first) OpenLoosePod(line);
  e.input_line = line.lineno;
  if (size_t x = t.find("(x"); x != std::string_view::npos && x < t.find(e.message)) {
    int n = K8sInt(t.substr(x + 2, t.find_first_not_of("0123456789", x + 2) - x - 2));
    if (n > 0) e.count = n;
  }
  if (!backoff.empty() || e.reason == "BackOff") {
    // The kubelet backs off a container that keeps exiting: a crash loop.
    ContainerStatus* c = nullptr;
    for (auto& x : pod_->containers)
      if (x.name == backoff) c = &x;
    if (!c && pod_->containers.size() < 256) {
      pod_->containers.emplace_back();
      c = &pod_->containers.back();
      c->name = std::string(backoff);
      c->first_line = line.lineno;
    }
    if (c) {
      c->state = "Waiting";
      c->state_reason = "CrashLoopBackOff";
    }
  }
  if (pod_->events.size() < 1000) pod_->events.push_back(std::move(e));
  pod_->last_line = line.lineno;
  return true;
}

bool DescribeParser::OldEventRow(const Line& line, std::string_view t, bool first) {
  // An event row as kubectl printed it in 2015-16 (`get events`, and the
  // Events of `describe`): tab-separated FIRSTSEEN LASTSEEN COUNT FROM
  // SUBOBJECTPATH REASON MESSAGE, empty cells left in, the source in braces
  // (`{kubelet 127.0.0.1}`), the container as `spec.containers{NAME}`, the
  // reason lower-case (`killing`), the message without the probe's reason
  // (`Killing 0b7743acd1a5`).
  // Cells end at a tab, or at two spaces (the tabwriter's padding, or
  // tabs a paste turned into spaces): Cells.
  size_t k = t.find("{kubelet ");
  if (k == std::string_view::npos || k < 2 || (t[k - 1] != '\t' && t.substr(k - 2, 2) != "  ")) return false;
  std::vector<std::string_view> cells;
  for (const auto& c : Cells(t)) cells.push_back(c.first);
  size_t n = cells.size();
  size_t from = 0;
  while (from < n && !(cells[from].starts_with("{kubelet ") && cells[from].ends_with("}"))) ++from;
  if (from < 1 || from + 2 >= n) return false;
  int count = K8sInt(cells[from - 1]);
  if (count < 1) return false;
  size_t at = from + 1;
  std::string_view container;
  if (cells[at].starts_with("spec.containers{") && cells[at].ends_with("}")) {
    container = cells[at].substr(16, cells[at].size() - 17);
    ++at;
  } else if (cells[at].starts_with("spec.") || cells[at].starts_with("implicitly required container ")) {
    ++at;
  }
  if (at + 1 >= n) return false;
  std::string_view reason = cells[at];
  if (reason.empty() || reason.size() > 40 || reason.find(' ') != std::string_view::npos) return false;
  if (first) OpenLoosePod(line);
  PodEvent e;
  e.reason = std::string(reason);
  if (e.reason[0] >= 'a' && e.reason[0] <= 'z') e.reason[0] = static_cast<char>(e.reason[0] - 'a' + 'A');
  e.from = "kubelet";
  if (from >= 2) e.age = std::string(cells[from - 2]);  // LASTSEEN
  e.count = count;
  for (size_t k = at + 1; k < n; ++k) {
    if (!e.message.empty()) e.message += ' ';
    e.message.append(cells[k]);
  }
  e.input_line = line.lineno;
  if (!container.empty() && container.size() <= 63) {
    bool known = false;
    for (const ContainerStatus& c : pod_->containers) known |= c.name == container;
    if (!known && pod_->containers.size() < 256) {
      pod_->containers.emplace_back();
      pod_->containers.back().name = std::string(container);
      pod_->containers.back().first_line = line.lineno;
    }
  }
  if (pod_->events.size() < 1000) pod_->events.push_back(std::move(e));
  pod_->last_line = line.lineno;
  return true;
}

bool DescribeParser::Start(const Line& line) {
  std::string_view t = TrimRight(line.text);
  if (t.empty()) return false;
  size_t indent = LeadingSpaces(t);
  std::string_view body = t.substr(indent);
  if (t == "{") {
    mode_ = Mode::kJson;
    json_fragment_ = false;
    doc_.assign("{\n");
    depth_ = 1;
    in_string_ = escaped_ = false;
    confirmed_ = false;
    doc_first_line_ = line.lineno;
    doc_lines_ = 1;
    return true;
  }
  // A pod's status as JSON without its document: a container's state or
  // the containerStatuses array, cut out of `kubectl get pod -o json`.
  if (body == "\"state\": {" || body == "\"lastState\": {" || body == "\"lastTerminationState\": {" ||
      body == "\"containerStatuses\": [") {
    mode_ = Mode::kJson;
    json_fragment_ = true;
    doc_.assign(body);
    doc_.push_back('\n');
    depth_ = 1;
    in_string_ = escaped_ = false;
    confirmed_ = true;
    doc_first_line_ = line.lineno;
    doc_lines_ = 1;
    return true;
  }
  if (indent == 0 && (t == "apiVersion: v1" || t == "kind: Pod" || t == "kind: List" || t == "status:")) {
    fragment_ = false;
    mode_ = Mode::kYaml;
    yaml_top_key_.assign(t.substr(0, t.find(':')));  // apiVersion, kind or status
    doc_.assign(t);
    doc_.push_back('\n');
    confirmed_ = false;
    doc_first_line_ = line.lineno;
    doc_lines_ = 1;
    return true;
  }
  if (indent <= 4 && (body[0] == 'N' || body[0] == 'L' || body[0] == 'T' || body[0] == 'F') &&
      TableHeader(line, body))
    return true;
  // A pod's status as YAML without its document: `status:` with its
  // containers, or `containerStatuses:` / `lastState:` pasted alone.
  if (body == "containerStatuses:" || body == "lastState:" || body == "initContainerStatuses:") {
    mode_ = Mode::kYaml;
    fragment_ = true;
    fragment_indent_ = indent;
    fragment_last_ = false;
    doc_.assign(body == "lastState:" ? "status:\n  containerStatuses:\n  - name: \"\"\n    lastState:\n"
                                     : "status:\n  " + std::string(body) + "\n");
    fragment_last_ = body == "lastState:";
    confirmed_ = true;
    doc_first_line_ = line.lineno;
    doc_lines_ = 1;
    return true;
  }
  // Rows of a describe Events table pasted without `Events:` and header.
  if ((StartsWith(body, "Normal ") || StartsWith(body, "Warning ")) &&
      body.find("  ", body.find(' ')) != std::string_view::npos) {
    std::string_view after = TrimLeft(body.substr(body.find(' ')));
    size_t gap = after.find("  ");
    if (body.substr(body.find(' '), 2) == "  " && !after.empty() && gap != 0) {
      mode_ = Mode::kDescribe;
      NewPod(line);
      confirmed_ = true;
      section_ = Section::kEvents;
      EventLine(line, t);
      return true;
    }
  }
  std::string_view key, value;
  if (!SplitField(body, &key, &value)) return HeaderlessPodRow(line, t) || LooseEvent(line, t, /*first=*/true);
  if (indent == 0 && key == "Name" && !value.empty() && value.find(' ') == std::string_view::npos) {
    mode_ = Mode::kDescribe;
    NewPod(line);
    pod_->name = std::string(value);
    return true;
  }
  if (indent == 0 && key == "Events" && (value.empty() || value == "<none>")) {
    mode_ = Mode::kDescribe;
    NewPod(line);
    confirmed_ = true;
    section_ = Section::kEvents;
    return true;
  }
  // A container section pasted alone: `    Last State:  Terminated`.
  bool state = (key == "State" || key == "Last State") &&
               (value == "Running" || value == "Waiting" || value == "Terminated");
  bool id = key == "Container ID" && value.find("://") != std::string_view::npos;
  // Flush left too (`State:  Terminated` as the first line of a paste):
  // the value pins it to a container state.
  if ((indent > 0 && (state || id)) || (indent == 0 && state)) {
    mode_ = Mode::kDescribe;
    NewPod(line);
    confirmed_ = true;
    section_ = Section::kContainers;
    std::string_view name;
    if (!ctx_->recent.empty() && IsContainerName(ctx_->recent.back(), &name)) {
      Container(line, name);
    } else {
      Container(line, "");
    }
    ContainerField(line, indent, key, value);
    return true;
  }
  if (HeaderlessPodRow(line, t)) return true;
  return LooseEvent(line, t, /*first=*/true);
}

bool DescribeParser::HeaderlessPodRow(const Line& line, std::string_view t) {
  // A `kubectl get pods` row pasted without its header (`-A` rows, a
  // grep, `--no-headers`): [NAMESPACE] NAME READY STATUS RESTARTS AGE,
  // recognised by READY (`N/M`), a known STATUS and a numeric RESTARTS.
  if (t.find('/') == std::string_view::npos) return false;
  auto cells = Cells(t);
  if ((cells.size() == 2 || cells.size() == 3) && ReadyCell(cells.back().first) &&
      cells[cells.size() - 2].first.find('/') == std::string_view::npos &&
      cells[cells.size() - 2].first.find(' ') == std::string_view::npos) {
    // Hard-wrapped after READY (a narrow terminal or the issue editor):
    // the rest of the row is on the next line.
    wrapped_.assign(t);
    mode_ = Mode::kTable;
    header_timestamped_ = true;  // a pod row has no TIME column
    header_envelope_ = SIZE_MAX / 2;
    table_pods_.clear();
    columns_.clear();
    return true;
  }
  if (cells.size() < 4) return false;
  for (size_t i = 1; i + 2 < cells.size() && i <= 2; ++i) {
    if (!ReadyCell(cells[i].first) || !PodStatusWord(cells[i + 1].first)) continue;
    std::string_view r = cells[i + 2].first;
    if (r.empty() || r[0] < '0' || r[0] > '9') continue;
    columns_.clear();
    if (i == 2) columns_.emplace_back("NAMESPACE", cells[0].second);
    columns_.emplace_back("NAME", cells[i - 1].second);
    columns_.emplace_back("READY", cells[i].second);
    columns_.emplace_back("STATUS", cells[i + 1].second);
    columns_.emplace_back("RESTARTS", cells[i + 2].second);
    if (i + 3 < cells.size()) columns_.emplace_back("AGE", cells[i + 3].second);
    table_ = Table::kPods;
    mode_ = Mode::kTable;
    header_timestamped_ = true;  // a pod row has no TIME column
    header_envelope_ = SIZE_MAX / 2;
    table_pods_.clear();
    doc_first_line_ = line.lineno;
    if (!TableRow(line, t)) {
      mode_ = Mode::kInactive;
      return false;
    }
    return true;
  }
  return false;
}

bool DescribeParser::ContainerField(const Line& line, size_t indent, std::string_view key,
                                    std::string_view value) {
  ContainerStatus& c = Container(line, "");
  bool nested = field_indent_ != 0 && indent > field_indent_ && sub_ != Sub::kNone;
  // Indentation lost: a state's own field level with (or left of) its
  // `State:` line, or `cpu:` / `memory:` level with `Limits:`.
  bool flat = !nested && (((sub_ == Sub::kState || sub_ == Sub::kLast) && StateSubKey(key)) ||
                          ((sub_ == Sub::kLimits || sub_ == Sub::kRequests) &&
                           (key == "cpu" || key == "memory")));
  if (nested || flat) {
    switch (sub_) {
      case Sub::kState:
      case Sub::kLast: {
        bool into_last = sub_ == Sub::kLast || c.state == "Terminated";
        if (key == "Reason") {
          if (sub_ == Sub::kState) c.state_reason = std::string(value);
          if (into_last) c.last_reason = std::string(value);
        } else if (key == "Started") {
          if (sub_ == Sub::kState) c.state_started = std::string(value);
          if (into_last) c.last_started = std::string(value);
        } else if (!into_last) {
          // Nothing else of a Running/Waiting state is kept.
        } else if (key == "Finished") {
          c.last_finished = std::string(value);
        } else if (key == "Signal") {
          c.last_signal = K8sInt(value);
        } else if (key == "Message") {
          c.last_message = std::string(value);
        } else if (EndsWith(key, "Code") || (c.last_exit_code < 0 && K8sInt(value) >= 0 &&
                                             K8sInt(value) <= 255 && key != "Signal")) {
          // `Exit Code`, or a redacted `xxxxxx Code`: an integer under the
          // state is its exit code.
          c.last_exit_code = K8sInt(value);
        }
        return true;
      }
      case Sub::kLimits:
      case Sub::kRequests: {
        bool lim = sub_ == Sub::kLimits;
        if (key == "memory") (lim ? c.memory_limit : c.memory_request) = std::string(value);
        if (key == "cpu") (lim ? c.cpu_limit : c.cpu_request) = std::string(value);
        return true;
      }
      default:
        return true;
    }
  }
  field_indent_ = indent;
  sub_ = Sub::kOther;
  if (key == "State") {
    c.state = std::string(value);
    sub_ = Sub::kState;
    if (c.state == "Terminated" && c.last_state.empty()) c.last_state = c.state;
  } else if (key == "Last State") {
    c.last_state = std::string(value);
    c.last_reason.clear();
    c.last_exit_code = c.last_signal = -1;
    c.last_started.clear();
    c.last_finished.clear();
    sub_ = Sub::kLast;
  } else if (key == "Ready") {
    c.ready = value == "True";
  } else if (key == "Restart Count") {
    c.restart_count = K8sInt(value);
  } else if (key == "Limits") {
    sub_ = Sub::kLimits;
  } else if (key == "Requests") {
    sub_ = Sub::kRequests;
  } else if (key == "Liveness") {
    SetLiveness(&c, value);
  } else if (key == "Readiness") {
    c.readiness = std::string(value);
  } else if (key == "Startup") {
    c.startup = std::string(value);
  } else if (key == "Image") {
    c.image = std::string(value);
  }
  return true;
}

void DescribeParser::EventLine(const Line& line, std::string_view t) {
  std::string_view b = Trim(t);
  if (b.empty() || StartsWith(b, "----") || b == "<none>") return;
  if (StartsWith(b, "Type ") && b.find("Reason") != std::string_view::npos &&
      b.find("Message") != std::string_view::npos)
    return;
  // Columns are separated by two or more spaces; Age may hold single
  // spaces (`10m (x2 over 11m)`) and Message is the rest.
  std::string_view cols[4];
  std::string_view rest = b;
  for (int i = 0; i < 4; ++i) {
    size_t gap = rest.find("  ");
    if (gap == std::string_view::npos) {
      cols[i] = rest;
      rest = {};
      break;
    }
    cols[i] = rest.substr(0, gap);
    rest = TrimLeft(rest.substr(gap));
  }
  if (cols[0] != "Normal" && cols[0] != "Warning") {
    // A wrapped message line: append to the previous event.
    if (!pod_->events.empty()) {
      pod_->events.back().message.push_back(' ');
      pod_->events.back().message.append(b);
    }
    return;
  }
  PodEvent e;
  e.type = std::string(cols[0]);
  e.reason = std::string(cols[1]);
  e.age = std::string(cols[2]);
  e.from = std::string(cols[3]);
  e.message = std::string(rest);
  e.input_line = line.lineno;
  if (size_t x = e.age.find("(x"); x != std::string::npos) {
    size_t end = e.age.find(' ', x);
    int n = K8sInt(std::string_view(e.age).substr(x + 2, end == std::string::npos ? end : end - x - 2));
    if (n > 0) e.count = n;
  }
  if (pod_->events.size() >= 1000) {  // bounded on hostile input
    NoteLimit(&ctx_->out->limits_hit, "events per pod");
    return;
  }
  pod_->events.push_back(std::move(e));
}

bool DescribeParser::DescribeLine(const Line& line) {
  std::string_view t = TrimRight(line.text);
  size_t indent = LeadingSpaces(t);
  std::string_view body = t.substr(indent);
  std::string_view key, value;
  bool field = SplitField(body, &key, &value);
  if (indent == 0) {
    // A describe pasted flush left: the `Labels:` continuation lines
    // (`tier=frontend`) lost their indentation too.
    if (!field) return section_ != Section::kEvents && body.find('=') != std::string_view::npos &&
                       body.find(' ') == std::string_view::npos;
    if (key == "Name") {
      if (!pod_->name.empty() || !pod_->containers.empty()) {
        bool was = confirmed_;
        NewPod(line);
        confirmed_ = was;
      }
      pod_->name = std::string(value);
      return true;
    }
    if (section_ == Section::kContainers) {
      // A describe pasted flush left: after `Containers:`, `name:` opens a
      // container and container keys stay in it.
      std::string_view name;
      if (value.empty() && !ContainerKey(key) && IsContainerName(body, &name)) {
        Container(line, name);
        field_indent_ = 0;
        return true;
      }
      if (ContainerKey(key) && !pod_->containers.empty()) {
        ContainerField(line, 0, key, value);
        return true;
      }
    }
    section_ = Section::kOther;
    sub_ = Sub::kNone;
    if (key == "Namespace") {
      pod_->namespace_ = std::string(value);
    } else if (key == "Node") {
      pod_->node = std::string(value.substr(0, value.find('/')));
    } else if (key == "Status") {
      pod_->status = std::string(value);
    } else if (key == "Containers" || key == "Init Containers") {
      section_ = Section::kContainers;
      field_indent_ = 0;
    } else if (key == "Events") {
      section_ = Section::kEvents;
    }
    return true;
  }
  if (section_ == Section::kEvents) {
    EventLine(line, t);
    return true;
  }
  if (section_ == Section::kContainers) {
    std::string_view name;
    if (IsContainerName(body, &name) && (field_indent_ == 0 || indent < field_indent_)) {
      Container(line, name);
      field_indent_ = 0;
      return true;
    }
    if (field) ContainerField(line, indent, key, value);
    return true;
  }
  return true;
}

bool DescribeParser::DocumentLine(const Line& line) {
  std::string_view t = line.text;
  if (!confirmed_) {
    std::string_view b = Trim(t);
    if (b.empty()) return true;
    bool ok = mode_ == Mode::kJson
                  ? (StartsWith(b, "\"apiVersion\"") || StartsWith(b, "\"kind\"") ||
                     StartsWith(b, "\"metadata\""))
                  : (LeadingSpaces(t) == 0 && (StartsWith(b, "kind:") || StartsWith(b, "apiVersion:") ||
                                        StartsWith(b, "items:") || StartsWith(b, "metadata:"))) ||
                        (StartsWith(doc_, "status:") &&
                         (b == "containerStatuses:" || b == "initContainerStatuses:" ||
                          StartsWith(b, "conditions:") || StartsWith(b, "phase:")));
    if (!ok) return false;
    confirmed_ = true;
  }
  if (doc_.size() + t.size() > kMaxDocumentBytes) {
    NoteLimit(&ctx_->out->limits_hit, "pod document bytes");
    return false;
  }
  if (mode_ == Mode::kYaml && !fragment_ && !t.empty() && LeadingSpaces(t) == 0) {
    // kubectl prints a document's keys in alphabetical order (it goes
    // through JSON: apiVersion, items, kind, metadata, spec, status). A
    // top-level key that does not sort after the last one is the next
    // document's (two pods' YAML pasted one after the other without
    // `---`, or other YAML after a pod's): this one ends here, whatever
    // follows, so that it reads the same alone and a later line cannot
    // turn it into something else (`kind: List` after `status:`).
    // The key is read as the YAML reader will read it (`status :` and
    // `"status":` are `status`).
    std::string_view key, value;
    if (YamlKey(TrimRight(t), &key, &value)) {
      std::string name = YamlKeyName(key);
      if (name <= yaml_top_key_) return false;
      yaml_top_key_ = std::move(name);
    }
  }
  if (fragment_) {
    // Under the synthetic `status:`: the fragment's own indentation
    // replaced by the document's.
    size_t in = std::min(LeadingSpaces(t), fragment_indent_);
    doc_.append(fragment_last_ ? "      " : "  ");
    doc_.append(t.substr(in));
  } else {
    doc_.append(t);
  }
  doc_.push_back('\n');
  ++doc_lines_;
  if (mode_ == Mode::kJson) {
    for (char c : t) {
      if (in_string_) {
        if (escaped_) escaped_ = false;
        else if (c == '\\') escaped_ = true;
        else if (c == '"') in_string_ = false;
      } else if (c == '"') {
        in_string_ = true;
      } else if (c == '{' || c == '[') {
        ++depth_;
      } else if (c == '}' || c == ']') {
        --depth_;
      }
    }
  }
  return true;
}

bool DescribeParser::TableHeader(const Line& line, std::string_view t) {
  // Column names are upper case, separated by spaces; `LAST SEEN` and
  // `FIRST SEEN` are one column.
  std::vector<std::pair<std::string, size_t>> cols;
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && t[i] == ' ') ++i;
    if (i >= t.size()) break;
    size_t b = i;
    while (i < t.size() && t[i] != ' ') {
      char c = t[i];
      if (!((c >= 'A' && c <= 'Z') || c == '(' || c == ')' || c == '-' || c == '_')) return false;
      ++i;
    }
    std::string name(t.substr(b, i - b));
    if ((name == "SEEN") && !cols.empty() && (cols.back().first == "LAST" || cols.back().first == "FIRST")) {
      cols.back().first += " SEEN";
      continue;
    }
    cols.emplace_back(std::move(name), b);
  }
  auto has = [&](const char* n) {
    for (auto& c : cols)
      if (c.first == n) return true;
    return false;
  };
  if (cols.size() < 3) return false;
  if (has("NAME") && has("READY") && has("STATUS") && has("RESTARTS")) {
    table_ = Table::kPods;
  } else if (has("REASON") && (has("MESSAGE") || has("MSG"))) {
    table_ = Table::kEvents;
  } else {
    return false;
  }
  mode_ = Mode::kTable;
  columns_ = std::move(cols);
  header_timestamped_ = !line.timestamp.empty();
  header_envelope_ = line.raw.empty() ? 0 : static_cast<size_t>(line.text.data() - line.raw.data());
  table_pods_.clear();
  doc_first_line_ = line.lineno;
  return true;
}

std::string_view DescribeParser::Column(std::string_view row, const char* name) const {
  for (size_t k = 0; k < columns_.size(); ++k) {
    if (columns_[k].first != name) continue;
    size_t b = columns_[k].second;
    if (b >= row.size()) return {};
    // A value longer than its column pushes the next ones right: start
    // after the run of spaces that follows it.
    while (b > 0 && b < row.size() && row[b - 1] != ' ') ++b;
    bool last = k + 1 == columns_.size() || std::string_view(name) == "MESSAGE" ||
                std::string_view(name) == "MSG";
    size_t e = row.size();
    if (!last) {
      e = std::min(row.size(), columns_[k + 1].second);
      while (e < row.size() && row[e - 1] != ' ') ++e;
    }
    return e > b ? Trim(row.substr(b, e - b)) : std::string_view();
  }
  return {};
}

bool DescribeParser::TableRow(const Line& line, std::string_view t) {
  if (table_pods_.size() >= 4096) {  // bounded on hostile input
    NoteLimit(&ctx_->out->limits_hit, "table rows");
    return true;
  }
  // A row starts where the first column does and fills the second.
  if (LeadingSpaces(t) > columns_[0].second + 2) return false;
  if (Column(t, columns_[1].first.c_str()).empty()) return false;
  if (table_ == Table::kPods) {
    std::string_view name = Column(t, "NAME"), ready = Column(t, "READY"),
                     status = Column(t, "STATUS"), restarts = Column(t, "RESTARTS");
    if (name.empty() || ready.find('/') == std::string_view::npos || status.empty()) return false;
    PodStatus p;
    p.format = "table";
    if (name.starts_with("pod/")) name.remove_prefix(4);  // `kubectl get all`
    p.name = std::string(name);
    p.namespace_ = std::string(Column(t, "NAMESPACE"));
    p.status = std::string(status);
    p.first_line = p.last_line = line.lineno;
    ContainerStatus c;
    c.first_line = line.lineno;
    // `4`, `4 (57s ago)`.
    c.restart_count = K8sInt(restarts.substr(0, restarts.find(' ')));
    size_t slash = ready.find('/');
    c.ready = K8sInt(ready.substr(0, slash)) == K8sInt(ready.substr(slash + 1));
    // STATUS shows the waiting or last terminated reason.
    if (status == "CrashLoopBackOff") {
      c.state = "Waiting";
      c.state_reason = std::string(status);
    } else if (status == "Completed" && c.restart_count == 0) {
      // A pod that ran to completion once (a Job's): finished, not restarted.
      c.state = "Terminated";
      c.state_reason = std::string(status);
    } else if (status == "OOMKilled" || status == "Error" || status == "Completed" ||
               StartsWith(status, "ExitCode:") || StartsWith(status, "Signal:")) {
      c.last_state = "Terminated";
      c.last_reason = std::string(status);
      if (StartsWith(status, "ExitCode:")) c.last_exit_code = K8sInt(status.substr(9));
    } else {
      c.state = std::string(status);
    }
    p.containers.push_back(std::move(c));
    table_pods_.push_back(std::move(p));
    return true;
  }
  std::string_view reason = Column(t, "REASON");
  std::string_view message = Column(t, "MESSAGE");
  if (message.empty()) message = Column(t, "MSG");
  if (reason.empty()) return false;
  std::string_view object = Column(t, "OBJECT");
  if (object.empty()) object = Column(t, "NAME");
  PodStatus* pod = nullptr;
  for (PodStatus& p : table_pods_)
    if (p.name == object) pod = &p;
  if (!pod) {
    if (table_pods_.size() >= 256) return true;
    table_pods_.emplace_back();
    pod = &table_pods_.back();
    pod->format = "events";
    pod->name = std::string(object.substr(object.find('/') == std::string_view::npos ? 0 : object.find('/') + 1));
    pod->first_line = line.lineno;
  }
  pod->last_line = line.lineno;
  if (pod->events.size() >= 1000) return true;
  PodEvent e;
  e.type = std::string(Column(t, "TYPE"));
  e.reason = std::string(reason);
  e.message = std::string(message);
  e.age = std::string(Column(t, "LAST SEEN"));
  if (e.age.empty()) e.age = std::string(Column(t, "TIME"));
  if (int n = K8sInt(Column(t, "COUNT")); n > 0) e.count = n;
  e.input_line = line.lineno;
  pod->events.push_back(std::move(e));
  return true;
}

SubParser::Feed DescribeParser::Next(const Line& line) {
  switch (mode_) {
    case Mode::kInactive:
      return Feed::kDone;
    case Mode::kJson:
      if (!DocumentLine(line)) {
        Finish(false);
        return Feed::kDone;
      }
      if (depth_ <= 0) {
        Finish(false);
        return Feed::kConsumedDone;
      }
      return Feed::kConsumed;
    case Mode::kYaml: {
      std::string_view t = TrimRight(line.text);
      std::string_view key, value;
      bool yamlish = t.empty() || t[0] == ' ' || t[0] == '-' || t[0] == '#' ||
                     SplitField(t, &key, &value);
      if (fragment_ && !t.empty() && LeadingSpaces(t) <= fragment_indent_ &&
          TrimLeft(t).front() != '-')
        yamlish = false;
      if (!yamlish || (confirmed_ && t.empty()) || !DocumentLine(line)) {
        Finish(false);
        return t.empty() ? Feed::kConsumedDone : Feed::kDone;
      }
      return Feed::kConsumed;
    }
    case Mode::kTable: {
      if (!wrapped_.empty()) {
        // The second half of a hard-wrapped headerless row.
        std::string joined = wrapped_ + "  " + std::string(Trim(line.text));
        wrapped_.clear();
        mode_ = Mode::kInactive;
        if (HeaderlessPodRow(line, joined)) return Feed::kConsumed;
        mode_ = Mode::kInactive;
        return Feed::kDone;
      }
      // A row that starts with an RFC 3339 time (`kubectl get events`'
      // TIME column) had it taken as a log timestamp: put it back. When
      // the header had one too, that one is the stream's envelope, and the
      // row's own is the one beyond an envelope as long as the header's.
      std::string with_time;
      std::string_view t = TrimRight(line.text);
      bool own_time = false;
      // Where the row's text is a view into its raw line, the timestamp was
      // the row's own only if it lies in that line before the text; a
      // decoded or joined row has no such line (its timestamp may be a
      // record's field or its pieces' envelope), and the header decides.
      // (Addresses of two separate buffers order nothing: fast_lane_fuzz
      // found a joined CRI piece whose table row changed with the heap.)
      if (!line.timestamp.empty() && !t.empty()) {
        own_time = line.raw.empty() ? !header_timestamped_
                   : ViewWithin(line.timestamp, line.raw) && line.text.data() > line.timestamp.data() &&
                         static_cast<size_t>(line.text.data() - line.raw.data()) >=
                             header_envelope_ + line.timestamp.size();
      }
      if (own_time) {
        with_time.assign(line.timestamp);
        with_time.push_back(' ');
        with_time.append(t);
        t = with_time;
      }
      if (t.empty() || !TableRow(line, t)) {
        Finish(false);
        return t.empty() ? Feed::kConsumedDone : Feed::kDone;
      }
      return Feed::kConsumed;
    }
    case Mode::kDescribe: {
      std::string_view t = TrimRight(line.text);
      if (t.empty()) return Feed::kConsumed;
      if (loose_) {
        // Kubelet event lines found one by one: keep taking them (and the
        // other rows of the same table, `Normal`/`Warning`) while they come.
        if (LooseEvent(line, t, /*first=*/false)) return Feed::kConsumed;
        if ((t.find(" Normal ") != std::string_view::npos ||
             t.find(" Warning ") != std::string_view::npos) && ++noise_ < 64)
          return Feed::kConsumed;
        Finish(false);
        return Feed::kDone;
      }
      if (!confirmed_) {
        std::string_view key, value;
        if (LeadingSpaces(t) != 0 || !SplitField(t, &key, &value)) {
          pod_.reset();
          mode_ = Mode::kInactive;
          return Feed::kDone;
        }
        confirmed_ = true;
      }
      if (!DescribeLine(line)) {
        Finish(false);
        return Feed::kDone;
      }
      pod_->last_line = line.lineno;
      return Feed::kConsumed;
    }
  }
  return Feed::kDone;
}

void DescribeParser::Finish(bool at_eof) {
  switch (mode_) {
    case Mode::kDescribe:
      EndPod();
      break;
    case Mode::kJson:
    case Mode::kYaml: {
      if (confirmed_ && mode_ == Mode::kJson && json_fragment_) {
        // Wrapped into the document it was cut from; the `,` that followed
        // it there goes.
        std::string_view body = doc_;
        while (!body.empty() && (body.back() == '\n' || body.back() == ' ' || body.back() == '\t' ||
                                 body.back() == '\r'))
          body.remove_suffix(1);
        if (!body.empty() && body.back() == ',') body.remove_suffix(1);
        bool array = StartsWith(body, "\"containerStatuses\"");
        std::string whole = array ? "{\"status\": {" : "{\"status\": {\"containerStatuses\": [{";
        whole.append(body);
        whole.append(array ? "}}" : "}]}}");
        doc_ = std::move(whole);
        json_fragment_ = false;
      }
      if (confirmed_) {
        size_t before = ctx_->out->pods.size();
        size_t unmatched = 0;
        if (!ParsePodDocument(doc_, mode_ == Mode::kYaml, &ctx_->out->pods) &&
            mode_ == Mode::kJson && AttachEventDocument(doc_, &ctx_->out->pods, &unmatched) &&
            unmatched > 0)
          ctx_->out->warnings.push_back(std::to_string(unmatched) +
                                        " event(s) about pods not in the input were not used");
        for (size_t i = before; i < ctx_->out->pods.size(); ++i) {
          ctx_->out->pods[i].first_line = doc_first_line_;
          ctx_->out->pods[i].last_line = doc_first_line_ + doc_lines_ - 1;
          ctx_->out->pods[i].source = ctx_->source;
        }
      }
      doc_.clear();
      confirmed_ = false;
      fragment_ = false;
      break;
    }
    case Mode::kTable:
      for (PodStatus& p : table_pods_) {
        if (p.containers.empty() && p.events.empty()) continue;
        p.source = ctx_->source;
        ctx_->AddPod(std::move(p));
      }
      table_pods_.clear();
      columns_.clear();
      wrapped_.clear();
      break;
    case Mode::kInactive:
      break;
  }
  mode_ = Mode::kInactive;
}

}  // namespace gotriage
