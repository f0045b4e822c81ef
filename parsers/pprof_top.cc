// Parser of `go tool pprof -top` listings; see pprof_top.h.
#include "parsers/pprof_top.h"

#include <cstdlib>

#include "base/strings.h"

namespace gotriage {

namespace {

bool IsHeader(std::string_view t) { return StartsWith(TrimLeft(t), "flat  flat%"); }
bool IsPeekHeader(std::string_view t) { return IsHeader(t) && t.find("calls calls% + context") != std::string_view::npos; }
// `----------------------------------------------------------+-------------`
bool IsPeekSeparator(std::string_view t) {
  t = TrimRight(t);
  return t.size() >= 20 && StartsWith(t, "----------") && t.find("-+-") != std::string_view::npos &&
         t.find_first_not_of("-+") == std::string_view::npos;
}

// `Showing nodes accounting for 78.56MB, 100% of 78.56MB total`.
bool ParseShowing(std::string_view t, std::string* total) {
  if (!StartsWith(t, "Showing nodes accounting for ")) return false;
  size_t of = t.rfind(" of ");
  size_t tot = t.rfind(" total");
  if (of != std::string_view::npos && tot != std::string_view::npos && tot > of)
    *total = std::string(t.substr(of + 4, tot - of - 4));
  return true;
}

// Splits the next space-separated token off \a s.
std::string_view Token(std::string_view* s) {
  *s = TrimLeft(*s);
  size_t end = s->find_first_of(" \t");
  std::string_view tok = s->substr(0, end);
  s->remove_prefix(end == std::string_view::npos ? s->size() : end);
  return tok;
}

bool ParsePercent(std::string_view v, double* out) {
  if (v.size() < 2 || v.back() != '%') return false;
  std::string s(v.substr(0, v.size() - 1));
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}

}  // namespace

bool ParseTopValue(std::string_view v, double* value, std::string* unit) {
  if (v.empty()) return false;
  size_t n = 0;
  while (n < v.size() && ((v[n] >= '0' && v[n] <= '9') || v[n] == '.')) ++n;
  if (n == 0 || n > 32) return false;
  std::string num(v.substr(0, n));
  double x = std::strtod(num.c_str(), nullptr);
  std::string_view suffix = v.substr(n);
  struct Unit {
    std::string_view s;
    double mul;
    const char* kind;
  } units[] = {// pprof's memory units are powers of 1024 (internal/measurement).
               {"", 1, "count"},       {"B", 1, "bytes"},      {"kB", 0x1p10, "bytes"},
               {"KB", 0x1p10, "bytes"},   {"MB", 0x1p20, "bytes"},   {"GB", 0x1p30, "bytes"},
               {"TB", 0x1p40, "bytes"},  {"PB", 0x1p50, "bytes"},  {"k", 1e3, "count"},
               {"M", 1e6, "count"},    {"ns", 1e-9, "time"},   {"us", 1e-6, "time"},
               {"µs", 1e-6, "time"},   {"ms", 1e-3, "time"},   {"s", 1, "time"},
               {"mins", 60, "time"},   {"hrs", 3600, "time"}};
  for (const Unit& u : units) {
    if (suffix == u.s) {
      *value = x * u.mul;
      *unit = u.kind;
      return true;
    }
  }
  return false;
}

bool ParseTopRow(std::string_view line, ProfileTopRow* row, std::string_view* function) {
  std::string_view s = TrimRight(line);
  std::string_view flat = Token(&s), flat_pct = Token(&s), sum_pct = Token(&s), cum = Token(&s),
                   cum_pct = Token(&s);
  std::string unit_a, unit_b;
  double sum;
  if (!ParseTopValue(flat, &row->flat_value, &unit_a) || !ParsePercent(flat_pct, &row->flat_pct) ||
      !ParsePercent(sum_pct, &sum) || !ParseTopValue(cum, &row->cum_value, &unit_b) ||
      !ParsePercent(cum_pct, &row->cum_pct))
    return false;
  std::string_view fn = Token(&s);
  if (fn.empty()) return false;
  row->flat = std::string(flat);
  row->cum = std::string(cum);
  row->file = std::string(Trim(s));
  *function = fn;
  return true;
}

bool PprofTopParser::Start(const Line& line) {
  std::string_view t = TrimRight(line.text);
  std::string total;
  bool showing = ParseShowing(t, &total);
  if (!showing && !IsHeader(t)) return false;
  incident_ = StartIncident(IncidentKind::kProfileTop, line, *ctx_);
  incident_->top = ProfileTop();
  incident_->top->total = total;
  std::string unit;
  ParseTopValue(total, &incident_->top->total_value, &unit);
  incident_->top->unit = unit;
  header_seen_ = !showing;
  peek_ = header_seen_ && IsPeekHeader(t);
  gap_ = 0;
  node_ = {};
  callers_.clear();
  caller_lines_.clear();
  return true;
}

bool PprofTopParser::PeekLine(std::string_view t, size_t lineno) {
  if (IsPeekSeparator(t)) {
    node_ = {};
    callers_.clear();
    caller_lines_.clear();
    return true;
  }
  size_t bar = t.find(" | ");
  if (bar == std::string_view::npos) return false;
  std::string_view left = Trim(t.substr(0, bar)), fn = Trim(t.substr(bar + 3));
  if (fn.empty() || fn.find(' ') != std::string_view::npos) return false;
  ProfileTop& top = *incident_->top;
  std::string_view name = ctx_->out->strings.Intern(fn);
  ProfileTopRow row;
  std::string_view row_fn;
  std::string with_fn = std::string(left) + "  " + std::string(fn);
  if (ParseTopRow(with_fn, &row, &row_fn)) {
    // The block's node: a row (unless the `top` before listed it), and the
    // calls above it into it.
    node_ = name;
    bool listed = false;
    for (const ProfileTopRow& r : top.rows) listed = listed || r.function == name;
    if (!listed && top.rows.size() < 4096) {
      row.function = name;
      row.input_line = lineno;
      top.rows.push_back(std::move(row));
    }
    for (size_t k = 0; k < callers_.size() && top.edges.size() < 16384; ++k)
      top.edges.push_back({callers_[k].first, name, callers_[k].second, caller_lines_[k]});
    callers_.clear();
    caller_lines_.clear();
    return true;
  }
  // A call: `VALUE PCT%`, the function indented by three spaces.
  std::string_view rest = left;
  std::string_view value = Token(&rest), pct = Token(&rest);
  double v, p;
  std::string unit;
  if (!Trim(rest).empty() || !ParseTopValue(value, &v, &unit) || !ParsePercent(pct, &p)) return false;
  if (node_.empty()) {
    if (callers_.size() < 256) {
      callers_.emplace_back(name, v);
      caller_lines_.push_back(lineno);
    }
  } else if (top.edges.size() < 16384) {
    top.edges.push_back({node_, name, v, lineno});
  }
  return true;
}

SubParser::Feed PprofTopParser::Next(const Line& line) {
  std::string_view t = TrimRight(line.text);
  if (!header_seen_) {
    if (IsHeader(t)) {
      header_seen_ = true;
      peek_ = IsPeekHeader(t);
      incident_->last_line = line.lineno;
      return Feed::kConsumed;
    }
    if (StartsWith(t, "Dropped ") || StartsWith(t, "Showing top ") || IsPeekSeparator(t)) {
      incident_->last_line = line.lineno;
      return Feed::kConsumed;
    }
    Finish(false);
    return Feed::kDone;
  }
  if (peek_) {
    if (PeekLine(t, line.lineno)) {
      incident_->last_line = line.lineno;
      return Feed::kConsumed;
    }
    // The header repeated (a second listing); anything else ends it.
    if (IsPeekHeader(t)) return Feed::kConsumed;
    Finish(false);
    return Feed::kDone;
  }
  // After a `top` listing, a `-peek` or `-tree` one of the same profile:
  // its separator, after at most a few lines a paste puts between them.
  if (IsPeekSeparator(t)) {
    header_seen_ = false;
    gap_ = 0;
    return Feed::kConsumed;
  }
  ProfileTopRow row;
  std::string_view fn;
  if (incident_->top->rows.size() < 4096 && ParseTopRow(t, &row, &fn)) {
    row.function = ctx_->out->strings.Intern(fn);
    row.input_line = line.lineno;
    if (incident_->top->unit.empty() || incident_->top->unit == "count") {
      std::string unit;
      double v;
      if (ParseTopValue(row.cum, &v, &unit)) incident_->top->unit = unit;
    }
    incident_->top->rows.push_back(std::move(row));
    incident_->last_line = line.lineno;
    gap_ = 0;
    return Feed::kConsumed;
  }
  std::string_view g = Trim(t);
  if (!incident_->top->rows.empty() && ++gap_ <= 3 && (g.empty() || g == "[...]" || g == "..." || StartsWith(g, "(pprof)")))
    return Feed::kConsumed;
  Finish(false);
  return Feed::kDone;
}

void PprofTopParser::Finish(bool at_eof) {
  if (!incident_) return;
  if (incident_->top->rows.empty()) {
    incident_.reset();  // a stray header, not a listing
    return;
  }
  ctx_->emit(std::move(*incident_));
  incident_.reset();
}

}  // namespace gotriage
