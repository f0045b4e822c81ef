// The YAML `kubectl get pod -o yaml` prints: block mappings and sequences of
// scalars, read into the JSON tree `-o json` would have given (flow
// collections other than `{}`/`[]`, and anchors, are kept as strings). Not
// a general YAML reader: pod objects are all it needs to read.
#ifndef GOTRIAGE_PARSERS_POD_YAML_H_
#define GOTRIAGE_PARSERS_POD_YAML_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gotriage {

/// The document \a text as JSON (an object, usually; null when empty).
nlohmann::json ParseYaml(std::string_view text);

/// A YAML mapping line's key and value: the key ends at the first `: ` (or
/// a final `:`) outside a leading quoted key. False when \a t is no such
/// line.
bool YamlKey(std::string_view t, std::string_view* k, std::string_view* v);

/// A key as the document holds it (unquoted, trimmed).
std::string YamlKeyName(std::string_view k);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_POD_YAML_H_
