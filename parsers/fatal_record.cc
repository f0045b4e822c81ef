// Fatal-level log records; see fatal_record.h.
#include "parsers/fatal_record.h"

#include <re2/re2.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "base/strings.h"
#include "parsers/grammar.h"
#include "parsers/log_record.h"
#include "parsers/traceback.h"

namespace gotriage {

namespace {

using nlohmann::json;

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// A level that ends the program: zap's, logrus', zerolog's and klog's
// fatal as each prints it.
bool FatalLevel(std::string_view v) {
  std::string l = Lower(Trim(v));
  return l == "fatal" || l == "fata" || l == "ftl";
}

// A stack's function line as zap prints it (`main.main`, `pkg.(*T).M`):
// no blanks, a dot.
bool LooksLikeFunction(std::string_view s) {
  return !s.empty() && s.size() < 512 && s.find_first_of(" \t") == std::string_view::npos &&
         s.find('.') != std::string_view::npos && s.front() != '{';
}

const char* const kLevelKeys[] = {"level", "lvl", "severity", "L", "log.level", "@l", "loglevel"};
const char* const kMessageKeys[] = {"msg", "message", "M", "@m", "@mt"};
const char* const kErrorKeys[] = {"error", "err", "error.message", "E"};
const char* const kCallerKeys[] = {"caller", "file", "C", "source"};
const char* const kFunctionKeys[] = {"func", "function"};

// The first string field of \a j among \a keys, or "".
template <size_t N>
std::string FirstOf(const json& j, const char* const (&keys)[N]) {
  for (const char* k : keys)
    if (const json* v = log_record::StringField(j, k)) return v->get<std::string>();
  return "";
}

// The object of \a j (itself, or one nested in it: a log view's
// `jsonPayload`) whose level field says fatal, or nullptr.
const json* FatalObject(const json& j, int depth) {
  if (!j.is_object()) return nullptr;
  for (const char* k : kLevelKeys)
    if (const json* v = log_record::StringField(j, k)) return FatalLevel(v->get_ref<const std::string&>()) ? &j : nullptr;
  if (depth == 0) return nullptr;
  for (const auto& [key, value] : j.items())
    if (const json* o = FatalObject(value, depth - 1)) return o;
  return nullptr;
}

bool FromObject(const json& j, const char* format, FatalRecord* out) {
  const json* o = FatalObject(j, 2);
  if (!o) return false;
  out->format = format;
  out->level = FirstOf(*o, kLevelKeys);
  out->message = FirstOf(*o, kMessageKeys);
  out->error = FirstOf(*o, kErrorKeys);
  out->caller = FirstOf(*o, kCallerKeys);
  out->function = FirstOf(*o, kFunctionKeys);
  // zap adds the caller's stack to a record at error level and above:
  // `main.main\n\t/src/main.go:21\n...`; its first line is the caller.
  if (const json* st = log_record::StringField(*o, "stacktrace"); st && out->function.empty()) {
    std::string_view first(st->get_ref<const std::string&>());
    first = first.substr(0, first.find('\n'));
    if (LooksLikeFunction(first)) out->function.assign(first);
  }
  return true;
}

// True when \a t holds `atal` in any case (fatal, Fatal, FATAL). Most
// lines of a log hold none, and this runs on each of them: 16 bytes at a
// time where SSE2 is there, each compared (lower-cased) with `a`, `t` and
// `l`, the four masks shifted onto each other.
bool MayHoldFatal(std::string_view t) {
  const auto* p = reinterpret_cast<const unsigned char*>(t.data());
  const size_t n = t.size();
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i lower = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'), tt = _mm_set1_epi8('t'), l = _mm_set1_epi8('l');
    // Windows 13 bytes apart, so that a match starting in one ends in it;
    // the last one ends at the end of the line.
    for (size_t at = 0;; at += 13) {
      if (at + 16 > n) at = n - 16;
      __m128i v = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at)), lower);
      unsigned ma = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, a)));
      unsigned mt = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, tt)));
      unsigned ml = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, l)));
      if (ma & (mt >> 1) & (ma >> 2) & (ml >> 3) & 0x1fff) return true;
      if (at + 16 == n) return false;
    }
  }
#endif
  for (size_t i = 0; i + 4 <= n; ++i)
    if ((p[i] | 0x20) == 'a' && (p[i + 1] | 0x20) == 't' && (p[i + 2] | 0x20) == 'a' && (p[i + 3] | 0x20) == 'l')
      return true;
  return false;
}

