/// What became of a run's SSO connection rows (`--sso-connections`, a package's `sso/*.csv`), for the
/// summary; in a plan each count is what the import would do.
public struct SSOConnectionCounts: Codable, Sendable, Equatable {
    /// The rows of the SSO files.
    public var rows = 0
    /// Connections this import created (in this run or an earlier run of its journal).
    public var created = 0
    /// Connections that existed before the import (WorkOS answered the one with the row's external id).
    public var existing = 0
    /// Rows that failed: found wrong in a file, or refused by WorkOS.
    public var failed = 0
    /// Rows not created because the environment does not create SSO connections through the API.
    public var notCreated = 0

    public init() {}

    /// Stable JSON keys, independent of property names.
    enum CodingKeys: String, CodingKey {
        case rows, created, existing, failed, notCreated
    }
}
