#!/usr/bin/env python3
"""Checks of the CI outputs of gotriage, run by tests/ci_formats.sh and
tests/ci_golden.sh (ctest script_ci_formats, script_ci_golden).

  ci_check.py formats GOTRIAGE   every real fixture: --format json validates
                                 against docs/gotriage.schema.json, sarif
                                 against the OASIS SARIF 2.1.0 schema, each
                                 ndjson line against #/$defs/finding, github
                                 lines against the workflow command grammar
  ci_check.py golden GOTRIAGE    whole outputs on chosen fixtures equal
                                 testdata/ci/golden/* (GOTRIAGE_UPDATE_GOLDEN=1
                                 rewrites them)
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(binary, args, env=None):
    e = dict(os.environ)
    e.pop("GITHUB_STEP_SUMMARY", None)
    if env:
        e.update(env)
    p = subprocess.run([binary] + args, cwd=ROOT, capture_output=True, env=e, timeout=120)
    if p.returncode not in (0, 1):
        raise SystemExit(f"gotriage {' '.join(args)} exited {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p.stdout.decode("utf-8")


def inputs():
    files = sorted(glob.glob(os.path.join(ROOT, "testdata/fixtures/*.txt")))
    files += sorted(glob.glob(os.path.join(ROOT, "testdata/fixtures/variants/*")))
    files += sorted(glob.glob(os.path.join(ROOT, "testdata/ci/*.txt")))
    files += sorted(glob.glob(os.path.join(ROOT, "testdata/ci/*.jsonl")))
    return [os.path.relpath(f, ROOT) for f in files]


# ::error file=F,line=N,title=T::MESSAGE ; property values and the message
# must carry no raw CR/LF, property values no raw ':' or ','.
ANNOTATION = re.compile(r"^::(error|warning|notice) ((?:file=[^,:\r\n]+,)?(?:line=\d+,)?title=[^,:\r\n]+)::[^\r\n]*$")


def check_formats(binary):
    report_schema = json.load(open(os.path.join(ROOT, "docs/gotriage.schema.json")))
    sarif_schema = json.load(open(os.path.join(ROOT, "testdata/schemas/sarif-2.1.0.json")))
    assert sarif_schema["id"].endswith("/errata01/os/schemas/sarif-schema-2.1.0.json")
    jsonschema.Draft202012Validator.check_schema(report_schema)
    report_v = jsonschema.Draft202012Validator(report_schema, format_checker=jsonschema.FormatChecker())
    finding_schema = dict(report_schema["$defs"]["finding"])
    finding_schema["$defs"] = report_schema["$defs"]
    finding_v = jsonschema.Draft202012Validator(finding_schema)
    sarif_v = jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.FormatChecker())
    failures = 0
    totals = {"findings": 0, "results": 0, "stacks": 0, "annotations": 0}

    def fail(what, errs):
        nonlocal failures
        failures += 1
        print(f"FAIL {what}")
        for e in errs[:5]:
            print(f"   at {list(e.absolute_path)}: {e.message[:300]}")

    for f in inputs():
        doc = json.loads(run(binary, ["--format", "json", "-v", f]))
        errs = list(report_v.iter_errors(doc))
        if errs:
            fail(f"json {f}", errs)
        totals["findings"] += len(doc["findings"])

        sarif = json.loads(run(binary, ["--format", "sarif", f]))
        errs = list(sarif_v.iter_errors(sarif))
        if errs:
            fail(f"sarif {f}", errs)
        res = sarif["runs"][0]["results"]
        if len(res) != len(doc["findings"]):
            failures += 1
            print(f"FAIL sarif {f}: {len(res)} results for {len(doc['findings'])} findings")
        rule_ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
        for r in res:
            if rule_ids[r["ruleIndex"]] != r["ruleId"] or not r.get("locations"):
                failures += 1
                print(f"FAIL sarif {f}: result {r['ruleId']} badly indexed or without location")
            totals["stacks"] += len(r.get("stacks", []))
        totals["results"] += len(res)

        lines = run(binary, ["--format", "ndjson", f]).splitlines()
        if len(lines) != len(doc["findings"]):
            failures += 1
            print(f"FAIL ndjson {f}: {len(lines)} lines for {len(doc['findings'])} findings")
        for i, line in enumerate(lines):
            errs = list(finding_v.iter_errors(json.loads(line)))
            if errs:
                fail(f"ndjson {f} line {i + 1}", errs)

        with tempfile.TemporaryDirectory() as tmp:
            summary = os.path.join(tmp, "summary.md")
            out = run(binary, ["--format", "github", f], env={"GITHUB_STEP_SUMMARY": summary})
            ann = [l for l in out.splitlines() if l.startswith("::")]
            # One annotation per line of code: every finding's rule is in
            # exactly one title (`gotriage GT2007, GT2002: ...`), and no two
            # annotations point at the same file and line.
            ids, places = [], set()
            for l in ann:
                props = l[2:].split("::", 1)[0]
                m = re.search(r"title=gotriage ((?:GT\d{4}(?:%2C )?)+)%3A", props)
                ids += re.findall(r"GT\d{4}", m.group(1)) if m else []
                fm = re.search(r"file=([^,]*),line=(\d+)", props)
                if fm:
                    if fm.groups() in places:
                        failures += 1
                        print(f"FAIL github {f}: two annotations on {fm.group(1)}:{fm.group(2)}")
                    places.add(fm.groups())
            if sorted(ids) != sorted(x["rule_id"] for x in doc["findings"]):
                failures += 1
                print(f"FAIL github {f}: annotations name {sorted(ids)}, findings are "
                      f"{sorted(x['rule_id'] for x in doc['findings'])}")
            for l in ann:
                if not ANNOTATION.match(l):
                    failures += 1
                    print(f"FAIL github {f}: bad annotation {l[:200]!r}")
            totals["annotations"] += len(ann)
            md = open(summary, encoding="utf-8").read() if os.path.exists(summary) else ""
            if not md.startswith("### gotriage: "):
                failures += 1
                print(f"FAIL github {f}: no job summary written to $GITHUB_STEP_SUMMARY")
    # All of them at once: identical incidents of several inputs fold into
    # one (an incident's `twins`), and the report still validates.
    doc = json.loads(run(binary, ["--format", "json", "-v"] + inputs()))
    errs = list(report_v.iter_errors(doc))
    if errs:
        fail("json of every input at once", errs)
    folded = sum(len(i.get("twins", [])) for i in doc["incidents"])
    if not folded or doc["summary"].get("incidents_read") != len(doc["incidents"]) + folded:
        failures += 1
        print(f"FAIL json of every input at once: {folded} twins, summary {doc['summary']}")
    failures += check_diff_formats(binary, report_schema, sarif_v, fail, totals)
    print(f"checked {len(inputs())} inputs: {totals}")
    if totals["findings"] == 0 or totals["stacks"] == 0:
        print("FAIL no findings or no SARIF stacks at all: the check checked nothing")
        failures += 1
    return failures


def check_diff_formats(binary, report_schema, sarif_v, fail, totals):
    """gotriage diff and --baseline on every series of real snapshots in
    testdata/overtime: the JSON document validates against
    docs/gotriage-diff.schema.json (its findings against the report
    schema's), SARIF against SARIF 2.1.0, each NDJSON line is a finding."""
    diff_schema = json.load(open(os.path.join(ROOT, "docs/gotriage-diff.schema.json")))
    jsonschema.Draft202012Validator.check_schema(diff_schema)
    resolver = jsonschema.RefResolver.from_schema(diff_schema, store={report_schema["$id"]: report_schema})
    diff_v = jsonschema.Draft202012Validator(diff_schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
    finding_schema = dict(report_schema["$defs"]["finding"])
    finding_schema["$defs"] = report_schema["$defs"]
    finding_v = jsonschema.Draft202012Validator(finding_schema)
    series = {}
    for f in sorted(glob.glob(os.path.join(ROOT, "testdata/overtime/*-s[0-9]*.*"))):
        series.setdefault(re.sub(r"-s\d+\.(txt|pb\.gz)$", "", os.path.relpath(f, ROOT)), []).append(os.path.relpath(f, ROOT))
    failures = 0
    checked = 0
    for name, snaps in sorted(series.items()):
        if len(snaps) < 2:
            continue
        for args in (["diff"] + snaps, ["--baseline", snaps[0], snaps[-1]]):
            doc = json.loads(run(binary, args + ["--format", "json"]))
            errs = list(diff_v.iter_errors(doc))
            if errs:
                fail(f"diff json {' '.join(args)}", errs)
            if len(doc.get("snapshots", [])) != (len(snaps) if args[0] == "diff" else 2):
                failures += 1
                print(f"FAIL diff json {' '.join(args)}: {len(doc.get('snapshots', []))} snapshots")
            sarif = json.loads(run(binary, args + ["--format", "sarif"]))
            errs = list(sarif_v.iter_errors(sarif))
            if errs:
                fail(f"diff sarif {' '.join(args)}", errs)
            for i, line in enumerate(run(binary, args + ["--format", "ndjson"]).splitlines()):
                errs = list(finding_v.iter_errors(json.loads(line)))
                if errs:
                    fail(f"diff ndjson {' '.join(args)} line {i + 1}", errs)
            totals["diff_findings"] = totals.get("diff_findings", 0) + len(doc.get("findings", []))
            checked += 1
    totals["diff_runs"] = checked
    if checked == 0 or totals.get("diff_findings", 0) == 0:
        print("FAIL diff: no series of snapshots checked, or no leak found in any")
        failures += 1
    return failures


# Chosen real inputs for the golden files, with the --src that maps their
# paths to this repository wherever it is checked out.
GOLDEN = [
    ("race-test.go126", "testdata/ci/race-test.go126.txt", "testdata/ci/gen"),
    ("race-test-json.go126", "testdata/ci/race-test-json.go126.jsonl", "testdata/ci/gen"),
    ("test-timeout.go126", "testdata/ci/test-timeout.go126.txt", "testdata/ci/gen"),
    ("nil-deref.go126", "testdata/fixtures/nil-deref.go126.txt", "testdata/gen/nil-deref"),
    ("concurrent-map-writes.go119", "testdata/fixtures/concurrent-map-writes.go119.txt", "testdata/gen/concurrent-map-writes"),
]
FORMATS = [("sarif", ".sarif"), ("github", ".github.txt"), ("ndjson", ".ndjson"), ("json", ".json")]


def sarif_for_golden(text):
    """Keeps only the rules the results use: the whole catalog is checked by
    the schema test, and a golden file should not change with every new rule."""
    log = json.loads(text)
    run_ = log["runs"][0]
    used = {r["ruleId"] for r in run_["results"]}
    rules = run_["tool"]["driver"]["rules"]
    run_["tool"]["driver"]["rules"] = [r for r in rules if r["id"] in used]
    for r in run_["results"]:
        r.pop("ruleIndex", None)
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def check_golden(binary):
    update = os.environ.get("GOTRIAGE_UPDATE_GOLDEN") == "1"
    gdir = os.path.join(ROOT, "testdata/ci/golden")
    os.makedirs(gdir, exist_ok=True)
    failures = 0
    for name, f, src in GOLDEN:
        for fmt, ext in FORMATS:
            with tempfile.TemporaryDirectory() as tmp:
                summary = os.path.join(tmp, "summary.md")
                args = ["--format", fmt, "--src", src, f]
                if fmt == "github":
                    args[2:2] = ["--summary-file", summary]
                got = run(binary, args)
                if fmt == "sarif":
                    got = sarif_for_golden(got)
                outs = [(ext, got)]
                if fmt == "github":
                    outs.append((".summary.md", open(summary, encoding="utf-8").read()))
            for e, text in outs:
                path = os.path.join(gdir, name + e)
                if update:
                    open(path, "w", encoding="utf-8").write(text)
                    continue
                want = open(path, encoding="utf-8").read() if os.path.exists(path) else None
                if want != text:
                    failures += 1
                    print(f"FAIL golden {os.path.relpath(path, ROOT)} differs "
                          f"(GOTRIAGE_UPDATE_GOLDEN=1 ctest -R script_ci_golden rewrites it)")
                    import difflib
                    for d in list(difflib.unified_diff((want or "").splitlines(), text.splitlines(), lineterm=""))[:40]:
                        print("   " + d)
    print(f"{'rewrote' if update else 'compared'} {len(GOLDEN) * (len(FORMATS) + 1)} golden files")
    return failures


if __name__ == "__main__":
    what, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    n = check_formats(binary) if what == "formats" else check_golden(binary)
    print(f"{'FAILED' if n else 'passed'}: {n} failure(s)")
    sys.exit(1 if n else 0)
