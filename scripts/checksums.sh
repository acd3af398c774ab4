#!/usr/bin/env bash
# Writes DIR/SHA256SUMS: one `HASH  NAME` line per release archive in DIR, in the format `sha256sum -c`
# and install.sh read. Run again after adding an archive (the release workflow runs it over the archives
# of every platform).
#
# Usage: scripts/checksums.sh DIR
set -euo pipefail
dir="${1:?usage: scripts/checksums.sh DIR}"
cd "$dir"
if command -v sha256sum >/dev/null 2>&1; then
    hash() { sha256sum "$@"; }
else
    hash() { shasum -a 256 "$@"; }
fi
shopt -s nullglob
archives=(workos-import-*.tar.gz)
[ ${#archives[@]} -gt 0 ] || { echo "checksums.sh: no workos-import-*.tar.gz in $dir" >&2; exit 2; }
hash "${archives[@]}" >SHA256SUMS.tmp
mv SHA256SUMS.tmp SHA256SUMS
