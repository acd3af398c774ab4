import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSEmulator

/// A migration package's side files (memberships, role assignments, TOTP secrets) joined to its users and
/// imported through the rows' own journaled path: each membership, role and factor exactly once.
@Suite("Migration package: memberships, role assignments and TOTP secrets", .tags(.endToEnd))
struct PackageJoinTests {
    static let secret = "JBSWY3DPEHPK3PXP"
    static let ambiguousSecret = "KRSXG5DSNFXGOIDB"
    static let unknownSecret = "GEZDGNBVGY3TQOJQ"

    /// A package with every kind of side row, and the traps: a membership repeating users.csv's, one with
    /// metadata, one for no user, a secret for an email two users share, a secret for nobody.
    static func writePackage(in workspace: borrowing Workspace) throws {
        let header = MigrationPackageWriter.usersHeader
        try MigrationPackageWriter.write(
            in: workspace.url.appendingPathComponent("package"),
            files: [
                "users.csv": header + "\n"
                    + "ada@acme.com,,,,Ada,Lovelace,true,u-1,,,acme,Acme Inc,admin\n"
                    + "bob@acme.com,,,,Bob,Roe,true,u-2,,,acme,Acme Inc,member\n"
                    + "cat@shared.com,,,,Cat,One,true,u-3,,,,,\n"
                    + "cat@shared.com,,,,Cat,Two,true,u-4,,,,,\n"
                    + "dan@acme.com,,,,Dan,Ray,true,u-5,,,acme,Acme Inc,\n",
                "organizations.csv": "org_id,org_external_id,org_name,domains,metadata\n"
                    + ",acme,Acme Inc,acme.com,\n,globex,Globex,globex.com,\n",
                "organization_memberships.csv": MigrationPackageWriter.membershipsHeader + "\n"
                    + "ada@acme.com,u-1,u-1,,acme,Acme Inc,admin,\n"
                    + "ada@acme.com,u-1,u-1,,globex,Globex,member,\n"
                    + ",,u-2,,globex,Globex,,\"{\"\"team\"\":\"\"red\"\"}\"\n"
                    + "ghost@acme.com,,,,acme,Acme Inc,member,\n",
                "user_role_assignments.csv": "email,user_id,external_id,role_slug,org_id,org_external_id\n"
                    + "ada@acme.com,u-1,u-1,billing,,acme\n"
                    + ",u-2,u-2,admin,,globex\n"
                    + ",u-5,u-5,billing,,acme\n",
                "totp_secrets.csv": "email,totp_secret,totp_issuer,totp_user\n"
                    + "ada@acme.com,\(secret),Acme,ada\n"
                    + "cat@shared.com,\(ambiguousSecret),,\n"
                    + "nobody@acme.com,\(unknownSecret),,\n",
            ])
    }

    static func emulator(_ configure: @Sendable (inout EmulatorConfiguration) -> Void = { _ in })
        async throws -> EmulatorFixture
    {
        try await EmulatorFixture.start {
            $0.multipleRolesEnabled = true
            $0.seed = EmulatorSeed(
                roles: ["admin", "member", "billing"].map { EmulatorSeed.Role(slug: $0) })
            configure(&$0)
        }
    }

    /// The memberships as `email@organization external id: roles`, sorted.
    static func memberships(_ snapshot: EmulatorSnapshot) -> [String] {
        snapshot.memberships.map { membership in
            let email = snapshot.users.first { $0.id == membership.userID }?.email ?? "?"
            let organization =
                snapshot.organizations.first { $0.id == membership.organizationID }?.externalID ?? "?"
            return "\(email)@\(organization): \(membership.roleSlugs.sorted().joined(separator: ","))"
        }.sorted()
    }

    @Test(
        "memberships, roles and secrets join the users they name by external id or a one-user email; the rest is listed, and a rerun sends nothing"
    )
    func joinedAndImported() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try Self.writePackage(in: workspace)
            let result = try await emulator.run(["--package", "package", "--json"], in: workspace)
            // The second cat@shared.com row repeats an email with other fields, so one row fails.
            #expect(result.exitCode == 1, "\(result.allOutput)")
            #expect(result.stderr.contains("package/users.joined.csv"), "\(result.stderr)")
            #expect(result.stderr.contains("2 memberships added"), "\(result.stderr)")
            #expect(result.stderr.contains("1 TOTP secret;"), "\(result.stderr)")

