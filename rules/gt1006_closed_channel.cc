// GT1006: send on closed channel, close of closed channel, close of nil channel.
#include "rules/catalog.h"
#include "rules/crash_rule.h"

namespace gotriage {
namespace {

const RuleDoc kDoc{
    .id = rule_names::GT1006.id,
    .title = "Send on or close of a closed channel",
    .category = rule_names::GT1006.category,
    .severity = Severity::kCritical,
    .what = "A goroutine sent on a channel that was already closed (`send on closed channel`), "
            "closed it a second time (`close of closed channel`), or closed a nil channel.",
    .why = "Ownership of the channel is unclear: more than one goroutine or code path closes it, "
           "or a receiver closes a channel that senders still use. Closing is the sender's job, "
           "and exactly one sender may do it.",
    .fix = "Make one owner close the channel, after every sender is done (sync.WaitGroup, then close).\n"
           "Never close from the receiving side; signal senders with a separate done channel or a context.\n"
           "Guard a shutdown that can be reached twice with sync.Once.",
    .before = "func (s *Server) Shutdown() {\n\tclose(s.done) // called from two paths\n}",
    .after = "func (s *Server) Shutdown() {\n\ts.closeOnce.Do(func() { close(s.done) })\n}",
    .links = {"https://go.dev/ref/spec#Close", "https://go.dev/blog/pipelines", "https://pkg.go.dev/sync#Once"},
};

// `panic: send on closed channel`, `close of closed channel`, `close of nil channel`.
constexpr CrashMessage kMessages[] = {
    {MessageMatch::kContains, "send on closed channel"},
    {MessageMatch::kContains, "close of closed channel"},
    {MessageMatch::kContains, "close of nil channel"},
};
const CrashClaim kClaim{.messages = kMessages};

class GT1006 : public CrashRule {
 public:
  GT1006() : CrashRule(kClaim) {}
  const RuleDoc& doc() const override { return kDoc; }

 protected:
  void Explain(const CrashContext& c, Finding* f) const override {
    bool send = c.message.find("send on closed") != std::string::npos;
    bool nil = c.message.find("close of nil") != std::string::npos;
    std::string what = send ? "sent on a channel that another code path had already closed"
                            : nil ? "closed a nil channel"
                                  : "closed a channel that was already closed";
    f->summary = c.GoroutineText() + " " + what + ", in " + c.CulpritText() +
                 ". The channel has more than one closer, or is closed while senders still use it.";
  }
};

}  // namespace

std::unique_ptr<Rule> NewGT1006() { return std::make_unique<GT1006>(); }

}  // namespace gotriage
