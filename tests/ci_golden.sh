#!/usr/bin/env bash
# Whole --format sarif/github(+summary)/ndjson/json outputs on real fixtures
# against testdata/ci/golden/. GOTRIAGE_UPDATE_GOLDEN=1 rewrites them.
# $1: the gotriage binary.
set -uo pipefail
bin=${1:?usage: ci_golden.sh GOTRIAGE}
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || { echo "skip: python3-jsonschema missing (scripts/setup)"; exit 77; }
exec /usr/bin/python3 "$(dirname "$0")/ci_check.py" golden "$bin"
