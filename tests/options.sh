#!/usr/bin/env bash
# Every option in --help has an observable effect (output with it differs
# from output without it, in the way the option promises), and the issue 16
# contracts hold on real captures. A new option with no row here fails.
# Bad values are tested in tests/exit_codes.sh (a row there for each option).
# $1: the gotriage binary.
set -uo pipefail
bin=${1:?usage: options.sh GOTRIAGE}
cd "$(dirname "$0")/.."
fails=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fx=testdata/fixtures
nil=$fx/nil-deref.go126.txt
dep=$fx/nil-receiver-dep.go126.txt
leak=$fx/goroutine-leak-debug2-t1.go126.txt
leak1=$fx/goroutine-leak-debug1-t1.go126.txt
dead=$fx/deadlock-all-asleep.go126.txt
cmw=$fx/concurrent-map-writes.go126.txt
healthy=$fx/healthy-tickers.go126.txt

ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $*"; }
# has PATTERN WHAT -- ARGS: output of gotriage ARGS matches PATTERN
# (through a file: grep -q would end the pipe early, and pipefail see it)
has() { local pat=$1 what=$2; shift 3; "$bin" "$@" >"$tmp/o" 2>&1; if grep -qE -- "$pat" "$tmp/o"; then ok; else bad "$what: no /$pat/ in: gotriage $*"; fi; }
hasnt() { local pat=$1 what=$2; shift 3; "$bin" "$@" >"$tmp/o" 2>&1; if grep -qE -- "$pat" "$tmp/o"; then bad "$what: /$pat/ in: gotriage $*"; else ok; fi; }
differs() { local what=$1; shift 2; local a b; a=$("$bin" "$@" 2>&1); b=$("$bin" "${@:2}" 2>&1); [ "$a" != "$b" ] && ok || bad "$what: no effect: gotriage $*"; }

# Each option and the check of its effect. Options with a value: the
# option word first, then its value.
declare -A tested
t() { tested[$1]=1; }
t --help;           has '^Exit codes' "--help" -- --help
t --version;        has '^gotriage [0-9]' "--version" -- --version
t --format;         has '"schema_version"' "--format json" -- --format json "$nil"
t --color;          has $'\033\\[' "--color always" -- --color always "$nil"
t --fail-on;        "$bin" --fail-on never "$nil" >/dev/null 2>&1; [ $? = 0 ] && ok || bad "--fail-on never"
t --rules;          hasnt 'GT1003' "--rules data_race drops GT1003" -- --rules data_race "$nil"
t --explain;        has '^GT2003: ' "--explain" -- --explain gt2003
t --list-rules;     has '^GT3004 +medium +error_exit ' "--list-rules aligned" -- --list-rules
t --module;         has '"kind": "app"' "--module makes module-cache frames app" -- --format json --module github.com/davecgh/go-spew "$dep"
t --src;            has '\| return o.Customer.Email' "--src quotes the culprit line" -- --src testdata/gen/nil-deref "$nil"
t --require-trace;  "$bin" --require-trace "$tmp/none" >/dev/null 2>&1; [ $? = 3 ] && ok || bad "--require-trace"
t --summary-file;   "$bin" --format github --summary-file "$tmp/s.md" "$nil" >/dev/null 2>&1; [ -s "$tmp/s.md" ] && ok || bad "--summary-file wrote nothing"
t --follow;         has '"rule_id":"GT1003"' "--follow" -- --follow --format ndjson "$nil"
t --verbose;        has 'args \(0x' "-v shows frame arguments" -- -v "$dep"
t --top;            differs "--top" -- --top 1 "$leak"
t --max-line-bytes; differs "--max-line-bytes" -- --max-line-bytes 256 "$fx/nil-deref.go126.cri.txt" 2>/dev/null || true
t --max-groups;     differs "--max-groups" -- --max-groups 1 "$leak"
t --max-frames;     differs "--max-frames" -- --max-frames 1 "$leak"
t --max-incidents;  has 'limit hit: incidents per run \(--max-incidents\) \(1 times\)' "--max-incidents" -- --max-incidents 1 "$nil" "$leak"
t --output;         "$bin" -o "$tmp/r.json" --format json "$nil" >"$tmp/stdout" 2>/dev/null
                    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["findings"]' "$tmp/r.json" 2>/dev/null &&
                      [ ! -s "$tmp/stdout" ] && ok || bad "-o: the report is not in the file, or also on stdout"
