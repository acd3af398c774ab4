import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSEmulator

/// A file of whole identities, as a multi-organization export has them: 800 users on 3,000 rows, each user on
/// three or four adjacent rows (one per organization), 60 organizations of which 20 exist and 40 are created,
/// environment roles and one organization's custom role, several roles per membership, and a TOTP secret for
/// every other user.
struct IdentityFile {
    static let users = 800
    static let organizations = 60
    static let seededOrganizations = 20

    /// The rows, in file order: (email, organization number, roles, secret).
    let rows: [(email: String, organization: Int, roles: [String], secret: String?)]

    /// - Parameter changedRoles: the roles of every second membership become `billing`, for a rerun that
    ///   must converge them.
    init(changedRoles: Bool = false) {
        var rows: [(String, Int, [String], String?)] = []
        for user in 0..<Self.users {
            let memberships = user < 600 ? 4 : 3
            let secret = user.isMultiple(of: 2) ? Self.secret(user) : nil
            for index in 0..<memberships {
                let organization = (user + index * 7) % Self.organizations
                var roles: [String]
                switch index {
                case 0: roles = ["member"]
                case 1: roles = changedRoles ? ["billing"] : ["admin"]
                case 2: roles = ["admin", "billing"]
                default: roles = organization == 3 ? ["auditor"] : ["billing"]
                }
                rows.append(("user\(user)@example.com", organization, roles, secret))
            }
        }
        self.rows = rows
    }

    /// A Base32 secret of 32 characters, different for every user.
    static func secret(_ user: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var value = UInt64(user) &* 0x9E37_79B9_7F4A_7C15 | 1
        return String(
            (0..<32).map { _ in
                value ^= value << 13
                value ^= value >> 7
                value ^= value << 17
                return alphabet[Int(value % 32)]
            })
    }

    var csv: String {
        var text = "email,first_name,org_external_id,org_name,role_slugs,totp_secret,totp_issuer\n"
        for row in rows {
            let name = row.email.split(separator: "@")[0]
            text +=
                "\(row.email),\(name),org-\(row.organization),Org \(row.organization),"
                + "\"\(row.roles.joined(separator: ","))\",\(row.secret ?? ""),\(row.secret == nil ? "" : "Acme")\n"
        }
        return text
    }

    /// The seed: the first 20 organizations, the environment roles and organization 3's custom role.
    static var seed: EmulatorSeed {
        EmulatorSeed(
            organizations: (0..<seededOrganizations).map {
                EmulatorSeed.Organization(id: "org_seeded_\($0)", name: "Org \($0)", externalID: "org-\($0)")
            },
            roles: [
                EmulatorSeed.Role(slug: "admin"), EmulatorSeed.Role(slug: "billing"),
                EmulatorSeed.Role(slug: "auditor", organizationID: "org_seeded_3"),
            ])
    }

    /// Checks that the emulator holds exactly this file's identities: one user per email, the organizations
    /// once each, one membership per user and organization with the row's roles, one factor per user with a
    /// secret.
    func expectHeld(by snapshot: EmulatorSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
        let emails = snapshot.users.map { $0.email.lowercased() }
        #expect(Set(emails).count == emails.count, "duplicate users", sourceLocation: sourceLocation)
        #expect(Set(emails) == Set(rows.map(\.email)), sourceLocation: sourceLocation)
        let externalIds = snapshot.organizations.compactMap(\.externalID)
        #expect(externalIds.count == Self.organizations, "organizations", sourceLocation: sourceLocation)
        #expect(Set(externalIds).count == externalIds.count, "duplicate organizations", sourceLocation: sourceLocation)
        let emailOf = Dictionary(uniqueKeysWithValues: snapshot.users.map { ($0.id, $0.email) })
        let externalOf = Dictionary(
            uniqueKeysWithValues: snapshot.organizations.map { ($0.id, $0.externalID ?? $0.id) })
        let held = snapshot.memberships.filter { $0.status == "active" }.map {
            "\(emailOf[$0.userID] ?? "?")|\(externalOf[$0.organizationID] ?? "?")|\($0.roleSlugs.sorted())"
        }
        #expect(held.count == snapshot.memberships.count, "inactive memberships", sourceLocation: sourceLocation)
        #expect(Set(held).count == held.count, "duplicate memberships", sourceLocation: sourceLocation)
        let expected = Set(rows.map { "\($0.email)|org-\($0.organization)|\($0.roles.sorted())" })
        #expect(Set(held) == expected, "memberships and roles", sourceLocation: sourceLocation)
        let factorOwners = snapshot.authFactors.map { emailOf[$0.userID] ?? "?" }
        #expect(Set(factorOwners).count == factorOwners.count, "a second factor", sourceLocation: sourceLocation)
        #expect(
            Set(factorOwners) == Set(rows.filter { $0.secret != nil }.map(\.email)), "factors",
            sourceLocation: sourceLocation)
    }
}

