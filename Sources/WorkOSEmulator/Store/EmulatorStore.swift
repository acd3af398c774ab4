/// The emulator's data: users, organizations, memberships, roles and factors, with the indexes
/// the API looks things up by. A value type mutated only under the engine's lock, so each
/// operation is atomic (two simultaneous creates of one email give one user and one 400).
///
/// Operations live in `EmulatorStore+<Resource>.swift`; each takes the parsed request and the
/// current time and returns the response body or throws the API's error.
struct EmulatorStore: Sendable {
    /// Users by id.
    var users: [String: UserRecord] = [:]
    /// User ids in creation order.
    var userOrder: [String] = []
    /// User ids by normalized email.
    var userIDByEmail: [String: String] = [:]
    /// User ids by external id.
    var userIDByExternalID: [String: String] = [:]

    /// Organizations by id.
    var organizations: [String: OrganizationRecord] = [:]
    /// Organization ids in creation order.
    var organizationOrder: [String] = []
    /// Organization ids by external id.
    var organizationIDByExternalID: [String: String] = [:]
    /// The organization that holds each domain, by the domain's id.
    var organizationIDByDomainID: [String: String] = [:]

    /// Memberships by id.
    var memberships: [String: MembershipRecord] = [:]
    /// Membership ids in creation order.
    var membershipOrder: [String] = []
    /// Membership ids by `user_id|organization_id`.
    var membershipIDByPair: [String: String] = [:]
    /// Membership ids of each user, in creation order.
    var membershipIDsByUser: [String: [String]] = [:]
    /// Membership ids of each organization, in creation order.
    var membershipIDsByOrganization: [String: [String]] = [:]

    /// Environment roles in priority order, then organization roles.
    var roles: [RoleRecord] = []
    /// Permissions by slug.
    var permissions: [String: PermissionRecord] = [:]
    /// Permission slugs in creation order.
    var permissionOrder: [String] = []
    /// TOTP factors by id.
    var factors: [String: AuthFactorRecord] = [:]
    /// Factor ids in creation order.
    var factorOrder: [String] = []
    /// Webhook endpoints by id (seeded only).
    var webhookEndpoints: [String: WebhookEndpointRecord] = [:]
    /// Webhook endpoint ids in creation order.
    var webhookEndpointOrder: [String] = []
    /// SSO connections by id.
    var connections: [String: ConnectionRecord] = [:]
    /// SSO connection ids in creation order.
    var connectionOrder: [String] = []
    /// SSO connection ids by `organization_id|external_id`.
    var connectionIDByExternalID: [String: String] = [:]

    /// Creation position of every id ever made, so cursors of deleted objects keep their place.
    var sequenceByID: [String: Int] = [:]
    /// The next creation position.
    var nextSequence = 0
    /// Makes ids for new objects.
    var identifiers = IdentifierGenerator()

    /// Whether a membership may hold several roles.
    let multipleRolesEnabled: Bool
    /// Role given when none is sent.
    let defaultRoleSlug: String
    /// Answer duplicate emails with the legacy 409.
    let legacyDuplicateEmailConflict: Bool
    /// Answer the webhook endpoint list with 403.
    let forbidsWebhookList: Bool
    /// The metadata and external_id limits creates and updates are held to; `PUT /_emulate/config`
    /// may change them while the emulator runs.
    var fieldLimits: EmulatorFieldLimits
    /// Whether the environment may create SSO connections through the API; when not, `POST /connections`
    /// answers 404 as WorkOS does. `PUT /_emulate/config` may change it while the emulator runs.
    var ssoConnectionsEnabled: Bool

    /// A store holding the configured environment roles and then the seed.
    init(configuration: EmulatorConfiguration, now: Double) throws(EmulatorError) {
        multipleRolesEnabled = configuration.multipleRolesEnabled
        legacyDuplicateEmailConflict = configuration.legacyDuplicateEmailConflict
        forbidsWebhookList = configuration.forbidsWebhookList
        fieldLimits = configuration.fieldLimits
        ssoConnectionsEnabled = configuration.ssoConnectionsEnabled
        let environmentRoles = configuration.environmentRoles
        guard !environmentRoles.isEmpty else { throw .invalidConfiguration("at least one environment role is needed") }
        defaultRoleSlug = environmentRoles.contains("member") ? "member" : environmentRoles[0]
        for slug in environmentRoles {
            addRole(slug: slug, name: nil, description: nil, organizationID: nil, now: now)
        }
        if let seed = configuration.seed {
            try load(seed, now: now)
        }
    }

