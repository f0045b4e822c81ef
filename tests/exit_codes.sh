#!/usr/bin/env bash
# The documented exit codes (gotriage --help, README "Exit codes"), and
# their precedence when several apply: 2 usage, 1 findings, 3 unreadable or
# not text, 4 --require-trace with no Go output, 0. Every row of the table
# is tested, and the table in --help and README is checked to be the same.
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
expect 2 "-o into a missing folder" -- -o "$tmp/no/such/dir/r.txt" "$race"
expect 2 "-o a directory" -- -o "$tmp" "$race"
expect 2 "--redact with a value" -- --redact=maybe "$race"
expect 2 "--redact with --follow" -- --redact --follow "$race"
expect 2 "--alertmanager not http://" -- --alertmanager ftp://127.0.0.1:9093 "$race"
expect 2 "--alertmanager with no host" -- --alertmanager http:// "$race"
expect 2 "--spool without --alertmanager" -- --spool "$tmp/spool" "$race"
expect 3 "--baseline missing" -- --baseline "$tmp/does-not-exist.txt" "$race"
expect 3 "--baseline a directory" -- --baseline "$tmp" "$race"
ot=testdata/overtime
expect 2 "diff with one snapshot" -- diff "$ot/leak-debug2-s1.txt"
expect 2 "diff --format github (no diff form)" -- diff --format github "$ot/leak-debug2-s1.txt" "$ot/leak-debug2-s2.txt"
expect 2 "diff --fail-on with an unknown severity" -- diff --fail-on severe "$ot/leak-debug2-s1.txt" "$ot/leak-debug2-s2.txt"

expect 3 "missing input" -- "$tmp/does-not-exist.txt"
expect 3 "missing input next to a readable one below --fail-on" -- --fail-on critical "$race" "$tmp/does-not-exist.txt"
mkdir -p "$tmp/nothing"
expect 3 "a directory with no file in it" -- "$tmp/nothing"
head -c 5000 "$bin" >"$tmp/binary.dat"
expect 3 "binary input that is not a known format" -- "$tmp/binary.dat"

# Precedence: a finding at or above --fail-on is never masked by a read
# error (1 over 3); a read error wins over --require-trace (3 over 4);
# a usage error wins over everything (2).
expect 1 "critical finding next to a missing input" -- "$crash" "$tmp/does-not-exist.txt"
expect 1 "missing input first, then a critical finding" -- "$tmp/does-not-exist.txt" "$crash"
expect 1 "high finding next to an empty directory" -- "$race" "$tmp/nothing"
expect 1 "critical finding next to binary input" -- "$tmp/binary.dat" "$crash"
expect 3 "healthy dump next to a missing input" -- "$healthy" "$tmp/does-not-exist.txt"
expect 3 "missing input beats --require-trace" -- --require-trace "$tmp/plain.log" "$tmp/does-not-exist.txt"
expect 2 "usage error beats a finding" -- --top 0 "$crash"
expect 2 "usage error beats a missing input" -- --fail-on severe "$tmp/does-not-exist.txt"

# Bad option values are usage errors, never silently accepted.
for v in 0 -1 abc 1.5 ''; do expect 2 "--top '$v'" -- --top "$v" "$crash"; done
for o in --max-groups --max-frames --max-incidents; do
  for v in 0 -1 x; do expect 2 "$o '$v'" -- "$o" "$v" "$crash"; done
done
expect 2 "--max-line-bytes below 256" -- --max-line-bytes 100 "$crash"
expect 2 "--rules glob that matches nothing" -- --rules 'GT9*' "$crash"
expect 2 "--rules that leaves nothing selected" -- --rules '-GT*' "$crash"
expect 2 "--rules category that does not exist" -- --rules 'no_such_category' "$crash"
expect 2 "--src is a missing directory" -- --src "$tmp/no-such-dir" "$crash"
expect 2 "--src is a file" -- --src "$crash" "$crash"
expect 2 "--module is not a module path" -- --module 'not a path' "$crash"
expect 2 "--summary-file without --format github" -- --summary-file "$tmp/s.md" "$crash"
expect 2 "--color bad" -- --color sometimes "$crash"
expect 2 "--list-rules --format sarif" -- --list-rules --format sarif
expect 0 "--explain lower case" -- --explain gt2003
expect 0 "--explain a category" -- --explain goroutine_leak
expect 1 "--rules lower case" -- --rules gt1003 "$crash"
expect 1 "--rules a category" -- --rules nil_dereference "$crash"
expect 0 "--rules a category that excludes the finding" -- --rules data_race "$crash"

# A directory: every file under it, recursively, in path order; hidden
# entries counted on stderr. A directory with no file: one error line, no
# report, exit 3.
mkdir -p "$tmp/dir/pod-a" "$tmp/dir/.cache" "$tmp/empty-dir"
cp "$crash" "$tmp/dir/pod-a/crash.log"
cp "$crash" "$tmp/dir/crash-2.log"
: >"$tmp/dir/.cache/x"
"$bin" --format json "$tmp/dir" >"$tmp/out" 2>"$tmp/err"; st=$?; n=$((n + 1))
if [ "$st" != 1 ] || [ "$(grep -c '"source":' "$tmp/out")" -lt 2 ] || ! grep -q 'pod-a/crash.log' "$tmp/out" ||
   ! grep -q '1 hidden entry' "$tmp/err"; then
  fails=$((fails + 1)); echo "FAIL a directory: want both files read (exit 1) and the hidden entry counted (exit $st)"
  cat "$tmp/err"
