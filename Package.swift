// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

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
            swiftSettings: swiftSettings
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
