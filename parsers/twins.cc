// Identical incidents of many inputs, stored once; see twins.h.
#include "parsers/twins.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "parsers/model_fields.h"

namespace gotriage {

namespace {

// The key is a sequence of length-prefixed strings and numbers, so that no
// text in the input (a function name holding a separator) can make two
// different incidents write the same key.
class KeyWriter {
 public:
  void S(std::string_view s) {
    N(s.size());
    k_.append(s);
  }
  void N(uint64_t n) {
    k_ += std::to_string(n);
    k_ += ';';
  }
  void I(int64_t n) {
    k_ += std::to_string(n);
    k_ += ';';
  }
  void B(bool b) { k_ += b ? 'y' : 'n'; }
  std::string Take() { return std::move(k_); }

  // An incident's content fields (model_fields.h): not its IDs, argument
  // values, input lines or where it was.
  template <class T>
  void operator()(const char* /*name*/, const T& x, FieldRole role) {
    if (role != FieldRole::kContent) return;
    if constexpr (kHasFieldList<T>) {
      VisitFields(x, *this);
    } else if constexpr (kIsVector<T>) {
      N(x.size());
      for (const auto& e : x) (*this)("", e, role);
    } else if constexpr (kIsOptional<T>) {
      B(x.has_value());
      if (x) (*this)("", *x, role);
    } else if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
      S(x);
    } else if constexpr (std::is_same_v<T, bool>) {
      B(x);
    } else if constexpr (kIsShared<T>) {
      B(x != nullptr);  // TwinKey gives no key to an incident holding one
    } else if constexpr (std::is_floating_point_v<T>) {
      k_ += std::to_string(x);
      k_ += ';';
    } else if constexpr (std::is_enum_v<T>) {
      N(static_cast<uint64_t>(x));
    } else if constexpr (std::is_signed_v<T>) {
      I(x);
    } else {
      static_assert(std::is_unsigned_v<T>, "a field type the key does not write");
      N(x);
    }
  }

 private:
  std::string k_;
};

bool Folded(IncidentKind k) {
  switch (k) {
    case IncidentKind::kPanic:
    case IncidentKind::kFatalError:
    case IncidentKind::kSignalDump:
    case IncidentKind::kGoroutineDump:
    case IncidentKind::kPprofDebug1:
    case IncidentKind::kRecoveredPanic:
    case IncidentKind::kRaceReport:
    case IncidentKind::kTestTimeout:
    case IncidentKind::kFatalRecord:
    case IncidentKind::kKernelOomKill:
      return true;
    case IncidentKind::kProfileTop:
    case IncidentKind::kProfile:
    case IncidentKind::kGcTrace:
      return false;
  }
  return false;
}

}  // namespace

std::string TwinKey(const Incident& inc) {
  if (!Folded(inc.kind) || inc.sample_positions || inc.profile || inc.gctrace || inc.top) return "";
  KeyWriter k;
  k("", inc, FieldRole::kContent);
  return k.Take();
}

void TwinIndex::KeyHeld() {
  for (size_t at : unkeyed_) {
    std::string key = TwinKey((*held_)[at]);
    if (!key.empty()) first_.emplace(std::move(key), at);
  }
  unkeyed_.clear();
}

bool TwinIndex::Admit(const Incident& inc, size_t held, size_t max) {
  if (!unkeyed_.empty()) KeyHeld();
  if (!first_.empty()) {
    std::string key = TwinKey(inc);
    if (!key.empty() && first_.count(key)) {
      ++pending_;
      return true;
    }
  }
  return held - std::min(held, pending_) < max;
}

void TwinIndex::Absorb(Incident* into, Incident&& inc, uint32_t input) {
  into->twins.push_back(
      Occurrence{std::move(inc.source), std::move(inc.pod), std::move(inc.timestamp), inc.first_line, inc.last_line, input});
  for (Occurrence& o : inc.twins) into->twins.push_back(std::move(o));
}

void TwinIndex::Fold(std::vector<Incident>* incs, size_t from, uint32_t input) {
  pending_ = 0;
  for (size_t i = from; i < incs->size(); ++i) (*incs)[i].input = input;
  if (!unkeyed_.empty()) KeyHeld();
  held_ = incs;  // one index folds into one list
  if (first_.empty()) {
    // Nothing held to fold into: key these when another input comes.
    for (size_t i = from; i < incs->size(); ++i) unkeyed_.push_back(i);
    return;
  }
  std::vector<std::pair<std::string, size_t>> fresh;  // indexed once the input is done
  size_t kept = from;
  for (size_t i = from; i < incs->size(); ++i) {
    // (Admit may have keyed it already, but a file read in parts merges
    // its incidents after they are admitted: the key is taken again.)
    std::string key = TwinKey((*incs)[i]);
    if (!key.empty()) {
      if (auto it = first_.find(key); it != first_.end()) {
        Absorb(&(*incs)[it->second], std::move((*incs)[i]), input);
        continue;
      }
    }
    if (kept != i) (*incs)[kept] = std::move((*incs)[i]);
    if (!key.empty()) fresh.emplace_back(std::move(key), kept);
    ++kept;
  }
  incs->erase(incs->begin() + static_cast<std::ptrdiff_t>(kept), incs->end());
  for (auto& [key, at] : fresh) first_.emplace(std::move(key), at);
}

void TwinIndex::SortTwins(std::vector<Incident>* incs) {
  for (Incident& inc : *incs) {
    std::stable_sort(inc.twins.begin(), inc.twins.end(), [](const Occurrence& a, const Occurrence& b) {
      return std::tie(a.input, a.first_line) < std::tie(b.input, b.first_line);
    });
  }
}

}  // namespace gotriage
