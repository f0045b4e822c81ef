// The fingerprint of a finding (docs/fingerprint.md): normalised message,
// application frames, versioned hash.
#ifndef GOTRIAGE_RULES_FINGERPRINT_H_
#define GOTRIAGE_RULES_FINGERPRINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

namespace gotriage {

/// Keeps the first line of \a msg with what varies between occurrences
/// of one bug replaced: addresses by `0x?`, numbers, IPs and durations by
/// `#`, quoted values by `"?"`, long hex/base64 runs (IDs, tokens) by
/// `<id>` (docs/fingerprint.md).
std::string NormalizeMessage(std::string_view msg);
/// A function name as the fingerprint uses it: no `(...)`, type arguments
/// folded to `[]`.
std::string FingerprintFunction(std::string_view function);

/// At most this many application frames enter a fingerprint.
constexpr size_t kFingerprintFrames = 5;
/// The frames a fingerprint names: from the culprit outwards, the
/// application and dependency frames (runtime, stdlib and wrappers
/// dropped), function names only; the culprit alone when there is none.
std::vector<std::string> FingerprintFrames(const std::vector<Frame>& frames, int culprit);
/// 16 hex digits of FNV-1a over the fingerprint version, rule id, the
/// frame functions and the normalized message. Never depends on
/// addresses, IDs, counts, times, line numbers or the dump's form.
std::string Fingerprint(std::string_view rule_id, const std::vector<std::string>& functions,
                        std::string_view message);
/// The same with one function (or none when empty).
std::string Fingerprint(std::string_view rule_id, std::string_view function,
                        std::string_view message);

/// Sets the fingerprint from rule id, culprit function and \a message.
void SetFingerprint(Finding* f, std::string_view message);
/// Sets the fingerprint from rule id, the application frames of \a frames
/// from \a culprit on, and \a message (docs/fingerprint.md).
void SetFingerprint(Finding* f, std::string_view message, const std::vector<Frame>& frames, int culprit);

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_FINGERPRINT_H_
