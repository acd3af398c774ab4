/// Body of `POST /user_management/users` (contract §4.1): the address and the user's ``UserFields``, read
/// and written through as if they were the request's own (`request.firstName`). `nil` fields are left out
/// of the JSON.
@dynamicMemberLookup
public struct CreateUserRequest: Encodable, Sendable, Equatable {
    public var email: String
    /// Everything but the address.
    public var fields: UserFields

    private enum CodingKeys: String, CodingKey {
        case email
    }

    /// A body for `email` with `fields`.
    public init(email: String, fields: UserFields) {
        self.email = email
        self.fields = fields
    }

    /// A body with the given values; each optional field defaults to "not sent".
    public init(
        email: String, firstName: String? = nil, lastName: String? = nil, password: String? = nil,
        passwordHash: String? = nil, passwordHashType: String? = nil, passwordSaltPosition: String? = nil,
        emailVerified: Bool? = nil, externalId: String? = nil, metadata: [String: String]? = nil
    ) {
        self.init(
            email: email,
            fields: UserFields(
                firstName: firstName, lastName: lastName, password: password, passwordHash: passwordHash,
                passwordHashType: passwordHashType, passwordSaltPosition: passwordSaltPosition,
                emailVerified: emailVerified, externalId: externalId, metadata: metadata))
    }

    /// One of the user's fields, as if declared here.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<UserFields, Value>) -> Value {
        get { fields[keyPath: keyPath] }
        set { fields[keyPath: keyPath] = newValue }
    }

    /// One flat object: the address beside the fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(email, forKey: .email)
        try fields.encode(to: encoder)
    }
}

/// Body of `PUT /user_management/users/{id}`: fields left `nil` stay as they are (contract §4.1).
@dynamicMemberLookup
public struct UpdateUserRequest: Encodable, Sendable, Equatable {
    /// The fields to change.
    public var fields: UserFields

    /// A body that changes `fields`.
    public init(fields: UserFields) {
        self.fields = fields
    }

    /// A body with the given values; each field defaults to "left as it is".
    public init(
        firstName: String? = nil, lastName: String? = nil, password: String? = nil, passwordHash: String? = nil,
        passwordHashType: String? = nil, passwordSaltPosition: String? = nil, emailVerified: Bool? = nil,
        externalId: String? = nil, metadata: [String: String]? = nil
    ) {
        self.init(
            fields: UserFields(
                firstName: firstName, lastName: lastName, password: password, passwordHash: passwordHash,
                passwordHashType: passwordHashType, passwordSaltPosition: passwordSaltPosition,
                emailVerified: emailVerified, externalId: externalId, metadata: metadata))
    }

    /// One of the user's fields, as if declared here.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<UserFields, Value>) -> Value {
        get { fields[keyPath: keyPath] }
        set { fields[keyPath: keyPath] = newValue }
    }

    /// Whether the request would change nothing (every field `nil`).
    public var isEmpty: Bool { fields == UserFields() }

    /// The fields alone, as one flat object.
    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }
}

/// Body of `POST /user_management/organization_memberships` (contract §4.3): one role goes as `role_slug`,
/// several as `role_slugs`, none leaves the environment's default role.
public struct CreateMembershipRequest: Encodable, Sendable, Equatable {
    public var userId: String
    public var organizationId: String
    /// The member's roles; empty for the default role.
    public var roleSlugs: [String]

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case organizationId = "organization_id"
        case roleSlug = "role_slug"
        case roleSlugs = "role_slugs"
    }

    public init(userId: String, organizationId: String, roleSlugs: [String] = []) {
        self.userId = userId
        self.organizationId = organizationId
        self.roleSlugs = roleSlugs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(organizationId, forKey: .organizationId)
        try RoleSlugs.encode(roleSlugs, into: &container, one: .roleSlug, several: .roleSlugs)
    }
}

/// Body of `PUT /user_management/organization_memberships/{id}` (contract §4.3): the member's new roles.
public struct UpdateMembershipRequest: Encodable, Sendable, Equatable {
    /// The roles the membership should hold; at least one.
    public var roleSlugs: [String]

    enum CodingKeys: String, CodingKey {
        case roleSlug = "role_slug"
        case roleSlugs = "role_slugs"
    }

    public init(roleSlugs: [String]) {
        self.roleSlugs = roleSlugs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try RoleSlugs.encode(roleSlugs, into: &container, one: .roleSlug, several: .roleSlugs)
    }
}

