#!/usr/bin/env bash
# scripts/new-rule on a copy of the rule folder and the testdata scripts: the
# rule is registered in ID order, its files are written, the manifest and
# regen stay valid, the new rule file and the catalog compile with the
# build's own flags, and bad or taken IDs are refused.
#
# Usage: tests/new_rule.sh BUILD_DIR/gotriage   (ctest passes it; the build
# directory's compile_commands.json gives the compiler and flags)
set -euo pipefail
build=$(cd "$(dirname "${1:?usage: tests/new_rule.sh BUILD_DIR/gotriage}")" && pwd)
src=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$tmp/testdata/gen" "$tmp/scripts"
cp -r rules "$tmp/"
cp testdata/regen testdata/manifest.py "$tmp/testdata/"
cp CMakeLists.txt "$tmp/"
new() { GOTRIAGE_NEW_RULE_ROOT=$tmp bash scripts/new-rule "$@"; }

new GT2010 slow-dns-lookup >/dev/null || fail "new-rule GT2010 slow-dns-lookup failed"
new GT1013 double-unlock mutex_double_unlock >/dev/null || fail "new-rule GT1013 failed"

# rules.def: each line in its family, in ID order.
ids=$(grep -o '^GOTRIAGE_RULE(GT[0-9]*' "$tmp/rules/rules.def" | sed 's/GOTRIAGE_RULE(//')
[ "$ids" = "$(sort <<<"$ids")" ] || fail "rules.def is not in ID order: $ids"
grep -qx 'GOTRIAGE_RULE(GT2010, slow_dns_lookup)' "$tmp/rules/rules.def" || fail "GT2010 line"
grep -qx 'GOTRIAGE_RULE(GT1013, mutex_double_unlock)' "$tmp/rules/rules.def" || fail "GT1013 line (category given)"
# GT2010 sits before the GT3xxx comment, GT1013 before the GT2xxx one.
awk '/^\/\/ GT3xxx/ { c3 = NR } /GOTRIAGE_RULE\(GT2010,/ { r = NR } END { exit !(r && r < c3) }' \
  "$tmp/rules/rules.def" || fail "GT2010 is not in the GT2xxx family"
awk '/^\/\/ GT2xxx/ { c2 = NR } /GOTRIAGE_RULE\(GT1013,/ { r = NR } END { exit !(r && r < c2) }' \
  "$tmp/rules/rules.def" || fail "GT1013 is not in the GT1xxx family"

# The files.
for f in rules/gt2010_slow_dns_lookup.cc rules/gt1013_double_unlock.cc \
         testdata/gen/slow-dns-lookup/main.go testdata/gen/double-unlock/main.go; do
  [ -s "$tmp/$f" ] || fail "$f not written"
done
grep -q 'std::unique_ptr<Rule> NewGT2010()' "$tmp/rules/gt2010_slow_dns_lookup.cc" || fail "factory"
grep -q 'class GT2010 : public IncidentRule' "$tmp/rules/gt2010_slow_dns_lookup.cc" || fail "GT2xxx: an IncidentRule"
grep -q 'class GT1013 : public CrashRule' "$tmp/rules/gt1013_double_unlock.cc" || fail "GT1xxx: a CrashRule"
grep -q 'constexpr CrashMessage kMessages' "$tmp/rules/gt1013_double_unlock.cc" || fail "GT1xxx: its messages"
# `since` is the project's version (project(VERSION), what --version says).
version=$(sed -nE 's/^project\(gotriage VERSION ([0-9.]+).*/\1/p' CMakeLists.txt)
grep -q "\.since = \"$version\"," "$tmp/rules/gt2010_slow_dns_lookup.cc" || fail "since is not $version"
bash -n "$tmp/testdata/regen" || fail "testdata/regen no longer parses"
grep -q '"slow-dns-lookup|slow-dns-lookup-TODO"' "$tmp/testdata/regen" || fail "regen capture"
python3 - "$tmp/testdata/manifest.py" <<'EOF' || fail "manifest.py row"
import ast, sys
tree = ast.parse(open(sys.argv[1]).read())
meta = next(n.value for n in tree.body if isinstance(n, ast.Assign) and
            any(isinstance(t, ast.Name) and t.id == "META" for t in n.targets))
rows = {k.value: v for k, v in zip(meta.keys, meta.values) if isinstance(k, ast.Constant)}
row = rows["slow-dns-lookup"]
assert row.elts[1].value == "slow_dns_lookup", row.elts[1].value
assert rows["double-unlock"].elts[1].value == "mutex_double_unlock"
EOF

# The new rule files and the catalog compile with the build's flags, the
# copy's rules/ first on the include path.
python3 - "$build/compile_commands.json" "$src" "$tmp" > "$tmp/compile.sh" <<'EOF' || fail "no compile command"
import json, shlex, sys
db, src, tmp = sys.argv[1:]
entry = next(e for e in json.load(open(db)) if e["file"].endswith("/rules/gt2009_busy_at_signal.cc"))
args = entry.get("arguments") or shlex.split(entry["command"])
out, skip = [], False
for a in args:
    if skip:
        skip = False
        continue
    if a in ("-o", "-c", "-MF", "-MT", "-MQ"):
        skip = True
        continue
    if a.endswith("gt2009_busy_at_signal.cc") or a in ("-MD", "-MMD"):
        continue
    out.append(a)
out[1:1] = ["-I" + tmp]
for f in ("rules/gt2010_slow_dns_lookup.cc", "rules/gt1013_double_unlock.cc", "rules/catalog.cc"):
    print("cd %s && %s -fsyntax-only %s" % (shlex.quote(entry["directory"]),
          " ".join(shlex.quote(a) for a in out), shlex.quote(tmp + "/" + f)))
EOF
bash -e "$tmp/compile.sh" || fail "the new rule files do not compile"

# Refusals: a taken ID, a taken category, a malformed ID or slug.
expect_refused() {
  local want=$1; shift
  local rc=0
  new "$@" >/dev/null 2>&1 || rc=$?
  [ "$rc" = "$want" ] || fail "new-rule $* exited $rc, want $want"
}
expect_refused 1 GT2010 another-one
expect_refused 1 GT2011 some-leak goroutine_leak
expect_refused 2 GT9001 bad-family
expect_refused 2 GT20100 too-long
expect_refused 2 GT2012 Bad_Slug
ids_after=$(grep -c '^GOTRIAGE_RULE(' "$tmp/rules/rules.def")
[ "$ids_after" = "$(($(grep -c '^GOTRIAGE_RULE(' rules/rules.def) + 2))" ] || fail "a refused call changed rules.def"
echo "new_rule: ok"
