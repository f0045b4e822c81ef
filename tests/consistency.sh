#!/usr/bin/env bash
# Checks that catch whole classes of trust problems, over EVERY capture
# (testdata/fixtures, its variants, testdata/ci):
#   - counts agree between text, JSON and SARIF (findings, rule order,
#     "X of Y goroutines"), and within a finding (summary vs evidence);
#   - evidence lists are sorted sets; goroutines_involved >= goroutine_ids;
#   - fix steps are relevant: no HTTP-client advice without net/http frames
#     in the incident, no dependency advice without a dependency frame;
#   - every finding field in docs/gotriage.schema.json is described.
# $1: the gotriage binary.
set -uo pipefail
bin=${1:?usage: consistency.sh GOTRIAGE}
cd "$(dirname "$0")/.."
exec /usr/bin/python3 - "$bin" <<'PY'
import glob, json, os, re, subprocess, sys

bin_ = sys.argv[1]
fails = []
def fail(msg): fails.append(msg)

def run(*args):
    p = subprocess.run([bin_, *args], capture_output=True, text=True, errors="replace")
    return p.stdout

files = sorted(f for f in glob.glob("testdata/fixtures/**/*", recursive=True)
               if os.path.isfile(f) and not f.endswith((".json", ".md")))
files += sorted(f for f in glob.glob("testdata/ci/*") if f.endswith((".txt", ".jsonl")))
assert len(files) > 90, len(files)

HTTP_ADVICE = re.compile(r"http\.Client|resp\.Body|Transports?\b")
DEP_ADVICE = re.compile(r"\bdependenc(y|ies)\b", re.I)
SEV = re.compile(r"^(CRITICAL|HIGH|MEDIUM|LOW|INFO)  (GT\d{4})  ")
EVID = re.compile(r"^  evidence:  .*?(\d+) of (\d+) goroutines")
HEADER = re.compile(r"^gotriage: .*?, (\d+) findings?  \(")

def frames_of(inc):
    out = []
    if inc.get("crashing"): out += inc["crashing"]["frames"]
    for g in inc.get("groups", []): out += g.get("frames", [])
    for a in (inc.get("race") or {}).get("accesses", []): out += a["frames"]
    return out

n = 0
for f in files:
    n += 1
    rep = json.loads(run("--format", "json", "--verbose", "--fail-on", "never", f))
    text = run("--color", "never", "--fail-on", "never", f).splitlines()
    sarif = json.loads(run("--format", "sarif", "--fail-on", "never", f))
    fs = rep["findings"]
    if rep["summary"]["findings"] != len(fs):
        fail(f"{f}: JSON summary.findings {rep['summary']['findings']} != {len(fs)} findings")
    m = HEADER.match(text[0]) if text else None
    if not m or int(m.group(1)) != len(fs):
        fail(f"{f}: text header '{text[0] if text else ''}' vs JSON {len(fs)} findings")
    results = sarif["runs"][0]["results"]
    if len(results) != len(fs):
        fail(f"{f}: SARIF {len(results)} results vs JSON {len(fs)} findings")
    if [r["ruleId"] for r in results] != [x["rule_id"] for x in fs]:
        fail(f"{f}: SARIF rule order {[r['ruleId'] for r in results]} vs JSON {[x['rule_id'] for x in fs]}")
    # Text findings, in order, with their evidence counts.
    text_rules, text_counts = [], []
    for line in text:
        s = SEV.match(line)
        if s:
            text_rules.append(s.group(2)); text_counts.append(None)
        e = EVID.match(line)
        if e and text_counts:
            text_counts[-1] = (int(e.group(1)), int(e.group(2)))
    if text_rules != [x["rule_id"] for x in fs]:
        fail(f"{f}: text rule order {text_rules} vs JSON {[x['rule_id'] for x in fs]}")
    for i, x in enumerate(fs):
        ev = x["evidence"]
        where = f"{f}: {x['rule_id']}"
        if i < len(text_counts) and text_counts[i] is not None and ev["goroutines_total"] > 0:
            if text_counts[i] != (ev["goroutines_involved"], ev["goroutines_total"]):
                fail(f"{where}: text says {text_counts[i][0]} of {text_counts[i][1]}, JSON {ev['goroutines_involved']} of {ev['goroutines_total']}")
        if ev["goroutine_ids"] != sorted(set(ev["goroutine_ids"])):
            fail(f"{where}: goroutine_ids not a sorted set: {ev['goroutine_ids']}")
        if ev["input_lines"] != sorted(set(ev["input_lines"])):
            fail(f"{where}: input_lines not a sorted set: {ev['input_lines']}")
        if ev["goroutines_involved"] < len(ev["goroutine_ids"]):
            fail(f"{where}: goroutines_involved {ev['goroutines_involved']} < {len(ev['goroutine_ids'])} goroutine_ids")
        # Within a finding: "of N goroutines" in the summary is the total.
        for tot in re.findall(r"\bof (\d+) goroutines", x["summary"]):
            if ev["goroutines_total"] and int(tot) != ev["goroutines_total"]:
                fail(f"{where}: summary says 'of {tot} goroutines', evidence total {ev['goroutines_total']}")
        # Fix steps follow from the evidence.
        inc = rep["incidents"][x["incident"]] if "incident" in x else None
        if inc is None:
            continue
        frs = frames_of(inc)
        has_http = any(fr["function"].startswith("net/http.") for fr in frs)
        has_dep = any(fr["kind"] == "dependency" for fr in frs)
        for step in x["remediation"]["steps"]:
            if HTTP_ADVICE.search(step) and not has_http:
                fail(f"{where}: HTTP advice without net/http frames: {step[:70]}")
            if DEP_ADVICE.search(step) and not has_dep:
                fail(f"{where}: dependency advice without a dependency frame: {step[:70]}")

# Every finding field is described in the schema.
schema = json.load(open("docs/gotriage.schema.json"))
def described(node, path):
    for k, v in node.get("properties", {}).items():
        if "description" not in v:
            fail(f"schema: {path}{k} has no description")
        described(v, f"{path}{k}.")
        if isinstance(v.get("items"), dict):
            described(v["items"], f"{path}{k}[].")
for d in ("finding", "code_ref"):
    described(schema["$defs"][d], f"{d}.")

for m in fails[:60]:
    print("FAIL", m)
print(f"checked {n} inputs; {len(fails)} failure(s)")
sys.exit(1 if fails else 0)
PY
