#!/usr/bin/env bash
# --alertmanager against a real Alertmanager (Debian's prometheus-alertmanager)
# on 127.0.0.1: clustering off (its default listens on 0.0.0.0:9094), a temp
# storage dir, a config whose only receiver sends nowhere. Checks: alerts
# arrive with the right labels (GET /api/v2/alerts); a repeat is one alert;
# Alertmanager down -> exit 5 and a spool file; Alertmanager restarted (it
# keeps no alerts across restarts) -> the next run sends the spool, nothing
# lost.
# Usage: alertmanager.sh GOTRIAGE SOURCE_DIR
set -euo pipefail
gotriage=$1
src=$2
am_bin=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [[ -z $am_bin ]]; then
  echo "SKIP: no Alertmanager (scripts/setup installs prometheus-alertmanager)" >&2
  exit 77
fi
tmp=$(mktemp -d)
am=""
stop_am() { if [[ -n $am ]]; then kill "$am" 2>/dev/null || true; wait "$am" 2>/dev/null || true; am=""; fi; }
trap 'stop_am; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; [[ ! -f $tmp/am.log ]] || tail -n 20 "$tmp/am.log" >&2; exit 1; }

cat >"$tmp/am.yml" <<'EOF'
route:
  receiver: nowhere
  group_by: [alertname]
receivers:
- name: nowhere
EOF
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port

start_am() {
  "$am_bin" --config.file="$tmp/am.yml" --storage.path="$tmp/data" \
    --web.listen-address="127.0.0.1:$port" --cluster.listen-address="" \
    --log.level=warn >>"$tmp/am.log" 2>&1 &
  am=$!
  for _ in $(seq 100); do
    curl -fsS "$url/-/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "Alertmanager did not become ready"
}
alerts() { curl -fsS "$url/api/v2/alerts"; }

crash=$src/testdata/fixtures/concurrent-map-writes.go126.txt
pod=$src/tests/kube/crashloop-pods.json  # the kubectl plugin test's three pods
spool=$tmp/spool
gt() { "$gotriage" --alertmanager "$url" --spool "$spool" --format json "$@"; }

# 1. Up: the crash and the pod's crash loop arrive with their labels.
start_am
set +e
gt "$crash" "$pod" >"$tmp/out.json" 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 1 ]] || { cat "$tmp/err"; fail "exit $rc, want 1 (critical finding, alerts sent)"; }
alerts >"$tmp/alerts.json"
python3 - "$tmp/alerts.json" "$tmp/out.json" <<'EOF'
import json, sys
alerts = json.load(open(sys.argv[1]))
findings = json.load(open(sys.argv[2]))["findings"]
by = {a["labels"]["fingerprint"]: a for a in alerts}
assert len(alerts) == len(findings), (len(alerts), [f["rule_id"] for f in findings])
for f in findings:
    a = by[f["fingerprint"]]
    l = a["labels"]
    assert l["alertname"] == f["rule_id"], l
    assert l["category"] == f["category"] and l["severity"] == f["severity"], l
    assert a["annotations"]["summary"] and a["annotations"]["remediation"].startswith("1. "), a
    assert a["annotations"]["runbook"].startswith("gotriage --explain " + f["rule_id"]), a
    assert a["status"]["state"] == "active", a["status"]
crash = [a for a in alerts if a["labels"]["alertname"] == "GT1001"]
assert len(crash) == 1, crash
d = crash[0]["annotations"]["description"]
assert "culprit: main.(*hitCounter).record" in d, d
assert "evidence: fatal error: concurrent map writes" in d, d
# The three replicas restarting the same way are one crash-loop alert,
# labelled with the first pod; its description names all three with their
# restart counts.
loops = [a for a in alerts if a["labels"]["alertname"] == "GT3003"]
assert [(a["labels"]["namespace"], a["labels"]["pod"], a["labels"]["container"]) for a in loops] == [
    ("shop", "hitcounter-7d9c5b6f4d-x2kqp", "app")], loops
d = loops[0]["annotations"]["description"]
for pod, n in (("x2kqp", 7), ("m8zrt", 6), ("q4wld", 7)):
    assert f"pod hitcounter-7d9c5b6f4d-{pod}, container app restarted {n} times" in d, d
