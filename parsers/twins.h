// Identical incidents of many inputs, stored once.
//
// A fleet's pod logs hold the same crash thousands of times: the same
// message and the same stacks, with other goroutine IDs, argument values
// (pointers), line numbers, timestamps and pods. Each was a whole Incident
// (some 5 KiB with its groups); now the first is kept and the others are
// listed on it as Occurrences (Incident::twins), so memory grows by an
// occurrence, not an incident, per copy. The rules see the incident once and
// fold one finding per occurrence (rules/engine.cc), so findings, counts,
// pods and first/last times are what they were with every copy held.
//
// Only incidents of different inputs are folded: within one input, the
// renderers group identical incidents themselves, and the incidents of one
// input are what `diff`, `--follow` and the line numbers describe.
#ifndef GOTRIAGE_PARSERS_TWINS_H_
#define GOTRIAGE_PARSERS_TWINS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "parsers/model.h"

namespace gotriage {

/// What two incidents must share to be folded: everything an incident's
/// report shows except where it was (source, pod, timestamp, line numbers)
/// and what differs between two runs of one binary (goroutine IDs,
/// argument values, a race's addresses). "" for the kinds never folded
/// (profiles, `-top` listings, gctrace: their numbers are the content).
/// The key writes every kContent field of parsers/model_fields.h: a field
/// added to the model is decided there, once, with its role
/// (parsers/model_fields_test.cc fails until it is).
std::string TwinKey(const Incident& inc);

/// Folds the incidents each input adds into the identical incident of an
/// earlier input, if any. Use: Admit before adding an incident, Fold when
/// the input is complete.
class TwinIndex {
 public:
  /// Whether \a inc, about to be added while \a held incidents are held,
  /// fits within \a max: an incident that will fold always does (it is not
  /// held), another only while fewer than \a max are held once this
  /// input's folds are counted.
  bool Admit(const Incident& inc, size_t held, size_t max);
  /// Folds (*incs)[from..] (one input's, read as input number \a input)
  /// into the earlier inputs' identical incidents and erases them, then
  /// indexes those that stay for the inputs read later.
  void Fold(std::vector<Incident>* incs, size_t from, uint32_t input);
  /// Moves \a inc's place, and its own twins, to \a into's list.
  static void Absorb(Incident* into, Incident&& inc, uint32_t input);
  /// Puts every incident's twins in reading order (inputs read on several
  /// threads fold in the order each thread read them).
  static void SortTwins(std::vector<Incident>* incs);

 private:
  // Keys the held incidents not keyed yet (see unkeyed_).
  void KeyHeld();
  std::unordered_map<std::string, size_t> first_;  // TwinKey -> index in the held incidents
  // The held incidents of inputs folded while no earlier one was held: a
  // run of one input (the common case) never needs their keys, and a key
  // walks every sample's frames (a tenth of the time on a 14 MiB profile).
  // They are keyed when a later input is admitted or folded.
  std::vector<size_t> unkeyed_;
  const std::vector<Incident>* held_ = nullptr;
  size_t pending_ = 0;  // incidents admitted in this input that will fold
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_TWINS_H_
