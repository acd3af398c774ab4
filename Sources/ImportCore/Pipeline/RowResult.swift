/// What happened to one row that reached WorkOS: the value the pipeline records in the journal, the error
/// file and the summary.
public struct RowResult: Sendable, Equatable {
    /// How the row ended.
    public enum Outcome: Sendable, Equatable {
        /// This run created the user.
        case imported
        /// The user was already in WorkOS before this run.
        case alreadyExisted
        /// The user was already there and `--if-exists update` updated it.
        case updated
        /// The row failed; the failure explains why.
        case failed(RowFailure)
    }

    /// What happened to the organization membership.
    public enum Membership: String, Sendable, Equatable {
        case created
        case existing
        case none
    }

    public var outcome: Outcome
    public var userId: String?
    public var membership: Membership

    public init(outcome: Outcome, userId: String?, membership: Membership) {
        self.outcome = outcome
        self.userId = userId
        self.membership = membership
    }

    /// The failure, when the row failed.
    public var failure: RowFailure? {
        if case .failed(let failure) = outcome { return failure }
        return nil
    }
}
