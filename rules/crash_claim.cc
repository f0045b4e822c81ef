// ClassifyCrash over the catalog's crash claims; see crash_claim.h.
#include "rules/crash_claim.h"

#include <utility>

#include "rules/catalog.h"
#include "rules/engine.h"
#include "rules/util.h"

namespace gotriage {
namespace {

using Claims = std::vector<std::pair<std::string_view, const CrashClaim*>>;

// The claims of the catalog's rules, in its order.
const Claims& AllClaims() {
  static const Claims* const kClaims = [] {
    auto* v = new Claims();
    for (const auto& r : Catalog())
      if (const auto* c = dynamic_cast<const ClaimsCrashes*>(r.get())) v->emplace_back(r->doc().id, &c->claim());
    return v;
  }();
  return *kClaims;
}

bool MessageClaims(const CrashClaim& c, const Incident& inc, std::string_view message) {
  for (const CrashMessage& m : c.messages)
    if (Matches(m, message)) return true;
  return c.also && c.also(inc, message);
}

}  // namespace

bool Matches(const CrashMessage& m, std::string_view message) {
  switch (m.match) {
    case MessageMatch::kPrefix:
      return message.starts_with(m.text);
    case MessageMatch::kContains:
      return message.find(m.text) != std::string_view::npos;
    case MessageMatch::kEquals:
      return message == m.text;
  }
  return false;
}

std::string_view ClassifyCrash(const Incident& inc) {
  const Claims& claims = AllClaims();
  for (const auto& [id, c] : claims)
    if (c->shape && c->shape(inc)) return id;
  std::string_view lost;
  const Goroutine* lost_g;
  if (HeaderLostRaiser(inc, &lost, &lost_g) >= 0) return lost;
  if (!IsCrash(inc)) return {};
  std::string m = RootMessage(inc);
  for (const auto& [id, c] : claims)
    if (MessageClaims(*c, inc, m)) return id;
  for (const auto& [id, c] : claims)
    if (c->otherwise && c->otherwise(inc, m)) return id;
  for (const auto& [id, c] : claims)
    if (c->catch_all) return id;
  return {};
}

std::vector<std::string_view> MessageClaimants(const Incident& inc) {
  std::vector<std::string_view> ids;
  if (!IsCrash(inc)) return ids;
  std::string m = RootMessage(inc);
  for (const auto& [id, c] : AllClaims())
    if (MessageClaims(*c, inc, m)) ids.push_back(id);
  return ids;
}

}  // namespace gotriage
