// The YAML subset `kubectl get pod -o yaml` prints; see pod_yaml.h.
#include "parsers/pod_yaml.h"

#include <utility>
#include <vector>

#include "base/strings.h"

namespace gotriage {

using nlohmann::json;

namespace {

// ---- A small YAML subset: block mappings and sequences of scalars, as
// `kubectl get -o yaml` prints them. Flow collections other than `{}`/`[]`
// and anchors are kept as strings.

struct YamlLine {
  size_t indent;
  std::string_view text;
};

json YamlScalar(std::string_view v) {
  v = Trim(v);
  if (size_t c = v.find(" #"); c != std::string_view::npos && v[0] != '"' && v[0] != '\'')
    v = TrimRight(v.substr(0, c));
  if (v.size() >= 2 && ((v.front() == '"' && v.back() == '"') || (v.front() == '\'' && v.back() == '\''))) {
    if (v.front() == '"') {
      json j = json::parse(v.begin(), v.end(), nullptr, false);
      if (!j.is_discarded() && j.is_string()) return j;
    }
    return std::string(v.substr(1, v.size() - 2));
  }
  if (v == "{}") return json::object();
  if (v == "[]") return json::array();
  if (v == "true") return true;
  if (v == "false") return false;
  if (v == "null" || v == "~") return nullptr;
  int64_t n;
  if (!v.empty() && ParseInt(v, &n)) return n;
  return std::string(v);
}

}  // namespace

// A YAML mapping line's key and value: the key ends at the first `: ` (or a
// final `:`) outside a leading quoted key.
bool YamlKey(std::string_view t, std::string_view* k, std::string_view* v) {
  size_t at = 0;
  if (!t.empty() && (t[0] == '"' || t[0] == '\'')) {
    size_t q = t.find(t[0], 1);
    if (q == std::string_view::npos) return false;
    at = q + 1;
  }
  size_t colon = t.find(':', at);
  while (colon != std::string_view::npos && colon + 1 < t.size() && t[colon + 1] != ' ')
    colon = t.find(':', colon + 1);
  if (colon == std::string_view::npos || colon == 0) return false;
  *k = t.substr(0, colon);
  *v = Trim(t.substr(colon + 1));
  return true;
}

// The key as the document holds it (unquoted, trimmed).
std::string YamlKeyName(std::string_view k) {
  json j = YamlScalar(k);
  return j.is_string() ? j.get<std::string>() : std::string(k);
}

namespace {

class Yaml {
 public:
  explicit Yaml(std::vector<YamlLine> lines) : l_(std::move(lines)) {}
  json Parse() {
    if (l_.empty()) return nullptr;
    return Block(l_[0].indent);
  }

 private:
  bool IsItem(size_t i) const {
    return l_[i].text == "-" || StartsWith(l_[i].text, "- ");
  }
  json Block(size_t indent) {
    if (i_ < l_.size() && IsItem(i_)) return Seq(indent);
    return Map(indent, json::object());
  }
  json Seq(size_t indent) {
    json arr = json::array();
    while (i_ < l_.size() && l_[i_].indent == indent && IsItem(i_)) {
      std::string_view rest = l_[i_].text.size() > 2 ? l_[i_].text.substr(2) : std::string_view();
      size_t inner = indent + 2 + LeadingSpaces(rest);
      rest = Trim(rest);
      if (rest.empty()) {
        ++i_;
        arr.push_back(i_ < l_.size() && l_[i_].indent > indent ? Block(l_[i_].indent) : json());
        continue;
      }
      std::string_view k, v;
      if (YamlKey(rest, &k, &v)) {
        // `- key: value` opens a mapping whose keys sit at `inner`.
        l_[i_] = YamlLine{inner, rest};
        arr.push_back(Map(inner, json::object()));
      } else {
        ++i_;
        arr.push_back(YamlScalar(rest));
      }
    }
    return arr;
  }
  json Map(size_t indent, json obj) {
    while (i_ < l_.size() && l_[i_].indent == indent && !IsItem(i_)) {
      std::string_view k, v;
      if (!YamlKey(l_[i_].text, &k, &v)) {
        ++i_;
        continue;
      }
      ++i_;
      std::string key = YamlKeyName(k);
      if (v.empty()) {
        if (i_ < l_.size() && (l_[i_].indent > indent || (l_[i_].indent == indent && IsItem(i_))))
          obj[key] = Block(l_[i_].indent);
        else
          obj[key] = nullptr;
      } else if (v[0] == '|' || v[0] == '>') {
        std::string text;
        while (i_ < l_.size() && l_[i_].indent > indent) {
          text.append(l_[i_].text);
          text.push_back('\n');
          ++i_;
        }
        obj[key] = text;
      } else {
        obj[key] = YamlScalar(v);
      }
    }
    // Lines indented deeper than expected (malformed paste): skip them.
    while (i_ < l_.size() && l_[i_].indent > indent) ++i_;
    return obj;
  }
  std::vector<YamlLine> l_;
  size_t i_ = 0;
};

}  // namespace

json ParseYaml(std::string_view text) {
  std::vector<YamlLine> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    std::string_view t = TrimRight(l);
    size_t ind = LeadingSpaces(t);
    std::string_view body = t.substr(ind);
    if (body.empty() || body[0] == '#' || body == "---") continue;
    lines.push_back({ind, body});
  }
  return Yaml(std::move(lines)).Parse();
}

}  // namespace gotriage
