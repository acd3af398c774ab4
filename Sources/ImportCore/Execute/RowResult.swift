import WorkOSClient

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
    /// Set when the row failed in a way every other row would too, so the import stops and the row stays
    /// unsettled for the next run.
    public var halt: ImportHalt?
    /// A remark shown on the row's line, e.g. `line 4 of this file` for a row that repeats an earlier
    /// row's email.
    public var note: String?

    public init(
        outcome: Outcome, userId: String?, membership: Membership, halt: ImportHalt? = nil, note: String? = nil
    ) {
        self.outcome = outcome
        self.userId = userId
        self.membership = membership
        self.halt = halt
        self.note = note
    }

    /// The failure, when the row failed.
    public var failure: RowFailure? {
        if case .failed(let failure) = outcome { return failure }
        return nil
    }
}

/// A failure that stops the whole import instead of failing one row after another.
public enum ImportHalt: Sendable, Equatable {
    /// WorkOS refused the API key (401) or its permissions (403).
    case unauthorized(WorkOSClientError)
    /// WorkOS could not be reached at all, after every retry.
    case unreachable(WorkOSClientError)
    /// The journal could not be written, so no further request may be sent.
    case journal(JournalError)

    /// The halt an error calls for, if any.
    init?(_ error: WorkOSClientError) {
        switch error {
        case .api(let apiError) where apiError.status == 401 || apiError.status == 403:
            self = .unauthorized(error)
        case .transport(_, requestMayHaveBeenProcessed: false):
            self = .unreachable(error)
        default:
            return nil
        }
    }
}
