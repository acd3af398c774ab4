/// What became of an organizations file's rows (`--organizations`, or a package's `organizations.csv`), for
/// the import's summary and the plan's (where each count is what the import would do).
public struct OrganizationFileCounts: Codable, Sendable, Equatable {
    /// The file's data rows.
    public var rows = 0
    /// Organizations this import created (in this run or an earlier run of its journal).
    public var created = 0
    /// Existing organizations whose domains or metadata this import set (`--if-exists update`).
    public var updated = 0
    /// Existing organizations that already had the row's domains and metadata.
    public var unchanged = 0
    /// Existing organizations whose domains or metadata differ from the row's, left as they are (without
    /// `--if-exists update`).
    public var differing = 0
    /// Rows that failed: found wrong in the file, or refused by WorkOS.
    public var failed = 0
    /// Domains added to organizations in this run (with the organizations created, or by updates).
    public var domainsAdded = 0

    public init() {}

    /// Stable JSON keys, independent of property names.
    enum CodingKeys: String, CodingKey {
        case rows, created, updated, unchanged, differing, failed, domainsAdded
    }
}