labelled=testdata/fixtures/goroutine-leak-debug2-t1.go126-labels.txt
t --label;          has 'label filter tenant=t1: kept 126 goroutines, filtered out 128' "--label filters by a pprof label" -- --label tenant=t1 "$labelled"
                    hasnt 'tenant="acme' "--label tenant=t1 keeps no other tenant" -- --label tenant=t1 "$labelled"
t --group-by;       has '^  tenant=t1: 126 goroutines' "--group-by label:tenant groups per value" -- --group-by label:tenant "$labelled"
ot=testdata/overtime
t --baseline;       has 'Compared with the baseline dump' "--baseline: grown groups are findings" -- --baseline "$ot/leak-debug2-s1.txt" "$ot/leak-debug2-s2.txt"
                    hasnt 'GT2003' "--baseline: a steady healthy service has no leak" -- --baseline "$ot/healthy-debug2-s1.txt" "$ot/healthy-debug2-s2.txt"
kube=$fx/variants/seed-shared-client.go126.describe-logs.txt
t --redact;         hasnt 'catalogsvc-5f7b9c6d48-tq8zn' "--redact hides the pod name" -- --redact "$kube"
                    has 'Pod <name-1>' "--redact puts a placeholder" -- --redact "$kube"
                    has 'catalogsvc-5f7b9c6d48-tq8zn' "without --redact the pod name is shown" -- "$kube"
# --alertmanager and --spool: an Alertmanager that is not there (port 1):
# the run says it could not connect and leaves the alert in --spool's folder.
t --alertmanager;   "$bin" --alertmanager http://127.0.0.1:1 --spool "$tmp/spool" --fail-on never "$cmw" >/dev/null 2>"$tmp/e"; rc=$?
                    [ "$rc" = 5 ] && grep -q 'cannot connect to 127.0.0.1:1' "$tmp/e" && ok || bad "--alertmanager unreachable: exit $rc, $(head -c 200 "$tmp/e")"
t --spool;          ls "$tmp/spool"/alerts-*.json >/dev/null 2>&1 &&
                      python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert any("GT1001" in json.dumps(x) for x in (a if isinstance(a, list) else [a]))' "$(ls "$tmp/spool"/alerts-*.json | head -1)" &&
                      ok || bad "--spool: no spool file with the GT1001 alert in $tmp/spool"
