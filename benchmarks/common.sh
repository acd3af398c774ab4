# shellcheck shell=bash
# Sourced by the benchmark scripts, from the project's root: what they all need before measuring.
# The script sets $work (a temporary folder) and API_KEY before it starts an emulator.
# shellcheck disable=SC2154 # work and API_KEY are the sourcing script's

# needs SCRIPT TOOL...: stops with a sentence unless every tool is on PATH.
needs() {
    local script="$1"
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$script needs $tool" >&2; exit 1; }
    done
}

# release_binary: BIN as given, or a release build (static Swift runtime) into .build-bench.
release_binary() {
    if [[ -z "${BIN:-}" ]]; then
        echo "building release (swift build -c release --static-swift-stdlib --scratch-path .build-bench) ..." >&2
        swift build -c release --static-swift-stdlib --product workos-import --scratch-path .build-bench >&2
        BIN="$(swift build -c release --static-swift-stdlib --scratch-path .build-bench --show-bin-path)/workos-import"
    fi
}

emulator_pid=""
emulators=0
base_url=""

# start_emulator [EMULATE_ARGS...]: a fresh emulator on a free port (the one before is stopped), run from
# $emulator_binary or else $BIN; sets emulator_pid and base_url.
start_emulator() {
    stop_emulator
    emulators=$((emulators + 1))
    local url_file="$work/emu-$emulators.out" # a new file each time, never the last emulator's address
    "${emulator_binary:-$BIN}" emulate --port 0 --api-key "$API_KEY" "$@" > "$url_file" 2> "$work/emu.err" &
    emulator_pid=$!
    base_url=""
    for _ in $(seq 600); do
        base_url="$(head -n 1 "$url_file" 2>/dev/null || true)"
        [[ -n "$base_url" ]] && break
        kill -0 "$emulator_pid" 2>/dev/null || break
        sleep 0.05
    done
    [[ -n "$base_url" ]] || { echo "the emulator did not start: $(cat "$work/emu.err")" >&2; exit 1; }
}

stop_emulator() {
    if [[ -n "$emulator_pid" ]]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
    emulator_pid=""
}
