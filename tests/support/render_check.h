// The escaping contracts of the renderers that carry input text furthest:
// the HTML report (a page a browser opens), its building blocks
// (cli/html_safe.h), and the Alertmanager payload. Shared by the fuzz target
// cli/render_fuzz.cc and by cli/render_check_test.cc (every regression and
// corpus file). Header-only so that the gotriage binary does not carry it.
//
//   * EscapeHtml's output holds no `< > " '`, every `&` starts a character
//     reference, no control character, no bidi control, valid UTF-8;
//   * JsonForScript's output holds no `< > &` and parses back to the string;
//   * SourceUrl is "" or an https URL of URL-safe ASCII;
//   * the HTML page is valid UTF-8 without control characters; outside its
//     <script> and <style> blocks every `<` opens or closes one of the
//     renderer's own elements; the JSON data block holds no `<`;
//   * the Alertmanager payload is valid UTF-8 JSON (an array);
//   * the JSON report, whose incidents' groups are written without a tree
//     (cli/json_writer.h), is byte for byte the dump of the whole tree.
#ifndef GOTRIAGE_TESTS_SUPPORT_RENDER_CHECK_H_
#define GOTRIAGE_TESTS_SUPPORT_RENDER_CHECK_H_

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/alertmanager.h"
#include "cli/html_safe.h"
#include "tests/support/pipeline_check.h"
#include "cli/render.h"

namespace gotriage::check {

/// Valid UTF-8 with no C0/C1 control other than tab and newline, no DEL and
/// no bidi or line/paragraph separator (what DisplaySafe makes visible).
inline bool DisplayClean(std::string_view s) {
  return DecodeStrict(s, [](uint32_t cp) {
    if (cp == '\n' || cp == '\t') return true;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return false;
    return !(cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0x2028 || cp == 0x2029);
  });
}

inline std::string CheckEscapeHtml(std::string_view in) {
  std::string e = EscapeHtml(in);
  for (size_t i = 0; i < e.size(); ++i) {
    char c = e[i];
    if (c == '<' || c == '>' || c == '"' || c == '\'') return "EscapeHtml: a raw < > \" or ' passed";
    if (c == '&') {
      size_t j = i + 1;
      if (j < e.size() && e[j] == '#') ++j;
      size_t k = j;
      while (k < e.size() && std::isalnum(static_cast<unsigned char>(e[k]))) ++k;
      if (k == j || k >= e.size() || e[k] != ';') return "EscapeHtml: a bare & passed";
    }
  }
  if (!DisplayClean(e)) return "EscapeHtml: a control character, bidi control or invalid UTF-8 passed";
  return "";
}

inline std::string CheckJsonForScript(std::string_view in) {
  std::string s = JsonForScript(nlohmann::json(std::string(in)));
  if (s.find_first_of("<>&") != std::string::npos) return "JsonForScript: a raw < > or & passed";
  if (!JsonValid(s)) return "JsonForScript: not valid JSON";
  auto back = nlohmann::json::parse(s);
  if (!back.is_string()) return "JsonForScript: does not parse back to a string";
  if (ValidUtf8Strict(in) && back.get<std::string>() != in)
    return "JsonForScript: a valid UTF-8 string does not round-trip";
  return "";
}

inline std::string CheckSourceUrl(std::string_view file, int line) {
  std::string u = SourceUrl(file, line);
  if (u.empty()) return "";
  if (u.rfind("https://", 0) != 0) return "SourceUrl: not an https URL: " + u;
  for (unsigned char c : u)
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
        c == '`')
      return "SourceUrl: a character that is not URL-safe: " + u;
  return "";
}

