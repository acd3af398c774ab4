import Foundation
import ImportCore
import Testing
import WorkOSClient

/// The SSO connection files' row checks, made before anything is sent.
@Suite("SSO connection files: row checks")
struct SSOConnectionFileTests {
    static let certificate = "-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIU\\n-----END CERTIFICATE-----"
    static let keyPair =
        "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\n-----END PRIVATE KEY-----\\n" + certificate
    static let samlHeader = SSOConnectionFiles.samlColumns.joined(separator: ",")
    static let oidcHeader = SSOConnectionFiles.oidcColumns.joined(separator: ",")

    /// A SAML row in the toolkit's column order, from the cells given by name.
    static func samlRow(_ cells: [String: String]) -> String {
        SSOConnectionFiles.samlColumns.map { column in
            let value = cells[column] ?? ""
            return value.contains(",") ? "\"\(value)\"" : value
        }.joined(separator: ",")
    }

    static func oidcRow(_ cells: [String: String]) -> String {
        SSOConnectionFiles.oidcColumns.map { cells[$0] ?? "" }.joined(separator: ",")
    }

    private func write(_ text: String, suffix: String = "csv") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sso-\(UUID().uuidString).\(suffix)")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(
        "a SAML row needs an organization and a metadata URL or the manual trio with a PEM certificate",
        arguments: [
            (["organizationExternalId": "acme", "idpMetadataUrl": "https://idp/m.xml", "externalId": "a"], nil),
            (
                [
                    "organizationId": "org_1", "idpEntityId": "e", "idpUrl": "https://idp/sso",
                    "x509Cert": certificate, "externalId": "b",
                ], nil
            ),
            (["idpMetadataUrl": "https://idp/m.xml", "externalId": "c"], "the connection has no organization"),
            (
                ["organizationId": "org_1", "idpEntityId": "e", "idpUrl": "https://idp/sso", "externalId": "d"],
                "a SAML connection without metadata or manual settings"
            ),
            (
                [
                    "organizationId": "org_1", "idpEntityId": "e", "idpUrl": "https://idp/sso", "x509Cert": "MIIB",
                    "externalId": "e",
                ], "the certificate is not PEM"
            ),
            (
                [
                    "organizationId": "org_1", "idpMetadataUrl": "https://idp/m.xml", "domains": "gmail.com:verified",
                    "externalId": "f",
                ], "marks a public email provider's domain verified"
            ),
        ] as [([String: String], String?)])
    func samlRows(cells: [String: String], reason: String?) throws {
        let path = try write(Self.samlHeader + "\n" + Self.samlRow(cells) + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let files = try SSOConnectionFiles.read(paths: [path], secretsPath: nil, verifyDomains: false)
        #expect(files.problems.map(\.reason) == (reason.map { [$0] } ?? []))
        #expect(files.problems.allSatisfy { $0.line == 2 })
        #expect(files.definitions.count == (reason == nil ? 1 : 0))
    }

    @Test("an OIDC row needs a client id and a discovery endpoint; its redacted secret comes from --sso-secrets")
    func oidcRowsAndSecrets() throws {
        let path = try write(
            [
                Self.oidcHeader,
                Self.oidcRow([
                    "organizationExternalId": "acme", "clientId": "c1", "clientSecret": "[REDACTED]",
                    "discoveryEndpoint": "https://idp/.well-known", "externalId": "o1",
                ]),
                Self.oidcRow(["organizationExternalId": "acme", "clientId": "c2", "externalId": "o2"]),
                Self.oidcRow([
                    "organizationExternalId": "acme", "clientId": "c3", "clientSecret": "[REDACTED]",
                    "discoveryEndpoint": "https://idp/.well-known", "externalId": "o3",
                ]),
            ].joined(separator: "\n") + "\n")
        let secrets = try write(
            #"{"o1":{"clientSecret":"s3cr3t-value-1"},"nobody":{"clientSecret":"x"}}"#, suffix: "json")
        defer { for file in [path, secrets] { try? FileManager.default.removeItem(atPath: file) } }
        let files = try SSOConnectionFiles.read(paths: [path], secretsPath: secrets, verifyDomains: false)
        #expect(files.definitions.map(\.externalId) == ["o1"])
        #expect(
            files.problems.map(\.reason) == [
                "an OIDC connection without client id or discovery endpoint",
                "a secret is redacted and --sso-secrets does not give it", "a secret given for no connection",
            ])
        let request = try #require(files.definitions.first).request(organizationId: "org_1")
        #expect(request.oidcOptions?.clientSecret == "s3cr3t-value-1")
        let described = "\(files.definitions)" + files.problems.map(\.message).joined()
        #expect(!described.contains("s3cr3t-value-1"))
    }

    @Test("a CSV secrets file gives secrets by externalId; a column that is no secret fails its line, unquoted")
    func csvSecrets() throws {
        let path = try write(
            Self.oidcHeader + "\n"
                + Self.oidcRow([
                    "organizationId": "org_1", "clientId": "c1", "clientSecret": "[REDACTED]",
                    "discoveryEndpoint": "https://idp/.well-known", "externalId": "o1",
                ]) + "\n")
        let secrets = try write("externalId,clientSecret,password\no1,csv-secret-value,\no2,,pw-value-9\n")
        defer { for file in [path, secrets] { try? FileManager.default.removeItem(atPath: file) } }
        let files = try SSOConnectionFiles.read(paths: [path], secretsPath: secrets, verifyDomains: false)
        #expect(
            files.definitions.first?.request(organizationId: "org_1").oidcOptions?.clientSecret == "csv-secret-value")
        #expect(files.problems.map(\.line) == [3])
        #expect(files.problems.first?.reason == "a secrets entry is malformed")
        #expect(files.problems.first?.message.contains("pw-value-9") == false)
    }

    @Test("an external id used twice fails the later row; a row without one gets the same made-up id every time")
    func externalIds() throws {
        let row = ["organizationExternalId": "acme", "idpMetadataUrl": "https://idp/m.xml", "name": "Acme"]
        var twice = row
        twice["externalId"] = "same"
        let path = try write(
            [Self.samlHeader, Self.samlRow(twice), Self.samlRow(twice), Self.samlRow(row)].joined(separator: "\n")
                + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try SSOConnectionFiles.read(paths: [path], secretsPath: nil, verifyDomains: false)
        let second = try SSOConnectionFiles.read(paths: [path], secretsPath: nil, verifyDomains: false)
        #expect(first.problems.map(\.line) == [3])
        #expect(first.problems.first?.reason == "an external id used twice")
        let generated = try #require(first.definitions.last)
        #expect(generated.externalIdGenerated)
        #expect(generated.externalId == second.definitions.last?.externalId)
        #expect(first.notes.contains { $0.contains("line 4") && $0.contains(generated.externalId) })
    }

    @Test("settings WorkOS cannot take are listed; a key pair and the attribute mappings are sent")
    func notTaken() throws {
        let path = try write(
            Self.samlHeader + "\n"
                + Self.samlRow([
                    "organizationId": "org_1", "idpMetadataUrl": "https://idp/m.xml", "externalId": "k",
                    "idpInitiatedEnabled": "true", "requestSigningKey": Self.keyPair,
                    "assertionEncryptionKey": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----",
                    "emailAttribute": "mail",
                ]) + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let files = try SSOConnectionFiles.read(paths: [path], secretsPath: nil, verifyDomains: false)
        let definition = try #require(files.definitions.first)
        #expect(definition.notTaken.count == 2)
        #expect(definition.notTaken.contains { $0.hasPrefix("idpInitiatedEnabled") })
        #expect(definition.notTaken.contains { $0.hasPrefix("assertionEncryptionKey") })
        let request = definition.request(organizationId: "org_1")
        #expect(request.samlOptions?.spSigningKeyPair?.certificate.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        #expect(request.samlOptions?.spEncryptionKeyPairs == nil)
        #expect(request.attributeMaps?.standardAttributes == ["email": "mail"])
    }

    @Test("a header that is neither the SAML nor the OIDC one is a usage error")
    func unknownHeader() throws {
        let path = try write("name,organizationId\nA,org_1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ImportError.self) {
            try SSOConnectionFiles.read(paths: [path], secretsPath: nil, verifyDomains: false)
        }
    }
}

/// `verify --sso-checklist`: what a checklist row and the connection WorkOS holds may differ in.
@Suite("SSO checklist: read back")
struct SSOChecklistCheckTests {
    static let entry = SSOChecklistCheck.Entry(
        line: 2, connectionId: "conn_1", kind: "SAML", organizationId: "org_1", label: "SSO okta-1")

    @Test(
        "a missing connection, another protocol or another organization is a difference",
        arguments: [
            (nil, ["sso-connection-missing"]),
            (
                WorkOSSSOConnection(
                    id: "conn_1", organizationId: "org_1", connectionType: "OktaSAML", name: "A", state: "active"), []
            ),
            (
                WorkOSSSOConnection(
                    id: "conn_1", organizationId: "org_1", connectionType: "GenericOIDC", name: "A", state: "active"),
                ["sso-connection-type"]
            ),
            (
                WorkOSSSOConnection(
                    id: "conn_1", organizationId: "org_2", connectionType: "GenericSAML", name: "A", state: "draft"),
                ["sso-connection-organization"]
            ),
        ] as [(WorkOSSSOConnection?, [String])])
    func differences(found: WorkOSSSOConnection?, kinds: [String]) {
        #expect(SSOChecklistCheck.differences(Self.entry, found: found).map(\.kind) == kinds)
    }
}
