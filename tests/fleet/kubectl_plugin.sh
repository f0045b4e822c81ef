#!/usr/bin/env bash
# kubectl gotriage end to end: the real kubectl (Debian's kubernetes-client,
# or $KUBECTL) against tests/kube_standin.py, an API server stand-in on
# 127.0.0.1 serving recorded API responses (tests/kube/: a crash-looping
# deployment of three pods whose previous logs are three real runs of
# testdata/gen/concurrent-map-writes). Asserts the diagnosis, and that kubectl
# made exactly the expected requests (all GETs; pods, events, pods/log only).
# Usage: kubectl_plugin.sh GOTRIAGE SOURCE_DIR
set -euo pipefail
gotriage=$1
src=$2
plugin=$src/cli/kubectl-gotriage
kubectl=${KUBECTL:-$(command -v kubectl || true)}
if [[ -z $kubectl ]]; then
  echo "SKIP: no kubectl (scripts/setup installs kubernetes-client)" >&2
  exit 77
fi

tmp=$(mktemp -d)
standin=""
cleanup() { [[ -z $standin ]] || kill "$standin" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start_standin() {  # extra stand-in args...
  [[ -z $standin ]] || { kill "$standin"; wait "$standin" 2>/dev/null || true; }
  : >"$tmp/requests"
  rm -f "$tmp/port"  # else the previous stand-in's port is read before the new one truncates it
  python3 "$src/tests/kube_standin.py" "$src/tests/kube" "$tmp/requests" "$@" >"$tmp/port" &
  standin=$!
  for _ in $(seq 50); do [[ -s $tmp/port ]] && break; sleep 0.1; done
  [[ -s $tmp/port ]] || fail "stand-in did not start"
  cat >"$tmp/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: standin
  cluster:
    server: http://127.0.0.1:$(cat "$tmp/port")
contexts:
- name: oncall
  context: {cluster: standin, user: oncall, namespace: shop}
- name: elsewhere
  context: {cluster: standin, user: oncall, namespace: default}
current-context: elsewhere
users:
- name: oncall
  user: {token: test-token-not-secret}
EOF
}

# kubectl caches discovery under $HOME/.kube: a fresh HOME per run.
run() {  # plugin args...
  rm -rf "$tmp/home"; mkdir -p "$tmp/home"
  HOME=$tmp/home KUBECTL=$kubectl GOTRIAGE=$gotriage "$plugin" --kubeconfig "$tmp/kubeconfig" "$@"
}

# The requests that are not discovery, in order; discovery must be GETs of
# /api, /apis, /api/v1, /version only.
resource_requests() {
  grep -v -E '^GET /(api|apis|api/v1|version)(\?timeout=[0-9]+s)?$' "$tmp/requests" |
    sed -E 's/([?&])limit=500(&|$)/\1/; s/[?&]$//'
}
check_discovery_only_gets() {
  if grep -v '^GET ' "$tmp/requests"; then fail "kubectl made a non-GET request"; fi
}

P1=hitcounter-7d9c5b6f4d-x2kqp
P2=hitcounter-7d9c5b6f4d-m8zrt
P3=hitcounter-7d9c5b6f4d-q4wld
NS=/api/v1/namespaces/shop

# 1. deploy/NAME with --context (its namespace, shop, is used): the three pods.
start_standin
set +e
run --context oncall deploy/hitcounter --format json >"$tmp/out.json" 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 1 ]] || { cat "$tmp/err"; fail "exit $rc, want 1 (critical findings)"; }
[[ ! -s $tmp/err ]] || { cat "$tmp/err"; fail "unexpected stderr"; }
check_discovery_only_gets
cat >"$tmp/want" <<EOF
GET $NS/pods
GET $NS/pods/$P1
GET $NS/pods/$P2
GET $NS/pods/$P3
GET $NS/events?fieldSelector=involvedObject.name%3D$P1
GET $NS/events?fieldSelector=involvedObject.name%3D$P2
GET $NS/events?fieldSelector=involvedObject.name%3D$P3
GET $NS/pods/$P1
GET $NS/pods/$P1/log?container=app&previous=true
GET $NS/pods/$P2
GET $NS/pods/$P2/log?container=app&previous=true
GET $NS/pods/$P3
GET $NS/pods/$P3/log?container=app&previous=true
EOF
resource_requests >"$tmp/got"
diff -u "$tmp/want" "$tmp/got" || fail "kubectl's requests differ"

python3 - "$tmp/out.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
fs = d["findings"]
crash = [f for f in fs if f["rule_id"] == "GT1001"]
# The three pods' crashes (goroutines 23, 7, 9: three real runs) are one
# finding, seen three times.
assert len(crash) == 1, [f["rule_id"] for f in fs]
assert crash[0]["occurrences"] == 3, crash[0]["occurrences"]
assert crash[0]["culprit"]["function"] == "main.(*hitCounter).record", crash[0]["culprit"]
# ... naming the pods it came from: the [pod/NAME/CONTAINER] tags the plugin
# puts on each pod's logs, completed from the pod objects (namespace, node).
assert crash[0]["pod_count"] == 3, crash[0]
assert sorted(p["pod"] for p in crash[0]["pods"]) == sorted([
    "hitcounter-7d9c5b6f4d-x2kqp", "hitcounter-7d9c5b6f4d-m8zrt", "hitcounter-7d9c5b6f4d-q4wld"]), crash[0]["pods"]
