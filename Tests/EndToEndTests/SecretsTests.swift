import Foundation
import ImportCore
import Testing
import WorkOSEmulator

/// Secrets never leave the process: the API key, however it was pasted, and every value that feeds one of our
/// secret columns, whatever the file calls its column. Each test runs the real commands and reads every
/// output and every file they wrote.
@Suite("Secrets stay secret", .tags(.endToEnd))
struct SecretsTests {
    /// The text of every file in the workspace but the ones named, plus both streams of every result.
    static func everything(
        in workspace: borrowing Workspace, results: [CommandResult], except: Set<String> = []
    ) throws -> String {
        var text = results.map(\.allOutput).joined(separator: "\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path)
        for name in names where !except.contains(name) {
            // Decoded leniently: a journal's bytes are not all text, and a secret in it must still be found.
            let data = try Data(contentsOf: workspace.url.appendingPathComponent(name))
            text += "\n" + String(decoding: data, as: UTF8.self)
        }
        return text
    }

    @Test(
        "a key with a line break, space or tab around it is the same key: every command works and prints none of it",
        arguments: ["\r", "\n", "\r\n", " ", "\t"])
    func keyWithSurroundingWhitespace(around: String) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            let environment = ["WORKOS_SECRET_KEY": around + emulator.apiKey + around]
            var results: [CommandResult] = []
            for (arguments, expected) in [
                (["--csv", "users.csv", "--errors-out", "errors.jsonl", "--json"], Int32(0)),
                (["plan", "--csv", "users.csv", "--out", "plan.csv", "--json"], 0),
                (["verify", "--csv", "users.csv", "--out", "drift.csv", "--json"], 0),
                (["undo", "--journal", "users.csv.journal", "--yes", "--json"], 0),
            ] {
                let result = try await emulator.run(arguments, in: workspace, extraEnvironment: environment)
                #expect(result.exitCode == expected, "\(arguments): \(result.allOutput)")
                results.append(result)
            }
            #expect(emulator.emulator.snapshot().users.isEmpty, "undo took the import back")
            let seen = try Self.everything(in: workspace, results: results)
            #expect(!seen.contains(emulator.apiKey), "the key was printed or written")
        }
    }

    @Test(
        "a key with a space, tab, line break or control character inside it is refused by every command, unprinted",
        arguments: ["\u{01}", " ", "\t", "\r", "\n", "\u{7F}", "é"])
    func keyWithCharacterInside(inside: String) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            // A journal to undo, written with the right key.
            let imported = try await emulator.run(["--csv", "users.csv", "--quiet"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            let before = Self.requests(emulator)
            let (head, tail) = ("sk_test_head\(UUID().uuidString.prefix(8))", "tail\(UUID().uuidString.prefix(8))xyz")
            let environment = ["WORKOS_SECRET_KEY": head + inside + tail]
            var results: [CommandResult] = []
            for arguments in [
                ["--csv", "users.csv", "--restart"], ["--csv", "users.csv", "--restart", "--json"],
                ["plan", "--csv", "users.csv"], ["verify", "--csv", "users.csv", "--json"],
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"],
            ] {
                let result = try await emulator.run(arguments, in: workspace, extraEnvironment: environment)
                #expect(result.exitCode == 2, "\(arguments): \(result.allOutput)")
                #expect(result.stderr.contains("WORKOS_SECRET_KEY in the environment has"), "\(result.stderr)")
                #expect(result.stderr.contains("inside it"), "\(result.stderr)")
                if arguments.contains("--json") {
                    #expect(result.stdout.contains(#""exitCode":2"#), "\(result.stdout)")
                }
                results.append(result)
            }
            #expect(Self.requests(emulator) == before, "a request went out with the unusable key")
            let seen = try Self.everything(in: workspace, results: results, except: ["users.csv"])
            #expect(!seen.contains(head), "the key's start was printed or written")
            #expect(!seen.contains(tail), "the key's end was printed or written")
        }
    }

    @Test("a key in .env with a tab inside it is refused naming the file, not the key")
    func dotEnvKeyWithTab() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(1))
        try workspace.write(".env", "WORKOS_SECRET_KEY=\"sk_test_dotenvhead\tdotenvtail\"\n")
        let result = try await CommandRunner.run(
            ["--csv", "users.csv", "--base-url", "http://127.0.0.1:9"], in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains("WORKOS_SECRET_KEY in .env has a tab inside it"), "\(result.stderr)")
        #expect(!result.allOutput.contains("dotenvhead") && !result.allOutput.contains("dotenvtail"))
    }

    /// Every request the emulator answered, by route.
    static func requests(_ emulator: EmulatorFixture) -> Int {
        emulator.emulator.snapshot().counters.requests.values.reduce(0) { $0 + $1.values.reduce(0, +) }
    }

    /// A value of each of our secret columns, under a header that says nothing of secrets.
    static let secretColumns: [ImportColumn: (header: String, values: [String])] = [
        .password: ("pw", ["Correct-Horse-Battery-1", "Correct-Horse-Battery-2", "Correct-Horse-Battery-3"]),
        .passwordHash: (
            "digest",
            [1, 2, 3].map { (row: Int) -> String in
                let body = String(String(repeating: "N9qo8uLOickgx2ZMRZoMye", count: 3).prefix(52))
                return "$2b$10$" + body + String(row)
            }
        ),
        .totpSecret: (
            "seed",
            [
                "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA", "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
                "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
            ]
        ),
    ]

    @Test("a column that feeds one of our secret columns through --map is masked everywhere, whatever its header")
    func mappedSecretColumns() async throws {
        // Every secret column of ours is in the table, so a new one cannot be left out of this test.
        #expect(Set(RowValidator.secretImportColumns) == Set(Self.secretColumns.keys))
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.seed = EmulatorSeed(users: [EmulatorSeed.User(email: "taken@example.com", firstName: "Taken")])
            }
        ) { emulator in
            let workspace = try Workspace()
            let columns = RowValidator.secretImportColumns
            let headers = columns.map { Self.secretColumns[$0]?.header ?? "" }
            var text = (["email", "password_hash_type", "email_verified"] + headers).joined(separator: ",") + "\n"
            // Row 1 fails the row rules, row 2 a rule too, row 3 at WorkOS (the email is taken, --if-exists fail).
            for (row, (email, verified)) in [
                ("not-an-address", ""), ("bad@example.com", "maybe"), ("taken@example.com", ""),
            ]
            .enumerated() {
                let secrets = columns.map { Self.secretColumns[$0]?.values[row] ?? "" }
                text += ([email, "bcrypt", verified] + secrets).joined(separator: ",") + "\n"
            }
            try workspace.write("users.csv", text)
            let maps = zip(columns, headers).flatMap { ["--map", "\($0.rawValue)=\($1)"] }
            let common = ["--csv", "users.csv", "--if-exists", "fail"] + maps
            var results: [CommandResult] = []
            for arguments in [
                common + ["--dry-run", "--errors-out", "dry.csv"],
                common + ["--errors-out", "errors.csv", "--rejects", "rejects.csv"],
                common + ["--errors-out", "errors.jsonl", "--restart", "--json"],
                common + ["--errors-out", "errors.json", "--restart", "--journal", "other.journal"],
                ["plan"] + common + ["--out", "plan.csv", "--json"],
                ["verify"] + common + ["--out", "drift.csv"],
            ] {
                let result = try await emulator.run(arguments, in: workspace)
                #expect(result.exitCode == 1, "\(arguments): \(result.allOutput)")
                results.append(result)
            }
            for name in ["dry.csv", "errors.csv", "errors.jsonl", "errors.json"] {
                #expect(try workspace.read(name).contains("[redacted]"), "\(name) masked nothing")
            }
            // The rejects file is the input's own bytes, to fix and import again (README), created 0600; every
            // other output must hold no secret.
            #expect(try workspace.permissions("rejects.csv") == 0o600)
            let seen = try Self.everything(in: workspace, results: results, except: ["users.csv", "rejects.csv"])
            for column in columns {
                for value in Self.secretColumns[column]?.values ?? [] {
                    #expect(!seen.contains(value), "a \(column.rawValue) value read through --map was written out")
                }
            }
        }
    }
}
