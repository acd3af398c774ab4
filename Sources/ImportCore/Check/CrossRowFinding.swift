/// A row that contradicts an earlier row of the same file, found by the pre-scan (``DuplicateEmails``)
/// before any row is sent: which of the two should win would be a guess, so the later row fails.
///
/// The earlier row is the reference because the findings come from a scan of the whole file, not of what
/// one run happened to read: a resumed import, a rerun and a dry run all fail the same rows.
public struct CrossRowFinding: Sendable, Equatable {
    /// What the two rows disagree on.
    public enum Kind: Sendable, Equatable {
        /// The same email, with these user fields different (column names, in the README's order).
        case userFieldsDiffer([String])
        /// The same external_id on another email.
        case externalIdOnAnotherEmail
        /// The same email and organization with another role.
        case roleDiffers
    }

    /// What the rows disagree on.
    public var kind: Kind
    /// The line of the row that fails.
    public var line: Int
    /// The line of the earlier row it contradicts.
    public var earlierLine: Int

    /// Describes a finding.
    public init(kind: Kind, line: Int, earlierLine: Int) {
        self.kind = kind
        self.line = line
        self.earlierLine = earlierLine
    }

    /// The sentence for the row's failure, naming both lines and what to do.
    public var message: String {
        switch kind {
        case .userFieldsDiffer(let columns):
            return "line \(line) repeats the email of line \(earlierLine) with different "
                + "\(DisplayText.list(columns)); which row should win is a guess: make them agree"
        case .externalIdOnAnotherEmail:
            return "line \(line) has the external_id of line \(earlierLine), which has another email; an "
                + "external_id names one user: give each user its own, or make the emails agree"
        case .roleDiffers:
            return "line \(line) repeats the email and organization of line \(earlierLine) with a different "
                + "role; which role should win is a guess: make them agree"
        }
    }

    /// The finding without its lines, for grouping failures in the summary.
    public var reason: String {
        switch kind {
        case .userFieldsDiffer: "repeats an earlier row's email with different user fields"
        case .externalIdOnAnotherEmail: "has the external_id of an earlier row with another email"
        case .roleDiffers: "repeats an earlier row's email and organization with a different role"
        }
    }
}