assert all(p["namespace"] == "shop" and p["container"] == "app" and p["node"].startswith("node-")
           for p in crash[0]["pods"]), crash[0]["pods"]
assert crash[0]["namespace"] == "shop" and crash[0]["pod"] in [p["pod"] for p in crash[0]["pods"]], crash[0]
# Each pod's own finding names it too, as strings.
for f in fs:
    assert isinstance(f["pod"], str) and f["namespace"] == "shop" and f["container"] == "app", f
# Pod state: the three pods' restarts are explained by the crash their logs
# hold, so they are part of that one finding (each pod with its restart
# count), not three crash-loop findings beside it.
loops = [f for f in fs if f["rule_id"] in ("GT3003", "GT3004")]
assert loops == [], [f["summary"] for f in loops]
s = crash[0]["summary"]
assert s.startswith("3 pods restarted:"), s
for pod, n in (("x2kqp", 7), ("m8zrt", 6), ("q4wld", 7)):
    assert f"pod hitcounter-7d9c5b6f4d-{pod}, container app restarted {n} times" in s, (pod, s)
assert "cause: fatal error: concurrent map writes" in s, s
pods = {p["name"]: p for p in d["pods"]}
assert sorted(pods) == sorted(["hitcounter-7d9c5b6f4d-x2kqp", "hitcounter-7d9c5b6f4d-m8zrt",
                               "hitcounter-7d9c5b6f4d-q4wld"]), list(pods)
got = {n: [c["restart_count"] for c in p["containers"]] for n, p in pods.items()}
assert got == {"hitcounter-7d9c5b6f4d-x2kqp": [7], "hitcounter-7d9c5b6f4d-m8zrt": [6],
               "hitcounter-7d9c5b6f4d-q4wld": [7]}, got
# The events were read and attached to their pods.
for n, p in pods.items():
    ev = p.get("events", [])
    assert any(e["reason"] == "BackOff" for e in ev), (n, ev)
print("json ok")
EOF

# 2. -l SELECTOR -n NS, text output: the same diagnosis; the selector reaches
#    the API server as labelSelector.
start_standin
set +e
run -n shop -l app=hitcounter --color never >"$tmp/out.txt" 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "selector run: exit $rc"
grep -q "^GET $NS/pods?labelSelector=app%3Dhitcounter" "$tmp/requests" || fail "no labelSelector request"
grep -q 'GT1001.*x3' "$tmp/out.txt" || { cat "$tmp/out.txt"; fail "crash not folded x3 in text"; }
for n in 7 6; do grep -q "restarted $n times" "$tmp/out.txt" || fail "restart count $n missing"; done

# 3. RBAC: pods/log forbidden. Each refusal is said on stderr, naming the pod
#    and container; the pod state is still diagnosed (exit 1: GT3003 is high).
start_standin --forbid "$NS/pods/$P2/log" --forbid "$NS/events"
set +e
run --context oncall pod/$P2 --format ndjson >"$tmp/out.ndjson" 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 1 ]] || { cat "$tmp/err"; fail "RBAC run: exit $rc, want 1"; }
grep -q "could not fetch the previous logs of pod/$P2/app: .*forbidden" "$tmp/err" ||
  { cat "$tmp/err"; fail "403 on logs not reported"; }
grep -q "could not fetch the events of pod/$P2: .*forbidden" "$tmp/err" ||
  { cat "$tmp/err"; fail "403 on events not reported"; }
grep -q '"rule_id":"GT3003"' "$tmp/out.ndjson" || fail "pod state not diagnosed after a 403"

# 4. Hangs: --since also reads the current logs (sinceSeconds), for -c's
#    container only; gotriage options after `--` pass through.
start_standin
set +e
run --context oncall $P1 -c app --since 10m -- --format sarif >"$tmp/out.sarif" 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 1 ]] || { cat "$tmp/err"; fail "--since run: exit $rc"; }
check_discovery_only_gets
resource_requests | grep '/log?' >"$tmp/got"
printf 'GET %s\n' "$NS/pods/$P1/log?container=app&previous=true" \
  "$NS/pods/$P1/log?container=app&sinceSeconds=600" >"$tmp/want"
diff -u "$tmp/want" "$tmp/got" || fail "--since: log requests differ"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"] == "2.1.0"' "$tmp/out.sarif" ||
  fail "--format sarif did not pass through"

# 5. A pod that does not exist: a clear error, exit 2, gotriage not run.
start_standin
set +e
run -n shop no-such-pod >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "missing pod: exit $rc, want 2"
grep -q 'could not list the pods: .*"no-such-pod" not found' "$tmp/err" || { cat "$tmp/err"; fail "no clear error"; }
# After a 404, kubectl reads the namespace to say which of the two is missing
# (a read kubectl does on its own; refused, it still reports the 404).
resource_requests >"$tmp/got"
printf 'GET %s\n' "$NS/pods/no-such-pod" /api/v1/namespaces/shop >"$tmp/want"
diff -u "$tmp/want" "$tmp/got" || fail "missing pod: kubectl's requests differ"

echo "kubectl_plugin: ok ($("$kubectl" version --client 2>/dev/null | head -n 1))"
