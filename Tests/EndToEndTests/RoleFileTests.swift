import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSClient
import WorkOSEmulator

/// `--roles` and a package's `role_definitions.csv`: permissions and roles, environment and organization,
/// settled before the memberships that name them, exactly once; planned, and undone.
@Suite("Roles file", .tags(.endToEnd))
struct RoleFileTests {
    static func summary(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last, "no stdout: \(result.allOutput)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static func roleCounts(_ result: CommandResult) throws -> [String: Int] {
        try #require(try Self.summary(result)["roles"] as? [String: Int], "no roles counts: \(result.stdout)")
    }

    /// Every request that changes roles or permissions.
    static func authorizationWrites(_ emulator: EmulatorFixture) -> Int {
        emulator.emulator.snapshot().counters.requests.filter { route, _ in
            route.contains(" /authorization/") && !route.hasPrefix("GET ")
        }.values.reduce(0) { $0 + $1.values.reduce(0, +) }
    }

    static let organizations = """
        org_id,org_external_id,org_name,domains,metadata
        ,acme,Acme Inc,,
        ,globex,Globex,,
        ,initech,Initech,,

        """

    /// Three environment roles and three organization roles, with their permissions.
    static let roles = RoleFileWriter.csv([
        .init("editor", "Editor", .environment, ["docs:read", "docs:write"]),
        .init("viewer", "Viewer", .environment, ["docs:read"]),
        .init("billing-admin", "Billing Admin", .environment, ["billing:read", "billing:write"], json: true),
        .init("org-auditor", "Auditor", .organization("acme"), ["reports:read"]),
        .init("org-approver", "Approver", .organization("globex"), ["reports:read", "invoices:approve"]),
        .init("org-ops", "Operations", .organization("initech"), []),
    ])

    static let users = """
        email,org_external_id,role_slugs
        ada@acme.com,acme,org-auditor
        bob@acme.com,acme,editor
        gus@globex.com,globex,org-approver
        hal@initech.com,initech,org-ops
        ivy@initech.com,initech,billing-admin

        """

    static let arguments = [
        "--csv", "users.csv", "--organizations", "orgs.csv", "--roles", "roles.csv", "--json",
    ]

