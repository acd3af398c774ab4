/// What happened to one row, as shown on its result line on stdout.
public struct RowReport: Sendable, Equatable {
    /// How the row ended.
    public enum Kind: String, Sendable, Equatable {
        /// The user was created by this run.
        case imported
        /// The user was already in WorkOS; counted as a success.
        case alreadyExisted
        /// The user existed and was updated to match the row.
        case updated
        /// The row failed; ``RowReport/message`` says why.
        case failed
    }

    /// What happened to the row's organization membership.
    public enum Membership: String, Sendable, Equatable {
        /// This run created the membership.
        case created
        /// The user was already a member.
        case existing
        /// No membership was asked for, or none was made.
        case none
    }

    /// 1-based line on which the record starts, as the user sees it in an editor.
    public var line: Int
    /// 1-based index of the data record.
    public var recordNumber: Int
    /// The row's email, empty when it had none.
    public var email: String
    /// How the row ended.
    public var kind: Kind
    /// The WorkOS user id, when a user exists for the row.
    public var userId: String?
    /// What happened to the membership.
    public var membership: Membership
    /// Why the row failed, or a remark on a success; never a secret.
    public var message: String?

    /// Creates a report from its parts.
    public init(
        line: Int, recordNumber: Int, email: String, kind: Kind, userId: String? = nil,
        membership: Membership = .none, message: String? = nil
    ) {
        self.line = line
        self.recordNumber = recordNumber
        self.email = email
        self.kind = kind
        self.userId = userId
        self.membership = membership
        self.message = message
    }

    /// The report for a failed row, so a failure is described the same way on stdout and in the error file.
    public init(failure: RowFailure) {
        self.init(
            line: failure.line, recordNumber: failure.recordNumber, email: failure.email, kind: .failed,
            userId: failure.userId, membership: .none, message: failure.message)
    }
}
