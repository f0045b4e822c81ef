// Removes log envelopes (kubectl prefixes, CRI and docker records, JSON log
// fields, ...) from each input line before the Scanner sees it.
//
// Detection is per line, so one input may mix plain and wrapped lines (a
// pasted `kubectl logs` next to prose, a CRI file with a JSON log inside).
// Each envelope is recognised by a literal or character-class test on its
// first bytes, then validated (a fixed-shape timestamp, `stdout|stderr P|F`,
// `host tag[pid]: `, ...); only the few complex shapes run a precompiled RE2,
// and only after the cheap test passed. A line with no envelope is passed on
// as a view of the input: no allocation, no regex.
//
// Before anything, an editor's autolinks (`[k8s.io/x.F(](http://k8s.io/x.F()`)
// are undone (UndoAutolinks, prefix.h).
//
// Layers peeled, outermost first, at most kMaxLayers of them:
//   Docker stream headers       stdcopy's 8 bytes, or the byte a paste left
//                               of them before a timestamp (once per line)
//   kubectl logs --prefix       `[pod/NAME/CONTAINER] `
//   CI step tags                `[step-name] `, `[2024-01-02T03:04:05Z] `
//   RFC 3339 timestamps         kubectl logs --timestamps, CI runners
//   CRI log records             `TIME stdout|stderr P|F MSG` (P joined)
//   GitLab job log markers      `TIME 00O+ MSG`
//   Jenkins timestamper         `12:34:56.789 `
//   syslog / journald           `Nov 23 12:00:00 host kubelet[123]: `
//   klog headers                `E1123 12:00:00.123456   123 file.go:12] `
//   Rancher UI copies           `Sat, Aug 27 2022 3:47:12 pm | `
//   docker-compose              `svc_1  | `
// then, for a line that is a JSON object:
//   docker json-file            `{"log":"...\n","stream":"stderr","time":"..."}`
//                               (records without `\n` joined)
//   structured logs (zap, logrus, slog, klog JSON, ...) whose stack field
//   holds a Go stack with a panic: the record becomes the stack's lines,
//   as printed, the first carrying what the record said of the panic
//   (Line::logged: its message, and whether the stack is zap's frame-only
//   form, without a goroutine header or argument lists).
//   a log pipeline's export, one record per line of output (GKE's
//   `message`, journald's JSON `MESSAGE`, a logfmt `trace="..."`): the
//   field is learned from the first record whose value starts as the
//   runtime's output does, then every record's value is the line
//   (CarriedLine).
// Every line made from one record carries that record's line number and
// timestamp.
//
// Then, on every line, whatever envelope it came out of: the learned prefix
// (see prefix.h). A Go marker (`panic: `, `goroutine N [...]:`, `SIGQUIT: `,
// `WARNING: DATA RACE`, ...) found after other text on a line teaches the
// text before it as the input's prefix, which is peeled from the following
// lines while they carry it (the same text, or the same shape: digits may
// differ). The envelopes above are the prefixes known in advance; this is
// the general case for the ones nobody listed (`]: `, `app | `, a code
// indent, markdown `> `, a timestamp of any layout, a spinner before a
// panic). TTY garbage (`\r` overwrites, ANSI escapes) is removed first.
#ifndef GOTRIAGE_PARSERS_ENVELOPE_H_
#define GOTRIAGE_PARSERS_ENVELOPE_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "parsers/line.h"
#include "parsers/prefix.h"
#include "parsers/test2json.h"

