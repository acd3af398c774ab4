/// A WorkOS organization membership, reduced to the fields the importer uses (contract §3).
public struct WorkOSMembership: Codable, Sendable, Equatable {
    /// The primary role of the member.
    public struct Role: Codable, Sendable, Equatable {
        public var slug: String
    }

    public var id: String
    public var userId: String
    public var organizationId: String
    /// `active`, `inactive` or `pending`.
    public var status: String
    public var role: Role?

    enum CodingKeys: String, CodingKey {
        case id, status, role
        case userId = "user_id"
        case organizationId = "organization_id"
    }

    public init(id: String, userId: String, organizationId: String, status: String, role: Role? = nil) {
        self.id = id
        self.userId = userId
        self.organizationId = organizationId
        self.status = status
        self.role = role
    }
}
