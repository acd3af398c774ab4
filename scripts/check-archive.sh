#!/usr/bin/env bash
# Checks a release archive the way a user without Swift would meet it: unpacks it, refuses a binary that
# links anything but the system's own libraries (libc, libm, libpthread, libdl, librt, the dynamic loader,
# libstdc++, libgcc_s and zlib; on macOS, what /usr/lib and /System hold), and runs the unpacked binary's `--version` and a `--dry-run`
# of examples/example-input.csv in an environment whose PATH and LD_LIBRARY_PATH hold no Swift toolchain.
# Exits 1, naming the problem, when any check fails. scripts/release.sh runs it before writing dist/.
#
# Usage: scripts/check-archive.sh [--expect-version VERSION] ARCHIVE.tar.gz
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
expect=""
if [ "${1:-}" = --expect-version ]; then
    expect="$2"
    shift 2
fi
archive="${1:?usage: scripts/check-archive.sh [--expect-version VERSION] ARCHIVE.tar.gz}"
fail() { echo "check-archive.sh: $*" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
binary="$(find "$work" -path '*/bin/workos-import' -type f | head -1)"
[ -n "$binary" ] || fail "$archive holds no bin/workos-import"
for part in share/bash-completion/completions/workos-import share/zsh/site-functions/_workos-import \
    share/fish/vendor_completions.d/workos-import.fish LICENSE README.md; do
    [ -s "$(dirname "$(dirname "$binary")")/$part" ] || fail "$archive lacks $part"
done
ls "$(dirname "$(dirname "$binary")")"/share/man/man1/*.1 >/dev/null 2>&1 || fail "$archive holds no man page"

# What the binary asks the dynamic loader for.
case "$(uname -s)" in
    Linux)
        needed="$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
        # --static-swift-stdlib keeps the C++ runtime the Swift runtime needs (libstdc++, libgcc_s) and the
        # zlib of HTTP compression dynamic: both are part of every glibc distribution's base system. A build
        # with the Static Linux SDK links nothing at all.
        allowed='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|ld-linux[-a-z0-9_.]*\.so\.[0-9]+|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libz\.so\.1)$'
        ;;
    Darwin)
        needed="$(otool -L "$binary" | tail -n +2 | awk '{print $1}')"
        allowed='^(/usr/lib/|/System/Library/)'
        ;;
    *) fail "unsupported system $(uname -s)" ;;
esac
unexpected="$(printf '%s\n' "$needed" | grep -v -E "$allowed" | grep -v '^$' || true)"
[ -z "$unexpected" ] || fail "the binary links libraries a machine without Swift lacks: $(echo "$unexpected" | tr '\n' ' ')"
echo "check-archive.sh: linked libraries: $(printf '%s\n' "$needed" | tr '\n' ' ')" >&2

# The download stays under 20 MB; full Foundation's ICU data alone would add about 17 MB to it.
size=$(wc -c <"$archive" | tr -d ' ')
[ "$size" -lt 20000000 ] || fail "$archive is $((size / 1000000)) MB, over the 20 MB a download may be; look for a module that imports full Foundation (.ci/run names such files)"

# No toolchain: a PATH of the system's own folders, no LD_LIBRARY_PATH, a home of its own.
clean_env=(env -i "HOME=$work/home" "PATH=/usr/bin:/bin" "LANG=C")
mkdir -p "$work/home"
printed="$("${clean_env[@]}" "$binary" --version)" || fail "--version failed without the toolchain"
if [ -n "$expect" ]; then
    case "$printed" in
        "$expect (commit "*) ;;
        *) fail "--version printed '$printed', not version $expect with its commit" ;;
    esac
fi
cp "$root/examples/example-input.csv" "$work/users.csv"
(cd "$work" && "${clean_env[@]}" "$binary" --csv users.csv --dry-run >"$work/dry-run.out" 2>&1) ||
    fail "--dry-run failed without the toolchain: $(tail -5 "$work/dry-run.out")"
echo "check-archive.sh: $(basename "$archive"): $printed; --dry-run passed without the toolchain" >&2
