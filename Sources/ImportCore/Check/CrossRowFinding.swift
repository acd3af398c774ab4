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
        /// The same email and, named the other way (`org_id` against `org_external_id`), the same
        /// organization with another role; found when the import resolves both names.
        case roleDiffersUnderAnotherName(column: String, earlierColumn: String)
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
        case .roleDiffersUnderAnotherName(let column, let earlierColumn):
            return "line \(line) repeats the email of line \(earlierLine), and its \(column) names the organization "
                + "that line's \(earlierColumn) names, with a different role; which role should win is a guess: "
                + "make them agree"
        }
    }

    /// The finding without its lines, for grouping failures in the summary.
    public var reason: String {
        switch kind {
        case .userFieldsDiffer: "repeats an earlier row's email with different user fields"
        case .externalIdOnAnotherEmail: "has the external_id of an earlier row with another email"
        case .roleDiffers, .roleDiffersUnderAnotherName:
            "repeats an earlier row's email and organization with a different role"
        }
    }
}

/// A row whose `org_name` is not the name the first row of its organization (the same `org_external_id`)
/// gives: an organization has one name, so the first row's is the one a new organization is created with,
/// and this row gets a warning. The row is still imported: the name belongs to the organization, not to the
/// row's user, and an organization that exists keeps its own name whatever the rows say.
public struct OrganizationNameConflict: Sendable, Equatable {
    /// The line of the row with the other name.
    public var line: Int
    /// The first line that names the organization.
    public var earlierLine: Int
    /// The organization's `org_external_id`.
    public var externalId: String
    /// The name that line gives it.
    public var name: String

    /// Describes a conflict.
    public init(line: Int, earlierLine: Int, externalId: String, name: String) {
        self.line = line
        self.earlierLine = earlierLine
        self.externalId = externalId
        self.name = name
    }

    /// The row's warning, naming the organization, the name that counts and its line.
    public var warning: RowWarning {
        RowWarning(
            kind: .organizationNameDiffers, line: line,
            message: "org_name is not \(DisplayText.quoted(name, limit: 60)), the name line \(earlierLine) gives the "
                + "organization \(DisplayText.quoted(externalId, limit: 60)); if this import creates it, it gets "
                + "line \(earlierLine)'s name")
    }
}

/// An earlier row of the same email whose organization is named the other way (`org_id` against
/// `org_external_id`): only WorkOS can say whether the two name one organization.
public struct OrganizationCandidate: Sendable, Equatable {
    /// The earlier row's line.
    public var line: Int
    /// Its organization, as it names it (without a name).
    public var organization: RowOrganization
    /// Whether its role differs from the later row's: if the two are one organization, the later row fails.
    public var rolesDiffer: Bool

    /// Describes an earlier row.
    public init(line: Int, organization: RowOrganization, rolesDiffer: Bool) {
        self.line = line
        self.organization = organization
        self.rolesDiffer = rolesDiffer
    }

    /// The column the organization is named by.
    var column: String {
        switch organization {
        case .id: ImportColumn.orgId.rawValue
        case .externalId: ImportColumn.orgExternalId.rawValue
        }
    }
}

/// What a column means across rows of one file, decided once for every ``ImportColumn`` (the `switch` has no
/// `default`, so a new column does not build until it is given a rule); ``DuplicateEmails`` compares the
/// ``userField`` columns of rows of one email from this list.
public enum CrossRowRule: Sendable, Equatable {
    /// Names the user: rows with the same value (ignoring case and surrounding spaces) are one user, and
    /// one `external_id` on two of them is a contradiction.
    case identifiesUser
    /// A field of the user: rows of one email must agree on it, or the later row fails naming the column.
    case userField
    /// Read together with another column and reported under its name.
    case partOf(ImportColumn)
    /// Names the row's organization: another value is another membership of the same user, not a
    /// contradiction.
    case namesOrganization
    /// The organization's name: the first row that names the organization gives it; a later row with
    /// another gets a warning and is imported (``OrganizationNameConflict``).
    case organizationName
    /// The membership's roles: rows of one email and organization must agree, or the later row fails.
    case membershipRole

    /// The rule of a column.
    public static func rule(for column: ImportColumn) -> CrossRowRule {
        switch column {
        case .email: .identifiesUser
        case .firstName, .lastName, .password, .passwordHash, .emailVerified, .externalId, .metadata: .userField
        case .totpSecret, .totpIssuer, .totpUser: .userField
        case .passwordHashType, .passwordSaltPosition: .partOf(.passwordHash)
        case .orgId, .orgExternalId: .namesOrganization
        case .orgName: .organizationName
        case .roleSlugs: .membershipRole
        }
    }

    /// The ``userField`` columns, in ``ImportColumn``'s order.
    static let userFields = ImportColumn.allCases.filter { rule(for: $0) == .userField }
}
