#!/usr/bin/env bash
# Every real fixture through --format json, sarif, ndjson and github: the
# JSON report validates against docs/gotriage.schema.json, SARIF against the
# official SARIF 2.1.0 schema (testdata/schemas), with python3-jsonschema.
# $1: the gotriage binary. Exit 77 (skip) without python3-jsonschema.
set -uo pipefail
bin=${1:?usage: ci_formats.sh GOTRIAGE}
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || { echo "skip: python3-jsonschema missing (scripts/setup)"; exit 77; }
exec /usr/bin/python3 "$(dirname "$0")/ci_check.py" formats "$bin"
