import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSEmulator

/// `--organizations` and `--package`: organizations with their domains and metadata, settled before the
/// users that name them, exactly once.
@Suite("Organizations file and migration package", .tags(.endToEnd))
struct OrganizationFileTests {
    static func summary(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last, "no stdout: \(result.allOutput)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static func organizationCounts(_ result: CommandResult) throws -> [String: Int] {
        let summary = try Self.summary(result)
        return try #require(summary["organizations"] as? [String: Int], "no organizations counts: \(result.stdout)")
    }

    static let organizations = """
        org_id,org_external_id,org_name,domains,metadata
        ,acme,Acme Inc,"acme.com:verified,acme.io","{""tier"":""gold"",""seats"":40}"
        ,globex,Globex,globex.com;globex.net:verified,

        """

    static let users = """
        email,first_name,org_external_id,org_name
        ada@acme.com,Ada,acme,Acme Inc
        bob@acme.com,Bob,acme,Acme Inc
        gus@globex.com,Gus,globex,Globex

        """

    @Test(
        "an organizations file's domains and metadata are created before the users that join them; a rerun changes nothing"
    )
    func organizationsWithUsers() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("users.csv", Self.users)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "orgs.csv", "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let counts = try Self.organizationCounts(result)
            #expect(counts["created"] == 2)
            #expect(counts["domainsAdded"] == 4)
            #expect(counts["failed"] == 0)
            #expect(try Self.summary(result)["organizationsCreated"] as? Int == 2)

            let snapshot = emulator.emulator.snapshot()
            let acme = try #require(snapshot.organizations.first { $0.externalID == "acme" })
            #expect(acme.name == "Acme Inc")
            #expect(acme.domainStates == ["acme.com": "verified", "acme.io": "pending"])
            #expect(acme.metadata == ["tier": "gold", "seats": "40"])
            let globex = try #require(snapshot.organizations.first { $0.externalID == "globex" })
            #expect(globex.domainStates == ["globex.com": "pending", "globex.net": "verified"])
            #expect(snapshot.organizations.count == 2)
            #expect(snapshot.memberships.count == 3)
            #expect(Set(snapshot.memberships.map(\.organizationID)) == [acme.id, globex.id])

