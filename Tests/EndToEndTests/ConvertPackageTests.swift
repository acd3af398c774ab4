import Foundation
import Testing
import WorkOSEmulator

/// `convert --package-out DIR`: a provider's export written as a migration package in the toolkit's names and
/// headers, then imported with `--package DIR`.
@Suite("convert --package-out: a provider's export as a migration package", .tags(.endToEnd))
struct ConvertPackageTests {
    @Test("an Auth0 export with organizations becomes a package whose users and organizations import")
    func auth0Package() async throws {
        let workspace = try Workspace()
        let converted = try await CommandRunner.run(
            [
                "convert", "auth0", ConvertCommandTests.fixture("auth0-users.ndjson"), "--passwords",
                ConvertCommandTests.fixture("auth0-passwords.ndjson"), "--org-from", "app_metadata.org_id",
                "--org-name-from", "app_metadata.org_name", "--package-out", "package",
            ], in: workspace.url)
        #expect(converted.exitCode == 0, "\(converted.allOutput)")
        #expect(converted.stdout.contains("auth0 users to package/users.csv"), "\(converted.stdout)")
        #expect(converted.stderr.contains("Import it with: workos-import --package package"), "\(converted.stderr)")
        // Only the package: the converted CSV it was made from is gone.
        let files = try FileManager.default.contentsOfDirectory(atPath: workspace.path("package")).sorted()
        #expect(files == ["manifest.json", "organizations.csv", "totp_secrets.csv", "users.csv"])
        for name in files { #expect(try workspace.permissions("package/" + name) == 0o600, "\(name)") }
        // The toolkit's validator compares headers exactly.
        let users = try workspace.read("package/users.csv")
        #expect(users.hasPrefix(MigrationPackageWriter.usersHeader + "\n"), "\(users)")
        let organizations = try workspace.read("package/organizations.csv")
        #expect(organizations.hasPrefix("org_id,org_external_id,org_name,domains,metadata\n"))
        #expect(organizations.contains(",acme,Acme Inc,,\n"), "\(organizations)")
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(workspace.read("package/manifest.json").utf8))
                as? [String: Any])
        #expect(manifest["schemaVersion"] as? Int == 1)
        #expect(manifest["provider"] as? String == "auth0")
        let exported = try #require(manifest["entitiesExported"] as? [String: Int])
        #expect(exported["users"] == users.split(separator: "\n").count - 1)

        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let imported = try await emulator.run(["--package", "package"], in: workspace)
            // Auth0's second alice@ account conflicts with the first: that one row fails, naming the first.
            #expect(imported.exitCode == 1, "\(imported.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            let acme = try #require(snapshot.organizations.first { $0.externalID == "acme" })
            #expect(acme.name == "Acme Inc")
            let bob = try #require(snapshot.users.first { $0.email == "bob@example.com" })
            #expect(bob.hasPassword && bob.passwordHashType == "bcrypt")
            #expect(snapshot.memberships.contains { $0.userID == bob.id && $0.organizationID == acme.id })
        }
    }

    @Test("a Clerk export's TOTP secrets go to totp_secrets.csv, join their users on import, and are never printed")
    func clerkSecrets() async throws {
        let workspace = try Workspace()
        let converted = try await CommandRunner.run(
            ["convert", "clerk", ConvertCommandTests.fixture("clerk-users.csv"), "--package-out", "package"],
            in: workspace.url)
        #expect(converted.exitCode == 0, "\(converted.allOutput)")
        let secrets = try workspace.read("package/totp_secrets.csv")
        #expect(secrets.hasPrefix("email,totp_secret,totp_issuer,totp_user\n"))
        #expect(secrets.contains("ari@example.com,JBSWY3DPEHPK3PXP"), "\(secrets)")
        #expect(!(try workspace.read("package/users.csv")).contains("JBSWY3DPEHPK3PXP"))
        #expect(!converted.allOutput.contains("JBSWY3DPEHPK3PXP"))
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let imported = try await emulator.run(["--package", "package"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            #expect(!imported.allOutput.contains("JBSWY3DPEHPK3PXP"))
            let snapshot = emulator.emulator.snapshot()
            let ari = try #require(snapshot.users.first { $0.email == "ari@example.com" })
            #expect(snapshot.authFactors.map(\.userID) == [ari.id])
        }
    }

    @Test("--package-out naming a file, or neither --out nor --package-out, stops before any export is read")
    func refused() async throws {
        let workspace = try Workspace()
        try workspace.write("taken", "not a folder")
        let file = try await CommandRunner.run(
            ["convert", "clerk", ConvertCommandTests.fixture("clerk-users.csv"), "--package-out", "taken"],
            in: workspace.url)
        #expect(file.exitCode == 2, "\(file.allOutput)")
        #expect(file.stderr.contains("--package-out taken is a file; name a folder"), "\(file.stderr)")
        let neither = try await CommandRunner.run(
            ["convert", "clerk", ConvertCommandTests.fixture("clerk-users.csv")], in: workspace.url)
        #expect(neither.exitCode == 2)
        #expect(neither.stderr.contains("Missing --out"), "\(neither.stderr)")
    }
}
