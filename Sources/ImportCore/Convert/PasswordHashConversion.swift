/// Turns a provider's password digest into a hash WorkOS takes, or says why it cannot.
///
/// A hash is carried only where the contract documents an equivalent type and the digest has that type's
/// form (checked with the same ``PasswordHashFormat`` the dry run uses), so a converted file never holds a
/// hash the import would refuse; anything else leaves the user without a password, for a reset, and says
/// why. No reason ever quotes the digest.
enum PasswordHashConversion {
    /// A converted hash, or the reason there is none.
    enum Result: Equatable {
        case hash(String, PasswordHashType)
        case none(ConversionReason)

        /// Puts the hash on `user`; returns why there is none otherwise.
        func apply(to user: inout ConvertedUser) -> ConversionReason? {
            switch self {
            case .hash(let hash, let type):
                user.passwordHash = hash
                user.passwordHashType = type
                return nil
            case .none(let reason):
                return reason
            }
        }
    }

    /// A bcrypt digest (`$2a$`, `$2b$`, `$2x$`, `$2y$`), passed through when it has bcrypt's form.
    static func bcrypt(_ digest: String, source: String) -> Result {
        check(digest, as: .bcrypt, source: source)
    }

    /// An argon2 PHC string (`$argon2id$…`, `$argon2i$…`, `$argon2d$…`), passed through when it has that form.
    static func argon2(_ digest: String, source: String) -> Result {
        check(digest, as: .argon2, source: source)
    }

    /// A PBKDF2-SHA256 digest as Clerk documents its two forms: `pbkdf2_sha256` is
    /// `pbkdf2_sha256$<iterations>$<base64 salt>$<base64 hash>`, `pbkdf2_sha256_django` is Django's form,
    /// whose salt is text. Both become WorkOS's `$pbkdf2$i=…,d=sha256$…` when the iterations are in range.
    static func pbkdf2(_ digest: String, saltIsBase64: Bool, source: String) -> Result {
        guard saltIsBase64 else { return check(digest, as: .pbkdf2, source: source) }
        let parts = digest.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2_sha256" else {
            return .none(
                ConversionReason(
                    "the \(source) pbkdf2_sha256 digest is not pbkdf2_sha256$<iterations>$<salt>$<hash>",
                    detail: "salt and hash base64, as \(source) documents"))
        }
        return check("$pbkdf2$i=\(parts[1]),d=sha256$\(parts[2])$\(parts[3])", as: .pbkdf2, source: source)
    }

    /// A digest whose type is not known in advance: bcrypt and argon2 are recognised by their prefix.
    static func detect(_ digest: String, source: String) -> Result {
        if digest.hasPrefix("$2") { return bcrypt(digest, source: source) }
        if digest.hasPrefix("$argon2") { return argon2(digest, source: source) }
        return .none(
            ConversionReason(
                "the \(source) password hash is neither bcrypt nor argon2, which is all WorkOS takes from \(source)"))
    }

    /// Clerk's `scrypt_firebase` digest, which Clerk documents as six `$`-separated values (`<hash>$<salt>$<signer
    /// key>$<salt separator>$<rounds>$<memory cost>`, base64 where they are bytes), as the contract's
    /// firebase-scrypt string, which carries the same six values per user.
    static func clerkFirebaseScrypt(_ digest: String) -> Result {
        let parts = digest.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, let rounds = Int(parts[4]), let memoryCost = Int(parts[5]),
            let parameters = try? FirebaseHashConfig(
                signerKey: parts[2], saltSeparator: parts[3], rounds: rounds, memoryCost: memoryCost),
            let hash = parameters.passwordHash(hash: parts[0], salt: parts[1]),
            case .valid = PasswordHashFormat.check(hash, as: .firebaseScrypt)
        else {
            return .none(
                ConversionReason(
                    "the Clerk scrypt_firebase digest is not the six values Clerk documents, so it cannot become "
                        + "a firebase-scrypt hash",
                    detail:
                        "expected <hash>$<salt>$<signer key>$<salt separator>$<rounds>$<memory cost>, base64 and "
                        + "rounds 1 to 8, memory cost 1 to 14"))
        }
        return .hash(hash, .firebaseScrypt)
    }

    private static func check(_ digest: String, as type: PasswordHashType, source: String) -> Result {
        switch PasswordHashFormat.check(digest, as: type) {
        case .valid: return .hash(digest, type)
        case .normalized(let rewritten): return .hash(rewritten, type)
        case .invalid(let reason):
            return .none(
                ConversionReason(
                    "the \(source) password hash does not have the \(type.rawValue) form WorkOS expects",
                    detail: "password_hash \(reason)"))
        }
    }
}
