// Event documents; see k8s_events.h.
#include "parsers/k8s_events.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <string>

namespace gotriage {

namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& Obj(const json& j, const char* key) {
  static const json kEmpty = json::object();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

bool IsEvent(const json& j) {
  std::string kind = Str(j, "kind");
  return kind == "Event" || (kind.empty() && (j.contains("involvedObject") || j.contains("regarding")));
}

void Attach(const json& e, std::vector<PodStatus>* pods, size_t* unmatched) {
  // core/v1: involvedObject, source.component, count, lastTimestamp;
  // events.k8s.io/v1: regarding, reportingController, series.count, note.
  const json& obj = e.contains("regarding") ? Obj(e, "regarding") : Obj(e, "involvedObject");
  std::string kind = Str(obj, "kind");
  if (!kind.empty() && kind != "Pod") return;
  std::string name = Str(obj, "name"), ns = Str(obj, "namespace");
  PodStatus* pod = nullptr;
  for (PodStatus& p : *pods) {
    if (p.name == name && (ns.empty() || p.namespace_.empty() || p.namespace_ == ns)) pod = &p;
  }
  if (!pod) {
    ++*unmatched;
    return;
  }
  PodEvent ev;
  ev.type = Str(e, "type");
  ev.reason = Str(e, "reason");
  ev.message = e.contains("note") ? Str(e, "note") : Str(e, "message");
  ev.from = Str(Obj(e, "source"), "component");
  if (ev.from.empty()) ev.from = Str(e, "reportingComponent");
  if (ev.from.empty()) ev.from = Str(e, "reportingController");
  ev.age = Str(e, "lastTimestamp");
  if (ev.age.empty()) ev.age = Str(e, "eventTime");
  const json* count = nullptr;
  if (auto it = e.find("count"); it != e.end()) count = &*it;
  else if (auto s = Obj(e, "series").find("count"); s != Obj(e, "series").end()) count = &*s;
  if (count && count->is_number_integer() && count->get<int64_t>() > 0)
    ev.count = static_cast<int>(std::min<int64_t>(count->get<int64_t>(), 1 << 30));
  pod->events.push_back(std::move(ev));
}

}  // namespace

bool AttachEventDocument(std::string_view text, std::vector<PodStatus>* pods, size_t* unmatched) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (!j.is_object()) return false;
  // `kubectl get events -o json` prints a `List` (kind EventList is what
  // the API returns): a list is an event document when an item is an event.
  if (auto it = j.find("items"); it != j.end() && it->is_array()) {
    bool any = false;
    for (const json& e : *it) {
      if (!IsEvent(e)) continue;
      any = true;
      Attach(e, pods, unmatched);
    }
    return any;
  }
  if (!IsEvent(j)) return false;
  Attach(j, pods, unmatched);
  return true;
}

}  // namespace gotriage
