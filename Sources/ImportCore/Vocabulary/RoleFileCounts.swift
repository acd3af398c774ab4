/// What became of a roles file's rows (`--roles`, or a package's `role_definitions.csv`): the import's
/// summary, its plan (as what would happen) and the dry run (rows and failures only) count it alike, in
/// the `roles` JSON object beside `organizations`.
public struct RoleFileCounts: Codable, Sendable, Equatable {
    /// The file's data rows.
    public var rows = 0
    /// Permissions this import created (in this run or an earlier run of its journal).
    public var permissionsCreated = 0
    /// Permissions the roles name that existed already, reused.
    public var permissionsExisting = 0
    /// Roles this import created (in this run or an earlier run of its journal).
    public var created = 0
    /// Existing roles this import gave the missing permissions or the row's name (`--if-exists update`).
    public var updated = 0
    /// Existing roles that already had the row's name and permissions.
    public var unchanged = 0
    /// Existing roles whose name or permissions differ from the row's, left as they are (without
    /// `--if-exists update`).
    public var differing = 0
    /// Rows that failed: found wrong in the file, or refused by WorkOS.
    public var failed = 0

    public init() {}

    /// Stable JSON keys, independent of property names.
    enum CodingKeys: String, CodingKey {
        case rows, permissionsCreated, permissionsExisting, created, updated, unchanged, differing, failed
    }
}