    /// The roles the file asks for: slug → (organization external id, permissions).
    static func checkRoles(_ snapshot: EmulatorSnapshot) throws {
        let organizations = Dictionary(
            uniqueKeysWithValues: snapshot.organizations.compactMap { org in org.externalID.map { ($0, org.id) } })
        func role(_ slug: String) throws -> EmulatorSnapshot.Role {
            try #require(snapshot.roles.first { $0.slug == slug }, "no role \(slug)")
        }
        #expect(Set(try role("editor").permissions) == ["docs:read", "docs:write"])
        #expect(try role("editor").type == "EnvironmentRole")
        #expect(try role("viewer").permissions == ["docs:read"])
        #expect(Set(try role("billing-admin").permissions) == ["billing:read", "billing:write"])
        #expect(try role("billing-admin").name == "Billing Admin")
        #expect(try role("org-auditor").organizationID == organizations["acme"])
        #expect(try role("org-auditor").permissions == ["reports:read"])
        #expect(try role("org-approver").organizationID == organizations["globex"])
        #expect(Set(try role("org-approver").permissions) == ["reports:read", "invoices:approve"])
        #expect(try role("org-ops").organizationID == organizations["initech"])
        #expect(try role("org-ops").permissions.isEmpty)
        #expect(snapshot.roles.count == 2 + 6)
        #expect(
            Set(snapshot.permissions.map(\.slug)) == [
                "docs:read", "docs:write", "billing:read", "billing:write", "reports:read", "invoices:approve",
            ])
        #expect(snapshot.permissions.count == 6)
    }

    @Test(
        "permissions and roles are created before the memberships that name them; a rerun changes nothing; undo takes them back but a role still held"
    )
    func rolesWithUsers() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("roles.csv", Self.roles)
            try workspace.write("users.csv", Self.users)
            let result = try await emulator.run(Self.arguments, in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let counts = try Self.roleCounts(result)
            #expect(counts["created"] == 6)
            #expect(counts["permissionsCreated"] == 6)
            #expect(counts["failed"] == 0)
            let snapshot = emulator.emulator.snapshot()
            try Self.checkRoles(snapshot)
            #expect(snapshot.memberships.count == 5)
            let slugs = Set(snapshot.memberships.flatMap(\.roleSlugs))
            #expect(slugs == ["org-auditor", "editor", "org-approver", "org-ops", "billing-admin"])
            let journal = try workspace.read("users.csv.journal")
            for type in [
                "permission-sent", "permission", "role-sent", "role", "role-permissions-sent", "role-permissions",
            ] {
                #expect(journal.contains(#""type":"\#(type)""#), "no \(type) line")
            }

            let writes = Self.authorizationWrites(emulator)
            let again = try await emulator.run(Self.arguments, in: workspace)
            #expect(again.exitCode == 0, "\(again.allOutput)")
            #expect(try Self.roleCounts(again)["unchanged"] == 6)
            #expect(try Self.roleCounts(again)["permissionsExisting"] == 6)
            #expect(Self.authorizationWrites(emulator) == writes)

            // Another import gives kim the auditor role: undo of the first leaves that role, saying why.
            try workspace.write("more.csv", "email,org_external_id,role_slugs\nkim@acme.com,acme,org-auditor\n")
            let more = try await emulator.run(["--csv", "more.csv"], in: workspace)
            #expect(more.exitCode == 0, "\(more.allOutput)")
            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal.1", "--yes", "--json"], in: workspace)
            let report = try Self.summary(undo)
            #expect(report["rolesDeleted"] as? Int == 2, "\(undo.allOutput)")
            #expect(report["permissionsDeleted"] as? Int == 6)
            let left = try #require(report["left"] as? [[String: Any]])
            let leftRoles = left.filter { $0["kind"] as? String == "role" }
            #expect(leftRoles.count == 4)
            #expect(
                leftRoles.contains {
                    ($0["id"] as? String ?? "").hasSuffix("/org-auditor")
                        && ($0["reason"] as? String ?? "").contains("still holds it")
                })
            #expect(
                leftRoles.filter { ($0["reason"] as? String ?? "").contains("no API to delete an environment role") }
                    .count == 3)
            let after = emulator.emulator.snapshot()
            #expect(after.permissions.isEmpty)
            #expect(
                Set(after.roles.map(\.slug)) == ["admin", "member", "editor", "viewer", "billing-admin", "org-auditor"])
            #expect(after.roles.allSatisfy { $0.permissions.isEmpty })
        }
    }

    @Test(
        "an organization role without the org- prefix, or whose organization is nowhere, fails with its line before anything is sent"
    )
    func prefixTrap() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write(
                "roles.csv",
                RoleFileWriter.csv([
                    .init("auditor", "Auditor", .organization("acme"), ["reports:read"]),
                    .init("org-ghost", "Ghost", .organization("nowhere"), ["ghost:read"]),
                ]))
            try workspace.write("users.csv", "email,org_external_id,role_slugs\nada@acme.com,acme,auditor\n")
            let dry = try await emulator.run(Self.arguments + ["--dry-run"], in: workspace)
            #expect(dry.exitCode == 1, "\(dry.allOutput)")
            #expect(
                dry.stderr.contains(
                    #"roles.csv line 2: organization role "auditor" must have a slug that begins with org-"#),
                "\(dry.stderr)")

            let result = try await emulator.run(Self.arguments, in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            #expect(result.stderr.contains("roles.csv line 2: organization role"), "\(result.stderr)")
            #expect(
                result.stderr.contains(
                    "roles.csv line 3: organization role \"org-ghost\" names the organization \"nowhere\", which is neither"
                ), "\(result.stderr)")
            #expect(try Self.roleCounts(result)["failed"] == 2)
            #expect(Self.authorizationWrites(emulator) == 0)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.permissions.isEmpty)
            // The membership naming the refused role is not made.
            #expect(snapshot.memberships.isEmpty)
        }
    }

    @Test(
        "an existing role with other permissions or another name is reported, and updated only with --if-exists update, never losing a permission"
    )
    func existingRoleUpdatedOnlyWhenAsked() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("users.csv", "email,role_slugs\nada@acme.com,\n")
            try workspace.write(
                "roles.csv", RoleFileWriter.csv([.init("editor", "Editor", .environment, ["docs:read", "legacy:all"])]))
            let first = try await emulator.run(Self.arguments, in: workspace)
            #expect(first.exitCode == 0, "\(first.allOutput)")
            try workspace.write(
                "roles.csv",
                RoleFileWriter.csv([.init("editor", "Editors", .environment, ["docs:read", "docs:write"])]))
            let writes = Self.authorizationWrites(emulator)
            let reported = try await emulator.run(Self.arguments, in: workspace)
            #expect(try Self.roleCounts(reported)["differing"] == 1, "\(reported.allOutput)")
            #expect(reported.stderr.contains("roles.csv line 2: role role_"), "\(reported.stderr)")
            #expect(reported.stderr.contains("permission docs:write missing"), "\(reported.stderr)")
            // The missing permission is created (a permission that exists is reused); the role is not changed.
            #expect(Self.authorizationWrites(emulator) == writes + 1)
            #expect(
                emulator.emulator.snapshot().roles.first { $0.slug == "editor" }?.permissions == [
                    "docs:read", "legacy:all",
                ])

            let updated = try await emulator.run(Self.arguments + ["--if-exists", "update"], in: workspace)
            #expect(updated.exitCode == 0, "\(updated.allOutput)")
            #expect(try Self.roleCounts(updated)["updated"] == 1)
            let editor = try #require(emulator.emulator.snapshot().roles.first { $0.slug == "editor" })
            #expect(editor.permissions == ["docs:read", "legacy:all", "docs:write"])
            #expect(editor.name == "Editors")
            let journal = try workspace.read("users.csv.journal")
            #expect(journal.contains(#""type":"role-update-sent""#))
            #expect(journal.contains(#""type":"role-updated""#))
        }
    }

    @Test(
        "killed while creating permissions and roles, then resumed under commit-then-drop: exactly the roles and permissions asked for, all the import's",
        arguments: [true, false])
    func killedAndResumed(honorsIdempotencyKeys: Bool) async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.honorsIdempotencyKeys = honorsIdempotencyKeys
                $0.faults = EmulatorFaults(latencyMilliseconds: 60, commitThenDropShare: 0.1)
            }
        ) { emulator in
            let workspace = try Workspace()
            var definitions: [RoleFileWriter.Definition] = []
            for index in 1...12 {
                definitions.append(
                    .init("env-\(index)", "Env \(index)", .environment, ["p\(index):read", "p\(index):write"]))
                let organization = ["acme", "globex", "initech"][index % 3]
                definitions.append(
                    .init(
                        "org-r\(index)", "Org \(index)", .organization(organization),
                        ["p\(index):read", "q\(index):run"]))
            }
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("roles.csv", RoleFileWriter.csv(definitions))
            try workspace.write(
                "users.csv", "email,org_external_id,role_slugs\nada@acme.com,acme,org-r3\nbo@acme.com,acme,env-5\n")
            let arguments = Self.arguments + ["--rate-limit", "off"]
            let running = try CommandRunner.start(arguments, in: workspace.url, environment: emulator.environment)
            try await waitUntil("the first permissions to be created", timeout: .seconds(180)) {
                emulator.emulator.snapshot().permissions.count >= 8 || !running.process.isRunning
            }
            running.signal(SIGKILL)
            _ = try await running.wait()
            try await emulator.waitUntilQuiet()
            #expect(emulator.emulator.snapshot().roles.count < 2 + 24, "the run ended before it was killed")

            let resumed = try await emulator.run(arguments, in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
            let counts = try Self.roleCounts(resumed)
            #expect(counts["created"] == 24, "\(resumed.stdout)")
            #expect(counts["permissionsCreated"] == 36)
            #expect(counts["permissionsExisting"] == 0)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.permissions.count == 36)
            #expect(snapshot.roles.count == 2 + 24)
            for definition in definitions {
                let role = try #require(snapshot.roles.first { $0.slug == definition.slug })
                #expect(Set(role.permissions) == Set(definition.permissions), "\(definition.slug)")
            }
            #expect(snapshot.memberships.count == 2)

            // Every role and permission is the import's: undo deletes all it can (environment roles stay).
            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            let report = try Self.summary(undo)
            #expect(report["rolesDeleted"] as? Int == 12, "\(undo.allOutput)")
            #expect(report["permissionsDeleted"] as? Int == 36)
            // The environment is as before, but for the environment roles no API deletes (left, without
            // their permissions).
            let after = emulator.emulator.snapshot()
            #expect(after.permissions.isEmpty)
            #expect(after.users.isEmpty)
            #expect(after.organizations.isEmpty)
            #expect(after.memberships.isEmpty)
            #expect(Set(after.roles.map(\.slug)) == Set(["admin", "member"] + (1...12).map { "env-\($0)" }))
            #expect(after.roles.allSatisfy { $0.permissions.isEmpty })
        }
    }

    @Test("verify reports a role missing and a role missing a permission, on the roles file's line")
    func verifyDrift() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("roles.csv", Self.roles)
            try workspace.write("users.csv", Self.users)
            let imported = try await emulator.run(Self.arguments, in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            let clean = try await emulator.run(["verify", "--csv", "users.csv", "--roles", "roles.csv"], in: workspace)
            #expect(clean.exitCode == 0, "\(clean.allOutput)")

            // Someone takes a permission off the editor role; the file also names a role never imported.
            let client = WorkOSHTTPClient(baseURL: emulator.emulator.baseURL, apiKey: emulator.apiKey)
            let changed: Result<WorkOSRole, any Error>
            do {
                changed = .success(
                    try await client.setRolePermissions(
                        slug: "editor", organizationId: nil, SetRolePermissionsRequest(permissions: ["docs:read"])))
            } catch {
                changed = .failure(error)
            }
            await client.shutdown()
            _ = try changed.get()
            try workspace.write("more-roles.csv", Self.roles + "writer,Writer,environment,docs:write,,\n")
            let drifted = try await emulator.run(
                ["verify", "--csv", "users.csv", "--roles", "more-roles.csv"], in: workspace)
            #expect(drifted.exitCode == 1, "\(drifted.allOutput)")
            #expect(drifted.stdout.contains("line 2  more-roles.csv  role-permissions"), "\(drifted.stdout)")
            #expect(drifted.stdout.contains("line 8  more-roles.csv  role-missing"), "\(drifted.stdout)")
            let json = try await emulator.run(
                ["verify", "--csv", "users.csv", "--roles", "more-roles.csv", "--json"], in: workspace)
            let kinds = try #require(try Self.summary(json)["byKind"] as? [String: Int])
            #expect(kinds == ["role-permissions": 1, "role-missing": 1])
        }
    }

    @Test("plan on an empty environment predicts the permissions, roles and memberships, and sends no write")
    func planCounts() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("roles.csv", Self.roles)
            try workspace.write("users.csv", Self.users)
            let plan = try await emulator.run(["plan"] + Self.arguments, in: workspace)
            #expect(plan.exitCode == 0, "\(plan.allOutput)")
            let summary = try Self.summary(plan)
            #expect(summary["usersToCreate"] as? Int == 5)
            #expect(summary["membershipsToCreate"] as? Int == 5)
            #expect(summary["failed"] as? Int == 0)
            let counts = try Self.roleCounts(plan)
            #expect(counts["created"] == 6)
            #expect(counts["permissionsCreated"] == 6)
            #expect(counts["failed"] == 0)
            #expect(Self.authorizationWrites(emulator) == 0)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.permissions.isEmpty)
            #expect(snapshot.roles.count == 2)
            #expect(snapshot.organizations.isEmpty)
        }
    }

    @Test("a migration package's role_definitions.csv is imported like --roles")
    func packageRoles() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try MigrationPackageWriter.write(
                in: workspace.url.appendingPathComponent("package"),
                files: [
                    "users.csv": MigrationPackageWriter.usersHeader + "\n"
                        + "ada@acme.com,,,,Ada,Lovelace,true,u-1,,,acme,Acme Inc,org-auditor\n",
                    "organizations.csv": Self.organizations,
                    "role_definitions.csv": Self.roles,
                ])
            let result = try await emulator.run(["--package", "package", "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(try Self.roleCounts(result)["created"] == 6)
            try Self.checkRoles(emulator.emulator.snapshot())
            #expect(emulator.emulator.snapshot().memberships.first?.roleSlugs == ["org-auditor"])
        }
    }
}

