/// The options of an import that change what a row does, recorded so a resume cannot silently mix two
/// different imports in one journal.
public struct JournalSettings: Codable, Sendable, Equatable {
    /// The target organization: `id:org_…`, `external:<external id>` or `none`.
    public var org: String
    /// The `--if-exists` policy (`skip`, `update`, ...).
    public var ifExists: String
    /// Whether a row must end with an organization membership to count as a success.
    public var requireMembership: Bool

    /// Creates the settings of a run.
    public init(org: String, ifExists: String, requireMembership: Bool) {
        self.org = org
        self.ifExists = ifExists
        self.requireMembership = requireMembership
    }

    /// Stable JSON keys, independent of property names.
    private enum CodingKeys: String, CodingKey {
        case org
        case ifExists
        case requireMembership
    }

    /// The settings that differ from `other`, described for an error message, e.g.
    /// `organization (journal: id:org_1, now: none)`. Empty when equal.
    public func differences(from other: JournalSettings) -> [String] {
        var changes: [String] = []
        if org != other.org { changes.append("organization (journal: \(org), now: \(other.org))") }
        if ifExists != other.ifExists {
            changes.append("--if-exists (journal: \(ifExists), now: \(other.ifExists))")
        }
        if requireMembership != other.requireMembership {
            changes.append(
                "--require-membership (journal: \(requireMembership ? "on" : "off"), "
                    + "now: \(other.requireMembership ? "on" : "off"))")
        }
        return changes
    }
}
