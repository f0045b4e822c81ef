#!/usr/bin/env bash
# The repository is self-contained: no source, script, CMake file, test or
# benchmark may refer to a path outside it. Fails (listing file:line) on
#   - the sibling folder `../shared` (and /work/shared) anywhere, docs included;
#   - absolute paths into a checkout (/work/..., /home/..., /Users/...);
#   - a relative path whose `..` climbs out of the repository root, counted
#     from the root (the working directory of every test and script) or, for
#     `$(dirname "$0")/..`, from the script's own folder.
# Captured runtime output legitimately holds the capture machine's absolute
# paths (/work/main/testdata/gen/..., /usr/local/go/...), so captures are not
# checked: testdata/fixtures, testdata/corpus, testdata/fuzz-regressions,
# testdata/ci/golden, the testdata/ci/*.txt|*.jsonl captures, the fuzz seed
# corpora fuzz/corpus (cut from those captures) and the
# tests/kube/*.log container logs (real runtime output served by the kubectl
# stand-in). The scripts
# and programs under testdata (regen, variants, manifest.py, live/, gen/,
# ci/regen.sh, ci/gen/) are checked like any source.
#
# Usage: tests/unit/self_contained.sh [REPO_ROOT]   (default: this checkout)
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked files, plus new files not yet added (but not ignored ones).
  list() { git ls-files -z --cached --others --exclude-standard; }
else
  list() { find . -path ./.git -prune -o -path './build*' -prune -o -type f -print0 | sed -z 's|^\./||'; }
fi
list | python3 -c '
import os, re, sys

files = [f for f in sys.stdin.read().split("\0") if f and os.path.isfile(f)]
if len(files) < 50:
    sys.exit("self_contained: only %d files found under %s; is this the repository?" % (len(files), os.getcwd()))

CAPTURES = re.compile(r"^testdata/(fixtures|corpus|fuzz-regressions|ci/golden)/|^testdata/ci/[^/]+\.(txt|jsonl)$|^fuzz/corpus/|"
                      r"^tests/kube/[^/]+\.log$")
DOCS = re.compile(r"\.(md|txt|json)$")

# Deliberate exceptions: (file, text on the line, why it is not a path read).
ALLOW = [
    ("rules/src_root_test.cc", "../outside",
     "a --src escape attempt inside a temporary folder: data under test, nothing is read"),
    ("parsers/test2json_test.cc", "/work/main/testdata/ci/gen/race/counter.go",
     "the frame path the race detector printed in the capture, checked as parsed text"),
    ("cli/fast_lane_test.cc", "C:/work/app/t.go",
     "a Windows frame path inside a hand-made trace line"),
    ("cli/html_safe_test.cc", "/home/u/app/main.go",
     "a frame path given to SourceUrl as data: no URL may be made of it, nothing is read"),
    ("parsers/old_forms_test.cc", "/home/samer/src/go/src/pkg/runtime/panic.c",
     "the frame path the Go 1.3 paste printed, checked as parsed text"),
    ("tests/html_browser.py", "/work/main/testdata/gen/custom-panic/main.go:",
     "a frame path inside the capture text the browser test rewrites into hostile input; nothing is read"),
    ("testdata/pastes/expect.tsv", "../fixtures/",
     "relative to testdata/pastes (tests/pastes.sh reads it from there): testdata/fixtures, inside the repository"),
]

SIBLING = re.compile(r"\.\./shared\b|/work/shared\b")
ABSOLUTE = re.compile(r"(?<![\w:.~-])/(?:work|home|Users)/")
DIRNAME = re.compile(r"\$\(\s*dirname\s+\"?\$(?:0|\{BASH_SOURCE\[0\]\}|BASH_SOURCE)\"?\s*\)")
ROOTVAR = re.compile(r"\$\{(?:PROJECT_SOURCE_DIR|CMAKE_SOURCE_DIR|CMAKE_CURRENT_SOURCE_DIR)\}|"
                     r"GOTRIAGE_SOURCE_DIR\s*(?:\)\s*)?(?:\+\s*)?\"|kSource\s*\+\s*\"|SourceDir\(\)\s*/\s*\"")
TOKEN = re.compile(r"[^\s\"\x27`<>|;,=(){}\[\]]+")

def escapes(token, file_depth):
    """True when the path climbs above the repository root."""
    parts = token.split("/")
    if "@FILEDIR@" in parts[0]:
        depth = file_depth
        parts = parts[1:]
    elif "@ROOT@" in parts[0]:
        depth = 0
        parts = parts[1:]
    elif token.startswith("/"):
        return False  # absolute: judged by ABSOLUTE
    else:
        depth = 0
    for p in parts:
        if p in ("", "."):
            continue
        if p == "..":
            depth -= 1
            if depth < 0:
                return True
        else:
            depth += 1
    return False

def allowed(f, line):
    return any(f == a and t in line for a, t, _ in ALLOW)

bad = []
for f in sorted(files):
    if CAPTURES.search(f):
        continue
    try:
        text = open(f, encoding="utf-8", errors="replace").read()
    except OSError as e:
        bad.append("%s: unreadable: %s" % (f, e))
        continue
    doc = bool(DOCS.search(f))
    file_depth = f.count("/")
    for n, line in enumerate(text.split("\n"), 1):
        if f == "tests/unit/self_contained.sh":
            continue  # this file names the patterns it looks for
        if allowed(f, line):
            continue
        if SIBLING.search(line):
            bad.append("%s:%d: refers to the sibling folder ../shared: %s" % (f, n, line.strip()))
            continue
        if doc:
            continue  # documents: only the sibling folder is checked
        if ABSOLUTE.search(line):
            bad.append("%s:%d: absolute path into a checkout: %s" % (f, n, line.strip()))
            continue
        if ".." not in line:
            continue
        norm = ROOTVAR.sub("@ROOT@", DIRNAME.sub("@FILEDIR@", line))
        for tok in TOKEN.findall(norm):
            if "/" in tok:
                if ".." in tok.split("/") and escapes(tok, file_depth):
                    bad.append("%s:%d: path climbs out of the repository (%s): %s" % (f, n, tok, line.strip()))
                    break

for b in bad:
    print(b)
print("self_contained: %d files checked, %d references outside the repository"
      % (sum(1 for f in files if not CAPTURES.search(f)), len(bad)))
sys.exit(1 if bad else 0)
'
