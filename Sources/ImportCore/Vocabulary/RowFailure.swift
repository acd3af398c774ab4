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
        /// The row's organization could not be found or created.
        case organization
        /// A role the row names does not apply to its organization, or WorkOS refused the roles.
        case role
        /// The user is fine but the organization membership failed.
        case membership
        /// The user (and membership) are fine but the TOTP factor could not be enrolled.
        case factor
    }

    /// 1-based index of the data record (the header is not counted).
    public var recordNumber: Int
    /// 1-based physical line on which the record starts (the header is line 1).
    public var line: Int
    /// The email as found in the row (trimmed), empty when the row had none.
    public var email: String
    /// The WorkOS user id, when a user exists for the row.
    public var userId: String?
    /// The row's organization as the file names it (an `org_…` id or an external id), when it has one.
    public var organization: String?
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
    /// The kind of failure without the row's own details, when the stage that decided it knows it (the row
    /// rules, the checks across rows); otherwise ``reasonText`` derives it.
    public var reason: String?

    /// Creates a failure from its parts.
    public init(
        recordNumber: Int, line: Int, email: String, userId: String? = nil, organization: String? = nil,
        stage: Stage, message: String, httpStatus: Int? = nil, workosCode: String? = nil,
        workosRequestId: String? = nil, timestamp: Date, reason: String? = nil
    ) {
        self.organization = organization
        self.reason = reason
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

extension RowFailure {
    /// What the summary groups failures by: the kind of failure without the row's own details, so that 412
    /// rows with different invalid metadata read as one "metadata is invalid JSON".
    ///
    /// The reason the deciding stage gave, else for a refusal by WorkOS its status and error code
    /// (`WorkOS refused the user: HTTP 422 email_not_available`), else ``generalReason(of:)`` of the message.
    public var reasonText: String {
        if let reason { return reason }
        let subject =
            switch stage {
            case .organization: "WorkOS refused the organization"
            case .role, .membership: "WorkOS refused the membership"
            case .factor: "WorkOS refused the TOTP factor"
            case .parse, .validation, .user: "WorkOS refused the user"
            }
        switch (httpStatus, workosCode) {
        case (let status?, let code?): return "\(subject): HTTP \(status) \(code)"
        case (let status?, nil): return "\(subject): HTTP \(status)"
        default: return Self.generalReason(of: message)
        }
    }

    /// The reason with this row's numbers in place of its `N`s (`expected 5 fields, found 4` for the reason
    /// `expected N fields, found N`), so the summary can show a real case beside the group; `nil` when the
    /// reason has no number taken out, or is not the message's own (a WorkOS code, a stage's wording).
    public var reasonExample: String? {
        guard httpStatus == nil else { return nil }
        let reason = reasonText
        guard Self.generalReason(of: message) == reason else { return nil }
        let example = Self.generalReason(of: message, keepingNumbers: true)
        return example == reason ? nil : example
    }

    /// A message without its row-specific details: the leading `line N:`, quoted values, parenthesised
    /// remarks, numbers and words with an `@` are taken out, and only the part before the first `: ` or `; ` (where details and
    /// hints start) is kept, at most 100 characters. `expected 5 fields, found 7` reads
    /// `expected N fields, found N`; with `keepingNumbers`, the numbers stay (everything else still goes).
    public static func generalReason(of message: String, keepingNumbers: Bool = false) -> String {
        var text = Substring(message)
        if text.hasPrefix("line "), let colon = text.firstIndex(of: ":"),
            text[text.index(text.startIndex, offsetBy: 5)..<colon].allSatisfy(\.isNumber)
        {
            text = text[text.index(after: colon)...]
        }
        var out = ""
        var inQuote = false
        var parens = 0
        var previous: Character = " "
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "\"" {
                inQuote.toggle()
            } else if !inQuote && character == "(" {
                parens += 1
            } else if !inQuote && character == ")" && parens > 0 {
                parens -= 1
            } else if !inQuote && parens == 0 {
                if (character == ":" || character == ";") && (next == text.endIndex || text[next] == " ") { break }
                if character.isNumber && !keepingNumbers {
                    if !previous.isNumber { out.append("N") }
                } else if !(character == " " && out.last == " ") {
                    out.append(character)
                }
                previous = character
            }
            index = next
        }
        // An address written without quotes is the row's own too (and not for the journal).
        var result = out.split(separator: " ").filter { !$0.contains("@") }.joined(separator: " ")
        if result.count > 100 { result = String(result.prefix(99)) + "…" }
        return result.isEmpty ? "failed" : result
    }
}

/// A failure is a value the executor returns; conforming to `Error` only lets a stage's `Result` carry it.
extension RowFailure: Error {}