print("labels ok:", len(alerts), "alerts")
EOF
# 1b. Crash alerts carry their pod too (issue 20): two pods crashing together,
#     their lines interleaved by the real kubectl (`logs -l ... --prefix -f`,
#     testdata/gen/replica-crash/capture.sh), with the same deployment's pod
#     objects. The crash is one alert (folded across the two pods) labelled
#     with the first pod's namespace, pod, container and node; its
#     description lists both pods. Every alert of that run, of every kind
#     (the crash, the pods' crash loops), names its pod.
interleaved=$src/testdata/fixtures/variants/replica-crash-pod1.go126.kubectl-prefix-interleaved.txt
gt "$interleaved" "$pod" >"$tmp/out2.json" 2>"$tmp/err" || true
alerts >"$tmp/alerts2.json"
python3 - "$tmp/alerts2.json" "$tmp/out2.json" <<'EOF'
import json, sys
alerts = json.load(open(sys.argv[1]))
f = [f for f in json.load(open(sys.argv[2]))["findings"] if f["rule_id"] == "GT1005"]
assert len(f) == 1, f
crash = [a for a in alerts if a["labels"]["alertname"] == "GT1005"]
assert len(crash) == 1, crash
l = crash[0]["labels"]
assert l["fingerprint"] == f[0]["fingerprint"], (l, f[0]["fingerprint"])
assert (l["namespace"], l["container"]) == ("shop", "app"), l
assert l["pod"] in ("hitcounter-7d9c5b6f4d-x2kqp", "hitcounter-7d9c5b6f4d-m8zrt"), l
assert l["pod"] == f[0]["pod"] and l["node"] == f[0]["node"], (l, f[0])
d = crash[0]["annotations"]["description"]
assert "hitcounter-7d9c5b6f4d-x2kqp" in d and "hitcounter-7d9c5b6f4d-m8zrt" in d, d
mine = {f["fingerprint"] for f in json.load(open(sys.argv[2]))["findings"]}
for a in (a for a in alerts if a["labels"]["fingerprint"] in mine):
    assert a["labels"].get("pod") and a["labels"].get("namespace") == "shop", a["labels"]
print("crash alert pod labels ok:", l["namespace"], l["pod"], l["container"], l["node"])
EOF
n_first=$(alerts | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

# 2. The same findings again: still one alert each (same label set).
gt "$crash" "$pod" >/dev/null 2>"$tmp/err" || true
[[ $(alerts | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq $n_first ]] ||
  fail "a repeat made new alerts"

# 3. Alertmanager down: the alerts are spooled, exit 5, said on stderr.
#    Exit 5 comes after 1 in the documented precedence (2 1 3 4 5 0: a
#    finding is never masked), so the run that shows 5 sets --fail-on never;
#    the same run at the default threshold still spools but exits 1.
stop_am
set +e
gt --fail-on never "$crash" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 5 ]] || { cat "$tmp/err"; fail "down: exit $rc, want 5"; }
grep -q "spooled in $spool/alerts-" "$tmp/err" || { cat "$tmp/err"; fail "spooling not reported"; }
[[ $(ls "$spool" | wc -l) -eq 1 ]] || fail "want one spool file: $(ls "$spool")"
set +e
gt "$crash" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 1 ]] || { cat "$tmp/err"; fail "down with a critical finding: exit $rc, want 1 (findings before 5)"; }
grep -q "spooled in $spool/alerts-" "$tmp/err" || { cat "$tmp/err"; fail "spooling not reported with exit 1"; }
[[ $(ls "$spool" | wc -l) -eq 2 ]] || fail "want two spool files: $(ls "$spool")"

# 4. Restarted (empty: Alertmanager keeps no alerts across restarts). The next
#    run, even with nothing new to say, sends the spool and empties it (both
#    files hold the same alert, one label set: Alertmanager keeps one).
start_am
[[ $(alerts) == "[]" ]] || fail "a restarted Alertmanager should start empty"
set +e
"$gotriage" --alertmanager "$url" --spool "$spool" /dev/null >/dev/null 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 0 ]] || { cat "$tmp/err"; fail "flush: exit $rc, want 0"; }
grep -q "sent spooled" "$tmp/err" || fail "spool flush not reported"
[[ -z $(ls "$spool") ]] || fail "spool not emptied"
alerts | python3 -c '
import json, sys
a = json.load(sys.stdin)
assert [x["labels"]["alertname"] for x in a] == ["GT1001"], a
print("spooled alert delivered after restart")'