            let again = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "orgs.csv", "--json"], in: workspace)
            #expect(again.exitCode == 0, "\(again.allOutput)")
            #expect(try Self.organizationCounts(again)["unchanged"] == 2)
            #expect(emulator.emulator.snapshot().counters.total("POST /organizations") == 2)
            #expect(emulator.emulator.snapshot().counters.total("PUT /organizations/{id}") == 0)
        }
    }

    @Test(
        "an existing organization whose domains or metadata differ is reported, and updated only with --if-exists update"
    )
    func differingOrganizationUpdatedOnlyWhenAsked() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("users.csv", Self.users)
            let first = try await emulator.run(["--csv", "users.csv", "--organizations", "orgs.csv"], in: workspace)
            #expect(first.exitCode == 0, "\(first.allOutput)")
            try workspace.write(
                "orgs.csv",
                """
                org_id,org_external_id,org_name,domains,metadata
                ,acme,Acme Inc,"acme.com:verified,acme.io:verified,acme.dev","{""tier"":""platinum""}"

                """)
            let reported = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "orgs.csv", "--json"], in: workspace)
            #expect(try Self.organizationCounts(reported)["differing"] == 1, "\(reported.allOutput)")
            #expect(reported.stderr.contains("orgs.csv line 2: organization"), "\(reported.stderr)")
            #expect(reported.stderr.contains("acme.dev"))
            #expect(emulator.emulator.snapshot().counters.total("PUT /organizations/{id}") == 0)

            let updated = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "orgs.csv", "--if-exists", "update", "--json"], in: workspace)
            #expect(updated.exitCode == 0, "\(updated.allOutput)")
            #expect(try Self.organizationCounts(updated)["updated"] == 1)
            let acme = try #require(emulator.emulator.snapshot().organizations.first { $0.externalID == "acme" })
            #expect(acme.domainStates == ["acme.com": "verified", "acme.io": "verified", "acme.dev": "pending"])
            #expect(acme.metadata == ["tier": "platinum", "seats": "40"])
            let journal = try workspace.read("users.csv.journal")
            #expect(journal.contains(#""type":"organization-update-sent""#))
            #expect(journal.contains(#""type":"organization-updated""#))
        }
    }

    @Test(
        "a public mail provider's domain is never marked verified: the row fails with its line, nothing is sent for it")
    func publicDomainTrap() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "orgs.csv",
                """
                org_id,org_external_id,org_name,domains,metadata
                ,acme,Acme Inc,acme.com,
                ,freemail,Freemail Users,gmail.com:verified,

                """)
            try workspace.write("users.csv", "email,org_external_id\nada@acme.com,acme\nbo@gmail.com,freemail\n")
            let dry = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "orgs.csv", "--dry-run"], in: workspace)
            #expect(dry.exitCode == 1, "\(dry.allOutput)")
            #expect(dry.stderr.contains("orgs.csv line 3: marks gmail.com verified"), "\(dry.stderr)")

            let result = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "orgs.csv", "--json"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            #expect(result.stderr.contains("orgs.csv line 3: marks gmail.com verified, a public email provider's"))
            #expect(try Self.organizationCounts(result)["failed"] == 1)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.organizations.map(\.externalID) == ["acme"])
            // The user naming the refused organization fails; it is not created without its row.
            #expect(snapshot.users.map(\.email) == ["ada@acme.com"])

            // --verify-domains marks every domain verified, so a pending public domain is refused too.
            try workspace.write(
                "pending.csv", "org_id,org_external_id,org_name,domains,metadata\n,mail,Mail,yahoo.com,\n")
            let verifyAll = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "pending.csv", "--verify-domains", "--dry-run"], in: workspace
            )
            #expect(verifyAll.exitCode == 1)
            #expect(verifyAll.stderr.contains("pending.csv line 2: marks yahoo.com verified"), "\(verifyAll.stderr)")
        }
    }

    @Test("a domain another organization verified fails that organization's row with WorkOS's reason")
    func domainClaimedTwice() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "first.csv", "org_id,org_external_id,org_name,domains,metadata\n,initech,Initech,shared.com:verified,\n"
            )
            try workspace.write("users.csv", "email\nada@example.com\n")
            let first = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "first.csv", "--journal", "first.journal"], in: workspace)
            #expect(first.exitCode == 0, "\(first.allOutput)")

            try workspace.write(
                "orgs.csv",
                """
                org_id,org_external_id,org_name,domains,metadata
                ,acme,Acme Inc,shared.com:verified,
                ,globex,Globex,globex.com:verified,
                ,hooli,Hooli,"hooli.com,globex.com:verified",

                """)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--organizations", "orgs.csv", "--json"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            #expect(
                result.stderr.contains(
                    "orgs.csv line 2: creating the organization \"Acme Inc\" failed: HTTP 409: The domain "
                        + "'shared.com' is verified by another organization"), "\(result.stderr)")
            #expect(result.stderr.contains("orgs.csv line 4: marks globex.com verified, which line 3 marks verified"))
            let counts = try Self.organizationCounts(result)
            #expect(counts["failed"] == 2)
            #expect(counts["created"] == 1)
            let external = Set(emulator.emulator.snapshot().organizations.compactMap(\.externalID))
            #expect(external == ["initech", "globex"])
        }
    }

    @Test(
        "killed while creating organizations and resumed: each organization and domain exactly once",
        arguments: [true, false])
    func killedAndResumed(honorsIdempotencyKeys: Bool) async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.honorsIdempotencyKeys = honorsIdempotencyKeys
                $0.faults = EmulatorFaults(latencyMilliseconds: 120, commitThenDropShare: 0.05)
            }
        ) { emulator in
            let workspace = try Workspace()
            var organizations = "org_id,org_external_id,org_name,domains,metadata\n"
            var users = "email,org_external_id\n"
            for index in 1...40 {
                organizations +=
                    ",org-\(index),Org \(index),\"o\(index).com:verified,o\(index).net\",\"{\"\"n\"\":\"\"\(index)\"\"}\"\n"
                users += "u\(index)@o\(index).com,org-\(index)\n"
            }
            try workspace.write("orgs.csv", organizations)
            try workspace.write("users.csv", users)
            let arguments = ["--csv", "users.csv", "--organizations", "orgs.csv", "--rate-limit", "off", "--json"]
            let running = try CommandRunner.start(arguments, in: workspace.url, environment: emulator.environment)
            // Bounded generously: with the whole suite running, the two cores serve many emulators at once.
            try await waitUntil("the first organizations to be created", timeout: .seconds(180)) {
                emulator.emulator.snapshot().organizations.count >= 6 || !running.process.isRunning
            }
            running.signal(SIGKILL)
            _ = try await running.wait()
            try await emulator.waitUntilQuiet()
            #expect(emulator.emulator.snapshot().organizations.count < 40, "the run ended before it was killed")

            let resumed = try await emulator.run(arguments, in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.organizations.count == 40)
            #expect(Set(snapshot.organizations.compactMap(\.externalID)).count == 40)
            for organization in snapshot.organizations {
                let index = try #require(organization.externalID?.split(separator: "-").last)
                #expect(organization.domainStates == ["o\(index).com": "verified", "o\(index).net": "pending"])
                #expect(organization.metadata == ["n": String(index)])
            }
            #expect(snapshot.memberships.count == 40)
            let counts = try Self.organizationCounts(resumed)
            #expect(counts["created"] == 40, "\(resumed.stdout)")
            #expect(try Self.summary(resumed)["organizationsCreated"] as? Int == 40)

            // Undo takes back the organizations the import created, with their users.
            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 0, "\(undo.allOutput)")
            #expect(emulator.emulator.snapshot().organizations.isEmpty)
        }
    }

    @Test(
        "verify reads each organization back: a missing organization or domain, a pending domain the file verifies, and differing metadata are drift"
    )
    func verifyDrift() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("users.csv", Self.users)
            let imported = try await emulator.run(["--csv", "users.csv", "--organizations", "orgs.csv"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            func writes() -> [String: [String: Int]] {
                emulator.emulator.snapshot().counters.requests.filter { !$0.key.hasPrefix("GET ") }
            }
            let writesAfterImport = writes()
            let clean = try await emulator.run(
                ["verify", "--csv", "users.csv", "--organizations", "orgs.csv", "--json"], in: workspace)
            #expect(clean.exitCode == 0, "\(clean.allOutput)")
            #expect(try Self.summary(clean)["drifted"] as? Int == 0)

            try workspace.write(
                "changed.csv",
                """
                org_id,org_external_id,org_name,domains,metadata
                ,acme,Acme Inc,"acme.com:verified,acme.io:verified,acme.dev","{""tier"":""platinum"",""seats"":40}"
                ,globex,Globex,globex.com;globex.net:verified,
                ,initech,Initech,initech.com,

                """)
            let drifted = try await emulator.run(
                ["verify", "--csv", "users.csv", "--organizations", "changed.csv", "--out", "drift.csv"], in: workspace)
            #expect(drifted.exitCode == 1, "\(drifted.allOutput)")
            let drift = try workspace.read("drift.csv")
            #expect(drift.contains("changed.csv,domain-missing,acme.dev (pending),"), "\(drift)")
            #expect(drift.contains("changed.csv,domain-state,acme.io verified,acme.io pending"), "\(drift)")
            #expect(drift.contains("changed.csv,metadata,tier=platinum,tier=gold"), "\(drift)")
            #expect(drift.contains("changed.csv,organization-missing,"), "\(drift)")
            #expect(!drift.contains("seats"), "a key that agrees is no drift: \(drift)")
            #expect(!drift.contains("globex"), "\(drift)")
            #expect(writes() == writesAfterImport, "verify sends no write")
        }
    }

    @Test("plan on an empty environment predicts the organizations and domains, and sends no write")
    func planCounts() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("orgs.csv", Self.organizations)
            try workspace.write("users.csv", Self.users)
            let plan = try await emulator.run(
                ["plan", "--csv", "users.csv", "--organizations", "orgs.csv", "--json"], in: workspace)
            #expect(plan.exitCode == 0, "\(plan.allOutput)")
            let summary = try Self.summary(plan)
            #expect(summary["organizationsToCreate"] as? Int == 2)
            #expect(summary["usersToCreate"] as? Int == 3)
            #expect(summary["membershipsToCreate"] as? Int == 3)
            let counts = try Self.organizationCounts(plan)
            #expect(counts["created"] == 2)
            #expect(counts["domainsAdded"] == 4)
            #expect(counts["updated"] == 0)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.organizations.isEmpty)
            #expect(snapshot.counters.total("POST /organizations") == 0)
        }
    }

    @Test("a migration package's users and organizations are imported")
    func packageImported() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try MigrationPackageWriter.write(
                in: workspace.url.appendingPathComponent("package"),
                files: [
                    "users.csv": MigrationPackageWriter.usersHeader + "\n"
                        + "ada@acme.com,,,,Ada,Lovelace,true,u-1,,,acme,Acme Inc,\n"
                        + "gus@globex.com,,,,Gus,Fring,true,u-2,,,globex,Globex,\n",
                    "organizations.csv": Self.organizations,
                    "organization_memberships.csv": MigrationPackageWriter.membershipsHeader + "\n",
                ])
            let result = try await emulator.run(["--package", "package", "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(try Self.organizationCounts(result)["created"] == 2)
            let snapshot = emulator.emulator.snapshot()
            #expect(Set(snapshot.users.map(\.email)) == ["ada@acme.com", "gus@globex.com"])
            #expect(snapshot.organizations.first { $0.externalID == "acme" }?.domainStates["acme.com"] == "verified")
            #expect(snapshot.memberships.count == 2)
            #expect(FileManager.default.fileExists(atPath: workspace.path("package/users.csv.journal")))
        }
    }

    @Test("a package's files this version does not import stop the run before anything is sent, unless ignored")
    func unsupportedFilesRefused() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            let folder = workspace.url.appendingPathComponent("package")
            try MigrationPackageWriter.write(
                in: folder,
                files: [
                    "users.csv": MigrationPackageWriter.usersHeader + "\nada@acme.com,,,,Ada,,,,,,,,\n",
                    "user_role_assignments.csv": "email,user_id,external_id,role_slug,org_id,org_external_id\n"
                        + "ada@acme.com,,,admin,,\n",
                    "totp_secrets.csv": "email,totp_secret,totp_issuer,totp_user\nada@acme.com,JBSWY3DPEHPK3PXP,,\n",
                    "sso/proxy_routes.csv": "externalId,organizationExternalId,provider,protocol,sourceAcsUrl\n"
                        + "c-1,acme,auth0,saml,https://idp.example.com/acs\n",
                ])
            let refused = try await emulator.run(["--package", "package"], in: workspace)
            #expect(refused.exitCode == 2, "\(refused.allOutput)")
            #expect(refused.stderr.contains("has sso/proxy_routes.csv, which"), "\(refused.stderr)")
            #expect(refused.stderr.contains("--ignore-unsupported"))
            #expect(!refused.allOutput.contains("JBSWY3DPEHPK3PXP"))
            #expect(emulator.emulator.snapshot().users.isEmpty)
            #expect(emulator.emulator.snapshot().counters.total("POST /user_management/users") == 0)

            let ignored = try await emulator.run(["--package", "package", "--ignore-unsupported"], in: workspace)
            #expect(ignored.exitCode == 0, "\(ignored.allOutput)")
            #expect(ignored.stderr.components(separatedBy: "does not import yet").count == 2, "\(ignored.stderr)")
            #expect(emulator.emulator.snapshot().users.map(\.email) == ["ada@acme.com"])
            // The TOTP secret is carried: it is joined to the user, not unsupported.
            #expect(emulator.emulator.snapshot().authFactors.count == 1)
            #expect(!ignored.allOutput.contains("JBSWY3DPEHPK3PXP"))
        }
    }

    @Test(
        "a malformed or unknown manifest, or a file outside the folder, is refused with a sentence before anything is sent",
        arguments: [
            (#"{"schemaVersion":2}"#, "schemaVersion"),
            (#"not json"#, "is not a migration package manifest"),
            (MigrationPackageWriter.manifest(users: "../users.csv"), "outside the package folder"),
            (MigrationPackageWriter.manifest(users: "people.csv"), "where a package has \"users.csv\""),
        ])
    func manifestRefused(manifest: String, expected: String) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            let folder = workspace.url.appendingPathComponent("package")
            try MigrationPackageWriter.write(
                in: folder, files: ["users.csv": MigrationPackageWriter.usersHeader + "\nada@acme.com,,,,,,,,,,,,\n"])
            try manifest.write(to: folder.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
            let result = try await emulator.run(["--package", "package"], in: workspace)
            #expect(result.exitCode == 2, "\(result.allOutput)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
            #expect(emulator.emulator.snapshot().counters.requests.isEmpty)
        }
    }
}

