#!/usr/bin/env bash
# Live end-to-end check: builds a few reproducers from testdata/gen with the
# Go toolchain on PATH (or $GO), runs them, pipes their real output into
#   GOTRIAGE_BIN --format json -
# and checks that the first finding's category is the expected one.
#
# Usage: testdata/live/run_live.sh GOTRIAGE_BIN
# Exit: 0 all passed, 1 a check failed, 2 usage, 77 no Go toolchain (skip).
set -u
if [ $# -ne 1 ]; then
  echo "usage: $0 GOTRIAGE_BIN" >&2
  exit 2
fi
GOTRIAGE=$1
GO=${GO:-$(command -v go || true)}
if [ -z "$GO" ] && [ -x /usr/local/go/bin/go ]; then GO=/usr/local/go/bin/go; fi
if [ -z "$GO" ] || ! [ -x "$GO" ]; then
  echo "SKIP: no Go toolchain"
  exit 77
fi
if ! [ -x "$GOTRIAGE" ]; then
  echo "run_live: $GOTRIAGE is not executable" >&2
  exit 2
fi

GEN=$(cd "$(dirname "$0")/../gen" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false GOWORK=off CGO_ENABLED=0

# check_category JSON_FILE EXPECTED: the first finding's category must match.
check_category() {
  python3 - "$1" "$2" <<'PY'
import json, sys

def first_category(doc):
    findings = doc.get("findings") or []
    return findings[0].get("category") if findings else None

with open(sys.argv[1]) as f:
    doc = json.load(f)
got, want = first_category(doc), sys.argv[2]
if got != want:
    print("expected category %r, got %r" % (want, got))
    sys.exit(1)
PY
}

PASS=0 FAIL=0
# run NAME EXPECTED_CATEGORY EXPECT_TEXT BINARY [ENV...] -- [ARGS...]
run() {
  local name=$1 want=$2 text=$3 bin=$4; shift 4
  local envs=() out=$TMP/$name.out try
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  # Racy reproducers: retry until the runtime printed what we want to test.
  for try in 1 2 3 4 5; do
    env "${envs[@]}" timeout 60 "$bin" "$@" > "$out" 2>&1
    grep -qF -- "$text" "$out" && break
  done
  if ! grep -qF -- "$text" "$out"; then
    echo "FAIL $name: reproducer did not print '$text'"; FAIL=$((FAIL + 1)); return
  fi
  "$GOTRIAGE" --format json - < "$out" > "$TMP/$name.json" 2> "$TMP/$name.err"
  local msg
  if msg=$(check_category "$TMP/$name.json" "$want" 2>&1); then
    echo "ok   $name ($want)"; PASS=$((PASS + 1))
  else
    echo "FAIL $name: $msg"; sed 's/^/    /' "$TMP/$name.err" | head -5; FAIL=$((FAIL + 1))
  fi
}

build() { # build SCENARIO -> $TMP/SCENARIO
  local dir=$GEN pkg=./$1
  if [ -f "$GEN/$1/go.mod" ]; then dir=$GEN/$1; pkg=.; fi
  (cd "$dir" && "$GO" build -o "$TMP/$1" "$pkg") || { echo "FAIL build $1"; FAIL=$((FAIL + 1)); return 1; }
}

build concurrent-map-writes &&
  run concurrent-map-writes concurrent_map_access "concurrent map writes" "$TMP/concurrent-map-writes" --
build nil-deref &&
  run nil-deref nil_dereference "nil pointer dereference" "$TMP/nil-deref" --
build deadlock-all-asleep &&
  run deadlock-all-asleep deadlock "all goroutines are asleep" "$TMP/deadlock-all-asleep" --
build goroutine-leak &&
  run goroutine-leak goroutine_leak "main.fetchPrice.func1" "$TMP/goroutine-leak" -- -at 500 -debug 2
build seed-shared-client &&
  run seed-shared-client concurrent_map_access "concurrent map iteration and map write" \
    "$TMP/seed-shared-client" GOTRACEBACK=all --

echo "run_live: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
