#!/usr/bin/env python3
"""CTest corpus_labels_valid: every labelled corpus case is well formed.

For each testdata/corpus/*/labels.jsonl (a missing corpus folder is fine):
  - every non-empty line parses as a JSON object;
  - it names a file that exists in that folder, and every file in the folder
    (other than labels.jsonl and README*) is labelled, so no case is dropped;
  - it has an http(s) source_url;
  - expected_class and each also_acceptable entry is a category gotriage
    knows (from `gotriage --list-rules`),
    or none / healthy_no_issue / other;
  - no two cases share both source_url and file content.

It does not measure accuracy; scripts/accuracy does that.
Usage: corpus_labels_valid.py GOTRIAGE_BINARY [SOURCE_DIR]
"""
import hashlib
import json
import os
import subprocess
import sys

EXTRA_CLASSES = {"none", "healthy_no_issue", "other"}


def known_classes(binary):
    out = subprocess.run([binary, "--list-rules"], capture_output=True, text=True, check=True).stdout
    cats = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].startswith("GT"):
            cats.add(parts[2])
    if not cats:
        raise SystemExit("corpus_labels_valid: `%s --list-rules` listed no categories" % binary)
    return cats | EXTRA_CLASSES


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    classes = known_classes(binary)
    corpus = os.path.join(root, "testdata", "corpus")
    problems, seen, total = [], {}, 0
    folders = sorted(d for d in os.listdir(corpus) if os.path.isdir(os.path.join(corpus, d))) if os.path.isdir(corpus) else []
    for folder in folders:
        fdir = os.path.join(corpus, folder)
        labels = os.path.join(fdir, "labels.jsonl")
        if not os.path.isfile(labels):
            problems.append("%s/: no labels.jsonl" % folder)
            continue
        labelled = set()
        with open(labels, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where = "%s/labels.jsonl:%d" % (folder, n)
                try:
                    j = json.loads(line)
                except ValueError as e:
                    problems.append("%s: not JSON (%s)" % (where, e))
                    continue
                if not isinstance(j, dict):
                    problems.append("%s: not a JSON object" % where)
                    continue
                total += 1
                name = j.get("file")
                if not isinstance(name, str) or not name:
                    problems.append("%s: no file" % where)
                    continue
                if name in labelled:
                    problems.append("%s: %s labelled twice" % (where, name))
                labelled.add(name)
                path = os.path.join(fdir, name)
                if not os.path.isfile(path):
                    problems.append("%s: %s does not exist" % (where, name))
                    continue
                url = j.get("source_url")
                if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                    problems.append("%s: %s has no http(s) source_url" % (where, name))
                    url = ""
                cls = j.get("expected_class")
                if cls not in classes:
                    problems.append("%s: %s has unknown expected_class %r" % (where, name, cls))
                also = j.get("also_acceptable") or []
                if not isinstance(also, list):
                    problems.append("%s: %s also_acceptable is not a list" % (where, name))
                    also = []
                for a in also:
                    if a not in classes:
                        problems.append("%s: %s has unknown also_acceptable %r" % (where, name, a))
                with open(path, "rb") as cf:
                    key = (url, hashlib.sha256(cf.read()).hexdigest())
                if key in seen:
                    problems.append("%s: %s duplicates %s (same source_url and content)" % (where, name, seen[key]))
                else:
                    seen[key] = "%s/%s" % (folder, name)
        for entry in sorted(os.listdir(fdir)):
            if entry in ("labels.jsonl", "expected-misses.tsv") or entry.startswith("README") or os.path.isdir(os.path.join(fdir, entry)):
                continue
            if entry not in labelled:
                problems.append("%s/%s: file has no label" % (folder, entry))
    for p in problems:
        print("corpus_labels_valid: " + p)
    print("corpus_labels_valid: %d labelled cases in %d folders, %d problems" % (total, len(folders), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
