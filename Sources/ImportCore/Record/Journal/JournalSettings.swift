/// The options of an import that change what a row does, recorded so a resume cannot silently mix two
/// different imports in one journal.
public struct JournalSettings: Codable, Sendable, Equatable {
    /// The target organization: `id:org_…`, `external:<external id>` or `none`.
    public var org: String
    /// The `--if-exists` policy (`skip`, `update`, ...).
    public var ifExists: String
    /// Whether a row must end with an organization membership to count as a success.
    public var requireMembership: Bool
    /// The absolute path of the `--errors-out` file, if any: a resume must write the same file, so that it
    /// ends up with exactly one record per failed row of the whole import.
    public var errorsOut: String?
    /// The absolute path of the `--rejects` file, if any, for the same reason.
    public var rejects: String?
    /// How the file was read (`--encoding`): another encoding gives other values.
    public var encoding: String?
    /// The delimiter in use, given or detected: another one gives other rows.
    public var delimiter: String?
    /// `--map`, as `ours=theirs` sorted by our column; `nil` without maps (and in journals written before
    /// maps were recorded): other maps read other values from the same cells.
    public var columnMap: [String]?
    /// The organizations file's fingerprint (SHA-256 of its checked rows), `nil` without one: a resume must
    /// settle the same organizations.
    public var organizations: String?
    /// The roles file's fingerprint (SHA-256 of its checked rows), `nil` without one: a resume must settle
    /// the same roles.
    public var roles: String?

    /// Creates the settings of a run.
    public init(
        org: String, ifExists: String, requireMembership: Bool, errorsOut: String? = nil, rejects: String? = nil,
        encoding: String? = nil, delimiter: String? = nil, columnMap: [String]? = nil
    ) {
        self.columnMap = columnMap
        self.encoding = encoding
        self.delimiter = delimiter
        self.org = org
        self.ifExists = ifExists
        self.requireMembership = requireMembership
        self.errorsOut = errorsOut
        self.rejects = rejects
    }

    /// Stable JSON keys, independent of property names.
    private enum CodingKeys: String, CodingKey {
        case org
        case ifExists
        case requireMembership
        case errorsOut
        case rejects
        case encoding
        case delimiter
        case columnMap
        case organizations
        case roles
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
        if errorsOut != other.errorsOut {
            changes.append("--errors-out (journal: \(errorsOut ?? "none"), now: \(other.errorsOut ?? "none"))")
        }
        if encoding != other.encoding {
            changes.append("--encoding (journal: \(encoding ?? "utf-8"), now: \(other.encoding ?? "utf-8"))")
        }
        if delimiter != other.delimiter {
            changes.append("--delimiter (journal: \(delimiter ?? "','"), now: \(other.delimiter ?? "','"))")
        }
        if columnMap != other.columnMap {
            func text(_ maps: [String]?) -> String { maps.map { $0.joined(separator: ", ") } ?? "none" }
            changes.append("--map (journal: \(text(columnMap)), now: \(text(other.columnMap)))")
        }
        if organizations != other.organizations {
            changes.append("--organizations (the organizations file's rows are not the ones the journal's run read)")
        }
        if roles != other.roles {
            changes.append("--roles (the roles file's rows are not the ones the journal's run read)")
        }
        if rejects != other.rejects {
            changes.append("--rejects (journal: \(rejects ?? "none"), now: \(other.rejects ?? "none"))")
        }
        return changes
    }
}
