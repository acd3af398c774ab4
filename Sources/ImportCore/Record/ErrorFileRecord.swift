#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One failure as written to the `--errors-out` file: the failure plus the row it came from.
///
/// Keys are explicit so renaming a property never changes the file format; optional values are
/// written as `null` so every record has the same keys.
public struct ErrorFileRecord: Sendable, Equatable, Codable {
    /// 1-based index of the data record.
    public var recordNumber: Int
    /// 1-based line on which the record starts.
    public var line: Int
    /// The row's email, empty when it had none.
    public var email: String
    /// The WorkOS user id when a user exists for the row.
    public var userId: String?
    /// Where the failure was decided (parse, validation, user, organization, role, membership, factor).
    public var stage: RowFailure.Stage
    /// The row's organization as the file names it, when it has one.
    public var organization: String?
    /// What went wrong, with any secret value from the row masked.
    public var errorMessage: String
    /// The HTTP status WorkOS answered with, if a request was made.
    public var httpStatus: Int?
    /// WorkOS's error `code`, if any.
    public var workosCode: String?
    /// WorkOS's `X-Request-ID`, for support tickets.
    public var workosRequestId: String?
    /// When the failure happened: ISO-8601, UTC, milliseconds.
    public var timestamp: String
    /// The row's cells keyed by column name, with every secret column masked: those that feed one of our
    /// secret columns, and those whose name says they hold a secret (see ``SecretColumnName``).
    public var rawRow: [String: String]

    /// The keys of the JSON and JSONL files.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        /// Each key is named after the property it holds.
        case recordNumber, line, email, userId, stage, errorMessage, httpStatus, workosCode, workosRequestId
        /// The last keys, split off only to keep lines short.
        case timestamp, rawRow, organization
    }

    /// The CSV columns, in order: the first nine as they were first published, then `stage` and
    /// `organization`. `line` is left out (the rows' own line numbers change once they are fed back).
    public static let csvColumns = [
        "recordNumber", "email", "userId", "errorMessage", "httpStatus", "workosCode", "workosRequestId",
        "timestamp", "rawRow", "stage", "organization",
    ]

    /// The text put in place of a secret value.
    public static let redacted = "[redacted]"

    /// Builds the record for `failure` from the row's raw cells in header order.
    ///
    /// Non-empty cells of every column in `secretColumns` (those that feed `password`, `password_hash` or
    /// `totp_secret`, by name or through `--map`) and of every column whose name says it holds a secret
    /// (``SecretColumnName``) become ``redacted`` (an empty cell stays empty, so the user can see it was
    /// missing), and any of those values found in the message is masked too.
    /// Cells beyond the header are keyed `column_N` (1-based).
    public init(failure: RowFailure, header: [String], secretColumns: Set<Int> = [], fields: [String]) {
        var row: [String: String] = [:]
        var secrets: [String] = []
        let secretByName = header.map(SecretColumnName.isSecret)
        for (index, value) in fields.enumerated() {
            var key = index < header.count ? header[index] : "column_\(index + 1)"
            if row[key] != nil { key = "\(key)_\(index + 1)" }
            let isSecret = secretColumns.contains(index) || (index < header.count && secretByName[index])
            if isSecret && !value.isEmpty {
                row[key] = Self.redacted
                secrets.append(value)
            } else {
                row[key] = value
            }
        }
        var message = failure.message
        // Short values would mask ordinary words; a secret that short is caught by the validator anyway.
        for secret in secrets where secret.count >= 4 {
            message = message.replacing(secret, with: Self.redacted)
        }
        self.init(
            recordNumber: failure.recordNumber, line: failure.line, email: failure.email, userId: failure.userId,
            organization: failure.organization, stage: failure.stage, errorMessage: message,
            httpStatus: failure.httpStatus,
            workosCode: failure.workosCode, workosRequestId: failure.workosRequestId,
            timestamp: Self.timestamp(failure.timestamp), rawRow: row)
    }

    /// Builds a record from its parts, as read back from a file.
    public init(
        recordNumber: Int, line: Int, email: String, userId: String?, organization: String? = nil,
        stage: RowFailure.Stage, errorMessage: String, httpStatus: Int?, workosCode: String?,
        workosRequestId: String?, timestamp: String, rawRow: [String: String]
    ) {
        self.organization = organization
        self.recordNumber = recordNumber
        self.line = line
        self.email = email
        self.userId = userId
        self.stage = stage
        self.errorMessage = errorMessage
        self.httpStatus = httpStatus
        self.workosCode = workosCode
        self.workosRequestId = workosRequestId
        self.timestamp = timestamp
        self.rawRow = rawRow
    }

    /// Writes every key, `null` included, so consumers can rely on a fixed shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recordNumber, forKey: .recordNumber)
        try container.encode(line, forKey: .line)
        try container.encode(email, forKey: .email)
        try container.encode(userId, forKey: .userId)
        try container.encode(stage, forKey: .stage)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encode(httpStatus, forKey: .httpStatus)
        try container.encode(workosCode, forKey: .workosCode)
        try container.encode(workosRequestId, forKey: .workosRequestId)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(rawRow, forKey: .rawRow)
        try container.encode(organization, forKey: .organization)
    }

    /// The record's cells in ``csvColumns`` order; `rawRow` becomes one JSON text cell.
    public func csvFields(rawRowJSON: String) -> [String] {
        [
            String(recordNumber), email, userId ?? "", errorMessage, httpStatus.map(String.init) ?? "",
            workosCode ?? "", workosRequestId ?? "", timestamp, rawRowJSON, stage.rawValue, organization ?? "",
        ]
    }

    /// ISO-8601 in UTC with milliseconds, e.g. `2026-03-01T09:30:00.123Z`.
    public static func timestamp(_ date: Date) -> String {
        Timestamp.format(date)
    }
}