    /// Takes the next creation position and records it for `id`.
    mutating func register(_ id: String) -> Int {
        let sequence = nextSequence
        nextSequence += 1
        sequenceByID[id] = sequence
        return sequence
    }

    /// Adds a role; a display name is derived from the slug when none is given.
    mutating func addRole(slug: String, name: String?, description: String?, organizationID: String?, now: Double) {
        let displayName =
            name ?? slug.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        let stamp = Timestamp.iso8601(now)
        roles.append(
            RoleRecord(
                id: identifiers.make("role", now: now), slug: slug, name: displayName, description: description,
                organizationID: organizationID, createdAt: stamp, updatedAt: stamp))
    }

    /// The whole state for tests, without passwords, hashes or TOTP secrets.
    func snapshot(counters: EmulatorCounters, settings: EmulatorSnapshot.Settings) -> EmulatorSnapshot {
        EmulatorSnapshot(
            users: userOrder.compactMap { users[$0]?.snapshot },
            organizations: organizationOrder.compactMap { organizations[$0]?.snapshot },
            memberships: membershipOrder.compactMap { memberships[$0]?.snapshot },
            roles: roles.map(\.snapshot),
            permissions: permissionOrder.compactMap { permissions[$0]?.snapshot },
            authFactors: factorOrder.compactMap { factors[$0]?.snapshot },
            connections: connectionOrder.compactMap { connections[$0]?.snapshot },
            counters: counters,
            settings: settings)
    }

