import Foundation

/// Why a row failed: a value, not a thrown error, so the import goes on and the failure is reported.
///
/// Written to the error file (`--errors-out`) and counted in the summary. `message` must never contain
/// a password, a password hash or the API key.
public struct RowFailure: Sendable, Equatable {
    /// Where the failure was decided.
    public enum Stage: String, Sendable, Codable {
        /// The CSV record could not be parsed (unterminated quote, wrong number of fields).
        case parse
        /// The record parsed but broke a row rule; no API call was made.
        case validation
        /// WorkOS (or the network) refused the user.
        case user
        /// The user is fine but the organization membership failed.
        case membership
    }

    /// 1-based index of the data record (the header is not counted).
    public var recordNumber: Int
    /// 1-based physical line on which the record starts (the header is line 1).
    public var line: Int
    /// The email as found in the row (trimmed), empty when the row had none.
    public var email: String
    /// The WorkOS user id, when a user exists for the row.
    public var userId: String?
    /// Where the failure was decided.
    public var stage: Stage
    /// What went wrong and, where possible, how to fix it; never a secret.
    public var message: String
    /// The HTTP status WorkOS answered with, when a request was made.
    public var httpStatus: Int?
    /// WorkOS's error `code`, when the response had one.
    public var workosCode: String?
    /// WorkOS's `X-Request-ID`, which WorkOS support asks for.
    public var workosRequestId: String?
    /// When the failure was decided.
    public var timestamp: Date

    /// Creates a failure from its parts.
    public init(
        recordNumber: Int, line: Int, email: String, userId: String? = nil, stage: Stage, message: String,
        httpStatus: Int? = nil, workosCode: String? = nil, workosRequestId: String? = nil, timestamp: Date
    ) {
        self.recordNumber = recordNumber
        self.line = line
        self.email = email
        self.userId = userId
        self.stage = stage
        self.message = message
        self.httpStatus = httpStatus
        self.workosCode = workosCode
        self.workosRequestId = workosRequestId
        self.timestamp = timestamp
    }
}
