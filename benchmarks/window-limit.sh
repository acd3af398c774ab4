#!/usr/bin/env bash
# At the physical limit of WorkOS's windows: for N writes under "at most W in any window of T seconds" the
# fastest schedule takes T × (ceil(N / W) − 1) seconds plus the last batch's latency (until its slowest
# answer is back). This script imports
# N writes (users only up to 1,000; from 2,000 on, N / 2 users into one organization) against
# `workos-import emulate` at WorkOS's default limits (500 writes per 10 s) under the sliding-window and the
# fixed-window limiter, with a mean latency of 0, 250 and 500 ms (uniform jitter from 0 to twice the mean),
# and reports the wall time against that limit (the ratio), the official Python SDK script's time on the same
# file and emulator settings in the same run (benchmarks/python_sdk_peer.py, 10 threads), 429 answers and
# peak memory. Then the same imports under a token bucket of capacity 50 (refilled at 50 a second): rows in
# and the share of requests answered 429. Last, the ramp: 1,000 users into an organization at 500 ms,
# adaptive (Little's-law start) against --fixed-concurrency at the level it starts at (25) and at 64.
#
# The runs mostly wait (pacing and latency), so they run side by side, each with its own emulator on its own
# port, under `nice`; the load average is printed at the end.
#
# Usage: benchmarks/window-limit.sh
# Environment:
#   BIN=path               workos-import binary (default: build release into .build-bench)
#   SIZES="100 300 1000 2000 20000"   writes per import
#   LATENCIES="0 250 500"  mean added latency in ms
#   MODELS="sliding fixed" window limiters
#   TOKEN_LATENCIES="0 250 500"  latencies of the token-bucket runs (empty: none)
#   SDK=1                  also run the Python SDK script (0: leave it out)
#   RAMP=1                 run the ramp comparison
#   RUNS=1                 runs of each cell; with more than one, each cell shows the median time and its
#                          range, the most 429s, rows in flight and memory of its runs (for the token bucket,
#                          the run with the largest share of 429s) and in how many runs its goal was met
#   PARALLEL=10            runs at once
#   VENV=dir               virtual environment with the `workos` package (default: a throwaway one)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
SIZES="${SIZES:-100 300 1000 2000 20000}"
LATENCIES="${LATENCIES:-0 250 500}"
MODELS="${MODELS:-sliding fixed}"
TOKEN_LATENCIES="${TOKEN_LATENCIES-0 250 500}"
SDK="${SDK:-1}"
RAMP="${RAMP:-1}"
PARALLEL="${PARALLEL:-10}"
RUNS="${RUNS:-1}"
API_KEY="sk_test_bench"
WINDOW=10
LIMIT=500
source benchmarks/common.sh
needs window-limit.sh jq curl /usr/bin/time python3 nice
release_binary
work="$(mktemp -d)"
trap 'jobs -p | xargs -r kill 2>/dev/null || true; rm -rf "$work"' EXIT
if [[ "$SDK" == 1 && -z "${VENV:-}" ]]; then
    VENV="$work/venv"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install --quiet workos >&2
fi
sdk_version="-"
[[ "$SDK" == 1 ]] && sdk_version="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("workos"))')"
echo '{"organizations":[{"id":"org_bench","name":"Bench","external_id":"bench"}]}' > "$work/seed.json"

# The file for N writes, and whether its rows go into the organization.
users_for() { local n="$1"; if (( n >= 2000 )); then echo $((n / 2)); else echo "$n"; fi; }
csv_for() {
    local users
    users="$(users_for "$1")"
    local csv="$work/users-$users.csv"
    [[ -s "$csv" ]] || "$BIN" generate "$users" "$csv" --seed 1 >/dev/null
    echo "$csv"
}