// `F0117 14:49:11.978122       1 controllermanager.go:293] leaderelection lost`
// (klog, glog); the message may be klog's structured `"msg" err="..."`.
bool ReadKlog(std::string_view t, FatalRecord* out) {
  static const RE2 re(R"(F\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ ([^\]\s]+:\d+)\] ?(.*))");
  re2::StringPiece caller, msg;
  if (!RE2::FullMatch(re2::StringPiece(t.data(), t.size()), re, &caller, &msg)) return false;
  out->format = "klog";
  out->level = "F";
  out->caller.assign(caller.data(), caller.size());
  std::string_view m(msg.data(), msg.size());
  if (!m.empty() && m[0] == '"') {
    // klog.ErrorS/InfoS: a quoted message, then key="value" pairs.
    size_t i = 1;
    std::string text;
    for (; i < m.size() && m[i] != '"'; ++i) {
      if (m[i] == '\\' && i + 1 < m.size()) ++i;
      text += m[i];
    }
    if (i < m.size()) {
      out->message = std::move(text);
      json kv;
      log_record::ParseLogfmt(m.substr(i + 1), &kv);  // an object, even with fewer than two pairs
      out->error = FirstOf(kv, kErrorKeys);
      return true;
    }
  }
  out->message.assign(m);
  return true;
}

// logrus' text formatter on a terminal: `FATA[0000] msg     key=value ...`.
bool ReadLogrusText(std::string_view t, FatalRecord* out) {
  size_t close = t.find(']');
  if (close == std::string_view::npos || close > 32) return false;
  std::string_view rest = Trim(t.substr(close + 1));
  out->format = "logrus";
  out->level = "FATA";
  // The message is padded with spaces before the fields.
  size_t eq = rest.find('=');
  size_t gap = rest.substr(0, eq).rfind("  ");
  if (eq != std::string_view::npos && gap != std::string_view::npos) {
    out->message.assign(Trim(rest.substr(0, gap)));
    json kv;
    log_record::ParseLogfmt(rest.substr(gap), &kv);
    out->error = FirstOf(kv, kErrorKeys);
  } else {
    out->message.assign(rest);
  }
  return true;
}

// zap's console encoder: `TIME\tFATAL\tCALLER\tMSG\t{"error": ...}`.
bool ReadZapConsole(std::string_view t, FatalRecord* out) {
  size_t at = t.find("\tFATAL\t");
  if (at == std::string_view::npos) return false;
  std::string_view rest = t.substr(at + 7);
  out->format = "zap";
  out->level = "FATAL";
  std::vector<std::string_view> parts;
  while (!rest.empty()) {
    size_t tab = rest.find('\t');
    parts.push_back(rest.substr(0, tab));
    rest = tab == std::string_view::npos ? std::string_view() : rest.substr(tab + 1);
  }
  size_t i = 0;
  if (i < parts.size() && parts[i].find(".go:") != std::string_view::npos && parts[i].find(' ') == std::string_view::npos)
    out->caller.assign(parts[i++]);
  if (i < parts.size()) out->message.assign(parts[i++]);
  for (; i < parts.size(); ++i) {
    std::string_view p = Trim(parts[i]);
    if (p.empty() || p.front() != '{') continue;
    json j = json::parse(p.begin(), p.end(), nullptr, false);
    if (j.is_object()) out->error = FirstOf(j, kErrorKeys);
  }
  return true;
}

// zerolog's console writer: `3:04PM FTL file.go:12 > msg error="..."`.
bool ReadZerologConsole(std::string_view t, FatalRecord* out) {
  // The level is the second word, after the time (`3:04PM`, or an RFC
  // 3339 stamp).
  size_t at = t.find(' ');
  if (at == std::string_view::npos || at > 40 || t.substr(at, 5) != " FTL ") return false;
  std::string_view rest = Trim(t.substr(at + 5));
  out->format = "zerolog";
  out->level = "FTL";
  if (size_t gt = rest.find(" > "); gt != std::string_view::npos && rest.substr(0, gt).find(".go:") != std::string_view::npos) {
    out->caller.assign(rest.substr(0, gt));
    rest = rest.substr(gt + 3);
  }
  size_t err = rest.find(" error=");
  if (err == std::string_view::npos) err = rest.find(" err=");
  if (err != std::string_view::npos) {
    json kv;
    log_record::ParseLogfmt(rest.substr(err), &kv);
    out->error = FirstOf(kv, kErrorKeys);
    rest = rest.substr(0, err);
  }
  out->message.assign(Trim(rest));
  return true;
}

