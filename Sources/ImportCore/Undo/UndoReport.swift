#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What an undo did: the one value the command prints as text or, with `--json`, as
/// `{"alreadyDeleted","factorsDeleted","left":[{"id","kind","reason"}],"membershipsDeactivated",
/// "membershipsDeleted","notAttempted","organizationsDeleted","permissionsDeleted","rolesDeleted","runId",
/// "status","usersDeleted"}`.
///
/// The `…Deleted` counts are this run's (a thing confirmed gone counts); `membershipsDeactivated` counts the
/// memberships the import had reactivated and this run made inactive again; `alreadyDeleted` is what earlier
/// undos of the same import had done; `notAttempted` what a stop (Ctrl-C, SIGTERM, SIGHUP) left for the next
/// undo. `status` is `complete` when nothing the import created is left, `interrupted` after a stop,
/// `incomplete` otherwise.
public struct UndoReport: Sendable, Equatable, Encodable {
    /// Something the undo left in WorkOS, and why.
    public struct Left: Sendable, Equatable, Encodable {
        public var kind: UndoKind
        public var id: String
        public var reason: String

        public init(kind: UndoKind, id: String, reason: String) {
            self.kind = kind
            self.id = id
            self.reason = reason
        }

        private enum CodingKeys: String, CodingKey {
            case kind, id, reason
        }
    }

    /// The import the journal recorded.
    public var runId: String
    public var usersDeleted = 0
    public var membershipsDeleted = 0
    public var factorsDeleted = 0
    public var organizationsDeleted = 0
    /// Roles and permissions of a roles file this run deleted.
    public var rolesDeleted = 0
    public var permissionsDeleted = 0
    public var connectionsDeleted = 0
    /// Memberships the import reactivated that this run made inactive again.
    public var membershipsDeactivated = 0
    /// Deletions done by earlier undos of this import (read from the undo journal).
    public var alreadyDeleted = 0
    /// What was left, in the order it was decided.
    public var left: [Left] = []
    /// A stop was asked for, so some deletions were not started.
    public var interrupted = false
    /// Deletions (and deactivations) not started because of the stop; the next undo does them.
    public var notAttempted = 0

    /// Whether everything the import created is gone.
    public var isComplete: Bool { left.isEmpty && notAttempted == 0 && !interrupted }

    /// `complete`, `interrupted` or `incomplete`.
    public var status: String {
        if interrupted { return "interrupted" }
        return isComplete ? "complete" : "incomplete"
    }

    public init(runId: String) {
        self.runId = runId
    }

    /// Counts one deletion of `kind`.
    mutating func countDeleted(_ kind: UndoKind) {
        switch kind {
        case .user: usersDeleted += 1
        case .membership: membershipsDeleted += 1
        case .factor: factorsDeleted += 1
        case .organization: organizationsDeleted += 1
        case .role: rolesDeleted += 1
        case .permission: permissionsDeleted += 1
        case .connection: connectionsDeleted += 1
        }
    }

    private enum CodingKeys: String, CodingKey {
        case runId, usersDeleted, membershipsDeleted, factorsDeleted, organizationsDeleted, alreadyDeleted, left
        case status, membershipsDeactivated, notAttempted, rolesDeleted, permissionsDeleted, connectionsDeleted
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runId, forKey: .runId)
        try container.encode(usersDeleted, forKey: .usersDeleted)
        try container.encode(membershipsDeleted, forKey: .membershipsDeleted)
        try container.encode(factorsDeleted, forKey: .factorsDeleted)
        try container.encode(organizationsDeleted, forKey: .organizationsDeleted)
        try container.encode(rolesDeleted, forKey: .rolesDeleted)
        try container.encode(permissionsDeleted, forKey: .permissionsDeleted)
        try container.encode(connectionsDeleted, forKey: .connectionsDeleted)
        try container.encode(alreadyDeleted, forKey: .alreadyDeleted)
        try container.encode(membershipsDeactivated, forKey: .membershipsDeactivated)
        try container.encode(left, forKey: .left)
        try container.encode(notAttempted, forKey: .notAttempted)
        try container.encode(status, forKey: .status)
    }

    /// The report as one JSON line with sorted keys.
    public var json: String {
        DeterministicJSON.string(self)
    }

    /// The report for a person.
    public var text: String {
        var text = "Undo of import \(runId):\n"
        text += "  users deleted          \(usersDeleted)\n"
        text += "  memberships deleted    \(membershipsDeleted)\n"
        if membershipsDeactivated > 0 { text += "  memberships deactivated  \(membershipsDeactivated)\n" }
        text += "  factors deleted        \(factorsDeleted)\n"
        text += "  organizations deleted  \(organizationsDeleted)\n"
        if rolesDeleted + permissionsDeleted > 0 {
            text += "  roles deleted          \(rolesDeleted)\n"
            text += "  permissions deleted    \(permissionsDeleted)\n"
        }
        if connectionsDeleted > 0 { text += "  SSO connections deleted  \(connectionsDeleted)\n" }
        if alreadyDeleted > 0 { text += "  deleted by an earlier undo  \(alreadyDeleted)\n" }
        if interrupted {
            text +=
                "Interrupted: \(notAttempted) deletion\(notAttempted == 1 ? "" : "s") not attempted. Run the same "
                + "command again to continue.\n"
        }
        if left.isEmpty {
            if !interrupted { text += "Everything this import created is gone.\n" }
        } else {
            text += "Left in WorkOS (\(left.count)):\n"
            for item in left { text += "  \(item.kind.rawValue) \(item.id): \(item.reason)\n" }
        }
        return text
    }
}

