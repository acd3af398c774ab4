/// How one CSV row settled, as recorded in the journal: a record number, WorkOS ids and for a failed row its
/// line and reason, never an email, a password or a hash.
public struct JournalEntry: Sendable, Equatable {
    /// What happened to the user of the row.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// This import created the user.
        case imported
        /// The user was already in WorkOS and was left alone (`--if-exists skip`).
        case existed
        /// The user was already in WorkOS and was updated (`--if-exists update`).
        case updated
        /// The row failed (validation, or WorkOS refused it after all retries).
        case failed
    }

    /// What happened to the row's organization membership.
    public enum Membership: String, Sendable, Codable, CaseIterable {
        /// This import created the membership.
        case created
        /// The membership was already there.
        case existing
        /// No membership was involved (no organization, or the row failed before it).
        case none
    }

    /// The 1-based data record number of the row in the CSV file.
    public var record: Int
    /// What happened to the user.
    public var outcome: Outcome
    /// The WorkOS user id, when a user exists for the row.
    public var userId: String?
    /// What happened to the membership.
    public var membership: Membership
    /// For a failed row: the error and rejects files' sizes once its records were written.
    public var outputs: OutputCheckpoint?
    /// For a failed row: its line, so a resumed run's summary can name the first line of each reason.
    public var line: Int?
    /// For a failed row: why, without the row's own values (``RowFailure/reasonText``), so a resumed run's
    /// summary groups the failures of earlier runs too. Absent in journals written before it was recorded.
    public var reason: String?

    /// Creates an entry for a settled row.
    public init(
        record: Int, outcome: Outcome, userId: String? = nil, membership: Membership = .none,
        outputs: OutputCheckpoint? = nil, line: Int? = nil, reason: String? = nil
    ) {
        self.line = line
        self.reason = reason
        self.record = record
        self.outcome = outcome
        self.userId = userId
        self.membership = membership
        self.outputs = outputs
    }
}
