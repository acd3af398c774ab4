import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSEmulator

/// A whole tenant in one migration package: organizations with domains and metadata, environment and
/// organization roles with permissions, 2,000 users with memberships, extra memberships, role assignments
/// and TOTP secrets, and the traps a real export holds. Planned, imported under faults while killed twice,
/// verified and undone.
@Suite("A whole tenant from a migration package", .tags(.endToEnd))
struct TenantPackageTests {
    static let users = 2_000
    static let organizations = 40

    /// The organization user `index` belongs to first.
    static func organization(of index: Int) -> Int { index % organizations + 1 }

    /// Writes the package: what it holds is counted by ``expected``.
    static func write(in workspace: borrowing Workspace) throws {
        var organizationsFile = "org_id,org_external_id,org_name,domains,metadata\n"
        for number in 1...organizations {
            organizationsFile +=
                ",org-\(number),Org \(number),\"o\(number).com:verified,o\(number).net\","
                + "\"{\"\"n\"\":\"\"\(number)\"\",\"\"tier\"\":\"\"gold\"\"}\"\n"
        }
        // Traps: a public mail domain marked verified, and a domain another row verifies.
        organizationsFile += ",freemail,Freemail,gmail.com:verified,\n,claimer,Claimer,o1.com:verified,\n"

        var roles = "role_slug,role_name,role_type,permissions,org_id,org_external_id\n"
        roles += "editor,Editor,environment,\"docs:read,docs:write\",,\n"
        roles += "viewer,Viewer,environment,docs:read,,\n"
        roles += "billing,Billing,environment,\"billing:read,billing:write\",,\n"
        roles += "support,Support,environment,tickets:read,,\n"
        roles += "auditor,Auditor,environment,reports:read,,\n"
        roles += "owner,Owner,environment,\"[\"\"docs:write\"\",\"\"billing:write\"\"]\",,\n"
        for number in 1...6 { roles += "org-lead,Lead,organization,\"reports:read,tickets:read\",,org-\(number)\n" }
        // Trap: an organization role without the prefix WorkOS requires.
        roles += "lead,Lead,organization,reports:read,,org-7\n"

        let environmentRoles = ["editor", "viewer", "billing", "support", "owner"]
        var usersFile = MigrationPackageWriter.usersHeader + "\n"
        var memberships = MigrationPackageWriter.membershipsHeader + "\n"
        var assignments = "email,user_id,external_id,role_slug,org_id,org_external_id\n"
        var secrets = "email,totp_secret,totp_issuer,totp_user\n"
        for index in 0..<users {
            let number = organization(of: index)
            var role = environmentRoles[index % environmentRoles.count]
            if number <= 6 && index.isMultiple(of: 3) { role += ",org-lead" }
            usersFile +=
                "u\(index)@o\(number).com,,,,First\(index),Last\(index),true,ext-\(index),,,org-\(number),"
                + "Org \(number),\"\(role)\"\n"
            if index.isMultiple(of: 5) {
                let other = number % organizations + 1
                memberships += "u\(index)@o\(number).com,ext-\(index),ext-\(index),,org-\(other),Org \(other),viewer,\n"
            }
            if index.isMultiple(of: 7) { assignments += ",ext-\(index),ext-\(index),auditor,,org-\(number)\n" }
            if index.isMultiple(of: 4) { secrets += "u\(index)@o\(number).com,\(IdentityFile.secret(index)),Acme,\n" }
        }
        // Trap: an email two users share, so its secret joins no one.
        usersFile += "shared@o1.com,,,,Sam,One,true,ext-shared-1,,,,,\n"
        usersFile += "shared@o1.com,,,,Sam,Two,true,ext-shared-2,,,,,\n"
        secrets += "shared@o1.com,\(IdentityFile.secret(9_999)),Acme,\n"
        try MigrationPackageWriter.write(
            in: workspace.url.appendingPathComponent("package"),
            files: [
                "users.csv": usersFile, "organizations.csv": organizationsFile, "role_definitions.csv": roles,
                "organization_memberships.csv": memberships, "user_role_assignments.csv": assignments,
                "totp_secrets.csv": secrets,
            ])
    }

