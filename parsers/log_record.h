// What a structured-log record holds (log_record.cc): zap, logrus, slog,
// klog's JSON and go-kit's logfmt records, whole or cut short, and where
// the Go runtime's output (a stack, a panic value, a fatal error) is in
// them. EnvelopeUnwrapper (envelope.h) decides a line is such a record and
// asks these; docker json-file's own record shape is DecodeDockerRecord
// (envelope.h).
#ifndef GOTRIAGE_PARSERS_LOG_RECORD_H_
#define GOTRIAGE_PARSERS_LOG_RECORD_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gotriage::log_record {

/// The string field \a key of \a j, or nullptr.
const nlohmann::json* StringField(const nlohmann::json& j, const char* key);
/// The string field of a record that holds the runtime's own output, or
/// nullptr (the stack fields first, then any other top-level field).
const nlohmann::json* FindRuntimeOutput(const nlohmann::json& j);
/// A message with a goroutine stack after it (`panic during reconcile:
/// ...\ngoroutine 713 [running]:\n...`): the offset of that `goroutine N [`
/// line, or npos.
size_t StackAfterMessage(std::string_view s);
/// The field holding a Go stack, or nullptr.
const nlohmann::json* FindStack(const nlohmann::json& j);
/// The panic value a record names: `panic`, `error`, `err`, then `msg`.
std::string RecordMessage(const nlohmann::json& j, const nlohmann::json* stack);
/// True when \a s says a panic happened (`panic`, `Panic`, `PANIC`).
bool ContainsPanic(std::string_view s);
/// The record's time as RFC 3339 (`ts` epoch seconds are converted), or "".
std::string RecordTime(const nlohmann::json& j);
/// A `\n` escape (a stack folded into one log field).
bool HasEscapedNewline(std::string_view s);
/// `key=value key="quoted \"value\"\n"` pairs (logrus text, klog, go-kit)
/// into a JSON object of strings. False unless two pairs were found.
bool ParseLogfmt(std::string_view s, nlohmann::json* out);
/// The `"key": "value"` string fields of a JSON object that may be cut
/// anywhere; nested objects flattened, only strings kept. False unless a
/// value holds an escaped newline.
bool LenientJsonStrings(std::string_view s, nlohmann::json* out);
/// A stack escaped twice (`\\n` where its newlines belong): one more level
/// is undone in every string field of \a j that holds one.
void UnescapeStacks(nlohmann::json* j);

}  // namespace gotriage::log_record

#endif  // GOTRIAGE_PARSERS_LOG_RECORD_H_
