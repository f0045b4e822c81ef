// The stacks already seen in a dump, as the exact text the runtime printed
// for them, so that a goroutine with a known stack is recognised by
// comparing its lines with that text instead of parsing them.
//
// A large dump holds many goroutines per distinct stack. Their stack lines
// are identical except for what the grouping ignores: each frame's
// arguments and the parent goroutine of `created by ... in goroutine N`.
// The traceback parser parses a goroutine the usual way the first times
// its stack is seen and records the path of its lines here with its group;
// later goroutines are matched line by line against those paths (a trie:
// stacks share their innermost frames), and a match yields the group.
// Anything that does not match exactly goes the usual way, so the result
// is always the one the parser would have produced.
#ifndef GOTRIAGE_PARSERS_STACK_TRIE_H_
#define GOTRIAGE_PARSERS_STACK_TRIE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/line.h"

namespace gotriage {

class StackTrie {
 public:
  /// How one frame of a recorded stack was printed.
  enum class Kind : uint8_t {
    kFrame,        ///< `FUNC(ARGS)`, then its file line
    kCreatedBy,    ///< `created by FUNC`, then its file line
    kCreatedByIn,  ///< `created by FUNC in goroutine N`, then its file line
  };
  struct Step {
    Kind kind = Kind::kFrame;
    std::string_view name;  ///< FUNC
    std::string_view file;  ///< the whole file line, tab included, no `\n`
  };
  struct Match {
    uint32_t group = 0;
    size_t bytes = 0;  ///< through the `\n` of the blank line that ends it
    size_t lines = 0;  ///< the blank line included
    /// Of \a lines, those that continued a line in CRI `P` pieces (one
    /// joined line is one line of the input's text, numbered by its first).
    size_t continued = 0;
  };

  /// Records the path of a goroutine in state \a state (an interned view:
  /// states are told apart by address) whose stack lines were \a steps and
  /// that went to group \a group. False when a bound was reached (then
  /// nothing more is recorded; the parser goes the usual way), or when a
  /// line of the stack is one the envelope layer would not pass on whole
  /// behind an envelope (a `\\`, a name that does not start as a Go
  /// identifier: such a stack is parsed the usual way).
  bool Insert(std::string_view state, const std::vector<Step>& steps, uint32_t group);

  /// Matches the stack lines at the start of [p, end), up to and including
  /// the blank line after them, against the recorded paths of \a state.
  /// No line may be longer than \a max_line. The arguments of each frame
  /// must hold no `(` and end the line with `)`, as FastFuncLine wants.
  /// With \a env, every line there carries that envelope (LineRun::
  /// envelope), read past with RunEnvelope::Skip; a line in CRI `P` pieces
  /// is joined first, and docker json-file records are compared with their
  /// escaped text or decoded (MatchDocker, MatchJoined). Only stacks whose
  /// lines the envelope layer passes on whole behind one are recorded
  /// (Insert).
  bool MatchStack(std::string_view state, const char* p, const char* end, size_t max_line,
                  const RunEnvelope* env, Match* m) const;

  void Clear();
  size_t nodes() const { return nodes_.size(); }

  /// Bounds: a dump with more distinct paths than this is parsed the usual
  /// way past them, never with more memory.
  static constexpr size_t kMaxNodes = 1 << 18;
  static constexpr size_t kMaxArenaBytes = 16 << 20;
  /// Children per node compared one after another; a node with more (a
  /// dump where one frame is reached from many different callers) takes
  /// no further ones.
  static constexpr uint16_t kMaxChildren = 64;

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  // A step from one node to the next: name_len bytes of FUNC at text_off
  // in the arena, then file_len bytes of its file line and a `\n`.
  struct Edge {
    uint64_t tag = 0;  ///< the last 8 bytes of FUNC (a quick filter)
    uint32_t text_off = 0;
    uint32_t name_len = 0;
    uint32_t file_len = 0;
    uint32_t to = 0;    ///< the node it leads to
    uint32_t hits = 0;  ///< matches through it (the commonest go first)
    Kind kind = Kind::kFrame;
    bool ascii = false;  ///< FUNC and the file line hold no byte over 0x7f
  };
  struct Node {
    // In one array per node, not a sibling list: the candidates are
    // compared without a chain of dependent loads.
    std::vector<Edge> edges;
    uint32_t end_group = kNone;  ///< the group of a stack that ends here
  };
  uint32_t Root(std::string_view state) const;
  template <bool kEnveloped>
  bool MatchFrom(uint32_t node, const char* p, const char* end, size_t max_line, const RunEnvelope* env,
             Match* m) const;
  // The edge of \a node whose frame line starts at \a q (its envelope, if
  // any, from \a line on) and whose file line follows; nullptr when none
  // does, else where that file line's text starts, with its index in
  // *edge. With kEnvFile the file line carries the envelope too; when it
  // does not (a line in CRI `P` pieces), *unskippable is set.
  // Where edge \a e's function line (a frame's `FUNC(ARGS)` or a `created
  // by FUNC[ in goroutine N]`) at \a q ends, before its line's end, or
  // nullptr; \a created: \a q starts `created by `. A frame's arguments end
  // where \a args_end says (the bare text's `)`, or a docker record's).
  // FindEdge and FindEdgeDocker differ only in what follows.
  template <typename ArgsEnd>
  static const char* FuncLineEnd(const Edge& e, const char* text, const char* q, const char* end, bool created,
                                 ArgsEnd args_end);
  template <bool kEnvFile, bool kNoBackslash>
  const char* FindEdge(const Node& n, const char* q, const char* end, const char* line, size_t max_line,
                       const RunEnvelope* env, size_t* edge, bool* unskippable) const;
  // A frame and its file line at *q of a CRI run, one or both in `P`
  // pieces, or of a docker json-file run: their texts joined or decoded as
  // the envelope layer does, then matched from *node; on a match *node, *q
  // and *lines move past them. kBlank: the line at *q is a blank one (a
  // docker run's end of a stack), and *q and *lines moved past it.
  enum class Joined : uint8_t { kNo, kPair, kBlank };
  // The same for a docker json-file run, compared in place with the
  // records' escaped text: a frame or `created by` line and its file line
  // with no escape but the file line's leading `\t` and each record's
  // closing `\n` (the commonest), else kNo.
  Joined MatchDocker(uint32_t* node, const char** q, const char* end, size_t max_line, size_t* lines) const;
  const char* FindEdgeDocker(const Node& n, const char* q, const char* end, const char* line, size_t max_line,
                             size_t* edge) const;
  Joined MatchJoined(uint32_t* node, const char** q, const char* end, size_t max_line, const RunEnvelope* env,
                     size_t* lines, size_t* continued) const;

  // Mutable: matching reorders edges by their hits.
  mutable std::vector<Node> nodes_;
  std::string arena_;
  std::vector<std::pair<const char*, uint32_t>> roots_;  // interned state -> node
  mutable std::string joined_;  // MatchJoined's two lines
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_STACK_TRIE_H_
