/// A WorkOS organization, reduced to the fields the importer uses (contract §3).
public struct WorkOSOrganization: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var externalId: String?
    public var createdAt: String?
    /// Its domains with their states (`domains[]` of the answer); empty when the answer has none.
    public var domains: [OrganizationDomainData]
    /// Its string metadata; empty when the answer has none.
    public var metadata: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, name, domains, metadata
        case externalId = "external_id"
        case createdAt = "created_at"
    }

    public init(
        id: String, name: String, externalId: String? = nil, createdAt: String? = nil,
        domains: [OrganizationDomainData] = [], metadata: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.externalId = externalId
        self.createdAt = createdAt
        self.domains = domains
        self.metadata = metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        externalId = try container.decodeIfPresent(String.self, forKey: .externalId)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        // An OrganizationDomain has more members (id, verification fields); only the domain and state matter.
        domains = try container.decodeIfPresent([OrganizationDomainData].self, forKey: .domains) ?? []
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
    }
}