/// The elements the HTML renderer writes (cli/render_html.cc); input text
/// can never add one.
inline bool KnownHtmlElement(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "a",       "article", "body",    "button", "code",   "dd",     "details", "div",   "dl",
      "dt",      "footer",  "h1",      "h2",     "h3",     "h4",     "h5",      "h6",    "head",
      "header",  "html",    "input",   "label",  "li",     "main",   "meta",    "nav",   "ol",
      "option",  "p",       "pre",     "rect",   "script", "section", "select", "span",  "strong",
      "style",   "summary", "svg",     "table",  "tbody",  "td",     "text",    "th",    "thead",
      "title",   "tr",      "ul",      "g",      "path",   "em",     "small",   "br",    "hr",
      "caption", "b",       "i",       "sup",    "sub",    "kbd",    "abbr",    "time",  "mark"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

inline std::string CheckHtmlPage(std::string_view html) {
  if (!ValidUtf8Strict(html)) return "HTML: not valid UTF-8";
  if (!DecodeStrict(html, [](uint32_t cp) {
        return cp >= 0x20 ? !(cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) : (cp == '\n' || cp == '\t');
      }))
    return "HTML: a control character";
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    size_t j = i + 1;
    if (html.compare(j, 3, "!--") == 0) {
      size_t e = html.find("-->", j);
      if (e == std::string_view::npos) return "HTML: an unterminated comment";
      i = e + 3;
      continue;
    }
    if (j < html.size() && html[j] == '!') {  // <!DOCTYPE html>
      i = j;
      continue;
    }
    bool closing = j < html.size() && html[j] == '/';
    if (closing) ++j;
    size_t k = j;
    while (k < html.size() && std::isalnum(static_cast<unsigned char>(html[k]))) ++k;
    std::string name(html.substr(j, k - j));
    if (!KnownHtmlElement(name))
      return "HTML: `<` outside an element of the renderer: " + std::string(html.substr(i, 40));
    if (!closing && (name == "script" || name == "style")) {
      size_t open_end = html.find('>', k);
      if (open_end == std::string_view::npos) return "HTML: an unterminated <" + name + ">";
      std::string close = "</" + name + ">";
      size_t e = html.find(close, open_end);
      if (e == std::string_view::npos) return "HTML: a <" + name + "> block never closed";
      std::string_view open = html.substr(i, open_end - i);
      std::string_view body = html.substr(open_end + 1, e - open_end - 1);
      if (open.find("application/json") != std::string_view::npos) {
        if (body.find('<') != std::string_view::npos) return "HTML: a `<` inside the JSON data block";
        if (!JsonValid(body)) return "HTML: the JSON data block is not valid JSON";
      }
      i = e + close.size();
      continue;
    }
    i = k;
  }
  return "";
}

/// Escaping helpers on the raw input, then the whole pipeline (small limits)
/// into the HTML page and the Alertmanager payload.
inline std::string CheckRenderers(std::string_view input) {
  std::string e = CheckEscapeHtml(input);
  if (e.empty()) e = CheckJsonForScript(input);
  if (e.empty()) e = CheckSourceUrl(input, static_cast<int>(input.size()));
  if (!e.empty()) return e;
  for (size_t at = 0; at < input.size();) {
    size_t nl = std::min(input.find('\n', at), input.size());
    e = CheckSourceUrl(input.substr(at, nl - at), 12);
    if (!e.empty()) return e;
    at = nl + 1;
  }
  ParseOptions popts;
  popts.limits.max_groups = 16;
  popts.limits.max_frames = 16;
  std::unique_ptr<ParsedInput> in = ParseText(input, popts);
  std::vector<Finding> findings = Analyze(*in, EngineOptions{});
  RenderOptions ropts;
  ropts.verbose = !input.empty() && (input[0] & 1);
  std::ostringstream os;
  RenderHtml(*in, findings, ropts, os);
  e = CheckHtmlPage(os.str());
  if (!e.empty()) return e;
  std::ostringstream json_text;
  RenderJson(*in, findings, ropts, json_text);
  if (json_text.str() != DumpJson(ReportJson(*in, findings, ropts, true), 2) + "\n")
    return "json: the report differs from the dump of its tree";
  AlertmanagerOptions aopts;
  aopts.url = "http://alertmanager:9093";
  std::string alerts = AlertsJson(*in, findings, aopts, 1700000000);
  if (!JsonValid(alerts)) return "alerts: not valid UTF-8 JSON";
  if (!nlohmann::json::parse(alerts).is_array()) return "alerts: not a JSON array";
  return "";
}

}  // namespace gotriage::check

#endif  // GOTRIAGE_TESTS_SUPPORT_RENDER_CHECK_H_
