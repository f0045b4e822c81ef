#!/usr/bin/env bash
# `kubectl logs -l SELECTOR --prefix -f | gotriage -`, live: the real kubectl
# (Debian's kubernetes-client, or $KUBECTL) follows two pods at once against
# tests/kube_standin.py, which streams two real runs of
# testdata/gen/replica-crash (testdata/fixtures/replica-crash-pod{1,2}.go126.txt,
# 17 goroutines in 3 stacks each) as their logs, a line every 2 ms, so kubectl
# interleaves the two dumps line by line, in an order that differs from run
# to run. Whatever the order, gotriage reads each pod's lines as one stream:
# 2 incidents, 6 groups, no line left not understood, one crash finding
# folded across both pods, naming them; NDJSON lines carry names, no indexes.
# Usage: kubectl_interleave.sh GOTRIAGE SOURCE_DIR
set -euo pipefail
gotriage=$1
src=$2
kubectl=${KUBECTL:-$(command -v kubectl || true)}
if [[ -z $kubectl ]]; then
  echo "SKIP: no kubectl (scripts/setup installs kubernetes-client)" >&2
  exit 77
fi
tmp=$(mktemp -d)
standin=""
trap '[[ -z $standin ]] || kill "$standin" 2>/dev/null || true; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

P1=hitcounter-7d9c5b6f4d-x2kqp
P2=hitcounter-7d9c5b6f4d-m8zrt
python3 "$src/tests/kube_standin.py" "$src/tests/kube" "$tmp/requests" --pods 2 \
  --log "$P1=$src/testdata/fixtures/replica-crash-pod1.go126.txt" \
  --log "$P2=$src/testdata/fixtures/replica-crash-pod2.go126.txt" >"$tmp/port" &
standin=$!
for _ in $(seq 50); do [[ -s $tmp/port ]] && break; sleep 0.1; done
[[ -s $tmp/port ]] || fail "stand-in did not start"
cat >"$tmp/kubeconfig" <<EOC
apiVersion: v1
kind: Config
clusters:
- name: standin
  cluster: {server: "http://127.0.0.1:$(cat "$tmp/port")"}
contexts:
- name: oncall
  context: {cluster: standin, user: oncall, namespace: shop}
current-context: oncall
users:
- name: oncall
  user: {token: test-token-not-secret}
EOC
mkdir -p "$tmp/home"
HOME=$tmp/home KUBECONFIG=$tmp/kubeconfig "$kubectl" logs -l app=hitcounter --prefix -f --all-containers \
  >"$tmp/logs.txt" 2>"$tmp/kerr" || { cat "$tmp/kerr"; fail "kubectl logs failed"; }
switches=$(awk '{ if ($1 != last) n++; last = $1 } END { print n - 1 }' "$tmp/logs.txt")
[[ $switches -ge 20 ]] || fail "kubectl did not interleave the pods ($switches switches)"

set +e
"$gotriage" --format json - <"$tmp/logs.txt" >"$tmp/out.json"
rc=$?
"$gotriage" --format ndjson - <"$tmp/logs.txt" >"$tmp/out.ndjson"
set -e
[[ $rc -eq 1 ]] || fail "exit $rc, want 1 (a critical crash)"
python3 - "$tmp/out.json" "$tmp/out.ndjson" "$P1" "$P2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p1, p2 = sys.argv[3], sys.argv[4]
s = d["summary"]
assert s["lines_unplaced"] == 0, s
assert len(d["incidents"]) == 2, len(d["incidents"])
assert sum(len(i["groups"]) for i in d["incidents"]) == 6, [len(i["groups"]) for i in d["incidents"]]
assert sum(i["goroutines"] for i in d["incidents"]) == 34, [i["goroutines"] for i in d["incidents"]]
fs = d["findings"]
assert [f["rule_id"] for f in fs] == ["GT1005"], [f["rule_id"] for f in fs]
f = fs[0]
assert f["occurrences"] == 2 and f["pod_count"] == 2, f
assert {p["pod"] for p in f["pods"]} == {p1, p2}, f["pods"]
assert f["pod"] in (p1, p2) and f["container"] == "app", f
for line in open(sys.argv[2]):
    n = json.loads(line)
    assert "incident" not in n and isinstance(n["pod"], str) and n["incident_id"], n
print("interleaved: %d lines, 2 pods, 6 groups, 0 unplaced" % s["lines"])
PY

# The same live, as on call: kubectl's output piped straight into --follow.
# Each pod's crash is reported as its own incident, naming its pod, with its
# 17 goroutines (the other pod's lines do not cut it short).
set +e
HOME=$tmp/home KUBECONFIG=$tmp/kubeconfig "$kubectl" logs -l app=hitcounter --prefix -f --all-containers 2>"$tmp/kerr" |
  "$gotriage" --follow --format ndjson >"$tmp/follow.ndjson"
set -e
python3 - "$tmp/follow.ndjson" "$P1" "$P2" <<'PY2'
import json, sys
fs = [json.loads(l) for l in open(sys.argv[1])]
crash = [f for f in fs if f["rule_id"] == "GT1005" and not f.get("amendment")]
assert sorted(f["pod"] for f in crash) == sorted(sys.argv[2:]), [(f["rule_id"], f.get("pod")) for f in fs]
for f in crash:
    assert f["evidence"]["goroutines_total"] == 17 and f["container"] == "app", f["evidence"]
    assert "incident" not in f and f["incident_id"].startswith("<stdin>:"), f
print("--follow: one crash per pod, each with its pod")
PY2
echo "kubectl_interleave: ok ($switches switches between pods)"