            let snapshot = emulator.emulator.snapshot()
            #expect(
                Set(snapshot.users.map(\.email)) == ["ada@acme.com", "bob@acme.com", "cat@shared.com", "dan@acme.com"])
            #expect(
                Self.memberships(snapshot) == [
                    "ada@acme.com@acme: admin,billing", "ada@acme.com@globex: member", "bob@acme.com@acme: member",
                    "bob@acme.com@globex: admin", "dan@acme.com@acme: billing",
                ])
            let ada = try #require(snapshot.users.first { $0.email == "ada@acme.com" })
            #expect(snapshot.authFactors.map(\.userID) == [ada.id])
            #expect(snapshot.authFactors.first?.issuer == "Acme")

            let listed = try workspace.read("package/users.joined.not-carried.csv")
            let lines = listed.split(separator: "\n").map(String.init)
            #expect(lines.count == 5, "\(listed)")
            #expect(
                lines.contains { $0.hasPrefix("organization_memberships.csv,4,u-2,") && $0.contains("metadata") },
                "\(listed)")
            #expect(lines.contains { $0.hasPrefix("organization_memberships.csv,5,ghost@acme.com,no user") })
            #expect(lines.contains { $0.hasPrefix("totp_secrets.csv,3,cat@shared.com,\"2 users of users.csv share") })
            #expect(lines.contains { $0.hasPrefix("totp_secrets.csv,4,nobody@acme.com,no user") })
            #expect(try Self.mode(workspace.path("package/users.joined.not-carried.csv")) == 0o600)
            #expect(try Self.mode(workspace.path("package/users.joined.csv")) == 0o600)

            // No secret reaches what the run printed or the files it wrote beside the joined input.
            let written = try FileManager.default.contentsOfDirectory(atPath: workspace.path("package"))
                .filter { !["users.joined.csv", "totp_secrets.csv"].contains($0) && $0.hasPrefix("users") }
            #expect(written.contains("users.joined.csv.journal"), "\(written)")
            for secret in [Self.secret, Self.ambiguousSecret, Self.unknownSecret] {
                #expect(!result.allOutput.contains(secret))
                for name in written { #expect(!(try workspace.read("package/" + name)).contains(secret), "\(name)") }
            }

            let posts = snapshot.counters.requests.filter { $0.key.hasPrefix("POST ") }
            let again = try await emulator.run(["--package", "package", "--json"], in: workspace)
            #expect(again.exitCode == 1, "\(again.allOutput)")
            let after = emulator.emulator.snapshot()
            #expect(after.counters.requests.filter { $0.key.hasPrefix("POST ") } == posts)
            #expect(Self.memberships(after) == Self.memberships(snapshot))
        }
    }

    @Test("plan and the dry run count the joined memberships and factors, and send no write")
    func planned() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try Self.writePackage(in: workspace)
            let plan = try await emulator.run(["plan", "--package", "package", "--json"], in: workspace)
            let line = try #require(plan.stdout.split(separator: "\n").last, "\(plan.allOutput)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(summary["membershipsToCreate"] as? Int == 5, "\(line)")
            #expect(summary["factorsToEnroll"] as? Int == 1, "\(line)")
            let dry = try await emulator.run(["--package", "package", "--dry-run"], in: workspace)
            #expect(dry.stdout.contains("Memberships to create") && dry.stdout.contains("TOTP factors to enroll"))
            #expect(!dry.allOutput.contains(Self.secret))
            #expect(emulator.emulator.snapshot().counters.requests.keys.allSatisfy { $0.hasPrefix("GET ") })
        }
    }

    @Test(
        "killed mid-import and resumed, under dropped responses and idempotency ignored: each membership and factor once"
    )
    func killedAndResumed() async throws {
        try await EmulatorFixture.scoped(
            try await Self.emulator {
                $0.honorsIdempotencyKeys = false
                $0.faults = EmulatorFaults(latencyMilliseconds: 60, commitThenDropShare: 0.05)
            }
        ) { emulator in
            let workspace = try Workspace()
            var users = MigrationPackageWriter.usersHeader + "\n"
            var memberships = MigrationPackageWriter.membershipsHeader + "\n"
            var secrets = "email,totp_secret,totp_issuer,totp_user\n"
            for index in 1...120 {
                users += "u\(index)@acme.com,,,,U,\(index),true,ext-\(index),,,acme,Acme Inc,member\n"
                memberships += "u\(index)@acme.com,ext-\(index),ext-\(index),,globex,Globex,admin,\n"
                if index.isMultiple(of: 3) { secrets += "u\(index)@acme.com,\(IdentityFile.secret(index)),Acme,\n" }
            }
            try MigrationPackageWriter.write(
                in: workspace.url.appendingPathComponent("package"),
                files: [
                    "users.csv": users, "organization_memberships.csv": memberships, "totp_secrets.csv": secrets,
                    "organizations.csv": "org_id,org_external_id,org_name,domains,metadata\n"
                        + ",acme,Acme Inc,,\n,globex,Globex,,\n",
                ])
            let arguments = ["--package", "package", "--rate-limit", "off", "--json"]
            let running = try CommandRunner.start(arguments, in: workspace.url, environment: emulator.environment)
            try await waitUntil("the first memberships to be created", timeout: .seconds(180)) {
                emulator.emulator.snapshot().memberships.count >= 30 || !running.process.isRunning
            }
            running.signal(SIGKILL)
            _ = try await running.wait()
            try await emulator.waitUntilQuiet()
            #expect(emulator.emulator.snapshot().memberships.count < 240, "the run ended before it was killed")

            let resumed = try await emulator.run(arguments, in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.count == 120)
            #expect(snapshot.memberships.count == 240)
            #expect(Set(snapshot.memberships.map { "\($0.userID) \($0.organizationID)" }).count == 240)
            #expect(snapshot.authFactors.count == 40)
            #expect(Set(snapshot.authFactors.map(\.userID)).count == 40)
        }
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? 0) & 0o777
    }
}
