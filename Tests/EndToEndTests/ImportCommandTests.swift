import Foundation
import Testing
import WorkOSEmulator

@Suite("Importing a CSV file with the real command", .tags(.endToEnd))
struct ImportCommandTests {
    @Test("a clean file imports every user with every field, and secrets never reach the output")
    func importsEveryField() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                Email , First_Name,last_name,email_verified,external_id,metadata,password,password_hash,password_hash_type
                ada@example.com,Ada,Lovelace,yes,ext-1,"{""team"":""math"",""level"":3}",,,
                grace@example.com,Grace,Hopper,false,,,Sup3r-Secret-Pw!,,
                linus@example.com,Linus,,1,,,,$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy,bcrypt

                """)
            let result = try await emulator.run(["--csv", "users.csv"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(result.stdout.contains("Success"))
            #expect(!result.allOutput.contains("Sup3r-Secret-Pw!"))
            #expect(!result.allOutput.contains("N9qo8uLOickgx2ZMRZoMy"))
            #expect(!result.allOutput.contains(emulator.apiKey))

            let users = emulator.emulator.snapshot().users
            #expect(users.count == 3)
            let ada = try #require(users.first { $0.email == "ada@example.com" })
            #expect(ada.firstName == "Ada")
            #expect(ada.lastName == "Lovelace")
            #expect(ada.emailVerified == true)
            #expect(ada.externalID == "ext-1")
            #expect(ada.metadata == ["team": "math", "level": "3"])
            let grace = try #require(users.first { $0.email == "grace@example.com" })
            #expect(grace.emailVerified == false)

            let journal = try workspace.read("users.csv.journal")
            #expect(!journal.contains("Sup3r-Secret-Pw!"))
            #expect(!journal.contains("ada@example.com"))
            #expect(try workspace.permissions("users.csv.journal") == 0o600)
        }
    }

    @Test("--json prints exactly one JSON object with the documented keys")
    func jsonSummary() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(4) + "not-an-email,X,Y,\n")
            let result = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            #expect(result.exitCode == 1)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["status"] as? String == "completed_with_errors")
            #expect(object["total"] as? Int == 5)
            #expect(object["imported"] as? Int == 4)
            #expect(object["alreadyExisted"] as? Int == 0)
            #expect(object["failed"] as? Int == 1)
            #expect(object["notAttempted"] as? Int == 0)
            #expect(object["membershipsCreated"] as? Int == 0)
            #expect(object["durationSeconds"] is Double || object["durationSeconds"] is Int)
            #expect(object["warnings"] is Int)
        }
    }

    @Test("the key can come from a .env file, and the environment wins over it")
    func keyFromDotEnv() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            try workspace.write(".env", "# local settings\nWORKOS_SECRET_KEY=\"\(emulator.apiKey)\"\n")
            let fromFile = try await CommandRunner.run(
                ["--csv", "users.csv", "--base-url", emulator.emulator.baseURL, "--quiet"], in: workspace.url)
            #expect(fromFile.exitCode == 0, "\(fromFile.allOutput)")
            #expect(emulator.emulator.snapshot().users.count == 2)

            try workspace.write("more.csv", CSVText.users(1, domain: "other.example"))
            let overridden = try await CommandRunner.run(
                ["--csv", "more.csv", "--base-url", emulator.emulator.baseURL, "--quiet"], in: workspace.url,
                environment: ["WORKOS_SECRET_KEY": "sk_test_wrong"])
            #expect(overridden.exitCode == 2)
            #expect(overridden.stderr.contains("refused the API key"))
            #expect(!overridden.allOutput.contains("sk_test_wrong"))
        }
    }

    @Test(
        "fatal problems fail fast with exit code 2 and a sentence saying what to do",
        arguments: [
            (["--csv", "users.csv"], [String: String](), "WORKOS_SECRET_KEY is missing"),
            (["--csv", "nope.csv"], ["WORKOS_SECRET_KEY": "sk_test_x"], "Cannot find CSV file"),
            ([], ["WORKOS_SECRET_KEY": "sk_test_x"], "Missing --csv"),
            (["--csv", "users.csv", "--concurrency", "0"], [:], "--concurrency must be between 1 and 500"),
            (["--csv", "users.csv", "--org-id", "org_1", "--org-external-id", "x"], [:], "cannot be used together"),
            (["--csv", "users.csv", "--create-org-if-missing", "--dry-run"], [:], "there is none to create"),
            (["--csv", "users.csv", "--org-external-id", "x", "--create-org-if-missing"], [:], "needs --org-name"),
            (["--csv", "users.csv", "--require-membership", "--dry-run"], [:], "needs an organization"),
            (["--csv", "users.csv", "--if-exists", "maybe"], [:], "if-exists"),
            (["--csv", "users.csv", "--max-retries", "1"], [:], "--max-retries must be between"),
            (["--csv", "users.csv", "--rate-limit", "fast"], [:], "rate-limit"),
            (["--csv", "users.csv", "--bogus"], [:], "--bogus"),
            (["--csv", "users.csv", "--rejects", "./users.csv"], [:], "names the input CSV itself"),
            (["--csv", "users.csv", "--emulator", "--base-url", "http://127.0.0.1:1"], [:], "cannot be used together"),
            (["--csv", "users.csv", "--limits", "loose"], [:], "limits"),
            (
                [
                    "--csv", "users.csv", "--org-external-id", String(repeating: "x", count: 65),
                    "--create-org-if-missing", "--org-name", "Acme",
                ], [:], "--org-external-id must be ASCII and at most 64 characters"
            ),
        ])
    func fatalUsageErrors(arguments: [String], environment: [String: String], message: String) async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(1))
        let result = try await CommandRunner.run(arguments, in: workspace.url, environment: environment)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(
        "an unreachable API stops the import at its start with exit 2 instead of failing every row, and leaves no journal"
    )
    func unreachable() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(50))
        let result = try await CommandRunner.run(
            [
                "--csv", "users.csv", "--base-url", "http://127.0.0.1:1", "--connect-timeout", "1", "--max-retries",
                "2", "--quiet", "--errors-out", "errors.csv",
            ], in: workspace.url, environment: ["WORKOS_SECRET_KEY": "sk_test_x"])
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains("Cannot reach the WorkOS API"))
        #expect(result.stderr.contains("run the same command again"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("users.csv.journal")))
    }

    @Test("--user-export still works and says it is deprecated")
    func deprecatedAlias() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(1))
            let result = try await emulator.run(["--user-export", "users.csv", "--quiet"], in: workspace)
            #expect(result.exitCode == 0)
            #expect(result.stderr.contains("deprecated"))
            #expect(emulator.emulator.snapshot().users.count == 1)
        }
    }

    @Test("bad rows fail with their line numbers, the rest import, and every failure lands in the files")
    func badRowsAreReported() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,first_name,password,metadata
                good1@example.com,Good,,
                bad-email,Bad,hunter2-secret,
                good2@example.com,"Multi
                line",,
                meta@example.com,Meta,,{not json
                good3@example.com,Good,,

                """)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--errors-out", "errors.csv", "--rejects", "rejects.csv"], in: workspace)
            #expect(result.exitCode == 1)
            #expect(
                emulator.emulator.snapshot().users.map(\.email).sorted() == [
                    "good1@example.com", "good2@example.com", "good3@example.com",
                ])
            let errors = try workspace.read("errors.csv")
            #expect(
                errors.hasPrefix(
                    "recordNumber,email,userId,errorMessage,httpStatus,workosCode,workosRequestId,timestamp,rawRow"))
            #expect(errors.contains("line 3"))
            #expect(errors.contains("line 6"))
            #expect(errors.contains("metadata is invalid JSON"))
            #expect(errors.contains("[redacted]"))
            #expect(!errors.contains("hunter2-secret"))
            let rejects = try workspace.read("rejects.csv")
            #expect(rejects.contains("email,first_name,password,metadata"))
            #expect(rejects.contains("bad-email,Bad,hunter2-secret,"))
            #expect(rejects.contains("meta@example.com"))
            #expect(!rejects.contains("good1@example.com"))
            #expect(try workspace.permissions("errors.csv") == 0o600)
            #expect(try workspace.permissions("rejects.csv") == 0o600)

            // The rejects file feeds straight back in: fixed rows import, the rest fail again.
            let again = try await emulator.run(["--csv", "rejects.csv", "--quiet", "--json"], in: workspace)
            #expect(again.exitCode == 1)
            #expect(again.stdout.contains("\"failed\":2"))
        }
    }

    @Test(
        "--errors-out writes JSON Lines or a JSON array by the file's ending",
        arguments: ["errors.jsonl", "errors.json"])
    func errorFileFormats(name: String) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", "email,password\nnope,secret-one\nalso-nope,secret-two\nok@example.com,\n")
            let result = try await emulator.run(["--csv", "users.csv", "--errors-out", name, "--quiet"], in: workspace)
            #expect(result.exitCode == 1)
            let text = try workspace.read(name)
            #expect(!text.contains("secret-one"))
            let objects: [[String: Any]]
            if name.hasSuffix(".jsonl") {
                objects = try text.split(separator: "\n").map {
                    try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
                }
            } else {
                objects = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            }
            #expect(objects.count == 2)
            #expect(objects.map { $0["recordNumber"] as? Int } == [1, 2])
            let raw = try #require(objects.first?["rawRow"] as? [String: Any])
            #expect(raw["password"] as? String == "[redacted]")
        }
    }

    @Test("--dry-run checks every row, calls nothing and needs no key")
    func dryRun() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(5) + "broken,,,\n")
            let result = try await CommandRunner.run(
                [
                    "--csv", "users.csv", "--dry-run", "--base-url", emulator.emulator.baseURL, "--org-external-id",
                    "acme", "--create-org-if-missing", "--org-name", "Acme", "--json",
                ], in: workspace.url)
            #expect(result.exitCode == 1)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["usersToCreate"] as? Int == 5)
            #expect(object["membershipsToCreate"] as? Int == 5)
            #expect(object["organizationToCreate"] as? String == "Acme")
            #expect(object["failed"] as? Int == 1)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.isEmpty)
            #expect(snapshot.counters.requests.values.flatMap(\.values).reduce(0, +) == 0)
            #expect(!FileManager.default.fileExists(atPath: workspace.path("users.csv.journal")))
        }
    }
}
