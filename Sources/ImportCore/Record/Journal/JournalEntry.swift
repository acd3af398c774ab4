/// How one CSV row settled, as recorded in the journal: a record number, WorkOS ids and for a failed row its
/// line and reason, never an email, a password, a hash or a TOTP secret.
public struct JournalEntry: Sendable, Equatable {
    /// The 1-based data record number of the row in the CSV file.
    public var record: Int
    /// What happened to the user.
    public var outcome: UserOutcome
    /// The WorkOS user id, when a user exists for the row.
    public var userId: String?
    /// For a failed row: this import created ``userId`` before a later step of the row failed (an imported
    /// row says so by its ``outcome``). Written as `"userCreated":true`, only when true.
    public var userCreated: Bool
    /// What happened to the membership.
    public var membership: MembershipOutcome
    /// The organization of the membership, when the row has one.
    public var organizationId: String?
    /// The membership's id, when this import created or changed it.
    public var membershipId: String?
    /// What happened to the TOTP factor.
    public var factor: FactorOutcome
    /// The factor's id, when this import enrolled it.
    public var factorId: String?
    /// For a failed row: the error and rejects files' sizes once its records were written.
    public var outputs: OutputCheckpoint?
    /// For a failed row: its line, so a resumed run's summary can name the first line of each reason.
    public var line: Int?
    /// For a failed row: why, without the row's own values (``RowFailure/reasonText``), so a resumed run's
    /// summary groups the failures of earlier runs too. Absent in journals written before it was recorded.
    public var reason: String?

    /// Creates an entry for a settled row.
    public init(
        record: Int, outcome: UserOutcome, userId: String? = nil, membership: MembershipOutcome = .none,
        organizationId: String? = nil, membershipId: String? = nil, factor: FactorOutcome = .none,
        factorId: String? = nil, outputs: OutputCheckpoint? = nil, line: Int? = nil, reason: String? = nil,
        userCreated: Bool = false
    ) {
        self.userCreated = userCreated
        self.line = line
        self.reason = reason
        self.record = record
        self.outcome = outcome
        self.userId = userId
        self.membership = membership
        self.organizationId = organizationId
        self.membershipId = membershipId
        self.factor = factor
        self.factorId = factorId
        self.outputs = outputs
    }
}
