// Two sinks for the report's bulk (goroutine groups and their frames),
// written once against this interface (render_json.cc):
//
//   JsonText   appends the JSON text, byte for byte what nlohmann's
//              dump(indent) prints for the same tree, without building it:
//              keys must come in byte order (nlohmann::json keeps objects in
//              a std::map), which it checks in debug builds;
//   JsonTree   builds the nlohmann::json tree, for the callers that want
//              one (ReportJson with its incidents, tests).
//
// Building the tree and dumping it was most of `--format json`'s time on a
// large dump: a std::map node and key copy per field of every frame.
#ifndef GOTRIAGE_CLI_JSON_WRITER_H_
#define GOTRIAGE_CLI_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gotriage {

class JsonText {
 public:
  /// Appends to \a out; \a indent_step spaces a level, starting \a
  /// current_indent spaces in (as serializer::dump's arguments).
  JsonText(std::string* out, unsigned indent_step, unsigned current_indent = 0)
      : out_(out), step_(indent_step), base_(current_indent) {}
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view k);
  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  void Bool(bool v);

 private:
  struct Level {
    bool object = false, items = false;
#ifndef NDEBUG
    std::string last_key;
#endif
  };
  void Open(char c);
  void Close(char c);
  // Before a value: in an array, the separator and indent of an element.
  void Element();
  void Indent(size_t levels);
  void Escaped(std::string_view s);
  template <class T>
  void Number(T v);
  std::string* out_;
  unsigned step_, base_;
  std::vector<Level> levels_;
};

class JsonTree {
 public:
  void BeginObject() { Open(nlohmann::json::object()); }
  void EndObject() { stack_.pop_back(); }
  void BeginArray() { Open(nlohmann::json::array()); }
  void EndArray() { stack_.pop_back(); }
  void Key(std::string_view k) { key_.assign(k); }
  void String(std::string_view s) { Put(nlohmann::json(s)); }
  void Int(int64_t v) { Put(nlohmann::json(v)); }
  void Uint(uint64_t v) { Put(nlohmann::json(v)); }
  void Bool(bool v) { Put(nlohmann::json(v)); }
  nlohmann::json Take() { return std::move(root_); }

 private:
  nlohmann::json* Put(nlohmann::json v);
  void Open(nlohmann::json v) { stack_.push_back(Put(std::move(v))); }
  nlohmann::json root_;
  std::vector<nlohmann::json*> stack_;
  std::string key_;
};

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_JSON_WRITER_H_
