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

    public var recordNumber: Int
    public var line: Int
    /// The email as found in the row (trimmed), empty when the row had none.
    public var email: String
    /// The WorkOS user id, when a user exists for the row.
    public var userId: String?
    public var stage: Stage
    public var message: String
    public var httpStatus: Int?
    public var workosCode: String?
    public var workosRequestId: String?
    public var timestamp: Date

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
