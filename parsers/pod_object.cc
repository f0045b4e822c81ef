// Pod objects as `kubectl get pod -o json|yaml` prints them, and the
// timestamps Kubernetes prints; see pod_object.h.
#include "parsers/pod_object.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "parsers/pod_yaml.h"

namespace gotriage {

using nlohmann::json;

int K8sInt(std::string_view s, int fallback) {
  s = Trim(s);
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  int64_t v;
  if (!ParseInt(s, &v) || v > 1000000000) return fallback;
  return static_cast<int>(neg ? -v : v);
}

namespace {

int MonthIndex(std::string_view m) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i)
    if (m == kMonths[i]) return i;
  return -1;
}

bool Num(std::string_view s, size_t at, size_t n, int* out) {
  // At most 9 digits fit an int; longer runs are not a date field.
  if (n > 9 || at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// `+0800`, `-05:00`, `Z`, `UTC`, `GMT` as seconds east of UTC.
bool ZoneOffset(std::string_view z, int* secs) {
  z = Trim(z);
  if (z.empty() || z == "Z" || z == "UTC" || z == "GMT") {
    *secs = 0;
    return true;
  }
  if (z[0] != '+' && z[0] != '-') return false;
  int h, m;
  if (!Num(z, 1, 2, &h)) return false;
  size_t mi = z.size() > 3 && z[3] == ':' ? 4 : 3;
  if (!Num(z, mi, 2, &m)) return false;
  *secs = (h * 3600 + m * 60) * (z[0] == '-' ? -1 : 1);
  return true;
}

// ---- Pod objects (JSON, or YAML converted to JSON).

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return {};
}

int Int(const json& j, const char* key, int fallback = -1) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (it->is_number_integer()) return static_cast<int>(it->get<int64_t>());
  if (it->is_string()) return K8sInt(it->get<std::string>(), fallback);
  return fallback;
}

const json& Obj(const json& j, const char* key) {
  static const json kEmpty = json::object();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

std::string ProbeText(const json& p) {
  std::string s;
  if (p.contains("httpGet")) {
    const json& h = Obj(p, "httpGet");
    s = "http-get " + std::string(Str(h, "scheme") == "HTTPS" ? "https" : "http") + "://" +
        Str(h, "host") + ":" + Str(h, "port") + Str(h, "path");
  } else if (p.contains("tcpSocket")) {
    s = "tcp-socket :" + Str(Obj(p, "tcpSocket"), "port");
  } else if (p.contains("exec")) {
    s = "exec";
  } else if (p.contains("grpc")) {
    s = "grpc <pod>:" + Str(Obj(p, "grpc"), "port");
  }
  s += " delay=" + std::to_string(Int(p, "initialDelaySeconds", 0)) + "s";
  s += " timeout=" + std::to_string(Int(p, "timeoutSeconds", 1)) + "s";
  s += " period=" + std::to_string(Int(p, "periodSeconds", 10)) + "s";
  s += " #success=" + std::to_string(Int(p, "successThreshold", 1));
  s += " #failure=" + std::to_string(Int(p, "failureThreshold", 3));
  return s;
}

void ApplyState(const json& st, bool last, ContainerStatus* c) {
  // `termination` is the field's name in the 2014 API (v1beta1).
  for (const char* k : {"running", "waiting", "terminated", "termination"}) {
    auto it = st.find(k);
    if (it == st.end() || !it->is_object()) continue;
    std::string name = std::string_view(k) == "termination" ? "terminated" : k;
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
    const json& s = *it;
    if (!last) {
      c->state = name;
      c->state_reason = Str(s, "reason");
      c->state_started = Str(s, "startedAt");
    }
    if (last || (name == "Terminated" && c->last_state.empty())) {
      c->last_state = name;
      c->last_reason = Str(s, "reason");
      if (c->last_reason == "OOM Killed") c->last_reason = "OOMKilled";  // docker 1.4 era
      c->last_exit_code = Int(s, "exitCode");
      c->last_signal = Int(s, "signal");
      c->last_started = Str(s, "startedAt");
      c->last_finished = Str(s, "finishedAt");
      c->last_message = Str(s, "message");
    }
    return;
  }
}

bool PodFromJson(const json& j, std::vector<PodStatus>* pods, const char* format) {
  if (!j.is_object()) return false;
  std::string kind = Str(j, "kind");
  if (!kind.empty() && kind != "Pod") return false;
  const json& meta = Obj(j, "metadata");
  const json& spec = Obj(j, "spec");
  const json& status = Obj(j, "status");
  if (meta.empty() && status.empty()) return false;
  PodStatus p;
  p.format = format;
  p.name = Str(meta, "name");
  p.namespace_ = Str(meta, "namespace");
  p.node = Str(spec, "nodeName");
  p.status = Str(status, "phase");
  if (std::string r = Str(status, "reason"); !r.empty()) p.status = r;
  auto find = [&](const std::string& name) -> ContainerStatus& {
    for (auto& c : p.containers)
      if (c.name == name) return c;
    p.containers.emplace_back();
    p.containers.back().name = name;
    return p.containers.back();
  };
  if (auto it = spec.find("containers"); it != spec.end() && it->is_array()) {
    for (const json& cj : *it) {
      ContainerStatus& c = find(Str(cj, "name"));
      c.image = Str(cj, "image");
      const json& res = Obj(cj, "resources");
      c.memory_limit = Str(Obj(res, "limits"), "memory");
      c.cpu_limit = Str(Obj(res, "limits"), "cpu");
      c.memory_request = Str(Obj(res, "requests"), "memory");
      c.cpu_request = Str(Obj(res, "requests"), "cpu");
      if (cj.contains("livenessProbe")) {
        const json& lp = Obj(cj, "livenessProbe");
        c.liveness = ProbeText(lp);
        c.liveness_timeout_seconds = Int(lp, "timeoutSeconds", 1);
        c.liveness_period_seconds = Int(lp, "periodSeconds", 10);
        c.liveness_failure_threshold = Int(lp, "failureThreshold", 3);
      }
      if (cj.contains("readinessProbe")) c.readiness = ProbeText(Obj(cj, "readinessProbe"));
      if (cj.contains("startupProbe")) c.startup = ProbeText(Obj(cj, "startupProbe"));
    }
  }
  if (auto it = status.find("containerStatuses"); it != status.end() && it->is_array()) {
    for (const json& cs : *it) {
      ContainerStatus& c = find(Str(cs, "name"));
      if (auto r = cs.find("ready"); r != cs.end() && r->is_boolean()) c.ready = r->get<bool>();
      c.restart_count = Int(cs, "restartCount");
      ApplyState(Obj(cs, "state"), false, &c);
      ApplyState(Obj(cs, "lastState"), true, &c);
      ApplyState(Obj(cs, "lastTerminationState"), true, &c);  // v1beta3
      if (c.image.empty()) c.image = Str(cs, "image");
    }
  }
  for (auto& c : p.containers) ComputeUptime(&c);
  pods->push_back(std::move(p));
  return true;
}

bool PodsFromJson(const json& j, std::vector<PodStatus>* pods, const char* format) {
  if (!j.is_object()) return false;
  if (auto it = j.find("items"); it != j.end() && it->is_array()) {
    bool any = false;
    for (const json& item : *it) any |= PodFromJson(item, pods, format);
    return any;
  }
  return PodFromJson(j, pods, format);
}


}  // namespace

