#!/usr/bin/env bash
# Builds the release archive of workos-import for this machine:
#
#   dist/workos-import-VERSION-OS-ARCH.tar.gz and dist/SHA256SUMS
#
# The binary carries the Swift runtime (--static-swift-stdlib on Linux, or a fully static binary with the
# Static Linux SDK when SWIFT_SDK names it), is stripped, and reports VERSION and the commit it was built
# from (`workos-import --version`). The man page comes from swift-argument-parser's generate-manual tool,
# the completions from the binary itself (scripts/package.sh). Before anything is written to dist/, the
# archive is checked by scripts/check-archive.sh: only system libraries linked, and the unpacked binary runs
# `--version` and a `--dry-run` with no Swift toolchain on PATH or LD_LIBRARY_PATH.
#
# Usage: scripts/release.sh VERSION          (VERSION like 1.2.0 or v1.2.0)
# Environment:
#   SWIFT_SDK=x86_64-swift-linux-musl   build fully static with an installed Static Linux SDK
#                                       (scripts/install-static-sdk.sh installs it)
#   SCRATCH=.build-release              the build folder (kept between runs, so a rebuild is incremental)
#   DIST=dist                           where the archive and SHA256SUMS go
#   BUILD_PRIORITY=19                   nice level of the build on a shared machine (0 on CI)
# A clean release build takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

version="${1:-}"
version="${version#v}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
    echo "release.sh: give the version to release, like 1.2.0 (scripts/release.sh 1.2.0)" >&2
    exit 2
fi
scratch="${SCRATCH:-.build-release}"
dist="${DIST:-dist}"
nice_level="${BUILD_PRIORITY:-19}"

commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "release.sh: the work tree has uncommitted changes; the binary will say commit $commit-dirty" >&2
    commit="$commit-dirty"
fi

case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    *) echo "release.sh: unsupported system $(uname -s)" >&2; exit 2 ;;
esac
arch="$(uname -m)"
build_flags=(-c release --scratch-path "$scratch")
if [ -n "${SWIFT_SDK:-}" ]; then
    # The Static Linux SDK links musl and the Swift runtime into one static executable.
    build_flags+=(--swift-sdk "$SWIFT_SDK")
    arch="${SWIFT_SDK%%-*}"
elif [ "$os" = linux ]; then
    build_flags+=(--static-swift-stdlib)
else
    # macOS has the Swift runtime in the system; one universal binary serves Apple silicon and Intel.
    build_flags+=(--arch arm64 --arch x86_64)
    arch=universal
fi

# The version and commit reach the binary through ReleaseStamp.swift, rewritten for this build and put back
# when this script ends, however it ends.
stamp="Sources/workos-import/ReleaseStamp.swift"
if ! git diff --quiet -- "$stamp" 2>/dev/null; then
    echo "release.sh: $stamp has changes (left by an interrupted release?); restore it with git checkout -- $stamp" >&2
    exit 2
fi
work="$(mktemp -d)"
cp "$stamp" "$work/ReleaseStamp.swift"
trap 'cp "$work/ReleaseStamp.swift" "$root/$stamp"; rm -rf "$work"' EXIT
cat >"$stamp" <<SWIFT
// Written by scripts/release.sh for the build of $version; put back when the build ends.
extension BuildInfo {
    static let version = "$version"
    static let commit: String? = "$commit"
}
SWIFT

echo "release.sh: building workos-import $version ($commit) for $os-$arch in $scratch ..." >&2
nice -n "$nice_level" swift build "${build_flags[@]}" --product workos-import
bin_dir="$(swift build "${build_flags[@]}" --show-bin-path)"

cp "$bin_dir/workos-import" "$work/workos-import"
if [ "$os" = linux ]; then
    strip --strip-all "$work/workos-import"
else
    strip -x "$work/workos-import"
fi

# The man page, from the argument parser's own description of every command and flag: swift-argument-parser's
# generate-manual, the tool its generate-manual plugin runs. The plugin itself would build the whole package
# again without --static-swift-stdlib (a second full release build, which `swift package` cannot be told to
# skip), so the script builds the tool with the same flags and runs it on the binary it just built.
echo "release.sh: generating the man page ..." >&2
nice -n "$nice_level" swift build "${build_flags[@]}" --product generate-manual
mkdir "$work/man"
"$bin_dir/generate-manual" "$work/workos-import" --output-directory "$work/man" --section 1 >&2
man_dir="$work/man"
ls "$man_dir"/workos-import.1 >/dev/null || { echo "release.sh: generate-manual wrote no workos-import.1" >&2; exit 1; }

# Package into a scratch dist first; only a checked archive reaches $dist.
staged_dist="$work/dist"
archive="$(scripts/package.sh --binary "$work/workos-import" --version "$version" --man-dir "$man_dir" \
    --dist "$staged_dist" --os "$os" --arch "$arch")"
scripts/check-archive.sh --expect-version "$version" "$archive"

mkdir -p "$dist"
cp "$archive" "$dist/"
scripts/checksums.sh "$dist"
size=$(wc -c <"$archive" | tr -d ' ')
echo "release.sh: wrote $dist/$(basename "$archive") ($((size / 1024)) KiB) and $dist/SHA256SUMS" >&2
