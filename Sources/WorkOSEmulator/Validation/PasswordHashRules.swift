/// The documented `password_hash_type` values and the shape each hash string must have.
///
/// WorkOS does not publish exact encodings for every type; these follow the contract's §6:
/// modular-crypt bcrypt (cost 04 to 31), PHC strings for argon2 (with its `v=` version), scrypt and
/// pbkdf2, the importer's firebase-scrypt form, and LDAP `{SSHA}` / `{SSHA256}` (the prefix optional)
/// with base64 that decodes to the digest plus at least one byte of salt. The importer checks the same
/// rules in its dry run with its own implementation; a shared table test keeps the two equal.
enum PasswordHashRules {
    /// Every accepted hash type, as the spec's enum lists them.
    static let types = ["bcrypt", "firebase-scrypt", "ssha", "ssha256", "scrypt", "pbkdf2", "argon2"]

    /// Whether `hash` is well-formed for `type`.
    static func isValid(_ hash: String, type: String) -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        switch type {
        case "bcrypt":
            guard parts.count == 4, parts[0].isEmpty, ["2a", "2b", "2x", "2y"].contains(parts[1]),
                parts[2].count == 2, parts[2].allSatisfy(\.isASCIIDigit), let cost = Int(parts[2]),
                (4...31).contains(cost)
            else { return false }
            return parts[3].count == 53 && parts[3].allSatisfy { $0.isASCIIAlphanumeric || $0 == "." || $0 == "/" }
        case "argon2":
            guard parts.count == 6, parts[0].isEmpty, ["argon2id", "argon2i", "argon2d"].contains(parts[1]),
                isNumber(parts[2], key: "v")
            else { return false }
            return isParameterList(parts[3], keys: ["m", "t", "p"]) && isBase64(parts[4]) && isBase64(parts[5])
        case "scrypt":
            guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return false }
            return isParameterList(parts[2], keys: ["ln", "r", "p"]) && isBase64(parts[3]) && isBase64(parts[4])
        case "firebase-scrypt":
            guard parts.count == 8, parts[0].isEmpty, parts[1] == "firebase-scrypt" else { return false }
            let expected = ["hash", "salt", "sk", "ss"]
            for (offset, key) in expected.enumerated() {
                let part = parts[2 + offset]
                guard part.hasPrefix(key + "="), isBase64(String(part.dropFirst(key.count + 1))) else { return false }
            }
            return isNumber(parts[6], key: "r") && isNumber(parts[7], key: "m")
        case "pbkdf2":
            guard parts.count == 5, parts[0].isEmpty,
                ["pbkdf2", "pbkdf2-sha1", "pbkdf2-sha256", "pbkdf2-sha512"].contains(parts[1])
            else { return false }
            let rounds = parts[2]
            let roundsOK =
                (!rounds.isEmpty && rounds.allSatisfy(\.isASCIIDigit))
                || isParameterList(rounds, keys: ["i"]) || isParameterList(rounds, keys: ["i", "l"])
            return roundsOK && isLooseBase64(parts[3]) && isLooseBase64(parts[4])
        case "ssha":
            return isLDAP(hash, prefix: "{SSHA}", digestBytes: 20)
        case "ssha256":
            return isLDAP(hash, prefix: "{SSHA256}", digestBytes: 32)
        default:
            return false
        }
    }

    /// `{PREFIX}` (optional) and standard base64 holding the digest and a salt of at least one byte.
    private static func isLDAP(_ hash: String, prefix: String, digestBytes: Int) -> Bool {
        let body = hash.hasPrefix(prefix) ? String(hash.dropFirst(prefix.count)) : hash
        guard let decoded = decodedLength(body) else { return false }
        return decoded > digestBytes
    }

    /// How many bytes standard base64 `text` decodes to, or nil when it is not base64 that decodes
    /// cleanly: padding (at most two `=`) only when it completes a group of four, no dangling character.
    private static func decodedLength(_ text: String) -> Int? {
        let data = text.prefix { $0.isASCIIAlphanumeric || $0 == "+" || $0 == "/" }
        let padding = text.dropFirst(data.count)
        guard !data.isEmpty, padding.count <= 2, padding.allSatisfy({ $0 == "=" }) else { return nil }
        guard data.count % 4 != 1, padding.isEmpty || (data.count + padding.count) % 4 == 0 else { return nil }
        return data.count * 3 / 4
    }

    private static func isNumber(_ part: String, key: String) -> Bool {
        guard part.hasPrefix(key + "=") else { return false }
        let digits = part.dropFirst(key.count + 1)
        return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit)
    }

    private static func isParameterList(_ part: String, keys: [String]) -> Bool {
        let items = part.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard items.count == keys.count else { return false }
        return zip(items, keys).allSatisfy { isNumber($0, key: $1) }
    }

    /// Standard base64, padding optional.
    private static func isBase64(_ text: String) -> Bool {
        var body = Substring(text)
        while body.hasSuffix("=") { body = body.dropLast() }
        guard !body.isEmpty, text.count - body.count <= 2 else { return false }
        return body.allSatisfy { $0.isASCIIAlphanumeric || $0 == "+" || $0 == "/" }
    }

    /// Base64 in any of the common alphabets (standard, URL-safe, passlib's `.`), or hex.
    private static func isLooseBase64(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCIIAlphanumeric || "+/._-=".contains($0) }
    }
}

extension Character {
    /// `0`...`9` only.
    var isASCIIDigit: Bool { isASCII && isNumber }
    /// ASCII letters and digits only.
    var isASCIIAlphanumeric: Bool { isASCII && (isLetter || isNumber) }
}