/// Writes a migration package folder as WorkOS's toolkit does (its `docs/migration-package.md`): a
/// `manifest.json` of schema version 1 naming every canonical file, and the given files.
enum MigrationPackageWriter {
    /// The toolkit's `users.csv` header.
    static let usersHeader =
        "email,password,password_hash,password_hash_type,first_name,last_name,email_verified,external_id,metadata,"
        + "org_id,org_external_id,org_name,role_slugs"
    /// The toolkit's `organization_memberships.csv` header.
    static let membershipsHeader = "email,external_id,user_id,org_id,org_external_id,org_name,role_slugs,metadata"

    /// The toolkit's canonical files, as its manifest names them.
    static let files: [String: String] = [
        "manifest": "manifest.json", "users": "users.csv", "organizations": "organizations.csv",
        "memberships": "organization_memberships.csv", "roleDefinitions": "role_definitions.csv",
        "userRoleAssignments": "user_role_assignments.csv", "totpSecrets": "totp_secrets.csv",
        "warnings": "warnings.jsonl", "skippedUsers": "skipped_users.jsonl",
        "samlConnections": "sso/saml_connections.csv", "oidcConnections": "sso/oidc_connections.csv",
        "customAttributeMappings": "sso/custom_attribute_mappings.csv", "proxyRoutes": "sso/proxy_routes.csv",
        "handoffNotes": "sso/handoff_notes.md", "uploadUsers": "workos_upload/users.csv",
        "uploadOrganizations": "workos_upload/organizations.csv",
        "uploadMemberships": "workos_upload/organization_memberships.csv",
    ]

    /// A manifest as the toolkit's `createMigrationPackageManifest` writes it; `users` overrides that file's path.
    static func manifest(users: String = "users.csv") -> String {
        var files = Self.files
        files["users"] = users
        let object: [String: Any] = [
            "schemaVersion": 1, "provider": "auth0", "sourceTenant": "example.us.auth0.com",
            "generatedAt": "2026-04-29T00:00:00.000Z",
            "entitiesRequested": ["users", "organizations", "memberships", "roles", "sso"],
            "entitiesExported": ["users": 2, "organizations": 2, "memberships": 0],
            "files": files,
            "importability": [
                "users": "automatic", "organizations": "automatic", "memberships": "automatic", "roles": "automatic",
                "totpSecrets": "automatic", "ssoConnections": "handoff",
            ],
            "secretsRedacted": true, "warnings": [String](),
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes the manifest and `files` (name → contents) into `folder`.
    static func write(in folder: URL, files: [String: String]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try manifest().write(to: folder.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
