/// One journal line about a roles file's effects (`--roles`): a permission, a role, a role's permissions
/// or its update, about to be sent or landed. Every such write is journaled before it goes out and after it
/// lands, so a resume, a retry or a rerun repeats none of them.
///
/// ```
/// {"permission":"docs:read","type":"permission-sent"}
/// {"id":"perm_…","permission":"docs:read","type":"permission"}
/// {"role":"editor","type":"role-sent"}
/// {"id":"role_…","organization":"org_…","role":"org-auditor","type":"role"}
/// {"role":"editor","type":"role-permissions-sent"}
/// {"role":"editor","type":"role-permissions"}
/// {"role":"editor","type":"role-update-sent"}
/// {"role":"editor","type":"role-updated"}
/// ```
public struct AuthorizationEntry: Sendable, Equatable, Hashable {
    /// What the line says.
    public enum Kind: String, Sendable, CaseIterable {
        /// A permission's create is about to be sent.
        case permissionSent = "permission-sent"
        /// This import created the permission.
        case permissionCreated = "permission"
        /// A role's create is about to be sent.
        case roleSent = "role-sent"
        /// This import created the role.
        case roleCreated = "role"
        /// The permissions of a role this import created are about to be set.
        case rolePermissionsSent = "role-permissions-sent"
        /// The permissions of a role this import created are set.
        case rolePermissionsSet = "role-permissions"
        /// An existing role's update (its name, permissions added) is about to be sent (`--if-exists update`).
        case roleUpdateSent = "role-update-sent"
        /// This import updated an existing role.
        case roleUpdated = "role-updated"

        /// Whether the line is about a permission (its slug under `permission`) rather than a role.
        var isPermission: Bool { self == .permissionSent || self == .permissionCreated }
    }

    public var kind: Kind
    /// The permission's or the role's slug.
    public var slug: String
    /// The organization of an organization role; nil for a permission or an environment role.
    public var organizationId: String?
    /// The WorkOS id of what was created (`perm_…`, `role_…`), on the created lines.
    public var id: String?

    public init(kind: Kind, slug: String, organizationId: String? = nil, id: String? = nil) {
        self.kind = kind
        self.slug = slug
        self.organizationId = organizationId
        self.id = id
    }

    /// The role's scope and slug as one key (`editor`, `org_…/org-auditor`): what the journal's sets hold.
    public var roleKey: String { Self.roleKey(slug: slug, organizationId: organizationId) }

    /// The key of the role `slug` of `organizationId` (nil for an environment role).
    public static func roleKey(slug: String, organizationId: String?) -> String {
        organizationId.map { $0 + "/" + slug } ?? slug
    }
}

/// What a journal's roles file lines say, replayed: a pure value.
public struct AuthorizationJournalState: Sendable, Equatable {
    /// Permission slugs whose create was sent.
    public var permissionsSent: Set<String> = []
    /// Permissions this import created, in the order created, with their ids.
    public var permissionsCreated: [AuthorizationEntry] = []
    /// Role keys (``AuthorizationEntry/roleKey``) whose create was sent.
    public var rolesSent: Set<String> = []
    /// Roles this import created, in the order created.
    public var rolesCreated: [AuthorizationEntry] = []
    /// Role keys whose permissions were sent, and set.
    public var rolePermissionsSent: Set<String> = []
    public var rolePermissionsSet: Set<String> = []
    /// Role keys whose update was sent, and landed.
    public var roleUpdatesSent: Set<String> = []
    public var rolesUpdated: Set<String> = []

    public init() {}

    /// Takes one line in.
    public mutating func apply(_ entry: AuthorizationEntry) {
        let key = entry.roleKey
        switch entry.kind {
        case .permissionSent: permissionsSent.insert(entry.slug)
        case .permissionCreated:
            if !permissionsCreated.contains(where: { $0.slug == entry.slug }) { permissionsCreated.append(entry) }
        case .roleSent: rolesSent.insert(key)
        case .roleCreated:
            if !rolesCreated.contains(where: { $0.roleKey == key }) { rolesCreated.append(entry) }
        case .rolePermissionsSent: rolePermissionsSent.insert(key)
        case .rolePermissionsSet: rolePermissionsSet.insert(key)
        case .roleUpdateSent: roleUpdatesSent.insert(key)
        case .roleUpdated: rolesUpdated.insert(key)
        }
    }

    /// Whether this import created the permission.
    public func createdPermission(_ slug: String) -> Bool { permissionsCreated.contains { $0.slug == slug } }

    /// Whether this import created the role with this key.
    public func createdRole(_ key: String) -> Bool { rolesCreated.contains { $0.roleKey == key } }
}