namespace gotriage {

/// Which envelope a line was found in (for tests and statistics).
enum class EnvelopeKind : uint8_t {
  kNone,
  kKubectlPrefix,
  kBracketTag,
  kTimestamp,
  kCri,
  kGitlab,
  kClockTime,
  kSyslog,
  kKlog,
  kRancher,
  kCompose,
  kDockerJson,
  kStructuredLog,
  kQuote,  ///< a markdown quote `> ` before another envelope
  /// The 8-byte header of Docker's multiplexed attach/logs stream (stdcopy),
  /// read raw, or what a paste left of it before a timestamp.
  kDockerStream,
};

/// Peels the prefix envelopes of \a line in place. On return \a line holds
/// the rest, \a timestamp the innermost timestamp seen ("" if none) as a
/// view into the original line; for a CRI record \a cri_stream and
/// \a cri_partial describe it. Returns the number of layers peeled.
/// Also used to find where a large file can be split (parse.cc). Without
/// \a allow_cri a CRI record header is not peeled (a field of a log record
/// is never one).
int PeelPrefixes(std::string_view* line, std::string_view* timestamp,
                 std::string_view* cri_stream, bool* cri_partial, bool allow_cri = true);

/// The run lane's shortcut (EnvelopeUnwrapper::TakeRun): for a line with
/// one envelope in its commonest shapes, a kubectl timestamp, a whole CRI
/// record (`F`) or a `kubectl logs --prefix` tag, around a stack's line (a
/// frame's two lines, a goroutine header, `created by`) or nothing,
/// returns where the text starts and sets the form (and \a blank when the
/// text is empty); 0 when PeelPrefixes must decide. Where it answers,
/// PeelPrefixes peels that one layer to the same text, and for a CRI
/// record nothing more off its text (a test holds the two to this).
size_t PeelRunLineShortcut(std::string_view line, EnvelopeKind* kind, bool* blank);

/// Decodes \a line when it is a docker json-file record in exactly docker's
/// shape (`{"log":"...","stream":"...","time":"..."}`, ASCII, the escapes
/// docker writes): appends the `log` field to \a log and sets \a stream and
/// \a time (views into \a line). False, and \a log as it was, for anything
/// else, which then needs a JSON parser to decide.
bool DecodeDockerRecord(std::string_view line, std::string* log, std::string_view* stream,
                        std::string_view* time);

/// A docker json-file record at \a p, read up to its line's `\n` (before
/// \a end), when DecodeDockerRecord would take that line and its `log` is
/// one whole line (a `\n` at its end and nowhere else): appends that text,
/// `\n` included, to \a log and returns the bytes of the line, its `\n`
/// included. 0, and \a log as it was, for any other line, including some
/// DecodeDockerRecord takes. For a text compared whole with a recorded one
/// (StackTrie).
size_t DecodeDockerLine(const char* p, const char* end, std::string* log);

/// The end of a docker json-file record in docker's own shape at \a p, the
/// quote that closes its `log`: `","stream":"S","time":"T"}` and the line's
/// `\n` (before \a end), S and T with no escapes, as DecodeDockerRecord
/// reads them. Its bytes, `\n` included; 0 when it is not that.
size_t DockerRecordTail(const char* p, const char* end);

class EnvelopeUnwrapper {
 public:
  static constexpr int kMaxLayers = 4;
  /// Partial records (CRI `P`, docker without `\n`) joined up to this size.
  static constexpr size_t kMaxJoined = 4 << 20;

  explicit EnvelopeUnwrapper(LineSink* sink) : sink_(sink) {}
  /// \a raw is one input line without its `\n`.
  void Feed(std::string_view raw, size_t lineno, bool unterminated, bool cut);
  /// The fast lane: offers complete lines (each ending in `\n`) to the sink
  /// in one call (see LineRun). Returns the bytes the sink took, all whole
  /// lines, and sets \a lines; 0 while a partial record is being joined.
  size_t TakeRun(std::string_view text, size_t lineno, size_t max_line, size_t* lines);
  /// True when Feed would pass \a line to the sink unchanged: no envelope,
  /// no JSON record, no `\r` or `^M` at its end.
  static bool PassesUnchanged(std::string_view line);
  /// PassesUnchanged, and no `[pod/NAME/CONTAINER]` tag PodDemux would
  /// route elsewhere: what a run may take under a demultiplexer. ParsePodTag
  /// accepts tags Peel leaves on (a tag ending the line, a name with bytes
  /// no pod name has), and the demux, not Peel, decides where a line goes.
  static bool PassesUnchangedUntagged(std::string_view line);
  /// For a goroutine header (`goroutine N ...:`, as FastGoroutineHeader
  /// reads it): true when both of the above hold for a reason one pass over
  /// \a line sees, false when they must be asked. A Go 1.27 header carries
  /// labels (`{route: /v1/x, tenant: t_9}`) whose colons send it to
  /// PassesUnchanged's marker search on every goroutine; a colon no marker
  /// ends at (GoMarkerEndingAt) needs no search.
  static bool PlainHeaderPassesUnchanged(std::string_view line);
  /// The same for a debug=1 profile's label line (`# labels: {"k":"v"}`,
  /// printable ASCII): what PprofDebug1Parser's run takes without asking.
  static bool PlainPprofLabelsPassesUnchanged(std::string_view line);
  /// Ends the input: flushes pending partial records, then calls OnEnd.
  void End();
  /// Under a PodDemux (parsers/demux.h): the lines of one pod's stream all
  /// start with \a tag (`[pod/NAME/CONTAINER]`), and the fast lane stops at
  /// a line that does not; with \a tag "" (the stream of untagged lines) it
  /// stops at any pod tag. Either way a run never takes another stream's line.
  void set_demux_tag(std::string tag) {
    demuxed_ = true;
    demux_tag_ = std::move(tag);
  }

