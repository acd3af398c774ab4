import Foundation
import ImportCore
import ImportCoreTestSupport
import Testing
import WorkOSEmulator

/// `--sso-connections` and a package's `sso/` files: SSO connections created once after the organizations,
/// secrets sent to WorkOS only, and the cutover checklist.
@Suite("SSO connections", .tags(.endToEnd))
struct SSOConnectionTests {
    /// A migration package with 30 SAML connections (15 by metadata URL, 15 manual, every third with a
    /// redacted signing key pair), 10 OIDC connections with redacted client secrets, and one bad row of each
    /// kind the checks refuse; the redacted secrets are in `secrets.json`, with one secret for no connection.
    enum Generator {
        static let organizations = 10
        static let certificate = "-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIUcert\\n-----END CERTIFICATE-----"

        /// The secret of connection `index`, unique so a search of the files finds any copy.
        static func clientSecret(_ index: Int) -> String { "oidcClientSecret\(index)Zq7" }
        static func privateKeyBody(_ index: Int) -> String { "MIIEsigningKeyBody\(index)Qx9" }

        static func saml(_ cells: [String: String]) -> String {
            SSOConnectionFiles.samlColumns.map { column in
                let value = cells[column] ?? ""
                return value.contains(",") || value.contains("\"") ? "\"\(value)\"" : value
            }.joined(separator: ",")
        }

        static func oidc(_ cells: [String: String]) -> String {
            SSOConnectionFiles.oidcColumns.map { cells[$0] ?? "" }.joined(separator: ",")
        }

        /// Writes the package into `folder` and the secrets file beside it.
        static func write(package folder: URL, secrets: URL) throws {
            var samlRows = [SSOConnectionFiles.samlColumns.joined(separator: ",")]
            var secretEntries: [String: [String: String]] = [:]
            for index in 1...30 {
                let org = "org-\(index % organizations)"
                var cells = [
                    "name": "SAML \(index)", "organizationExternalId": org, "organizationName": "Org \(org)",
                    "domains": "s\(index).example.com", "externalId": "saml-\(index)", "emailAttribute": "mail",
                ]
                if index <= 15 {
                    cells["idpMetadataUrl"] = "https://idp\(index).example.com/metadata.xml"
                } else {
                    cells["idpEntityId"] = "https://idp\(index).example.com"
                    cells["idpUrl"] = "https://idp\(index).example.com/sso"
                    cells["x509Cert"] = certificate
                }
                if index % 3 == 0 {
                    cells["requestSigningKey"] = SSOConnectionFiles.redacted
                    secretEntries["saml-\(index)"] = [
                        "requestSigningKey": "-----BEGIN PRIVATE KEY-----\\n\(privateKeyBody(index))\\n"
                            + "-----END PRIVATE KEY-----\\n" + certificate
                    ]
                }
                samlRows.append(saml(cells))
            }
            // The bad rows: no organization, neither metadata nor manual settings, a certificate that is not
            // PEM, an external id used twice.
            samlRows += [
                saml(["name": "No org", "idpMetadataUrl": "https://x.example.com/m", "externalId": "bad-1"]),
                saml(["organizationExternalId": "org-1", "idpEntityId": "e", "externalId": "bad-2"]),
                saml([
                    "organizationExternalId": "org-1", "idpEntityId": "e", "idpUrl": "https://x.example.com/sso",
                    "x509Cert": "MIIBnotpem", "externalId": "bad-3",
                ]),
                saml([
                    "organizationExternalId": "org-2", "idpMetadataUrl": "https://y.example.com/m",
                    "externalId": "saml-1",
                ]),
            ]
            var oidcRows = [SSOConnectionFiles.oidcColumns.joined(separator: ",")]
            for index in 1...10 {
                let org = "org-\(index % organizations)"
                oidcRows.append(
                    oidc([
                        "name": "OIDC \(index)", "organizationExternalId": org, "organizationName": "Org \(org)",
                        "domains": "o\(index).example.com", "clientId": "client-\(index)",
                        "clientSecret": SSOConnectionFiles.redacted,
                        "discoveryEndpoint": "https://idp\(index).example.com/.well-known/openid-configuration",
                        "externalId": "oidc-\(index)",
                    ]))
                secretEntries["oidc-\(index)"] = ["clientSecret": clientSecret(index)]
            }
            oidcRows.append(oidc(["organizationExternalId": "org-1", "clientId": "c", "externalId": "bad-4"]))
            secretEntries["nobody"] = ["clientSecret": "unusedSecretValue"]

            var users = [MigrationPackageWriter.usersHeader]
            for index in 0..<20 {
                let org = "org-\(index % organizations)"
                users.append("u\(index)@s\(index).example.com,,,,U\(index),,true,,,,\(org),Org \(org),")
            }
            try MigrationPackageWriter.write(
                in: folder,
                files: [
                    "users.csv": users.joined(separator: "\n") + "\n",
                    "sso/saml_connections.csv": samlRows.joined(separator: "\n") + "\n",
                    "sso/oidc_connections.csv": oidcRows.joined(separator: "\n") + "\n",
                ])
            let data = try JSONSerialization.data(withJSONObject: secretEntries, options: [.sortedKeys])
            try data.write(to: secrets)
        }

