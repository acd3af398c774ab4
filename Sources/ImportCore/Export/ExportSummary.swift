#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What an export wrote: the one value `export` prints as text or, with `--json`, as
/// `{"coverage","file","memberships","membershipsSkipped","organizations","rows","status","users",
/// "usersWithoutMembership"}`; `status` is `complete`, or `interrupted` after a stop (nothing written, every
/// count 0).
public struct ExportSummary: Sendable, Equatable {
    /// The file written.
    public var path: String
    /// Users in the file.
    public var users = 0
    /// Users read from the environment.
    public var usersRead = 0
    /// Rows written: one per user and organization, and one per user without a membership.
    public var rows = 0
    /// Active memberships written.
    public var memberships = 0
    /// Memberships left out: inactive or pending ones (the importer creates active memberships), and those of
    /// users created after the users were read.
    public var membershipsSkipped = 0
    /// Users written without an organization (only without `--organization`).
    public var usersWithoutMembership = 0
    /// Organizations whose memberships were read.
    public var organizations = 0
    /// A stop ended the export before the file was written.
    public var interrupted = false
    /// Which fields the exported users carry (by row with `--organization`, which reads only members).
    public var coverage = FieldCoverage()

    public init(path: String, byRow: Bool = false) {
        self.path = path
        self.coverage = FieldCoverage(noun: byRow ? "row" : "user")
    }

    /// What cannot be exported, said once on stderr.
    public static let notExported =
        "Passwords, password hashes and TOTP secrets cannot be read from WorkOS, so the file has none: users "
        + "imported from it sign in by resetting their password (or another method) and enroll TOTP again.\n"

    /// The summary for a person.
    public var text: String {
        var text = "Exported \(users) user\(users == 1 ? "" : "s") to \(ReportText.singleLine(path)) "
        text += "(\(rows) row\(rows == 1 ? "" : "s"): \(memberships) membership\(memberships == 1 ? "" : "s") in "
        text += "\(organizations) organization\(organizations == 1 ? "" : "s")"
        text += usersWithoutMembership > 0 ? ", \(usersWithoutMembership) without one).\n" : ").\n"
        if membershipsSkipped > 0 {
            text +=
                "Left out \(membershipsSkipped) membership\(membershipsSkipped == 1 ? "" : "s") that "
                + "\(membershipsSkipped == 1 ? "is" : "are") not active (the importer creates active ones).\n"
        }
        return text + coverage.table
    }

    /// The summary as one JSON line with sorted keys.
    public var json: String {
        SummaryFormatter.encode(ExportSummaryJSON(self))
    }
}

private struct ExportSummaryJSON: Encodable {
    let file: String
    let users: Int
    let rows: Int
    let memberships: Int
    let membershipsSkipped: Int
    let usersWithoutMembership: Int
    let organizations: Int
    let coverage: FieldCoverage
    let status: String

    enum CodingKeys: String, CodingKey {
        case file, users, rows, memberships, membershipsSkipped, usersWithoutMembership, organizations, coverage
        case status
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(users, forKey: .users)
        try container.encode(rows, forKey: .rows)
        try container.encode(memberships, forKey: .memberships)
        try container.encode(membershipsSkipped, forKey: .membershipsSkipped)
        try container.encode(usersWithoutMembership, forKey: .usersWithoutMembership)
        try container.encode(organizations, forKey: .organizations)
        try container.encode(CoverageJSON(coverage), forKey: .coverage)
        try container.encode(status, forKey: .status)
    }

    init(_ summary: ExportSummary) {
        file = summary.path
        coverage = summary.coverage
        status = summary.interrupted ? "interrupted" : "complete"
        users = summary.users
        rows = summary.rows
        memberships = summary.memberships
        membershipsSkipped = summary.membershipsSkipped
        usersWithoutMembership = summary.usersWithoutMembership
        organizations = summary.organizations
    }
}

/// Why an export could not finish; each message says what to do. The destination is left as it was.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--organization` names an organization WorkOS does not have.
    case organizationNotFound(String)
    /// A read failed after every retry.
    case read(String)
    /// The output file could not be written.
    case output(OutputFileError)
    /// A temporary record file could not be written.
    case temporaryFile(String)
    /// A stop (Ctrl-C, SIGTERM, SIGHUP) was asked for.
    case stopped

    public var description: String {
        switch self {
        case .organizationNotFound(let name):
            return "No organization has the id or external id '\(ReportText.singleLine(name))' in this environment. "
                + "Check --organization (an org_… id or the organization's external id)."
        case .read(let reason):
            return "Reading from WorkOS failed after every retry (\(reason)). Nothing was written; run the same "
                + "command again."
        case .output(let error):
            return error.description
        case .temporaryFile(let reason):
            return "A temporary file could not be written (\(reason)); free space in the temporary folder (TMPDIR) "
                + "and run the same command again."
        case .stopped:
            return "Stopped; nothing was written. Run the same command again to export."
        }
    }
}
