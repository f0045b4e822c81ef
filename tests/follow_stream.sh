#!/usr/bin/env bash
# --follow on a stream that stays open (a `kubectl logs -f` pipe): each
# finding must come out while the writer is still running, the last
# incident is flushed at EOF, and memory stays flat over many incidents.
# $1: the gotriage binary.
set -uo pipefail
bin=${1:?usage: follow_stream.sh GOTRIAGE}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
writer=
reader=
cleanup() {
  [ -n "$writer" ] && kill "$writer" 2>/dev/null
  [ -n "$reader" ] && kill "$reader" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0 n=0
check() {  # check CONDITION-STATUS DESCRIPTION
  n=$((n + 1))
  if [ "$1" != 0 ]; then fails=$((fails + 1)); echo "FAIL $2"; fi
}

# Waits up to $2 seconds for file $1 to hold $3 lines.
wait_lines() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    [ "$(wc -l <"$1")" -ge "$3" ] && return 0
    sleep 0.1
  done
  return 1
}

# 1. A go test -race report, then the writer sleeps with the pipe open.
mkfifo "$tmp/fifo"
# (exec: the writer's PID is the sleeping process that holds the pipe open.)
(printf 'pod started\n'; cat testdata/ci/race-test.go126.txt; exec sleep 60) >"$tmp/fifo" &
writer=$!
"$bin" --follow --format ndjson <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
reader=$!
wait_lines "$tmp/out" 20 1
check $? "no finding within 20s while the stream stays open"
kill -0 "$writer" 2>/dev/null
check $? "the writer had already closed the stream (the test proves nothing)"
/usr/bin/python3 -c '
import json, sys
f = json.loads(open(sys.argv[1]).readline())
assert f["rule_id"] == "GT1002" and f["severity"] == "high", f
' "$tmp/out"
check $? "the streamed line is not the GT1002 finding: $(head -c 300 "$tmp/out")"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null; writer=
wait "$reader"; rc=$?; reader=
check $([ "$rc" = 1 ] && echo 0 || echo 1) "exit $rc after the stream closed, want 1 (a high finding)"

# 2. A crash printed by `go run` (ends with `exit status 2`), streamed
#    before EOF; then an incident cut by EOF is flushed when the stream ends.
rm -f "$tmp/fifo" && mkfifo "$tmp/fifo"
(cat testdata/fixtures/nil-deref.go126.txt; printf 'exit status 2\n'; exec sleep 60) >"$tmp/fifo" &
writer=$!
"$bin" --follow --format json <"$tmp/fifo" >"$tmp/out2" 2>"$tmp/err" &
reader=$!
wait_lines "$tmp/out2" 20 1
check $? "go run crash: no finding within 20s while the stream stays open"
grep -q '"GT1003"' "$tmp/out2"
check $? "go run crash: GT1003 not streamed: $(head -c 300 "$tmp/out2")"
kill -0 "$writer" 2>/dev/null
check $? "go run crash: the writer had already closed the stream"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null; writer=
wait "$reader"; reader=

head -13 testdata/ci/race-run.go126.txt | "$bin" --follow --format ndjson >"$tmp/out3" 2>"$tmp/err"
grep -q '"GT1002"' "$tmp/out3"
check $? "a race report cut by EOF was not flushed at the end of the stream"

# 3. A pod description (a real paste: OOMKilled) then three crashes (a real
#    capture, three times): --follow reports the pod once and names the
#    three crashes' incidents by their own IDs (`-:LINE`), the batch run
#    folds them into the first one's, with a count. NDJSON lines carry no
#    `incident` index (no `incidents` array to index).
{ cat testdata/corpus/dumps/14-kyma3195-prometheus-oomkilled-describe.txt; echo
  for i in 1 2 3; do cat testdata/fixtures/nil-deref.go126.txt; done; } >"$tmp/pod-crashes.txt"
"$bin" --follow --format ndjson <"$tmp/pod-crashes.txt" >"$tmp/out4" 2>"$tmp/err"
"$bin" --format ndjson "$tmp/pod-crashes.txt" >"$tmp/out5" 2>"$tmp/err"
/usr/bin/python3 -c '
import json, sys
def keys(path):
    fs = list(map(json.loads, open(path)))
    assert not any("incident" in f for f in fs), fs
    return sorted((f["rule_id"], f.get("incident_id", ""), f.get("occurrences")) for f in fs)
follow, batch = keys(sys.argv[1]), keys(sys.argv[2])
line = lambda i: int(i.rsplit(":", 1)[1])
ids = sorted({i for r, i, n in follow if r == "GT1003"}, key=line)
assert len(ids) == 3 and all(i.startswith("<stdin>:") for i in ids), follow
assert [(r, n) for r, i, n in follow] == [("GT1003", 1)] * 3 + [("GT3001", 1)], follow
assert batch == [("GT1003", sys.argv[3] + ":" + str(line(ids[0])), 3), ("GT3001", "", 1)], (batch, ids)
' "$tmp/out4" "$tmp/out5" "$tmp/pod-crashes.txt"
check $? "describe + 3 crashes: --follow $(cut -c1-60 "$tmp/out4" | tr '\n' ' ') vs batch $(cut -c1-60 "$tmp/out5" | tr '\n' ' ')"

# 4. Memory stays flat: 20x more incidents, about the same peak RSS.
if [ -x /usr/bin/time ]; then
  rss() {
    local copies=$1
    /usr/bin/python3 -c '
import sys
text = open("testdata/ci/race-test.go126.txt").read()
out = sys.stdout
for i in range(int(sys.argv[1])):
    out.write(text.replace("goroutine 9:", "goroutine %d:" % (i + 100)))
' "$copies" | /usr/bin/time -f '%M' "$bin" --follow --format ndjson 2>"$tmp/time" >"$tmp/many"
    tail -1 "$tmp/time"
  }
  small=$(rss 100)
  lines_small=$(wc -l <"$tmp/many")
  big=$(rss 2000)
  lines_big=$(wc -l <"$tmp/many")
  check $([ "$lines_small" = 100 ] && [ "$lines_big" = 2000 ] && echo 0 || echo 1) \
    "--follow printed $lines_small/$lines_big findings for 100/2000 incidents"
  if [ "${GOTRIAGE_SANITIZED:-0}" = 1 ]; then
    # ASan's quarantine keeps freed memory on purpose: RSS says nothing here.
    echo "note: sanitizer build, memory-growth check skipped"
  else
    check $([ "$big" -lt $((small * 3 / 2 + 4096)) ] && echo 0 || echo 1) \
      "peak RSS grew from ${small} KiB (100 incidents) to ${big} KiB (2000 incidents)"
  fi
  echo "peak RSS: ${small} KiB for 100 incidents, ${big} KiB for 2000"
else
  echo "note: /usr/bin/time missing, memory check skipped"
fi

echo "$((n - fails)) passed, $fails failed"
[ "$fails" = 0 ]