for o in $("$bin" --help | grep -E '^\s+-' | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
  [ -n "${tested[$o]:-}" ] || bad "option $o has no test of its effect in tests/options.sh"
done

# The diff subcommand: every option in `gotriage diff --help`, on the
# snapshot series of gen/overtime (bad values: tests/exit_codes.sh).
declare -A dtested
d() { dtested[$1]=1; }
s1=testdata/overtime/leak-debug2-s1.txt s2=testdata/overtime/leak-debug2-s2.txt s3=testdata/overtime/leak-debug2-s3.txt
d --help;    has '^Usage: gotriage diff' "diff --help" -- diff --help
d --format;  "$bin" diff --format json "$s1" "$s2" "$s3" >"$tmp/o" 2>/dev/null
             python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert any(f["rule_id"]=="GT2003" for f in r["findings"]), r["findings"]' "$tmp/o" &&
               ok || bad "diff --format json: no GT2003 finding for the growing leak"
d --fail-on; "$bin" diff "$s1" "$s2" "$s3" >/dev/null 2>&1; r1=$?; "$bin" diff --fail-on never "$s1" "$s2" "$s3" >/dev/null 2>&1; r2=$?
             [ "$r1" = 1 ] && [ "$r2" = 0 ] && ok || bad "diff --fail-on never: exit $r1 without, $r2 with, want 1 and 0"
# Two captures with more changed groups than the text shows by default.
many_a=$fx/healthy-tickers.go126.txt many_b=$fx/seed-report-queue-debug2.go126-labels.txt
d --verbose; has '-v shows all' "diff: the changed-groups list is cut without -v" -- diff "$many_a" "$many_b"
             hasnt '-v shows all' "diff -v shows every changed group" -- diff -v "$many_a" "$many_b"
for o in $("$bin" diff --help | grep -E '^\s+-' | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
  [ -n "${dtested[$o]:-}" ] || bad "diff option $o has no test of its effect in tests/options.sh"
done

# --src and JSON: the source line; a missing file is no error.
has '"source_line": "return o.Customer.Email"' "--src in JSON" -- --format json --src testdata/gen/nil-deref "$nil"
hasnt "source_line" "--src with the file absent" -- --format json --src docs "$nil"
# --list-rules --format json
"$bin" --list-rules --format json | python3 -c 'import json,sys; r=json.load(sys.stdin)["rules"]; assert len(r) >= 22 and all("category" in x for x in r)' && ok || bad "--list-rules --format json"
# --explain is wrapped to 80 columns off a terminal (prose; links may be longer).
long=$("$bin" --explain GT2003 | grep -v -E '^  (https?://|    )' | awk 'length($0) > 80' | wc -l)
[ "$long" = 0 ] && ok || bad "--explain has $long prose lines over 80 columns"
# Item 5: the nil receiver, where it came from, SARIF in the repository.
has 'receiver of github.com/davecgh/go-spew/spew.\(\*ConfigState\).Sdump was nil.*passed by main.\(\*Reporter\).Describe' "nil receiver named" -- --format json "$dep"
# The fixture was printed in another checkout (its paths are not under this
# working directory), so, as in CI, --src . places the app frame.
"$bin" --format sarif --src . "$dep" >"$tmp/o"; python3 -c '
import json,sys
r=json.load(sys.stdin)["runs"][0]["results"][0]
uri=r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
assert uri=="testdata/gen/nil-receiver-dep/main.go", uri' <"$tmp/o" && ok || bad "SARIF primary location is not the app frame"
# Item 6: fix steps from the evidence, most specific first.
"$bin" --format json "$dead" >"$tmp/o"; python3 -c '
import json,sys; s=json.load(sys.stdin)["findings"][0]["remediation"]["steps"]
assert s[0].startswith("Drain the results before wg.Wait()"), s[0]' <"$tmp/o" && ok || bad "deadlock: drain step is not first"
has 'GOTRACEBACK=all' "GT1001 single suggests GOTRACEBACK=all" -- "$cmw"
hasnt 'peers listed' "GT1001 single: no peers listed" -- "$cmw"
hasnt 'http.Client|resp.Body' "channel-send leak: no HTTP advice" -- "$leak"
hasnt 'dependency' "app-code crash: no dependency advice" -- "$nil"
# Item 7: one racy line, reported from both sides, is one finding, one
# fingerprint and one annotation.
race=$fx/race-field.go126.txt
"$bin" --format json "$race" >"$tmp/o"; python3 -c '
import json,sys; f=json.load(open(sys.argv[1]))["findings"]
r=[x for x in f if x["rule_id"]=="GT1002"]
assert len(r)==1 and r[0]["occurrences"]==2, [(x["fingerprint"], x["occurrences"]) for x in r]' "$tmp/o" && ok || bad "one race gives more than one GT1002 finding"
"$bin" --format github "$race" >"$tmp/o"; [ "$(grep -c '^::error' "$tmp/o")" = 1 ] && ok || bad "one race gives more than one annotation"
# Item 7: 200 identical recovered panics print one incident block with a count.
storm=$fx/recovered-panic-storm.go126.txt
"$bin" "$storm" >"$tmp/o"
if [ "$(grep -c '^Incident ' "$tmp/o")" = 1 ] && grep -q '^200 identical incidents' "$tmp/o"; then ok; else bad "200 identical incidents are not folded into one block"; fi
# Item 10: wording.
hasnt '\[unknown\]' "debug=1 groups are not [unknown]" -- "$leak1"
has 'state not in debug=1' "debug=1 groups say why there is no state" -- "$leak1"
hasnt 'your code' "text says app frame, as JSON does" -- "$dep"
has 'evidence: .* in testdata/fixtures/nil-deref.go126.txt' "evidence names its file with several inputs" -- "$nil" "$healthy"
hasnt 'evidence: .* in testdata' "evidence names the file with one input" -- "$nil"
# A terminal on stdin gets a hint on stderr (python's pty gives one).
python3 - "$bin" <<'PY' && ok || bad "no hint when stdin is a terminal"
import os, pty, subprocess, sys
m, s = pty.openpty()
proc = subprocess.Popen([sys.argv[1]], stdin=s, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
os.write(m, b"\x04")
out, err = proc.communicate(timeout=10)
sys.exit(0 if "reading standard input" in err else 1)
PY

echo "$((n - fails)) passed, $fails failed"
[ "$fails" = 0 ]