        /// Every secret the secrets file gives.
        static var secrets: [String] {
            (1...10).map(clientSecret) + stride(from: 3, through: 30, by: 3).map(privateKeyBody) + ["unusedSecretValue"]
        }
    }

    static let arguments = [
        "--package", "package", "--sso-secrets", "secrets.json", "--sso-out", "connections.csv",
        "--errors-out", "errors.csv", "--rate-limit", "off", "--json",
    ]

    /// Every file under the workspace but the secrets file the run read, with its text.
    static func writtenFiles(_ workspace: borrowing Workspace) throws -> [(String, String)] {
        let names = try FileManager.default.subpathsOfDirectory(atPath: workspace.url.path)
        return try names.filter { $0 != "secrets.json" }.compactMap { name in
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: workspace.path(name), isDirectory: &isFolder)
            return isFolder.boolValue ? nil : (name, try String(contentsOfFile: workspace.path(name), encoding: .utf8))
        }
    }

    @Test(
        "40 connections under 5xx and commit-then-drop, killed and resumed: each once, secrets in no file or output",
        arguments: [true, false])
    func killedAndResumed(honorsIdempotencyKeys: Bool) async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.honorsIdempotencyKeys = honorsIdempotencyKeys
                $0.faults = EmulatorFaults(latencyMilliseconds: 60, errorShare: 0.08, commitThenDropShare: 0.05)
            }
        ) { emulator in
            let workspace = try Workspace()
            try Generator.write(
                package: workspace.url.appendingPathComponent("package"),
                secrets: workspace.url.appendingPathComponent("secrets.json"))
            let running = try CommandRunner.start(Self.arguments, in: workspace.url, environment: emulator.environment)
            try await waitUntil("the first connections to be created", timeout: .seconds(180)) {
                emulator.emulator.snapshot().connections.count >= 6 || !running.process.isRunning
            }
            running.signal(SIGKILL)
            let killed = try await running.wait()
            try await emulator.waitUntilQuiet()
            #expect(emulator.emulator.snapshot().connections.count < 40, "the run ended before it was killed")

            let resumed = try await emulator.run(Self.arguments, in: workspace)
            #expect(resumed.exitCode == 1, "the bad rows fail: \(resumed.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.connections.count == 40)
            #expect(Set(snapshot.connections.compactMap(\.externalID)).count == 40)
            #expect(snapshot.connections.filter { $0.connectionType == "GenericOIDC" }.count == 10)
            #expect(snapshot.users.count == 20)
            let org1 = try #require(snapshot.organization(externalID: "org-1"))
            #expect(org1.domains.contains("s1.example.com") && org1.domains.contains("o1.example.com"))

            let summary = try OrganizationFileTests.summary(resumed)
            let counts = try #require(summary["ssoConnections"] as? [String: Int], "\(resumed.stdout)")
            #expect(counts["created"] == 40)
            #expect(counts["failed"] == 6)
            let checklist = try workspace.read("connections.csv")
            #expect(try workspace.permissions("connections.csv") == 0o600)
            let rows = checklist.split(separator: "\n").dropFirst()
            #expect(rows.count == 46)
            #expect(rows.filter { $0.contains(",created,conn_") }.count == 40, "\(checklist)")
            #expect(checklist.contains("an external id used twice") || checklist.contains("uses the external id"))
            #expect(checklist.contains("is not a PEM certificate"))
            #expect(checklist.contains("names no organization"))
            #expect(checklist.contains("which no connection row has"))

            let output = killed.allOutput + resumed.allOutput
            for (name, text) in try Self.writtenFiles(workspace) + [("output", output)] {
                for secret in Generator.secrets {
                    #expect(!text.contains(secret), "\(name) holds a secret")
                }
            }
            let journal = try workspace.read("package/users.csv.journal")
            #expect(journal.contains(#""type":"sso-sent""#))

            // Verify reads the checklist's connections back; one deleted behind the import is reported.
            let verified = try await emulator.run(
                ["verify", "--package", "package", "--sso-checklist", "connections.csv", "--json"], in: workspace)
            #expect(verified.exitCode == 0, "\(verified.allOutput)")
            let gone = try #require(snapshot.connections.first { $0.externalID == "oidc-1" })
            try emulator.emulator.deleteConnection(id: gone.id)
            let drifted = try await emulator.run(
                ["verify", "--package", "package", "--sso-checklist", "connections.csv"], in: workspace)
            #expect(drifted.exitCode == 1, "\(drifted.allOutput)")
            #expect(drifted.stdout.contains("SSO oidc-1  sso-connection-missing"), "\(drifted.stdout)")

            // Undo takes back the connections the import created.
            let undo = try await emulator.run(
                ["undo", "--journal", "package/users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 0, "\(undo.allOutput)")
            #expect(undo.stdout.contains(#""connectionsDeleted":40"#), "\(undo.stdout)")
            #expect(emulator.emulator.snapshot().connections.isEmpty)
        }
    }

    @Test("with the feature off the users are imported, and every connection is reported not created")
    func featureOff() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start { $0.ssoConnectionsEnabled = false }) {
            emulator in
            let workspace = try Workspace()
            try Generator.write(
                package: workspace.url.appendingPathComponent("package"),
                secrets: workspace.url.appendingPathComponent("secrets.json"))
            let result = try await emulator.run(Self.arguments, in: workspace)
            #expect(result.exitCode == 1, "only the bad rows fail: \(result.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.count == 20)
            #expect(snapshot.connections.isEmpty)
            #expect(snapshot.counters.total("POST /connections") <= 4)
            #expect(result.stderr.contains("40 SSO connections were not created"), "\(result.stderr)")
            #expect(result.stderr.contains("ask WorkOS support to enable API-created SSO connections"))
            let counts = try #require(try OrganizationFileTests.summary(result)["ssoConnections"] as? [String: Int])
            #expect(counts["notCreated"] == 40)
            let checklist = try workspace.read("connections.csv")
            #expect(checklist.split(separator: "\n").filter { $0.contains(",not created,") }.count == 40)
        }
    }

    @Test("a dry run checks the SSO rows with their lines and sends nothing; a plan predicts the connections")
    func dryRunAndPlan() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try Generator.write(
                package: workspace.url.appendingPathComponent("package"),
                secrets: workspace.url.appendingPathComponent("secrets.json"))
            let dry = try await emulator.run(
                ["--package", "package", "--sso-secrets", "secrets.json", "--dry-run", "--json"], in: workspace)
            #expect(dry.exitCode == 1, "\(dry.allOutput)")
            #expect(dry.stderr.contains("saml_connections.csv line 32: names no organization"), "\(dry.stderr)")
            #expect(dry.stderr.contains("oidc_connections.csv line 12: has no clientId or no discoveryEndpoint"))
            #expect(dry.stderr.contains("secrets.json line"))
            let checked = try #require(try OrganizationFileTests.summary(dry)["ssoConnections"] as? [String: Int])
            #expect(checked["rows"] == 46)
            #expect(checked["failed"] == 6)

            let refused = try await emulator.run(
                ["--package", "package", "--dry-run", "--sso-out", "connections.csv"], in: workspace)
            #expect(refused.exitCode == 2 && refused.stderr.contains("a dry run creates none"), "\(refused.allOutput)")

            let plan = try await emulator.run(
                [
                    "plan", "--package", "package", "--sso-secrets", "secrets.json", "--out", "plan.csv", "--report",
                    "plan.html", "--json",
                ], in: workspace)
            let planned = try #require(try OrganizationFileTests.summary(plan)["ssoConnections"] as? [String: Int])
            #expect(planned["created"] == 40, "\(plan.allOutput)")
            #expect(emulator.emulator.snapshot().counters.total("POST /connections") == 0)
            #expect(emulator.emulator.snapshot().connections.isEmpty)
            let files = try Self.writtenFiles(workspace) + [("output", dry.allOutput + plan.allOutput)]
            #expect(files.contains { $0.0 == "plan.csv" } && files.contains { $0.0 == "plan.html" })
            for (name, text) in files {
                for secret in Generator.secrets {
                    #expect(!text.contains(secret), "\(name) holds a secret")
                }
            }
        }
    }
}
