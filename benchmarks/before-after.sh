#!/usr/bin/env bash
# Before and after, at WorkOS's default read limit: how long `plan` and `verify` take, and how much memory
# they use, on a file of ROWS users in 10 organizations (no TOTP secrets), against the emulator with the
# rate limits it has by default (WorkOS's: 1,000 reads and 500 writes per 10 s). Two environments:
#   - "holds the file": the emulator is seeded with every user and membership of the file first, so plan
#     finds everything (usersExisting = ROWS) and verify finds every row matching;
#   - "empty": nothing there yet, so plan predicts every create.
# Then a rerun without journal of a finished import into one organization: a RERUN_ROWS-row import at the
# default limits, the same command again with a new journal (it reads first and must send no write), and
# once more with --no-survey (create first, find on conflict), for comparison.
#
# Prints one Markdown table: seconds, peak RSS (/usr/bin/time -v), pages/requests and writes the
# emulator answered.
#
# Usage: benchmarks/before-after.sh     (about 5 minutes)
# Environment:
#   BIN=path          workos-import binary (default: build release into .build-bench)
#   ROWS=100000       users for plan and verify
#   RERUN_ROWS=2000   users for the rerun
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="$root/benchmarks/out"
mkdir -p "$out"
ROWS="${ROWS:-100000}"
RERUN_ROWS="${RERUN_ROWS:-2000}"
API_KEY="sk_test_bench"
source benchmarks/common.sh
needs before-after.sh jq curl /usr/bin/time python3
release_binary
work="$(mktemp -d)"
trap 'stop_emulator; rm -rf "$work"' EXIT

csv="$out/before-after-$ROWS.csv"
[[ -s "$csv" ]] || "$BIN" generate "$ROWS" "$csv" --orgs 10 --memberships-per-user 1 --seed 3 >/dev/null

# The seed: the file's organizations, and (for "holds the file") its users and memberships.
python3 - "$csv" "$work" <<'PY'
import csv, json, sys
path, work = sys.argv[1], sys.argv[2]
users, memberships, orgs = [], [], {}
with open(path, newline="") as f:
    for row in csv.DictReader(f):
        orgs.setdefault(row["org_external_id"], row["org_name"])
        user = {"email": row["email"], "first_name": row["first_name"], "last_name": row["last_name"],
                "email_verified": row["email_verified"] == "true", "external_id": row["external_id"],
                "metadata": json.loads(row["metadata"]) if row["metadata"] else {}}
        users.append(user)
        memberships.append({"user_email": row["email"], "organization_external_id": row["org_external_id"]})
organizations = [{"name": name, "external_id": key} for key, name in orgs.items()]
json.dump({"organizations": organizations}, open(f"{work}/seed-empty.json", "w"))
json.dump({"organizations": organizations, "users": users, "memberships": memberships},
          open(f"{work}/seed-full.json", "w"))
PY

requests() { curl -s "$base_url/_emulate/state" | jq '[.counters.requests | to_entries[] | .value | to_entries[] | .value] | add // 0'; }
writes() { curl -s "$base_url/_emulate/state" | jq '[.counters.requests | to_entries[] | select(.key | startswith("GET ") | not) | .value | to_entries[] | .value] | add // 0'; }

rows_out=()
measure() {
    local label="$1"; shift
    local before_requests before_writes start end status
    before_requests="$(requests)"; before_writes="$(writes)"
    start="$(date +%s.%N)"
    set +e
    WORKOS_SECRET_KEY="$API_KEY" WORKOS_BASE_URL="$base_url" /usr/bin/time -v "$BIN" "$@" \
        > "$work/out.json" 2> "$work/time.err"
    status=$?
    set -e
    end="$(date +%s.%N)"
    local rss seconds
    rss="$(awk '/Maximum resident set size/ {printf "%.1f", $6 / 1024}' "$work/time.err")"
    seconds="$(echo "$end - $start" | bc)"
    local result
    result="$(jq -c 'del(.failuresByReason, .durationSeconds, .ignoredColumns)' "$work/out.json" 2>/dev/null || echo '{}')"
    rows_out+=("| $label | $(printf '%.1f' "$seconds") | $rss | $(( $(requests) - before_requests )) | $(( $(writes) - before_writes )) | $status | \`$result\` |")
}

start_emulator --seed-file "$work/seed-full.json"
measure "plan, $ROWS rows, environment holds the file" plan --csv "$csv" --json
measure "verify, $ROWS rows, environment holds the file" verify --csv "$csv" --json
start_emulator --seed-file "$work/seed-empty.json"
measure "plan, $ROWS rows, empty environment" plan --csv "$csv" --json

rerun_csv="$out/before-after-rerun-$RERUN_ROWS.csv"
[[ -s "$rerun_csv" ]] || "$BIN" generate "$RERUN_ROWS" "$rerun_csv" --seed 4 >/dev/null
start_emulator --seed-file "$work/seed-empty.json"
org=(--org-external-id acme --create-org-if-missing --org-name Acme --json --quiet)
measure "import, $RERUN_ROWS rows into one organization" --csv "$rerun_csv" "${org[@]}" --journal "$work/a.journal"
measure "rerun without journal (reads first)" --csv "$rerun_csv" "${org[@]}" --journal "$work/b.journal"
measure "rerun without journal, --no-survey" --csv "$rerun_csv" "${org[@]}" --journal "$work/c.journal" --no-survey

echo "| run | seconds | peak RSS MB | requests | writes | exit | result |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows_out[@]}"
