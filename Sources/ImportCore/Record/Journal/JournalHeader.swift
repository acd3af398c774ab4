#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The first line of a journal: which run wrote it, over which CSV file, with which settings.
///
/// A later run compares the header with its own CSV file and options to decide whether it may resume.
public struct JournalHeader: Codable, Sendable, Equatable {
    /// The journal format version this code writes; a journal with a higher version is refused.
    public static let currentVersion = JournalError.newestReadableVersion

    /// Identifies the import; also the prefix of every Idempotency-Key, so keys survive a resume.
    public var runId: String
    /// When the import first started (resumes append their own line).
    public var startedAt: Date
    /// The CSV file the journal belongs to.
    public var csv: CSVFingerprint
    /// The options that shape what each row does.
    public var settings: JournalSettings
    /// The WorkOS environment the rows were imported into; `nil` only in journals of older versions, which
    /// cannot be resumed because their environment is unknown.
    public var environment: JournalEnvironment?

    /// Creates a header for a new journal.
    public init(
        runId: String, startedAt: Date, csv: CSVFingerprint, settings: JournalSettings,
        environment: JournalEnvironment?
    ) {
        self.runId = runId
        self.startedAt = startedAt
        self.csv = csv
        self.settings = settings
        self.environment = environment
    }

    /// Stable JSON keys, independent of property names.
    private enum CodingKeys: String, CodingKey {
        case runId
        case startedAt
        case csv
        case settings
        case environment
    }
}
