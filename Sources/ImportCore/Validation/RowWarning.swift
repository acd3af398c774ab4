/// A non-fatal remark about a row: the row is still imported.
///
/// Warnings are counted in the summary and printed on stderr; they never carry secrets.
public struct RowWarning: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Number or boolean metadata values were sent as strings.
        case metadataCoerced = "metadata_coerced"
        /// A plaintext password was ignored because a password hash pair was present.
        case passwordIgnored = "password_ignored"
        /// Any other remark.
        case other
    }

    public var kind: Kind
    public var line: Int
    public var message: String

    public init(kind: Kind, line: Int, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }
}
