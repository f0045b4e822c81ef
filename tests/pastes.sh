#!/usr/bin/env bash
# Real pastes from public issue threads (testdata/pastes/README.md): each
# must give its first finding's rule and culprit (testdata/pastes/expect.tsv).
# $1: the gotriage binary.
set -uo pipefail
bin=$(realpath "${1:?usage: pastes.sh GOTRIAGE}")
cd "$(dirname "$0")/../testdata/pastes"
fails=0 n=0
while IFS=$'\t' read -r file rule culprit; do
  case "$file" in '#'*|'') continue ;; esac
  n=$((n + 1))
  got=$("$bin" --fail-on never -f json "$file" | python3 -c '
import json, sys
f = json.load(sys.stdin).get("findings") or []
print((f[0]["rule_id"] + "\t" + (f[0].get("culprit") or {}).get("function", "")) if f else "none\t")')
  grule=${got%%$'\t'*} gcul=${got#*$'\t'}
  if [ "$grule" != "$rule" ]; then
    fails=$((fails + 1)); echo "FAIL $file: first finding $grule, want $rule"
  elif [ "$culprit" != "-" ] && [[ "$gcul" != *"$culprit"* ]]; then
    fails=$((fails + 1)); echo "FAIL $file: culprit '$gcul', want '$culprit'"
  fi
done < expect.tsv
echo "pastes: $((n - fails))/$n as expected"
[ "$fails" = 0 ]
