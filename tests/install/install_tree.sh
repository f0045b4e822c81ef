#!/usr/bin/env bash
# `cmake --install` into a scratch prefix puts the binary, the man page, the
# bash/zsh/fish completions and the docs in their standard places, and the
# installed binary runs.
# Usage: install_tree.sh GOTRIAGE SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$2 build=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/usr" > "$tmp/install.log" || { cat "$tmp/install.log"; exit 1; }
want=(bin/gotriage
      bin/kubectl-gotriage
      share/man/man1/gotriage.1
      share/bash-completion/completions/gotriage
      share/zsh/site-functions/_gotriage
      share/fish/vendor_completions.d/gotriage.fish
      share/doc/gotriage/README.md
      share/doc/gotriage/rules.md
      share/doc/gotriage/gotriage.schema.json
      share/doc/gotriage/trace-format.md)
for f in "${want[@]}"; do
  [ -s "$tmp/usr/$f" ] || { echo "FAIL: cmake --install did not install $f"; find "$tmp/usr" -type f; exit 1; }
done
got=$(cd "$tmp/usr" && find . -type f | sed 's|^\./||' | sort)
[ "$got" = "$(printf '%s\n' "${want[@]}" | sort)" ] || { echo "FAIL: installed files:"; echo "$got"; exit 1; }
cmp -s "$tmp/usr/share/man/man1/gotriage.1" "$build/generated/gotriage.1" || { echo "FAIL: installed man page"; exit 1; }
cmp -s "$tmp/usr/share/doc/gotriage/rules.md" "$src/docs/rules.md" || { echo "FAIL: installed rules.md"; exit 1; }
"$tmp/usr/bin/gotriage" --version | grep -q '^gotriage ' || { echo "FAIL: installed binary"; exit 1; }
[ -x "$tmp/usr/bin/kubectl-gotriage" ] && "$tmp/usr/bin/kubectl-gotriage" --help | grep -q '^Usage: kubectl gotriage' ||
  { echo "FAIL: installed kubectl-gotriage"; exit 1; }
# man finds the page through the prefix, as `man gotriage` does once the
# prefix's man directory is on the MANPATH.
MANPATH=$tmp/usr/share/man MANWIDTH=80 man gotriage 2>&1 | grep -q "GT1001: Concurrent map access" ||
  { echo "FAIL: man gotriage (MANPATH=prefix)"; exit 1; }
echo "PASS: cmake --install: ${#want[@]} files in their places"