// One `key: "value"` line of a pretty-printed record (`"key": "value",`
// of indented JSON too): false for any other line.
bool PrettyField(std::string_view line, std::string* key, std::string* value) {
  std::string_view t = Trim(line);
  if (!t.empty() && t.back() == ',') t = TrimRight(t.substr(0, t.size() - 1));
  size_t colon = t.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > 64) return false;
  std::string_view k = Trim(t.substr(0, colon));
  if (k.size() >= 2 && k.front() == '"' && k.back() == '"') k = k.substr(1, k.size() - 2);
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '@')) return false;
  std::string_view v = Trim(t.substr(colon + 1));
  if (v.empty() || v == "{" || v == "[") return false;
  key->assign(k);
  value->clear();
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) ++i;
      *value += v[i];
    }
  } else {
    value->assign(v);
  }
  return true;
}

void ApplyPretty(const std::string& key, const std::string& value, FatalRecord* r) {
  auto in = [&](const auto& keys) { return std::find(std::begin(keys), std::end(keys), key) != std::end(keys); };
  if (in(kMessageKeys) && r->message.empty()) r->message = value;
  else if (in(kErrorKeys) && r->error.empty()) r->error = value;
  else if (in(kCallerKeys) && r->caller.empty()) r->caller = value;
  else if (in(kFunctionKeys) && r->function.empty()) r->function = value;
}

// `level: "fatal"` of a pretty-printed record.
bool PrettyFatalLevel(std::string_view text, std::string* level) {
  std::string_view t = TrimLeft(text);
  if (t.size() < 12 || t.size() > 40) return false;
  std::string key;
  if (!PrettyField(t, &key, level)) return false;
  for (const char* k : kLevelKeys)
    if (key == k) return FatalLevel(*level);
  return false;
}

// A klog header the envelope layer peeled off \a line (it reads klog's
// headers as a log prefix and passes the message on): `F...` in the bytes
// before its text.
bool PeeledKlogFatal(const Line& line, FatalRecord* r) {
  if (line.raw.empty() || !ViewWithin(line.text, line.raw) || line.text.data() == line.raw.data()) return false;
  std::string_view env = line.raw.substr(0, static_cast<size_t>(line.text.data() - line.raw.data()));
  for (size_t at = env.find('F'); at != std::string_view::npos; at = env.find('F', at + 1)) {
    if (at + 5 < env.size() && IsDigit(env[at + 1]) && (at == 0 || env[at - 1] == ' ' || env[at - 1] == '\t') &&
        ReadKlog(line.raw.substr(at), r))
      return true;
  }
  return false;
}

// \a s without its ANSI CSI sequences (`ESC [ 31 m`): a logger's colours
// on a terminal (logrus' `FATA`, zap's and zerolog's levels).
std::string WithoutCsi(std::string_view s) {
  std::string r;
  r.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      size_t j = i + 2;
      while (j < s.size() && j < i + 16 && (IsDigit(s[j]) || s[j] == ';' || s[j] == '?')) ++j;
      if (j < s.size() && s[j] >= 0x40 && s[j] <= 0x7e) {
        i = j;
        continue;
      }
    }
    r += s[i];
  }
  return r;
}

}  // namespace

// The flag package's refusal of a command line (flag.Parse with
// ExitOnError, what flag.Parse() does: it prints one of these, then
// `Usage of PROG:` and the defaults, and exits with status 2), and
// pflag's (cobra prints it after `Error: `). The message is the line.
bool ReadFlagError(std::string_view t, FatalRecord* out) {
  std::string_view s = t;
  bool cobra = false;
  if (StartsWith(s, "Error: ")) {
    s.remove_prefix(7);
    cobra = true;
  }
  static constexpr std::string_view kGo[] = {"flag provided but not defined: -", "flag needs an argument: -",
                                             "bad flag syntax: "};
  static constexpr std::string_view kPflag[] = {"unknown flag: --", "unknown shorthand flag: '"};
  bool ok = false;
  for (std::string_view w : kGo) ok = ok || (!cobra && StartsWith(s, w));
  for (std::string_view w : kPflag) ok = ok || StartsWith(s, w);
  // `invalid value "x" for flag -n: parse error`, `invalid boolean value
  // "x" for -v: ...`; pflag's `invalid argument "x" for "-n, --num" flag: ...`.
  if (!ok && (StartsWith(s, "invalid value \"") || StartsWith(s, "invalid boolean value \"")))
    ok = !cobra && s.find("\" for ") != std::string_view::npos && s.find(": ", 15) != std::string_view::npos;
  if (!ok && StartsWith(s, "invalid argument \""))
    ok = s.find("\" flag: ") != std::string_view::npos;
  if (!ok) return false;
  out->format = cobra ? "cobra" : "flag";
  out->level = "";
  out->message = std::string(TrimRight(s));
  return true;
}

