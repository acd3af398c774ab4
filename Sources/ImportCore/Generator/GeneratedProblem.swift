/// The kinds of bad row ``UserFileGenerator`` mixes in with `withErrors`: one for every way the importer
/// rejects a row before calling WorkOS.
public enum GeneratedProblem: String, Sendable, CaseIterable {
    case missingEmail = "missing_email"
    case emailWithoutAt = "email_without_at"
    case emailWithSpace = "email_with_space"
    case emailDomainWithoutDot = "email_domain_without_dot"
    case emailTwoAts = "email_two_ats"
    case badEmailVerified = "bad_email_verified"
    case metadataInvalidJSON = "metadata_invalid_json"
    case metadataNotObject = "metadata_not_object"
    case metadataNested = "metadata_nested"
    case metadataTooManyKeys = "metadata_too_many_keys"
    case metadataKeyTooLong = "metadata_key_too_long"
    case metadataValueTooLong = "metadata_value_too_long"
    case hashWithoutType = "hash_without_type"
    case typeWithoutHash = "type_without_hash"
    case unknownHashType = "unknown_hash_type"
    case malformedBcrypt = "malformed_bcrypt"
    case malformedArgon2 = "malformed_argon2"
    case malformedFirebaseScrypt = "malformed_firebase_scrypt"
    case externalIdNotASCII = "external_id_not_ascii"
    case externalIdTooLong = "external_id_too_long"
    case tooManyFields = "too_many_fields"
    case tooFewFields = "too_few_fields"
    case textAfterClosingQuote = "text_after_closing_quote"
    case nulByte = "nul_byte"

    /// Words the importer's message for this row contains, for tests and for reading a generated file.
    public var expectedMessageFragment: String {
        switch self {
        case .missingEmail: "email is missing"
        case .emailWithoutAt: "no \"@\""
        case .emailWithSpace: "contains a space"
        case .emailDomainWithoutDot: "domain has no dot"
        case .emailTwoAts: "more than one \"@\""
        case .badEmailVerified: "email_verified"
        case .metadataInvalidJSON: "metadata is invalid JSON"
        case .metadataNotObject: "metadata must be a JSON object"
        case .metadataNested: "values must be strings, numbers or booleans"
        case .metadataTooManyKeys: "metadata has 51 keys"
        case .metadataKeyTooLong: "longer than 40 characters"
        case .metadataValueTooLong: "WorkOS accepts at most 600"
        case .hashWithoutType: "password_hash_type is blank"
        case .typeWithoutHash: "password_hash is blank"
        case .unknownHashType: "is not supported"
        case .malformedBcrypt: "is not a bcrypt hash"
        case .malformedArgon2: "is not an argon2 hash"
        case .malformedFirebaseScrypt: "is not a firebase-scrypt hash"
        case .externalIdNotASCII: "must be ASCII only"
        case .externalIdTooLong: "characters long; WorkOS"
        case .tooManyFields: "expected 8 fields, found 9"
        case .tooFewFields: "expected 8 fields, found 7"
        case .textAfterClosingQuote: "text after its closing quote"
        case .nulByte: "NUL byte"
        }
    }

    /// Whether the CSV reader (rather than the row rules) rejects this row.
    public var isMalformedRecord: Bool {
        switch self {
        case .tooManyFields, .tooFewFields, .textAfterClosingQuote, .nulByte: true
        default: false
        }
    }
}
