/// The emulator's whole state and counters at one moment: what `GET /_emulate/state` returns and
/// what `--state-out` writes. Passwords and hashes are never part of it.
public struct EmulatorSnapshot: Codable, Sendable, Equatable {
    /// Users in creation order.
    public var users: [User]
    /// Organizations in creation order.
    public var organizations: [Organization]
    /// Memberships of every status, in creation order.
    public var memberships: [Membership]
    /// Environment roles then organization roles.
    public var roles: [Role]
    /// Permissions in creation order.
    public var permissions: [Permission]
    /// Enrolled authentication factors, without secrets.
    public var authFactors: [AuthFactor]
    /// SSO connections in creation order.
    public var connections: [Connection]
    /// Request, fault and limiter counters.
    public var counters: EmulatorCounters
    /// The run-time settings in force.
    public var settings: Settings

    /// The user with this email, compared ignoring case and surrounding spaces.
    public func user(email: String) -> User? {
        let wanted = EmailAddress.normalized(email)
        return users.first { EmailAddress.normalized($0.email) == wanted }
    }

    /// The user with this external id.
    public func user(externalID: String) -> User? {
        users.first { $0.externalID == externalID }
    }

    /// The organization with this external id.
    public func organization(externalID: String) -> Organization? {
        organizations.first { $0.externalID == externalID }
    }

    /// The memberships of one user.
    public func memberships(userID: String) -> [Membership] {
        memberships.filter { $0.userID == userID }
    }

    /// The membership of one user in one organization, whatever its status.
    public func membership(userID: String, organizationID: String) -> Membership? {
        memberships.first { $0.userID == userID && $0.organizationID == organizationID }
    }

    /// The enrolled factors of one user, in enrollment order.
    public func authFactors(userID: String) -> [AuthFactor] {
        authFactors.filter { $0.userID == userID }
    }

    /// A user as tests see it.
    public struct User: Codable, Sendable, Equatable {
        /// `user_…` id.
        public var id: String
        /// Email as stored (trimmed, case kept).
        public var email: String
        /// The customer's own id.
        public var externalID: String?
        /// Given name.
        public var firstName: String?
        /// Family name.
        public var lastName: String?
        /// Full name, when set.
        public var name: String?
        /// String key-value metadata.
        public var metadata: [String: String]
        /// Whether the address is verified.
        public var emailVerified: Bool
        /// Whether a plaintext password or a hash was set (the value itself is never shown).
        public var hasPassword: Bool
        /// The hash type given with an imported hash, if any.
        public var passwordHashType: String?
        /// ISO-8601 creation time.
        public var createdAt: String
        /// ISO-8601 time of the last change.
        public var updatedAt: String

        private enum CodingKeys: String, CodingKey {
            case id, email, name, metadata
            case externalID = "external_id"
            case firstName = "first_name"
            case lastName = "last_name"
            case emailVerified = "email_verified"
            case hasPassword = "has_password"
            case passwordHashType = "password_hash_type"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    /// An organization as tests see it.
    public struct Organization: Codable, Sendable, Equatable {
        /// `org_…` id.
        public var id: String
        /// Display name.
        public var name: String
        /// The customer's own id.
        public var externalID: String?
        /// String key-value metadata.
        public var metadata: [String: String]
        /// Domains, in the order they were added.
        public var domains: [String]
        /// Each domain's state: `pending` or `verified`.
        public var domainStates: [String: String]
        /// ISO-8601 creation time.
        public var createdAt: String

        private enum CodingKeys: String, CodingKey {
            case id, name, metadata, domains
            case domainStates = "domain_states"
            case externalID = "external_id"
            case createdAt = "created_at"
        }
    }

    /// An SSO connection as tests see it (no identity provider settings: the emulator keeps none).
    public struct Connection: Codable, Sendable, Equatable {
        /// `conn_…` id.
        public var id: String
        public var organizationID: String
        /// The customer's own id, unique within the organization.
        public var externalID: String?
        /// `GenericSAML`, `GenericOIDC`, …
        public var connectionType: String
        public var name: String
        public var state: String

