import Foundation

/// What an undo did: the one value the command prints as text or, with `--json`, as
/// `{"alreadyDeleted","factorsDeleted","left":[{"id","kind","reason"}],"membershipsDeleted",
/// "organizationsDeleted","runId","status","usersDeleted"}`.
///
/// The `…Deleted` counts are this run's (a 404 counts: the thing is gone); `alreadyDeleted` is what earlier
/// undos of the same import had deleted. `status` is `complete` when nothing the import created is left,
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
    /// Deletions done by earlier undos of this import (read from the undo journal).
    public var alreadyDeleted = 0
    /// What was left, in the order it was decided.
    public var left: [Left] = []

    /// Whether everything the import created is gone.
    public var isComplete: Bool { left.isEmpty }

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
        }
    }

    private enum CodingKeys: String, CodingKey {
        case runId, usersDeleted, membershipsDeleted, factorsDeleted, organizationsDeleted, alreadyDeleted, left
        case status
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runId, forKey: .runId)
        try container.encode(usersDeleted, forKey: .usersDeleted)
        try container.encode(membershipsDeleted, forKey: .membershipsDeleted)
        try container.encode(factorsDeleted, forKey: .factorsDeleted)
        try container.encode(organizationsDeleted, forKey: .organizationsDeleted)
        try container.encode(alreadyDeleted, forKey: .alreadyDeleted)
        try container.encode(left, forKey: .left)
        try container.encode(isComplete ? "complete" : "incomplete", forKey: .status)
    }

    /// The report as one JSON line with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The report for a person.
    public var text: String {
        var text = "Undo of import \(runId):\n"
        text += "  users deleted          \(usersDeleted)\n"
        text += "  memberships deleted    \(membershipsDeleted)\n"
        text += "  factors deleted        \(factorsDeleted)\n"
        text += "  organizations deleted  \(organizationsDeleted)\n"
        if alreadyDeleted > 0 { text += "  deleted by an earlier undo  \(alreadyDeleted)\n" }
        if left.isEmpty {
            text += "Everything this import created is gone.\n"
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
    public var memberships: [String]
    public var factors: [String]
    public var organizations: [String]
    /// Deletions an earlier undo already did, which this one skips.
    public var alreadyDeleted: Int

    /// The plan less what the undo journal says is done.
    public init(plan: UndoPlan, done: Set<UndoItem>) {
        users = plan.users.filter { !done.contains(UndoItem(kind: .user, id: $0)) }
        memberships = plan.memberships.map(\.id).filter { !done.contains(UndoItem(kind: .membership, id: $0)) }
        factors = plan.factors.map(\.id).filter { !done.contains(UndoItem(kind: .factor, id: $0)) }
        organizations = plan.organizations.map(\.id).filter { !done.contains(UndoItem(kind: .organization, id: $0)) }
        alreadyDeleted = done.count
    }

    /// Whether there is nothing left to delete.
    public var isEmpty: Bool { users.isEmpty && memberships.isEmpty && factors.isEmpty && organizations.isEmpty }

    /// Counts and up to three ids of each kind.
    public var text: String {
        func line(_ noun: String, _ ids: [String], _ note: String = "") -> String {
            let examples = ids.prefix(3).joined(separator: ", ") + (ids.count > 3 ? ", …" : "")
            return "  \(ids.count) \(noun)\(note)" + (ids.isEmpty ? "" : " (\(examples))") + "\n"
        }
        var text = "This undo will delete:\n"
        text += line("users created by the import, with their memberships and factors", users)
        text += line("memberships created for users that already existed", memberships)
        text += line("TOTP factors enrolled for users that already existed", factors)
        text += line("organizations created by the import", organizations, ", each only if it holds no other members")
        if alreadyDeleted > 0 { text += "  (\(alreadyDeleted) deletions done by an earlier undo are skipped)\n" }
        text += "A user changed since the import is left, and listed.\n"
        return text
    }
}
