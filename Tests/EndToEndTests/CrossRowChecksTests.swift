import Foundation
import ImportCore
import Testing
import WorkOSEmulator

/// A file with one row of each finding, two rows of one invalid-metadata reason, and rows that are fine.
private let contradictingFile = """
    email,first_name,last_name,external_id,metadata,org_external_id,role_slugs
    ann@example.com,Ann,Lee,u-1,,acme,admin
    bob@example.com,Bob,Roe,u-2,,acme,member
    cat@example.com,Cat,Poe,,{oops,acme,member
    ann@example.com,Ann,Leigh,u-1,,acme,admin
    dan@example.com,Dan,Fox,u-2,,acme,member
    bob@example.com,Bob,Roe,u-2,,acme,admin
    eve@example.com,Eve,Ray,,"{""a"":",acme,member
    bob@example.com,Bob,Roe,u-2,,globex,owner

    """

@Suite("Checks across rows and --map with the real command", .tags(.endToEnd))
struct CrossRowChecksCommandTests {
    @Test("a dry run fails each contradicting row naming both lines, and groups the failures by reason")
    func dryRun() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", contradictingFile)
        let text = try await CommandRunner.run(["--csv", "users.csv", "--dry-run"], in: workspace.url)
        #expect(text.exitCode == 1, "\(text.allOutput)")
        #expect(
            text.stdout.contains(
                "line 5 repeats the email of line 2 with different last_name; which row should win is a guess: "
                    + "make them agree"), "\(text.stdout)")
        #expect(text.stdout.contains("line 6 has the external_id of line 3, which has another email"))
        #expect(text.stdout.contains("line 7 repeats the email and organization of line 3 with a different role"))
        #expect(text.stdout.contains("Failures by reason:\n  2 rows: metadata is invalid JSON, first at line 4\n"))

        let json = try await CommandRunner.run(["--csv", "users.csv", "--dry-run", "--json"], in: workspace.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["failed"] as? Int == 5)
        #expect(object["usersToCreate"] as? Int == 2)
        #expect(object["repeatedEmails"] as? Int == 1)
        let groups = try #require(object["failuresByReason"] as? [[String: Any]])
        #expect(
            groups.map { $0["reason"] as? String } == [
                "metadata is invalid JSON", "repeats an earlier row's email with different user fields",
                "has the external_id of an earlier row with another email",
                "repeats an earlier row's email and organization with a different role",
            ])
        #expect(groups.map { $0["count"] as? Int } == [2, 1, 1, 1])
        #expect(groups.map { $0["firstLine"] as? Int } == [4, 5, 6, 7])
    }

    @Test("an import fails contradicting rows before any request; the first rows win, also on a rerun")
    func importFailsContradictions() async throws {
        let seeded = try await EmulatorFixture.start { configuration in
            configuration.seed = EmulatorSeed(
                organizations: [
                    EmulatorSeed.Organization(name: "Acme", externalID: "acme"),
                    EmulatorSeed.Organization(name: "Globex", externalID: "globex"),
                ], roles: [EmulatorSeed.Role(slug: "admin"), EmulatorSeed.Role(slug: "owner")])
        }
        try await EmulatorFixture.scoped(seeded) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", contradictingFile)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--json", "--errors-out", "errors.csv", "--rejects", "rejects.csv"],
                in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["failed"] as? Int == 5)
            #expect(object["imported"] as? Int == 2)
            #expect(object["alreadyExisted"] as? Int == 1)
            let groups = try #require(object["failuresByReason"] as? [[String: Any]])
            #expect(groups.first?["reason"] as? String == "metadata is invalid JSON")
            #expect(groups.first?["count"] as? Int == 2)
            #expect(groups.count == 4)

            // Only the first rows' users exist, with the first rows' fields; dan (line 6) was never sent.
            let users = emulator.emulator.snapshot().users
            #expect(Set(users.map(\.email)) == ["ann@example.com", "bob@example.com"])
            #expect(users.first { $0.email == "ann@example.com" }?.lastName == "Lee")
            let errors = try workspace.read("errors.csv")
            #expect(errors.contains("line 5 repeats the email of line 2 with different last_name"))
            #expect(errors.contains("line 6 has the external_id of line 3"))
            let rejects = try workspace.read("rejects.csv")
            #expect(rejects.hasPrefix("email,first_name,last_name,external_id,metadata,org_external_id,role_slugs\n"))
            #expect(rejects.contains("dan@example.com,Dan,Fox,u-2"))

            // A rerun of the finished import fails the same rows, whatever reached WorkOS the first time.
            let again = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            let second = try #require(
                try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
            #expect(second["failed"] as? Int == 5)
            #expect(emulator.emulator.snapshot().users.count == 2)
        }
    }

    @Test("--map reads their columns as ours; the error and rejects files keep the file's own header")
    func mapsColumns() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "okta.csv",
                """
                Primary Email,Given Name,last_name,Custom
                ann@example.com,Ann,Lee,x
                not-an-email,Bob,Roe,y

                """)
            let result = try await emulator.run(
                [
                    "--csv", "okta.csv", "--map", "email=Primary Email", "--map", "first_name=Given Name",
                    "--errors-out", "errors.csv", "--rejects", "rejects.csv", "--json",
                ], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let ann = try #require(emulator.emulator.snapshot().users.first { $0.email == "ann@example.com" })
            #expect(ann.firstName == "Ann")
            #expect(ann.lastName == "Lee")
            #expect(try workspace.read("rejects.csv").hasPrefix("Primary Email,Given Name,last_name,Custom\n"))
            #expect(try workspace.read("errors.csv").contains("Primary Email"))
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["ignoredColumns"] as? [String] == ["Custom"])
            let groups = try #require(object["failuresByReason"] as? [[String: Any]])
            #expect(groups.first?["reason"] as? String == "email is not a valid address")
            #expect(groups.first?["firstLine"] as? Int == 3)
        }
    }

    @Test(
        "bad maps exit 2 with a sentence",
        arguments: [
            (["--map", "emial=Primary Email"], "is not one of our columns"),
            (["--map", "email=E-mail"], "names a column the file does not have"),
            (["--map", "email=Primary Email", "--map", "email=Given Name"], "gives the column email twice"),
        ])
    func badMaps(arguments: [String], expected: String) async throws {
        let workspace = try Workspace()
        try workspace.write("okta.csv", "Primary Email,Given Name\nann@example.com,Ann\n")
        let result = try await CommandRunner.run(["--csv", "okta.csv", "--dry-run"] + arguments, in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test("a resume with other maps is refused like any changed setting")
    func resumeWithOtherMaps() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "okta.csv", "Primary Email,Given Name,Nick\nnot-an-email,Ann,A\nbob@example.com,Bob,B\n")
            let first = try await emulator.run(
                ["--csv", "okta.csv", "--map", "email=Primary Email", "--max-failures", "1", "--quiet"], in: workspace)
            #expect(first.exitCode == 1, "\(first.allOutput)")
            #expect(emulator.emulator.snapshot().users.isEmpty)
            let resumed = try await emulator.run(
                ["--csv", "okta.csv", "--map", "email=Primary Email", "--map", "first_name=Nick", "--quiet"],
                in: workspace)
            #expect(resumed.exitCode == 2, "\(resumed.allOutput)")
            #expect(
                resumed.stderr.contains(
                    "--map (journal: email=Primary Email, now: email=Primary Email, first_name=Nick)"))
            // The same maps continue, and the summary still counts the first run's failure under its reason.
            let same = try await emulator.run(
                ["--csv", "okta.csv", "--map", "email=Primary Email", "--json"], in: workspace)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [String: Any])
            #expect(object["imported"] as? Int == 1, "\(same.allOutput)")
            let groups = try #require(object["failuresByReason"] as? [[String: Any]])
            #expect(groups.first?["reason"] as? String == "email is not a valid address")
            #expect(groups.first?["count"] as? Int == 1)
            #expect(groups.first?["firstLine"] as? Int == 2)
        }
    }
}

