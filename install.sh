#!/bin/sh
# Installs workos-import, a prebuilt binary that needs no Swift toolchain:
#
#   curl -fsSL https://github.com/OWNER/REPO/releases/latest/download/install.sh | sh
#   sh install.sh [--prefix DIR] [--version VERSION]
#
# It picks the archive for this system and processor from the release's SHA256SUMS, downloads it, refuses it
# unless its SHA-256 matches, and installs the binary to PREFIX/bin (default ~/.local/bin), the man page to
# PREFIX/share/man/man1 and the bash, zsh and fish completions under PREFIX/share. Nothing is written before
# the checksum has matched and the binary has run.
#
# WORKOS_IMPORT_BASE_URL overrides where the archives and SHA256SUMS are fetched from (a mirror, or a test's
# local server): the folder URL that holds both.
set -eu

# The release workflow writes the repository here in the copy it attaches to each release.
repository="@REPOSITORY@"
prefix="${HOME:-}/.local"
version=""

say() { printf '%s\n' "$*"; }
die() {
    printf 'install.sh: %s\n' "$*" >&2
    exit 1
}
usage() {
    say "Usage: install.sh [--prefix DIR] [--version VERSION]"
    say "Installs workos-import to DIR/bin (default ~/.local/bin), its man page and shell completions under DIR/share."
    say "WORKOS_IMPORT_BASE_URL: fetch the archive and SHA256SUMS from this URL instead of the project's releases."
}

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix)
            [ $# -ge 2 ] || die "--prefix needs a folder, like --prefix /usr/local"
            prefix="$2"
            shift 2
            ;;
        --prefix=*)
            prefix="${1#--prefix=}"
            shift
            ;;
        --version)
            [ $# -ge 2 ] || die "--version needs a version, like --version 1.2.0"
            version="${2#v}"
            shift 2
            ;;
        --version=*)
            version="${1#--version=}"
            version="${version#v}"
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *) die "unknown argument '$1' (install.sh --help lists the arguments)" ;;
    esac
done
[ -n "$prefix" ] || die "HOME is not set; give the folder to install into with --prefix"

case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    *) die "no prebuilt workos-import for $(uname -s); build it from source with Swift (swift build -c release)" ;;
esac
case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no prebuilt workos-import for the $(uname -m) processor; build it from source with Swift" ;;
esac
# One universal binary serves both Mac processors.
[ "$os" = macos ] && arch=universal

base_url="${WORKOS_IMPORT_BASE_URL:-}"
if [ -z "$base_url" ]; then
    case "$repository" in
        @*) die "this copy of install.sh names no release repository; set WORKOS_IMPORT_BASE_URL to the folder URL that holds the archives and SHA256SUMS" ;;
    esac
    if [ -n "$version" ]; then
        base_url="https://github.com/$repository/releases/download/v$version"
    else
        base_url="https://github.com/$repository/releases/latest/download"
    fi
fi
base_url="${base_url%/}"

if command -v curl >/dev/null 2>&1; then
    fetch() { curl -fsSL --retry 3 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
    fetch() { wget -q -O "$2" "$1"; }
else
    die "neither curl nor wget is installed; install one of them and run install.sh again"
fi
if command -v sha256sum >/dev/null 2>&1; then
    sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
    sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
    die "neither sha256sum nor shasum is installed, so the download cannot be verified"
fi

work="$(mktemp -d 2>/dev/null || mktemp -d -t workos-import)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

fetch "$base_url/SHA256SUMS" "$work/SHA256SUMS" || die "could not download $base_url/SHA256SUMS"
pattern="workos-import-${version:-[^ ]*}-$os-$arch\\.tar\\.gz\$"
matches="$(grep -E "^[0-9a-f]{64} [ *]$pattern" "$work/SHA256SUMS" || true)"
[ -n "$matches" ] || die "the release at $base_url has no archive for $os-$arch${version:+ at version $version}"
[ "$(printf '%s\n' "$matches" | wc -l | tr -d ' ')" = 1 ] ||
    die "SHA256SUMS at $base_url lists several archives for $os-$arch; choose one with --version"
expected="$(printf '%s\n' "$matches" | cut -d ' ' -f 1)"
name="$(printf '%s\n' "$matches" | sed -E 's/^[0-9a-f]{64} [ *]//')"

say "Downloading $name ..."
fetch "$base_url/$name" "$work/$name" || die "could not download $base_url/$name"
actual="$(sha256 "$work/$name")"
[ "$actual" = "$expected" ] ||
    die "checksum mismatch for $name: SHA256SUMS says $expected, the download is $actual. Nothing was installed; try again, or report it if it happens again."

mkdir "$work/unpacked"
tar -xzf "$work/$name" -C "$work/unpacked" || die "could not unpack $name; nothing was installed"
top="$work/unpacked/${name%.tar.gz}"
[ -f "$top/bin/workos-import" ] || die "$name holds no bin/workos-import; nothing was installed"
installed_version="$("$top/bin/workos-import" --version 2>/dev/null)" ||
    die "the downloaded workos-import does not run on this system; nothing was installed"

# Each file is copied next to its place and then renamed over it, so a running workos-import is never
# overwritten mid-read.
place() {
    mkdir -p "$(dirname "$2")" || die "could not create $(dirname "$2")"
    if ! { cp "$1" "$2.new" && chmod "$3" "$2.new" && mv -f "$2.new" "$2"; }; then
        die "could not write $2"
    fi
}
place "$top/bin/workos-import" "$prefix/bin/workos-import" 755
for page in "$top"/share/man/man1/*.1; do
    [ -f "$page" ] && place "$page" "$prefix/share/man/man1/$(basename "$page")" 644
done
place "$top/share/bash-completion/completions/workos-import" \
    "$prefix/share/bash-completion/completions/workos-import" 644
place "$top/share/zsh/site-functions/_workos-import" "$prefix/share/zsh/site-functions/_workos-import" 644
place "$top/share/fish/vendor_completions.d/workos-import.fish" \
    "$prefix/share/fish/vendor_completions.d/workos-import.fish" 644

say "Installed workos-import $installed_version to $prefix/bin/workos-import"
say "  man page:    $prefix/share/man/man1 (man workos-import)"
say "  completions: bash, zsh and fish under $prefix/share"
case ":${PATH:-}:" in
    *":$prefix/bin:"*) ;;
    *)
        say ""
        say "$prefix/bin is not on your PATH. Add this line to ~/.profile (bash) or ~/.zshrc (zsh), then open a new shell:"
        say "  export PATH=\"$prefix/bin:\$PATH\""
        ;;
esac
case "$prefix" in
    /usr | /usr/local) ;;
    *)
        say "For zsh completion, add this line to ~/.zshrc before compinit:"
        say "  fpath=(\"$prefix/share/zsh/site-functions\" \$fpath)"
        ;;
esac
