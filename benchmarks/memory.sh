#!/usr/bin/env bash
# Memory of a live import: imports N generated users against the emulator with its limits off and
# `--rate-limit off` (so the rows in flight reach their ceiling of 64 and the run is bound by the CPU), and
# reports the importer's peak resident memory (/usr/bin/time -v) with its two parts, anonymous pages (what
# the import allocates) and file pages (the binary's own code and data, and the C libraries), sampled from
# /proc/PID/status every 50 ms.
#
# The file pages depend on how the binary sits in the page cache: copied just before, a binary keeps 2 to
# 2.5 MB more of them than when read back from disk (likely larger cached blocks, each mapped whole on its
# first touch). So before each run the binary's pages are dropped from the cache (posix_fadvise DONTNEED), and every
# run starts from the state of a binary read from disk, as after a reboot. COPIED=1 measures a binary copied
# just before instead.
#
# Usage: benchmarks/memory.sh          (about 10 minutes with the million rows)
# Environment:
#   BIN=path            workos-import binary (default: build release into .build-bench)
#   BEFORE=path         a second binary, measured in turn with BIN (before, after, before, after)
#   SIZES="20000 200000 1000000"   users to import
#   RUNS=2              runs of each binary at each size
#   COPIED=1            copy the binary anew before each run instead of dropping it from the cache
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="$root/benchmarks/out"
mkdir -p "$out"
SIZES="${SIZES:-20000 200000 1000000}"
RUNS="${RUNS:-2}"
API_KEY="sk_test_bench"
source benchmarks/common.sh
needs memory.sh curl /usr/bin/time python3
release_binary
work="$(mktemp -d)"
trap 'stop_emulator; rm -rf "$work"' EXIT

# measure LABEL BINARY CSV ROWS: one import; prints a table row.
measure() {
    local label="$1" binary="$2" csv="$3" rows="$4" run_binary="$2"
    if [[ "${COPIED:-0}" == 1 ]]; then
        run_binary="$work/workos-import-copy"
        cp "$binary" "$run_binary"
    else
        sync
        python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$binary"
    fi
    # The emulator starts from the same file, which reads its pages back the way a first start does.
    emulator_binary="$run_binary" start_emulator --no-rate-limits
    # exec, so that the background job is /usr/bin/time itself and the import its child.
    (cd "$work" && WORKOS_SECRET_KEY="$API_KEY" exec /usr/bin/time -v -o "$work/time" "$run_binary" --csv "$csv" \
        --base-url "$base_url" --journal "$work/journal" --restart --rate-limit off --quiet > "$work/stdout" 2> "$work/stderr") &
    local time_pid=$! pid="" anon=0 file=0 a f
    for _ in $(seq 100); do
        pid="$(pgrep -P "$time_pid" | head -n 1 || true)"
        [[ -n "$pid" ]] && break
        sleep 0.01
    done
    while [[ -n "$pid" ]] && read -r a f < <(awk '/RssAnon/ { a = $2 } /RssFile/ { f = $2 } END { print a, f }' \
        "/proc/$pid/status" 2>/dev/null) && [[ -n "$a" ]]; do
        (( a > anon )) && anon=$a
        (( f > file )) && file=$f
        sleep 0.05
    done
    local code=0
    wait "$time_pid" || code=$?
    stop_emulator
    local peak wall
    peak="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$work/time")"
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/time")"
    # Pages never sampled (the import ended before its first sample) show as "-", not as zero.
    awk -v label="$label" -v rows="$rows" -v peak="$peak" -v anon="$anon" -v file="$file" -v wall="$wall" \
        -v code="$code" 'function mb(kb) { return kb > 0 ? sprintf("%.1f", kb / 1024) : "-" }
        BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s |\n", label, rows, peak, mb(anon), mb(file), wall, code }'
}

echo "| binary | rows | peak MB | anonymous MB | file MB | wall | exit |"
echo "|---|---|---|---|---|---|---|"
for rows in $SIZES; do
    csv="$out/memory-$rows.csv"
    [[ -s "$csv" ]] || "$BIN" generate "$rows" "$csv" --seed 1 >/dev/null
    for _ in $(seq "$RUNS"); do
        [[ -n "${BEFORE:-}" ]] && measure before "$BEFORE" "$csv" "$rows"
        measure "$([[ -n "${BEFORE:-}" ]] && echo after || echo this)" "$BIN" "$csv" "$rows"
    done
done
echo
echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); $(date -u '+%Y-%m-%d %H:%M UTC'); $(uname -r); $(if [[ "${COPIED:-0}" == 1 ]]; then echo 'binary copied before each run'; else echo 'binary dropped from the page cache before each run'; fi)."
