#!/usr/bin/env bash
# Prepares the files of one GitHub release in DIR, after the archives of every platform were gathered there:
# SHA256SUMS over all of them, and DIR/install.sh, a copy of install.sh that downloads from REPOSITORY's
# releases (the committed one has no repository of its own and needs WORKOS_IMPORT_BASE_URL).
#
# Usage: scripts/release-assets.sh DIR OWNER/REPOSITORY
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: scripts/release-assets.sh DIR OWNER/REPOSITORY}"
repository="${2:?usage: scripts/release-assets.sh DIR OWNER/REPOSITORY}"
[[ "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || { echo "release-assets.sh: '$repository' is not OWNER/REPOSITORY" >&2; exit 2; }
"$root/scripts/checksums.sh" "$dir"
sed "s|^repository=\"@REPOSITORY@\"|repository=\"$repository\"|" "$root/install.sh" >"$dir/install.sh"
grep -q "^repository=\"$repository\"" "$dir/install.sh" || { echo "release-assets.sh: could not name the repository in install.sh" >&2; exit 1; }
chmod 0755 "$dir/install.sh"
