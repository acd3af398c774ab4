/// Data loaded into the emulator before it serves, so a rehearsal can include users and
/// organizations that already exist. Same JSON shape as `--seed-file`.
///
/// Ids are optional: give them to refer to seeded objects from tests, or leave them out and the
/// emulator makes them. Memberships and factors may refer to users by email, memberships to
/// organizations by external id.
public struct EmulatorSeed: Codable, Sendable, Equatable {
    /// Users to create.
    public var users: [User]
    /// Organizations to create.
    public var organizations: [Organization]
    /// Memberships to create, after users and organizations.
    public var memberships: [Membership]
    /// Extra roles: environment roles (no organization) or an organization's custom roles.
    public var roles: [Role]
    /// TOTP factors already enrolled, after users.
    public var authFactors: [AuthFactor]
    /// The environment's webhook endpoints.
    public var webhookEndpoints: [WebhookEndpoint] = []

    /// Creates a seed; everything defaults to empty.
    public init(
        users: [User] = [], organizations: [Organization] = [], memberships: [Membership] = [], roles: [Role] = [],
        authFactors: [AuthFactor] = [], webhookEndpoints: [WebhookEndpoint] = []
    ) {
        self.webhookEndpoints = webhookEndpoints
        self.users = users
        self.organizations = organizations
        self.memberships = memberships
        self.roles = roles
        self.authFactors = authFactors
    }