/// How a list of role slugs goes on the wire: one as `role_slug`, so an environment without multiple roles
/// accepts it; several as `role_slugs`; none left out.
enum RoleSlugs {
    static func encode<Key: CodingKey>(
        _ slugs: [String], into container: inout KeyedEncodingContainer<Key>, one: Key, several: Key
    ) throws {
        switch slugs.count {
        case 0: break
        case 1: try container.encode(slugs[0], forKey: one)
        default: try container.encode(slugs, forKey: several)
        }
    }
}

/// Body of `POST /user_management/users/{id}/auth_factors` (contract §4.5): a TOTP factor with a known secret.
public struct EnrollTOTPRequest: Encodable, Sendable, Equatable {
    /// The Base32 secret. A secret: never logged.
    public var secret: String
    public var issuer: String?
    public var user: String?

    enum CodingKeys: String, CodingKey {
        case type
        case secret = "totp_secret"
        case issuer = "totp_issuer"
        case user = "totp_user"
    }

    public init(secret: String, issuer: String? = nil, user: String? = nil) {
        self.secret = secret
        self.issuer = issuer
        self.user = user
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("totp", forKey: .type)
        try container.encode(secret, forKey: .secret)
        try container.encodeIfPresent(issuer, forKey: .issuer)
        try container.encodeIfPresent(user, forKey: .user)
    }
}

/// Body of `POST /organizations` (contract §4.2).
public struct CreateOrganizationRequest: Encodable, Sendable, Equatable {
    public var name: String
    public var externalId: String?
    /// The organization's domains with their states; left out when nil (an organization without domains).
    public var domainData: [OrganizationDomainData]?
    /// String metadata; left out when nil.
    public var metadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case name
        case externalId = "external_id"
        case domainData = "domain_data"
        case metadata
    }

    public init(
        name: String, externalId: String? = nil, domainData: [OrganizationDomainData]? = nil,
        metadata: [String: String]? = nil
    ) {
        self.name = name
        self.externalId = externalId
        self.domainData = domainData
        self.metadata = metadata
    }
}

/// One entry of an organization's `domain_data` (the spec's `OrganizationDomainDataDto`): a domain and
/// whether it is `pending` or `verified`.
public struct OrganizationDomainData: Codable, Sendable, Equatable, Hashable {
    public var domain: String
    /// `pending` or `verified`.
    public var state: String

    enum CodingKeys: String, CodingKey {
        case domain, state
    }

    public init(domain: String, state: String) {
        self.domain = domain
        self.state = state
    }
}

/// Body of `PUT /organizations/{id}`: only the fields sent change; `domain_data` replaces every domain the
/// organization has, so a caller sends the domains it keeps too.
public struct UpdateOrganizationRequest: Encodable, Sendable, Equatable {
    public var domainData: [OrganizationDomainData]?
    public var metadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case domainData = "domain_data"
        case metadata
    }

    public init(domainData: [OrganizationDomainData]? = nil, metadata: [String: String]? = nil) {
        self.domainData = domainData
        self.metadata = metadata
    }
}

/// Body of `POST /authorization/permissions` (the spec's `CreateAuthorizationPermissionDto`).
public struct CreatePermissionRequest: Encodable, Sendable, Equatable {
    public var slug: String
    public var name: String

    enum CodingKeys: String, CodingKey {
        case slug, name
    }

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }
}

/// Body of `POST /authorization/roles` (`CreateRoleDto`) and of
/// `POST /authorization/organizations/{organizationId}/roles` (`CreateOrganizationRoleDto`, whose slug
/// begins with `org-`).
public struct CreateRoleRequest: Encodable, Sendable, Equatable {
    public var slug: String
    public var name: String

    enum CodingKeys: String, CodingKey {
        case slug, name
    }

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }
}

/// Body of `PATCH …/roles/{slug}` (`UpdateRoleDto`, `UpdateOrganizationRoleDto`): the role's new name.
public struct UpdateRoleRequest: Encodable, Sendable, Equatable {
    public var name: String

    enum CodingKeys: String, CodingKey {
        case name
    }

    public init(name: String) {
        self.name = name
    }
}

/// Body of `PUT …/roles/{slug}/permissions` (`SetRolePermissionsDto`): every permission the role is to grant.
public struct SetRolePermissionsRequest: Encodable, Sendable, Equatable {
    public var permissions: [String]

    enum CodingKeys: String, CodingKey {
        case permissions
    }

    public init(permissions: [String]) {
        self.permissions = permissions
    }
}
