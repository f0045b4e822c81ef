// The output contracts on hostile input, checked end to end: parse, Analyze,
// then every renderer. Shared by the fuzz target (cli/pipeline_fuzz.cc) and
// the adversarial tests (cli/adversarial_test.cc). Header-only so that the
// gotriage binary does not carry it.
//
//   * text output (without colour) holds no control character other than
//     `\n` and `\t`, no C1 control, no bidi override, and is valid UTF-8:
//     nothing from the input can drive the terminal;
//   * JSON, SARIF and ndjson output is valid UTF-8 (strict decoder) and
//     parses back;
//   * GitHub output holds no more workflow commands than findings, and no
//     control characters (the Actions log viewer interprets ANSI escapes);
//   * the Markdown summary is valid UTF-8.
#ifndef GOTRIAGE_TESTS_SUPPORT_PIPELINE_CHECK_H_
#define GOTRIAGE_TESTS_SUPPORT_PIPELINE_CHECK_H_

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/render.h"
#include "cli/render_ci.h"
#include "parsers/parse.h"
#include "rules/engine.h"

namespace gotriage::check {

/// Strict UTF-8 decoding (no overlongs, surrogates or values past
/// U+10FFFF); calls \a cp_ok on every code point and stops at the first it
/// rejects. False on invalid input or a rejected code point.
template <typename F>
inline bool DecodeStrict(std::string_view s, F cp_ok) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      cp = c & 0x1F;
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      cp = c & 0x0F;
      n = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      cp = c & 0x07;
      n = 4;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    if (!cp_ok(cp)) return false;
    i += n;
  }
  return true;
}

inline bool ValidUtf8Strict(std::string_view s) {
  return DecodeStrict(s, [](uint32_t) { return true; });
}

/// True when \a s is safe to write to a terminal.
inline bool TerminalSafe(std::string_view s) {
  return DecodeStrict(s, [](uint32_t cp) {
    if (cp == '\n' || cp == '\t') return true;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;
    return !((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
  });
}

inline bool JsonValid(std::string_view s) {
  return ValidUtf8Strict(s) && !nlohmann::json::parse(s, nullptr, false).is_discarded();
}

struct Outputs {
  std::string text, text_color, json, sarif, ndjson, github, summary;
};

/// Runs the whole pipeline on \a input. Returns "" when every contract
/// holds, else what broke; \a out receives the outputs.
inline std::string CheckPipeline(std::string_view input, const ParseOptions& popts,
                                 bool verbose, Outputs* out) {
  std::unique_ptr<ParsedInput> in = ParseText(input, popts);
  std::vector<Finding> findings = Analyze(*in, EngineOptions{});
  RenderOptions ropts;
  ropts.verbose = verbose;
  auto render = [&](auto fn, const RenderOptions& o) {
    std::ostringstream os;
    fn(*in, findings, o, os);
    return os.str();
  };
  out->text = render(RenderText, ropts);
  if (!TerminalSafe(out->text)) return "text output holds a raw control character or invalid UTF-8";
  RenderOptions color = ropts;
  color.color = true;
  out->text_color = render(RenderText, color);
  out->json = render(RenderJson, ropts);
  if (!JsonValid(out->json)) return "JSON output is not valid UTF-8 JSON";
  out->sarif = render(RenderSarif, ropts);
  if (!JsonValid(out->sarif)) return "SARIF output is not valid UTF-8 JSON";
  out->ndjson = render(RenderNdjson, ropts);
  {
    std::istringstream lines(out->ndjson);
    for (std::string line; std::getline(lines, line);)
      if (!JsonValid(line)) return "ndjson line is not valid UTF-8 JSON";
  }
  out->github = render(RenderGithub, ropts);
  {
    std::istringstream lines(out->github);
    size_t commands = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("::", 0) == 0) ++commands;
      if (!TerminalSafe(line)) return "github output holds a control character";
    }
    if (commands > findings.size()) return "github output holds more commands than findings";
  }
  out->summary = GithubSummaryMarkdown(*in, findings, ropts);
  if (!ValidUtf8Strict(out->summary)) return "Markdown summary is not valid UTF-8";
  return "";
}

}  // namespace gotriage::check

#endif  // GOTRIAGE_TESTS_SUPPORT_PIPELINE_CHECK_H_
