#!/usr/bin/env bash
# Builds the index-choice benchmark in release and runs each variant in its own process under
# /usr/bin/time -v, printing build and lookup seconds, file size and peak resident memory.
#
#   benchmarks/index-choice/run.sh [count]     (default 1000000)
set -euo pipefail
cd "$(dirname "$0")"
count="${1:-1000000}"
flock /tmp/swift-build.lock swift build -c release --scratch-path .build-bench
binary="$(swift build -c release --scratch-path .build-bench --show-bin-path)/index-choice"
folder="$(mktemp -d "${TMPDIR:-/tmp}/index-choice.XXXXXX")"
trap 'rm -rf "$folder"' EXIT
for variant in baseline sorted grdb grdb-rowid; do
    result="$(/usr/bin/time -v "$binary" "$variant" "$folder" "$count" 2> "$folder/time.txt")"
    peak_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$folder/time.txt")"
    echo "$result peak_rss_mb=$((peak_kb / 1024))"
done
