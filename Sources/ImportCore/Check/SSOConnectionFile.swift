import WorkOSClient

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The secrets of one SSO connection: an OIDC client secret, SAML key pairs. They feed only the create's
/// body; the value prints as `[redacted]` and reflects no members, so no message, log or file that
/// describes a connection can carry them.
public struct SSOSecrets: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The toolkit's secret columns, which `--sso-secrets` may give and a package may have redacted.
    public static let columns = ["clientSecret", "requestSigningKey", "assertionEncryptionKey", "nameIdEncryptionKey"]

    var values: [String: String] = [:]

    public init() {}

    /// The value of a secret column, nil when none was given.
    func value(_ column: String) -> String? { values[column] }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// One row of a toolkit SSO file (`sso/saml_connections.csv` or `sso/oidc_connections.csv`), checked: what
/// `POST /connections` needs, with its secrets apart.
public struct SSOConnectionDefinition: Sendable, Equatable {
    /// SAML or OIDC, told by the file's header.
    public enum Kind: String, Sendable, Equatable {
        case saml = "SAML"
        case oidc = "OIDC"
    }

    /// The file the row is in, and its 1-based line.
    public var path: String
    public var line: Int
    public var kind: Kind
    /// `name`, else the organization's name.
    public var name: String?
    /// The organization it belongs to: by `organizationId`, else `organizationExternalId`
    /// (with `organizationName` to create it).
    public var organization: RowOrganization
    /// The domains it signs in, added to its organization.
    public var domains: [OrganizationDomain]
    /// `externalId`, or one made from the row (``externalIdGenerated``): always sent, so a repeated create
    /// answers the same connection.
    public var externalId: String
    public var externalIdGenerated: Bool
    /// The body's protocol options without secrets.
    var saml: CreateSSOConnectionRequest.SAMLOptions?
    var oidc: CreateSSOConnectionRequest.OIDCOptions?
    /// `attribute_maps.standard_attributes`.
    var attributes: [String: String]
    /// Settings of the row that WorkOS's create cannot take, each with why: listed, never dropped silently.
    public var notTaken: [String]
    var secrets: SSOSecrets

    /// The organization's label for messages and the results file.
    public var organizationLabel: String { organization.label }

    /// The key the journal and the duplicate check know the connection by.
    public var key: String { organization.key + "|" + externalId }

    /// The `POST /connections` body for the organization `organizationId`, secrets included.
    public func request(organizationId: String) -> CreateSSOConnectionRequest {
        var saml = self.saml
        var oidc = self.oidc
        if saml != nil {
            saml?.spSigningKeyPair = secrets.value("requestSigningKey").flatMap(PEMText.keyPair)
            let encryption = ["assertionEncryptionKey", "nameIdEncryptionKey"].compactMap {
                secrets.value($0).flatMap(PEMText.keyPair)
            }
            saml?.spEncryptionKeyPairs = encryption.isEmpty ? nil : encryption
        }
        oidc?.clientSecret = secrets.value("clientSecret")
        return CreateSSOConnectionRequest(
            organizationId: organizationId, name: name, externalId: externalId, samlOptions: saml, oidcOptions: oidc,
            attributeMaps: attributes.isEmpty ? nil : .init(standardAttributes: attributes))
    }

    /// The service provider addresses the row keeps (`customAcsUrl`, `customEntityId`, `customRedirectUri`).
    public var customACSURL: String? { saml?.acsURL }
    public var customEntityId: String? { saml?.spEntityId }
    public var customRedirectURI: String? { oidc?.redirectURI }
}

/// A row of an SSO file (or of the secrets file) that cannot be imported, found before anything is sent.
public struct SSORowProblem: Sendable, Equatable {
    public var path: String
    public var line: Int
    /// What is wrong, without the line and never with a secret's value.
    public var message: String
    /// The kind of problem without the row's values.
    public var reason: String
    public var kind: SSOConnectionDefinition.Kind?
    public var name: String?
    public var externalId: String?
}

/// PEM blocks: a certificate is `-----BEGIN CERTIFICATE-----`, base64, `-----END CERTIFICATE-----`.
enum PEMText {
    /// The blocks of `text` by label (`CERTIFICATE`, `PRIVATE KEY`, `RSA PRIVATE KEY`), each whole; nil when a
    /// block is malformed (no end, or a body that is not base64).
    static func blocks(_ text: String) -> [(label: String, text: String)]? {
        let normalized = text.replacing("\\n", with: "\n").replacing("\r", with: "")
        var found: [(String, String)] = []
        var rest = Substring(normalized)
        while let begin = rest.firstRange(of: "-----BEGIN ") {
            guard let labelEnd = rest[begin.upperBound...].firstRange(of: "-----") else { return nil }
            let label = String(rest[begin.upperBound..<labelEnd.lowerBound])
            guard let end = rest[labelEnd.upperBound...].firstRange(of: "-----END \(label)-----") else { return nil }
            let body = rest[labelEnd.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
            guard !body.isEmpty, body.allSatisfy({ $0.isLetter || $0.isNumber || "+/=".contains($0) }) else {
                return nil
            }
            found.append((label, String(rest[begin.lowerBound..<end.upperBound])))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// Whether `text` is one or more PEM certificates and nothing else.
    static func isCertificate(_ text: String) -> Bool {
        guard let blocks = blocks(text), !blocks.isEmpty else { return false }
        return blocks.allSatisfy { $0.label == "CERTIFICATE" }
    }

    /// A private key with its certificate, when `text` holds both.
    static func keyPair(_ text: String) -> CreateSSOConnectionRequest.KeyPair? {
        guard let blocks = blocks(text),
            let key = blocks.first(where: { $0.label.hasSuffix("PRIVATE KEY") }),
            let certificate = blocks.first(where: { $0.label == "CERTIFICATE" })
        else { return nil }
        return .init(privateKey: key.text, certificate: certificate.text)
    }
}
