#!/usr/bin/env bash
# `cpack -G DEB` from the build directory makes a .deb whose contents
# (binary, gzipped man page, completions, docs) and metadata (Depends from
# dpkg-shlibdeps, maintainer, section, description) are right, and whose
# binary, unpacked into a scratch root (never installed on this system),
# reports its version and diagnoses a real fixture as the built one does.
# Usage: deb_package.sh GOTRIAGE SOURCE_DIR BUILD_DIR
set -euo pipefail
bin=$1 src=$2 build=$3
fixture=$src/testdata/fixtures/seed-shared-client.go126.txt
[ -f "$fixture" ] || { echo "FAIL: $fixture missing"; exit 1; }
for t in cpack dpkg-deb dpkg-shlibdeps man; do
  command -v "$t" >/dev/null || { echo "FAIL: $t not installed (scripts/setup installs it)"; exit 1; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$build" && cpack -G DEB -B "$tmp/pkg") > "$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
debs=("$tmp"/pkg/gotriage_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { echo "FAIL: no single .deb"; ls "$tmp/pkg"; exit 1; }
deb=${debs[0]}
version=$("$bin" --version | sed -n 's/^gotriage \([0-9.]*\) .*/\1/p')
[ "$(basename "$deb")" = "gotriage_${version}_$(dpkg --print-architecture).deb" ] ||
  { echo "FAIL: package file name $(basename "$deb")"; exit 1; }

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
dpkg-deb -c "$deb" > "$tmp/contents"
for f in ./usr/bin/gotriage ./usr/bin/kubectl-gotriage ./usr/share/man/man1/gotriage.1.gz \
         ./usr/share/bash-completion/completions/gotriage ./usr/share/zsh/site-functions/_gotriage \
         ./usr/share/fish/vendor_completions.d/gotriage.fish ./usr/share/doc/gotriage/README.md \
         ./usr/share/doc/gotriage/rules.md ./usr/share/doc/gotriage/gotriage.schema.json \
         ./usr/share/doc/gotriage/trace-format.md; do
  grep -qE " $f\$" "$tmp/contents" || fail "package lacks $f"
done
grep -qE '^-rwxr-xr-x .* \./usr/bin/kubectl-gotriage$' "$tmp/contents" || fail "kubectl-gotriage not executable"
grep -E '^-' "$tmp/contents" | grep -vE ' \./usr/(bin|share/(man|doc|bash-completion|zsh|fish))/' &&
  fail "package holds files outside the expected places"

dpkg-deb -I "$deb" > "$tmp/info"
field() { sed -n "s/^ $1: //p" "$tmp/info"; }
[ "$(field Package)" = gotriage ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), binary $version"
[ "$(field Section)" = devel ] || fail "Section: $(field Section)"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture: $(field Architecture)"
[[ "$(field Maintainer)" =~ ^.+\ \<[^@]+@[^@]+\>$ ]] || fail "Maintainer: $(field Maintainer)"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if [ -n "$needed" ]; then
  # Computed by dpkg-shlibdeps from what the binary links: the default
  # build keeps glibc shared (cmake/Static.cmake), others link more.
  for so in $needed; do
    case $so in
      libc.so.*|libm.so.*|ld-linux*.so.*) lib=libc6 ;;
      libgcc_s.so.*) lib=libgcc-s1 ;;
      libstdc++.so.*) lib=libstdc++6 ;;
      libz.so.*) lib=zlib1g ;;
      libxxhash.so.*) lib=libxxhash0 ;;
      libre2.so.*) lib=libre2- ;;
      *) fail "the binary needs $so, which this test does not know" ;;
    esac
    if [ "$lib" = libre2- ]; then
      [[ ", $depends," =~ ,\ libre2-[0-9]+\  ]] || fail "Depends lacks libre2: $depends"
    else
      [[ ", $depends," == *", $lib "* ]] || fail "Depends lacks $lib (for $so): $depends"
    fi
  done
else
  [ -z "$depends" ] || fail "static binary, yet Depends: $depends"
fi

# Unpacked into a scratch root: the binary runs and agrees with the built one.
dpkg-deb -x "$deb" "$tmp/root"
pkgbin=$tmp/root/usr/bin/gotriage
[ "$("$pkgbin" --version)" = "$("$bin" --version)" ] || fail "packaged --version: $("$pkgbin" --version)"
file "$pkgbin" | grep -q ', stripped' || fail "packaged binary not stripped: $(file "$pkgbin")"
rc=0; "$pkgbin" --color=never "$fixture" > "$tmp/pkg.out" || rc=$?
want_rc=0; "$bin" --color=never "$fixture" > "$tmp/want.out" || want_rc=$?
[ "$rc" -eq 1 ] && [ "$want_rc" -eq 1 ] || fail "exit codes: packaged $rc, built $want_rc, want 1"
grep -q 'GT1001' "$tmp/pkg.out" || fail "packaged binary did not find GT1001"
cmp -s "$tmp/pkg.out" "$tmp/want.out" || fail "packaged and built binaries disagree on $fixture"

page=$tmp/root/usr/share/man/man1/gotriage.1.gz
gzip -t "$page" || fail "man page not gzip"
MANWIDTH=80 man -l "$page" > "$tmp/man.txt" 2> "$tmp/man.err" || fail "man -l failed"
[ -s "$tmp/man.err" ] && fail "man -l warns: $(cat "$tmp/man.err")"
grep -q 'GT1001: Concurrent map access' "$tmp/man.txt" || fail "rendered man page lacks the rules"
bash -n "$tmp/root/usr/share/bash-completion/completions/gotriage" || fail "bash completion does not parse"

[ "$fails" -eq 0 ] || exit 1
echo "PASS: $(basename "$deb") ($(stat -c %s "$deb") bytes), Depends: $depends"
