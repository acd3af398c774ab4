#!/usr/bin/env bash
# Installs the Static Linux SDK that matches the Swift toolchain on PATH, for fully static Linux binaries
# (`SWIFT_SDK=x86_64-swift-linux-musl scripts/release.sh VERSION`). Does nothing when one is installed.
#
# The SDK's SHA-256 comes from STATIC_SDK_CHECKSUM or, when unset, from the checksum swift.org publishes for
# that release in its install API; `swift sdk install` refuses a download that does not match it.
# STATIC_SDK_BUNDLE overrides the bundle's file name (swift-VERSION-RELEASE_static-linux-0.1.0 since 6.3).
set -euo pipefail
if swift sdk list 2>/dev/null | grep -q static-linux; then
    echo "install-static-sdk.sh: a Static Linux SDK is installed already: $(swift sdk list | grep static-linux)"
    exit 0
fi
version="$(swift --version 2>&1 | sed -n 's/.*Swift version \([0-9][0-9.]*\).*/\1/p' | head -1)"
[ -n "$version" ] || { echo "install-static-sdk.sh: could not read the Swift version from swift --version" >&2; exit 1; }
bundle="${STATIC_SDK_BUNDLE:-swift-$version-RELEASE_static-linux-0.1.0.artifactbundle.tar.gz}"
url="https://download.swift.org/swift-$version-release/static-sdk/swift-$version-RELEASE/$bundle"
checksum="${STATIC_SDK_CHECKSUM:-}"
if [ -z "$checksum" ]; then
    command -v python3 >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q python3; }
    checksum="$(curl -fsSL https://www.swift.org/api/v1/install/releases.json | python3 -c '
import json, sys
version = sys.argv[1]
for release in json.load(sys.stdin):
    if release.get("name") == version:
        for platform in release.get("platforms", []):
            if platform.get("platform") == "static-sdk":
                print(platform["checksum"])
' "$version")"
fi
[ -n "$checksum" ] || { echo "install-static-sdk.sh: swift.org lists no Static SDK checksum for Swift $version; set STATIC_SDK_CHECKSUM" >&2; exit 1; }
swift sdk install "$url" --checksum "$checksum"
