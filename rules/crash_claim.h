// Which rule a crash belongs to. Each crash rule declares, in its own file,
// the runtime's messages it takes (a CrashClaim); ClassifyCrash asks the
// rules in the catalog's order. No central list of crash kinds.
//
// The order of the questions (the documented priority):
//   1. by shape, whatever the message: a rule's `shape` predicate (a `go
//      test` timeout incident), in catalog order;
//   2. a dump that starts at the crashing goroutine, its `panic:` line lost
//      (HeaderLostRaiser: the call on top of the stack names the rule);
//   then, for a crash (panic, fatal error, recovered panic) only:
//   3. the messages: every rule's table and `also` predicate, in catalog
//      order. A message is meant to match one rule's table only (the
//      Claims.* tests check every fixture and corpus case for it), so this
//      order decides nothing in practice;
//   4. the rules' `otherwise` predicates, in catalog order, for what no
//      message says (a SIGSEGV at a low address is a nil dereference; a
//      test's own watchdog panic is a hung test);
//   5. the catch-all rule (GT1011), for any other crash.
#ifndef GOTRIAGE_RULES_CRASH_CLAIM_H_
#define GOTRIAGE_RULES_CRASH_CLAIM_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "parsers/model.h"

namespace gotriage {

/// How a CrashMessage is compared with the crash's root message.
enum class MessageMatch : uint8_t {
  kPrefix,    ///< the message starts with the text
  kContains,  ///< the text is anywhere in the message
  kEquals,    ///< the whole message
};

struct CrashMessage {
  MessageMatch match;
  std::string_view text;
};

/// What a crash rule claims (see the order above).
struct CrashClaim {
  std::span<const CrashMessage> messages = {};
  /// Claims an incident by its shape, before anything else.
  bool (*shape)(const Incident& inc) = nullptr;
  /// A claim on the message that a table entry cannot say (two conditions
  /// at once); asked with the messages.
  bool (*also)(const Incident& inc, std::string_view message) = nullptr;
  /// Asked only when no rule's messages matched.
  bool (*otherwise)(const Incident& inc, std::string_view message) = nullptr;
  /// Takes every crash no other rule claims (one rule of the catalog).
  bool catch_all = false;
};

/// A rule that claims crashes (the crash rules, GT2001, GT2007).
class ClaimsCrashes {
 public:
  virtual ~ClaimsCrashes() = default;
  virtual const CrashClaim& claim() const = 0;
};

/// True when \a message matches \a m.
bool Matches(const CrashMessage& m, std::string_view message);

/// The ID of the rule that claims \a inc, or "" (nothing: not a crash).
std::string_view ClassifyCrash(const Incident& inc);

/// Every rule whose messages (table or `also`) match \a inc's root message,
/// in catalog order: more than one means the order decided (tests).
std::vector<std::string_view> MessageClaimants(const Incident& inc);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_CRASH_CLAIM_H_
