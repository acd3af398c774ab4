import Foundation
import Testing
import WorkOSEmulator

extension Workspace {
    /// Writes raw bytes as a file in the workspace, for encodings other than UTF-8.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The bytes of a file in the workspace.
    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }
}

/// The files people really have: Windows encodings, semicolons, `sep=` lines, spelt-out headers, rows of
/// commas, and failed rows that must come back exactly as they were.
@Suite("Importing the files people really have", .tags(.endToEnd))
struct InputFilesTests {
    /// A cp1252 export: `Müller`, `François`, `O’Brien` (0x92) and `Zoë`, between plain ASCII rows.
    static let cp1252File: [UInt8] =
        Array("email,first_name,last_name\r\nann@example.com,Ann,Lee\r\nmax@example.com,Max,M".utf8) + [0xFC]
        + Array("ller\r\nfrancois@example.com,Fran".utf8) + [0xE7] + Array("ois,O".utf8) + [0x92]
        + Array("Brien\r\nzoe@example.com,Zo".utf8) + [0xEB] + Array(",Ng\r\nbob@example.com,Bob,Ray\r\n".utf8)

    @Test("a cp1252 file is refused before any user is created, and imported whole with --encoding cp1252")
    func cp1252() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", bytes: Self.cp1252File)

            let refused = try await emulator.run(["--csv", "users.csv"], in: workspace)
            #expect(refused.exitCode == 2, "\(refused.allOutput)")
            #expect(refused.stderr.contains("is not valid UTF-8 (first at line 3)"), "\(refused.stderr)")
            #expect(refused.stderr.contains("--encoding cp1252"))
            #expect(emulator.emulator.snapshot().users.isEmpty)

            let dryRun = try await emulator.run(["--csv", "users.csv", "--dry-run"], in: workspace)
            #expect(dryRun.exitCode == 2)
            #expect(dryRun.stderr.contains("is not valid UTF-8"))

            // Read as Latin-1, the curly apostrophe (0x92) would be a control character: the command says so.
            let latin1 = try await emulator.run(
                ["--csv", "users.csv", "--dry-run", "--encoding", "latin1"], in: workspace)
            #expect(latin1.stderr.contains("use --encoding cp1252"), "\(latin1.stderr)")

            let imported = try await emulator.run(
                ["--csv", "users.csv", "--encoding", "cp1252", "--quiet"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            let users = emulator.emulator.snapshot().users
            #expect(users.count == 5)
            let names = Dictionary(
                uniqueKeysWithValues: users.map { ($0.email, "\($0.firstName ?? "") \($0.lastName ?? "")") })
            #expect(names["max@example.com"] == "Max Müller")
            #expect(names["francois@example.com"] == "François O’Brien")
            #expect(names["zoe@example.com"] == "Zoë Ng")
        }
    }

