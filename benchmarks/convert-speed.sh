#!/usr/bin/env bash
# Measures `workos-import convert firebase` on a generated 1,000,000-user `firebase auth:export` JSON file
# (benchmarks/generate_firebase_export.py) and checks the goals: under 10 seconds, at most 30 MB peak
# resident memory (/usr/bin/time -v).
#
# Usage: benchmarks/convert-speed.sh [USERS]      (run from anywhere; USERS defaults to 1000000)
# Environment: BIN=path of the workos-import binary to measure (default: build release with
# --scratch-path .build-bench); KEEP=1 keeps the generated files in benchmarks/out; PYTHON=interpreter.
set -euo pipefail

cd "$(dirname "$0")/.."
users="${1:-1000000}"
out="benchmarks/out"
export_file="$out/firebase-$users.json"
mkdir -p "$out"

source benchmarks/common.sh
release_binary

# The same seed always writes the same file, so one kept from an earlier run (KEEP=1) is reused.
[[ -s "$export_file" ]] || "${PYTHON:-python3}" benchmarks/generate_firebase_export.py "$users" "$export_file" 1
size_mb=$(( $(wc -c < "$export_file") / 1000000 ))
cat > "$out/hash-config.txt" <<'CONFIG'
hash_config {
  algorithm: SCRYPT,
  base64_signer_key: jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==,
  base64_salt_separator: Bw==,
  rounds: 8,
  mem_cost: 14,
}
CONFIG

log="$(mktemp)"
/usr/bin/time -v -o "$log" "$BIN" convert firebase "$export_file" --hash-config "$out/hash-config.txt" \
    --out "$out/converted.csv" --skipped "$out/skipped.jsonl" > "$out/convert-summary.txt"
read -r seconds peak_kb < <(awk -F': ' '
    /Elapsed \(wall clock\)/ {
        n = split($2, part, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + part[i]
    }
    /Maximum resident set size/ { peak = $2 }
    END { printf "%.3f %d\n", s, peak }' "$log")
rm -f "$log"
rows=$(( $(wc -l < "$out/converted.csv") - 1 ))
peak_mb=$(awk -v kb="$peak_kb" 'BEGIN { printf "%.1f", kb / 1024 }')
rate=$(awk -v n="$users" -v s="$seconds" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')

echo "| scenario | users | export MB | wall s | users/s | rows written | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
echo "| convert firebase | $users | $size_mb | $seconds | $rate | $rows | $peak_mb |"
echo
sed 's/^/    /' "$out/convert-summary.txt"
echo
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met: $2"; else echo "MISSED: $2"; fi; }
verdict "$seconds < 10" "under 10 s ($seconds s)"
verdict "$peak_kb <= 30 * 1024" "at most 30 MB ($peak_mb MB)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
if [[ "${KEEP:-0}" != 1 ]]; then rm -f "$export_file" "$out/converted.csv" "$out/skipped.jsonl" "$out/hash-config.txt" "$out/convert-summary.txt"; fi