        private enum CodingKeys: String, CodingKey {
            case id, name, state
            case organizationID = "organization_id"
            case externalID = "external_id"
            case connectionType = "connection_type"
        }
    }

    /// A membership as tests see it.
    public struct Membership: Codable, Sendable, Equatable {
        /// `om_…` id.
        public var id: String
        /// The member.
        public var userID: String
        /// The organization.
        public var organizationID: String
        /// `active`, `inactive` or `pending`.
        public var status: String
        /// Role slugs, the primary one first.
        public var roleSlugs: [String]
        /// ISO-8601 creation time.
        public var createdAt: String

        private enum CodingKeys: String, CodingKey {
            case id, status
            case userID = "user_id"
            case organizationID = "organization_id"
            case roleSlugs = "role_slugs"
            case createdAt = "created_at"
        }
    }

    /// A role as tests see it.
    public struct Role: Codable, Sendable, Equatable {
        /// `role_…` id.
        public var id: String
        /// Slug.
        public var slug: String
        /// `EnvironmentRole` or `OrganizationRole`.
        public var type: String
        /// Owning organization of an organization role.
        public var organizationID: String?
        /// Display name.
        public var name: String
        /// The slugs of the permissions the role grants.
        public var permissions: [String]

        private enum CodingKeys: String, CodingKey {
            case id, slug, type, name, permissions
            case organizationID = "organization_id"
        }
    }

    /// A permission as tests see it.
    public struct Permission: Codable, Sendable, Equatable {
        /// `perm_…` id.
        public var id: String
        /// Slug roles refer to.
        public var slug: String
        /// Display name.
        public var name: String
        /// Free text.
        public var description: String?
    }

    /// An enrolled factor as tests see it; the TOTP secret is left out.
    public struct AuthFactor: Codable, Sendable, Equatable {
        /// `auth_factor_…` id.
        public var id: String
        /// The enrolled user.
        public var userID: String
        /// `totp`.
        public var type: String
        /// TOTP issuer.
        public var issuer: String
        /// TOTP account name.
        public var user: String

        private enum CodingKeys: String, CodingKey {
            case id, type, issuer, user
            case userID = "user_id"
        }
    }

    /// Run-time settings, as `PUT /_emulate/config` changes them.
    public struct Settings: Codable, Sendable, Equatable {
        /// Injected faults.
        public var faults: EmulatorFaults
        /// Rate limits; nil when off.
        public var rateLimits: EmulatorRateLimits?
        /// Whether `Idempotency-Key` replays are on.
        public var honorsIdempotencyKeys: Bool
        /// The metadata and external_id limits in force.
        public var limits: EmulatorFieldLimits
        /// Whether requests are checked against the spec (``EmulatorConfiguration/strict``).
        public var strict: Bool

        /// Settings with every value given.
        public init(
            faults: EmulatorFaults, rateLimits: EmulatorRateLimits?, honorsIdempotencyKeys: Bool,
            limits: EmulatorFieldLimits, strict: Bool = false
        ) {
            self.faults = faults
            self.rateLimits = rateLimits
            self.honorsIdempotencyKeys = honorsIdempotencyKeys
            self.limits = limits
            self.strict = strict
        }

        /// Decodes, reading state files written before `limits` or `strict` existed as the documented limits,
        /// not strict.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            faults = try container.decode(EmulatorFaults.self, forKey: .faults)
            rateLimits = try container.decodeIfPresent(EmulatorRateLimits.self, forKey: .rateLimits)
            honorsIdempotencyKeys = try container.decode(Bool.self, forKey: .honorsIdempotencyKeys)
            limits = try container.decodeIfPresent(EmulatorFieldLimits.self, forKey: .limits) ?? .documented
            strict = try container.decodeIfPresent(Bool.self, forKey: .strict) ?? false
        }

        private enum CodingKeys: String, CodingKey {
            case faults, limits, strict
            case rateLimits = "rate_limits"
            case honorsIdempotencyKeys = "honors_idempotency_keys"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case users, organizations, memberships, roles, permissions, counters, settings, connections
        case authFactors = "auth_factors"
    }
}