/// What two rows of one user that differ in one column do: the later row fails, gets a warning, or is
/// allowed, with the reason why in the table.
enum ColumnConflict: Sendable, CustomStringConvertible {
    /// The later row fails, and its message names this text (the column, or what the rows disagree on).
    case fails(String)
    /// The later row is imported with a warning naming this text.
    case warns(String)
    /// Both rows are fine; why the difference is no conflict.
    case allowed(because: String)

    var description: String {
        switch self {
        case .fails(let text): "fails naming \(text)"
        case .warns(let text): "warns naming \(text)"
        case .allowed(let why): "allowed: \(why)"
        }
    }
}

/// One column's case: the cells both rows share (beyond the base user's), and the later row's other value.
struct ColumnConflictCase: Sendable {
    var shared: [String: String] = [:]
    var later: String
    var expected: ColumnConflict
}

@Suite("Every column has a rule across rows", .tags(.endToEnd))
struct ColumnConflictTests {
    /// The user both rows describe; each case overrides what it needs.
    static let base: KeyValuePairs<String, String> = [
        "email": "ann@example.com", "first_name": "Ann", "last_name": "Lee", "email_verified": "true",
        "external_id": "u-1", "metadata": #"{"a":"1"}"#, "password": "first-password-1", "org_external_id": "acme",
        "org_name": "Acme", "role_slugs": "admin", "totp_secret": "JBSWY3DPEHPK3PXP", "totp_issuer": "Acme",
        "totp_user": "ann",
    ]
    static let hash = ["password": "", "password_hash": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw=="]

    /// The rule every column follows; a column without an entry fails the test below.
    static let table: [ImportColumn: ColumnConflictCase] = [
        // The external_id names the user, so another email on it is the same user under two addresses.
        .email: ColumnConflictCase(later: "ann.lee@example.com", expected: .fails("has the external_id of line 2")),
        .firstName: ColumnConflictCase(later: "Anne", expected: .fails("different first_name")),
        .lastName: ColumnConflictCase(later: "Leigh", expected: .fails("different last_name")),
        // Two passwords for one user: which one the user signs in with would be a guess.
        .password: ColumnConflictCase(later: "second-password-2", expected: .fails("different password")),
        .passwordHash: ColumnConflictCase(
            shared: hash.merging(["password_hash_type": "ssha256"]) { $1 },
            later: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKA==",
            expected: .fails("different password_hash")),
        .passwordHashType: ColumnConflictCase(
            shared: hash.merging(["password_hash_type": "ssha256"]) { $1 }, later: "ssha",
            expected: .fails("different password_hash")),
        .emailVerified: ColumnConflictCase(later: "false", expected: .fails("different email_verified")),
        .externalId: ColumnConflictCase(later: "u-2", expected: .fails("different external_id")),
        .metadata: ColumnConflictCase(later: #"{"a":"2"}"#, expected: .fails("different metadata")),
        .passwordSaltPosition: ColumnConflictCase(
            shared: hash.merging(["password_hash_type": "ssha256", "password_salt_position": "prefix"]) { $1 },
            later: "suffix", expected: .fails("different password_hash")),
        .orgId: ColumnConflictCase(
            shared: ["org_external_id": "", "org_name": "", "org_id": "org_01ACME"], later: "org_01GLOBEX",
            expected: .allowed(because: "another organization is another membership of the same user")),
        .orgExternalId: ColumnConflictCase(
            later: "globex",
            expected: .allowed(because: "another organization is another membership of the same user")),
        .orgName: ColumnConflictCase(
            later: "Acme Corporation",
            expected: .warns(
                "org_name is not \"Acme\", the name line 2 gives the organization \"acme\"; if this import creates "
                    + "it, it gets line 2's name")),
        .roleSlugs: ColumnConflictCase(
            later: "member", expected: .fails("repeats the email and organization of line 2 with a different role")),
        .totpSecret: ColumnConflictCase(later: "KRSXG5CTMVRXEZLU", expected: .fails("different totp_secret")),
        .totpIssuer: ColumnConflictCase(later: "Globex", expected: .fails("different totp_issuer")),
        .totpUser: ColumnConflictCase(later: "ann.lee", expected: .fails("different totp_user")),
    ]

    /// One quoted CSV line.
    static func line(_ cells: [String]) -> String {
        cells.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\n"
    }

    @Test(
        "two rows of one user that differ in one column: the later row fails, or the table says why not",
        arguments: ImportColumn.allCases)
    func conflict(column: ImportColumn) async throws {
        let entry = try #require(
            Self.table[column], "the column \(column.rawValue) has no rule for rows that disagree: add it to the table")
        var first = Dictionary(uniqueKeysWithValues: Self.base.map { ($0.key, $0.value) })
        first.merge(entry.shared) { $1 }
        var later = first
        later[column.rawValue] = entry.later
        #expect(first[column.rawValue] != entry.later)
        let header = ImportColumn.allCases.map(\.rawValue)
        let text =
            Self.line(header) + Self.line(header.map { first[$0] ?? "" })
            + Self.line(header.map { later[$0] ?? "" })
        let workspace = try Workspace()
        try workspace.write("users.csv", text)
        let result = try await CommandRunner.run(
            ["--csv", "users.csv", "--dry-run", "--json", "--errors-out", "errors.csv"], in: workspace.url)
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.allOutput)")
        let errors = try workspace.read("errors.csv")
        switch entry.expected {
        case .fails(let text):
            #expect(result.exitCode == 1, "\(result.allOutput)")
            #expect(summary["failed"] as? Int == 1, "\(result.allOutput)")
            #expect(errors.contains("line 3"), "\(errors)")
            #expect(errors.contains(text), "\(errors)")
        case .warns(let text):
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(summary["failed"] as? Int == 0, "\(result.allOutput)")
            #expect(result.stderr.contains("! line 3  " + text), "\(result.stderr)")
        case .allowed:
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(summary["failed"] as? Int == 0, "\(result.allOutput)")
        }
        // The secrets of either row never reach any output.
        for secret in ["first-password-1", "second-password-2", "JBSWY3DPEHPK3PXP", "KRSXG5CTMVRXEZLU"] {
            #expect(!result.allOutput.contains(secret))
            #expect(!errors.contains(secret))
        }
    }
}

