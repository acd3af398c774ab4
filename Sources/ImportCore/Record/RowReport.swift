/// What happened to one row, as shown on its result line on stdout.
public struct RowReport: Sendable, Equatable {
    /// 1-based line on which the record starts, as the user sees it in an editor.
    public var line: Int
    /// 1-based index of the data record.
    public var recordNumber: Int
    /// The row's email, empty when it had none.
    public var email: String
    /// What happened to the user.
    public var kind: UserOutcome
    /// The WorkOS user id, when a user exists for the row.
    public var userId: String?
    /// What happened to the membership.
    public var membership: MembershipOutcome
    /// The row's organization as the file names it (`org_…`, or the external id), when it has one.
    public var organization: String?
    /// What happened to the TOTP factor.
    public var factor: FactorOutcome
    /// Why the row failed, or a remark on a success; never a secret.
    public var message: String?

    /// Creates a report from its parts.
    public init(
        line: Int, recordNumber: Int, email: String, kind: UserOutcome, userId: String? = nil,
        membership: MembershipOutcome = .none, organization: String? = nil, factor: FactorOutcome = .none,
        message: String? = nil
    ) {
        self.line = line
        self.recordNumber = recordNumber
        self.email = email
        self.kind = kind
        self.userId = userId
        self.membership = membership
        self.organization = organization
        self.factor = factor
        self.message = message
    }

    /// The report for a failed row, so a failure is described the same way on stdout and in the error file.
    public init(failure: RowFailure) {
        self.init(
            line: failure.line, recordNumber: failure.recordNumber, email: failure.email, kind: .failed,
            userId: failure.userId, membership: .none, organization: failure.organization, message: failure.message)
    }
}