# one ID KIND N LATENCY LIMITER [IMPORT_ARGS...]: one measured import with its own emulator; writes
# "ID<TAB>fields..." to $work/results/ID.
one() {
    local id="$1" kind="$2" n="$3" mean="$4" limiter="$5"; shift 5
    local dir="$work/run-$id"
    mkdir -p "$dir"
    local users csv org=()
    users="$(users_for "$n")"
    csv="$work/users-$users.csv"
    (( n >= 2000 )) && org=(--org-id org_bench)
    local emulator_args=(--latency-jitter-ms $((2 * mean)))
    case "$limiter" in
        token) emulator_args+=(--limiter token --token-capacity 50) ;;
        *) emulator_args+=(--limiter "$limiter") ;;
    esac
    nice -n 10 "$BIN" emulate --port 0 --api-key "$API_KEY" --seed-file "$work/seed.json" "${emulator_args[@]}" \
        > "$dir/emu.out" 2> "$dir/emu.err" &
    local emulator=$! base_url=""
    for _ in $(seq 400); do
        base_url="$(head -n 1 "$dir/emu.out" 2>/dev/null || true)"
        [[ -n "$base_url" ]] && break
        sleep 0.05
    done
    [[ -n "$base_url" ]] || { echo "the emulator did not start: $(cat "$dir/emu.err")" >&2; kill "$emulator"; return 1; }
    local command
    if [[ "$kind" == ours ]]; then
        command=(env WORKOS_SECRET_KEY="$API_KEY" "$BIN" --csv "$csv" --base-url "$base_url" "${org[@]}"
            --journal "$dir/journal" --restart --quiet --json "$@")
    else
        local org_id=""
        (( n >= 2000 )) && org_id=org_bench
        command=("$VENV/bin/python" benchmarks/python_sdk_peer.py "$csv" "$base_url" "$API_KEY" "$org_id" 10)
    fi
    local started code=0
    started="$EPOCHREALTIME"
    nice -n 10 /usr/bin/time -v -o "$dir/time" "${command[@]}" > "$dir/stdout" 2> "$dir/stderr" || code=$?
    local wall peak c
    wall="$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')"
    peak="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$dir/time")"
    c="$(curl -s --max-time 60 "$base_url/_emulate/counters")"
    kill "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
    local created memberships limited requests inflight
    created="$(jq '.requests["POST /user_management/users"]["201"] // 0' <<< "$c")"
    memberships="$(jq '.requests["POST /user_management/organization_memberships"]["201"] // 0' <<< "$c")"
    limited="$(jq '.rate_limited' <<< "$c")"
    requests="$(jq '[.requests[] | .[]] | add // 0' <<< "$c")"
    inflight="$(jq '.max_in_flight' <<< "$c")"
    local physical
    # The last batch is done when its slowest answer is back: of k latencies drawn evenly from 0 to twice
    # the mean, the slowest is 2 × mean × k / (k + 1) on average.
    physical="$(awk -v n="$n" -v w="$LIMIT" -v t="$WINDOW" -v l="$mean" \
        'BEGIN { b = int((n + w - 1) / w); k = n - w * (b - 1); printf "%.2f", t * (b - 1) + 2 * l * k / (k + 1) / 1000 }')"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$kind" "$n" "$mean" "$limiter" \
        "$wall" "$physical" "$((created + memberships))" "$limited" "$requests" "$inflight" "$peak" "$code" \
        "$(jq -r '.peakRowsInFlight // "-"' "$dir/stdout" 2>/dev/null || echo -)" > "$work/results/$id"
    echo "$id: exit $code, $wall s (limit $physical s), $((created + memberships)) writes, $limited 429s" >&2
    rm -rf "$dir"
}

mkdir -p "$work/results"
for n in $SIZES; do csv_for "$n" >/dev/null; done
# The longest runs first, so the side-by-side runs end together; run r of a cell is "<cell>-r<r>".
plan="$work/plan"
: > "$plan"
for n in $(tr ' ' '\n' <<< "$SIZES" | sort -rn); do
    for run in $(seq "$RUNS"); do
        for mean in $(tr ' ' '\n' <<< "$LATENCIES" | sort -rn); do
            for model in $MODELS; do
                [[ "$SDK" == 1 ]] && echo "sdk-$n-$mean-$model-r$run sdk $n $mean $model" >> "$plan"
                echo "ours-$n-$mean-$model-r$run ours $n $mean $model" >> "$plan"
            done
        done
        for mean in $TOKEN_LATENCIES; do echo "ours-$n-$mean-token-r$run ours $n $mean token" >> "$plan"; done
    done
done
if [[ "$RAMP" == 1 ]]; then
    csv_for 2000 >/dev/null
    for run in $(seq "$RUNS"); do
        echo "ramp-adaptive-r$run ours 2000 500 sliding" >> "$plan"
        echo "ramp-fixed25-r$run ours 2000 500 sliding --fixed-concurrency --concurrency 25" >> "$plan"
        echo "ramp-fixed64-r$run ours 2000 500 sliding --fixed-concurrency --concurrency 64" >> "$plan"
    done
fi
export -f one users_for
export work BIN API_KEY VENV LIMIT WINDOW root
xargs -P "$PARALLEL" -L 1 bash -c 'one "$@"' _ < "$plan"
load="$(cut -d' ' -f1-3 /proc/loadavg)"