/// What an undo is about to delete, shown before it asks.
public struct UndoPreview: Sendable, Equatable {
    public var users: [String]
    /// Memberships the import created, to delete.
    public var memberships: [String]
    /// Memberships the import reactivated, to deactivate again.
    public var reactivatedMemberships: [String]
    public var factors: [String]
    public var organizations: [String]
    /// A roles file's roles (``AuthorizationEntry/roleKey``) and permissions (slugs) the import created.
    public var roles: [String] = []
    public var permissions: [String] = []
    /// SSO connections the import created.
    public var connections: [String]
    /// Deletions an earlier undo already did, which this one skips.
    public var alreadyDeleted: Int
    /// The users of ``users`` who signed in since the import (``UndoSignInCheck``); empty until checked.
    public var signedIn: [String] = []
    /// Whether those are deleted too (`--include-signed-in`) rather than kept and listed.
    public var includeSignedIn = false

    /// The plan less what the undo journal says is done.
    public init(plan: UndoPlan, done: Set<UndoItem>) {
        users = plan.users.filter { !done.contains(UndoItem(kind: .user, id: $0)) }
        memberships = plan.createdMemberships.map(\.id).filter { !done.contains(UndoItem(kind: .membership, id: $0)) }
        reactivatedMemberships = plan.reactivatedMemberships.map(\.id).filter {
            !done.contains(UndoItem(kind: .membership, id: $0))
        }
        factors = plan.factors.map(\.id).filter { !done.contains(UndoItem(kind: .factor, id: $0)) }
        organizations =
            plan.organizations.map(\.id).filter { !done.contains(UndoItem(kind: .organization, id: $0)) }
        roles = plan.authorization.rolesCreated.map(\.roleKey).filter { !done.contains(UndoItem(kind: .role, id: $0)) }
        permissions = plan.authorization.permissionsCreated.map(\.slug).filter {
            !done.contains(UndoItem(kind: .permission, id: $0))
        }
        connections = plan.connections.filter { !done.contains(UndoItem(kind: .connection, id: $0)) }
        alreadyDeleted = done.count
    }

    /// Whether there is nothing left to delete.
    public var isEmpty: Bool {
        users.isEmpty && memberships.isEmpty && reactivatedMemberships.isEmpty && factors.isEmpty
            && organizations.isEmpty && roles.isEmpty && permissions.isEmpty && connections.isEmpty
    }

    /// Counts and up to three ids of each kind.
    public var text: String {
        func line(_ noun: String, _ ids: [String], _ note: String = "") -> String {
            let examples = ids.prefix(3).joined(separator: ", ") + (ids.count > 3 ? ", …" : "")
            return "  \(ids.count) \(noun)\(note)" + (ids.isEmpty ? "" : " (\(examples))") + "\n"
        }
        var text = "This undo will delete:\n"
        text += line("users created by the import, with their memberships and factors", users)
        if !signedIn.isEmpty {
            text +=
                "  "
                + line(
                    "of them signed in since the import", signedIn,
                    includeSignedIn
                        ? ", deleted too (--include-signed-in)"
                        : ", kept and listed (add --include-signed-in to delete them too)")
        }
        text += line("memberships created for users that already existed", memberships)
        if !reactivatedMemberships.isEmpty {
            text += line(
                "memberships reactivated by the import, to be deactivated again (not deleted)", reactivatedMemberships)
        }
        text += line("TOTP factors enrolled for users that already existed", factors)
        if !connections.isEmpty { text += line("SSO connections created by the import", connections) }
        text += line("organizations created by the import", organizations, ", each only if it holds no other members")
        if !roles.isEmpty || !permissions.isEmpty {
            text += line("roles created by the import", roles, ", each only if no membership holds it")
            text += line("permissions created by the import", permissions)
        }
        if alreadyDeleted > 0 { text += "  (\(alreadyDeleted) deletions done by an earlier undo are skipped)\n" }
        text += "A user changed since the import is left, and listed.\n"
        return text
    }
}
