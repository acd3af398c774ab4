/// One user as written to the converted CSV, in the importer's vocabulary.
///
/// Every field is what a column of ``ConvertedCSVWriter/columns`` holds; `nil` or empty writes an empty cell.
public struct ConvertedUser: Sendable, Equatable {
    /// The address (never empty: a user without one is skipped before this is built).
    public var email: String
    /// Given name.
    public var firstName: String?
    /// Family name.
    public var lastName: String?
    /// Whether the address is verified; `nil` when the export does not say.
    public var emailVerified: Bool?
    /// A hash in the contract's string form for ``passwordHashType``.
    public var passwordHash: String?
    /// The hash's type.
    public var passwordHashType: PasswordHashType?
    /// The source's id for the user.
    public var externalId: String?
    /// Metadata that meets the contract's rules (string values within the limits).
    public var metadata: [String: String] = [:]
    /// The WorkOS organization id, when the source holds one.
    public var orgId: String?
    /// The organization's external id.
    public var orgExternalId: String?
    /// The organization's name, to create it when missing.
    public var orgName: String?
    /// Role slugs, comma-separated.
    public var roleSlugs: String?
    /// A Base32 TOTP secret.
    public var totpSecret: String?
    /// The TOTP issuer.
    public var totpIssuer: String?
    /// The TOTP account name.
    public var totpUser: String?

    /// A user with only an address.
    public init(email: String) {
        self.email = email
    }
}

/// Why a user was skipped, converted without a password, or converted with something left behind.
///
/// `summary` is the same sentence for every user it applies to, so the counts group by it; `detail` says
/// what applies to this user (a metadata key, a hasher's name) and goes only into the skipped-records file.
/// Neither ever holds a secret.
public struct ConversionReason: Sendable, Hashable {
    /// The grouping sentence, e.g. "disabled in Firebase (--include-disabled converts them)".
    public var summary: String
    /// What applies to this user, if anything more.
    public var detail: String?

    /// A reason.
    public init(_ summary: String, detail: String? = nil) {
        self.summary = summary
        self.detail = detail
    }

    /// The summary and the detail, as one line of text.
    public var text: String {
        guard let detail else { return summary }
        return "\(summary): \(detail)"
    }
}

/// What became of one user of the export.
public struct ConversionOutcome: Sendable, Equatable {
    /// The user's id in the source, when it has one.
    public var sourceId: String?
    /// The user's address as the export has it, when it has one.
    public var email: String?
    /// Where the user is in the input: "users.json line 12".
    public var position: InputPosition
    /// What happened.
    public var result: Result

    /// What happened to the user.
    public enum Result: Sendable, Equatable {
        /// Written to the CSV. `withoutPassword` says why no password hash went with it (nil: it has one,
        /// or the source never has any); `losses` lists what else could not be carried.
        case converted(ConvertedUser, withoutPassword: ConversionReason?, losses: [ConversionReason])
        /// Not written.
        case skipped(ConversionReason)
    }

    /// An outcome.
    public init(sourceId: String?, email: String?, position: InputPosition, result: Result) {
        self.sourceId = sourceId
        self.email = email
        self.position = position
        self.result = result
    }
}

/// A file and a line, written "users.json line 12"; kept as the two parts and made into text only when a
/// message or a skipped record needs it, since every user of a large export has one.
public struct InputPosition: Sendable, Equatable, CustomStringConvertible {
    /// The input file as named on the command line.
    public var file: String
    /// The line the user starts on.
    public var line: Int

    /// A position.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// "file line N".
    public var description: String { "\(file) line \(line)" }
}
