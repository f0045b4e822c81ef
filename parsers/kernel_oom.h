// The Linux kernel's OOM killer, as its log tells it.
//
// A container killed at its memory limit leaves OOMKilled in its pod's
// status; the node's kernel log says more, and is all there is for a
// process outside Kubernetes or when the node itself ran out of memory:
//
//     harmony invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0
//     ... (the call trace, memory state and task table)
//     oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/harmony.service,task=harmony,pid=32209,uid=1000
//     Out of memory: Killed process 32209 (harmony) total-vm:5581248kB, anon-rss:3638828kB, file-rss:0kB, ...
//     Memory cgroup out of memory: Killed process 63214 (uwsgi) total-vm:3149468kB, anon-rss:164992kB, ...
//     Killed process 799153 (node), UID 1000, total-vm:606096kB, anon-rss:68308kB, ...
//     Task in /kubepods/.../docker-b272....scope killed as a result of limit of /kubepods/...
//
// behind whatever each line carries before it (`[ 7063.247407] `, dmesg -T's
// `[Thu Dec  7 00:05:15 2017] `, journald's `May 15 23:09:30 host kernel: `,
// a hypervisor's guest log). Each `Killed process` line is one kill: an
// incident of kind kKernelOomKill, with what the lines before it said about
// the same process (the constraint, the cgroup whose limit was hit, who
// invoked the killer). A report cut before its `Killed process` line (a
// paste of its first lines: chain-main#519) is an incident too, from its
// `invoked oom-killer` line on: the killer ran, the input does not say on
// whom (pid -1).
#ifndef GOTRIAGE_PARSERS_KERNEL_OOM_H_
#define GOTRIAGE_PARSERS_KERNEL_OOM_H_

#include <memory>
#include <string>
#include <string_view>

#include "parsers/sub_parser.h"

namespace gotriage {

/// True when \a line holds a `Killed process N (NAME)` report of the OOM
/// killer; fills \a out's process, pid, sizes and cgroup flag.
bool ReadOomKillLine(std::string_view line, KernelOomKill* out);

/// True when \a line holds `kill` or `Kill` after its first byte: the only
/// lines KernelOomParser::Start reads (and notes what they say). Another
/// parser's run lane that takes a line the Scanner would have offered to
/// Start first must leave such a line to it.
bool MayConcernOomKiller(std::string_view line);

class KernelOomParser : public SubParser {
 public:
  /// \a ctx must outlive the parser.
  explicit KernelOomParser(ParseContext* ctx) : ctx_(ctx) {}

  bool Start(const Line& line) override;
  Feed Next(const Line& line) override;
  bool Idle() const override { return true; }
  void Finish(bool at_eof) override;

 private:
  // Starts the incident of kill \a k (pid -1: not named yet).
  void Begin(KernelOomKill k, const Line& line);
  // Gives \a k what the report's lines said about it, and forgets them.
  void Attribute(KernelOomKill* k);
  // The lines of a report whose victim is not named yet (from its
  // `invoked oom-killer` line): how many were read.
  size_t report_lines_ = 0;
  bool awaiting_victim_ = false;
  /// Notes what a line of the killer's report says about the next kill.
  void Observe(std::string_view t);

  ParseContext* ctx_;
  std::unique_ptr<Incident> incident_;
  // What the lines before a kill said: who invoked the killer, and the
  // `oom-kill:` summary (for the process it names) or `Task in ... killed
  // as a result of limit of ...`.
  std::string invoker_;
  std::string constraint_, memcg_;
  int64_t task_pid_ = -1;
  bool limit_of_cgroup_ = false;
  bool node_ = false;  // `Out of memory: Kill process` (old kernels' first line)
};

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_KERNEL_OOM_H_
