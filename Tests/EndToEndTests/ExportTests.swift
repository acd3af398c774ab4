import Foundation
import Testing
import WorkOSEmulator

/// `export` end to end: a rich file imported into one emulator, exported, imported into a second emulator,
/// and verified there against the original file: nothing differs but what WorkOS cannot give back.
@Suite("export: an environment's users as the importer's CSV", .tags(.endToEnd))
struct ExportTests {
    static let password = "Tr0ub4dor&3-correct-horse"
    static let secret = IdentityFile.secret(7)

    static var file: String {
        var text = "email,first_name,last_name,email_verified,external_id,metadata,password,org_external_id,org_name,"
        text += "role_slugs,totp_secret,totp_issuer\n"
        let ann = "ann@example.com,Ann,Lee,true,ext-ann,\"{\"\"team\"\":\"\"red\"\"}\",\(password)"
        text += "\(ann),acme,Acme Inc,\"admin,billing\",\(secret),Acme\n"
        text += "\(ann),globex,Globex,member,\(secret),Acme\n"
        text += "bob@example.com,Bob,,false,,,,acme,Acme Inc,member,,\n"
        text += "cat@example.com,Cat,Kim,,ext-cat,\"{\"\"a\"\":\"\"1\"\",\"\"b\"\":\"\"x,y\"\"}\",,,,,,\n"
        return text
    }

    static func emulator() async throws -> EmulatorFixture {
        try await EmulatorFixture.start {
            $0.multipleRolesEnabled = true
            $0.seed = EmulatorSeed(roles: [EmulatorSeed.Role(slug: "billing")])
        }
    }

    static func object(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("import, export, import the export elsewhere, verify the original there: only the factors differ")
    func roundTrip() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { source in
            try await EmulatorFixture.scoped(try await Self.emulator()) { copy in
                let workspace = try Workspace()
                try workspace.write("users.csv", Self.file)
                let imported = try await source.run(
                    ["--csv", "users.csv", "--create-org-if-missing", "--quiet"], in: workspace)
                #expect(imported.exitCode == 0, "\(imported.allOutput)")

                let export = try await source.run(["export", "--out", "export.csv", "--json"], in: workspace)
                #expect(export.exitCode == 0, "\(export.allOutput)")
                #expect(export.stderr.hasPrefix("Target: \(source.emulator.baseURL), test environment"))
                #expect(
                    export.stderr.contains("Passwords, password hashes and TOTP secrets cannot be read from WorkOS"))
                let summary = try Self.object(export)
                #expect(summary["users"] as? Int == 3)
                #expect(summary["rows"] as? Int == 4)
                #expect(summary["memberships"] as? Int == 3)
                #expect(summary["usersWithoutMembership"] as? Int == 1)
                #expect(summary["organizations"] as? Int == 2)
                #expect((summary["target"] as? [String: Any])?["environment"] as? String == "test")
                let coverage = try #require(summary["coverage"] as? [String: Any])
                #expect(coverage["users"] as? Int == 3)
                let fields = try #require(coverage["fields"] as? [[String: Any]])
                #expect(fields.first { $0["field"] as? String == "organization" }?["count"] as? Int == 2)
                #expect(fields.first { $0["field"] as? String == "totp_secret" }?["thin"] as? Bool == true)
                #expect(try workspace.permissions("export.csv") == 0o600)
                let exported = try workspace.read("export.csv")
                #expect(exported.hasPrefix("email,first_name,last_name,email_verified,password_hash,"))
                #expect(
                    exported.contains(
                        "ann@example.com,Ann,Lee,true,,,ext-ann,\"{\"\"team\"\":\"\"red\"\"}\",,acme,Acme Inc,\"admin,billing\","
                    ))
                #expect(exported.contains("cat@example.com,Cat,Kim,false,,,ext-cat,"))
                for secret in [Self.password, Self.secret, source.apiKey] {
                    #expect(!exported.contains(secret) && !export.allOutput.contains(secret))
                }
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path)
                #expect(!leftovers.contains { $0.hasSuffix(".partial") }, "\(leftovers)")

                let second = try await copy.run(
                    ["--csv", "export.csv", "--create-org-if-missing", "--quiet", "--journal", "copy.journal"],
                    in: workspace)
                #expect(second.exitCode == 0, "\(second.allOutput)")
                let verify = try await copy.run(["verify", "--csv", "users.csv", "--out", "drift.csv"], in: workspace)
                let drift = try workspace.read("drift.csv").split(separator: "\n").dropFirst()
                #expect(!drift.isEmpty, "\(verify.allOutput)")
                let kinds = Set(drift.map { $0.split(separator: ",")[2] })
                #expect(kinds == ["factor-missing"], "\(drift)")
            }
        }
    }

    @Test("--organization exports only the members of the organizations named, by external id or id")
    func organizationFilter() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { source in
            let workspace = try Workspace()
            try workspace.write("users.csv", Self.file)
            let imported = try await source.run(
                ["--csv", "users.csv", "--create-org-if-missing", "--quiet"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            let globex = try #require(source.emulator.snapshot().organizations.first { $0.externalID == "globex" })
            let export = try await source.run(
                ["export", "--out", "some.csv", "--organization", "acme", "--organization", globex.id], in: workspace)
            #expect(export.exitCode == 0, "\(export.allOutput)")
            let rows = try workspace.read("some.csv").split(separator: "\n").dropFirst()
            #expect(rows.count == 3)
            #expect(!rows.contains { $0.hasPrefix("cat@") })
            #expect(export.stdout.contains("Exported 2 users to some.csv"), "\(export.stdout)")
            #expect(export.stdout.contains("Field coverage (3 rows):"), "\(export.stdout)")

            // A failed export leaves the file it would have replaced as it was.
            try workspace.write("kept.csv", "the previous export\n")
            let missing = try await source.run(
                ["export", "--out", "kept.csv", "--organization", "nope"], in: workspace)
            #expect(missing.exitCode == 2)
            #expect(missing.stderr.contains("No organization has the id or external id 'nope'"), "\(missing.stderr)")
            #expect(try workspace.read("kept.csv") == "the previous export\n")
            _ = source.takeViolations()
        }
    }
}
