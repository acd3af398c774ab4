#!/usr/bin/env bash
# Measures how many requests per second the built-in emulator answers on loopback, with rate
# limits and faults off. Builds release, starts `workos-import emulate --port 0`, drives it with
# wrk from a second process (POST creates with unique emails, then GET lists), prints one line.
#
# Usage: benchmarks/emulator-throughput.sh [seconds=10] [connections=32]
# Needs wrk (Debian package `wrk`). Numbers drop when other builds share the machine.
# Environment: BIN=path of the workos-import binary (default: build release with --scratch-path .build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
source benchmarks/common.sh
release_binary
WORK="$(mktemp -d)"
PID=""
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$BIN" emulate --port 0 --no-rate-limits >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 100); do [ -s "$WORK/out" ] && break; sleep 0.1; done
URL="$(head -1 "$WORK/out")"
[ -n "$URL" ] || { echo "the emulator did not start: $(cat "$WORK/err")" >&2; exit 1; }
cat >"$WORK/create.lua" <<'LUA'
-- `thread_id` is a global set per wrk thread by setup(), so emails never repeat across threads.
local counter = 0
local next_id = 0
setup = function(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end
request = function()
  counter = counter + 1
  local body = string.format('{"email":"bench-%d-%d@example.com","first_name":"Bench"}', thread_id, counter)
  return wrk.format("POST", "/user_management/users", {
    ["Authorization"] = "Bearer sk_test_default", ["Content-Type"] = "application/json" }, body)
end
LUA
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1" | tr '\n' ' '; }
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/create.lua" "$URL" >"$WORK/create.txt"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "Authorization: Bearer sk_test_default" \
  "$URL/user_management/users?limit=10" >"$WORK/list.txt"
echo "emulator throughput: create $(rps "$WORK/create.txt") req/s, list $(rps "$WORK/list.txt") req/s" \
  "(wrk -t2 -c$CONNECTIONS -d${DURATION}s, $(nproc) cores) $(errors "$WORK/create.txt")$(errors "$WORK/list.txt")"
