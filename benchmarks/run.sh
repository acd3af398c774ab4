#!/usr/bin/env bash
# Runs every benchmark of workos-import and prints one table (Markdown, aligned):
#
#   dry-run   `workos-import --csv F --dry-run` at 100k and 1M rows, next to benchmarks/baseline_dry_run.py
#             (Python's csv and json modules doing the same checks) on the same file: rows/s, wall time,
#             peak resident memory and speed-up.
#   limited   a real import against the emulator at WorkOS's default limits (500 writes / 10 s) with the
#             importer's default --rate-limit: rows/s, requests/s, writes/s as a share of 50/s, share of
#             requests answered 429, failed rows, peak memory.
#   no-limit  a real import with the emulator's limits off and --rate-limit off (the client's own
#             overhead): rows/s, requests/s, the most rows in flight next to --concurrency, peak memory;
#             once more with 20 ms emulator latency, so that rows overlap and the bound is really tested.
#   FULL=1    adds a 1,000,000-row real import with limits off at the default --concurrency (the memory
#             goal for real imports).
#
# The emulator always runs in its own process, so its memory is not counted; each scenario gets a fresh
# emulator and a fresh journal. Inputs come from `workos-import generate N F --seed 1` into
# benchmarks/out/ (git-ignored). Peak memory is "Maximum resident set size" from /usr/bin/time -v.
# Benchmarks are not timed tests: the goal lines below the table report, they do not fail the run
# (set STRICT=1 to exit 1 when a goal is missed).
#
# Usage: benchmarks/run.sh                 (from anywhere; about 3 minutes, FULL=1 adds a few more)
# Environment:
#   BIN=path            workos-import binary to measure (default: build release with
#                       --scratch-path .build-bench and use that)
#   DRY_ROWS="100000 1000000"   dry-run sizes
#   LIMITED_ROWS=3000   rows imported at WorkOS's limits (49 rows/s, so about a minute)
#   OFF_ROWS=100000     rows imported with limits off
#   OFF_CONCURRENCY=32  --concurrency of the limits-off imports
#   LATENCY_ROWS=10000  rows imported with limits off and 20 ms emulator latency (concurrency check)
#   FULL=1              also import 1,000,000 rows with limits off
#   STEP_TIMEOUT=900    seconds any single step may take before it is stopped
#   PYTHON=python3      interpreter for the baseline
#   RESULTS=path        also write the table there (default benchmarks/out/results.md)
#   KEEP=1              keep the generated CSV files
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
out="$root/benchmarks/out"
mkdir -p "$out"

DRY_ROWS="${DRY_ROWS:-100000 1000000}"
LIMITED_ROWS="${LIMITED_ROWS:-3000}"
OFF_ROWS="${OFF_ROWS:-100000}"
OFF_CONCURRENCY="${OFF_CONCURRENCY:-32}"
LATENCY_ROWS="${LATENCY_ROWS:-10000}"
FULL="${FULL:-0}"
STEP_TIMEOUT="${STEP_TIMEOUT:-900}"
RESULTS="${RESULTS:-$out/results.md}"
API_KEY="sk_test_bench"

source benchmarks/common.sh
needs run.sh jq curl timeout /usr/bin/time

release_binary
[[ -x "$BIN" ]] || { echo "not an executable: $BIN" >&2; exit 1; }
# The real interpreter, not a version-manager shim, so its start-up is not counted against Python.
PYTHON="$(${PYTHON:-python3} -c 'import sys; print(sys.executable)')"

