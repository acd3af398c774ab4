// swift-tools-version:6.2
import PackageDescription

#if canImport(Glibc)
    import Glibc
#endif

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// How a Linux release build of the command is linked, for a smaller binary that keeps fewer pages resident
/// (benchmarks/README.md, "The binary's own pages").
/// - With the Swift runtime linked in, the toolchain exports every symbol of the binary: 3.6 MB of symbol tables
///   the loader reads at start-up. Nothing looks the binary's own symbols up by name, so they stay inside.
/// - Its 95,000 relative relocations take 2.2 MB as RELA entries and 20 KB packed (RELR), which the lld linker
///   writes. glibc's loader reads packed relocations from 2.36 on, so they are packed only where the build
///   machine's glibc is that new; the binary then asks for glibc 2.36 by name when it starts.
let releaseLinkerSettings: [LinkerSetting] = {
    var flags = ["-Xlinker", "--no-export-dynamic"]
    #if canImport(Glibc)
        // A build for a Swift SDK (`SWIFT_SDK` of scripts/release.sh: the Static Linux SDK) links no glibc, with
        // the SDK's own linker.
        let forSDK = !(Context.environment["SWIFT_SDK"] ?? "").isEmpty
        if !forSDK, let glibc = glibcVersion(), glibc >= (2, 36) {
            flags += ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"]
        }
    #endif
    return [.unsafeFlags(flags, .when(platforms: [.linux], configuration: .release))]
}()

#if canImport(Glibc)
    /// The build machine's glibc version as major and minor: "glibc 2.36" gives (2, 36).
    func glibcVersion() -> (Int, Int)? {
        var text = [CChar](repeating: 0, count: 64)
        guard confstr(Int32(_CS_GNU_LIBC_VERSION), &text, text.count) > 0 else { return nil }
        let name = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let numbers = name.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    }
#endif

let package = Package(
    name: "workos-import",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "workos-import", targets: ["workos-import"]),
        .library(name: "ImportCore", targets: ["ImportCore"]),
        .library(name: "WorkOSClient", targets: ["WorkOSClient"]),
        .library(name: "WorkOSEmulator", targets: ["WorkOSEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // No traits: the default ones bring in swift-configuration and full Foundation, whose ICU data alone
        // is 34 MB of the binary; the emulator needs neither.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "WorkOSClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The on-disk sorted record file depends on nothing of ImportCore: a target of its own, `package` access.
        .target(
            name: "SortedRecordFile",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ImportCore",
            dependencies: [
                "SortedRecordFile",
                "WorkOSClient",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WorkOSEmulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "workos-import",
            dependencies: [
                "ImportCore",
                "WorkOSClient",
                "WorkOSEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings
        ),
        .target(
            name: "ImportCoreTestSupport",
            dependencies: ["ImportCore", "WorkOSClient"],
            path: "Tests/ImportCoreTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ImportCoreTests",
            dependencies: ["ImportCore", "ImportCoreTestSupport", "SortedRecordFile", "WorkOSClient"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkOSClientTests",
            dependencies: ["WorkOSClient", "WorkOSEmulator"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkOSEmulatorTests",
            dependencies: [
                "WorkOSEmulator", "ImportCoreTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "workos-import", "ImportCore", "ImportCoreTestSupport", "WorkOSEmulator", "WorkOSClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
