/// Body of `POST /user_management/users` (contract §4.1). `nil` fields are left out of the JSON (the
/// synthesized encoder skips them).
public struct CreateUserRequest: Encodable, Sendable, Equatable {
    public var email: String
    public var firstName: String?
    public var lastName: String?
    /// Plaintext password; never logged.
    public var password: String?
    /// Password hash; never logged.
    public var passwordHash: String?
    public var passwordHashType: String?
    /// `prefix` or `suffix`, only with an `ssha256` hash: where the salt went when the digest was made.
    public var passwordSaltPosition: String?
    public var emailVerified: Bool?
    public var externalId: String?
    public var metadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case email, password, metadata
        case firstName = "first_name"
        case lastName = "last_name"
        case passwordHash = "password_hash"
        case passwordHashType = "password_hash_type"
        case passwordSaltPosition = "password_salt_position"
        case emailVerified = "email_verified"
        case externalId = "external_id"
    }

    public init(
        email: String, firstName: String? = nil, lastName: String? = nil, password: String? = nil,
        passwordHash: String? = nil, passwordHashType: String? = nil, passwordSaltPosition: String? = nil,
        emailVerified: Bool? = nil, externalId: String? = nil, metadata: [String: String]? = nil
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.password = password
        self.passwordHash = passwordHash
        self.passwordHashType = passwordHashType
        self.passwordSaltPosition = passwordSaltPosition
        self.emailVerified = emailVerified
        self.externalId = externalId
        self.metadata = metadata
    }
}

/// Body of `PUT /user_management/users/{id}`: fields left `nil` stay as they are (contract §4.1).
public struct UpdateUserRequest: Encodable, Sendable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var password: String?
    public var passwordHash: String?
    public var passwordHashType: String?
    /// `prefix` or `suffix`, only with an `ssha256` hash: where the salt went when the digest was made.
    public var passwordSaltPosition: String?
    public var emailVerified: Bool?
    public var externalId: String?
    public var metadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case password, metadata
        case firstName = "first_name"
        case lastName = "last_name"
        case passwordHash = "password_hash"
        case passwordHashType = "password_hash_type"
        case passwordSaltPosition = "password_salt_position"
        case emailVerified = "email_verified"
        case externalId = "external_id"
    }

    public init(
        firstName: String? = nil, lastName: String? = nil, password: String? = nil, passwordHash: String? = nil,
        passwordHashType: String? = nil, passwordSaltPosition: String? = nil, emailVerified: Bool? = nil,
        externalId: String? = nil, metadata: [String: String]? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.password = password
        self.passwordHash = passwordHash
        self.passwordHashType = passwordHashType
        self.passwordSaltPosition = passwordSaltPosition
        self.emailVerified = emailVerified
        self.externalId = externalId
        self.metadata = metadata
    }

    /// Whether the request would change nothing (every field `nil`).
    public var isEmpty: Bool { self == UpdateUserRequest() }

}

/// Body of `POST /user_management/organization_memberships` (contract §4.3).
public struct CreateMembershipRequest: Encodable, Sendable, Equatable {
    public var userId: String
    public var organizationId: String
    public var roleSlug: String?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case organizationId = "organization_id"
        case roleSlug = "role_slug"
    }

    public init(userId: String, organizationId: String, roleSlug: String? = nil) {
        self.userId = userId
        self.organizationId = organizationId
        self.roleSlug = roleSlug
    }
}

/// Body of `POST /organizations` (contract §4.2).
public struct CreateOrganizationRequest: Encodable, Sendable, Equatable {
    public var name: String
    public var externalId: String?

    enum CodingKeys: String, CodingKey {
        case name
        case externalId = "external_id"
    }

    public init(name: String, externalId: String? = nil) {
        self.name = name
        self.externalId = externalId
    }
}
