import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The SSO connections of a run (`--sso-connections`, a package's `sso/*.csv`), read and checked whole
/// before the first request, with the secrets of `--sso-secrets` joined to them by `externalId`.
public struct SSOConnectionFiles: Sendable {
    /// The toolkit's SAML header (its `SAML_CONNECTION_CSV_HEADERS`).
    public static let samlColumns = [
        "name", "organizationName", "organizationId", "organizationExternalId", "domains", "idpEntityId", "idpUrl",
        "x509Cert", "idpMetadataUrl", "customEntityId", "customAcsUrl", "idpIdAttribute", "emailAttribute",
        "firstNameAttribute", "lastNameAttribute", "nameAttribute", "idpInitiatedEnabled", "requestSigningKey",
        "assertionEncryptionKey", "nameIdEncryptionKey", "externalId",
    ]
    /// The toolkit's OIDC header (its `OIDC_CONNECTION_CSV_HEADERS`).
    public static let oidcColumns = [
        "name", "organizationName", "organizationId", "organizationExternalId", "domains", "clientId", "clientSecret",
        "discoveryEndpoint", "customRedirectUri", "externalId",
    ]
    /// What the toolkit writes for a secret it redacted.
    public static let redacted = "[REDACTED]"

    /// The rows that may be created, in file order.
    public var definitions: [SSOConnectionDefinition] = []
    /// The rows (of the SSO files or the secrets file) that cannot.
    public var problems: [SSORowProblem] = []
    /// Remarks on rows that are still created (an external id made from the row), `path line n: …`.
    public var notes: [String] = []

    /// Reads and checks `paths` (each SAML or OIDC by its header) and the secrets file.
    ///
    /// - Parameter verifyDomains: `--verify-domains`: the connections' domains are added verified.
    /// - Throws: ``ImportError`` when a file cannot be read or a header is neither the SAML nor the OIDC one.
    public static func read(paths: [String], secretsPath: String?, verifyDomains: Bool) throws(ImportError)
        -> SSOConnectionFiles
    {
        var files = SSOConnectionFiles()
        var secrets = try secretsPath.map { path throws(ImportError) in try SSOSecretsFile.read(path: path) }
        var lines: [String: (path: String, line: Int)] = [:]
        for path in paths {
            let table = try NamedColumnFile(path: path, lowercased: false)
            let kind = try Self.kind(path: path, header: table.header, notes: &files.notes)
            while let result = table.reader.next() {
                let record = result.record
                if case .malformed(_, let reason) = result {
                    files.problems.append(SSORowProblem(path: path, line: record.line, message: reason, reason: reason))
                    continue
                }
                let cells = table.cells(of: record.fields)
                var row = SSORowCheck(path: path, line: record.line, kind: kind, cells: cells)
                if let id = cells["externalId"], let given = secrets?.take(id) { row.secrets = given }
                let checked = row.check(verifyDomains: verifyDomains)
                if let definition = checked, let earlier = lines[definition.externalId] {
                    files.problems.append(
                        row.problem(
                            "uses the external id \(DisplayText.quoted(definition.externalId)), which \(earlier.path) "
                                + "line \(earlier.line) uses too; give each connection its own externalId",
                            reason: "an external id used twice", externalId: definition.externalId))
                } else if let definition = checked {
                    lines[definition.externalId] = (path, record.line)
                    if definition.externalIdGenerated {
                        files.notes.append(
                            "\(path) line \(record.line): has no externalId; sending \(definition.externalId), made "
                                + "from the row, so a rerun finds the same connection")
                    }
                    files.definitions.append(definition)
                }
                files.problems += row.problems
            }
            if let error = table.reader.readError { throw .csv(error) }
        }
        files.problems += secrets?.leftOver() ?? []
        return files
    }

    /// SAML or OIDC, by the header; columns outside the toolkit's are noted as not sent.
    private static func kind(path: String, header: [String], notes: inout [String]) throws(ImportError)
        -> SSOConnectionDefinition.Kind
    {
        let kind: SSOConnectionDefinition.Kind
        if header.contains("clientId") || header.contains("discoveryEndpoint") {
            kind = .oidc
        } else if header.contains("idpEntityId") || header.contains("idpMetadataUrl") {
            kind = .saml
        } else {
            throw .usage(
                "\(path) is neither a SAML nor an OIDC connections file: its header is the toolkit's "
                    + "(SAML: \(samlColumns.prefix(4).joined(separator: ","))…,idpEntityId,idpUrl,x509Cert,"
                    + "idpMetadataUrl,…; OIDC: …,clientId,clientSecret,discoveryEndpoint,…)")
        }
        let known = Set(kind == .saml ? samlColumns : oidcColumns)
        let extra = header.filter { !$0.isEmpty && !known.contains($0) }
        if !extra.isEmpty {
            notes.append(
                "\(path): columns \(DisplayText.list(extra)) are not sent: POST /connections has no field for them")
        }
        return kind
    }
}

/// The checks of one SSO row.
struct SSORowCheck {
    let path: String
    let line: Int
    let kind: SSOConnectionDefinition.Kind
    let cells: [String: String]
    /// The row's secrets from `--sso-secrets`, by column.
    var secrets: [String: String] = [:]
    var problems: [SSORowProblem] = []

    init(path: String, line: Int, kind: SSOConnectionDefinition.Kind, cells: [String: String]) {
        self.path = path
        self.line = line
        self.kind = kind
        self.cells = cells
    }

    /// A problem of this row.
    func problem(_ message: String, reason: String, externalId: String? = nil) -> SSORowProblem {
        SSORowProblem(
            path: path, line: line, message: message, reason: reason, kind: kind, name: cells["name"],
            externalId: externalId ?? cells["externalId"])
    }

    mutating func fail(_ message: String, reason: String) {
        problems.append(problem(message, reason: reason))
    }

    /// The row's definition, or nil with its problems.
    mutating func check(verifyDomains: Bool) -> SSOConnectionDefinition? {
        let organization =
            cells["organizationId"].map(RowOrganization.id)
            ?? cells["organizationExternalId"].map { RowOrganization.externalId($0, name: cells["organizationName"]) }
        if organization == nil {
            fail(
                "names no organization: give organizationId or organizationExternalId (with organizationName to "
                    + "create it)", reason: "the connection has no organization")
        }
        var domains: [OrganizationDomain] = []
        do {
            domains = try DomainCell.parse(cells["domains"] ?? "", verifyAll: verifyDomains)
        } catch {
            fail(error.message, reason: error.reason)
        }
        let publicVerified = domains.filter { $0.verified && PublicEmailDomains.contains($0.domain) }
        if !publicVerified.isEmpty {
            fail(
                "marks \(DisplayText.list(publicVerified.map(\.domain))) verified, a public email provider's domain: "
                    + "a verified domain sends every sign-in of its addresses to this organization",
                reason: "marks a public email provider's domain verified")
        }
        var secretValues = SSOSecrets()
        for column in SSOSecrets.columns {
            guard let value = secrets[column] ?? cells[column] else { continue }
            if value == SSOConnectionFiles.redacted {
                fail(
                    "its \(column) is redacted in the file; give it in --sso-secrets under its externalId",
                    reason: "a secret is redacted and --sso-secrets does not give it")
            } else {
                secretValues.values[column] = value
            }
        }
        var notTaken: [String] = []
        var saml: CreateSSOConnectionRequest.SAMLOptions?
        var oidc: CreateSSOConnectionRequest.OIDCOptions?
        switch kind {
        case .saml: saml = checkSAML(secretValues, notTaken: &notTaken)
        case .oidc: oidc = checkOIDC()
        }
        guard problems.isEmpty, let organization else { return nil }
        let (externalId, generated) = externalId(organization: organization)
        return SSOConnectionDefinition(
            path: path, line: line, kind: kind, name: cells["name"] ?? cells["organizationName"],
            organization: organization, domains: domains, externalId: externalId, externalIdGenerated: generated,
            saml: saml, oidc: oidc, attributes: attributes(), notTaken: notTaken, secrets: secretValues)
    }

    /// `saml_options` without secrets: a metadata URL, or the entity id, SSO URL and PEM certificate.
    private mutating func checkSAML(_ secrets: SSOSecrets, notTaken: inout [String])
        -> CreateSSOConnectionRequest.SAMLOptions
    {
        var options = CreateSSOConnectionRequest.SAMLOptions()
        options.acsURL = cells["customAcsUrl"]
        options.spEntityId = cells["customEntityId"]
        if let url = cells["idpMetadataUrl"] {
            options.idpMetadataURL = url
        } else if let entity = cells["idpEntityId"], let url = cells["idpUrl"], let certificate = cells["x509Cert"] {
            if PEMText.isCertificate(certificate) {
                options.idpEntityId = entity
                options.idpSSOURL = url
                options.idpSigningCerts = [certificate.replacing("\\n", with: "\n")]
            } else {
                fail(
                    "x509Cert is not a PEM certificate (-----BEGIN CERTIFICATE-----, base64, -----END "
                        + "CERTIFICATE-----)", reason: "the certificate is not PEM")
            }
        } else {
            fail(
                "has neither idpMetadataUrl nor all of idpEntityId, idpUrl and x509Cert: WorkOS needs one or the other "
                    + "to trust the identity provider", reason: "a SAML connection without metadata or manual settings")
        }
        for column in ["requestSigningKey", "assertionEncryptionKey", "nameIdEncryptionKey"] {
            if let value = secrets.value(column), PEMText.keyPair(value) == nil {
                notTaken.append(
                    "\(column) (WorkOS takes a private key with its certificate, both PEM; WorkOS makes its own key)")
            }
        }
        if let enabled = cells["idpInitiatedEnabled"], ["true", "yes", "1"].contains(enabled.lowercased()) {
            notTaken.append("idpInitiatedEnabled (POST /connections has no field for it; set it in the dashboard)")
        }
        return options
    }

    /// `oidc_options` without the client secret.
    private mutating func checkOIDC() -> CreateSSOConnectionRequest.OIDCOptions? {
        guard let clientId = cells["clientId"], let discovery = cells["discoveryEndpoint"] else {
            fail(
                "has no clientId or no discoveryEndpoint: an OIDC connection needs both",
                reason: "an OIDC connection without client id or discovery endpoint")
            return nil
        }
        return .init(
            clientId: clientId, clientSecret: nil, discoveryEndpoint: discovery,
            redirectURI: cells["customRedirectUri"])
    }

    /// The attribute mappings WorkOS takes (`attribute_maps.standard_attributes`).
    private func attributes() -> [String: String] {
        let columns = [
            "idpIdAttribute": "idp_id", "emailAttribute": "email", "firstNameAttribute": "first_name",
            "lastNameAttribute": "last_name", "nameAttribute": "name",
        ]
        var attributes: [String: String] = [:]
        for (column, field) in columns { if let value = cells[column] { attributes[field] = value } }
        return attributes
    }

    /// `externalId`, or one made from what identifies the row (never from a secret): the same row gives the
    /// same id on every run.
    private func externalId(organization: RowOrganization) -> (String, Bool) {
        if let given = cells["externalId"] { return (given, false) }
        let identity = [
            kind.rawValue, organization.key, cells["name"] ?? "", cells["idpMetadataUrl"] ?? "",
            cells["idpEntityId"] ?? "", cells["idpUrl"] ?? "", cells["clientId"] ?? "",
            cells["discoveryEndpoint"] ?? "",
        ].joined(separator: "\u{1F}")
        return ("workos-import-" + String(SHA256.hex(identity).prefix(24)), true)
    }
}
