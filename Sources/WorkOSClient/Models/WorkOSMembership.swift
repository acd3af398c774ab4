/// A WorkOS organization membership, reduced to the fields the importer uses (contract §3).
public struct WorkOSMembership: Codable, Sendable, Equatable {
    /// A role of the member.
    public struct Role: Codable, Sendable, Equatable {
        public var slug: String

        public init(slug: String) {
            self.slug = slug
        }
    }

    public var id: String
    public var userId: String
    public var organizationId: String
    /// `active`, `inactive` or `pending`.
    public var status: String
    /// The primary role.
    public var role: Role?
    /// Every role of the member; older answers carry only ``role``.
    public var roles: [Role]?
    public var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case id, status, role, roles
        case userId = "user_id"
        case organizationId = "organization_id"
        case createdAt = "created_at"
    }

    public init(
        id: String, userId: String, organizationId: String, status: String, role: Role? = nil,
        roles: [Role]? = nil, createdAt: String? = nil
    ) {
        self.id = id
        self.userId = userId
        self.organizationId = organizationId
        self.status = status
        self.role = role
        self.roles = roles
        self.createdAt = createdAt
    }

    /// The member's role slugs, from `roles` when the answer has it, else from `role`.
    public var roleSlugs: [String] {
        if let roles { return roles.map(\.slug) }
        return role.map { [$0.slug] } ?? []
    }
}

/// A role that applies to an organization: an environment role or the organization's own (contract §3).
public struct WorkOSRole: Codable, Sendable, Equatable {
    public var slug: String
    /// `EnvironmentRole` or `OrganizationRole`.
    public var type: String?
    /// `role_…`; absent in older answers.
    public var id: String?
    /// The display name.
    public var name: String?
    /// The slugs of the permissions the role grants; absent in answers that do not carry them.
    public var permissions: [String]?
    /// When WorkOS made it, ISO 8601: a role an import sent a create for is its own only when made after the
    /// import started.
    public var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case slug, type, id, name, permissions
        case createdAt = "created_at"
    }

    public init(
        slug: String, type: String? = nil, id: String? = nil, name: String? = nil, permissions: [String]? = nil,
        createdAt: String? = nil
    ) {
        self.slug = slug
        self.type = type
        self.id = id
        self.name = name
        self.permissions = permissions
        self.createdAt = createdAt
    }
}

/// A permission roles grant (the spec's `AuthorizationPermission`).
public struct WorkOSPermission: Codable, Sendable, Equatable {
    /// `perm_…`.
    public var id: String
    public var slug: String
    public var name: String?
    /// When WorkOS made it, ISO 8601.
    public var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case id, slug, name
        case createdAt = "created_at"
    }

    public init(id: String, slug: String, name: String? = nil, createdAt: String? = nil) {
        self.id = id
        self.slug = slug
        self.name = name
        self.createdAt = createdAt
    }
}

/// A user's authentication factor, without its secret (contract §3).
public struct WorkOSAuthFactor: Codable, Sendable, Equatable {
    public var id: String
    /// `totp`, `sms`, `generic_otp` or `webauthn`.
    public var type: String
    public var userId: String?
    public var createdAt: String?
    /// What an authenticator app shows for a TOTP factor; the only part of it WorkOS lists (the secret is
    /// in the enrollment answer alone, and is not decoded).
    public var totp: TOTP?

    /// A TOTP factor's `totp` object as the factor list returns it.
    public struct TOTP: Codable, Sendable, Equatable {
        public var issuer: String?
        public var user: String?

        enum CodingKeys: String, CodingKey {
            case issuer, user
        }

        public init(issuer: String? = nil, user: String? = nil) {
            self.issuer = issuer
            self.user = user
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, type, totp
        case userId = "user_id"
        case createdAt = "created_at"
    }

    public init(id: String, type: String, userId: String? = nil, createdAt: String? = nil, totp: TOTP? = nil) {
        self.id = id
        self.type = type
        self.userId = userId
        self.createdAt = createdAt
        self.totp = totp
    }
}

/// The answer to a factor enrollment: `{authentication_factor, authentication_challenge}` (contract §4.5).
struct EnrolledFactor: Decodable, Sendable {
    var authenticationFactor: WorkOSAuthFactor

    enum CodingKeys: String, CodingKey {
        case authenticationFactor = "authentication_factor"
    }
}
