/// A WorkOS user as the API returns it (contract §3). Password data is never returned.
public struct WorkOSUser: Codable, Sendable, Equatable {
    public var id: String
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var emailVerified: Bool
    public var externalId: String?
    public var metadata: [String: String]?
    /// ISO-8601 creation time, kept as the server sent it.
    public var createdAt: String
    public var updatedAt: String
    /// ISO-8601 time of the user's last sign-in, as the server sent it; nil for a user who never signed in.
    public var lastSignInAt: String?

    enum CodingKeys: String, CodingKey {
        case id, email, metadata
        case firstName = "first_name"
        case lastName = "last_name"
        case emailVerified = "email_verified"
        case externalId = "external_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case lastSignInAt = "last_sign_in_at"
    }

    public init(
        id: String, email: String, firstName: String? = nil, lastName: String? = nil, emailVerified: Bool = false,
        externalId: String? = nil, metadata: [String: String]? = nil, createdAt: String, updatedAt: String,
        lastSignInAt: String? = nil
    ) {
        self.lastSignInAt = lastSignInAt
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.emailVerified = emailVerified
        self.externalId = externalId
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