/// Writes a roles file as WorkOS's toolkit does (`role_definitions.csv`:
/// `role_slug,role_name,role_type,permissions,org_id,org_external_id`; permissions a comma list in one
/// quoted cell, or a JSON array).
enum RoleFileWriter {
    enum Scope {
        case environment
        /// An organization role, by its organization's external id.
        case organization(String)
    }

    struct Definition {
        var slug: String
        var name: String
        var scope: Scope
        var permissions: [String]
        var json: Bool

        init(_ slug: String, _ name: String, _ scope: Scope, _ permissions: [String], json: Bool = false) {
            self.slug = slug
            self.name = name
            self.scope = scope
            self.permissions = permissions
            self.json = json
        }
    }

    static let header = "role_slug,role_name,role_type,permissions,org_id,org_external_id"

    static func csv(_ definitions: [Definition]) -> String {
        var text = header + "\n"
        for definition in definitions {
            let permissions: String
            if definition.json {
                let array = "[" + definition.permissions.map { "\"\($0)\"" }.joined(separator: ",") + "]"
                permissions = "\"" + array.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            } else {
                permissions = "\"" + definition.permissions.joined(separator: ",") + "\""
            }
            switch definition.scope {
            case .environment:
                text += "\(definition.slug),\(definition.name),environment,\(permissions),,\n"
            case .organization(let externalId):
                text += "\(definition.slug),\(definition.name),organization,\(permissions),,\(externalId)\n"
            }
        }
        return text
    }
}
