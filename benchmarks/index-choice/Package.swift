// swift-tools-version:6.2
import PackageDescription

// A measurement kept next to the code it informed: the on-disk survey index (ImportCore's SortedRecordFile)
// against SQLite through GRDB. GRDB is a dependency of this package only, never of workos-import.
let package = Package(
    name: "index-choice",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "workos-import", path: "../.."),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "index-choice",
            dependencies: [
                .product(name: "ImportCore", package: "workos-import"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        )
    ]
)
