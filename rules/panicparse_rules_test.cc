// Dumps condensed by panicparse are diagnosed as the runtime's own dumps
// they came from (testdata/fixtures/panicparse, printed by the real tool),
// and a TLS handshake nothing bounds is a missing timeout in either form.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/test_inputs.h"
#include "tests/support/triage.h"

namespace gotriage {
namespace {

using test_triage::Of;
using test_triage::Triage;

TEST(PanicparseRules, TheSameFirstFindingAsTheRuntimesDump) {
  size_t files = 0;
  for (const std::filesystem::path& p : test_inputs::FilesUnder(test_inputs::FixturesDir() / "panicparse")) {
    if (p.extension() != ".txt") continue;
    ++files;
    std::string name = p.filename().string();
    std::vector<Finding> raw = Triage(test_inputs::ReadInput(test_inputs::FixturesDir() / (name.substr(0, name.find(".pp")) + ".txt")));
    std::vector<Finding> pp = Triage(test_inputs::ReadInput(p));
    ASSERT_FALSE(raw.empty()) << name;
    ASSERT_FALSE(pp.empty()) << name;
    EXPECT_EQ(pp[0].rule_id, raw[0].rule_id) << name;
    ASSERT_EQ(pp[0].culprit.has_value(), raw[0].culprit.has_value()) << name;
    if (raw[0].culprit) {
      EXPECT_EQ(pp[0].culprit->function, raw[0].culprit->function) << name;
      EXPECT_EQ(pp[0].culprit->line, raw[0].culprit->line) << name;
    }
  }
  EXPECT_GE(files, 9u);
}

std::string Handshake(const std::string& header) {
  return header +
         "\n"
         "internal/poll.runtime_pollWait(0x7f5c1c0a8e00, 0x72)\n"
         "\t/usr/local/go/src/runtime/netpoll.go:351 +0x85\n"
         "net.(*conn).Read(0xc000012345, {0xc000100000, 0x205, 0x205})\n"
         "\t/usr/local/go/src/net/net.go:194 +0x45\n"
         "crypto/tls.(*Conn).readRecordOrCCS(0xc000200008, 0x0)\n"
         "\t/usr/local/go/src/crypto/tls/conn.go:630 +0x3db\n"
         "crypto/tls.(*Conn).clientHandshake(0xc000200008, {0x8a2f30, 0xc000014090})\n"
         "\t/usr/local/go/src/crypto/tls/handshake_client.go:264 +0x5a5\n"
         "crypto/tls.(*Conn).handshakeContext(0xc000200008, {0x8a2ef8, 0xc0000140a8})\n"
         "\t/usr/local/go/src/crypto/tls/conn.go:1553 +0x3cb\n"
         "crypto/tls.(*Conn).Handshake(...)\n"
         "\t/usr/local/go/src/crypto/tls/conn.go:1493\n"
         "github.com/acme/relay.(*client).connect(0xc000110000)\n"
         "\t/src/relay/client.go:88 +0x1a5\n"
         "created by github.com/acme/relay.Start in goroutine 1\n"
         "\t/src/relay/start.go:20 +0x8e\n\n";
}

TEST(PanicparseRules, AHandshakeNothingBoundsIsAMissingTimeout) {
  // Minutes in a handshake: its connection has no deadline.
  std::vector<Finding> long_wait = Triage(Handshake("goroutine 7 [IO wait, 77 minutes]:"));
  const Finding* f = Of(long_wait, "GT2004");
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->culprit);
  EXPECT_EQ(f->culprit->function, "github.com/acme/relay.(*client).connect");
  EXPECT_NE(f->summary.find("TLS handshake"), std::string::npos) << f->summary;
  // One handshake for two minutes, or a few with no wait times: a slow
  // peer, or handshakes in flight.
  std::vector<Finding> short_wait = Triage(Handshake("goroutine 7 [IO wait, 2 minutes]:"));
  EXPECT_EQ(Of(short_wait, "GT2004"), nullptr);
  std::string few;
  for (int i = 0; i < 3; ++i) few += Handshake("goroutine " + std::to_string(10 + i) + " [IO wait]:");
  std::vector<Finding> in_flight = Triage(few);
  EXPECT_EQ(Of(in_flight, "GT2004"), nullptr);
  // Sixteen at once, even without wait times, is a pile.
  std::string many;
  for (int i = 0; i < 16; ++i) many += Handshake("goroutine " + std::to_string(10 + i) + " [IO wait]:");
  std::vector<Finding> pile = Triage(many);
  EXPECT_NE(Of(pile, "GT2004"), nullptr);
}

}  // namespace
}  // namespace gotriage
