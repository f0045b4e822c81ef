// --redact; see redact.h.
#include "cli/redact.h"

#include <re2/re2.h>

#include <map>
#include <vector>

namespace gotriage {
namespace {

struct Kind {
  const char* name;
  RE2 re;  // group 1 is the value to replace
};

const std::vector<Kind*>& Kinds() {
  static const auto* k = new std::vector<Kind*>{
      new Kind{"email", RE2(R"(([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}))")},
      new Kind{"secret", RE2(R"((?i)(?:bearer\s+|(?:token|password|passwd|secret|api[_-]?key|authorization)\s*[=:]\s*)([^\s"',;&]+))")},
      new Kind{"ip", RE2(R"(\b((?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3})\b)")},
      new Kind{"host", RE2(R"(\b((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|net|org|io|dev|cloud|internal|local|lan|corp|svc|cluster\.local))\b([^/]|$))")},
      new Kind{"hex", RE2(R"(\b([0-9a-fA-F]{20,})\b)")},
      new Kind{"token", RE2(R"((?:^|[^A-Za-z0-9+/_.-])([A-Za-z0-9+_-]*[0-9][A-Za-z0-9+_-]*[A-Z][A-Za-z0-9+_-]*[a-z][A-Za-z0-9+_-]*|[A-Za-z0-9+_-]*[a-z][A-Za-z0-9+_-]*[0-9][A-Za-z0-9+_-]*[A-Z][A-Za-z0-9+_-]*)={0,2})")},
      new Kind{"addr", RE2(R"(\b(0x[0-9a-fA-F]{5,})\b)")},
  };
  return *k;
}

class Redactor {
 public:
  std::string Placeholder(const std::string& kind, const std::string& value) {
    auto [it, fresh] = seen_.emplace(kind + "\x1f" + value, "");
    if (fresh) it->second = "<" + kind + "-" + std::to_string(++count_[kind]) + ">";
    return it->second;
  }
  // Replaces group 1 of every match of \a re in \a s.
  std::string Apply(const Kind& k, const std::string& s, size_t min_len = 0) {
    std::string out;
    re2::StringPiece in(s);
    re2::StringPiece m[2];
    size_t pos = 0;
    while (pos <= s.size() && k.re.Match(in, pos, s.size(), RE2::UNANCHORED, m, 2)) {
      size_t start = static_cast<size_t>(m[1].data() - s.data());
      size_t end = start + m[1].size();
      size_t whole_end = static_cast<size_t>(m[0].data() - s.data()) + m[0].size();
      if (m[1].size() < min_len || m[1].empty()) {
        out.append(s, pos, whole_end - pos);
        pos = whole_end > pos ? whole_end : pos + 1;
        if (pos > s.size()) break;
        continue;
      }
      out.append(s, pos, start - pos);
      out += Placeholder(k.name, std::string(m[1]));
      pos = end;
    }
    if (pos < s.size()) out.append(s, pos, std::string::npos);
    return out;
  }
  std::string Literal(const std::string& kind, const std::string& value, const std::string& s) {
    if (value.size() < 3) return s;
    std::string out;
    size_t pos = 0, at;
    while ((at = s.find(value, pos)) != std::string::npos) {
      out.append(s, pos, at - pos);
      out += Placeholder(kind, value);
      pos = at + value.size();
    }
    return out + s.substr(pos);
  }

 private:
  std::map<std::string, std::string> seen_;
  std::map<std::string, int> count_;
};

}  // namespace

std::vector<std::string> RedactNames(const ParsedInput& in) {
  std::vector<std::string> v;
  for (const PodStatus& p : in.pods) {
    v.push_back(p.name);
    v.push_back(p.namespace_);
    v.push_back(p.node);
  }
  // The pods of `kubectl logs --prefix` tags and log paths.
  auto pod = [&](const PodRef& r) {
    v.push_back(r.name);
    v.push_back(r.namespace_);
    v.push_back(r.node);
  };
  for (const Incident& inc : in.incidents) {
    pod(inc.pod);
    for (const Occurrence& o : inc.twins) pod(o.pod);  // identical incidents of other pods
  }
  return v;
}

void RedactLabels(ParsedInput* in) {
  std::map<std::string, std::string> placeholder;
  auto redact = [&](std::vector<Label>* labels) {
    for (Label& l : *labels) {
      auto [it, fresh] = placeholder.emplace(l.value, "");
      if (fresh) it->second = "<label-" + std::to_string(placeholder.size()) + ">";
      l.value = it->second;
    }
  };
  auto goroutine = [&](auto& self, Goroutine* g) -> void {
    redact(&g->labels);
    for (Goroutine& a : g->ancestors) self(self, &a);
  };
  for (Incident& inc : in->incidents) {
    if (inc.crashing) goroutine(goroutine, &*inc.crashing);
    if (inc.runtime_stack) goroutine(goroutine, &*inc.runtime_stack);
    for (GoroutineGroup& g : inc.groups) {
      for (Goroutine& s : g.samples) goroutine(goroutine, &s);
      for (LabelSetCount& c : g.label_sets) redact(&c.labels);
    }
  }
}

std::string RedactText(const std::string& text, const std::vector<std::string>& names) {
  Redactor r;
  std::string s = text;
  for (const std::string& n : names) s = r.Literal("name", n, s);
  for (const Kind* k : Kinds()) s = r.Apply(*k, s, std::string_view(k->name) == "token" ? 24 : 0);
  return s;
}

}  // namespace gotriage
