/// Checks that a `password_hash` has the string form WorkOS expects for its `password_hash_type`
/// (contract §6), so a wrong export fails in a dry run instead of at a user's first sign-in.
///
/// bcrypt, argon2 and firebase-scrypt have documented forms and are checked in full by hand-written
/// matchers (no regular expressions: this runs for every row). The other types' forms are not published,
/// so they only need to be one token of printable ASCII. Reasons never include the hash itself.
enum PasswordHashFormat {
    /// The verdict on one hash.
    enum Verdict: Equatable {
        /// The hash has the expected form.
        case valid
        /// The hash is fine once rewritten: a firebase-scrypt hash in URL-safe base64 is sent in standard
        /// base64, as WorkOS's own importer does.
        case normalized(String)
        /// The hash does not have the expected form; the reason completes "password_hash ...".
        case invalid(String)
    }

    /// Checks `hash` (trimmed, non-empty) against the form for `type`.
    static func check(_ hash: String, as type: PasswordHashType) -> Verdict {
        var hash = hash
        return hash.withUTF8 { check(bytes: $0, as: type) }
    }

    /// The same check on the hash's UTF-8 bytes.
    static func check(bytes: UnsafeBufferPointer<UInt8>, as type: PasswordHashType) -> Verdict {
        switch type {
        case .bcrypt: return checkBcrypt(bytes)
        case .argon2: return checkArgon2(bytes)
        case .firebaseScrypt: return checkFirebaseScrypt(bytes)
        case .ssha, .ssha256, .scrypt, .pbkdf2: return checkToken(bytes, type: type)
        }
    }

    // MARK: - bcrypt

    private static let bcryptShape =
        "is not a bcrypt hash: expected 60 characters like $2b$10$ followed by 53 characters of ./A-Za-z0-9"

    private static func checkBcrypt(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        guard bytes.count == 60, bytes[0] == dollar, bytes[1] == UInt8(ascii: "2"), bytes[3] == dollar,
            bytes[6] == dollar
        else { return .invalid(bcryptShape) }
        switch bytes[2] {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "x"), UInt8(ascii: "y"): break
        default: return .invalid(bcryptShape)
        }
        guard isDigit(bytes[4]), isDigit(bytes[5]) else { return .invalid(bcryptShape) }
        let cost = Int(bytes[4] - zero) * 10 + Int(bytes[5] - zero)
        guard (4...31).contains(cost) else {
            return .invalid("is not a bcrypt hash: its cost must be between 04 and 31")
        }
        for index in 7..<60 where !isBcryptBase64(bytes[index]) { return .invalid(bcryptShape) }
        return .valid
    }

    // MARK: - argon2

    private static let argon2Shape =
        "is not an argon2 hash: expected $argon2id$v=19$m=<memory>,t=<iterations>,p=<lanes>$<salt>$<hash> "
        + "with base64 salt and hash"

    private static func checkArgon2(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        var cursor = Cursor(bytes: bytes)
        guard cursor.take("$argon2") else { return .invalid(argon2Shape) }
        if !cursor.take("id$") && !cursor.take("i$") && !cursor.take("d$") { return .invalid(argon2Shape) }
        if cursor.take("v=") {
            guard cursor.digits(), cursor.take("$") else { return .invalid(argon2Shape) }
        }
        guard cursor.take("m="), cursor.digits(), cursor.take(",t="), cursor.digits(), cursor.take(",p="),
            cursor.digits(), cursor.take("$"), cursor.base64(padding: true), cursor.take("$"),
            cursor.base64(padding: true), cursor.atEnd
        else { return .invalid(argon2Shape) }
        return .valid
    }

    // MARK: - firebase-scrypt

    private static let firebaseShape =
        "is not a firebase-scrypt hash: expected $firebase-scrypt$hash=<base64>$salt=<base64>$sk=<signer key>"
        + "$ss=<salt separator>$r=<rounds>$m=<memory cost>"

    private static func checkFirebaseScrypt(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        var cursor = Cursor(bytes: bytes)
        guard cursor.take("$firebase-scrypt$hash="), cursor.base64(padding: true, urlSafe: true),
            cursor.take("$salt="), cursor.base64(padding: true, urlSafe: true),
            cursor.take("$sk="), cursor.base64(padding: true, urlSafe: true),
            cursor.take("$ss="), cursor.base64(padding: true, urlSafe: true),
            cursor.take("$r="), cursor.digits(), cursor.take("$m="), cursor.digits(), cursor.atEnd
        else { return .invalid(firebaseShape) }
        guard cursor.sawURLSafe else { return .valid }
        // Only the base64 values hold "-" and "_" in URL-safe form; the prefix keeps its hyphen.
        let prefix = "$firebase-scrypt$".utf8.count
        var rewritten = Array(bytes)
        for index in prefix..<rewritten.count {
            if rewritten[index] == UInt8(ascii: "-") { rewritten[index] = UInt8(ascii: "+") }
            if rewritten[index] == UInt8(ascii: "_") { rewritten[index] = UInt8(ascii: "/") }
        }
        return .normalized(String(decoding: rewritten, as: UTF8.self))
    }

    // MARK: - Other types

    private static func checkToken(_ bytes: UnsafeBufferPointer<UInt8>, type: PasswordHashType) -> Verdict {
        for byte in bytes where byte <= 0x20 || byte >= 0x7F {
            return .invalid(
                "is not a \(type.rawValue) hash: it contains spaces or characters outside printable ASCII")
        }
        return .valid
    }

    // MARK: - Matching helpers

    private static let dollar = UInt8(ascii: "$")
    private static let zero = UInt8(ascii: "0")

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= zero && byte <= UInt8(ascii: "9")
    }

    private static func isBcryptBase64(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
    }

    fileprivate static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || isDigit(byte)
    }

    /// Walks a hash string left to right, one expected piece at a time.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var sawURLSafe = false

        var atEnd: Bool { index == bytes.count }

        /// Consumes `literal` if the bytes continue with it.
        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let expected = literal.utf8Start
            for offset in 0..<count where bytes[index + offset] != expected[offset] { return false }
            index += count
            return true
        }

        /// Consumes one or more decimal digits.
        mutating func digits() -> Bool {
            let start = index
            while index < bytes.count && PasswordHashFormat.isDigit(bytes[index]) { index += 1 }
            return index > start
        }

        /// Consumes one or more base64 characters, with optional `=` padding at the end.
        mutating func base64(padding: Bool, urlSafe: Bool = false) -> Bool {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if PasswordHashFormat.isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") {
                    index += 1
                } else if urlSafe && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")) {
                    sawURLSafe = true
                    index += 1
                } else {
                    break
                }
            }
            guard index > start else { return false }
            if padding {
                var pad = 0
                while index < bytes.count && bytes[index] == UInt8(ascii: "=") && pad < 2 {
                    index += 1
                    pad += 1
                }
            }
            return true
        }
    }
}
