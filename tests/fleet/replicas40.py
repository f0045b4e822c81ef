#!/usr/bin/env python3
"""40 replicas of one crash fold to one finding (issue 18).

The four real captures of testdata/gen/replica-crash (two runs each on Go
1.26 and Go 1.27: different goroutine IDs, addresses and runtime line
numbers) are written as 40 pods' kubelet log files,
/var/log/pods/NS_POD_UID/CONTAINER/0.log under a temporary root, each in
one of four envelopes (bare, `kubectl logs --timestamps`, CRI, docker
json-file) with its own timestamps. `gotriage --format json ROOT` must
report one finding, the nil-map write, with 40 occurrences from 40
inputs, 40 pods named, and first/last seen spanning the timestamps.

Usage: replicas40.py GOTRIAGE_BINARY
"""
import datetime
import json
import re
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CAPTURES = [f"testdata/fixtures/replica-crash-pod{n}.go12{v}.txt" for v in (6, 7) for n in (1, 2)]
N = 40


def envelope(kind, lines, start):
    out = []
    for k, line in enumerate(lines):
        ts = (start + datetime.timedelta(milliseconds=k)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if kind == 0:
            out.append(line + "\n")
        elif kind == 1:
            out.append(f"{ts} {line}\n")
        elif kind == 2:
            out.append(f"{ts} stderr F {line}\n")
        else:
            out.append(json.dumps({"log": line + "\n", "stream": "stderr", "time": ts}) + "\n")
    return "".join(out)


def main():
    binary = sys.argv[1]
    base = datetime.datetime(2026, 11, 30, 9, 12, 0)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(N):
            with open(os.path.join(ROOT, CAPTURES[i % len(CAPTURES)]), encoding="utf-8") as f:
                lines = f.read().splitlines()
            pod = f"hitcounter-7d9f8c6b5-{i:05d}"
            d = os.path.join(tmp, "var/log/pods", f"prod_{pod}_{i:08x}-0000-4000-8000-000000000000", "app")
            os.makedirs(d)
            start = base + datetime.timedelta(minutes=i)
            with open(os.path.join(d, "0.log"), "w", encoding="utf-8") as f:
                f.write(envelope(i % 4, lines, start))
        out = subprocess.run([binary, "--format", "json", tmp], capture_output=True, text=True)
        text = subprocess.run([binary, "--color", "never", tmp], capture_output=True, text=True).stdout
    fails = []
    if out.returncode != 1:
        fails.append(f"exit {out.returncode}, want 1: {out.stderr.strip()}")
    doc = json.loads(out.stdout or "{}")
    fs = doc.get("findings", [])
    if len(fs) != 1:
        fails.append(f"{len(fs)} findings, want 1: {[f['rule_id'] for f in fs]}")
    else:
        f = fs[0]
        want = {"rule_id": "GT1005", "occurrences": N, "inputs": N, "pod_count": N}
        for k, v in want.items():
            if f.get(k) != v:
                fails.append(f"{k} = {f.get(k)!r}, want {v!r}")
        pods = f.get("pods", [])
        if len({p.get("pod") if isinstance(p, dict) else p for p in pods}) != N:
            fails.append(f"{len(pods)} pods listed, want {N} distinct")
        # Envelopes without a timestamp (bare) add none; the others span
        # minute 1 to minute 39.
        if not str(f.get("first_seen", "")).startswith("2026-11-30T09:13:"):
            fails.append(f"first_seen {f.get('first_seen')!r}, want 2026-11-30T09:13:...")
        if not str(f.get("last_seen", "")).startswith("2026-11-30T09:51:"):
            fails.append(f"last_seen {f.get('last_seen')!r}, want 2026-11-30T09:51:...")
    # The 40 crashes are held as one incident per capture's runtime (Go 1.26
    # and 1.27 print other runtime lines), the others listed as its twins.
    incs = doc.get("incidents", [])
    read = sum(1 + len(i.get("twins", [])) for i in incs)
    if len(incs) != 2 or read != N or doc.get("summary", {}).get("incidents_read") != N:
        fails.append(f"{len(incs)} incidents held with {read} read, want 2 holding {N}")
    # The text report names the first inputs, not all 40, and prints the
    # identical crashes once, saying how many inputs they came from.
    head = text.splitlines()[0] if text else ""
    if f"(and {N - 8} more inputs): {N} incidents, 1 finding" not in head:
        fails.append(f"text header does not abbreviate the {N} inputs: {head[:300]!r}")
    if head.count("0.log") != 8:
        fails.append(f"text header names {head.count('0.log')} inputs, want 8")
    twins = [int(m) for m in re.findall(r"^(\d+) identical incidents \(in \1 inputs, ", text, re.M)]
    if sum(twins) != N:
        fails.append("text report does not fold the identical crashes of several inputs")
    for x in fails:
        print("FAIL replicas40:", x)
    if not fails:
        print(f"ok: {N} replicas in 4 envelopes fold to one finding with {N} pods")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
