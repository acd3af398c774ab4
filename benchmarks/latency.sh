#!/usr/bin/env bash
# Full speed at any latency: imports 1,000 users into one organization (2,000 writes) against the emulator
# at WorkOS's default limits, with added latency of mean 0, 250 and 500 ms (uniform jitter), once with
# workos-import's default flags and once with a plain importer written with the official WorkOS Python SDK
# (benchmarks/python_sdk_peer.py, 10 threads), same file, same emulator settings, in the same run.
# Then a slowing server: the emulator's latency grows by LOAD_MS per request in flight
# (--latency-per-in-flight-ms), and workos-import runs adaptive and with --fixed-concurrency 10 and a
# short --timeout, to show that adapting does not cause more timeouts.
#
# Prints one Markdown table: writes/s over the whole run and while writing (from the first to the last
# write the emulator stored; shares of the 49/s the importer paces to), rows/s, 429 answers,
# failed rows, the most requests in flight at the emulator, client-side timeouts (from the emulator:
# connections closed before the answer), and peak memory (/usr/bin/time -v) of the importer.
#
# Usage: benchmarks/latency.sh          (about 6 minutes)
# Environment:
#   BIN=path          workos-import binary (default: build release into .build-bench)
#   ROWS=1000         users to import
#   LATENCIES="0 250 500"   mean added latency in ms (uniform from 0 to twice the mean)
#   LOAD_MS=10        extra ms per request in flight in the slowing-server runs
#   VENV=dir          virtual environment for the SDK (default: a throwaway one, created with pip)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="$root/benchmarks/out"
mkdir -p "$out"
ROWS="${ROWS:-1000}"
LATENCIES="${LATENCIES:-0 250 500}"
LOAD_MS="${LOAD_MS:-10}"
API_KEY="sk_test_bench"
source benchmarks/common.sh
needs latency.sh jq curl /usr/bin/time python3
release_binary
work="$(mktemp -d)"
trap 'stop_emulator; rm -rf "$work"' EXIT
if [[ -z "${VENV:-}" ]]; then
    VENV="$work/venv"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install --quiet workos >&2
fi
sdk_version="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("workos"))')"

csv="$out/latency-users-$ROWS.csv"
[[ -s "$csv" ]] || "$BIN" generate "$ROWS" "$csv" --seed 1 >/dev/null
echo '{"organizations":[{"id":"org_bench","name":"Bench","external_id":"bench"}]}' > "$work/seed.json"

table="$work/table"
: > "$table"
# run NAME KIND EMULATOR_ARGS -- IMPORT_ARGS... : one measured import (KIND: ours or sdk); appends a row.
run() {
    local name="$1" kind="$2"; shift 2
    local emulator_args=()
    while [[ "$1" != "--" ]]; do emulator_args+=("$1"); shift; done
    shift
    start_emulator --seed-file "$work/seed.json" "${emulator_args[@]}"
    local command
    if [[ "$kind" == ours ]]; then
        command=(env WORKOS_SECRET_KEY="$API_KEY" "$BIN" --csv "$csv" --base-url "$base_url" --org-id org_bench
            --journal "$work/journal" --restart --quiet --json "$@")
    else
        command=("$VENV/bin/python" benchmarks/python_sdk_peer.py "$csv" "$base_url" "$API_KEY" org_bench 10)
    fi
    local started code=0
    started="$EPOCHREALTIME"
    /usr/bin/time -v -o "$work/time" "${command[@]}" > "$work/stdout" 2> "$work/stderr" || code=$?
    local wall peak c
    wall="$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')"
    peak="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$work/time")"
    c="$(curl -s --max-time 60 "$base_url/_emulate/counters")"
    # The write rate while writing: writes between the first and the last one the emulator stored, from their
    # created_at (users and memberships), so the start-up and the last answer's way back are left out.
    local sustained
    sustained="$(curl -s --max-time 60 "$base_url/_emulate/state" | python3 -c '
import json, sys
from datetime import datetime
state = json.load(sys.stdin)
stamps = sorted(datetime.fromisoformat(r["created_at"].replace("Z", "+00:00")).timestamp()
                for key in ("users", "memberships") for r in state.get(key, []))
span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0
print("%.1f" % ((len(stamps) - 1) / span) if span > 0 else "-")')"
    stop_emulator
    local users memberships limited inflight requests dropped
    users="$(jq '.requests["POST /user_management/users"]["201"] // 0' <<< "$c")"
    memberships="$(jq '.requests["POST /user_management/organization_memberships"]["201"] // 0' <<< "$c")"
    limited="$(jq '.rate_limited' <<< "$c")"
    inflight="$(jq '.max_in_flight' <<< "$c")"
    requests="$(jq '[.requests[] | .[]] | add // 0' <<< "$c")"
    local writes=$((users + memberships)) failed
    failed="$(jq -r '.failed // "?"' "$work/stdout" 2>/dev/null || echo "?")"
    local wps rps share
    wps="$(awk -v w="$writes" -v t="$wall" 'BEGIN { printf "%.1f", w / t }')"
    rps="$(awk -v w="$users" -v t="$wall" 'BEGIN { printf "%.1f", w / t }')"
    share="$(awk -v l="$limited" -v r="$requests" 'BEGIN { printf "%.2f", (r > 0 ? 100 * l / r : 0) }')"
    # Requests the client gave up on: retries of a request the emulator had already begun (the import's
    # --json counts timeouts; the SDK does not say).
    local timeouts="-"
    [[ "$kind" == ours ]] && timeouts="$(jq -r '.requestTimeouts // "-"' "$work/stdout" 2>/dev/null || echo -)"
    printf '| %s | %s | %s | %s (%s%%) | %s (%s%%) | %s | %s (%s%%) | %s | %s | %s | %s |\n' \
        "$name" "$ROWS" "$wall" "$wps" "$(awk -v w="$wps" 'BEGIN { printf "%.1f", 100 * w / 49 }')" \
        "$sustained" "$(awk -v w="$sustained" 'BEGIN { printf "%.1f", 100 * w / 49 }')" "$rps" \
        "$limited" "$share" "$failed" "$inflight" "$timeouts" "$peak" >> "$table"
    echo "$name: exit $code, $wall s, $writes writes, $limited 429s" >&2
}

for mean in $LATENCIES; do
    jitter=$((2 * mean))
    run "workos-import (defaults), ${mean} ms" ours --latency-jitter-ms "$jitter" --
    run "Python SDK, 10 threads, ${mean} ms" sdk --latency-jitter-ms "$jitter" --
done
# A server that slows down under load: 100 ms plus LOAD_MS per request in flight, with a 2 s timeout.
run "workos-import adaptive, slowing server" ours --latency-ms 100 --latency-per-in-flight-ms "$LOAD_MS" -- \
    --timeout 2
run "workos-import --fixed-concurrency 10, slowing server" ours --latency-ms 100 \
    --latency-per-in-flight-ms "$LOAD_MS" -- --timeout 2 --fixed-concurrency --concurrency 10

echo "| scenario | users | wall s | writes/s over the run (% of 49) | writes/s while writing (% of 49) | rows/s | 429s (% of requests) | failed | most in flight | timeouts | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
cat "$table"
echo
echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); $(date -u '+%Y-%m-%d %H:%M UTC'); workos Python SDK $sdk_version."
