/// Which of WorkOS's rate budgets a request draws on (contract §7).
///
/// Every request counts toward the general per-key budget (6,000 per 60 s). Requests under
/// `/user_management/*` also count toward one of two environment budgets: writes (500 per 10 s) or reads
/// (1,000 per 10 s). The importer paces each budget on its own, so a look-up never spends write budget.
public enum RequestBudget: Sendable, Hashable {
    /// A POST, PUT or DELETE under `/user_management/*`: creates, updates, memberships, deletions.
    case userManagementWrite
    /// A GET under `/user_management/*`: user and membership look-ups, the preflight.
    case userManagementRead
    /// Any other path (organizations): only the general budget applies.
    case generalOnly
    /// `DELETE /organizations/{id}`: WorkOS's own limit of 50 per 60 s per API key, on top of the general one.
    case organizationDelete

    /// The budget of the look-up that checks whether a request of this budget took effect.
    var settleBudget: RequestBudget {
        switch self {
        case .userManagementWrite, .userManagementRead: .userManagementRead
        case .generalOnly, .organizationDelete: .generalOnly
        }
    }
}

/// The rates a run paces itself to, one per budget, in requests per second; nil means unpaced.
public struct PacingRates: Sendable, Equatable {
    /// User-management writes (`--rate-limit`). WorkOS allows 50/s; the default leaves a little room.
    public var writes: Double?
    /// User-management reads (`--read-rate-limit`). WorkOS allows 100/s.
    public var reads: Double?
    /// Every request of the run together. WorkOS allows 100/s per API key.
    public var general: Double?
    /// Organization deletes. WorkOS allows 50 per 60 s; with ``organizationDeleteBurst`` back to back after
    /// idling, any 60 s hold at most `burst + 60 × rate` = 49 of them, whatever the window boundaries.
    public var organizationDeletes: Double?

    /// False for a plan, whose user-management writes are answered without being sent: they then draw on
    /// no budget at all, the general one included.
    public var writesAreSent = true

    /// How many organization deletes may go back to back before the pacing of ``organizationDeletes`` applies.
    public static let organizationDeleteBurst = 25

    /// The defaults: just under each of WorkOS's published limits.
    public static let `default` = PacingRates(writes: 49, reads: 97, general: 97)
    /// No pacing at all (a 429 still pauses the budget it hit).
    public static let off = PacingRates(writes: nil, reads: nil, general: nil, organizationDeletes: nil)

    /// Creates a set of rates; organization deletes default to 0.4/s (24 a minute) after a burst of 25.
    public init(writes: Double?, reads: Double?, general: Double?, organizationDeletes: Double? = 0.4) {
        self.writes = writes
        self.reads = reads
        self.general = general
        self.organizationDeletes = organizationDeletes
    }
}
