#!/usr/bin/env bash
# Measures `workos-import --dry-run` against Python's csv and json modules doing the same checks, side by
# side on the same generated file, and checks the speed goals:
#   - 1,000,000 rows (the generator's default shape, with metadata JSON) in at most 1 second,
#   - at least 10 times faster than benchmarks/baseline_dry_run.py, measured in the same run,
#   - peak resident memory at most 30 MB.
#
# Usage: benchmarks/dry-run-speed.sh [ROWS]          (run from anywhere; ROWS defaults to 1000000)
# Environment: BIN=path of the workos-import binary to measure (default: build release with
# --scratch-path .build-bench); KEEP=1 to keep the generated file in benchmarks/out; PYTHON=interpreter.
# benchmarks/run.sh runs this comparison at 100k and 1M rows together with the import benchmarks.
set -euo pipefail

cd "$(dirname "$0")/.."
rows="${1:-1000000}"
out="benchmarks/out"
file="$out/users-$rows.csv"
mkdir -p "$out"

source benchmarks/common.sh
release_binary
binary="$BIN"
# The real interpreter, not a version-manager shim, so its start-up is not counted against Python.
python="$(${PYTHON:-python3} -c 'import sys; print(sys.executable)')"

"$binary" generate "$rows" "$file" --seed 1 >&2
size_mb=$(( $(wc -c < "$file") / 1000000 ))

# Runs a command under /usr/bin/time -v; prints "<seconds> <peak KB>".
measure() {
    local log
    log="$(mktemp)"
    # Exit code 1 from the dry run only means some rows would fail.
    local code=0
    /usr/bin/time -v -o "$log" "$@" > /dev/null || code=$?
    if (( code > 1 )); then cat "$log" >&2; rm -f "$log"; return 1; fi
    awk -F': ' '
        /Elapsed \(wall clock\)/ {
            n = split($2, part, ":"); seconds = 0
            for (i = 1; i <= n; i++) seconds = seconds * 60 + part[i]
        }
        /Maximum resident set size/ { peak = $2 }
        END { printf "%.3f %d\n", seconds, peak }' "$log"
    rm -f "$log"
}

read -r swift_seconds swift_kb < <(measure "$binary" --csv "$file" --dry-run --quiet)
read -r python_seconds python_kb < <(measure "$python" benchmarks/baseline_dry_run.py "$file")

[[ "${KEEP:-0}" == "1" ]] || rm -f "$file"

ratio=$(awk -v s="$swift_seconds" -v p="$python_seconds" 'BEGIN { printf "%.1f", (s > 0 ? p / s : 0) }')
printf 'file: %s rows, about %s MB\n' "$rows" "$size_mb"
printf '%-28s %8s s %8s MB\n' "workos-import --dry-run" "$swift_seconds" "$((swift_kb / 1024))"
printf '%-28s %8s s %8s MB\n' "python csv + json" "$python_seconds" "$((python_kb / 1024))"
printf 'speed-up: %sx\n' "$ratio"

failed=0
if [[ "$rows" == "1000000" ]] && awk -v s="$swift_seconds" 'BEGIN { exit !(s > 1.0) }'; then
    echo "FAIL: the dry run took more than 1 second" >&2; failed=1
fi
if awk -v r="$ratio" 'BEGIN { exit !(r < 10) }'; then
    echo "FAIL: the dry run is less than 10 times faster than Python" >&2; failed=1
fi
if (( swift_kb > 30 * 1024 )); then
    echo "FAIL: peak memory above 30 MB" >&2; failed=1
fi
exit "$failed"
