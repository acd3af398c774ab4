import Foundation
import ImportCore
import Testing
import WorkOSEmulator

/// Every command that talks to WorkOS says where it writes first: one stderr line with the address, the
/// environment the key names, where the key came from and a short fingerprint, and the same facts as
/// `target` in `--json`. The key itself appears nowhere.
@Suite("The target, first", .tags(.endToEnd))
struct TargetLineTests {
    /// The fingerprint the line shows: the start of the journal's.
    static func fingerprint(_ key: String) -> String {
        String(JournalEnvironment(baseURL: "", apiKey: key).keyFingerprint.dropFirst("sha256:".count).prefix(8))
    }

    static func targetObject(_ stdout: String) throws -> [String: Any] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(object["target"] as? [String: Any], "no target in \(stdout)")
    }

    @Test("import, plan, verify and undo print the target line first, and --json carries it as target")
    func everyCommandPrintsTheTargetFirst() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            let expected =
                "Target: \(emulator.emulator.baseURL), test environment (sk_test_ key), key from WORKOS_SECRET_KEY "
                + "in the environment, fingerprint \(Self.fingerprint(emulator.apiKey))."
            for arguments in [
                ["--csv", "users.csv", "--json"], ["plan", "--csv", "users.csv", "--json"],
                ["verify", "--csv", "users.csv", "--json"],
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"],
            ] {
                let result = try await emulator.run(arguments, in: workspace)
                #expect(result.exitCode == 0, "\(arguments): \(result.allOutput)")
                let firstLine = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).first
                #expect(firstLine.map(String.init) == expected, "\(arguments): \(result.stderr)")
                let target = try Self.targetObject(result.stdout)
                #expect(target["baseUrl"] as? String == emulator.emulator.baseURL, "\(arguments)")
                #expect(target["environment"] as? String == "test", "\(arguments)")
                #expect(target["keySource"] as? String == "environment", "\(arguments)")
                #expect(target["keyFile"] is NSNull, "\(arguments)")
                #expect(target["keyFingerprint"] as? String == Self.fingerprint(emulator.apiKey), "\(arguments)")
                #expect(!result.allOutput.contains(emulator.apiKey), "\(arguments) printed the key")
            }
        }
    }

    @Test("a live key from .env is named production, with the .env file's folder")
    func liveKeyFromDotEnv() async throws {
        let key = "sk_live_e2e_\(UUID().uuidString.prefix(8))"
        try await EmulatorFixture.scoped(try await EmulatorFixture.start { $0.apiKey = key }) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            try workspace.write(".env", "WORKOS_SECRET_KEY=\(key)\n")
            let result = try await CommandRunner.run(
                ["plan", "--csv", "users.csv", "--json"], in: workspace.url,
                environment: ["WORKOS_BASE_URL": emulator.emulator.baseURL])
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let firstLine = String(result.stderr.prefix { $0 != "\n" })
            #expect(
                firstLine.hasPrefix("Target: \(emulator.emulator.baseURL), production environment (sk_live_ key), "))
            #expect(firstLine.contains("key from WORKOS_SECRET_KEY in /"), "\(firstLine)")
            #expect(firstLine.contains("\(workspace.url.lastPathComponent)/.env, "), "\(firstLine)")
            #expect(firstLine.hasSuffix("fingerprint \(Self.fingerprint(key))."), "\(firstLine)")
            let target = try Self.targetObject(result.stdout)
            #expect(target["environment"] as? String == "production")
            #expect(target["keySource"] as? String == "dotenv")
            #expect((target["keyFile"] as? String)?.hasSuffix("\(workspace.url.lastPathComponent)/.env") == true)
            #expect(!result.allOutput.contains(key), "the key was printed")
        }
    }

    @Test("a key with neither prefix is an unknown environment; the built-in emulator says so")
    func unknownAndBuiltIn() async throws {
        let key = "key_e2e_\(UUID().uuidString.prefix(8))"
        try await EmulatorFixture.scoped(try await EmulatorFixture.start { $0.apiKey = key }) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            let result = try await emulator.run(["verify", "--csv", "users.csv"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            #expect(
                result.stderr.hasPrefix(
                    "Target: \(emulator.emulator.baseURL), unknown environment (the key starts with neither sk_live_ "
                        + "nor sk_test_), key from WORKOS_SECRET_KEY in the environment"), "\(result.stderr)")
            let rehearsal = try await CommandRunner.run(
                ["--csv", "users.csv", "--emulator", "--quiet"], in: workspace.url)
            #expect(rehearsal.exitCode == 0, "\(rehearsal.allOutput)")
            #expect(
                rehearsal.stderr.contains(
                    "(the built-in emulator), test environment (sk_test_ key), the "
                        + "emulator's own key, fingerprint "), "\(rehearsal.stderr)")
        }
    }

    @Test("a dry run talks to nothing and prints no target")
    func dryRunHasNoTarget() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(2))
        let result = try await CommandRunner.run(["--csv", "users.csv", "--dry-run", "--json"], in: workspace.url)
        #expect(result.exitCode == 0, "\(result.allOutput)")
        #expect(!result.stderr.contains("Target:"))
        #expect(!result.stdout.contains("\"target\""))
    }
}
