/// The columns the importer understands, by their header name.
///
/// Header cells are matched by ``key(for:)``: case, spaces, hyphens and underscores do not count, so
/// `First Name`, `first-name`, `FirstName` and `FIRST_NAME` all mean `first_name`. Spreadsheets and other
/// systems' exports spell column names every which way, and a name column silently ignored loses data
/// while the run reports success.
public enum ImportColumn: String, Sendable, CaseIterable {
    /// The user's address (required).
    case email
    /// Given name.
    case firstName = "first_name"
    /// Family name.
    case lastName = "last_name"
    /// A plaintext password.
    case password
    /// A password hash exported from another system.
    case passwordHash = "password_hash"
    /// The algorithm of ``passwordHash``.
    case passwordHashType = "password_hash_type"
    /// Whether the address is verified.
    case emailVerified = "email_verified"
    /// The caller's own id for the user.
    case externalId = "external_id"
    /// A JSON object of string values.
    case metadata
    /// Where an `ssha256` hash's salt went when it was computed (`prefix` or `suffix`). A case's place orders
    /// only the names in messages: positions are looked up by the column itself (``ColumnPositions``).
    case passwordSaltPosition = "password_salt_position"
    /// The row's organization by its WorkOS id; it must exist.
    case orgId = "org_id"
    /// The row's organization by its external id; created with ``orgName`` under `--create-org-if-missing`.
    case orgExternalId = "org_external_id"
    /// The name of an organization to create.
    case orgName = "org_name"
    /// The membership's roles: comma-separated or a JSON array (`role_slug` is read as the same column).
    case roleSlugs = "role_slugs"
    /// A TOTP secret (Base32) to enroll as the user's authenticator factor.
    case totpSecret = "totp_secret"
    /// The issuer shown in the authenticator app.
    case totpIssuer = "totp_issuer"
    /// The account name shown in the authenticator app.
    case totpUser = "totp_user"

    /// Every known column name, in the order the documentation lists them, for messages.
    public static let namesForMessages = allCases.map(\.rawValue).joined(separator: ", ")

    /// The column a header cell names, or `nil` for a column the importer does not read.
    public init?(header cell: String) {
        guard let column = Self.byKey[Self.key(for: cell)] else { return nil }
        self = column
    }

    /// The form names are compared in: lowercased, without spaces, tabs, hyphens or underscores.
    public static func key(for name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !Self.ignoredInNames.contains($0) })
    }

    private static let ignoredInNames: Set<Unicode.Scalar> = [" ", "\t", "-", "_"]
    private static let byKey = Dictionary(uniqueKeysWithValues: allCases.map { (key(for: $0.rawValue), $0) })
        .merging([key(for: "role_slug"): .roleSlugs]) { first, _ in first }

    /// The columns that give a row its own organization.
    public static let organizationColumns: [ImportColumn] = [.orgId, .orgExternalId, .orgName]
}