@Suite("Whole identities: organizations, roles and TOTP per row", .tags(.endToEnd), .serialized)
struct IdentityTests {
    static func emulator(honorsIdempotencyKeys: Bool, faults: Bool = true) async throws -> EmulatorFixture {
        try await EmulatorFixture.start {
            if faults { $0.faults = EmulatorFaults(errorShare: 0.10, resetShare: 0.02, commitThenDropShare: 0.03) }
            $0.rateLimits = EmulatorRateLimits(writes: 3_000, reads: 6_000, window: 10)
            $0.honorsIdempotencyKeys = honorsIdempotencyKeys
            $0.multipleRolesEnabled = true
            $0.seed = IdentityFile.seed
        }
    }

    static func arguments(journal: String = "users.csv.journal", extra: [String] = []) -> [String] {
        [
            "--csv", "users.csv", "--create-org-if-missing", "--errors-out", "errors.jsonl", "--json",
            "--rate-limit", "400", "--read-rate-limit", "600", "--concurrency", "32", "--max-retries", "10",
            "--journal", journal,
        ] + extra
    }

    @Test(
        "through 5xx, dropped answers and resets, the import ends in exactly the file's identities; a rerun changes nothing",
        arguments: [true, false])
    func faultsEndInExactIdentities(honorsIdempotencyKeys: Bool) async throws {
        try await EmulatorFixture.scoped(try await Self.emulator(honorsIdempotencyKeys: honorsIdempotencyKeys)) {
            emulator in
            let file = IdentityFile()
            let workspace = try Workspace()
            try workspace.write("users.csv", file.csv)
            let result = try await emulator.run(Self.arguments(), in: workspace)
            #expect(result.exitCode == 0, "\(result.stderr)")
            let summary = try ResilienceTests.summary(result)
            #expect(summary["total"] as? Int == file.rows.count)
            #expect(summary["imported"] as? Int == IdentityFile.users)
            #expect(summary["failed"] as? Int == 0)
            #expect(
                summary["organizationsCreated"] as? Int == IdentityFile.organizations - IdentityFile.seededOrganizations
            )
            #expect(summary["membershipsCreated"] as? Int == file.rows.count)
            #expect(summary["factorsEnrolled"] as? Int == IdentityFile.users / 2)
            let snapshot = emulator.emulator.snapshot()
            file.expectHeld(by: snapshot)
            #expect(snapshot.counters.faults.values.reduce(0, +) > 100)

            // Without the journal (lost, or another machine): everything is found, nothing is added.
            let rerun = try await emulator.run(Self.arguments(journal: "second.journal"), in: workspace)
            #expect(rerun.exitCode == 0, "\(rerun.stderr)")
            let again = try ResilienceTests.summary(rerun)
            #expect(again["imported"] as? Int == 0)
            #expect(again["organizationsCreated"] as? Int == 0)
            #expect(again["membershipsCreated"] as? Int == 0)
            #expect(again["factorsEnrolled"] as? Int == 0)
            file.expectHeld(by: emulator.emulator.snapshot())
        }
    }

    @Test("killed with SIGKILL at random moments and resumed each time, it ends in the same identities")
    func sigkillAndResume() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator(honorsIdempotencyKeys: false)) { emulator in
            let file = IdentityFile()
            let workspace = try Workspace()
            try workspace.write("users.csv", file.csv)
            let seed = TestSeed.draw(environment: "WORKOS_IMPORT_CHAOS_SEED")
            var generator = SplitMix64(seed: seed)
            for round in 1...3 {
                let running = try CommandRunner.start(
                    Self.arguments(), in: workspace.url, environment: emulator.environment)
                let target =
                    emulator.emulator.snapshot().memberships.count + Int.random(in: 100...700, using: &generator)
                try await waitUntil(
                    "round \(round) to reach \(target) memberships (seed \(seed))", timeout: .seconds(240)
                ) {
                    emulator.emulator.snapshot().memberships.count >= target || !running.process.isRunning
                }
                running.signal(SIGKILL)
                _ = try await running.wait()
            }
            let result = try await emulator.run(Self.arguments(), in: workspace)
            #expect(result.exitCode == 0, "\(result.stderr)")
            let summary = try ResilienceTests.summary(result)
            #expect(summary["failed"] as? Int == 0)
            #expect(summary["membershipsCreated"] as? Int == file.rows.count, "seed \(seed)")
            #expect(summary["factorsEnrolled"] as? Int == IdentityFile.users / 2, "seed \(seed)")
            #expect(
                summary["organizationsCreated"] as? Int
                    == IdentityFile.organizations - IdentityFile.seededOrganizations, "seed \(seed)")
            file.expectHeld(by: emulator.emulator.snapshot())
        }
    }

    @Test("a rerun with changed roles and --if-exists update converges the memberships' roles")
    func rerunConvergesRoles() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator(honorsIdempotencyKeys: true, faults: false)) {
            emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", IdentityFile().csv)
            let first = try await emulator.run(Self.arguments(), in: workspace)
            #expect(first.exitCode == 0, "\(first.stderr)")

            let changed = IdentityFile(changedRoles: true)
            try workspace.write("users.csv", changed.csv)
            let plain = try await emulator.run(Self.arguments(journal: "plain.journal"), in: workspace)
            #expect(plain.exitCode == 0, "\(plain.stderr)")
            #expect(try ResilienceTests.summary(plain)["membershipsUpdated"] as? Int == 0)
            IdentityFile().expectHeld(by: emulator.emulator.snapshot())

            let update = try await emulator.run(
                Self.arguments(journal: "update.journal", extra: ["--if-exists", "update"]), in: workspace)
            #expect(update.exitCode == 0, "\(update.stderr)")
            #expect(try ResilienceTests.summary(update)["membershipsUpdated"] as? Int == IdentityFile.users)
            changed.expectHeld(by: emulator.emulator.snapshot())
        }
    }
}

