#!/usr/bin/env bash
# Recaptures the go test / go run outputs in testdata/ci from the programs in
# testdata/ci/gen, with the Go toolchain on PATH (race detector needs cgo).
# Outputs are kept as the toolchain printed them (absolute paths included):
# the CI renderers map them back to repository-relative files.
set -uo pipefail
cd "$(dirname "$0")/gen"
out=..
v=$(go env GOVERSION | sed -E 's/^go([0-9]+)\.([0-9]+).*/\1\2/')
go test -race -count=1 ./race          >"$out/race-test.go$v.txt" 2>&1
go test -race -count=1 -v ./race       >"$out/race-test-v.go$v.txt" 2>&1
go test -race -count=1 -json ./race    >"$out/race-test-json.go$v.jsonl" 2>&1
go test -count=1 -timeout 2s ./hang    >"$out/test-timeout.go$v.txt" 2>&1
go test -count=1 -timeout 2s -json ./hang >"$out/test-timeout-json.go$v.jsonl" 2>&1
go test -count=1 ./bgpanic             >"$out/test-panic.go$v.txt" 2>&1
go test -count=1 -json ./bgpanic       >"$out/test-panic-json.go$v.jsonl" 2>&1
go run -race ./racemain                >"$out/race-run.go$v.txt" 2>&1
ls -l "$out"/*.go$v.*
