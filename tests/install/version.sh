#!/usr/bin/env bash
# `gotriage --version`: "gotriage X.Y.Z (commit HASH[-dirty], JSON
# schema_version N)", where X.Y.Z is project(VERSION) in CMakeLists.txt and
# what --format json calls tool.version, N is what --format json writes as
# schema_version and the schema requires, and HASH is a commit of this
# repository. Then cmake/GitCommit.cmake itself, on scratch trees: a clean
# and a dirty git tree, a tarball without .git, a `git archive` stamp, and
# an override.
# Usage: version.sh GOTRIAGE SOURCE_DIR BUILD_DIR
set -euo pipefail
bin=$1 src=$2
fixture=$src/testdata/fixtures/seed-shared-client.go126.txt
[ -f "$fixture" ] || { echo "FAIL: $fixture missing"; exit 1; }

out=$("$bin" --version)
re='^gotriage ([0-9]+\.[0-9]+\.[0-9]+) \(commit ([0-9a-f]{7,40}(-dirty)?|unknown), JSON schema_version ([0-9]+)\)$'
[[ $out =~ $re ]] || { echo "FAIL: --version printed [$out]"; exit 1; }
version=${BASH_REMATCH[1]} commit=${BASH_REMATCH[2]} schema=${BASH_REMATCH[4]}

rc=0; "$bin" --format json "$fixture" > /tmp/gotriage-version-$$.json || rc=$?
[ "$rc" -le 1 ] || { echo "FAIL: --format json exited $rc"; exit 1; }
python3 - "$version" "$schema" /tmp/gotriage-version-$$.json "$src" <<'PY'
import json, re, sys
version, schema, report, src = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3])), sys.argv[4]
fail = []
if report["schema_version"] != schema:
    fail.append(f"--version says schema_version {schema}, --format json writes {report['schema_version']}")
if report["tool"]["version"] != version:
    fail.append(f"--version says {version}, --format json tool.version {report['tool']['version']}")
const = json.load(open(src + "/docs/gotriage.schema.json"))["properties"]["schema_version"]["const"]
if const != schema:
    fail.append(f"docs/gotriage.schema.json wants schema_version {const}, the binary {schema}")
m = re.search(r"project\(gotriage VERSION (\S+)", open(src + "/CMakeLists.txt").read())
if not m or m.group(1) != version:
    fail.append(f"CMakeLists.txt project(VERSION) {m and m.group(1)}, --version {version}")
if fail:
    print("FAIL:\n" + "\n".join(fail)); sys.exit(1)
PY
rm -f /tmp/gotriage-version-$$.json

# Built from this git checkout: the commit must be one of its commits.
if [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$src" && pwd -P)" ]; then
  [ "$commit" != unknown ] || { echo "FAIL: built from a git checkout, commit unknown"; exit 1; }
  git -C "$src" cat-file -e "${commit%-dirty}^{commit}" ||
    { echo "FAIL: commit ${commit%-dirty} is not in $src"; exit 1; }
fi

# A rule's "since" is the release that added it: kept with the rule (it must
# not move with each release), but never later than this release.
for id in $("$bin" --list-rules --format json | python3 -c 'import json,sys; print("\n".join(r["id"] for r in json.load(sys.stdin)["rules"]))'); do
  since=$("$bin" --explain "$id" | sed -n 's/.*Since: \([0-9.]*\).*/\1/p')
  [ -n "$since" ] && [ "$(printf '%s\n%s\n' "$since" "$version" | sort -V | tail -1)" = "$version" ] ||
    { echo "FAIL: $id since [$since], later than the release $version"; exit 1; }
done

# The generator, on scratch trees.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gen() {  # gen SRC [OVERRIDE] -> the commit it writes
  cmake -DSRC="$1" -DOUT="$tmp/out.cc" -DOVERRIDE="${2:-}" -DGIT="$(command -v git)" \
    -P "$src/cmake/GitCommit.cmake" >/dev/null
  sed -n 's/^const char kGitCommit\[\] = "\(.*\)";$/\1/p' "$tmp/out.cc"
}
check() { [ "$2" = "$3" ] || { echo "FAIL: GitCommit.cmake, $1: [$2], want [$3]"; exit 1; }; }
mkdir -p "$tmp/repo/cmake"
cp "$src/cmake/archive-commit.txt" "$tmp/repo/cmake/"
(cd "$tmp/repo" && git init -q && echo a > f && git add -A &&
  git -c user.name=t -c user.email=t@t commit -qm init)
head=$(git -C "$tmp/repo" rev-parse --short HEAD)
check "clean tree" "$(gen "$tmp/repo")" "$head"
echo b > "$tmp/repo/f"
check "dirty tree" "$(gen "$tmp/repo")" "$head-dirty"
echo new > "$tmp/repo/untracked"
git -C "$tmp/repo" checkout -q f
check "untracked file only" "$(gen "$tmp/repo")" "$head"
rm -rf "$tmp/repo/.git"
check "tarball without .git" "$(gen "$tmp/repo")" unknown
mkdir "$tmp/outer"; (cd "$tmp/outer" && git init -q); mv "$tmp/repo" "$tmp/outer/"
check "tarball inside another work tree" "$(gen "$tmp/outer/repo")" unknown
git -C "$src" archive --format=tar HEAD cmake/archive-commit.txt | tar -x -C "$tmp/outer/repo"
stamp=$(cat "$tmp/outer/repo/cmake/archive-commit.txt")
[[ $stamp =~ ^[0-9a-f]{7,}$ ]] || { echo "FAIL: git archive did not stamp cmake/archive-commit.txt: [$stamp]"; exit 1; }
check "git archive stamp" "$(gen "$tmp/outer/repo")" "$stamp"
check "override" "$(gen "$tmp/outer/repo" 1234abc)" 1234abc
echo "PASS: $out"
