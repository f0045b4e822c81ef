// Parser of Kubernetes pod state as users paste it: `kubectl describe pod`
// (whole, several pods, or fragments such as a container section or the
// Events table, with field names possibly redacted), and `kubectl get pod
// -o json` / `-o yaml` (a Pod or a List of pods). Fills ParsedInput::pods.
#ifndef GOTRIAGE_PARSERS_DESCRIBE_H_
#define GOTRIAGE_PARSERS_DESCRIBE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/pod_object.h"  // ParseK8sTime, ParsePodDocument, ComputeUptime
#include "parsers/sub_parser.h"

namespace gotriage {

class DescribeParser : public SubParser {
 public:
  explicit DescribeParser(ParseContext* ctx);
  ~DescribeParser() override;

  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return true; }
  void Finish(bool at_eof) override;

 private:
  enum class Mode { kInactive, kDescribe, kJson, kYaml, kTable };
  enum class Table { kPods, kEvents };
  enum class Section { kNone, kPod, kContainers, kEvents, kOther };
  enum class Sub { kNone, kState, kLast, kLimits, kRequests, kOther };

  void NewPod(const Line& line);
  void OpenLoosePod(const Line& line);
  void EndPod();
  ContainerStatus& Container(const Line& line, std::string_view name);
  bool DescribeLine(const Line& line);
  bool ContainerField(const Line& line, size_t indent, std::string_view key,
                      std::string_view value);
  void EventLine(const Line& line, std::string_view t);
  // A kubelet event message (liveness probe failure or kill, back-off) in
  // a line of any other shape: starts (\a first) or extends a pod made of
  // such events. False when the line carries none.
  bool LooseEvent(const Line& line, std::string_view t, bool first);
  // An event row of 2015-16 kubectl (tab-separated, `{kubelet HOST}`).
  bool OldEventRow(const Line& line, std::string_view t, bool first);
  bool DocumentLine(const Line& line);
  // `kubectl get pods` / `kubectl get events` tables: the header names the
  // columns, each row is cut at the header's column starts.
  bool TableHeader(const Line& line, std::string_view t);
  bool TableRow(const Line& line, std::string_view t);
  // A `kubectl get pods` row without its header: the row's own cells give
  // the columns for it and the rows that follow.
  bool HeaderlessPodRow(const Line& line, std::string_view t);
  std::string_view Column(std::string_view row, const char* name) const;

  ParseContext* ctx_;
  Mode mode_ = Mode::kInactive;
  std::unique_ptr<PodStatus> pod_;
  bool confirmed_ = false;   // `Name:` seen with a following pod field
  Section section_ = Section::kNone;
  Sub sub_ = Sub::kNone;
  size_t field_indent_ = 0;  // indentation of the container's fields
  int noise_ = 0;
  bool loose_ = false;  // the pod is only kubelet event lines found in other text
  // Events table columns (start offsets of Type Reason Age From Message).
  std::vector<size_t> event_cols_;
  // JSON / YAML document being collected.
  std::string doc_;
  int depth_ = 0;
  bool in_string_ = false, escaped_ = false;
  size_t doc_first_line_ = 0;
  size_t doc_lines_ = 0;
  // A YAML status fragment pasted without its document (`containerStatuses:`
  // or `lastState:` ...): its lines are re-indented under `status:`.
  bool fragment_ = false;
  bool json_fragment_ = false;  // a JSON `"state": {` ... cut out of a pod
  size_t fragment_indent_ = 0;
  bool fragment_last_ = false;  // the fragment is one `lastState:`
  // Table being read: its kind, column names and start offsets; the pods
  // made of it (events tables: one per object).
  Table table_ = Table::kPods;
  // The table's header line came with a log timestamp (every line of the
  // stream has one: `kubectl logs --timestamps`, a prefixed paste), and how
  // long its envelope was: a row's timestamp is then its TIME column only
  // when the row's envelope is longer by at least that timestamp.
  bool header_timestamped_ = false;
  // The last top-level key of the YAML document being read: kubectl prints
  // keys in alphabetical order, so one that does not sort after it starts
  // the next document.
  std::string yaml_top_key_;
  size_t header_envelope_ = 0;
  std::vector<std::pair<std::string, size_t>> columns_;
  std::vector<PodStatus> table_pods_;
  std::string wrapped_;  // a headerless pod row cut after READY, waiting for its rest
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_DESCRIBE_H_
