import Foundation
import Testing

/// The release archive and the installer, end to end: `scripts/package.sh` packs this build's own
/// `workos-import` exactly as `scripts/release.sh` packs the release binary, a loopback HTTP server serves
/// it as a release page would, and `install.sh` installs it into a temporary prefix.
///
/// The debug binary links the Swift toolchain's libraries, so here `scripts/check-archive.sh` must refuse
/// it; the release binary's own check runs in `scripts/release.sh` before anything reaches `dist/`, and in
/// this suite when `WORKOS_IMPORT_RELEASE_ARCHIVE` names an archive it built (the Linux CI job does).
@Suite("Release archive and install.sh", .tags(.endToEnd))
struct ReleaseArchiveTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test("package.sh packs the binary, its own completions, the man page, LICENSE and README, and lists the checksum")
    func packageHoldsEverything() async throws {
        let workspace = try Workspace()
        let packed = try await Packed.make(in: workspace)
        let listing = try await Tool.run("/usr/bin/env", ["tar", "-tzf", packed.archive.path], in: workspace.url)
        #expect(listing.exitCode == 0, "\(listing.allOutput)")
        let top = "workos-import-\(Packed.version)-\(Packed.os)-\(Packed.arch)/"
        for entry in [
            "bin/workos-import", "share/bash-completion/completions/workos-import",
            "share/zsh/site-functions/_workos-import", "share/fish/vendor_completions.d/workos-import.fish",
            "share/man/man1/workos-import.1", "LICENSE", "README.md",
        ] {
            #expect(listing.stdout.split(separator: "\n").contains(Substring(top + entry)), "\(entry) missing")
        }
        let sums = try String(contentsOf: packed.dist.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        let hashed = try await Tool.run(
            "/usr/bin/env", ["sha256sum", packed.archive.lastPathComponent], in: packed.dist)
        #expect(sums == hashed.stdout, "SHA256SUMS must hold the archive's own hash")
    }

    @Test("install.sh installs from a release server into a prefix; the installed binary and its completions work")
    func installFromServer() async throws {
        let workspace = try Workspace()
        let packed = try await Packed.make(in: workspace)
        let prefix = workspace.url.appendingPathComponent("prefix")
        let installed = try await FileServer.scoped(serving: packed.dist) { server in
            try await Tool.run(
                "/bin/sh", [Self.repositoryRoot.appendingPathComponent("install.sh").path, "--prefix", prefix.path],
                in: workspace.url, environment: ["WORKOS_IMPORT_BASE_URL": server.baseURL, "PATH": "/usr/bin:/bin"])
        }
        #expect(installed.exitCode == 0, "\(installed.allOutput)")
        #expect(installed.stdout.contains("Installed workos-import dev to \(prefix.path)/bin/workos-import"))
        #expect(installed.stdout.contains("export PATH=\"\(prefix.path)/bin:$PATH\""), "says what to add to PATH")

        let binary = prefix.appendingPathComponent("bin/workos-import").path
        #expect(
            FileManager.default.contents(atPath: binary) == FileManager.default.contents(atPath: packed.binary.path))
        let bash = try String(
            contentsOfFile: prefix.appendingPathComponent("share/bash-completion/completions/workos-import").path,
            encoding: .utf8)
        #expect(bash.contains("--dry-run") && bash.contains("verify"), "the completion knows the flags and commands")
        for file in [
            "share/man/man1/workos-import.1", "share/zsh/site-functions/_workos-import",
            "share/fish/vendor_completions.d/workos-import.fish",
        ] {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(file).path), "\(file)")
        }

        let version = try await Tool.run(binary, ["--version"], in: workspace.url)
        #expect(version.exitCode == 0 && version.stdout == "dev\n", "\(version.allOutput)")
        let example = Self.repositoryRoot.appendingPathComponent("examples/example-input.csv").path
        let dryRun = try await Tool.run(binary, ["--csv", example, "--dry-run"], in: workspace.url)
        #expect(dryRun.exitCode == 0, "\(dryRun.allOutput)")
    }

    @Test("install.sh refuses an archive whose checksum does not match, and installs nothing")
    func tamperedArchiveRefused() async throws {
        let workspace = try Workspace()
        let packed = try await Packed.make(in: workspace)
        // One byte changed in the middle of the archive, after SHA256SUMS was written.
        var bytes = try Data(contentsOf: packed.archive)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: packed.archive)
        let prefix = workspace.url.appendingPathComponent("prefix")
        let refused = try await FileServer.scoped(serving: packed.dist) { server in
            try await Tool.run(
                "/bin/sh", [Self.repositoryRoot.appendingPathComponent("install.sh").path, "--prefix", prefix.path],
                in: workspace.url, environment: ["WORKOS_IMPORT_BASE_URL": server.baseURL])
        }
        #expect(refused.exitCode == 1, "\(refused.allOutput)")
        #expect(refused.stderr.contains("checksum mismatch for \(packed.archive.lastPathComponent)"))
        #expect(refused.stderr.contains("Nothing was installed"))
        #expect(!FileManager.default.fileExists(atPath: prefix.path), "nothing may be written into the prefix")
    }

    @Test("install.sh says plainly when the release has no archive for this system")
    func noArchiveForThisSystem() async throws {
        let workspace = try Workspace()
        let dist = workspace.url.appendingPathComponent("dist")
        try FileManager.default.createDirectory(at: dist, withIntermediateDirectories: true)
        try Data((String(repeating: "0", count: 64) + "  workos-import-1.0.0-plan9-mips.tar.gz\n").utf8)
            .write(to: dist.appendingPathComponent("SHA256SUMS"))
        let prefix = workspace.url.appendingPathComponent("prefix")
        let refused = try await FileServer.scoped(serving: dist) { server in
            try await Tool.run(
                "/bin/sh", [Self.repositoryRoot.appendingPathComponent("install.sh").path, "--prefix", prefix.path],
                in: workspace.url, environment: ["WORKOS_IMPORT_BASE_URL": server.baseURL])
        }
        #expect(refused.exitCode == 1, "\(refused.allOutput)")
        #expect(refused.stderr.contains("has no archive for \(Packed.os)-\(Packed.installerArch)"))
        #expect(!FileManager.default.fileExists(atPath: prefix.path))
    }

    @Test("check-archive.sh refuses a binary that needs the Swift toolchain's libraries")
    func checkRefusesToolchainLibraries() async throws {
        let workspace = try Workspace()
        let packed = try await Packed.make(in: workspace)
        let checked = try await Tool.run(
            Self.repositoryRoot.appendingPathComponent("scripts/check-archive.sh").path, [packed.archive.path],
            in: workspace.url)
        #expect(checked.exitCode == 1, "\(checked.allOutput)")
        #expect(checked.stderr.contains("links libraries a machine without Swift lacks"))
        #expect(checked.stderr.contains("libswiftCore"))
    }

    @Test(
        "a release archive links only system libraries and runs --version and --dry-run without the toolchain",
        .enabled(if: ProcessInfo.processInfo.environment["WORKOS_IMPORT_RELEASE_ARCHIVE"] != nil))
    func releaseArchiveStandsAlone() async throws {
        let workspace = try Workspace()
        let archive = ProcessInfo.processInfo.environment["WORKOS_IMPORT_RELEASE_ARCHIVE"] ?? ""
        let checked = try await Tool.run(
            Self.repositoryRoot.appendingPathComponent("scripts/check-archive.sh").path, [archive], in: workspace.url)
        #expect(checked.exitCode == 0, "\(checked.allOutput)")
        #expect(checked.stderr.contains("--dry-run passed without the toolchain"))
    }
}

