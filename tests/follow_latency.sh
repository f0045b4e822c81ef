#!/usr/bin/env bash
# --follow on a stream that keeps writing after a crash (a crash-looping pod,
# another container's lines, a logger that keeps going): the dump must be
# reported within 100 ms of its last line, not when the stream pauses or
# ends; and when more of the same dump arrives after a few foreign lines,
# the rest is sent as an amendment of the same incident, whose counts then
# match a batch run. Real runtime output (testdata/fixtures), written to a
# pipe the way `kubectl logs -f` does. $1: the gotriage binary.
set -uo pipefail
bin=${1:?usage: follow_latency.sh GOTRIAGE}
cd "$(dirname "$0")/.."
exec /usr/bin/python3 - "$bin" <<'PY'
import json, os, subprocess, sys, threading, time

bin_ = sys.argv[1]
sanitized = os.environ.get("GOTRIAGE_SANITIZED") == "1"
fails = 0
def check(ok, what):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        fails += 1

def run(chunks, tail_lines, interval):
    """Writes each chunk (text, then a pause in seconds), then one log line
    every `interval` seconds for `tail_lines` lines; returns the NDJSON
    records with the time each arrived, and the time the last chunk was
    written."""
    p = subprocess.Popen([bin_, "--follow", "--format", "ndjson", "--fail-on", "never"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    got = []
    def read():
        for line in p.stdout:
            got.append((time.monotonic(), json.loads(line)))
    r = threading.Thread(target=read)
    r.start()
    last = 0
    for text, pause in chunks:
        p.stdin.write(text.encode()); p.stdin.flush()
        last = time.monotonic()
        time.sleep(pause)
    for i in range(tail_lines):
        p.stdin.write(b'level=info msg="request served" n=%d\n' % i); p.stdin.flush()
        time.sleep(interval)
    p.stdin.close()
    p.wait(); r.join()
    return got, last

# 1. A crash, then a log line every 50 ms for 2 s (idle never fires).
crash = open("testdata/fixtures/nil-deref.go126.txt").read()
got, written = run([(crash, 0)], 40, 0.05)
check(len(got) >= 1 and got[0][1]["rule_id"] == "GT1003", "the crash is reported while the stream keeps writing")
if got:
    ms = (got[0][0] - written) * 1000
    print("     latency: %.0f ms after the dump's last line" % ms)
    # The mechanism is structural (the first foreign line ends the dump):
    # 100 ms is the contract; a sanitizer build is slower.
    check(ms <= (1000 if sanitized else 100), "reported within 100 ms of the dump's last line (%.0f ms)" % ms)

# 2. The same with a line every 200 ms (before: reported only at EOF).
got, written = run([(crash, 0)], 10, 0.2)
check(bool(got) and (got[0][0] - written) < 1.0, "a line every 200 ms does not hold the report back")

# 3. A SIGQUIT dump split between two goroutines by three foreign lines:
#    reported at the first of them, then amended with the rest.
dump = open("testdata/fixtures/http-no-timeout-pool-sigquit.go126.txt").read()
lines = dump.split("\n")
cuts = [i for i, l in enumerate(lines) if l.startswith("goroutine ") and i > 0 and lines[i - 1] == ""]
cut = cuts[len(cuts) // 2]
part1, part2 = "\n".join(lines[:cut]) + "\n", "\n".join(lines[cut:])
noise = 'level=warn msg="upstream slow"\n' * 3
got, _ = run([(part1, 0.3), (noise, 0.05), (part2, 0)], 20, 0.05)
batch = json.loads(subprocess.run([bin_, "--format", "json", "--fail-on", "never"], input=dump.encode(),
                                  capture_output=True).stdout)
want = {f["rule_id"]: f for f in batch["findings"]}
first = [f for _, f in got if not f.get("amendment")]
amended = [f for _, f in got if f.get("amendment")]
check(len(first) >= 1, "the first part is reported before the rest arrives")
check(len(amended) >= 1, "the rest is sent as an amendment")
final = {}
for _, f in got:
    final[f["rule_id"]] = f  # an amendment replaces what came before it
check(set(final) == set(want), "after the amendment, the same rules as a batch run: %s vs %s" % (sorted(final), sorted(want)))
for rid, f in final.items():
    if rid in want:
        check(f["evidence"]["goroutines_total"] == want[rid]["evidence"]["goroutines_total"] and
              f["evidence"]["goroutines_involved"] == want[rid]["evidence"]["goroutines_involved"],
              "%s: goroutine counts after the amendment match the batch run (%d/%d vs %d/%d)" % (
                  rid, f["evidence"]["goroutines_involved"], f["evidence"]["goroutines_total"],
                  want[rid]["evidence"]["goroutines_involved"], want[rid]["evidence"]["goroutines_total"]))
        check(f["fingerprint"] == want[rid]["fingerprint"], "%s: the same fingerprint as the batch run" % rid)

# 4. Two crashes of a crash loop: each is reported before the next begins.
got, _ = run([(crash, 0.5), ("exit status 2\n", 0.5), (crash, 0)], 5, 0.05)
check(len(got) >= 2 and got[1][0] - got[0][0] > 0.4, "a crash loop: each crash reported as it happens")

# 5. The text output numbers the incidents of a stream as a batch run does
#    (it used to call every one "Incident 1").
text = subprocess.run([bin_, "--follow", "--fail-on", "never"], input=(crash + "\n" + crash).encode(),
                      capture_output=True).stdout.decode()
heads = [l.split(":")[0] for l in text.splitlines() if l.startswith("Incident ")]
check(heads == ["Incident 1", "Incident 2"], "text --follow numbers incidents 1, 2: %s" % heads)

print("%s" % ("all passed" if fails == 0 else "%d failed" % fails))
sys.exit(1 if fails else 0)
PY