    /// What the package should make.
    enum Expected {
        /// 2,000 users and the first of the two sharing an email.
        static let users = TenantPackageTests.users + 1
        static let organizations = TenantPackageTests.organizations
        static let domains = 2 * TenantPackageTests.organizations
        /// Six environment roles, and `org-lead` in six organizations.
        static let roles = 12
        static let permissions = 6
        /// Each user's first organization, and every fifth user's second.
        static let memberships = TenantPackageTests.users + TenantPackageTests.users / 5
        static let factors = TenantPackageTests.users / 4
    }

    static func emulator(honorsIdempotencyKeys: Bool = true, faults: Bool = false) async throws -> EmulatorFixture {
        try await EmulatorFixture.start {
            $0.multipleRolesEnabled = true
            $0.honorsIdempotencyKeys = honorsIdempotencyKeys
            if faults { $0.faults = EmulatorFaults(errorShare: 0.10, resetShare: 0.02, commitThenDropShare: 0.03) }
        }
    }

    static func json(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last, "no stdout: \(result.allOutput)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("plan on the empty environment predicts every organization, domain, role, permission, membership and factor")
    func planPredictsEverything() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try Self.write(in: workspace)
            let plan = try await emulator.run(["plan", "--package", "package", "--json"], in: workspace)
            let summary = try Self.json(plan)
            #expect(summary["usersToCreate"] as? Int == Expected.users, "\(plan.allOutput.suffix(3_000))")
            #expect(summary["organizationsToCreate"] as? Int == Expected.organizations)
            #expect(summary["membershipsToCreate"] as? Int == Expected.memberships)
            #expect(summary["factorsToEnroll"] as? Int == Expected.factors)
            let organizations = try #require(summary["organizations"] as? [String: Int])
            #expect(organizations["created"] == Expected.organizations)
            #expect(organizations["domainsAdded"] == Expected.domains)
            #expect(organizations["failed"] == 2)
            let roles = try #require(summary["roles"] as? [String: Int])
            #expect(roles["created"] == Expected.roles)
            #expect(roles["permissionsCreated"] == Expected.permissions)
            #expect(roles["failed"] == 1)
            #expect(emulator.emulator.snapshot().counters.requests.keys.allSatisfy { $0.hasPrefix("GET ") })
        }
    }

    @Test(
        "imported under faults, killed twice and resumed: every effect exactly once; verify finds only the traps; undo takes it back",
        arguments: [true, false])
    func killedTwiceUnderFaults(honorsIdempotencyKeys: Bool) async throws {
        try await EmulatorFixture.scoped(
            try await Self.emulator(honorsIdempotencyKeys: honorsIdempotencyKeys, faults: true)
        ) { emulator in
            let workspace = try Workspace()
            try Self.write(in: workspace)
            // The environment's own roles (admin, member), which the import must leave as they are.
            let before = Set(emulator.emulator.snapshot().roles.map(\.slug))
            // Retries as the other chaos tests allow them: at 12% failed attempts, five retries leave a row in
            // some thousands failing for good, which is the import's honest answer but not what this test is about.
            let arguments = [
                "--package", "package", "--rate-limit", "off", "--concurrency", "16", "--max-retries", "10", "--json",
            ]
            for (kill, after) in [(1, 300), (2, 1_200)] {
                let running = try CommandRunner.start(arguments, in: workspace.url, environment: emulator.environment)
                try await waitUntil("\(after) memberships before kill \(kill)", timeout: .seconds(240)) {
                    emulator.emulator.snapshot().memberships.count >= after || !running.process.isRunning
                }
                running.signal(SIGKILL)
                _ = try await running.wait()
                try await emulator.waitUntilQuiet()
                #expect(
                    emulator.emulator.snapshot().memberships.count < Expected.memberships,
                    "the run ended before kill \(kill)")
            }
            let resumed = try await emulator.run(arguments, in: workspace)
            // The organizations, role and user traps fail their rows; of the users' rows, only the second
            // user on a shared email.
            #expect(resumed.exitCode == 1, "\(resumed.allOutput.suffix(3_000))")
            let failedLines = resumed.allOutput.split(separator: "\n").filter {
                $0.contains("✗") || $0.contains("failed")
            }
            #expect(try Self.json(resumed)["failed"] as? Int == 1, "\(failedLines.suffix(40).joined(separator: "\n"))")

            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.count == Expected.users)
            #expect(Set(snapshot.users.map(\.email)).count == Expected.users)
            #expect(snapshot.organizations.count == Expected.organizations)
            #expect(snapshot.organizations.reduce(0) { $0 + $1.domainStates.count } == Expected.domains)
            for organization in snapshot.organizations {
                let number = try #require(organization.externalID?.split(separator: "-").last)
                #expect(organization.domainStates == ["o\(number).com": "verified", "o\(number).net": "pending"])
                #expect(organization.metadata == ["n": String(number), "tier": "gold"])
            }
            // The environment's own roles, and the package's twelve.
            let roles = snapshot.roles.filter { !before.contains($0.slug) }.map { role in
                role.slug + "@" + (snapshot.organizations.first { $0.id == role.organizationID }?.externalID ?? "-")
            }
            let expectedRoles =
                ["auditor@-", "billing@-", "editor@-", "owner@-", "support@-", "viewer@-"]
                + (1...6).map { "org-lead@org-\($0)" }
            #expect(roles.sorted() == expectedRoles.sorted())
            #expect(snapshot.roles.count == Expected.roles + before.count)
            #expect(snapshot.permissions.count == Expected.permissions)
            let editor = try #require(snapshot.roles.first { $0.slug == "editor" })
            #expect(Set(editor.permissions) == ["docs:read", "docs:write"])
            #expect(snapshot.roles.filter { $0.slug == "org-lead" }.count == 6)
            #expect(snapshot.memberships.count == Expected.memberships)
            #expect(Set(snapshot.memberships.map { "\($0.userID) \($0.organizationID)" }).count == Expected.memberships)
            let audited = snapshot.memberships.filter { $0.roleSlugs.contains("auditor") }.count
            #expect(audited == (Self.users + 6) / 7)
            #expect(snapshot.authFactors.count == Expected.factors)
            #expect(Set(snapshot.authFactors.map(\.userID)).count == Expected.factors)

            // The faults stay on: verify and undo get the import's retries (an undo with its default 5 once
            // gave up on one user whose read kept meeting resets, and left it and its organization).
            let verify = try await emulator.run(
                ["verify", "--package", "package", "--max-retries", "10", "--json"], in: workspace)
            let verified = try Self.json(verify)
            // Only the traps: the second user on a shared email, the role without its prefix, and the two
            // organizations rows that verify a public or a taken domain.
            let kinds = verified["byKind"] as? [String: Int]
            #expect(kinds == ["contradicts-earlier-row": 1, "invalid-row": 3], "\(verify.allOutput.suffix(3_000))")

            let undo = try await emulator.run(
                ["undo", "--journal", "package/users.joined.csv.journal", "--yes", "--max-retries", "10", "--json"],
                in: workspace)
            let undone = try Self.json(undo)
            #expect(undone["usersDeleted"] as? Int == Expected.users, "\(undo.allOutput.suffix(3_000))")
            #expect(undone["organizationsDeleted"] as? Int == Expected.organizations)
            #expect(undone["rolesDeleted"] as? Int == 6)
            #expect(undone["permissionsDeleted"] as? Int == Expected.permissions)
            // WorkOS has no API to delete an environment role: undo leaves and lists the six it made, and says
            // the undo is incomplete.
            let left = (undone["left"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(Set(left) == ["editor", "viewer", "billing", "support", "auditor", "owner"])
            #expect(undo.exitCode == 1)
            let after = emulator.emulator.snapshot()
            #expect(after.users.isEmpty)
            #expect(after.organizations.isEmpty)
            #expect(after.memberships.isEmpty)
            #expect(after.authFactors.isEmpty)
            #expect(after.permissions.isEmpty)
            #expect(Set(after.roles.map(\.slug)) == before.union(left))
        }
    }
}
