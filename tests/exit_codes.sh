#!/usr/bin/env bash
# The documented exit codes (gotriage --help, README "CI and alerting"):
#   0 nothing at or above --fail-on, 1 findings at or above it, 2 usage
#   error, 3 unreadable input, 4 --require-trace and no Go output.
# $1: the gotriage binary.
set -uo pipefail
bin=${1:?usage: exit_codes.sh GOTRIAGE}
cd "$(dirname "$0")/.."
fails=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() {  # expect CODE DESCRIPTION -- ARGS...
  local want=$1 what=$2
  shift 3
  n=$((n + 1))
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  if [ "$got" != "$want" ]; then
    fails=$((fails + 1))
    echo "FAIL $what: exit $got, want $want: gotriage $*"
    head -5 "$tmp/err"
  fi
}

race=testdata/ci/race-test.go126.txt         # GT1002, severity high
crash=testdata/fixtures/nil-deref.go126.txt   # GT1003, critical
healthy=testdata/fixtures/healthy-tickers.go126.txt
printf 'starting server on :8080\nready\n' >"$tmp/plain.log"
: >"$tmp/empty.log"

expect 1 "high finding, default --fail-on high" -- "$race"
expect 1 "critical finding" -- "$crash"
expect 0 "high finding below --fail-on critical" -- --fail-on critical "$race"
expect 1 "critical finding at --fail-on critical" -- --fail-on critical "$crash"
expect 1 "high finding at --fail-on medium" -- --fail-on medium "$race"
expect 0 "--fail-on never" -- --fail-on never "$crash"
expect 0 "healthy dump" -- "$healthy"
expect 0 "no Go output" -- "$tmp/plain.log"
expect 0 "empty input" -- "$tmp/empty.log"
for f in json ndjson sarif github; do
  expect 1 "exit policy is the same with --format $f" -- --format "$f" "$race"
  expect 0 "and below the threshold with --format $f" -- --format "$f" --fail-on critical "$race"
done
"$bin" - <"$race" >/dev/null 2>&1; got=$?; n=$((n + 1))
[ "$got" = 1 ] || { fails=$((fails + 1)); echo "FAIL stdin input: exit $got, want 1"; }

expect 2 "unknown option" -- --no-such-option "$race"
expect 2 "unknown format" -- --format xml "$race"
expect 2 "unknown severity" -- --fail-on severe "$race"
expect 2 "bad rule selection" -- --rules 'GT1*,-' "$race"
expect 2 "--follow with sarif" -- --follow --format sarif "$race"
expect 2 "stdin twice" -- - -
expect 2 "no such rule to explain" -- --explain GT9999
labelled=testdata/fixtures/labels/leak-debug2.go127.txt
expect 2 "--label without =" -- --label tenant "$labelled"
expect 2 "--label with an empty key" -- --label =t1 "$labelled"
expect 2 "--group-by not label:KEY" -- --group-by tenant "$labelled"
expect 2 "--group-by label: with no key" -- --group-by label: "$labelled"
expect 2 "--group-by with --format json" -- --group-by label:tenant --format json "$labelled"
expect 1 "--label keeps the leak" -- --label tenant=t1 "$labelled"
expect 0 "--label that matches nothing" -- --label tenant=nobody "$labelled"
expect 1 "--group-by label:KEY" -- --group-by label:tenant "$labelled"

expect 3 "missing input" -- "$tmp/does-not-exist.txt"
expect 3 "missing input next to a readable one" -- "$race" "$tmp/does-not-exist.txt"
expect 3 "a directory" -- "$tmp"

expect 4 "--require-trace, no Go output" -- --require-trace "$tmp/plain.log"
expect 4 "--require-trace, empty input" -- --require-trace "$tmp/empty.log"
expect 1 "--require-trace with a trace and a finding" -- --require-trace "$race"
expect 0 "--require-trace with a healthy dump" -- --require-trace "$healthy"

# Unreadable input still reports what was read.
"$bin" --format json "$race" "$tmp/does-not-exist.txt" >"$tmp/out" 2>"$tmp/err"
n=$((n + 1))
grep -q '"rule_id": "GT1002"' "$tmp/out" || { fails=$((fails + 1)); echo "FAIL exit 3 run lost the findings of the readable input"; }
grep -q 'does-not-exist' "$tmp/err" || { fails=$((fails + 1)); echo "FAIL exit 3 run did not name the unreadable input"; }

echo "$((n - fails)) passed, $fails failed"
[ "$fails" = 0 ]
