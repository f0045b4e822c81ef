#!/usr/bin/env bash
# The portable binary needs no shared library at all (or, at most, glibc's:
# libc, libm, ld-linux) and diagnoses real fixtures exactly as the normal
# build does. With -DGOTRIAGE_STATIC=ON the binary under test is gotriage
# itself; otherwise the gotriage-static target (the same objects, linked
# static: no compile) is built in this build tree.
# Usage: static_binary.sh GOTRIAGE SOURCE_DIR BUILD_DIR
set -euo pipefail
bin=$1 src=$2 build=$3
if readelf -d "$bin" | grep -q NEEDED; then
  cmake --build "$build" --target gotriage_static > /dev/null
  static=$build/gotriage-static
else
  static=$bin
fi
[ -x "$static" ] || { echo "FAIL: no $static"; exit 1; }

needed=$(readelf -d "$static" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for lib in $needed; do
  case $lib in
    libc.so.6|libm.so.6|ld-linux*.so.*) ;;
    *) echo "FAIL: $static needs $lib"; exit 1 ;;
  esac
done
if [ -z "$needed" ]; then
  ldd_out=$(ldd "$static" 2>&1 || true)  # exits 1 on a static binary
  grep -qE 'not a dynamic executable|statically linked' <<< "$ldd_out" ||
    { echo "FAIL: no NEEDED entry, yet ldd says: $ldd_out"; exit 1; }
fi

# Both fixtures are concurrent map crashes: the static binary must say so.
for f in "$src"/testdata/fixtures/seed-shared-client.go126.txt \
         "$src"/testdata/fixtures/concurrent-map-writes.go126.txt; do
  [ -f "$f" ] || { echo "FAIL: $f missing"; exit 1; }
  rc=0; out=$("$static" --color=never --format json "$f") || rc=$?
  [ "$rc" -eq 1 ] && [ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["findings"][0]["rule_id"])' <<< "$out")" = GT1001 ] ||
    { echo "FAIL: $static on $f: exit $rc, not GT1001 first"; exit 1; }
done
# And the same answers as the normal build, when there is one beside it.
dyn=$build/gotriage
n=0
if [ "$static" != "$dyn" ] && [ -x "$dyn" ]; then
  for f in "$src"/testdata/fixtures/*.go126.txt; do
    for fmt in text json; do
      a=$("$static" --color=never --format $fmt "$f") && ra=0 || ra=$?
      b=$("$dyn" --color=never --format $fmt "$f") && rb=0 || rb=$?
      [ "$ra" = "$rb" ] && [ "$a" = "$b" ] || { echo "FAIL: $static and $dyn disagree on $f ($fmt)"; exit 1; }
      n=$((n + 1))
    done
  done
  [ "$n" -gt 10 ] || { echo "FAIL: only $n fixture runs compared"; exit 1; }
fi

size=$(stat -c %s "$static")
stripped=$(mktemp); trap 'rm -f "$stripped"' EXIT
strip -o "$stripped" "$static"
echo "PASS: $static needs ${needed:-no shared library}; $n fixture runs agree with the normal build; $size bytes, $(stat -c %s "$stripped") stripped"