 private:
  // A record being joined from partial pieces (one per stream).
  struct Partial {
    std::string text;
    std::string timestamp;
    size_t lineno = 0;
    bool open = false;
    bool cut = false;
  };
  Partial& PartialFor(std::string_view stream);
  void Flush(Partial* p, std::string_view stream, bool unterminated);
  // Emits the content of one record: unwraps JSON logs, else one line.
  void Content(std::string_view text, size_t lineno, std::string_view ts,
               std::string_view stream, bool unterminated, bool cut, int depth);
  // Handles a line that is a JSON object; false when it is not a log record
  // this unwrapper knows (the line is then passed on as it is).
  bool JsonRecord(std::string_view text, size_t lineno, std::string_view ts,
                  std::string_view stream, bool unterminated, bool cut, int depth);
  // A docker json-file record: its `log` field, joined when it has no `\n`.
  void DockerRecord(const std::string& content, std::string_view time, std::string_view strm,
                    size_t lineno, bool unterminated, bool cut, int depth);
  // A line that is not JSON but carries a log record with a stack: a
  // JSON object at its end (zap/logr console lines) or logfmt pairs
  // (logrus text, klog, go-kit).
  // A stack escaped into a lone JSON string of \a t (no record's field):
  // {"msg": its value} in \a out; false when \a t holds none.
  static bool QuotedStack(std::string_view t, nlohmann::json* out);
  bool EmbeddedRecord(std::string_view text, size_t lineno, std::string_view ts,
                      std::string_view stream, bool unterminated, bool cut);
  // A stream of records that each carry one line of the runtime's output in
  // a field (a log pipeline's export: GKE's `message`, journald's JSON
  // `MESSAGE`, a logfmt `trace="..."`): the field is learned from the first
  // record whose value starts like the runtime's output (`panic: `,
  // `goroutine N [`, ...), and from then on every record's value is the
  // line. False when \a text is no such record.
  bool CarriedLine(std::string_view text, size_t lineno, std::string_view ts, std::string_view stream,
                   bool unterminated, bool cut);
  // A log record in \a text, whichever of the two it is: a JSON object
  // (JsonRecord), else one carried in a line (EmbeddedRecord), which also
  // reads a JSON object cut before its closing brace.
  bool AnyRecord(std::string_view text, size_t lineno, std::string_view ts, std::string_view stream,
                 bool unterminated, bool cut, int depth);
  // A decoded record (any of the above): its stack field, if it holds a
  // panic, becomes the stack's lines, the first carrying the record's
  // panic (Line::logged).
  bool StackRecord(nlohmann::json* record, size_t lineno, std::string_view ts,
                   std::string_view stream, bool unterminated, bool cut);
  void FeedLine(std::string_view raw, size_t lineno, bool unterminated, bool cut);
  void EmitLine(std::string_view text, size_t lineno, std::string_view ts,
                std::string_view stream, bool unterminated, bool cut,
                const LoggedStack* logged = nullptr);
  // The last step of every line: TTY garbage, the learned prefix, paste
  // repairs (prefix.h), then the sink.
  void Deliver(const Line& line);

  LineSink* sink_;
  PrefixLearner prefix_;
  Partial out_, err_;
  Test2JsonDecoder test2json_;  // `go test -json` events (parsers/test2json.h)
  bool last_changed_ = false;  // Feed's last line had an envelope, JSON or `\r`
  // TakeRun's batch of lines in one envelope form, peeled: their text, and
  // where each ends in the input.
  static constexpr size_t kMaxBatchLines = 512;
  size_t batch_lines_ = 1;
  std::string batch_;
  std::vector<size_t> batch_ends_;
  // Once a batch holds a record joined from CRI `P` pieces: each batch
  // line's input line number, and the input lines through it.
  std::vector<size_t> batch_linenos_;
  std::vector<size_t> batch_raw_ends_;
  void AddOneLine(size_t base, size_t* raw_lines);  // one input line added to the batch
  std::vector<size_t> batch_blanks_;  // the batch lines that are blank once peeled, in order
  EnvelopeKind batch_kind_ = EnvelopeKind::kTimestamp;  // every batch line's envelope
  bool demuxed_ = false;
  std::string demux_tag_;
  // PeelRunLineShortcut for TakeRun, remembering the last `kubectl logs
  // --prefix` tag it read (with its space) in run_tag_.
  size_t Shortcut(std::string_view raw, EnvelopeKind* kind, bool* blank);
  // The run lane's enveloped runs (LineRun::envelope): the envelope of the
  // line at the start of \a text, when it is one of the forms a sink
  // reads in place, in env; RunTextAt is its RunEnvelope::text_at.
  bool RunEnvelopeOf(std::string_view text, RunEnvelope* env);
  static size_t RunTextAt(void* self, std::string_view raw);
  EnvelopeKind run_kind_ = EnvelopeKind::kNone;  // of the enveloped run offered
  std::string docker_text_;                      // a docker record's text (RunEnvelopeOf)
  std::string env_tag_;                          // its tag (kKubectlPrefix)
  std::string run_tag_;
  TimestampShape ts_shape_;  // of the last timestamp Shortcut read
  std::string unlinked_;  // a line with an editor's autolinks undone (Feed)
  std::string carrier_;   // the field CarriedLine learned, "" before
  bool carrier_logfmt_ = false;  // ... of logfmt records, not JSON ones
  std::string carried_;   // the value CarriedLine emits
  std::string docker_log_;  // a docker record's decoded `log`, reused
  std::string_view raw_;    // the line Feed is reading (Line::raw)
  LoggedStack logged_;      // the panic of the record StackRecord emits
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_ENVELOPE_H_
