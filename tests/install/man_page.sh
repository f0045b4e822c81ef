#!/usr/bin/env bash
# The man page is the binary's own text: the generated (installed) page is
# what `gotriage --man` prints now; every option --help shows, with its
# description, is in OPTIONS and nothing else is; the exit codes are
# --help's; every rule --list-rules names has its section with its title;
# groff and man render it without a single warning.
# Usage: man_page.sh GOTRIAGE SOURCE_DIR BUILD_DIR
set -euo pipefail
bin=$1 build=$3
page=$build/generated/gotriage.1
[ -s "$page" ] || { echo "FAIL: $page missing (built by the gotriage_docs target)"; exit 1; }

if ! diff -u <("$bin" --man) "$page" >/dev/null; then
  echo "FAIL: $page differs from 'gotriage --man' (stale: rebuild)"; exit 1
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$bin" --help > "$tmp/help"
"$bin" --list-rules --format json > "$tmp/rules"
python3 - "$page" "$tmp/help" "$tmp/rules" <<'PY'
import json, re, sys
page, help_text, rules = (open(p, encoding="utf-8").read() for p in sys.argv[1:4])

def unroff(s):
    s = re.sub(r"\\\[u([0-9A-F]{4,5})\]", lambda m: chr(int(m.group(1), 16)), s)
    s = re.sub(r"\\f[BIRP]", "", s)
    return s.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")

fail = []
# --help options: "  -f,--format TYPE..." then the description on the same
# line after two or more spaces, or alone on the next line.
lines = help_text.split("\n")
opts = {}
section = None
for i, l in enumerate(lines):
    if re.match(r"^\S.*:$", l):
        section = l
        continue
    m = re.match(r"^  ((?:-\w,)?--[\w-]+|-\w)\b(.*)$", l)
    if section == "Options:" and m:
        names = m.group(1).split(",")
        rest = m.group(2)
        # rest: " TYPE  description", "  description" or " TYPE" (the
        # description then on the next line).
        d = re.split(r"\s{2,}", rest, maxsplit=1)
        desc = d[1].strip() if len(d) > 1 else lines[i + 1].strip()
        opts[names[-1]] = (names, desc)
if len(opts) < 10:
    fail.append(f"parsed only {len(opts)} options from --help")

# The man page's OPTIONS: ".TP" then the header line, then the description.
m = re.search(r"^\.SH OPTIONS\n(.*?)^\.SH ", page, re.S | re.M)
man_opts = {}
for block in m.group(1).split(".TP\n")[1:]:
    head, *body = block.split("\n")
    names = re.findall(r"(--?[\w-]+)", unroff(head))
    names = [n for n in names if n.startswith("-")]
    man_opts[[n for n in names if n.startswith("--")][-1] if any(n.startswith("--") for n in names) else names[0]] = (names, " ".join(unroff(b) for b in body))
for long, (names, desc) in opts.items():
    if long not in man_opts:
        fail.append(f"{long}: in --help, not in the man page"); continue
    mnames, mdesc = man_opts[long]
    if [n for n in mnames if n in names] != names:
        fail.append(f"{long}: names {mnames} in the man page, {names} in --help")
    if desc not in mdesc:
        fail.append(f"{long}: description differs:\n  help: {desc}\n  man:  {mdesc}")
for long in man_opts:
    if long not in opts:
        fail.append(f"{long}: in the man page, not in --help")

# Exit codes.
codes = re.findall(r"^  (\d)  (.*)$", help_text, re.M)
m = re.search(r"^\.SH EXIT STATUS\n(.*?)^\.SH ", page, re.S | re.M)
man_codes = re.findall(r"^\.TP\n\.B (\d)\n(.*)$", m.group(1), re.M)
if [(c, unroff(t)) for c, t in man_codes] != codes or len(codes) < 5:
    fail.append(f"exit codes: --help {codes}, man page {man_codes}")

# Rules.
ids = []
# --list-rules --format json: the text table has a header row and padded
# columns for people; the JSON is the form meant for tools.
for r in json.loads(rules)["rules"]:
    rid, sev, cat, title = r["id"], r["severity"], r["category"], r["title"]
    ids.append(rid)
    head = f'.SS "{rid}: '
    i = page.find(head)
    if i < 0:
        fail.append(f"{rid}: no section in the man page"); continue
    line = unroff(page[i:page.index("\n", i)])
    if line != f'.SS "{rid}: {title}"':
        fail.append(f"{rid}: man page heading {line!r}, --list-rules title {title!r}")
    nxt = page[page.index("\n", i) + 1:].split("\n", 1)[0]
    if f"severity {sev}," not in unroff(nxt) or f"Category {cat}," not in unroff(nxt):
        fail.append(f"{rid}: severity/category line {nxt!r}")
sections = page.count('.SS "GT')
if len(ids) < 20 or sections != len(ids):
    fail.append(f"{sections} rule sections for {len(ids)} rules")

if fail:
    print("FAIL:\n" + "\n".join(fail)); sys.exit(1)
print(f"man page: {len(opts)} options, {len(codes)} exit codes, {len(ids)} rules agree with the binary")
PY

# No warning from groff at any level, nor from man at 80 and 120 columns.
groff -man -ww -z "$page" 2> "$tmp/groff.err" || true
if [ -s "$tmp/groff.err" ]; then echo "FAIL: groff -man -ww warns:"; cat "$tmp/groff.err"; exit 1; fi
for w in 80 120; do
  MANWIDTH=$w man -l "$page" > "$tmp/page.txt" 2> "$tmp/man.err"
  if [ -s "$tmp/man.err" ]; then echo "FAIL: man -l at $w columns warns:"; cat "$tmp/man.err"; exit 1; fi
  grep -q "GT3004" "$tmp/page.txt" || { echo "FAIL: man -l output lacks the rules"; exit 1; }
done
echo "PASS: man page matches the binary and renders cleanly"
