/// The documented `password_hash_type` values and the shape each hash string must have.
///
/// These follow the contract's §6: modular-crypt bcrypt (cost 04 to 31); argon2's PHC string with `v=19`,
/// memory 4,096 to 262,144 KiB, time 1 to 5 (argon2i at least 3) and 1 to 8 lanes; scrypt and pbkdf2 only
/// in the PHC forms WorkOS's guide documents (`$scrypt$v=1$n=<N>,r=…,p=…,kl=<hash bytes>$…` and
/// `$pbkdf2$i=…,d=sha256|sha512$…` with the documented iteration ranges, base64 without padding; passlib's
/// and Django's forms are refused, as WorkOS does not document them); the importer's firebase-scrypt
/// form; and LDAP `{SSHA}` / `{SSHA256}` (the prefix optional)
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
                number(parts[2], key: "v") == 19,
                let values = parameters(parts[3], keys: ["m", "t", "p"])
            else { return false }
            let times = parts[1] == "argon2i" ? argon2iTime : argon2Time
            guard argon2Memory.contains(values[0]), times.contains(values[1]), argon2Lanes.contains(values[2])
            else { return false }
            return isBase64(parts[4]) && isBase64(parts[5])
        case "scrypt":
            guard parts.count == 6, parts[0].isEmpty, parts[1] == "scrypt", number(parts[2], key: "v") == 1,
                let values = parameters(parts[3], keys: ["n", "r", "p", "kl"]),
                values[0] > 1, values[0] & (values[0] - 1) == 0, values[1] >= 1, values[2] >= 1,
                unpaddedLength(parts[4]) != nil, let hashBytes = unpaddedLength(parts[5])
            else { return false }
            return values[3] == hashBytes
        case "firebase-scrypt":
            guard parts.count == 8, parts[0].isEmpty, parts[1] == "firebase-scrypt" else { return false }
            let expected = ["hash", "salt", "sk", "ss"]
            for (offset, key) in expected.enumerated() {
                let part = parts[2 + offset]
                guard part.hasPrefix(key + "="), isBase64(String(part.dropFirst(key.count + 1))) else { return false }
            }
            return isNumber(parts[6], key: "r") && isNumber(parts[7], key: "m")
        case "pbkdf2":
            guard parts.count == 5, parts[0].isEmpty, parts[1] == "pbkdf2" else { return false }
            let items = parts[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard items.count == 2, let iterations = number(items[0], key: "i"), items[1].hasPrefix("d="),
                let range = pbkdf2Iterations[String(items[1].dropFirst(2))], range.contains(iterations)
            else { return false }
            return unpaddedLength(parts[3]) != nil && unpaddedLength(parts[4]) != nil
        case "ssha":
            return isLDAP(hash, prefix: "{SSHA}", digestBytes: 20)
        case "ssha256":
            return isLDAP(hash, prefix: "{SSHA256}", digestBytes: 32)
        default:
            return false
        }
    }

    // WorkOS's documented ranges ("Migrate from other services"; contract §6).
    private static let argon2Memory = 4_096...262_144
    private static let argon2Time = 1...5
    private static let argon2iTime = 3...5
    private static let argon2Lanes = 1...8
    private static let pbkdf2Iterations = ["sha256": 600_000...1_000_000, "sha512": 210_000...1_000_000]

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

    /// The value of `key=<digits>`, or nil when the part is not that or the number does not fit an `Int`.
    private static func number(_ part: String, key: String) -> Int? {
        guard isNumber(part, key: key) else { return nil }
        return Int(part.dropFirst(key.count + 1))
    }

    /// The values of `k1=<digits>,k2=<digits>,…` in the order of `keys`, or nil.
    private static func parameters(_ part: String, keys: [String]) -> [Int]? {
        let items = part.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard items.count == keys.count else { return nil }
        var values: [Int] = []
        for (item, key) in zip(items, keys) {
            guard let value = number(item, key: key) else { return nil }
            values.append(value)
        }
        return values
    }

    /// How many bytes standard base64 without padding decodes to, or nil when `text` is not that
    /// (the documented scrypt and pbkdf2 forms trim the padding).
    private static func unpaddedLength(_ text: String) -> Int? {
        guard !text.isEmpty, text.count % 4 != 1,
            text.allSatisfy({ $0.isASCIIAlphanumeric || $0 == "+" || $0 == "/" })
        else { return nil }
        return text.count * 3 / 4
    }

    /// Standard base64, padding optional.
    private static func isBase64(_ text: String) -> Bool {
        var body = Substring(text)
        while body.hasSuffix("=") { body = body.dropLast() }
        guard !body.isEmpty, text.count - body.count <= 2 else { return false }
        return body.allSatisfy { $0.isASCIIAlphanumeric || $0 == "+" || $0 == "/" }
    }

}

extension Character {
    /// `0`...`9` only.
    var isASCIIDigit: Bool { isASCII && isNumber }
    /// ASCII letters and digits only.
    var isASCIIAlphanumeric: Bool { isASCII && (isLetter || isNumber) }
}
