/// The verdict on one CSV record: ready to import, or failed with a reason. Warnings come with either.
public enum RowValidation: Sendable, Equatable {
    /// The row passed every rule.
    case valid(ImportRow, warnings: [RowWarning])
    /// The row broke at least one rule; no API call must be made for it.
    case invalid(RowProblem, warnings: [RowWarning])

    /// The warnings, whichever the verdict.
    public var warnings: [RowWarning] {
        switch self {
        case .valid(_, let warnings), .invalid(_, let warnings): return warnings
        }
    }
}

/// Why a row failed before any API call: where it is, whose it is, and what to fix.
public struct RowProblem: Sendable, Equatable {
    /// 1-based index of the data record (the header is not counted).
    public var recordNumber: Int
    /// 1-based physical line on which the record starts.
    public var line: Int
    /// The row's email, trimmed; empty when the row had none. Written to error files so users can find the row.
    public var email: String
    /// What is wrong, starting with the line, e.g. `line 12: email "bob@" is not a valid address (...)`.
    /// Never contains a password or a password hash.
    public var message: String
    /// The kind of problem without the row's own values (`metadata is invalid JSON`), so the summary can
    /// group rows that failed alike; several problems are joined with `; `.
    public var reason: String

    /// A problem as reported by the validator, or built by the pipeline for a record it could not parse.
    ///
    /// - Parameter reason: the problem's kind; by default the message with its row-specific details taken
    ///   out (``RowFailure/generalReason(of:)``).
    public init(recordNumber: Int, line: Int, email: String, message: String, reason: String? = nil) {
        self.recordNumber = recordNumber
        self.line = line
        self.email = email
        self.message = message
        self.reason = reason ?? RowFailure.generalReason(of: message)
    }
}
