#!/usr/bin/env python3
"""`gotriage watch`, the node agent, on a kubelet log tree (issue 20).

Kubelet writes each container's output to
/var/log/pods/NS_POD_UID/CONTAINER/N.log in CRI format (`TIME STREAM F
line`), one N per container start, rotates a file by renaming it to
N.log.YYYYMMDD-HHMMSS and later compresses the rotated file to .gz (new
file written, plain one removed). This test plays kubelet on a temporary
root with the real Go output of testdata/fixtures (panics printed by the
real runtime), and checks the agent as a DaemonSet would run it:

  rotation    a crash rotated away half-written is reported once, whole
              (its culprit frame is in the second half), and the .gz that
              replaces the rotated file is not reported again;
  truncation  a log truncated and written again is read from its start;
  deleted     a pod's directory removed leaves the state;
  kill -9     the agent killed at random moments while 6 pods crash,
              restart and rotate: every crash is in the output file
              exactly once (-o keeps output and state in step);
  restart     a restarted agent repeats nothing;
  2000 files  1,000 pods x 2 containers: the crashes among them found,
              peak memory bounded, an appended crash seen through inotify.

Usage: watch_agent.py GOTRIAGE_BINARY
"""
import datetime
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CRASHES = {
    "nil-deref": ("testdata/fixtures/nil-deref.go126.txt", "GT1003", "main.notificationAddress"),
    "map-writes": ("testdata/fixtures/concurrent-map-writes.go126.txt", "GT1001", None),
    "custom-panic": ("testdata/fixtures/custom-panic.go126.txt", "GT1011", None),
}
FAILURES = []
CLOCK = [datetime.datetime(2026, 11, 30, 12, 0, 0)]


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILURES.append(what)


def cri(lines, stream="stderr"):
    """Lines as kubelet's CRI writer prints them, each with its own time."""
    out = []
    for line in lines:
        CLOCK[0] += datetime.timedelta(microseconds=137)
        out.append(f"{CLOCK[0].strftime('%Y-%m-%dT%H:%M:%S.%f')}000Z {stream} F {line}\n")
    return "".join(out)


def crash_lines(kind):
    with open(os.path.join(ROOT, CRASHES[kind][0]), encoding="utf-8") as f:
        return f.read().splitlines()


def noise(n):
    return cri([f"2026/11/30 12:00:00 handled request {i} in 3ms" for i in range(n)], "stdout")


def append(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)
        f.flush()


def rotate(path, compress_now=False):
    """kubelet: rename N.log to N.log.DATE; later gzip it (new file, old removed)."""
    CLOCK[0] += datetime.timedelta(seconds=1)
    rotated = f"{path}.{CLOCK[0].strftime('%Y%m%d-%H%M%S')}"
    os.rename(path, rotated)
    if compress_now:
        compress(rotated)
    return rotated


def compress(rotated):
    with open(rotated, "rb") as src, gzip.open(rotated + ".gz.tmp", "wb") as dst:
        shutil.copyfileobj(src, dst)
    os.rename(rotated + ".gz.tmp", rotated + ".gz")
    os.remove(rotated)