    private mutating func load(_ seed: EmulatorSeed, now: Double) throws(EmulatorError) {
        let stamp = Timestamp.iso8601(now)
        for user in seed.users {
            let email = EmailAddress.trimmed(user.email)
            guard EmailAddress.isValid(email) else { throw .invalidSeed("'\(user.email)' is not an email address") }
            guard userIDByEmail[EmailAddress.normalized(email)] == nil else {
                throw .invalidSeed("two users have the email '\(email)'")
            }
            if let externalID = user.externalID, userIDByExternalID[externalID] != nil {
                throw .invalidSeed("two users have the external_id '\(externalID)'")
            }
            if let type = user.passwordHashType, !PasswordHashRules.types.contains(type) {
                throw .invalidSeed("'\(type)' is not a password_hash_type")
            }
            let id = user.id ?? identifiers.make("user", now: now)
            guard users[id] == nil else { throw .invalidSeed("two users have the id '\(id)'") }
            let record = UserRecord(
                sequence: register(id), id: id, email: email, firstName: user.firstName, lastName: user.lastName,
                name: nil, emailVerified: user.emailVerified ?? false, externalID: user.externalID,
                metadata: user.metadata ?? [:], locale: nil, credential: user.password ?? user.passwordHash,
                passwordHashType: user.passwordHash == nil ? nil : user.passwordHashType,
                createdAt: user.createdAt ?? stamp, updatedAt: user.createdAt ?? stamp, lastSignInAt: user.lastSignInAt)
            insert(record)
        }
        for organization in seed.organizations {
            if let externalID = organization.externalID, organizationIDByExternalID[externalID] != nil {
                throw .invalidSeed("two organizations have the external_id '\(externalID)'")
            }
            let id = organization.id ?? identifiers.make("org", now: now)
            guard organizations[id] == nil else { throw .invalidSeed("two organizations have the id '\(id)'") }
            insert(
                OrganizationRecord(
                    sequence: register(id), id: id, name: organization.name, externalID: organization.externalID,
                    metadata: organization.metadata ?? [:], domains: [], allowProfilesOutsideOrganization: false,
                    createdAt: stamp, updatedAt: stamp))
        }
        for role in seed.roles {
            if let organizationID = role.organizationID, organizations[organizationID] == nil {
                throw .invalidSeed("role '\(role.slug)' names the unknown organization '\(organizationID)'")
            }
            addRole(
                slug: role.slug, name: role.name, description: role.description, organizationID: role.organizationID,
                now: now)
        }
        for membership in seed.memberships {
            let userID =
                membership.userID ?? membership.userEmail.flatMap { userIDByEmail[EmailAddress.normalized($0)] }
            let organizationID =
                membership.organizationID
                ?? membership.organizationExternalID.flatMap { organizationIDByExternalID[$0] }
            guard let userID, users[userID] != nil else {
                throw .invalidSeed("a membership names a user that is not in the seed")
            }
            guard let organizationID, organizations[organizationID] != nil else {
                throw .invalidSeed("a membership names an organization that is not in the seed")
            }
            let status = membership.status ?? "active"
            guard ["active", "inactive", "pending"].contains(status) else {
                throw .invalidSeed("membership status '\(status)' is not active, inactive or pending")
            }
            guard membershipIDByPair[userID + "|" + organizationID] == nil else {
                throw .invalidSeed("user \(userID) has two memberships in \(organizationID)")
            }
            let slugs = membership.roleSlugs.flatMap { $0.isEmpty ? nil : $0 } ?? [defaultRoleSlug]
            let id = membership.id ?? identifiers.make("om", now: now)
            insert(
                MembershipRecord(
                    sequence: register(id), id: id, userID: userID, organizationID: organizationID, status: status,
                    roleSlugs: slugs, createdAt: stamp, updatedAt: stamp))
        }
        for factor in seed.authFactors {
            let userID = factor.userID ?? factor.userEmail.flatMap { userIDByEmail[EmailAddress.normalized($0)] }
            guard let userID, let user = users[userID] else {
                throw .invalidSeed("a factor names a user that is not in the seed")
            }
            if let secret = factor.secret, !AuthFactorRecord.isBase32(secret) {
                throw .invalidSeed("the factor secret of \(user.email) is not base32 text of 16 or more characters")
            }
            let id = factor.id ?? identifiers.make("auth_factor", now: now)
            guard factors[id] == nil else { throw .invalidSeed("two factors have the id '\(id)'") }
            factors[id] = AuthFactorRecord(
                sequence: register(id), id: id, userID: userID, issuer: factor.issuer ?? "WorkOS Emulator",
                user: factor.user ?? user.email, secret: factor.secret?.uppercased() ?? AuthFactorRecord.makeSecret(),
                createdAt: stamp)
            factorOrder.append(id)
        }
        for endpoint in seed.webhookEndpoints {
            let status = endpoint.status ?? "enabled"
            guard ["enabled", "disabled"].contains(status) else {
                throw .invalidSeed("webhook endpoint status '\(status)' is not enabled or disabled")
            }
            let id = endpoint.id ?? identifiers.make("we", now: now)
            guard webhookEndpoints[id] == nil else { throw .invalidSeed("two webhook endpoints have the id '\(id)'") }
            webhookEndpoints[id] = WebhookEndpointRecord(
                sequence: register(id), id: id, endpointURL: endpoint.endpointURL,
                secret: endpoint.secret ?? "whsec_" + identifiers.make("secret", now: now), status: status,
                events: endpoint.events ?? [], createdAt: stamp, updatedAt: stamp)
            webhookEndpointOrder.append(id)
        }
    }

    /// Stores a new user and indexes its email and external id.
    mutating func insert(_ user: UserRecord) {
        users[user.id] = user
        userOrder.append(user.id)
        userIDByEmail[EmailAddress.normalized(user.email)] = user.id
        if let externalID = user.externalID { userIDByExternalID[externalID] = user.id }
    }

    /// Stores a new organization and indexes its external id.
    mutating func insert(_ organization: OrganizationRecord) {
        organizations[organization.id] = organization
        organizationOrder.append(organization.id)
        if let externalID = organization.externalID { organizationIDByExternalID[externalID] = organization.id }
    }

    /// Stores a new membership and indexes its user-organization pair.
    mutating func insert(_ membership: MembershipRecord) {
        memberships[membership.id] = membership
        membershipOrder.append(membership.id)
        membershipIDByPair[membership.userID + "|" + membership.organizationID] = membership.id
        membershipIDsByUser[membership.userID, default: []].append(membership.id)
        membershipIDsByOrganization[membership.organizationID, default: []].append(membership.id)
    }
}
