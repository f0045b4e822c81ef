// LineSplitter: however an input is chunked, it is routed and cut alike.
#include "parsers/input.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsers/line.h"

namespace gotriage {
namespace {

struct Lines : LineSink {
  std::vector<std::string> got;
  void OnLine(const Line& line) override { got.emplace_back(line.text); }
  void OnEnd() override {}
};

// Feeds \a data in pieces of \a piece bytes (0: whole) through a splitter
// with a sniff that calls an input binary when its head starts with "BIN"
// and holds no 'x' (a decision that depends on how much of the head it is
// shown). Returns "binary:<bytes>" or the lines joined by '|'.
std::string Route(const std::string& data, size_t piece) {
  Lines sink;
  EnvelopeUnwrapper env(&sink);
  std::vector<LimitNote> notes;
  LineSplitter s(&env, Limits{}, &notes);
  std::string taken;
  BinarySniff sniff{8,
                    [](std::string_view head) {
                      return head.substr(0, 3) == "BIN" && head.find('x') == std::string_view::npos;
                    },
                    [&](std::string_view b) { taken.append(b); }};
  s.set_binary_sniff(&sniff);
  std::string err;
  EXPECT_TRUE(ReadBuffer(data, &s, &err, piece)) << err;
  if (!taken.empty()) return "binary:" + taken;
  std::string out;
  for (const std::string& l : sink.got) out += l + "|";
  return out;
}

TEST(LineSplitter, SniffSeesTheSameHeadHoweverTheInputIsChunked) {
  // The 'x' lies past the 8 head bytes: the sniff must not see it whether
  // the input comes whole or a byte at a time (a fuzz finding: a gzip
  // stream inflated in one piece was shown all of its text).
  const std::string data = "BIN12345 then x\nmore\n";
  const std::string want = Route(data, 1);
  EXPECT_EQ(want, "binary:" + data);
  for (size_t piece : {size_t{0}, size_t{2}, size_t{7}, size_t{8}, size_t{9}, size_t{64}})
    EXPECT_EQ(Route(data, piece), want) << "pieces of " << piece;
}

TEST(LineSplitter, EveryByteGoesOnOnceWhereverThePiecesEnd) {
  // Only the head's bytes are held back while the sniff waits for them:
  // the rest of the piece that completes the head goes on from where it
  // is, after them, once (a line may straddle the head's end).
  const std::string text = "text that runs past the head\nsecond\n\nlast";
  const std::string binary = "BIN12345\n\x01\x02 rest of the profile";
  EXPECT_EQ(Route(text, 0), "text that runs past the head|second||last|");
  EXPECT_EQ(Route(binary, 0), "binary:" + binary);
  for (size_t piece = 1; piece <= 20; ++piece) {
    EXPECT_EQ(Route(text, piece), Route(text, 0)) << "pieces of " << piece;
    EXPECT_EQ(Route(binary, piece), Route(binary, 0)) << "pieces of " << piece;
  }
}

TEST(LineSplitter, ShortInputIsDecidedAtItsEnd) {
  EXPECT_EQ(Route("BIN", 0), "binary:BIN");
  EXPECT_EQ(Route("BIN", 1), "binary:BIN");
  EXPECT_EQ(Route("text\n", 1), "text|");
  EXPECT_EQ(Route("a\nb", 0), "a|b|");
}

}  // namespace
}  // namespace gotriage
