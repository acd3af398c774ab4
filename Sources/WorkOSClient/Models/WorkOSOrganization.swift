/// A WorkOS organization, reduced to the fields the importer uses (contract §3).
public struct WorkOSOrganization: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var externalId: String?
    public var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case externalId = "external_id"
        case createdAt = "created_at"
    }

    public init(id: String, name: String, externalId: String? = nil, createdAt: String? = nil) {
        self.id = id
        self.name = name
        self.externalId = externalId
        self.createdAt = createdAt
    }
}