work="$(mktemp -d)"
cleanup() {
    # `timeout` runs in its own process group, so stop it (and with it the measured command) by id.
    # The first interrupt lets the import finish its rows in flight, the second stops it at once.
    if [[ -n "$measured_pid" ]]; then
        pkill -INT -P "$measured_pid" 2>/dev/null || true
        sleep 0.5
        pkill -INT -P "$measured_pid" 2>/dev/null || true
        wait "$measured_pid" 2>/dev/null || true
    fi
    stop_emulator
    rm -rf "$work"
    if [[ "${KEEP:-0}" != "1" ]]; then rm -f "$out"/users-*.csv "$out"/*.journal "$out"/*.errors.csv; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rows_table="$work/rows.tsv"   # one line per measurement, tab-separated, in table order
goals="$work/goals.txt"
: > "$rows_table"
: > "$goals"
missed=0

# generate ROWS -> prints the path of a generated file (made once per size).
generate() {
    local file="$out/users-$1.csv"
    [[ -s "$file" ]] || "$BIN" generate "$1" "$file" --seed 1 >&2
    echo "$file"
}

# measure LOG STDOUT CMD... : runs CMD under /usr/bin/time -v with a time limit; returns CMD's exit code.
# Wall time is taken with the shell's microsecond clock (time -v only has hundredths); the peak memory
# is time -v's "Maximum resident set size", the largest of the processes it waited for (CMD's).
measured_pid=""
measure() {
    local log="$1" stdout="$2"; shift 2
    local code=0 started
    started="$EPOCHREALTIME"
    /usr/bin/time -v -o "$log" timeout --signal=INT --kill-after=30 "$STEP_TIMEOUT" "$@" > "$stdout" 2> "$log.err" &
    measured_pid=$!
    wait "$measured_pid" || code=$?
    measured_pid=""
    awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }' > "$log.wall"
    if (( code == 124 )); then echo "stopped after ${STEP_TIMEOUT}s: $*" >&2; fi
    return "$code"
}
# wall seconds and peak MB of a measured command: "<seconds> <MB>".
time_fields() {
    awk -F': ' -v wall="$(cat "$1.wall")" '
        /Maximum resident set size/ { kb = $2 }
        END { printf "%.3f %.1f\n", wall, kb / 1024 }' "$1"
}
# row SCENARIO ROWS WALL ROWS/S REQ/S WRITES/S 429 FAILED INFLIGHT PEAK NOTE
row() { local IFS=$'\t'; echo "$*" >> "$rows_table"; }
goal() { # goal MET(0/1) TEXT
    if [[ "$1" == "1" ]]; then echo "- met: $2" >> "$goals"; else echo "- MISSED: $2" >> "$goals"; missed=1; fi
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? 1 : 0 }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# --- dry run against the Python baseline ------------------------------------------------------------
for n in $DRY_ROWS; do
    file="$(generate "$n")"
    echo "dry run, $n rows ..." >&2
    code=0
    measure "$work/dry.time" "$work/dry.json" "$BIN" --csv "$file" --dry-run --quiet --json || code=$?
    # Exit code 1 only says some rows would fail; the count is reported below.
    if (( code > 1 )); then cat "$work/dry.time.err" >&2; exit 1; fi
    read -r s_wall s_mb < <(time_fields "$work/dry.time")
    s_failed="$(jq -r '.failed' "$work/dry.json")"
    s_total="$(jq -r '.total' "$work/dry.json")"

    measure "$work/py.time" "$work/py.out" "$PYTHON" benchmarks/baseline_dry_run.py "$file" \
        || { cat "$work/py.time.err" >&2; exit 1; }
    read -r p_wall p_mb < <(time_fields "$work/py.time")
    p_invalid="$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
                      END { print f["invalid"] + f["malformed"] }' "$work/py.out")"

    speedup="$(calc '%.1f' "$p_wall / $s_wall")"
    agree="same verdicts"
    [[ "$s_failed" == "$p_invalid" ]] || agree="VERDICTS DIFFER: $s_failed vs $p_invalid failed"
    row "dry-run workos-import" "$n" "$s_wall" "$(calc '%.0f' "$s_total / $s_wall")" - - - "$s_failed" - "$s_mb" \
        "${speedup}x Python; $agree"
    row "dry-run Python csv+json" "$n" "$p_wall" "$(calc '%.0f' "$n / $p_wall")" - - - "$p_invalid" - "$p_mb" \
        "baseline_dry_run.py"
    if [[ "$n" == "1000000" ]]; then
        goal "$(le "$s_wall" 1)" "dry run of 1,000,000 rows in at most 1 s: ${s_wall} s"
        goal "$(ge "$speedup" 5)" "dry run at least 5x faster than Python at 1,000,000 rows: ${speedup}x"
        goal "$(le "$s_mb" 30)" "dry-run peak memory at most 30 MB at 1,000,000 rows: ${s_mb} MB"
    fi
done

# --- imports against the emulator -------------------------------------------------------------------
# counters -> the emulator's counters object, from the endpoint that returns only them.
counters() {
    curl -s --max-time 60 "$base_url/_emulate/counters" | jq -c '.'
}
emulator_peak_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$emulator_pid/status" 2>/dev/null || echo "?"; }

# import_run SCENARIO ROWS CONCURRENCY EMULATOR_ARGS -- IMPORT_ARGS...
import_run() {
    local scenario="$1" n="$2" concurrency="$3"; shift 3
    local emulator_args=()
    while [[ "$1" != "--" ]]; do emulator_args+=("$1"); shift; done
    shift
    local file journal code=0
    file="$(generate "$n")"
    local slug="${scenario// /-}-$n"
    journal="$out/$slug.journal"
    rm -f "$journal" "$out/$slug.errors.csv"
    start_emulator "${emulator_args[@]}"
    echo "import, $scenario, $n rows against $base_url ..." >&2
    WORKOS_SECRET_KEY="$API_KEY" measure "$work/imp.time" "$work/imp.json" \
        "$BIN" --csv "$file" --base-url "$base_url" --journal "$journal" --restart --quiet --json \
        --concurrency "$concurrency" --errors-out "$out/$slug.errors.csv" "$@" || code=$?
    if (( code > 1 )); then
        echo "import exited with $code:" >&2; cat "$work/imp.time.err" "$work/imp.json" >&2; exit 1
    fi
    read -r wall peak < <(time_fields "$work/imp.time")
    emu_mb="$(emulator_peak_mb)"
    c="$(counters)"
    stop_emulator
    failed="$(jq -r '.failed' "$work/imp.json")"
    total="$(jq -r '.total' "$work/imp.json")"
    requests="$(jq '[.requests[] | .[]] | add // 0' <<< "$c")"
    limited="$(jq '.rate_limited' <<< "$c")"
    created="$(jq '.requests["POST /user_management/users"]["201"] // 0' <<< "$c")"
    inflight="$(jq '.max_in_flight' <<< "$c")"
    rps="$(calc '%.1f' "$total / $wall")"
    reqps="$(calc '%.1f' "$requests / $wall")"
    wps="$(calc '%.1f' "$created / $wall")"
    share="$(calc '%.2f' "($requests > 0 ? 100 * $limited / $requests : 0)")"
    routes="$(jq -r '[.requests | to_entries[] | "\(.key): " + ([.value | to_entries[] | "\(.key)=\(.value)"] | join(" "))] | join("; ")' <<< "$c")"
    echo "  $scenario: $routes; emulator peak ${emu_mb} MB" >&2
    last=("$wall" "$rps" "$reqps" "$wps" "$share" "$failed" "$inflight" "$peak" "$created" "$limited" "$requests")
    local writes="$wps"
    [[ "$scenario" == *limited* ]] && writes="$wps ($(calc '%.0f' "2 * $wps")%)"
    row "$scenario" "$n" "$wall" "$rps" "$reqps" "$writes" "$share" "$failed" \
        "$inflight/$concurrency" "$peak" "exit $code; emulator ${emu_mb} MB"
    goal "$(le "$inflight" "$concurrency")" "$scenario: at most --concurrency $concurrency requests in flight: $inflight"
}

# (a) WorkOS's default limits on both sides.
import_run "import limited" "$LIMITED_ROWS" 10 --
wps="${last[3]}"; share="${last[4]}"; failed="${last[5]}"
goal "$(ge "$wps" 47.5)" "at WorkOS's limits, at least 95% of 50 writes/s: $wps/s ($(calc '%.0f' "2 * $wps")%)"
goal "$(awk -v s="$share" 'BEGIN { print (s < 1) ? 1 : 0 }')" "under 1% of requests answered 429: ${share}%"
goal "$([[ "$failed" == 0 ]] && echo 1 || echo 0)" "no failed rows at WorkOS's limits: $failed"

# (b) limits off: the client's own overhead.
import_run "import no-limit" "$OFF_ROWS" "$OFF_CONCURRENCY" --no-rate-limits -- --rate-limit off

# (c) limits off but every answer 20 ms late, so rows really overlap: the emulator's max in flight
# shows whether --concurrency bounds them (on loopback without latency, answers come too fast to overlap).
import_run "import no-limit 20ms" "$LATENCY_ROWS" "$OFF_CONCURRENCY" --no-rate-limits --latency-ms 20 -- --rate-limit off
inflight="${last[6]}"
goal "$([[ "$inflight" == "$OFF_CONCURRENCY" ]] && echo 1 || echo 0)" \
    "with 20 ms answers, --concurrency $OFF_CONCURRENCY is reached and not exceeded: $inflight in flight"

# (d) 1,000,000 rows with limits off, for the memory goal: the importer's default --concurrency (10).
if [[ "$FULL" == "1" ]]; then
    import_run "import no-limit default" 1000000 10 --no-rate-limits -- --rate-limit off
    peak="${last[7]}"
    goal "$(le "$peak" 30)" "real import peak memory at most 30 MB at 1,000,000 rows (default --concurrency): $peak MB"
fi

# --- the table --------------------------------------------------------------------------------------
cpu="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
mem="$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)"
{
    printf 'scenario\trows\twall s\trows/s\treq/s\twrites/s (%% of 50)\t429 %%\tfailed\tin flight/conc.\tpeak RSS MB\tnotes\n'
    cat "$rows_table"
} | awk -F'\t' '
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NF; rows = NR }
    END {
        for (r = 1; r <= rows; r++) {
            line = "|"
            for (i = 1; i <= n; i++) line = line sprintf(" %-*s |", w[i], cell[r, i])
            print line
            if (r == 1) {
                line = "|"
                for (i = 1; i <= n; i++) { dash = ""; for (k = 0; k < w[i] + 2; k++) dash = dash "-"; line = line dash "|" }
                print line
            }
        }
    }' > "$work/table.md"
{
    cat "$work/table.md"
    echo
    echo "Machine: $(nproc) cores, $cpu, $mem RAM; $(date -u '+%Y-%m-%d %H:%M UTC'); $("$BIN" --version 2>/dev/null || echo workos-import)"
    echo
    echo "Goals:"
    cat "$goals"
} | tee "$RESULTS"

if [[ "${STRICT:-0}" == "1" ]]; then exit "$missed"; fi
