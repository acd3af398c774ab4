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

    /// Every known column name, in the order the documentation lists them, for messages.
    public static let namesForMessages = allCases.map(\.rawValue).joined(separator: ", ")
}