bool ReadFatalRecord(std::string_view text, FatalRecord* out) {
  std::string_view t = text;
  if (t.empty()) return false;  // (an empty view's data may be null: no memchr on it)
  // Colours start within a timestamp's width of the line's start.
  if (std::memchr(t.data(), '\x1b', std::min<size_t>(t.size(), 48)) != nullptr &&
      (t.find("FATA") != std::string_view::npos || t.find("FTL") != std::string_view::npos)) {
    std::string plain = WithoutCsi(t);
    return plain.find('\x1b') == std::string::npos && ReadFatalRecord(plain, out);
  }
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  if (t.size() < 8) return false;
  if (t[0] == 'F' && IsDigit(t[1])) return ReadKlog(t, out);
  if ((t[0] == 'f' || t[0] == 'i' || t[0] == 'u' || t[0] == 'b' || t[0] == 'E') && ReadFlagError(t, out)) return true;
  if (StartsWith(t, "FATA[")) return ReadLogrusText(t, out);
  if (!MayHoldFatal(t)) return ReadZerologConsole(t, out);
  if (t.find("\tFATAL\t") != std::string_view::npos) return ReadZapConsole(t, out);
  if (size_t open = t.find('{'); open != std::string_view::npos && TrimRight(t).back() == '}') {
    std::string_view body = TrimRight(t.substr(open));
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_object()) return FromObject(j, "json", out);
  }
  if (t.find('=') != std::string_view::npos) {
    json kv;
    if (log_record::ParseLogfmt(t, &kv) && FromObject(kv, "logfmt", out)) return true;
  }
  return false;
}

FatalRecordParser::FatalRecordParser(ParseContext* ctx) : ctx_(ctx) {}

FatalRecordParser::~FatalRecordParser() = default;

bool FatalRecordParser::Start(const Line& line) {
  FatalRecord r;
  bool pretty = false;
  if (!ReadFatalRecord(line.text, &r) && !PeeledKlogFatal(line, &r)) {
    std::string level;
    if (!PrettyFatalLevel(line.text, &level)) return false;
    pretty = true;
    r.format = "pretty";
    r.level = level;
    // The record's fields printed before its level, back to its `{`.
    for (auto it = ctx_->recent.rbegin(); it != ctx_->recent.rend(); ++it) {
      std::string key, value;
      if (!PrettyField(*it, &key, &value)) break;
      ApplyPretty(key, value, &r);
    }
  }
  r.input_line = line.lineno;
  incident_ = StartIncident(IncidentKind::kFatalRecord, line, *ctx_);
  incident_->fatal_record = std::move(r);
  const std::string& format = incident_->fatal_record->format;
  blank_seen_ = merged_ = false;
  mode_ = pretty                                  ? Mode::kPretty
          : format == "klog"                      ? Mode::kAfterRecord
          : format == "zap"                       ? Mode::kZapStack
          : format == "flag" || format == "cobra" ? Mode::kUsage
                                                  : Mode::kNone;
  return true;
}

