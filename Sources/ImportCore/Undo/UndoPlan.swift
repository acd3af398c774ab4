#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What an undo takes back, read from an import's journal: the users, memberships, factors and
/// organizations that import created, and nothing it only found or updated.
///
/// A pure value: ``UndoPlan/Builder`` reads journal lines one at a time (no file, no clock), so the rules
/// below are tested from lines alone.
/// - A user is the import's when a row line says `"outcome":"imported"` with its id, or a failed row line
///   says `"userCreated":true` (the user was made, a later step of the row failed).
/// - A membership is the import's when a row line (imported, existing, updated or failed) says `created` or
///   `reactivated` with a `membershipId`. A created user's memberships go with the user, so only those of
///   users that existed before are listed. A reactivated one was there (inactive) before the import, so it
///   is made inactive again rather than deleted.
/// - A factor is the import's when a row line says `"factor":"enrolled"` with a `factorId`; again only for
///   users that existed before.
/// - An organization is the import's when an `organization` line names it.
/// - A role or a permission is the import's when a `role` or `permission` line (``AuthorizationEntry``)
///   names it.
/// - An SSO connection is the import's when its last `sso` line says `"created":true`.
public struct UndoPlan: Sendable, Equatable {
    /// A membership the import created (or reactivated) for a user that existed before it.
    public struct Membership: Sendable, Equatable {
        public var id: String
        public var userId: String?
        public var organizationId: String?
        /// The membership was inactive before the import and the import made it active: undo deactivates it
        /// instead of deleting what the import did not create.
        public var reactivated = false
    }

    /// A factor the import enrolled for a user that existed before it.
    public struct Factor: Sendable, Equatable {
        public var id: String
        public var userId: String?
    }

    /// An organization the import created.
    public struct Organization: Sendable, Equatable {
        public var id: String
        public var externalId: String
    }

    /// The import's run id (its journal header's), which the undo journal is bound to.
    public var runId: String
    /// The users the import created, in journal order, each once.
    public var users: [String]
    /// The memberships of users that existed before, in journal order, each once.
    public var memberships: [Membership]
    /// The factors of users that existed before, in journal order, each once.
    public var factors: [Factor]
    /// The organizations the import created, in journal order, each once.
    public var organizations: [Organization]
    /// The roles and permissions a roles file made, in journal order, each once.
    public var authorization = AuthorizationJournalState()
    /// The latest time the journal records (its start, a resume, an end): a created user whose `updated_at`
    /// is later than this and than its own `created_at` was changed by someone after the import.
    public var lastRecordedAt: Date
    /// The WorkOS environment the import wrote to (its journal header's); nil in journals of versions that did
    /// not record it. An undo goes only to this environment: anywhere else every read answers 404.
    public var environment: JournalEnvironment? = nil
    /// The SSO connections the import created, in journal order, each once.
    public var connections: [String] = []

    /// The memberships to delete: those the import created.
    public var createdMemberships: [Membership] { memberships.filter { !$0.reactivated } }
    /// The memberships to deactivate: those the import reactivated.
    public var reactivatedMemberships: [Membership] { memberships.filter(\.reactivated) }

    /// Whether the import created nothing at all.
    public var isEmpty: Bool {
        users.isEmpty && memberships.isEmpty && factors.isEmpty && organizations.isEmpty && connections.isEmpty
            && authorization.rolesCreated.isEmpty && authorization.permissionsCreated.isEmpty
    }

    /// Collects a plan line by line.
    struct Builder {
        private var runId: String?
        private var environment: JournalEnvironment?
        private var lastRecordedAt = Date.distantPast
        private var users: [String] = []
        private var createdUsers: Set<String> = []
        private var memberships: [Membership] = []
        private var membershipIds: Set<String> = []
        private var factors: [Factor] = []
        private var factorIds: Set<String> = []
        private var organizations: [Organization] = []
        private var organizationIds: Set<String> = []
        private var authorization = AuthorizationJournalState()
        private var connections: [String] = []

