import Foundation
import Testing
import WorkOSEmulator

/// The dry run and the plan count which fields the valid rows carry, in the table under their box and as
/// `coverage` in `--json`, and never show a value.
@Suite("Field coverage in the dry run and the plan", .tags(.endToEnd))
struct CoverageTests {
    static let password = "Plain-Secret-471"
    static let hash = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
    static let totp = IdentityFile.secret(7)

    /// Four valid rows (two the fast path settles, two with organizations the full check reads), an invalid
    /// email, and a row that reuses the second row's external_id, which fails only once the rows are compared.
    static var csv: String {
        "email,first_name,last_name,password,password_hash,password_hash_type,email_verified,external_id,metadata,"
            + "org_external_id,org_name,role_slugs,totp_secret\n"
            + "ann@example.com,Ann,Lee,\(password),,,true,u-1,\"{\"\"team\"\":\"\"red\"\"}\",,,,\n"
            + "bob@example.com,Bob,,,\(hash),bcrypt,false,u-2,,acme,Acme,admin,\(totp)\n"
            + "cat@example.com,Cat,Kim,,,,yes,,,acme,Acme,,\n"
            + "dan@example.com,,,,,,,,,,,,\n"
            + "not-an-email,Eve,,,,,,,,,,,\n"
            + "fay@example.com,Fay,,,,,,u-2,,,,,\n"
    }

    /// Every field the table lists for the file, with its count.
    static let expected: [String: Int] = [
        "first_name": 3, "last_name": 2, "email_verified": 2, "external_id": 2, "metadata": 1,
        "password (plaintext)": 1, "password_hash (bcrypt)": 1, "totp_secret": 1, "organization": 2, "role_slugs": 1,
    ]

    static let flags = ["--csv", "users.csv", "--create-org-if-missing"]

    /// The `coverage` object of a `--json` summary, checked against ``expected``.
    static func checkCoverage(_ result: CommandResult) throws {
        let summary = try ResilienceTests.summary(result)
        let coverage = try #require(summary["coverage"] as? [String: Any], "\(result.stdout)")
        #expect(coverage["users"] as? Int == 4, "the four valid rows, no failed one")
        let fields = try #require(coverage["fields"] as? [[String: Any]])
        var counts: [String: Int] = [:]
        for field in fields {
            let name = try #require(field["field"] as? String)
            let count = try #require(field["count"] as? Int)
            counts[name] = count
            #expect(field["thin"] as? Bool == (count * 2 < 4), "\(name)")
        }
        #expect(counts == expected)
        #expect(fields.map { $0["field"] as? String }.first == "first_name", "the table's order")
    }

    static func expectNoSecret(_ result: CommandResult) {
        for secret in [password, hash, totp, "$2b$"] {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(secret) was shown")
        }
    }

    @Test("--dry-run --json carries the valid rows' coverage; the table follows the box")
    func dryRun() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", Self.csv)
            let result = try await emulator.run(Self.flags + ["--dry-run", "--json"], in: workspace)
            #expect(result.exitCode == 1, "two rows fail: \(result.allOutput)")
            let summary = try ResilienceTests.summary(result)
            #expect(summary["usersToCreate"] as? Int == 4)
            #expect(summary["failed"] as? Int == 2)
            try Self.checkCoverage(result)
            Self.expectNoSecret(result)

            let text = try await emulator.run(Self.flags + ["--dry-run"], in: workspace)
            let table = try #require(text.stdout.range(of: "Field coverage (4 valid rows):\n"), "\(text.stdout)")
            #expect(text.stdout[..<table.lowerBound].contains("└"), "the table follows the box")
            #expect(text.stdout.contains("  metadata                1   25%  ← most users lack it\n"), "\(text.stdout)")
            #expect(text.stdout.contains("  organization            2   50%\n"), "\(text.stdout)")
            Self.expectNoSecret(text)
        }
    }

    @Test("plan --json carries the same coverage as the dry run, and the plan's table follows its box")
    func plan() async throws {
        let emulator = try await EmulatorFixture.start {
            $0.seed = EmulatorSeed(roles: [EmulatorSeed.Role(slug: "admin")])
        }
        try await EmulatorFixture.scoped(emulator) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", Self.csv)
            let result = try await emulator.run(["plan"] + Self.flags + ["--json"], in: workspace)
            #expect(result.exitCode == 1, "two rows fail: \(result.allOutput)")
            let summary = try ResilienceTests.summary(result)
            #expect(summary["usersToCreate"] as? Int == 4, "\(result.stdout)")
            try Self.checkCoverage(result)
            Self.expectNoSecret(result)

            let text = try await emulator.run(["plan"] + Self.flags, in: workspace)
            let table = try #require(text.stdout.range(of: "Field coverage (4 valid rows):\n"), "\(text.stdout)")
            #expect(text.stdout[..<table.lowerBound].contains("Plan (nothing was written to WorkOS)"))
            #expect(text.stdout.contains("  totp_secret             1   25%  ← most users lack it\n"))
            Self.expectNoSecret(text)
        }
    }
}
