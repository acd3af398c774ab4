/// An SSO connection as `GET /connections/{id}` and `POST /connections` answer it (the spec's Connection),
/// reduced to the fields the importer uses. The answer carries no identity provider settings and no secret.
public struct WorkOSSSOConnection: Codable, Sendable, Equatable {
    /// `conn_…`.
    public var id: String
    /// The organization it belongs to.
    public var organizationId: String?
    /// `GenericSAML`, `OktaSAML`, `GenericOIDC`, …
    public var connectionType: String
    public var name: String
    /// `draft`, `active`, `inactive`, … (the spec's `state`).
    public var state: String
    /// The domains of the connection (`domains[].domain`).
    public var domains: [String]
    public var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, state, domains
        case organizationId = "organization_id"
        case connectionType = "connection_type"
        case createdAt = "created_at"
    }

    private struct Domain: Codable { var domain: String }

    public init(
        id: String, organizationId: String?, connectionType: String, name: String, state: String,
        domains: [String] = [], createdAt: String? = nil
    ) {
        self.id = id
        self.organizationId = organizationId
        self.connectionType = connectionType
        self.name = name
        self.state = state
        self.domains = domains
        self.createdAt = createdAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        organizationId = try container.decodeIfPresent(String.self, forKey: .organizationId)
        connectionType = try container.decode(String.self, forKey: .connectionType)
        name = try container.decode(String.self, forKey: .name)
        state = try container.decode(String.self, forKey: .state)
        domains = (try container.decodeIfPresent([Domain].self, forKey: .domains) ?? []).map(\.domain)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(organizationId, forKey: .organizationId)
        try container.encode(connectionType, forKey: .connectionType)
        try container.encode(name, forKey: .name)
        try container.encode(state, forKey: .state)
        try container.encode(domains.map(Domain.init), forKey: .domains)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
    }

    /// Whether the type is a SAML one (`…SAML`); OIDC types end in `OIDC` or `Oidc`.
    public var isSAML: Bool { connectionType.hasSuffix("SAML") }
}

/// Body of `POST /connections` (WorkOS's API reference; the SDKs' `CreateConnection`): `saml_options` or
/// `oidc_options`, never both. `external_id` makes the create idempotent within the organization: WorkOS
/// answers the existing connection instead of making a second one.
///
/// It carries the identity provider's secrets (an OIDC client secret, SAML key pairs), so it is sent and
/// never written anywhere else: it has no description and is not `CustomStringConvertible`.
public struct CreateSSOConnectionRequest: Encodable, Sendable, Equatable {
    public var organizationId: String
    public var name: String?
    public var externalId: String
    public var samlOptions: SAMLOptions?
    public var oidcOptions: OIDCOptions?
    public var attributeMaps: AttributeMaps?

    enum CodingKeys: String, CodingKey {
        case name
        case organizationId = "organization_id"
        case externalId = "external_id"
        case samlOptions = "saml_options"
        case oidcOptions = "oidc_options"
        case attributeMaps = "attribute_maps"
    }

    public init(
        organizationId: String, name: String?, externalId: String, samlOptions: SAMLOptions? = nil,
        oidcOptions: OIDCOptions? = nil, attributeMaps: AttributeMaps? = nil
    ) {
        self.organizationId = organizationId
        self.name = name
        self.externalId = externalId
        self.samlOptions = samlOptions
        self.oidcOptions = oidcOptions
        self.attributeMaps = attributeMaps
    }

    /// A PEM private key with its PEM certificate (`sp_signing_key_pair`, `sp_encryption_key_pairs[]`).
    public struct KeyPair: Encodable, Sendable, Equatable {
        public var privateKey: String
        public var certificate: String

        enum CodingKeys: String, CodingKey {
            case privateKey = "private_key"
            case certificate
        }

        public init(privateKey: String, certificate: String) {
            self.privateKey = privateKey
            self.certificate = certificate
        }
    }

    /// `saml_options`: a metadata URL, or the identity provider's entity id, SSO URL and signing
    /// certificates; the service provider overrides (`acs_url`, `sp_entity_id`) keep the addresses the
    /// identity provider already knows.
    public struct SAMLOptions: Encodable, Sendable, Equatable {
        public var idpMetadataURL: String?
        public var idpEntityId: String?
        public var idpSSOURL: String?
        public var idpSigningCerts: [String]?
        public var acsURL: String?
        public var spEntityId: String?
        public var spSigningKeyPair: KeyPair?
        public var spEncryptionKeyPairs: [KeyPair]?

        enum CodingKeys: String, CodingKey {
            case idpMetadataURL = "idp_metadata_url"
            case idpEntityId = "idp_entity_id"
            case idpSSOURL = "idp_sso_url"
            case idpSigningCerts = "idp_signing_certs"
            case acsURL = "acs_url"
            case spEntityId = "sp_entity_id"
            case spSigningKeyPair = "sp_signing_key_pair"
            case spEncryptionKeyPairs = "sp_encryption_key_pairs"
        }

        public init() {}
    }

    /// `oidc_options`.
    public struct OIDCOptions: Encodable, Sendable, Equatable {
        public var clientId: String
        public var clientSecret: String?
        public var discoveryEndpoint: String
        public var redirectURI: String?

        enum CodingKeys: String, CodingKey {
            case clientId = "client_id"
            case clientSecret = "client_secret"
            case discoveryEndpoint = "discovery_endpoint"
            case redirectURI = "redirect_uri"
        }

        public init(clientId: String, clientSecret: String?, discoveryEndpoint: String, redirectURI: String?) {
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.discoveryEndpoint = discoveryEndpoint
            self.redirectURI = redirectURI
        }
    }

    /// `attribute_maps.standard_attributes`: which identity provider attribute fills each profile field.
    public struct AttributeMaps: Encodable, Sendable, Equatable {
        public var standardAttributes: [String: String]

        enum CodingKeys: String, CodingKey {
            case standardAttributes = "standard_attributes"
        }

        public init(standardAttributes: [String: String]) {
            self.standardAttributes = standardAttributes
        }
    }
}