bool ParseK8sTime(std::string_view s, int64_t* epoch) {
  s = Trim(s);
  struct tm tm = {};
  int zone = 0;
  int v;
  if (s.size() >= 19 && s[4] == '-' && s[10] == 'T') {
    // RFC 3339.
    if (!Num(s, 0, 4, &v)) return false;
    tm.tm_year = v - 1900;
    if (!Num(s, 5, 2, &v)) return false;
    tm.tm_mon = v - 1;
    if (!Num(s, 8, 2, &tm.tm_mday) || !Num(s, 11, 2, &tm.tm_hour) ||
        !Num(s, 14, 2, &tm.tm_min) || !Num(s, 17, 2, &tm.tm_sec))
      return false;
    size_t i = 19;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    if (!ZoneOffset(s.substr(i), &zone)) return false;
  } else {
    // `Wed, 25 Dec 2024 08:44:16 +0800` (the weekday is optional).
    if (size_t comma = s.find(", "); comma != std::string_view::npos && comma <= 9)
      s.remove_prefix(comma + 2);
    size_t sp1 = s.find(' ');
    if (sp1 == std::string_view::npos || !Num(s, 0, sp1, &tm.tm_mday)) return false;
    std::string_view rest = s.substr(sp1 + 1);
    if (rest.size() < 17) return false;
    tm.tm_mon = MonthIndex(rest.substr(0, 3));
    if (tm.tm_mon < 0 || rest[3] != ' ' || !Num(rest, 4, 4, &v)) return false;
    tm.tm_year = v - 1900;
    if (rest[8] != ' ' || !Num(rest, 9, 2, &tm.tm_hour) || rest[11] != ':' ||
        !Num(rest, 12, 2, &tm.tm_min) || rest[14] != ':' || !Num(rest, 15, 2, &tm.tm_sec))
      return false;
    if (!ZoneOffset(rest.substr(17), &zone)) return false;
  }
  time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1)) return false;
  *epoch = static_cast<int64_t>(t) - zone;
  return true;
}

void ComputeUptime(ContainerStatus* c) {
  int64_t a, b;
  if (ParseK8sTime(c->last_started, &a) && ParseK8sTime(c->last_finished, &b) && b >= a)
    c->last_uptime_seconds = b - a;
}

bool ParsePodDocument(std::string_view text, bool yaml, std::vector<PodStatus>* pods) {
  if (yaml) return PodsFromJson(ParseYaml(text), pods, "yaml");
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return false;
  return PodsFromJson(j, pods, "json");
}

}  // namespace gotriage
