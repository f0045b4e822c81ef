// `--redact`: secrets and identifying values replaced by stable
// placeholders in whatever gotriage prints, in every format.
#ifndef GOTRIAGE_CLI_REDACT_H_
#define GOTRIAGE_CLI_REDACT_H_

#include <string>
#include <vector>

#include "parsers/model.h"

namespace gotriage {

/// Replaces in \a text: e-mail addresses, IPv4 addresses, hostnames (not
/// import paths), `token=`/`password:`/`Bearer` values, runs of 20+ hex or
/// 24+ base64 characters, argument and pointer values (`0x` + 5 or more
/// hex digits), and the names of the pods, namespaces and nodes of \a in.
/// Each distinct value gets one placeholder (`<ip-2>`) for the whole text.
/// Function names, file paths, line numbers and fingerprints (16 hex
/// digits) are left alone, so findings and culprits read the same.
std::string RedactText(const std::string& text, const std::vector<std::string>& names);
/// The pod, namespace and node names of \a in.
std::vector<std::string> RedactNames(const ParsedInput& in);
/// Replaces the value of every runtime/pprof label of \a in's goroutines
/// and groups by `<label-N>` (one placeholder per distinct value; keys,
/// which the code names, stay). Done on the model, before the rules run:
/// a value may be any text (`t1`, `api`), which no text pass can tell
/// from a function name, and the rules quote labels in evidence.
void RedactLabels(ParsedInput* in);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_REDACT_H_
