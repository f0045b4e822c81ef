// --follow: the rule engine over an endless input, one incident or pod
// description at a time, each analysed once, as soon as it is complete.
#ifndef GOTRIAGE_RULES_STREAM_H_
#define GOTRIAGE_RULES_STREAM_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "parsers/model.h"
#include "rules/engine.h"
#include "rules/finding.h"

namespace gotriage {

/// Analyses an input as the parser hands it over (ParseOptions::on_incident
/// and on_pod) and passes each unit's findings on at once, so that they are
/// the findings a batch run over the whole input gives:
///  - incidents are numbered as in a batch run (ParsedInput::first_incident,
///    counting the incidents a --label filter keeps);
///  - a pod's findings come out once, when its description is complete (the
///    pods stay in ParsedInput::pods as the context later incidents are read
///    with, so Finding::pod numbers them as a batch run does);
///  - a pod's crash-loop or exit finding (GT3003/GT3004) waits for the crash
///    that explains it, which then carries the pod (CorrelateLifecycle), and
///    comes out at the end of the input if none does.
/// One difference is by design: identical crashes are reported one by one, as
/// each happens, where a batch run folds them into one finding with a count.
///
///   StreamAnalyzer stream(eopts, labels, sink);
///   popts.on_incident = [&](ParsedInput& in) { stream.OnIncident(in); };
///   popts.on_pod = [&](ParsedInput& in) { stream.OnPod(in); };
///   ... parse ...
///   stream.Finish(*parsed);
class StreamAnalyzer {
 public:
  /// Receives each unit's new findings (possibly none) with the input they
  /// index into; called once per incident, once per pod description, and at
  /// the end when held findings remain.
  using Sink = std::function<void(const ParsedInput&, const std::vector<Finding>&)>;

  StreamAnalyzer(EngineOptions opts, std::vector<Label> labels, Sink sink);

  /// The incident the parser hands over, alone in \a in.incidents; filtered
  /// by the labels in place.
  void OnIncident(ParsedInput& in);
  /// A pod description was added to \a in.pods.
  void OnPod(ParsedInput& in);
  /// The input ended: passes on the held pod findings no crash explained.
  void Finish(const ParsedInput& in);

  /// Incidents analysed so far (after the label filter).
  size_t incidents() const { return next_incident_; }

 private:
  void Pass(const ParsedInput& in, std::vector<Finding> fs);

  EngineOptions opts_;
  std::vector<Label> labels_;
  Sink sink_;
  size_t next_incident_ = 0;
  bool last_kept_ = false;  // the last incident passed on was kept (not filtered out)
  std::set<std::string> reported_;  ///< fingerprints of pod findings passed on or held
  std::set<int> joined_;            ///< pods a crash finding carries
  std::vector<Finding> held_;       ///< GT3003/GT3004 waiting for a crash
};

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_STREAM_H_
