/// The columns the importer understands, by their header name (matched trimmed and case-insensitively).
public enum ImportColumn: String, Sendable, CaseIterable {
    case email
    case firstName = "first_name"
    case lastName = "last_name"
    case password
    case passwordHash = "password_hash"
    case passwordHashType = "password_hash_type"
    case emailVerified = "email_verified"
    case externalId = "external_id"
    case metadata
    /// Where an `ssha256` hash's salt went when it was computed (`prefix` or `suffix`); last so the
    /// columns' positions in ``RowValidator`` stay as they were.
    case passwordSaltPosition = "password_salt_position"

    /// Every known column name, in the order the documentation lists them, for messages.
    public static let namesForMessages = allCases.map(\.rawValue).joined(separator: ", ")
}