@Suite("Per-row organizations and roles: each problem has its message", .tags(.endToEnd))
struct IdentityMessageTests {
    static let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    @Test("rows naming missing organizations, unknown roles or bad secrets fail alone, each saying why")
    func rowProblems() async throws {
        let fixture = try await EmulatorFixture.start {
            $0.seed = EmulatorSeed(
                organizations: [EmulatorSeed.Organization(id: "org_acme", name: "Acme", externalID: "acme")],
                roles: [EmulatorSeed.Role(slug: "admin")])
        }
        try await EmulatorFixture.scoped(fixture) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,org_id,org_external_id,org_name,role_slugs,totp_secret
                ann@example.com,,acme,,admin,\(Self.secret)
                bob@example.com,,globex,Globex,,
                cat@example.com,,,Initech,,
                dan@example.com,org_acme,acme,,,
                eve@example.com,,acme,,owner,
                fay@example.com,,acme,,"admin,member",
                gus@example.com,,acme,,,not-base32!
                hal@example.com,org_missing,,,,

                """)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--errors-out", "errors.jsonl"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let out = result.stdout
            #expect(out.contains("line 2  ann@example.com  created"), "\(out)")
            #expect(out.contains("membership created in acme, TOTP factor enrolled"), "\(out)")
            #expect(out.contains("no organization has the external id \"globex\"; run with --create-org-if-missing"))
            #expect(out.contains("org_name needs org_external_id, so the organization can be found again on a rerun"))
            #expect(out.contains("org_id and org_external_id are both set"))
            #expect(out.contains("role \"owner\" does not exist in organization acme; its roles are admin, member"))
            #expect(out.contains("multiple roles turned off"), "\(out)")
            #expect(out.contains("totp_secret is not a Base32 secret"))
            #expect(!out.contains("not-base32!"))
            #expect(out.contains("organization org_missing does not exist"))
            let errors = try workspace.read("errors.jsonl")
            #expect(errors.contains("\"stage\":\"organization\""))
            #expect(errors.contains("\"stage\":\"role\""))
            #expect(errors.contains("\"organization\":\"globex\""))
            #expect(!errors.contains(Self.secret))
            // Nothing was created for a row that failed before its user. Whether the environment takes
            // several roles shows only when a membership asks for them, so fay's user is there, without one.
            let snapshot = emulator.emulator.snapshot()
            #expect(Set(snapshot.users.map(\.email)) == ["ann@example.com", "fay@example.com"])
            #expect(snapshot.memberships.count == 1)
            #expect(snapshot.organizations.count == 1)
            #expect(snapshot.authFactors.count == 1)
        }
    }

    @Test("organization columns together with --org-id stop at the start with exit code 2")
    func columnsAndFlagsConflict() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", "email,org_external_id\nann@example.com,acme\n")
        let result = try await CommandRunner.run(
            ["--csv", "users.csv", "--org-id", "org_1", "--dry-run"], in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains("the file has organization columns"), "\(result.stderr)")
        let role = try await CommandRunner.run(
            ["--csv", "users.csv", "--role", "Admin", "--dry-run"], in: workspace.url)
        #expect(role.exitCode == 2)
        #expect(role.stderr.contains("is not a role slug"), "\(role.stderr)")
    }

    @Test("a dry run checks the new columns and counts the organizations, memberships and factors")
    func dryRunCounts() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", IdentityFile().csv)
        let result = try await CommandRunner.run(["--csv", "users.csv", "--dry-run", "--json"], in: workspace.url)
        #expect(result.exitCode == 0, "\(result.allOutput)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["usersToCreate"] as? Int == IdentityFile.users)
        #expect(object["organizationsNamed"] as? Int == IdentityFile.organizations)
        #expect(object["membershipsToCreate"] as? Int == IdentityFile().rows.count)
        #expect(object["factorsToEnroll"] as? Int == IdentityFile.users / 2)
        #expect(object["failed"] as? Int == 0)
    }

    @Test("an inactive membership is reactivated; a pending one fails the row with WorkOS's reason")
    func inactiveAndPending() async throws {
        let fixture = try await EmulatorFixture.start {
            $0.seed = EmulatorSeed(
                users: [EmulatorSeed.User(email: "ann@example.com"), EmulatorSeed.User(email: "bob@example.com")],
                organizations: [EmulatorSeed.Organization(id: "org_acme", name: "Acme", externalID: "acme")],
                memberships: [
                    EmulatorSeed.Membership(
                        userEmail: "ann@example.com", organizationID: "org_acme", status: "inactive"),
                    EmulatorSeed.Membership(
                        userEmail: "bob@example.com", organizationID: "org_acme", status: "pending"),
                ])
        }
        try await EmulatorFixture.scoped(fixture) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", "email,org_id\nann@example.com,org_acme\nbob@example.com,org_acme\n")
            let result = try await emulator.run(["--csv", "users.csv"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            #expect(result.stdout.contains("ann@example.com  already existed"), "\(result.stdout)")
            #expect(result.stdout.contains("membership reactivated in org_acme"), "\(result.stdout)")
            #expect(result.stdout.contains("pending invitation"), "\(result.stdout)")
            let statuses = emulator.emulator.snapshot().memberships.map(\.status).sorted()
            #expect(statuses == ["active", "pending"])
        }
    }
}
