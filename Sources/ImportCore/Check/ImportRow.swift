import WorkOSClient

/// One CSV row that passed every row rule and is ready to be sent to WorkOS.
///
/// Built by ``RowValidator`` from a ``CSVRecord``. Values are already normalised: the email is trimmed,
/// blank optional cells are `nil`, metadata values are strings, and a plaintext password is dropped
/// when a hash pair is present. The user's own fields are one ``UserFields`` value, the very one the
/// create and update requests send, read and written through as if declared here (`row.firstName`).
/// Plaintext passwords, hashes and TOTP secrets are never logged or written anywhere but a request body.
@dynamicMemberLookup
public struct ImportRow: Sendable, Equatable {
    /// 1-based index of the data record in the file (the header is not counted).
    public var recordNumber: Int
    /// 1-based physical line on which the record starts (the header is line 1).
    public var line: Int
    /// The address, trimmed, case kept as written.
    public var email: String
    /// The user's fields, trimmed, `nil` where blank or absent (see ``UserFields``).
    public var user: UserFields
    /// The row's own organization (`org_id`, or `org_external_id` with `org_name`); `nil` when the row has
    /// none, and the run's organization, if any, applies.
    public var organization: RowOrganization?
    /// The membership's roles from `role_slugs`, in the order written, without repeats; `nil` when the cell
    /// is blank or absent (the run's `--role`, else the environment's default role).
    public var roleSlugs: [String]?
    /// The TOTP factor to enroll. Its secret is never logged or written anywhere but the request body.
    public var totp: TOTPEnrollment?
    /// Where the row's bytes are in the file (``CSVRecord/byteRange``), so a row WorkOS refuses can be
    /// copied to the rejects file exactly as it was.
    public var byteRange: Range<Int>

    /// A row with the given values; optional fields default to "not sent".
    public init(
        recordNumber: Int, line: Int, email: String, firstName: String? = nil, lastName: String? = nil,
        password: String? = nil, passwordHash: String? = nil, passwordHashType: PasswordHashType? = nil,
        passwordSaltPosition: PasswordSaltPosition? = nil, emailVerified: Bool? = nil, externalId: String? = nil,
        metadata: [String: String]? = nil,
        byteRange: Range<Int> = 0..<0
    ) {
        self.recordNumber = recordNumber
        self.line = line
        self.email = email
        self.user = UserFields(
            firstName: firstName, lastName: lastName, password: password, passwordHash: passwordHash,
            passwordHashType: passwordHashType?.rawValue, passwordSaltPosition: passwordSaltPosition?.rawValue,
            emailVerified: emailVerified, externalId: externalId, metadata: metadata)
        self.byteRange = byteRange
    }

    /// One of the user's fields, as if declared here.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<UserFields, Value>) -> Value {
        get { user[keyPath: keyPath] }
        set { user[keyPath: keyPath] = newValue }
    }

    /// The hash algorithm; set exactly when the hash is. The validator only ever stores a known type.
    public var passwordHashType: PasswordHashType? {
        get { user.passwordHashType.flatMap(PasswordHashType.init(rawValue:)) }
        set { user.passwordHashType = newValue?.rawValue }
    }

    /// Where the salt went for an `ssha256` hash; `nil` means "not sent" (WorkOS assumes `suffix`).
    public var passwordSaltPosition: PasswordSaltPosition? {
        get { user.passwordSaltPosition.flatMap(PasswordSaltPosition.init(rawValue:)) }
        set { user.passwordSaltPosition = newValue?.rawValue }
    }
}

/// The organization a row names.
public enum RowOrganization: Sendable, Hashable {
    /// `org_id`: a WorkOS organization id; it must exist.
    case id(String)
    /// `org_external_id`, with `org_name` for creating it when it is missing.
    case externalId(String, name: String?)

    /// The organization as the file names it, for row lines and the error file.
    public var label: String {
        switch self {
        case .id(let id): id
        case .externalId(let externalId, _): externalId
        }
    }

    /// What identifies the organization, whatever name the row gives it: rows with one external id and
    /// different names are the same organization.
    public var key: String {
        switch self {
        case .id(let id): "id:" + id
        case .externalId(let externalId, _): "external:" + externalId
        }
    }
}

/// A TOTP factor to enroll (`totp_secret`, `totp_issuer`, `totp_user`).
public struct TOTPEnrollment: Sendable, Equatable {
    /// The Base32 secret, upper case, without spaces or padding. A secret.
    public var secret: String
    public var issuer: String?
    public var user: String?

    public init(secret: String, issuer: String? = nil, user: String? = nil) {
        self.secret = secret
        self.issuer = issuer
        self.user = user
    }
}

/// The `password_hash_type` values the WorkOS API accepts (contract §6).
public enum PasswordHashType: String, Sendable, CaseIterable, Codable {
    case bcrypt
    case firebaseScrypt = "firebase-scrypt"
    case ssha
    case ssha256
    case scrypt
    case pbkdf2
    case argon2
}

/// The `password_salt_position` values the WorkOS API accepts, for `ssha256` hashes only (contract §4.1):
/// `prefix` when the digest was H(salt + password), `suffix` (WorkOS's default) when it was H(password + salt).
public enum PasswordSaltPosition: String, Sendable, CaseIterable, Codable {
    /// The salt came before the password.
    case prefix
    /// The salt came after the password.
    case suffix
}
