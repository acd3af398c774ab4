import WorkOSClient

/// What happened to one row that reached WorkOS: the value the pipeline records in the journal, the error
/// file and the summary.
public struct RowResult: Sendable, Equatable {
    /// What happened to the user.
    public var outcome: UserOutcome
    /// The failure, when the row failed (``outcome`` is then `.failed`).
    public var failure: RowFailure? {
        get { boxedFailure?.value }
        set { boxedFailure = newValue.map(Indirect.value) }
    }
    /// ``failure`` on the heap: a row's steps keep several results across their awaits, and each is memory
    /// a row in flight holds, so a result that has no failure should not carry room for one.
    private var boxedFailure: Indirect<RowFailure>?
    public var userId: String?
    public var membership: MembershipOutcome
    /// The membership's organization, when the row has one and it was found or created.
    public var organizationId: String?
    /// The membership's id, when this import created or changed it.
    public var membershipId: String?
    public var factor: FactorOutcome
    /// The factor's id, when this import enrolled it.
    public var factorId: String?
    /// The row failed after this import created its user (``outcome`` is then `.failed`, so the journal
    /// records this instead, for an undo).
    public var userCreated = false
    /// Under `--if-exists update`, the columns whose values the update changed (`first_name`, `metadata`,
    /// `password`, ...); empty when the user was left as it was.
    public var changedFields: [String] = []
    /// This row's resolution created its organization (the first of the rows naming it).
    public var organizationCreated = false
    /// Set when the row failed in a way every other row would too, so the import stops and the row stays
    /// unsettled for the next run.
    public var halt: ImportHalt?
    /// A remark shown on the row's line, e.g. `line 4 of this file` for a row that repeats an earlier
    /// row's email.
    public var note: String?

    /// A row that succeeded.
    public init(
        outcome: UserOutcome, userId: String?, membership: MembershipOutcome = .none, organizationId: String? = nil,
        membershipId: String? = nil, factor: FactorOutcome = .none, factorId: String? = nil, note: String? = nil
    ) {
        self.outcome = outcome
        self.userId = userId
        self.membership = membership
        self.organizationId = organizationId
        self.membershipId = membershipId
        self.factor = factor
        self.factorId = factorId
        self.note = note
    }

    /// A row that failed; `halt` when the import must stop with it.
    public init(failed failure: RowFailure, halt: ImportHalt? = nil) {
        self.outcome = .failed
        self.boxedFailure = .value(failure)
        self.userId = failure.userId
        self.membership = .none
        self.factor = .none
        self.halt = halt
    }

    /// This result turned into a failure at a later stage, keeping what the earlier stages did.
    func failing(_ failure: RowFailure) -> RowResult {
        var result = self
        result.userCreated = outcome == .imported || userCreated
        result.outcome = .failed
        result.failure = failure
        return result
    }
}

/// A failure that stops the whole import instead of failing one row after another. Indirect, so a result
/// that holds none stays small.
public indirect enum ImportHalt: Sendable, Equatable {
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