@Suite("Checks across rows: factors, organizations named two ways, organization names", .tags(.endToEnd))
struct CrossRowFactorAndOrganizationTests {
    static func summary(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last, "no stdout: \(result.allOutput)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("two rows of one user with other TOTP secrets: the later fails naming the first's line, everywhere")
    func totpSecretsDiffer() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,first_name,totp_secret,totp_issuer
                ann@example.com,Ann,JBSWY3DPEHPK3PXP,Acme
                bob@example.com,Bob,,
                ann@example.com,Ann,KRSXG5CTMVRXEZLU,Acme
                ann@example.com,Ann,jbswy3dp ehpk3pxp,Acme

                """)
            let dry = try await emulator.run(["--csv", "users.csv", "--dry-run", "--json"], in: workspace)
            #expect(dry.exitCode == 1, "\(dry.allOutput)")
            #expect(try Self.summary(dry)["failed"] as? Int == 1)

            let result = try await emulator.run(["--csv", "users.csv", "--errors-out", "errors.csv"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            #expect(
                result.stdout.contains(
                    "line 4 repeats the email of line 2 with different totp_secret; which row should win is a guess"),
                "\(result.stdout)")
            // The same secret spelled another way is the same secret: line 5 finds the factor line 2 enrolled.
            #expect(result.stdout.contains("line 5  ann@example.com"))
            let factors = emulator.emulator.snapshot().authFactors
            #expect(factors.count == 1)
            #expect(factors.first?.issuer == "Acme")
            for output in [result.allOutput, try workspace.read("errors.csv")] {
                #expect(!output.contains("KRSXG5CTMVRXEZLU"))
                #expect(!output.contains("JBSWY3DPEHPK3PXP"))
            }

            let verify = try await emulator.run(["verify", "--csv", "users.csv", "--out", "drift.csv"], in: workspace)
            #expect(verify.exitCode == 1, "\(verify.allOutput)")
            let drift = try workspace.read("drift.csv")
            #expect(drift.contains("4,ann@example.com,contradicts-earlier-row,"), "\(drift)")
            #expect(drift.split(separator: "\n").count == 2, "\(drift)")
            #expect(!drift.contains("KRSXG5CTMVRXEZLU"))
        }
    }

    @Test("verify compares what WorkOS lists of a factor: its issuer and user")
    func verifyComparesFactor() async throws {
        let seeded = try await EmulatorFixture.start { configuration in
            configuration.seed = EmulatorSeed(
                users: [EmulatorSeed.User(email: "ann@example.com"), EmulatorSeed.User(email: "bob@example.com")],
                authFactors: [
                    EmulatorSeed.AuthFactor(userEmail: "ann@example.com", issuer: "Old Name", user: "ann"),
                    EmulatorSeed.AuthFactor(userEmail: "bob@example.com", issuer: "Acme", user: "bob"),
                ])
        }
        try await EmulatorFixture.scoped(seeded) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,totp_secret,totp_issuer,totp_user
                ann@example.com,JBSWY3DPEHPK3PXP,Acme,ann
                bob@example.com,KRSXG5CTMVRXEZLU,Acme,bob

                """)
            let verify = try await emulator.run(["verify", "--csv", "users.csv", "--out", "drift.csv"], in: workspace)
            #expect(verify.exitCode == 1, "\(verify.allOutput)")
            let lines = try workspace.read("drift.csv").split(separator: "\n")
            #expect(lines.dropFirst() == ["2,ann@example.com,totp_issuer,Acme,Old Name"], "\(lines)")
        }
    }

    @Test("one membership named by org_external_id and by org_id with other roles: the later row fails, every run")
    func organizationNamedTwoWays() async throws {
        let seeded = try await EmulatorFixture.start { configuration in
            configuration.seed = EmulatorSeed(
                organizations: [
                    EmulatorSeed.Organization(id: "org_01ACME", name: "Acme", externalID: "acme"),
                    EmulatorSeed.Organization(id: "org_01GLOBEX", name: "Globex", externalID: "globex"),
                ], roles: [EmulatorSeed.Role(slug: "admin"), EmulatorSeed.Role(slug: "member")])
        }
        try await EmulatorFixture.scoped(seeded) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,org_id,org_external_id,role_slugs
                ann@example.com,,acme,admin
                ann@example.com,org_01ACME,,member
                ann@example.com,org_01GLOBEX,,member
                bob@example.com,,acme,admin
                bob@example.com,org_01ACME,,admin

                """)
            let dry = try await emulator.run(["--csv", "users.csv", "--dry-run"], in: workspace)
            #expect(dry.exitCode == 0, "\(dry.allOutput)")
            #expect(
                dry.stderr.contains(
                    "! line 3  repeats the email of line 2 with a different role, and its org_id may name the "
                        + "organization that line's org_external_id names"), "\(dry.stderr)")
            for run in 1...2 {
                let result = try await emulator.run(
                    [
                        "--csv", "users.csv", "--if-exists", "update", "--restart", "--json", "--errors-out",
                        "errors.csv",
                    ],
                    in: workspace)
                #expect(result.exitCode == 1, "run \(run): \(result.allOutput)")
                #expect(try Self.summary(result)["failed"] as? Int == 1, "run \(run): \(result.allOutput)")
                let errors = try workspace.read("errors.csv")
                #expect(
                    errors.contains(
                        "line 3 repeats the email of line 2, and its org_id names the organization that line's "
                            + "org_external_id names, with a different role"), "\(errors)")
                let snapshot = emulator.emulator.snapshot()
                let ann = try #require(snapshot.users.first { $0.email == "ann@example.com" })
                let memberships = snapshot.memberships.filter { $0.userID == ann.id }
                #expect(memberships.first { $0.organizationID == "org_01ACME" }?.roleSlugs == ["admin"])
                #expect(memberships.first { $0.organizationID == "org_01GLOBEX" }?.roleSlugs == ["member"])
                // Bob's rows name one organization two ways with one role: they agree.
                #expect(snapshot.memberships.count == 3)
            }
            let verify = try await emulator.run(["verify", "--csv", "users.csv", "--out", "drift.csv"], in: workspace)
            let drift = try workspace.read("drift.csv").split(separator: "\n")
            #expect(drift.count == 2, "\(drift)")
            #expect(drift.last?.hasPrefix("3,ann@example.com,contradicts-earlier-row,") == true, "\(verify.allOutput)")
        }
    }

    @Test("rows of one new organization: the first name wins, another name warns, rows without one succeed")
    func organizationNames() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,org_external_id,org_name
                bob@example.com,acme,
                ann@example.com,acme,Acme
                cat@example.com,acme,Acme Corporation
                dan@example.com,acme,
                eve@example.com,acme,Acme Corporation

                """)
            let dry = try await emulator.run(["--csv", "users.csv", "--dry-run", "--json"], in: workspace)
            #expect(dry.exitCode == 0, "\(dry.allOutput)")
            let warning =
                "org_name is not \"Acme\", the name line 3 gives the organization \"acme\"; if this import creates "
                + "it, it gets line 3's name"
            #expect(dry.stderr.contains("! line 4  " + warning), "\(dry.stderr)")
            #expect(dry.stderr.contains("! line 6  " + warning), "\(dry.stderr)")
            #expect(try Self.summary(dry)["warnings"] as? Int == 2)

            let result = try await emulator.run(
                [
                    "--csv", "users.csv", "--create-org-if-missing", "--concurrency", "8", "--rate-limit", "off",
                    "--json",
                ],
                in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let summary = try Self.summary(result)
            #expect(summary["imported"] as? Int == 5, "\(result.allOutput)")
            #expect(summary["organizationsCreated"] as? Int == 1)
            #expect(result.stderr.contains("! line 4  " + warning), "\(result.stderr)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.organizations.map(\.name) == ["Acme"])
            #expect(snapshot.memberships.count == 5)
        }
    }

    @Test("a repeated email's dry-run warning names the email once and the line once")
    func repeatWarningFormat() async throws {
        let workspace = try Workspace()
        try workspace.write(
            "users.csv", "email,first_name\nada@example.com,Ada\nbob@example.com,Bob\nAda@Example.com,Ada\n")
        let dry = try await CommandRunner.run(["--csv", "users.csv", "--dry-run"], in: workspace.url)
        #expect(dry.exitCode == 0, "\(dry.allOutput)")
        #expect(
            dry.stderr.contains(
                "! line 4  \"Ada@Example.com\" is also on line 2 of this file; this row will find the user that line "
                    + "creates\n"), "\(dry.stderr)")
        #expect(!dry.stderr.contains("line 4  line 4"))
    }
}

@Suite("Repeated emails under --if-exists fail, as the README says", .tags(.endToEnd))
struct RepeatedEmailIfExistsFailTests {
    @Test("a later row that only repeats fails naming line N; one that adds an organization adds its membership")
    func repeatsAndMemberships() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,org_external_id,org_name
                ann@example.com,acme,Acme
                ann@example.com,globex,Globex
                ann@example.com,acme,Acme

                """)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--if-exists", "fail", "--create-org-if-missing"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let lines = result.stdout.split(separator: "\n")
            #expect(
                lines.contains { $0.contains("line 3") && $0.contains("line 2 of this file") && $0.hasPrefix("✓") },
                "\(result.stdout)")
            #expect(
                lines.contains {
                    $0.contains("line 4")
                        && $0.contains(
                            "the email is also on line 2 of this file, and with "
                                + "--if-exists fail only the first row of an email is imported")
                }, "\(result.stdout)")
            #expect(emulator.emulator.snapshot().memberships.count == 2)
        }
    }
}
