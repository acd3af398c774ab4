import Foundation
import Testing
import WorkOSEmulator

/// `convert` as a user runs it: a provider's export in, the importer's CSV out, and that CSV imported into
/// an emulator with the real command, hashes arriving in the contract's form.
@Suite("convert: from a provider's export to imported users", .tags(.endToEnd))
struct ConvertCommandTests {
    static func fixture(_ name: String) -> String {
        ToolCommandsTests.repositoryRoot.appendingPathComponent("Tests/ImportCoreTests/Fixtures/Convert/\(name)").path
    }

    @Test("A Firebase export converts and imports: firebase-scrypt hashes, names, verification and claims arrive")
    func firebaseEndToEnd() async throws {
        let workspace = try Workspace()
        let converted = try await CommandRunner.run(
            [
                "convert", "firebase", Self.fixture("firebase-users.json"), "--hash-config",
                Self.fixture("firebase-hash-config.txt"), "--out", "users.csv", "--skipped", "skipped.jsonl",
            ], in: workspace.url)
        #expect(converted.exitCode == 0, "\(converted.allOutput)")
        #expect(converted.stdout.contains("Converted 7 of 9 firebase users to users.csv"))
        #expect(converted.stdout.contains("skipped                  2"))
        #expect(converted.stdout.contains("Field coverage (7 users):\n"), "\(converted.stdout)")
        #expect(try workspace.permissions("users.csv") == 0o600)
        #expect(try workspace.permissions("skipped.jsonl") == 0o600)
        let signerKey = "Czo3eYPjzRlkwAUyhICNrtQz4ycXxVHF8Vb9Hdv915HMn7uS94qRlw0HfRVQ0ccbocsZoyVy2/SAfBcy70l9Og=="
        #expect(!converted.allOutput.contains(signerKey))
        #expect(!(try workspace.read("skipped.jsonl")).contains(signerKey))
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let imported = try await emulator.run(["--csv", "users.csv", "--quiet"], in: workspace)
            // The second account of ada@ (another case, other fields) is a conflict the importer will not guess
            // at: that row fails, naming the first one, and the other six go in.
            #expect(imported.exitCode == 1, "\(imported.allOutput)")
            #expect(imported.allOutput.contains("1 row: repeats an earlier row's email with different user fields"))
            let users = emulator.emulator.snapshot().users
            // Seven rows, one of them a second account of ada@ in another case: six users.
            #expect(users.count == 6)
            let ada = try #require(users.first { $0.email == "ada@example.com" })
            #expect(ada.externalID == "fb-ada-001")
            #expect(ada.firstName == "Ada" && ada.lastName == "King Lovelace")
            #expect(ada.emailVerified)
            #expect(ada.metadata == ["plan": "pro", "seats": "12", "tenant": "acme"])
            #expect(ada.hasPassword && ada.passwordHashType == "firebase-scrypt")
            let jose = try #require(users.first { $0.email == "jose@example.com" })
            #expect(jose.firstName == "José" && jose.lastName == "María Núñez" && !jose.emailVerified)
            let gina = try #require(users.first { $0.email == "gina@example.com" })
            #expect(!gina.hasPassword)
            #expect(!users.contains { $0.email == "disabled@example.com" })
        }
    }

    @Test(
        "Auth0 and Clerk exports import with their bcrypt and argon2 hashes, and Clerk's TOTP secret stays out of metadata"
    )
    func auth0AndClerkEndToEnd() async throws {
        let workspace = try Workspace()
        let auth0 = try await CommandRunner.run(
            [
                "convert", "auth0", Self.fixture("auth0-users.ndjson"), "--passwords",
                Self.fixture("auth0-passwords.ndjson"), "--out", "auth0.csv",
            ], in: workspace.url)
        #expect(auth0.exitCode == 0, "\(auth0.allOutput)")
        #expect(auth0.stdout.contains("Add --skipped skipped.jsonl"))
        #expect(auth0.stderr.contains("alice@example.com is the address of an earlier user"))
        let clerk = try await CommandRunner.run(
            ["convert", "clerk", Self.fixture("clerk-users.csv"), "--out", "clerk.csv", "--skipped", "clerk.jsonl"],
            in: workspace.url)
        #expect(clerk.exitCode == 0, "\(clerk.allOutput)")
        #expect(!clerk.allOutput.contains("JBSWY3DPEHPK3PXP"))
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            // Auth0's second alice@ account conflicts with the first: that one row fails, naming the first.
            let auth0Import = try await emulator.run(["--csv", "auth0.csv", "--quiet"], in: workspace)
            #expect(auth0Import.exitCode == 1, "\(auth0Import.allOutput)")
            #expect(auth0Import.allOutput.contains("1 row: repeats an earlier row's email with different user fields"))
            let clerkImport = try await emulator.run(["--csv", "clerk.csv", "--quiet"], in: workspace)
            #expect(clerkImport.exitCode == 0, "\(clerkImport.allOutput)")
            let users = emulator.emulator.snapshot().users
            let bob = try #require(users.first { $0.email == "bob@example.com" })
            #expect(bob.hasPassword && bob.passwordHashType == "bcrypt")
            #expect(bob.externalID == "auth0|60425dc43519d90068f82974")
            let carol = try #require(users.first { $0.email == "carol@example.com" })
            #expect(carol.lastName == "Åström" && carol.passwordHashType == "bcrypt")
            let ari = try #require(users.first { $0.email == "ari@example.com" })
            #expect(ari.hasPassword && ari.passwordHashType == "argon2")
            #expect(ari.metadata.values.allSatisfy { !$0.contains("JBSWY3DPEHPK3PXP") })
            let pat = try #require(users.first { $0.email == "pat@example.com" })
            #expect(!pat.hasPassword)
            let uma = try #require(users.first { $0.email == "uma@example.com" })
            #expect(!uma.emailVerified)
        }
    }

    @Test(
        "Fatal problems exit 2 with a sentence that says what to do",
        arguments: [
            (["convert", "okta", "x.json", "--out", "o.csv"], "use firebase, auth0, clerk, cognito or supabase"),
            (["convert", "firebase", "missing.json", "--out", "o.csv"], "Cannot find the export file missing.json"),
            (["convert", "firebase", "missing.json", "--out", "o.csv", "--rounds", "8"], "must all be given"),
            (["convert", "clerk", "x.csv", "--out", "o.csv", "--passwords", "p.ndjson"], "--passwords does not apply"),
            (
                ["convert", "auth0", "x.json", "--out", "o.csv", "--org-from", "user_metadata.org"],
                "--allow-user-metadata-org"
            ),
            (
                ["convert", "firebase", "x.json", "--out", "o.csv", "--name-split", "middle"],
                "first-space, last-space or none"
            ),
        ])
    func fatal(arguments: [String], expected: String) async throws {
        let workspace = try Workspace()
        let result = try await CommandRunner.run(arguments, in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("o.csv")))
    }

    @Test("convert --json prints the counts as one JSON object with documented keys, and no summary text")
    func json() async throws {
        let workspace = try Workspace()
        let result = try await CommandRunner.run(
            [
                "convert", "firebase", Self.fixture("firebase-users.json"), "--hash-config",
                Self.fixture("firebase-hash-config.txt"), "--out", "users.csv", "--json",
            ], in: workspace.url)
        #expect(result.exitCode == 0, "\(result.allOutput)")
        #expect(!result.stdout.contains("Converted 7 of 9"))
        #expect(result.stdout.split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "converted", "coverage", "lossReasons", "notes", "output", "repeatedEmails", "skipped", "skippedFile",
                "skippedReasons", "source", "users", "warnings", "withLosses", "withoutOrganization", "withPassword",
                "withoutPassword", "withoutPasswordReasons",
            ])
        #expect(object["users"] as? Int == 9)
        #expect(object["converted"] as? Int == 7)
        #expect(object["skipped"] as? Int == 2)
        #expect(object["source"] as? String == "firebase")
        #expect(object["output"] as? String == "users.csv")
        #expect(object["skippedFile"] is NSNull)
        let coverage = try #require(object["coverage"] as? [String: Any])
        #expect(coverage["users"] as? Int == 7)
        let fields = try #require(coverage["fields"] as? [[String: Any]])
        let hashed = fields.filter { ($0["field"] as? String)?.hasPrefix("password_hash (") == true }
        #expect(hashed.compactMap { $0["count"] as? Int }.reduce(0, +) == object["withPassword"] as? Int)
        let withPassword = try #require(object["withPassword"] as? Int)
        let withoutPassword = try #require(object["withoutPassword"] as? Int)
        #expect(withPassword + withoutPassword == 7)
        #expect(withPassword > 0 && withoutPassword > 0)
        func reasons(_ key: String) throws -> [[String: Any]] { try #require(object[key] as? [[String: Any]]) }
        #expect(try reasons("skippedReasons").compactMap { $0["count"] as? Int }.reduce(0, +) == 2)
        #expect(
            try reasons("withoutPasswordReasons").compactMap { $0["count"] as? Int }.reduce(0, +) == withoutPassword)
        let first = try #require(try reasons("skippedReasons").first)
        #expect(Set(first.keys) == ["count", "firstFile", "firstLine", "reason"])
        #expect((first["firstFile"] as? String)?.hasSuffix("firebase-users.json") == true)
        #expect((first["firstLine"] as? Int ?? 0) > 0)
        // The warning about the repeated address still reaches stderr.
        #expect(object["repeatedEmails"] as? Int == 1)
        #expect(result.stderr.contains("is the address of an earlier user too"))
    }

    @Test("convert --help explains why organizations from user metadata are dangerous")
    func help() async throws {
        let workspace = try Workspace()
        let result = try await CommandRunner.run(["convert", "--help"], in: workspace.url)
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("--allow-user-metadata-org"))
        #expect(result.stdout.contains("Dangerous"))
    }
}