# The tables, from every run's result line (the fields `one` writes), a row per cell. A field a failed run
# left empty shows as "-" and fails that run's goal; if the report itself fails, the result lines are kept.
report() {
    SIZES="$SIZES" LATENCIES="$LATENCIES" MODELS="$MODELS" TOKEN_LATENCIES="$TOKEN_LATENCIES" RAMP="$RAMP" \
        RUNS="$RUNS" python3 - "$work/results" <<'PY'
import os, statistics, sys

folder = sys.argv[1]
runs = int(os.environ["RUNS"])
keys = ["id", "kind", "n", "mean", "limiter", "wall", "physical", "writes", "limited", "requests", "inflight",
        "peak", "code", "rows"]

def number(text):
    """A field as a number; None when the run left it empty or wrote "-"."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None

def result(cell, run):
    try:
        with open(os.path.join(folder, f"{cell}-r{run}")) as file:
            fields = file.read().rstrip("\n").split("\t")
    except FileNotFoundError:
        return None
    return {key: (field if key in ("id", "kind", "limiter") else number(field)) for key, field in zip(keys, fields)}

def results(cell):
    return [r for r in (result(cell, run) for run in range(1, runs + 1)) if r]

def known(runs_of_cell, key):
    return [r[key] for r in runs_of_cell if r.get(key) is not None]

def seconds(values):
    """One run's time, or the median with the range of several; "-" when no run has one."""
    values = sorted(values)
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({values[0]:.2f} to {values[-1]:.2f})"

def most(values, digits=0):
    return f"{max(values):.{digits}f}" if values else "-"

def verdict(met, count):
    if count == 1:
        return "met" if met else "missed"
    return f"met in {met} of {count}"

def run_number(r):
    return r["id"].rsplit("-r", 1)[1]

sizes, latencies = os.environ["SIZES"].split(), os.environ["LATENCIES"].split()
print("| writes | latency ms | limiter | limit s | workos-import s | ratio | Python SDK s | 429s (ours / SDK) "
      "| rows in flight (peak) | peak RSS MB (ours / SDK) | goal |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for n in sizes:
    for mean in latencies:
        for model in os.environ["MODELS"].split():
            ours = results(f"ours-{n}-{mean}-{model}")
            if not ours:
                continue
            sdk = {run_number(r): r for r in results(f"sdk-{n}-{mean}-{model}")}
            physical = ours[0]["physical"] or 0
            met = 0
            for r in ours:
                paired = sdk.get(run_number(r))
                if None in (r["wall"], r["limited"], r["writes"]):
                    continue
                met += (r["wall"] <= 1.05 * physical + 1 and r["limited"] == 0 and r["writes"] == int(n)
                        and (paired is None or paired["wall"] is None or r["wall"] <= paired["wall"]))
            walls = known(ours, "wall")
            ratio = f"{statistics.median(walls) / physical:.2f}" if walls and physical > 0 else "0.00"
            # Without the SDK's runs (SDK=0) its columns show "-".
            sdk_runs = list(sdk.values())
            print(f"| {n} | {mean} | {model} | {physical:.2f} | {seconds(walls)} | {ratio} "
                  f"| {seconds(known(sdk_runs, 'wall'))} "
                  f"| {most(known(ours, 'limited'))} / {most(known(sdk_runs, 'limited'))} "
                  f"| {most(known(ours, 'rows'))} "
                  f"| {most(known(ours, 'peak'), 1)} / {most(known(sdk_runs, 'peak'), 1)} | {verdict(met, len(ours))} |")
token_latencies = os.environ["TOKEN_LATENCIES"].split()
if token_latencies:
    print()
    print("| writes | latency ms | token bucket | workos-import s | rows in (writes) | 429s (% of requests) "
          "| peak RSS MB | goal |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        for mean in token_latencies:
            ours = results(f"ours-{n}-{mean}-token")
            if not ours:
                continue
            # Each run's share of requests answered 429; a run without counts shows as the worst.
            shares = [100 * r["limited"] / r["requests"] if r["limited"] is not None and r["requests"] else None
                      for r in ours]
            met = sum(r["writes"] == int(n) and share is not None and share < 2 for r, share in zip(ours, shares))
            worst = max(range(len(ours)), key=lambda index: float("inf") if shares[index] is None else shares[index])
            limited = "-" if ours[worst]["limited"] is None else f"{ours[worst]['limited']:.0f}"
            share = "-" if shares[worst] is None else f"{shares[worst]:.2f}"
            writes = known(ours, "writes")
            print(f"| {n} | {mean} | 50 | {seconds(known(ours, 'wall'))} "
                  f"| {f'{min(writes):.0f}' if writes else '-'} / {n} | {limited} ({share} %) "
                  f"| {most(known(ours, 'peak'), 1)} | {verdict(met, len(ours))} |")
if os.environ["RAMP"] == "1":
    print()
    print("| ramp: 1,000 users into an organization, 500 ms | wall s | rows in flight (peak) | 429s |")
    print("|---|---|---|---|")
    for cell in ("ramp-adaptive", "ramp-fixed25", "ramp-fixed64"):
        ours = results(cell)
        if ours:
            print(f"| {cell} | {seconds(known(ours, 'wall'))} | {most(known(ours, 'rows'))} "
                  f"| {most(known(ours, 'limited'))} |")
PY
}
if ! report; then
    kept="$(mktemp -d)"
    cp -r "$work/results" "$kept/"
    echo "window-limit.sh: the report failed; each run's result line is kept in $kept/results" >&2
    exit 1
fi
echo
echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); $(date -u '+%Y-%m-%d %H:%M UTC'); load average at the end $load; $PARALLEL runs at once; workos Python SDK $sdk_version."
