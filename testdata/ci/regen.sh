#!/usr/bin/env bash
# Recaptures the go test / go run outputs in testdata/ci from the programs in
# testdata/ci/gen, once per runtime (race detector needs cgo):
#   go126  Go 1.26.8 (GO126, /usr/local/go/bin/go)
#   go119  Debian's go1.19 (GO119, /usr/lib/go-1.19/bin/go)
#   go127  Go 1.27.0: GO126's go command with GOTOOLCHAIN=go1.27.0 (fetched
#          through the module proxy) and, through GOFLAGS=-modfile, a go.mod
#          generated into a temporary directory that says `go 1.27` (the sources
#          are not copied, so the paths in the output are the same as go126's)
# Outputs are kept as the toolchain printed them (absolute paths included):
# the CI renderers map them back to repository-relative files.
#
# Usage: testdata/ci/regen.sh [go126|go119|go127]...   (default: all three)
set -uo pipefail
cd "$(dirname "$0")/gen"
out=..
GO126=${GO126:-/usr/local/go/bin/go}
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
GO127_TOOLCHAIN=${GO127_TOOLCHAIN:-go1.27.0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GOWORK=off

tags=("$@")
[ $# -gt 0 ] || tags=(go126 go119 go127)
for tag in "${tags[@]}"; do
  unset GOFLAGS
  case $tag in
    go126) go=$GO126; export GOTOOLCHAIN=local ;;
    go119) go=$GO119; export GOTOOLCHAIN=local ;;
    go127)
      go=$GO126; export GOTOOLCHAIN=$GO127_TOOLCHAIN
      sed -E 's/^go 1\.[0-9]+(\.[0-9]+)?$/go 1.27/' go.mod > "$tmp/go127.mod"
      grep -qx 'go 1.27' "$tmp/go127.mod" || { echo "regen.sh: no go line in go.mod" >&2; exit 1; }
      export GOFLAGS=-modfile=$tmp/go127.mod ;;
    *) echo "regen.sh: unknown runtime $tag" >&2; exit 2 ;;
  esac
  [ -x "$go" ] || { echo "regen.sh: skip $tag: $go not found" >&2; continue; }
  v=$("$go" env GOVERSION | sed -E 's/^go([0-9]+)\.([0-9]+).*/\1\2/')
  [ "go$v" = "$tag" ] || { echo "regen.sh: $tag: $go gives go$v" >&2; exit 1; }
  "$go" test -race -count=1 ./race          >"$out/race-test.go$v.txt" 2>&1
  "$go" test -race -count=1 -v ./race       >"$out/race-test-v.go$v.txt" 2>&1
  "$go" test -race -count=1 -json ./race    >"$out/race-test-json.go$v.jsonl" 2>&1
  "$go" test -count=1 -timeout 2s ./hang    >"$out/test-timeout.go$v.txt" 2>&1
  "$go" test -count=1 -timeout 2s -json ./hang >"$out/test-timeout-json.go$v.jsonl" 2>&1
  "$go" test -count=1 ./bgpanic             >"$out/test-panic.go$v.txt" 2>&1
  "$go" test -count=1 -json ./bgpanic       >"$out/test-panic-json.go$v.jsonl" 2>&1
  "$go" run -race ./racemain                >"$out/race-run.go$v.txt" 2>&1
  "$go" test -count=1 ./subpanic            >"$out/subtest-panic.go$v.txt" 2>&1
  "$go" test -count=1 -v ./subpanic         >"$out/subtest-panic-v.go$v.txt" 2>&1
  "$go" test -count=1 -json ./subpanic      >"$out/subtest-panic-json.go$v.jsonl" 2>&1
  ls -l "$out"/*.go$v.*
done
