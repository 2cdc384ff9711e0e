#!/usr/bin/env bash
# bench.sh runs the benchmarks that the project's performance targets name,
# COUNT times each (default 10), writes the raw `go test -bench` output to
# OUT (default bench.txt) and prints benchstat's summary (medians with their
# spread). BENCHMARKS.md records a run of it. Extra arguments go to every
# `go test`, as in `./bench.sh -cpu 1`.
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-10}
out=${OUT:-bench.txt}
benchstat=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

run() { # run DIR PACKAGE PATTERN
	echo "== $2: $3" >&2
	(cd "$1" && go test -run '^$' -bench "$3" -benchmem -count "${count}" "${@:4}" "$2")
}

{
	uname -srm
	grep -m1 'model name' /proc/cpuinfo 2>/dev/null || true
	go version
	run . . 'Sum1M' "$@"
	run . ./pipeline '^Benchmark(Transition|TransitionBare|TransitionRefused|MachineFire|MachineFireBare|MachineFireRefused)$' "$@"
	run examples/benchmarks . 'Lifecycle' "$@"
	run . ./training 'PitchCheck' "$@"
	run . ./quota 'AttainWinRate|Reach' "$@"
	run . ./review 'Review' "$@"
} >"${out}"

go run "${benchstat}" "${out}"