fi
"$bin" "$tmp/empty-dir" >"$tmp/out" 2>"$tmp/err"; st=$?; n=$((n + 1))
if [ "$st" != 3 ] || [ -s "$tmp/out" ] || [ "$(wc -l <"$tmp/err")" != 1 ] || ! grep -q 'no file in it' "$tmp/err"; then
  fails=$((fails + 1)); echo "FAIL an empty directory: want one 'no file in it' line, no report, exit 3 (exit $st)"
  cat "$tmp/out" "$tmp/err"
fi
# Binary input: a "not text" hint.
"$bin" "$tmp/binary.dat" >"$tmp/out" 2>"$tmp/err"; n=$((n + 1))
grep -q 'not text' "$tmp/err" || { fails=$((fails + 1)); echo "FAIL binary input gave no 'not text' hint"; }
# Standard input has one name everywhere: <stdin>.
"$bin" --format json - <"$crash" >"$tmp/out" 2>/dev/null; n=$((n + 1))
if grep -q '"-"' "$tmp/out" || ! grep -q '"<stdin>"' "$tmp/out"; then
  fails=$((fails + 1)); echo "FAIL stdin is not named <stdin> everywhere in JSON"
fi
"$bin" - <"$crash" >"$tmp/out" 2>/dev/null; n=$((n + 1))
if grep -qE '(^|[ (])-:|stdin[^>]' "$tmp/out"; then
  fails=$((fails + 1)); echo "FAIL stdin is not named <stdin> everywhere in text"; grep -nE '(^|[ (])-:|stdin[^>]' "$tmp/out"
fi

# The table in --help and in README.md: same codes, same order, and each
# code's first words the same.
"$bin" --help | awk '/^Exit codes/{on=1; next} on && /^  [0-9]  /{print $1} on && /^$/{exit}' >"$tmp/help_codes"
awk '/^### Exit codes/{on=1; next} on && /^\| [0-9] \|/{print $2} on && /^## /{exit}' README.md >"$tmp/readme_codes"
n=$((n + 1))
if ! cmp -s "$tmp/help_codes" "$tmp/readme_codes" || [ "$(tr '\n' ' ' <"$tmp/help_codes")" != "2 1 3 4 5 0 " ]; then
  fails=$((fails + 1)); echo "FAIL exit-code table: --help lists $(tr '\n' ' ' <"$tmp/help_codes"), README $(tr '\n' ' ' <"$tmp/readme_codes"), want 2 1 3 4 5 0"
fi
grep -q 'first in this list wins' <("$bin" --help) || { fails=$((fails + 1)); echo "FAIL --help does not state the precedence"; }

expect 4 "--require-trace, no Go output" -- --require-trace "$tmp/plain.log"
expect 4 "--require-trace, empty input" -- --require-trace "$tmp/empty.log"
expect 1 "--require-trace with a trace and a finding" -- --require-trace "$race"
expect 0 "--require-trace with a healthy dump" -- --require-trace "$healthy"

# Unreadable input still reports what was read.
"$bin" --format json "$race" "$tmp/does-not-exist.txt" >"$tmp/out" 2>"$tmp/err"
n=$((n + 1))
grep -q '"rule_id": "GT1002"' "$tmp/out" || { fails=$((fails + 1)); echo "FAIL exit 3 run lost the findings of the readable input"; }
grep -q 'does-not-exist' "$tmp/err" || { fails=$((fails + 1)); echo "FAIL exit 3 run did not name the unreadable input"; }

# gotriage watch (the node agent), each code its --help lists.
mkdir -p "$tmp/pods/ns_pod-x2kqp_0a1b/app"
awk '{ printf "2026-11-30T12:00:00.%09dZ stderr F %s\n", NR, $0 }' "$crash" >"$tmp/pods/ns_pod-x2kqp_0a1b/app/0.log"
grep -q '^Exit codes' <("$bin" watch --help) || { fails=$((fails + 1)); echo "FAIL watch --help lists no exit codes"; }
expect 2 "watch: bad --interval" -- watch "$tmp/pods" --once --no-state --interval soon
expect 3 "watch: no such directory" -- watch "$tmp/no-such-dir" --once --no-state
printf '{"version":1,"streams":{"x":{"cursor":{}}}}' >"$tmp/bad-state.json"
expect 3 "watch: damaged state file" -- watch "$tmp/pods" --once --state "$tmp/bad-state.json"
expect 1 "watch --once: a critical finding" -- watch "$tmp/pods" --once --state "$tmp/state.json"
expect 0 "watch --once: nothing new since the state" -- watch "$tmp/pods" --once --state "$tmp/state.json"
expect 0 "watch --once --fail-on never" -- watch "$tmp/pods" --once --no-state --fail-on never

echo "$((n - fails)) passed, $fails failed"
[ "$fails" = 0 ]