SubParser::Feed FatalRecordParser::Next(const Line& line) {
  switch (mode_) {
    case Mode::kNone:
      return Feed::kDone;
    case Mode::kUsage: {
      // `Usage of PROG:` (cobra's `Usage:`, `Flags:`, `Global Flags:`) and
      // the indented flags and their help under it.
      std::string_view t = line.text;
      if (t.empty() || t[0] == ' ' || t[0] == '\t' || StartsWith(t, "Usage of ") || t == "Usage:" ||
          t == "Flags:" || t == "Global Flags:" || t == "Available Commands:") {
        if (!Trim(t).empty()) incident_->last_line = line.lineno;
        return Feed::kConsumed;
      }
      return Feed::kDone;
    }
    case Mode::kPretty: {
      std::string_view t = Trim(line.text);
      if (StartsWith(t, "}")) {
        incident_->last_line = line.lineno;
        Emit();
        return Feed::kConsumedDone;
      }
      std::string key, value;
      if (!PrettyField(line.text, &key, &value)) return Feed::kDone;
      ApplyPretty(key, value, &*incident_->fatal_record);
      incident_->last_line = line.lineno;
      return Feed::kConsumed;
    }
    case Mode::kZapStack: {
      // zap's console encoder prints the caller's stack under the record:
      // `main.main` then `\t/src/main.go:25`, one pair per frame.
      std::string_view t = line.text;
      bool at = !t.empty() && t[0] == '\t' && t.find(".go:") != std::string_view::npos;
      if (!at && !LooksLikeFunction(t)) return Feed::kDone;
      FatalRecord& r = *incident_->fatal_record;
      if (!at && r.function.empty()) r.function.assign(t);
      incident_->last_line = line.lineno;
      return Feed::kConsumed;
    }
    case Mode::kAfterRecord: {
      // glog leaves a blank line before the dump.
      if (Trim(line.text).empty() && !blank_seen_) {
        blank_seen_ = true;
        return Feed::kConsumed;
      }
      GoroutineHeader h;
      if (!ParseGoroutineHeader(line.text, &h)) return Feed::kDone;
      // klog's dump of every goroutine: read by a traceback parser of its
      // own, whose incident becomes the record's goroutines.
      inner_ = *ctx_;
      inner_.recent.clear();
      inner_.emit = [this](Incident&& inc) {
        if (incident_ && !merged_) {
          Boxed<FatalRecord> record = std::move(incident_->fatal_record);
          size_t first = incident_->first_line;
          std::string timestamp = std::move(incident_->timestamp);
          *incident_ = std::move(inc);
          incident_->kind = IncidentKind::kFatalRecord;
          incident_->fatal_record = std::move(record);
          incident_->first_line = first;
          if (!timestamp.empty()) incident_->timestamp = std::move(timestamp);
          incident_->headline.clear();
          merged_ = true;
          return;
        }
        if (incident_ && inc.kind == IncidentKind::kSignalDump && inc.signal && inc.signal->name == "SIGABRT") {
          // glog aborts after the record's stack: the runtime's dump of
          // every goroutine is the record's too (it holds the logging
          // goroutine again; one that holds fewer, cut or garbled, does not
          // replace the stack already read).
          if (inc.goroutine_count >= incident_->goroutine_count) {
            incident_->groups = std::move(inc.groups);
            incident_->goroutine_count = inc.goroutine_count;
          }
          incident_->signal = std::move(inc.signal);
          incident_->last_line = inc.last_line;
          if (inc.partial && !incident_->partial) {
            incident_->partial = true;
            incident_->partial_reason = std::move(inc.partial_reason);
          }
          return;
        }
        Emit();  // the record first, in input order (not tb_, which is running)
        ctx_->emit(std::move(inc));
      };
      tb_ = std::make_unique<TracebackParser>(&inner_);
      tb_->set_one_report(true);
      if (!tb_->Start(line)) {
        tb_.reset();
        return Feed::kDone;
      }
      mode_ = Mode::kDump;
      return Feed::kConsumed;
    }
    case Mode::kDump:
      switch (tb_->Next(line)) {
        case Feed::kConsumed:
          return Feed::kConsumed;
        case Feed::kConsumedDone:
          Emit();
          tb_.reset();
          mode_ = Mode::kNone;
          return Feed::kConsumedDone;
        case Feed::kDone:
          return Feed::kDone;
      }
  }
  return Feed::kDone;
}

size_t FatalRecordParser::TakeRun(const LineRun& run, size_t* lines) {
  if (mode_ == Mode::kDump && tb_->TakesRuns()) return tb_->TakeRun(run, lines);
  *lines = 0;
  return 0;
}

bool FatalRecordParser::TakesRuns() const { return mode_ == Mode::kDump && tb_->TakesRuns(); }
bool FatalRecordParser::TakesEnvelopedRuns() const { return mode_ == Mode::kDump && tb_->TakesEnvelopedRuns(); }

void FatalRecordParser::Finish(bool at_eof) {
  if (tb_) tb_->Finish(at_eof);  // emits the dump into the record (inner_.emit)
  tb_.reset();
  Emit();
  mode_ = Mode::kNone;
}

void FatalRecordParser::Emit() {
  if (!incident_) return;
  Incident inc = std::move(*incident_);
  incident_.reset();
  ctx_->emit(std::move(inc));
}

}  // namespace gotriage