    @Test("Latin-1 is read with --encoding latin1, in a dry run too")
    func latin1DryRun() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", bytes: Array("email,first_name\nrene@example.com,Ren".utf8) + [0xE9, 0x0A])
        let result = try await CommandRunner.run(
            ["--csv", "users.csv", "--dry-run", "--encoding", "latin1", "--json"], in: workspace.url)
        #expect(result.exitCode == 0, "\(result.allOutput)")
        #expect(result.stdout.contains("\"usersToCreate\":1"))
        #expect(!result.stderr.contains("note:"))
    }

    @Test("a semicolon file is detected, said so on stderr, and imported; --delimiter ';' needs no note")
    func semicolons() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv", "email;first_name;last_name\nann@example.com;Ann;\"Lee; Jr\"\nbob@example.com;Bob;Ray\n")
            let result = try await emulator.run(["--csv", "users.csv", "--quiet"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(result.stderr.contains("separated by ';'"), "\(result.stderr)")
            #expect(result.stderr.contains("--delimiter ';'"))
            let ann = try #require(emulator.emulator.snapshot().users.first { $0.email == "ann@example.com" })
            #expect(ann.lastName == "Lee; Jr")

            try workspace.write("tabs.csv", "email\tfirst_name\ncy@example.com\tCy\n")
            let tabs = try await emulator.run(["--csv", "tabs.csv", "--delimiter", "\\t", "--quiet"], in: workspace)
            #expect(tabs.exitCode == 0, "\(tabs.allOutput)")
            #expect(!tabs.stderr.contains("note:"))
            #expect(emulator.emulator.snapshot().users.first { $0.email == "cy@example.com" }?.firstName == "Cy")
        }
    }

    @Test("an Excel sep=; line is honoured, skipped, and still counted in line numbers")
    func separatorLine() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", "sep=;\r\nemail;first_name\r\nann@example.com;Ann\r\nnot-an-email;X\r\n")
            let result = try await emulator.run(
                ["--csv", "users.csv", "--json", "--errors-out", "e.jsonl"], in: workspace)
            #expect(result.exitCode == 1)
            #expect(try workspace.read("e.jsonl").contains("\"line\":4"))
            #expect(!result.stderr.contains("note:"))
            #expect(result.stdout.contains("\"total\":2"))
            #expect(emulator.emulator.snapshot().users.map(\.email) == ["ann@example.com"])
        }
    }

    @Test("rows of only commas are skipped like blank lines: not records, not failures")
    func commaOnlyRows() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                "email,first_name,last_name\n,,\nann@example.com,Ann,Lee\n,,\n , ,\nbob@example.com,Bob,Ray\n,,\n")
            let result = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(result.stdout.contains("\"failed\":0"))
            #expect(result.stdout.contains("\"total\":2"))
        }
    }

    @Test("\"First Name\" and \"Last Name\" are read; an ignored column is a warning named in the summary")
    func spelledOutHeaders() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                "E-mail,First Name,Last Name,Phone\nann@example.com,Ann,Lee,555\nbob@example.com,Bob,Ray,556\n"
            )
            let boxed = try await emulator.run(["--csv", "users.csv", "--quiet"], in: workspace)
            #expect(boxed.exitCode == 0, "\(boxed.allOutput)")
            #expect(boxed.stdout.contains("Warnings             1"), "\(boxed.stdout)")
            #expect(boxed.stdout.contains("Ignored columns      Phone"))
            let ann = try #require(emulator.emulator.snapshot().users.first { $0.email == "ann@example.com" })
            #expect(ann.firstName == "Ann")
            #expect(ann.lastName == "Lee")

            let json = try await emulator.run(["--csv", "users.csv", "--json", "--restart"], in: workspace)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["ignoredColumns"] as? [String] == ["Phone"])
            #expect(object["warnings"] as? Int == 1)
            let dryRun = try await emulator.run(["--csv", "users.csv", "--json", "--dry-run"], in: workspace)
            #expect(dryRun.stdout.contains("\"ignoredColumns\":[\"Phone\"]"))
        }
    }

    @Test("failed records are copied byte for byte into the rejects file, which imports once fixed")
    func rejectsByteForByte() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            let header = "email,first_name,last_name,password\r\n"
            let malformed = "x@example.com,\"Ed\"x,L,\r\n"
            let invalid = "no-at-sign,  Spaced ,\"Quoted, Name\",Sup3r-Secret-Pw!\r\n"
            let last = "bad@@example.com,Zed,Last,"  // no line ending at the end of the file
            try workspace.write("users.csv", header + "ok@example.com,Ok,Fine,\r\n" + malformed + invalid + last)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--rejects", "fix-me.csv", "--errors-out", "errors.csv", "--quiet"],
                in: workspace)
            #expect(result.exitCode == 1)
            #expect(try workspace.read("fix-me.csv") == header + malformed + invalid + last + "\r\n")
            #expect(try workspace.permissions("fix-me.csv") == 0o600)

            // Fix the rows in the rejects file and feed it back.
            let fixed = try workspace.read("fix-me.csv").replacingOccurrences(of: "\"Ed\"x", with: "\"Ed x\"")
                .replacingOccurrences(of: "no-at-sign", with: "spaced@example.com")
                .replacingOccurrences(of: "bad@@", with: "bad@")
            try workspace.write("fix-me.csv", fixed)
            let again = try await emulator.run(["--csv", "fix-me.csv", "--quiet"], in: workspace)
            #expect(again.exitCode == 0, "\(again.allOutput)")
            let users = emulator.emulator.snapshot().users
            #expect(users.count == 4)
            #expect(users.first { $0.email == "x@example.com" }?.firstName == "Ed x")
            #expect(users.first { $0.email == "spaced@example.com" }?.lastName == "Quoted, Name")
            #expect(users.contains { $0.email == "bad@example.com" })
        }
    }

    @Test(
        "secrets in columns the importer ignores never reach the error file, in any format",
        arguments: ["errors.csv", "errors.ndjson", "errors.json"])
    func secretColumns(errorFile: String) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                "email,Password_Confirm,totp_secret,api_token,password_hash_type\n"
                    + "not-an-email,Confirm-Me-123,JBSWY3DPEHPK3PXP,tok_live_abcdef,\n")
            let result = try await emulator.run(
                ["--csv", "users.csv", "--errors-out", errorFile, "--rejects", "fix-me.csv", "--quiet"], in: workspace)
            #expect(result.exitCode == 1)
            let text = try workspace.read(errorFile)
            for secret in ["Confirm-Me-123", "JBSWY3DPEHPK3PXP", "tok_live_abcdef"] {
                #expect(!text.contains(secret), "\(secret) is in \(errorFile)")
                #expect(!result.allOutput.contains(secret))
            }
            #expect(text.contains("[redacted]"))
            if errorFile.hasSuffix(".ndjson") { #expect(text.hasPrefix("{")) }
            // The rejects file is the one place they stay, to be fixed and fed back.
            #expect(try workspace.read("fix-me.csv").contains("tok_live_abcdef"))
        }
    }

    @Test(
        "a wrong --encoding or --delimiter stops at once with exit 2 and says what to use",
        arguments: [
            (
                ["--encoding", "utf-16"],
                "The value 'utf-16' is invalid for '--encoding <encoding>'. Please provide one of 'utf-8', 'cp1252' "
                    + "and 'latin1'."
            ),
            (
                ["--encoding", "bogus"],
                "The value 'bogus' is invalid for '--encoding <encoding>'. Please provide one of 'utf-8', 'cp1252' "
                    + "and 'latin1'."
            ),
            (
                ["--delimiter", "x"],
                "The value 'x' is invalid for '--delimiter <delimiter>'. Please provide one of ',', ';', '|' and 'tab'."
            ),
            (["--delimiter", ";;"], "The value ';;' is invalid for '--delimiter <delimiter>'. Please provide one of"),
        ])
    func flagErrors(arguments: [String], message: String) async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(1))
        let result = try await CommandRunner.run(["--csv", "users.csv", "--dry-run"] + arguments, in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test(
        "every spelling --encoding and --delimiter took before is still taken",
        arguments: [
            ["--encoding", "utf8"], ["--encoding", "UTF-8"], ["--encoding", "windows-1252"], ["--encoding", "win1252"],
            ["--encoding", "iso-8859-1"], ["--encoding", "Latin-1"], ["--delimiter", ","], ["--delimiter", "comma"],
            ["--delimiter", "COMMA"],
        ])
    func flagSpellings(arguments: [String]) async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(2))
        let result = try await CommandRunner.run(
            ["--csv", "users.csv", "--dry-run", "--json"] + arguments, in: workspace.url)
        #expect(result.exitCode == 0, "\(arguments): \(result.allOutput)")
        #expect(result.stdout.contains(#""usersToCreate":2"#), "\(arguments): \(result.stdout)")
    }
}