# 5. A URL gotriage cannot use is a usage error, before reading anything.
set +e
"$gotriage" --alertmanager https://127.0.0.1:1 /dev/null 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 2 ]] && grep -q "https is not supported" "$tmp/err" || fail "https URL: exit $rc"
# 6. The node agent (`gotriage watch`) alerts too: a crash in a kubelet log
#    file (CRI lines of the real nil-deref output) reaches Alertmanager with
#    the namespace, pod and container of its path -- once with --once, and
#    from the running agent for a crash written while it runs.
logs=$tmp/pods
mkdir -p "$logs/prod_checkout-6f7c_0f0e0d0c/app" "$logs/prod_cart-55d1_0a0b0c0d/app"
cri() { awk '{ printf "2026-11-30T12:00:%02d.%09dZ stderr F %s\n", NR % 60, NR, $0 }' "$1"; }
cri "$src/testdata/fixtures/nil-deref.go126.txt" >"$logs/prod_checkout-6f7c_0f0e0d0c/app/0.log"
"$gotriage" watch "$logs" --once --state "$tmp/watch-state.json" --alertmanager "$url" --spool "$spool" \
  >"$tmp/watch.ndjson" 2>"$tmp/err" || true
grep -q '"rule_id":"GT1003"' "$tmp/watch.ndjson" || { cat "$tmp/err"; fail "watch --once: no finding"; }
"$gotriage" watch "$logs" --state "$tmp/watch-state.json" --alertmanager "$url" --spool "$spool" \
  --interval 100ms --settle 300ms >"$tmp/watch2.ndjson" 2>"$tmp/err2" &
agent=$!
sleep 0.5
cri "$src/testdata/fixtures/concurrent-map-writes.go126.txt" >>"$logs/prod_cart-55d1_0a0b0c0d/app/0.log"
for _ in $(seq 100); do
  alerts | grep -q '"alertname":"GT1001"' && alerts | grep -q '"pod":"cart-55d1"' && break
  sleep 0.1
done
kill -TERM $agent; wait $agent || true
alerts | python3 -c '
import json, sys
a = {(x["labels"]["alertname"], x["labels"].get("pod")): x["labels"] for x in json.load(sys.stdin)}
l = a[("GT1003", "checkout-6f7c")]
assert (l["namespace"], l["container"]) == ("prod", "app"), l
l = a[("GT1001", "cart-55d1")]
assert (l["namespace"], l["container"]) == ("prod", "app"), l
print("watch: alerts from the node agent, --once and running, with the pod of the log path")'
[[ $(grep -c '"rule_id"' "$tmp/watch2.ndjson") -eq 1 ]] || fail "the running agent repeated or missed: $(cat "$tmp/watch2.ndjson")"

# 7. The agent while Alertmanager is down: the crash is spooled (exit 5 with
#    --fail-on never). Alertmanager restarted (empty), the agent's next start
#    sends the spool though the logs hold nothing new: nothing is lost.
spool2=$tmp/spool-watch
mkdir -p "$logs/prod_pay-77c2_0c0d0e0f/app"
cri "$src/testdata/fixtures/nil-deref.go126.txt" >"$logs/prod_pay-77c2_0c0d0e0f/app/0.log"
stop_am
set +e
"$gotriage" watch "$logs" --once --fail-on never --state "$tmp/watch-state.json" --alertmanager "$url" \
  --spool "$spool2" >"$tmp/watch3.ndjson" 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 5 ]] || { cat "$tmp/err"; fail "watch, Alertmanager down: exit $rc, want 5"; }
[[ $(ls "$spool2" | wc -l) -eq 1 ]] || fail "watch: want one spool file: $(ls "$spool2")"
start_am
set +e
"$gotriage" watch "$logs" --once --state "$tmp/watch-state.json" --alertmanager "$url" --spool "$spool2" \
  >"$tmp/watch4.ndjson" 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 0 ]] || { cat "$tmp/err"; fail "watch, spool flush: exit $rc, want 0"; }
[[ ! -s $tmp/watch4.ndjson ]] || fail "watch reported again: $(cat "$tmp/watch4.ndjson")"
grep -q "sent spooled" "$tmp/err" || { cat "$tmp/err"; fail "watch: spool flush not reported"; }
[[ -z $(ls "$spool2") ]] || fail "watch: spool not emptied"
alerts | python3 -c '
import json, sys
a = [x["labels"] for x in json.load(sys.stdin)]
assert [(l["alertname"], l["pod"]) for l in a] == [("GT1003", "pay-77c2")], a
print("watch: alert spooled while Alertmanager was down, delivered by the next start")'

echo "alertmanager: ok ($("$am_bin" --version 2>&1 | head -n 1))"
