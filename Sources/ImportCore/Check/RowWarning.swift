/// A non-fatal remark about a row: the row is still imported.
///
/// Warnings are counted in the summary and printed on stderr; they never carry secrets.
public struct RowWarning: Sendable, Equatable {
    /// What the warning is about, so summaries can group them.
    public enum Kind: String, Sendable {
        /// Number or boolean metadata values were sent as strings.
        case metadataCoerced = "metadata_coerced"
        /// A plaintext password was ignored because a password hash pair was present.
        case passwordIgnored = "password_ignored"
        /// The row repeats an earlier row's email, so it finds the user that row creates.
        case repeatedEmail = "repeated_email"
        /// `role_slugs` had upper-case letters or empty entries, and was read without them.
        case roleSlugsNormalized = "role_slugs_normalized"
        /// The row's `org_name` is not the one an earlier row gives its organization.
        case organizationNameDiffers = "organization_name_differs"
        /// The row may name, another way, an earlier row's organization with another role (the dry run cannot
        /// resolve organizations; the import fails the row if they are one).
        case organizationMayRepeat = "organization_may_repeat"
        /// Any other remark.
        case other
    }

    /// What the warning is about.
    public var kind: Kind
    /// The physical line the row starts on.
    public var line: Int
    /// The remark, e.g. `password ignored because ...`; the line is printed beside it (a message that still
    /// starts with `line N: ` has that prefix left out when printed).
    public var message: String

    /// A warning about the row on `line`.
    public init(kind: Kind, line: Int, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }
}
