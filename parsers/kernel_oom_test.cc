// The kernel OOM killer's log lines as users pasted them
// (testdata/kernel-oom/, verbatim from public threads; fresh4/'s harmony
// paste), read into one incident per kill.
#include "parsers/kernel_oom.h"

#include <gtest/gtest.h>

#include <string>

#include "parsers/parse.h"
#include "tests/support/test_inputs.h"

namespace gotriage {
namespace {

std::unique_ptr<ParsedInput> Read(const std::string& rel) {
  return ParseText(test_inputs::ReadInput(std::string(GOTRIAGE_SOURCE_DIR) + "/testdata/" + rel));
}

const KernelOomKill& Kill(const ParsedInput& in, size_t i) {
  EXPECT_EQ(in.incidents[i].kind, IncidentKind::kKernelOomKill);
  EXPECT_TRUE(in.incidents[i].oom_kill);
  return *in.incidents[i].oom_kill;
}

// 4.19 and later: one line per kill, `Memory cgroup` for a cgroup's limit;
// the next report, cut after its call trace, is the killer invoked again
// (by uwsgi, at the cgroup's limit: its trace says mem_cgroup_out_of_memory),
// on a victim the paste does not name.
// MayConcernOomKiller's sixteen-at-a-time search finds `kill`/`Kill`
// wherever a plain search does: every placement of those words (and near
// misses) in lines of every length around the block size.
TEST(KernelOom, MayConcernOomKillerFindsKillAnywhere) {
  auto plain = [](std::string_view t) {
    for (size_t at = t.find("ill"); at != std::string_view::npos; at = t.find("ill", at + 3))
      if (at > 0 && (t[at - 1] == 'k' || t[at - 1] == 'K')) return true;
    return false;
  };
  size_t hits = 0, cases = 0;
  for (std::string word : {"kill", "Kill", "ill", "kil", "kll", "skill", "kkill", "llll", "kilL", "k ill"}) {
    for (size_t len = 0; len < 70; ++len) {
      for (size_t at = 0; at + word.size() <= len; ++at) {
        std::string t(len, 'l');
        for (size_t k = 0; k < len; k += 3) t[k] = 'x';
        t.replace(at, word.size(), word);
        ++cases;
        hits += plain(t);
        EXPECT_EQ(MayConcernOomKiller(t), plain(t)) << t;
      }
    }
  }
  EXPECT_GT(hits, 1000u);
  EXPECT_LT(hits, cases);
  EXPECT_TRUE(MayConcernOomKiller("[ 1.2] app invoked oom-killer: gfp_mask=0x0"));
  EXPECT_FALSE(MayConcernOomKiller("goroutine 400222 [running] {route: /v1/carts, tenant: t_168}:"));
}

TEST(KernelOom, CgroupKillOnOneLine) {
  auto in = Read("kernel-oom/reportportal-kubernetes-203-memcg-uwsgi-dmesg.txt");
  ASSERT_EQ(in->incidents.size(), 2u);
  const KernelOomKill& again = Kill(*in, 1);
  EXPECT_EQ(again.pid, -1);
  EXPECT_EQ(again.process, "");
  EXPECT_EQ(again.invoker, "uwsgi");
  EXPECT_TRUE(again.cgroup);
  EXPECT_EQ(again.input_line, 3u);
  const KernelOomKill& k = Kill(*in, 0);
  EXPECT_EQ(k.process, "uwsgi");
  EXPECT_EQ(k.pid, 63214);
  EXPECT_EQ(k.total_vm_kb, 3149468u);
  EXPECT_EQ(k.anon_rss_kb, 164992u);
  EXPECT_TRUE(k.cgroup);
  EXPECT_FALSE(k.node);
  EXPECT_EQ(k.input_line, 1u);
}

// Before 4.19 the victim is named on a line of its own first.
TEST(KernelOom, OldKernelsTwoLineForm) {
  auto in = Read("kernel-oom/kubernetes-56891-dmesg-T-sacrifice-child.txt");
  ASSERT_EQ(in->incidents.size(), 2u);  // the second report is cut before its victim
  EXPECT_EQ(Kill(*in, 1).pid, -1);
  EXPECT_EQ(Kill(*in, 1).invoker, "java");
  const KernelOomKill& k = Kill(*in, 0);
  EXPECT_EQ(k.process, "java");
  EXPECT_EQ(k.pid, 28438);
  EXPECT_TRUE(k.cgroup);
  EXPECT_EQ(k.input_line, 5u);
  EXPECT_TRUE(in->pods.empty());  // a process name is no container's
  auto runbooks = Read("corpus/threads/99-runbooks-45-go-template-laststate-map-and-kernel-oom-lines.log");
  ASSERT_EQ(runbooks->incidents.size(), 1u);
  EXPECT_EQ(Kill(*runbooks, 0).process, "stress");
  EXPECT_TRUE(Kill(*runbooks, 0).cgroup);
}

// The node out of memory, behind journald's prefix; a name in parentheses.
TEST(KernelOom, NodeOutOfMemoryBehindJournald) {
  auto in = Read("kernel-oom/docker-for-linux-1001-journald-global-oom.txt");
  ASSERT_EQ(in->incidents.size(), 4u);
  EXPECT_EQ(Kill(*in, 0).process, "python3");
  EXPECT_EQ(Kill(*in, 1).process, "(resolved)");
  EXPECT_EQ(Kill(*in, 1).pid, 15925);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(Kill(*in, i).node);
    EXPECT_FALSE(Kill(*in, i).cgroup);
  }
}

// The summary line before the kill names the constraint and the cgroup.
TEST(KernelOom, SummaryLineAndInvoker) {
  auto in = Read("corpus/fresh4/B-harmony-3709-dmesg-grep-global-oom-killer-cut.log");
  ASSERT_EQ(in->incidents.size(), 2u);
  const KernelOomKill& k = Kill(*in, 0);
  EXPECT_EQ(k.process, "harmony");
  EXPECT_EQ(k.pid, 32209);
  EXPECT_EQ(k.constraint, "CONSTRAINT_NONE");
  EXPECT_EQ(k.memcg, "/system.slice/harmony.service");
  EXPECT_EQ(k.invoker, "harmony");
  EXPECT_TRUE(k.node);
  EXPECT_EQ(k.anon_rss_kb, 3638828u);
  // The second report's invoking line is not in the paste.
  EXPECT_EQ(Kill(*in, 1).invoker, "");
  EXPECT_EQ(Kill(*in, 1).constraint, "CONSTRAINT_NONE");
}

// journald lines quoted in markdown, the `(NAME), UID N,` form: neither
// says cgroup or node.
TEST(KernelOom, UidFormBehindAQuote) {
  auto in = Read("kernel-oom/kubernetes-50632-journald-uid-quoted.txt");
  ASSERT_EQ(in->incidents.size(), 8u);
  EXPECT_EQ(Kill(*in, 0).process, "node");
  EXPECT_EQ(Kill(*in, 0).anon_rss_kb, 68308u);
  EXPECT_FALSE(Kill(*in, 0).cgroup);
  EXPECT_FALSE(Kill(*in, 0).node);
}

TEST(KernelOom, LinesThatOnlyMentionKilling) {
  KernelOomKill k;
  for (const char* line : {"the worker was killed by the supervisor", "Killed process group 12",
                           "oom_reaper: reaped process 63214 (uwsgi), now anon-rss:0kB",
                           "Killed process (x) total-vm:1kB"}) {
    EXPECT_FALSE(ReadOomKillLine(line, &k)) << line;
  }
  EXPECT_TRUE(ParseText("will skill still fill\nkill -9 1234\n")->incidents.empty());
}

// A report pasted up to its call trace (crypto-org-chain/chain-main#519,
// journald): the killer ran, at a cgroup's limit, on a victim the paste
// does not name. One incident; a report whose victim follows is one too.
TEST(KernelOom, ReportCutBeforeItsVictim) {
  auto in = Read("corpus/fresh5/B-chain-main-519-journalctl-kernel-memcg-oom-invoked-cut.log");
  ASSERT_EQ(in->incidents.size(), 1u);
  const KernelOomKill& k = Kill(*in, 0);
  EXPECT_EQ(k.pid, -1);
  EXPECT_EQ(k.invoker, "chain-maind");
  EXPECT_TRUE(k.cgroup);
  EXPECT_EQ(k.input_line, 1u);
  auto whole = ParseText(
      "[  1.0] app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
      "[  1.0] Call Trace:\n"
      "[  1.0]  mem_cgroup_out_of_memory+0xbd/0xe0\n"
      "[  1.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/x,task_memcg=/kubepods/x,task=app,pid=42,uid=0\n"
      "[  1.0] Memory cgroup out of memory: Killed process 42 (app) total-vm:100kB, anon-rss:50kB, file-rss:0kB\n");
  ASSERT_EQ(whole->incidents.size(), 1u);
  EXPECT_EQ(Kill(*whole, 0).pid, 42);
  EXPECT_EQ(Kill(*whole, 0).invoker, "app");
  EXPECT_EQ(Kill(*whole, 0).memcg, "/kubepods/x");
  EXPECT_EQ(Kill(*whole, 0).input_line, 5u);
}

}  // namespace
}  // namespace gotriage
