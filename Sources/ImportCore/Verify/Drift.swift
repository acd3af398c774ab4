#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One way WorkOS differs from a row of the file.
public struct Difference: Sendable, Equatable {
    /// What differs: `user-missing`, a column name (`first_name`, `last_name`, `email_verified`,
    /// `external_id`, `metadata`, `totp_issuer`, `totp_user`), `organization-missing`, `membership-missing`,
    /// `membership-inactive`, `membership-pending`, `roles`, `factor-missing`, `invalid-row` (the row itself
    /// cannot be read), or `contradicts-earlier-row` (the import fails the row for contradicting an earlier
    /// one, so WorkOS never holds it as written); for a roles file's row (`--roles`), `role-missing` or
    /// `role-permissions` (``RoleChecker``); for an organizations file's row (`--organizations`),
    /// `organization-missing`, `domain-missing`, `domain-state` or `metadata` (``OrganizationChecker``).
    public var kind: String
    /// What the row says.
    public var expected: String
    /// What WorkOS holds (empty when it holds nothing).
    public var found: String

    public init(kind: String, expected: String, found: String) {
        self.kind = kind
        self.expected = expected
        self.found = found
    }
}

/// A row's verdict.
public struct RowDrift: Sendable, Equatable {
    public var line: Int
    public var email: String
    /// Empty when WorkOS holds everything the row says.
    public var differences: [Difference]
    /// A read failed, so the row could not be checked (it counts as drifted, with a `read-failed` kind).
    public var readFailure: String?
}

/// `--out drift.csv`: one line per difference (line, email, difference, expected, found), created 0600.
final class DriftFile {
    static let header = ["line", "email", "difference", "expected", "found"]

    private let fd: Int32
    private let path: String

    init(path: String) throws(OutputFileError) {
        self.path = path
        fd = try SecureFile.open(path: path, append: false)
        try SecureFile.write(CSVRowEncoder.line(Self.header), to: fd, path: path)
    }

    func record(_ drift: RowDrift) throws(OutputFileError) {
        guard !drift.differences.isEmpty else { return }
        var text = ""
        for difference in drift.differences {
            text += CSVRowEncoder.line([
                String(drift.line), drift.email, difference.kind, difference.expected, difference.found,
            ])
        }
        try SecureFile.write(text, to: fd, path: path)
    }

    func close() throws(OutputFileError) {
        try SecureFile.close(fd, path: path)
    }
}

/// What `workos-import verify` found.
public struct VerifySummary: Sendable, Equatable {
    /// Data rows in the file.
    public var total = 0
    /// Rows WorkOS holds exactly as the file says.
    public var matching = 0
    /// Rows with at least one difference.
    public var drifted = 0
    /// Differences by kind, over every row.
    public var byKind: [String: Int] = [:]
    public var durationSeconds = 0.0
    public var survey = EnvironmentSurvey.Report()
    public var files: [WrittenFile] = []
    /// A stop (Ctrl-C, SIGTERM, SIGHUP) came before every row was checked: the counts cover the rows checked
    /// before it (exit 130).
    public var interrupted = false

    public init() {}
}

extension SummaryFormatter {
    /// The verdict's box, with the differences by kind under it.
    public static func box(_ s: VerifySummary, color: Bool = false) -> String {
        var rows = [
            BoxRow(
                "Status", s.drifted == 0 ? "WorkOS holds every row" : "WorkOS differs from the file",
                style: s.drifted == 0 ? .green : .red),
            BoxRow("Rows", ReportText.grouped(s.total)),
            BoxRow("Matching", ReportText.grouped(s.matching)),
            BoxRow("Drifted", ReportText.grouped(s.drifted), style: s.drifted > 0 ? .red : nil),
            BoxRow("Pages read first", ReportText.grouped(s.survey.pages)),
            BoxRow("Duration", ReportText.duration(s.durationSeconds)),
        ]
        if s.interrupted {
            rows[0] = BoxRow(
                "Status", "Interrupted: only the rows counted were checked (run the same command again)",
                style: .yellow)
        }
        rows += s.files.map { BoxRow($0.label, ReportText.singleLine($0.path)) }
        var text = render(title: "Verify (nothing was written to WorkOS)", rows: rows, color: color)
        if !s.byKind.isEmpty {
            text += "Differences by kind:\n"
            for (kind, count) in s.byKind.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                text += "  \(ReportText.grouped(count)) \(kind)\n"
            }
        }
        return text
    }

    /// The verdict's `--json`: total, matching, drifted, byKind (difference kind → count), pagesRead,
    /// durationSeconds.
    public static func json(_ s: VerifySummary) -> String {
        encode(VerifySummaryJSON(s))
    }

    /// A drifted row's line on stdout: `✗ line 4  ann@example.com  first_name: expected "Ann", found "Anne"`.
    public static func line(_ drift: RowDrift) -> String {
        let parts = drift.differences.map { difference in
            "\(difference.kind): expected \(DisplayText.quoted(difference.expected)), found "
                + (difference.found.isEmpty ? "nothing" : DisplayText.quoted(difference.found))
        }
        return "✗ line \(drift.line)  \(drift.email)  " + ReportText.singleLine(parts.joined(separator: "; ")) + "\n"
    }
}

private struct VerifySummaryJSON: Encodable {
    let s: VerifySummary

    init(_ s: VerifySummary) { self.s = s }

    enum CodingKeys: String, CodingKey {
        case total, matching, drifted, byKind, pagesRead, durationSeconds, interrupted
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(s.total, forKey: .total)
        try container.encode(s.matching, forKey: .matching)
        try container.encode(s.drifted, forKey: .drifted)
        try container.encode(s.byKind, forKey: .byKind)
        try container.encode(s.survey.pages, forKey: .pagesRead)
        try container.encode((s.durationSeconds * 1000).rounded() / 1000, forKey: .durationSeconds)
        try container.encode(s.interrupted, forKey: .interrupted)
    }
}
