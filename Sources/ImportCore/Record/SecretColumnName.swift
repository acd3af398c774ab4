/// Decides from a column's name alone whether its values are secrets, so the error file can mask them.
///
/// Exports carry more secrets than `password` and `password_hash`: a `Password_Confirm` column, a
/// `totp_secret`, a `salt`, an `api_token`. The importer ignores such columns, but the error file copies
/// the whole row into `rawRow`, so the rule has to work on names it has never seen. The rule:
///
/// 1. The name is cut into words at anything that is not a letter or a digit (`_`, `-`, spaces, dots) and
///    where a lowercase letter is followed by an uppercase one (`apiToken` → `api`, `token`); words are
///    compared lowercased.
/// 2. The name is a secret when one of its words is in ``secretWords``, or starts or ends with one of the
///    unambiguous ``secretStems`` (`newpassword`, `apitoken`, `clientsecret`).
/// 3. Except when its last word is in ``descriptorWords``: such a column describes a secret rather than
///    holding one (`password_hash_type`, `password_salt_position`, `password_hasher`, `mfa_enabled`), and
///    stays readable, because it is often what the user needs to see to fix the row.
///
/// Erring towards masking costs little (a readable value shown as `[redacted]`); erring the other way
/// leaks a credential into a file that gets mailed around, so the word list is generous.
public enum SecretColumnName {
    /// Words that make a column a secret when they appear as a whole word of its name.
    public static let secretWords: Set<String> = [
        "password", "passwords", "passwd", "pwd", "pass", "passcode", "passphrase", "secret", "secrets", "token",
        "tokens", "salt", "key", "keys", "apikey", "hash", "hashes", "totp", "otp", "hotp", "mfa", "2fa", "pin",
        "credential", "credentials",
    ]

    /// Longer words that make a column a secret even when glued to another word (`apitoken`).
    public static let secretStems = ["password", "passwd", "secret", "token", "credential", "passphrase"]

    /// Last words that mark a column as describing a secret (its kind, shape or state), not holding one.
    public static let descriptorWords: Set<String> = [
        "type", "kind", "format", "algorithm", "algo", "hasher", "scheme", "method", "version", "position",
        "length", "rounds", "iterations", "cost", "encoding", "enabled", "required", "set", "policy", "id",
        "at", "date", "expires", "expiry", "created", "updated", "changed", "count",
    ]

    /// Whether a column called `name` holds secret values, by the rule above.
    public static func isSecret(_ name: String) -> Bool {
        let words = words(of: name)
        guard let last = words.last, !descriptorWords.contains(last) else { return false }
        for word in words {
            if secretWords.contains(word) { return true }
            for stem in secretStems where word.hasPrefix(stem) || word.hasSuffix(stem) { return true }
        }
        return false
    }

    /// The name's words, lowercased: split at non-alphanumerics and at lowercase-to-uppercase changes.
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in name {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            if character.isUppercase && previousWasLower && !current.isEmpty {
                words.append(current)
                current = ""
            }
            current += character.lowercased()
            previousWasLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
