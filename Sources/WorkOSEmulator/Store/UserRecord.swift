/// A stored user. The password or hash is kept opaquely and never rendered.
struct UserRecord: Sendable {
    /// Creation order, used for pagination.
    var sequence: Int
    /// `user_…` id.
    var id: String
    /// Email as given, trimmed; compared ignoring case.
    var email: String
    /// Given name.
    var firstName: String?
    /// Family name.
    var lastName: String?
    /// Full name, when sent.
    var name: String?
    /// Whether the address is verified.
    var emailVerified: Bool
    /// The customer's own id; unique.
    var externalID: String?
    /// String key-value metadata.
    var metadata: [String: String]
    /// Locale, set only by update.
    var locale: String?
    /// Opaque credential: the plaintext password or the imported hash. Never returned.
    var credential: String?
    /// The hash type that came with an imported hash.
    var passwordHashType: String?
    /// ISO-8601 creation time.
    var createdAt: String
    /// ISO-8601 time of the last change.
    var updatedAt: String
    /// ISO-8601 time of the last sign-in; nil until the first (seeded, or set through `/_emulate/sign_in`).
    /// A sign-in is not a change of the user, so it leaves `updatedAt` as it was.
    var lastSignInAt: String? = nil

    /// The API's User object.
    var json: JSONValue {
        .object([
            "object": .string("user"),
            "id": .string(id),
            "email": .string(email),
            "first_name": .optionalString(firstName),
            "last_name": .optionalString(lastName),
            "name": .optionalString(name),
            "profile_picture_url": .null,
            "email_verified": .bool(emailVerified),
            "external_id": .optionalString(externalID),
            "metadata": .object(metadata.mapValues(JSONValue.string)),
            "locale": .optionalString(locale),
            "last_sign_in_at": .optionalString(lastSignInAt),
            "created_at": .string(createdAt),
            "updated_at": .string(updatedAt),
        ])
    }

    /// The user as the snapshot shows it.
    var snapshot: EmulatorSnapshot.User {
        EmulatorSnapshot.User(
            id: id, email: email, externalID: externalID, firstName: firstName, lastName: lastName, name: name,
            metadata: metadata, emailVerified: emailVerified, hasPassword: credential != nil,
            passwordHashType: passwordHashType, createdAt: createdAt, updatedAt: updatedAt)
    }
}
