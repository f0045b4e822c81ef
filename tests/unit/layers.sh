#!/usr/bin/env bash
# The folders are layers and their includes point one way, down:
#   cli -> rules -> parsers -> base
# A source or header of one folder includes project headers only from its
# own folder or a lower one: base/ from nothing but base/, parsers/ from
# base/ and parsers/, rules/ from those and rules/. Tests (*_test.cc) and
# fuzz targets (*_fuzz.cc) are exempt: they may drive a lower layer through
# a higher one. Fails listing file:line of each include that points up.
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0
check() {  # FOLDER ALLOWED-FOLDERS-REGEX
  local dir=$1 allowed=$2 f
  for f in "$dir"/*.h "$dir"/*.cc; do
    [ -f "$f" ] || continue
    case $f in *_test.cc | *_fuzz.cc) continue ;; esac
    while IFS= read -r hit; do
      echo "layers: $f:$hit: $dir/ may include only from $allowed" >&2
      status=1
    done < <(grep -nE '^#include "(base|parsers|rules|cli)/' "$f" | grep -vE "^[0-9]+:#include \"($allowed)/" || true)
  done
}
check base 'base'
check parsers 'base|parsers'
check rules 'base|parsers|rules'
check cli 'base|parsers|rules|cli'
[ "$status" = 0 ] && echo "layers: every include points down (cli -> rules -> parsers -> base)"
exit $status