        /// Takes one journal line.
        mutating func add(_ line: JournalLine) {
            switch line {
            case .header(let header, _):
                runId = header.runId
                environment = header.environment
                lastRecordedAt = max(lastRecordedAt, header.startedAt)
            case .row(let entry):
                add(entry)
            case .organizationCreated(let id, let externalId):
                if organizationIds.insert(id).inserted {
                    organizations.append(Organization(id: id, externalId: externalId))
                }
            case .organizationMissing(let externalId):
                // Someone deleted the organizations journaled for this external id so far; a later line
                // names the one created again.
                organizations.removeAll { $0.externalId == externalId }
            case .authorization(let entry):
                authorization.apply(entry)
            case .ssoConnection(let id, _, _, let created):
                connections.removeAll { $0 == id }
                if created { connections.append(id) }
            case .resume(let at), .end(let at, _, _):
                lastRecordedAt = max(lastRecordedAt, at)
            case .sent, .stepSent, .organizationSent, .organizationUpdateSent, .organizationUpdated, .checkpoint,
                .ssoSent, .unknown:
                break
            }
        }

        private mutating func add(_ entry: JournalEntry) {
            if let user = entry.userId, entry.outcome == .imported || (entry.outcome == .failed && entry.userCreated),
                createdUsers.insert(user).inserted
            {
                users.append(user)
            }
            if entry.membership == .created || entry.membership == .reactivated, let id = entry.membershipId,
                membershipIds.insert(id).inserted
            {
                memberships.append(
                    Membership(
                        id: id, userId: entry.userId, organizationId: entry.organizationId,
                        reactivated: entry.membership == .reactivated))
            }
            if entry.factor == .enrolled, let id = entry.factorId, factorIds.insert(id).inserted {
                factors.append(Factor(id: id, userId: entry.userId))
            }
        }

        /// The plan; nil when no header was read. A user created on a later line than its membership still
        /// takes the membership with it, so the filtering waits until every line is in.
        func finish() -> UndoPlan? {
            guard let runId else { return nil }
            let created = createdUsers
            var plan = UndoPlan(
                runId: runId, users: users,
                memberships: memberships.filter { $0.userId.map { !created.contains($0) } ?? true },
                factors: factors.filter { $0.userId.map { !created.contains($0) } ?? true },
                organizations: organizations, lastRecordedAt: lastRecordedAt, environment: environment,
                connections: connections)
            plan.authorization = authorization
            return plan
        }
    }

    /// The plan of journal lines, in file order; nil without a header.
    static func make(_ lines: some Sequence<JournalLine>) -> UndoPlan? {
        var builder = Builder()
        for line in lines { builder.add(line) }
        return builder.finish()
    }

    /// Refuses an undo that would go to another environment than the one `recorded` in the import's
    /// journal, exactly as a resume is refused: same API address, same key fingerprint.
    public static func checkEnvironment(
        _ recorded: JournalEnvironment?, against current: JournalEnvironment, journalPath: String
    ) throws(UndoError) {
        guard let recorded else { throw .environmentUnknown(journalPath: journalPath) }
        let differences = recorded.differences(from: current)
        if !differences.isEmpty { throw .environmentChanged(journalPath: journalPath, differences: differences) }
    }

    /// Whether a created user has signed in since the import made it: a `last_sign_in_at` no earlier than its
    /// `created_at`. Someone uses the account, so undo keeps it unless told otherwise.
    public func signedIn(createdAt: String, lastSignInAt: String?) -> Bool {
        guard let lastSignInAt, let signedIn = Timestamp.parse(lastSignInAt) else { return false }
        return signedIn >= (Timestamp.parse(createdAt) ?? .distantPast)
    }

    /// Whether the only change ``wasChanged(createdAt:updatedAt:)`` can see is the sign-in itself: `updated_at`
    /// no later than `last_sign_in_at`. With `--include-signed-in`, such a user is deleted like the others,
    /// whether or not the server moves `updated_at` on a sign-in.
    public func changedOnlyBySignIn(updatedAt: String, lastSignInAt: String?) -> Bool {
        guard let lastSignInAt, let signedIn = Timestamp.parse(lastSignInAt), let updated = Timestamp.parse(updatedAt)
        else { return false }
        return updated <= signedIn
    }

    /// Whether a created user was changed after the import: its `updated_at` is later than both its
    /// `created_at` and the journal's last recorded time. The second bound keeps a user the import created
    /// after its last recorded time (a run killed before its end line) from counting as changed; the first
    /// keeps any user created before that time and never touched since.
    public func wasChanged(createdAt: String, updatedAt: String) -> Bool {
        guard let updated = Timestamp.parse(updatedAt) else { return false }
        let created = Timestamp.parse(createdAt) ?? .distantPast
        return updated > created && updated > Timestamp.truncatedToMilliseconds(lastRecordedAt)
    }
}
