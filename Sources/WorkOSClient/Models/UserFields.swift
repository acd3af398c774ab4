/// A user's fields as the create and update bodies send them (contract §4.1), declared once so the
/// validated row and both request bodies cannot drift apart: a new user column is one property here.
///
/// Values are in their wire form (the hash type and salt position as the API spells them); `nil` fields
/// are left out of the JSON, which for an update means "leave as it is".
public struct UserFields: Encodable, Sendable, Equatable {
    /// Given name.
    public var firstName: String?
    /// Family name.
    public var lastName: String?
    /// Plaintext password; never logged.
    public var password: String?
    /// Password hash; never logged.
    public var passwordHash: String?
    /// The hash's algorithm, as the API spells it.
    public var passwordHashType: String?
    /// `prefix` or `suffix`, only with an `ssha256` hash: where the salt went when the digest was made.
    public var passwordSaltPosition: String?
    /// Whether the address is verified.
    public var emailVerified: Bool?
    /// The caller's own id for the user.
    public var externalId: String?
    /// Flat string-to-string metadata; an update replaces it whole.
    public var metadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case password, metadata
        case firstName = "first_name"
        case lastName = "last_name"
        case passwordHash = "password_hash"
        case passwordHashType = "password_hash_type"
        case passwordSaltPosition = "password_salt_position"
        case emailVerified = "email_verified"
        case externalId = "external_id"
    }

    /// Fields with the given values; each defaults to "not sent".
    public init(
        firstName: String? = nil, lastName: String? = nil, password: String? = nil, passwordHash: String? = nil,
        passwordHashType: String? = nil, passwordSaltPosition: String? = nil, emailVerified: Bool? = nil,
        externalId: String? = nil, metadata: [String: String]? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.password = password
        self.passwordHash = passwordHash
        self.passwordHashType = passwordHashType
        self.passwordSaltPosition = passwordSaltPosition
        self.emailVerified = emailVerified
        self.externalId = externalId
        self.metadata = metadata
    }
}