/// This build's `workos-import`, packed by `scripts/package.sh` into a `dist` folder of the workspace.
private struct Packed {
    /// The version the archive is named with; the binary itself, a build from source, says `dev`.
    static let version = "0.0.0-test"
    #if os(Linux)
        static let os = "linux"
    #else
        static let os = "macos"
    #endif
    /// `uname -m`, as package.sh names the archive by default.
    static let arch: String = {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()
    /// The processor name install.sh looks for.
    static var installerArch: String {
        os == "macos" ? "universal" : (arch == "arm64" ? "aarch64" : arch)
    }

    let dist: URL
    let archive: URL
    /// The binary that was packed: a stripped copy of the one the tests run, so packing takes seconds.
    let binary: URL

    static func make(in workspace: borrowing Workspace) async throws -> Packed {
        let binary = workspace.url.appendingPathComponent("workos-import")
        try FileManager.default.copyItem(at: CommandRunner.executable, to: binary)
        let stripped = try await Tool.run("/usr/bin/env", ["strip", binary.path], in: workspace.url)
        try #require(stripped.exitCode == 0, "\(stripped.allOutput)")
        let man = workspace.url.appendingPathComponent("man")
        try FileManager.default.createDirectory(at: man, withIntermediateDirectories: true)
        // The release's page comes from the generate-manual tool, which needs a build of its own.
        try Data(".TH WORKOS-IMPORT 1\n.SH NAME\nworkos-import\n".utf8).write(
            to: man.appendingPathComponent("workos-import.1"))
        let dist = workspace.url.appendingPathComponent("dist")
        let packed = try await Tool.run(
            ReleaseArchiveTests.repositoryRoot.appendingPathComponent("scripts/package.sh").path,
            [
                "--binary", binary.path, "--version", version, "--man-dir", man.path, "--dist", dist.path,
                "--os", os, "--arch", installerArch,
            ], in: workspace.url)
        try #require(packed.exitCode == 0, "\(packed.allOutput)")
        let archive = URL(fileURLWithPath: packed.stdout.trimmingCharacters(in: .newlines))
        try #require(archive.lastPathComponent == "workos-import-\(version)-\(os)-\(installerArch).tar.gz")
        return Packed(dist: dist, archive: archive, binary: binary)
    }
}

/// Runs a program that is not `workos-import` (a script, `tar`, the installed binary), bounded like
/// ``RunningCommand/wait(timeout:)``.
private enum Tool {
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> CommandResult {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "WORKOS_SECRET_KEY")
        for (name, value) in environment { env[name] = value }
        return try await RunningCommand.start(executable, arguments, in: directory, environment: env)
            .wait(timeout: timeout)
    }
}