def records(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def wait_for(pred, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


class Agent:
    def __init__(self, binary, root, work, extra=()):
        self.args = [binary, "watch", root, "--state", os.path.join(work, "state.json"), "-o",
                     os.path.join(work, "out.ndjson"), "--interval", "100ms", "--settle", "600ms",
                     "--fail-on", "never", *extra]
        self.err = open(os.path.join(work, "agent.err"), "a")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=self.err)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)

    def once(self):
        """Runs `--once`; returns its exit code and its peak RSS in KiB."""
        proc = subprocess.Popen(self.args + ["--once"], stdout=subprocess.DEVNULL, stderr=self.err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        self.maxrss_kib = usage.ru_maxrss
        return proc.returncode


def scenario_rotation(binary, work):
    root = os.path.join(work, "pods")
    log = os.path.join(root, "shop_api-5c9d_0a1b2c3d-1111/api/0.log")
    agent = Agent(binary, root, work)
    out = os.path.join(work, "out.ndjson")
    append(log, noise(20))
    agent.start()
    lines = crash_lines("nil-deref")
    half = len(lines) // 2
    append(log, cri(lines[:half]))
    time.sleep(0.4)  # the agent reads the first half and waits
    rotated = rotate(log)
    append(log, cri(lines[half:]))
    ok = wait_for(lambda: len(records(out)) >= 1, 10)
    time.sleep(1.0)
    recs = records(out)
    check(ok and len(recs) == 1, f"rotation mid-incident: one finding (got {len(recs)})")
    if recs:
        r = recs[0]
        check(r["rule_id"] == "GT1003" and r["culprit"]["function"] == "main.notificationAddress",
              f"rotation: the whole crash was read (culprit {r.get('culprit', {}).get('function')})")
        check((r.get("namespace"), r.get("pod"), r.get("container")) == ("shop", "api-5c9d", "api"),
              "rotation: namespace, pod and container from the path")
        check(r["source"].endswith(os.path.basename(rotated)), f"rotation: source names the rotated file ({r['source']})")
    compress(rotated)
    time.sleep(1.0)
    check(len(records(out)) == 1, "rotation: the .gz replacing the rotated file is not read again")
    append(log, noise(5))
    # Truncation: the live file cut to nothing and a new crash written.
    with open(log, "w", encoding="utf-8") as f:
        f.write(cri(crash_lines("map-writes")))
    ok = wait_for(lambda: len(records(out)) >= 2, 10)
    check(ok and records(out)[1]["rule_id"] == "GT1001", "truncation: the rewritten log is read from its start")
    # Deleted: the pod goes away.
    shutil.rmtree(os.path.join(root, "shop_api-5c9d_0a1b2c3d-1111"))
    time.sleep(0.5)
    rc = agent.stop()
    check(rc == 0, f"SIGTERM: the agent exits 0 (got {rc})")
    with open(os.path.join(work, "state.json"), encoding="utf-8") as f:
        state = json.load(f)
    check(state["streams"] == {}, "deleted: the removed pod's stream left the state")
    # Restart: nothing new, nothing repeated.
    before = len(records(out))
    check(agent.once() == 0 and len(records(out)) == before, "restart: nothing is reported again")
    # A run killed between writing a report and saving the state left
    # output the state does not know: the next start cuts it off (and
    # writes the report again, from the logs, that it stood for).
    with open(out, "a", encoding="utf-8") as f:
        f.write('{"rule_id":"GT1003","half written')
    rc = agent.once()
    with open(os.path.join(work, "agent.err"), encoding="utf-8") as f:
        err = f.read()
    check(rc == 0 and len(records(out)) == before and "removed; their incidents are reported again" in err,
          "restart: output written after the last saved state is cut off")


def scenario_kill9(binary, work):
    random.seed(7)
    root = os.path.join(work, "pods")
    out = os.path.join(work, "out.ndjson")
    agent = Agent(binary, root, work)
    pods = [(f"ns{p % 2}", f"worker-{p}", f"uid-{p:04d}", "main") for p in range(6)]
    restarts = {p: 0 for p in range(6)}
    expected = []
    kinds = list(CRASHES)
    kills = 0
    agent.start()
    next_kill = time.time() + random.uniform(0.1, 0.6)
    for step in range(36):
        p = random.randrange(6)
        ns, pod, uid, ctr = pods[p]
        log = os.path.join(root, f"{ns}_{pod}_{uid}", ctr, f"{restarts[p]}.log")
        kind = kinds[step % len(kinds)]
        append(log, noise(random.randint(1, 30)))
        lines = crash_lines(kind)
        cut = random.randint(1, len(lines) - 1)
        append(log, cri(lines[:cut]))
        first_seen = None
        if random.random() < 0.4:
            time.sleep(random.uniform(0, 0.3))
            rotated = rotate(log)
            if random.random() < 0.5:
                time.sleep(random.uniform(0, 0.2))
                compress(rotated)
        append(log, cri(lines[cut:]))
        expected.append((ns, pod, ctr, CRASHES[kind][1]))
        restarts[p] += 1  # the container restarts: kubelet opens N+1.log
        time.sleep(random.uniform(0, 0.15))
        if time.time() > next_kill:
            kills += 1
            agent.kill9()
            agent.start()
            next_kill = time.time() + random.uniform(0.1, 0.6)
    agent.kill9()
    print(f"     ({kills + 1} kill -9 while {len(expected)} crashes were written)")
    rc = agent.once()
    recs = records(out)
    got = sorted((r.get("namespace"), r.get("pod"), r.get("container"), r["rule_id"]) for r in recs)
    seen = [r.get("first_seen") for r in recs]
    check(rc == 0, f"kill -9: the last run exits 0 (got {rc})")
    check(got == sorted(expected), f"kill -9: every crash once ({len(recs)} findings, {len(expected)} crashes)")
    check(len(set(seen)) == len(seen), "kill -9: no crash reported twice (distinct first_seen)")
    with open(os.path.join(work, "agent.err"), encoding="utf-8") as f:
        err = f.read()
    print(f"     ({err.count('reported again')} restarts cut output written after the last saved state)")


def scenario_2000(binary, work):
    root = os.path.join(work, "pods")
    out = os.path.join(work, "out.ndjson")
    crashing = set(range(0, 1000, 100))
    for p in range(1000):
        for c in ("app", "sidecar"):
            log = os.path.join(root, f"team{p % 7}_svc-{p}_u{p:05d}", c, "0.log")
            text = noise(3)
            if c == "app" and p in crashing:
                text += cri(crash_lines("custom-panic"))
            append(log, text)
    agent = Agent(binary, root, work)
    t0 = time.time()
    rc = agent.once()
    took = time.time() - t0
    rss = agent.maxrss_kib
    recs = records(out)
    pods = sorted(r.get("pod") for r in recs)
    check(rc == 0 and pods == sorted(f"svc-{p}" for p in crashing),
          f"2000 files: the 10 crashing pods found ({len(recs)} findings, {took:.2f}s)")
    bound = 384 if SANITIZED else 64  # ASan's shadow memory and quarantine
    check(rss < bound * 1024, f"2000 files: peak RSS {rss / 1024:.1f} MiB, under {bound} MiB")
    # Running: an appended crash is seen through inotify, well before a
    # slow poll would look.
    agent = Agent(binary, root, work)
    agent.args[agent.args.index("--interval") + 1] = "30s"
    agent.start()
    time.sleep(1.0)
    append(os.path.join(root, "team3_svc-3_u00003", "app", "0.log"), cri(crash_lines("nil-deref")))
    t0 = time.time()
    ok = wait_for(lambda: len(records(out)) == len(recs) + 1, 10)
    took = time.time() - t0
    check(ok and records(out)[-1].get("pod") == "svc-3",
          f"2000 files: an appended crash reported in {took:.2f}s with a 30s poll interval (inotify)")
    agent.stop()
    # Without inotify (--poll): found by the next look.
    agent = Agent(binary, root, work, ["--poll"])
    agent.args[agent.args.index("--interval") + 1] = "300ms"
    agent.start()
    time.sleep(1.0)
    append(os.path.join(root, "team4_svc-4_u00004", "sidecar", "0.log"), cri(crash_lines("map-writes")))
    t0 = time.time()
    ok = wait_for(lambda: len(records(out)) == len(recs) + 2, 10)
    took = time.time() - t0
    check(ok and records(out)[-1].get("pod") == "svc-4",
          f"2000 files: --poll (no inotify) reports an appended crash in {took:.2f}s (interval 300ms, settle 600ms)")
    agent.stop()


SANITIZED = False


def main():
    global SANITIZED
    binary = os.path.abspath(sys.argv[1])
    SANITIZED = "--sanitized" in sys.argv[2:]
    for name, fn in (("rotation", scenario_rotation), ("kill9", scenario_kill9), ("files2000", scenario_2000)):
        work = tempfile.mkdtemp(prefix=f"gotriage-watch-{name}-")
        try:
            print(f"== {name}", flush=True)
            fn(binary, work)
        finally:
            if FAILURES:
                print(f"     (work dir kept: {work})")
            else:
                shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