    /// Decodes a seed file in which any of the six lists may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.users = try container.decodeIfPresent([User].self, forKey: .users) ?? []
        self.organizations = try container.decodeIfPresent([Organization].self, forKey: .organizations) ?? []
        self.memberships = try container.decodeIfPresent([Membership].self, forKey: .memberships) ?? []
        self.roles = try container.decodeIfPresent([Role].self, forKey: .roles) ?? []
        self.authFactors = try container.decodeIfPresent([AuthFactor].self, forKey: .authFactors) ?? []
        self.webhookEndpoints = try container.decodeIfPresent([WebhookEndpoint].self, forKey: .webhookEndpoints) ?? []
    }

    private enum CodingKeys: String, CodingKey {
        case users, organizations, memberships, roles
        case authFactors = "auth_factors"
        case webhookEndpoints = "webhook_endpoints"
    }

    /// A webhook endpoint of the environment, listed by `GET /webhook_endpoints` (the emulator sends no events).
    public struct WebhookEndpoint: Codable, Sendable, Equatable {
        /// `we_…` id to use; made up when nil.
        public var id: String?
        /// Where events would go.
        public var endpointURL: String
        /// `enabled` (default) or `disabled`.
        public var status: String?
        /// The event types it subscribes to, such as `user.created`.
        public var events: [String]?
        /// The signing secret; a made-up one when nil.
        public var secret: String?

        /// Creates a seeded webhook endpoint.
        public init(
            id: String? = nil, endpointURL: String, status: String? = nil, events: [String]? = nil,
            secret: String? = nil
        ) {
            self.id = id
            self.endpointURL = endpointURL
            self.status = status
            self.events = events
            self.secret = secret
        }

        private enum CodingKeys: String, CodingKey {
            case id, status, events, secret
            case endpointURL = "endpoint_url"
        }
    }

    /// A seeded user. Passwords and hashes are kept opaquely, as for created users.
    public struct User: Codable, Sendable, Equatable {
        /// `user_…` id to use; made up when nil.
        public var id: String?
        /// Email address; unique ignoring case.
        public var email: String
        /// Given name.
        public var firstName: String?
        /// Family name.
        public var lastName: String?
        /// Whether the address counts as verified.
        public var emailVerified: Bool?
        /// The customer's own id for the user; unique.
        public var externalID: String?
        /// String key-value metadata.
        public var metadata: [String: String]?
        /// Plaintext password, stored opaquely.
        public var password: String?
        /// Password hash, stored opaquely with ``passwordHashType``.
        public var passwordHash: String?
        /// One of the documented hash types.
        public var passwordHashType: String?
        /// The ISO 8601 creation time to report (`created_at`); the seeding time when nil. Lets a rehearsal
        /// show a user whose clock says it was made after the import started (clock skew, a sign-up during
        /// the import).
        public var createdAt: String?
        /// The ISO 8601 time of the user's last sign-in (`last_sign_in_at`); nil for a user who never signed in.
        public var lastSignInAt: String?

        /// Creates a seeded user with an email and optional fields.
        public init(
            id: String? = nil, email: String, firstName: String? = nil, lastName: String? = nil,
            emailVerified: Bool? = nil, externalID: String? = nil, metadata: [String: String]? = nil,
            password: String? = nil, passwordHash: String? = nil, passwordHashType: String? = nil,
            createdAt: String? = nil, lastSignInAt: String? = nil
        ) {
            self.createdAt = createdAt
            self.lastSignInAt = lastSignInAt
            self.id = id
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.emailVerified = emailVerified
            self.externalID = externalID
            self.metadata = metadata
            self.password = password
            self.passwordHash = passwordHash
            self.passwordHashType = passwordHashType
        }

        private enum CodingKeys: String, CodingKey {
            case id, email, metadata, password
            case firstName = "first_name"
            case lastName = "last_name"
            case emailVerified = "email_verified"
            case externalID = "external_id"
            case passwordHash = "password_hash"
            case passwordHashType = "password_hash_type"
            case createdAt = "created_at"
            case lastSignInAt = "last_sign_in_at"
        }
    }

    /// A seeded organization.
    public struct Organization: Codable, Sendable, Equatable {
        /// `org_…` id to use; made up when nil.
        public var id: String?
        /// Display name; need not be unique.
        public var name: String
        /// The customer's own id; unique.
        public var externalID: String?
        /// String key-value metadata.
        public var metadata: [String: String]?

        /// Creates a seeded organization.
        public init(id: String? = nil, name: String, externalID: String? = nil, metadata: [String: String]? = nil) {
            self.id = id
            self.name = name
            self.externalID = externalID
            self.metadata = metadata
        }

        private enum CodingKeys: String, CodingKey {
            case id, name, metadata
            case externalID = "external_id"
        }
    }

    /// A seeded membership; name the user by id or email and the organization by id or external id.
    public struct Membership: Codable, Sendable, Equatable {
        /// `om_…` id to use; made up when nil.
        public var id: String?
        /// The member's user id.
        public var userID: String?
        /// The member's email, when ``userID`` is nil.
        public var userEmail: String?
        /// The organization's id.
        public var organizationID: String?
        /// The organization's external id, when ``organizationID`` is nil.
        public var organizationExternalID: String?
        /// Role slugs; the default role when nil or empty.
        public var roleSlugs: [String]?
        /// `active` (default), `inactive` or `pending`.
        public var status: String?

        /// Creates a seeded membership.
        public init(
            id: String? = nil, userID: String? = nil, userEmail: String? = nil, organizationID: String? = nil,
            organizationExternalID: String? = nil, roleSlugs: [String]? = nil, status: String? = nil
        ) {
            self.id = id
            self.userID = userID
            self.userEmail = userEmail
            self.organizationID = organizationID
            self.organizationExternalID = organizationExternalID
            self.roleSlugs = roleSlugs
            self.status = status
        }

        private enum CodingKeys: String, CodingKey {
            case id, status
            case userID = "user_id"
            case userEmail = "user_email"
            case organizationID = "organization_id"
            case organizationExternalID = "organization_external_id"
            case roleSlugs = "role_slugs"
        }
    }

    /// A seeded role: an environment role when ``organizationID`` is nil, else that organization's.
    public struct Role: Codable, Sendable, Equatable {
        /// Slug used in `role_slug(s)`.
        public var slug: String
        /// Display name; derived from the slug when nil.
        public var name: String?
        /// Free text.
        public var description: String?
        /// Owning organization for an organization role.
        public var organizationID: String?

        /// Creates a seeded role.
        public init(slug: String, name: String? = nil, description: String? = nil, organizationID: String? = nil) {
            self.slug = slug
            self.name = name
            self.description = description
            self.organizationID = organizationID
        }

        private enum CodingKeys: String, CodingKey {
            case slug, name, description
            case organizationID = "organization_id"
        }
    }

    /// A seeded TOTP factor of a user, as if enrolled before the emulator started.
    public struct AuthFactor: Codable, Sendable, Equatable {
        /// `auth_factor_…` id to use; made up when nil.
        public var id: String?
        /// The user's id.
        public var userID: String?
        /// The user's email, when ``userID`` is nil.
        public var userEmail: String?
        /// TOTP issuer; `WorkOS Emulator` when nil.
        public var issuer: String?
        /// TOTP account name; the user's email when nil.
        public var user: String?
        /// Base32 secret; a random one when nil.
        public var secret: String?

        /// Creates a seeded factor.
        public init(
            id: String? = nil, userID: String? = nil, userEmail: String? = nil, issuer: String? = nil,
            user: String? = nil, secret: String? = nil
        ) {
            self.id = id
            self.userID = userID
            self.userEmail = userEmail
            self.issuer = issuer
            self.user = user
            self.secret = secret
        }

        private enum CodingKeys: String, CodingKey {
            case id, issuer, user, secret
            case userID = "user_id"
            case userEmail = "user_email"
        }
    }
}
