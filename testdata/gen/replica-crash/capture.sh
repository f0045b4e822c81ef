#!/usr/bin/env bash
# Captures two pods of one crashing deployment and their interleaved
# `kubectl logs --prefix` output, all from real programs:
#   fixtures/replica-crash-pod1.go126.txt, -pod2   two runs of this program
#     (GOTRACEBACK=all, Go 1.26.8): a nil map write with 17 goroutines in 3
#     stacks each; .go127.txt the same with Go 1.27.0 (GOTOOLCHAIN, a go.mod
#     that says go 1.27, as testdata/regen builds go127)
#   fixtures/variants/replica-crash-pod1.go126.kubectl-prefix-interleaved.txt
#     what the real kubectl prints for `logs -l app=hitcounter --prefix -f`
#     when tests/kube_standin.py serves those two runs as the logs of the first
#     two pods of tests/kube/ (streamed a line every 2 ms: kubectl follows
#     both pods at once and interleaves their lines as they arrive)
# Usage: testdata/gen/replica-crash/capture.sh   (needs kubectl, python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
td=$root/testdata
GO126=${GO126:-/usr/local/go/bin/go}
GO127_TOOLCHAIN=${GO127_TOOLCHAIN:-go1.27.0}
kubectl=${KUBECTL:-$(command -v kubectl)}
tmp=$(mktemp -d)
standin=""
trap '[[ -z $standin ]] || kill "$standin" 2>/dev/null; rm -rf "$tmp"' EXIT

export GOFLAGS=-buildvcs=false GOWORK=off
(cd "$td/gen" && GOTOOLCHAIN=local "$GO126" build -o "$tmp/go126" ./replica-crash)
sed 's/^go .*/go 1.27/' "$td/gen/go.mod" >"$tmp/go127.mod"
(cd "$td/gen" && GOTOOLCHAIN=$GO127_TOOLCHAIN "$GO126" build -modfile="$tmp/go127.mod" -o "$tmp/go127" ./replica-crash)
for tag in go126 go127; do
  for i in 1 2; do
    out=$td/fixtures/replica-crash-pod$i.$tag.txt
    set +e
    GOTRACEBACK=all timeout 20 "$tmp/$tag" >"$out" 2>&1
    rc=$?
    set -e
    [[ $rc -eq 2 ]] || { echo "capture: $tag run $i exited $rc, want 2" >&2; exit 1; }
    echo "capture: wrote ${out#$td/}"
  done
done

P1=hitcounter-7d9c5b6f4d-x2kqp
P2=hitcounter-7d9c5b6f4d-m8zrt
python3 "$root/tests/kube_standin.py" "$root/tests/kube" "$tmp/requests" --pods 2 \
  --log "$P1=$td/fixtures/replica-crash-pod1.go126.txt" \
  --log "$P2=$td/fixtures/replica-crash-pod2.go126.txt" >"$tmp/port" &
standin=$!
for _ in $(seq 50); do [[ -s $tmp/port ]] && break; sleep 0.1; done
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
out=$td/fixtures/variants/replica-crash-pod1.go126.kubectl-prefix-interleaved.txt
HOME=$tmp KUBECONFIG=$tmp/kubeconfig "$kubectl" logs -l app=hitcounter --prefix -f --all-containers >"$out"
# Interleaved for real: count the changes of pod from one line to the next.
switches=$(awk '{ if ($1 != last) n++; last = $1 } END { print n - 1 }' "$out")
echo "capture: wrote ${out#$td/} ($(wc -l <"$out") lines, $switches switches between pods)"
