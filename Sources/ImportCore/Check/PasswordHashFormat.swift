/// Checks that a `password_hash` has the string form WorkOS expects for its `password_hash_type`
/// (contract §6), so a wrong export fails in a dry run instead of at a user's first sign-in.
///
/// Every type is checked in full by a hand-written matcher (no regular expressions: this runs for every
/// row), with the same rules the emulator's `PasswordHashRules` applies, so a rehearsal cannot accept a
/// hash the dry run refuses or the reverse (a shared table test runs the same cases through both):
/// - bcrypt: modular crypt, `$2a$`/`$2b$`/`$2x$`/`$2y$`, a cost from 04 to 31, 53 characters of `./A-Za-z0-9`;
/// - argon2: the PHC string `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` (or `argon2i`, `argon2d`), the
///   version included, within WorkOS's documented ranges (``Argon2Limits``);
/// - firebase-scrypt: the form WorkOS's own importer builds, URL-safe base64 rewritten to standard;
/// - scrypt: WorkOS's documented `$scrypt$v=1$n=<N>,r=…,p=…,kl=…$<salt>$<hash>` (base64 without padding,
///   `kl` the hash's byte length); passlib's `$scrypt$ln=…` is rewritten into it;
/// - pbkdf2: WorkOS's documented `$pbkdf2$i=<iterations>,d=sha256|sha512$<salt>$<hash>`, sha256 with 600,000
///   to 1,000,000 iterations, sha512 with 210,000 to 1,000,000; passlib's `$pbkdf2-sha256$…` and Django's
///   `pbkdf2_sha256$…` are rewritten into it when they are in range;
/// - ssha and ssha256: LDAP `{SSHA}` / `{SSHA256}` (the prefix optional) and base64 holding the digest
///   (20 or 32 bytes) and at least one byte of salt.
///
/// Common exports in another form that cannot be rewritten losslessly (`argon2$argon2id$…`, `bcrypt$$2b$…`)
/// get a reason that says what form is expected; a hash outside WorkOS's ranges gets a reason that names
/// the range. Reasons never include the hash itself.
enum PasswordHashFormat {
    /// The verdict on one hash.
    enum Verdict: Equatable {
        /// The hash has the expected form.
        case valid
        /// The hash is fine once rewritten, and the rewritten string is what is sent: a firebase-scrypt hash
        /// in URL-safe base64 in standard base64 (as WorkOS's own importer does), a passlib or Django scrypt
        /// or pbkdf2 hash in WorkOS's documented PHC form, padded base64 without its padding.
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
        case .scrypt: return checkScrypt(bytes)
        case .pbkdf2: return checkPBKDF2(bytes)
        case .ssha: return checkLDAP(bytes, prefix: "{SSHA}", other: "{SSHA256}", type: type, digestBytes: 20)
        case .ssha256: return checkLDAP(bytes, prefix: "{SSHA256}", other: "{SSHA}", type: type, digestBytes: 32)
        }
    }

    // MARK: - bcrypt

    private static let bcryptShape =
        "is not a bcrypt hash: expected 60 characters like $2b$10$ followed by 53 characters of ./A-Za-z0-9"

    private static func checkBcrypt(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        var cursor = Cursor(bytes: bytes)
        if cursor.take("bcrypt$$2") {
            return .invalid(
                "is in Django's form: drop the leading \"bcrypt$\" so it starts with $2b$ (60 characters)")
        }
        if cursor.take("bcrypt_sha256$") {
            return .invalid(
                "is Django's bcrypt_sha256, a bcrypt of a SHA-256 digest, which WorkOS cannot check as bcrypt")
        }
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
        if cursor.take("argon2$argon2") {
            return .invalid("is in Django's form: drop the leading \"argon2\" so it starts with $argon2id$v=19$")
        }
        guard cursor.take("$argon2") else { return .invalid(argon2Shape) }
        let variant: String
        if cursor.take("id$") {
            variant = "argon2id"
        } else if cursor.take("i$") {
            variant = "argon2i"
        } else if cursor.take("d$") {
            variant = "argon2d"
        } else {
            return .invalid(argon2Shape)
        }
        guard cursor.take("v=") else {
            return .invalid("is not an argon2 hash WorkOS accepts: it lacks the version; expected $argon2id$v=19$m=…")
        }
        guard let version = cursor.number(), cursor.take("$"), cursor.take("m="), let memory = cursor.number(),
            cursor.take(",t="), let time = cursor.number(), cursor.take(",p="), let lanes = cursor.number(),
            cursor.take("$"), cursor.base64(padding: true), cursor.take("$"), cursor.base64(padding: true),
            cursor.atEnd
        else { return .invalid(argon2Shape) }
        if let problem = Argon2Limits.problem(
            variant: variant, version: version, memory: memory, time: time, lanes: lanes)
        {
            return .invalid(problem)
        }
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

    // MARK: - scrypt

    private static let scryptShape =
        "is not a scrypt hash: expected $scrypt$v=1$n=<N>,r=<block size>,p=<parallelism>,kl=<key length>$<salt>"
        + "$<hash> with base64 salt and hash (passlib's $scrypt$ln=<log2 N>,r=…,p=…$<salt>$<hash> is rewritten)"

    /// WorkOS's documented form, `$scrypt$v=1$n=…,r=…,p=…,kl=…$<salt>$<hash>`, or passlib's
    /// `$scrypt$ln=…,r=…,p=…$<salt>$<hash>`, which says the same with N as its log and is rewritten
    /// (`n = 2^ln`, `kl` the hash's byte length, base64 without padding).
    private static func checkScrypt(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        var cursor = Cursor(bytes: bytes)
        guard cursor.take("$scrypt$") else { return .invalid(scryptShape) }
        if cursor.take("ln=") {
            guard let log = cursor.number(), cursor.take(",r="), let blockSize = cursor.number(), cursor.take(",p="),
                let parallelism = cursor.number(), cursor.take("$")
            else { return .invalid(scryptShape) }
            guard let salt = cursor.phcBase64(adapted: true), cursor.take("$"),
                let hash = cursor.phcBase64(adapted: true), cursor.atEnd
            else { return .invalid(scryptShape) }
            guard (1...62).contains(log) else {
                return .invalid("is not a scrypt hash WorkOS accepts: ln=\(log) must be between 1 and 62 (N = 2^ln)")
            }
            if let problem = ScryptLimits.problem(blockSize: blockSize, parallelism: parallelism) {
                return .invalid(problem)
            }
            return .normalized(
                "$scrypt$v=1$n=\(1 << log),r=\(blockSize),p=\(parallelism),kl=\(hash.bytes)$\(salt.text)$\(hash.text)")
        }
        guard cursor.take("v=") else { return .invalid(scryptShape) }
        guard let version = cursor.number(), cursor.take("$n="), let cost = cursor.number(), cursor.take(",r="),
            let blockSize = cursor.number(), cursor.take(",p="), let parallelism = cursor.number(),
            cursor.take(",kl="), let keyLength = cursor.number(), cursor.take("$")
        else { return .invalid(scryptShape) }
        let saltStart = cursor.index
        guard let salt = cursor.phcBase64(adapted: false), cursor.take("$") else { return .invalid(scryptShape) }
        guard let hash = cursor.phcBase64(adapted: false), cursor.atEnd else { return .invalid(scryptShape) }
        if let problem = ScryptLimits.problem(
            version: version, cost: cost, blockSize: blockSize, parallelism: parallelism, keyLength: keyLength,
            hashBytes: hash.bytes)
        {
            return .invalid(problem)
        }
        guard salt.rewritten || hash.rewritten else { return .valid }
        let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<saltStart]), as: UTF8.self)
        return .normalized(head + salt.text + "$" + hash.text)
    }

    // MARK: - pbkdf2

    private static let pbkdf2Shape =
        "is not a pbkdf2 hash: expected $pbkdf2$i=<iterations>,d=<sha256 or sha512>$<salt>$<hash> with base64 "
        + "salt and hash (passlib's $pbkdf2-sha256$<iterations>$… and Django's pbkdf2_sha256$<iterations>$… are "
        + "rewritten)"

    /// WorkOS's documented form, `$pbkdf2$i=…,d=sha256|sha512$<salt>$<hash>`; passlib's
    /// `$pbkdf2-sha256$<iterations>$<salt>$<hash>` (adapted base64, `.` for `+`) and Django's
    /// `pbkdf2_sha256$<iterations>$<salt>$<hash>` (the salt as text) are rewritten into it. Either way the
    /// digest and iterations must be in WorkOS's range.
    private static func checkPBKDF2(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        var cursor = Cursor(bytes: bytes)
        if cursor.take("pbkdf2_") { return checkDjangoPBKDF2(&cursor) }
        guard cursor.take("$pbkdf2") else { return .invalid(pbkdf2Shape) }
        if cursor.take("$i=") {
            guard let iterations = cursor.number(), cursor.take(",d="), let digest = cursor.word(), cursor.take("$")
            else { return .invalid(pbkdf2Shape) }
            let saltStart = cursor.index
            guard let salt = cursor.phcBase64(adapted: false), cursor.take("$"),
                let hash = cursor.phcBase64(adapted: false), cursor.atEnd
            else { return .invalid(pbkdf2Shape) }
            if let problem = PBKDF2Limits.problem(digest: digest, iterations: iterations) { return .invalid(problem) }
            guard salt.rewritten || hash.rewritten else { return .valid }
            let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<saltStart]), as: UTF8.self)
            return .normalized(head + salt.text + "$" + hash.text)
        }
        // passlib: $pbkdf2$ is SHA-1, $pbkdf2-sha1$, $pbkdf2-sha256$, $pbkdf2-sha512$.
        let digest: String
        if cursor.take("$") {
            digest = "sha1"
        } else if cursor.take("-"), let word = cursor.word(), cursor.take("$") {
            digest = word
        } else {
            return .invalid(pbkdf2Shape)
        }
        guard let iterations = cursor.number(), cursor.take("$"), let salt = cursor.phcBase64(adapted: true),
            cursor.take("$"), let hash = cursor.phcBase64(adapted: true), cursor.atEnd
        else { return .invalid(pbkdf2Shape) }
        if let problem = PBKDF2Limits.problem(digest: digest, iterations: iterations) { return .invalid(problem) }
        return .normalized("$pbkdf2$i=\(iterations),d=\(digest)$\(salt.text)$\(hash.text)")
    }

    /// Django's `pbkdf2_<digest>$<iterations>$<salt>$<base64 hash>`, the salt being text used as its bytes.
    private static func checkDjangoPBKDF2(_ cursor: inout Cursor) -> Verdict {
        guard let digest = cursor.word(), cursor.take("$"), let iterations = cursor.number(), cursor.take("$"),
            let saltText = cursor.djangoSalt(), cursor.take("$"), let hash = cursor.phcBase64(adapted: false),
            cursor.atEnd
        else { return .invalid(pbkdf2Shape) }
        if let problem = PBKDF2Limits.problem(digest: digest, iterations: iterations) { return .invalid(problem) }
        let salt = PHCBase64.encode(Array(saltText.utf8))
        return .normalized("$pbkdf2$i=\(iterations),d=\(digest)$\(salt)$\(hash.text)")
    }

    // MARK: - ssha, ssha256

    private static func checkLDAP(
        _ bytes: UnsafeBufferPointer<UInt8>, prefix: StaticString, other: StaticString, type: PasswordHashType,
        digestBytes: Int
    ) -> Verdict {
        let digest = type == .ssha ? "20-byte SHA-1 digest" : "32-byte SHA-256 digest"
        var cursor = Cursor(bytes: bytes)
        if !cursor.take(prefix) && cursor.take(other) {
            return .invalid(
                "has the \(other) prefix, which is not \(type.rawValue); check password_hash_type")
        }
        guard let decoded = cursor.strictBase64(), cursor.atEnd else {
            return .invalid(
                "is not an \(type.rawValue) hash: expected \(prefix) followed by the base64 of the \(digest) and "
                    + "the salt")
        }
        guard decoded > digestBytes else {
            return .invalid(
                "is too short for an \(type.rawValue) hash: its base64 holds \(decoded) bytes, but the \(digest) "
                    + "and a salt need at least \(digestBytes + 1)")
        }
        return .valid
    }

    // MARK: - Matching helpers

    private static let dollar = UInt8(ascii: "$")
    fileprivate static let zero = UInt8(ascii: "0")

    fileprivate static func isDigit(_ byte: UInt8) -> Bool {
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

        /// Consumes one or more decimal digits and returns their value, or `nil` when there are none or
        /// the value does not fit an `Int` (the emulator reads numbers the same way).
        mutating func number() -> Int? {
            let start = index
            var value = 0
            while index < bytes.count && PasswordHashFormat.isDigit(bytes[index]) {
                let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(Int(bytes[index] - PasswordHashFormat.zero))
                index += 1
                guard !overflowTimes && !overflowSum else {
                    while index < bytes.count && PasswordHashFormat.isDigit(bytes[index]) { index += 1 }
                    return nil
                }
                value = sum
            }
            return index > start ? value : nil
        }

        /// Consumes one or more lowercase letters and digits (a digest name such as `sha256`).
        mutating func word() -> String? {
            let start = index
            while index < bytes.count
                && (PasswordHashFormat.isDigit(bytes[index])
                    || (bytes[index] >= UInt8(ascii: "a") && bytes[index] <= UInt8(ascii: "z")))
            {
                index += 1
            }
            guard index > start else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        /// Consumes a Django salt: one or more printable ASCII characters other than `$`.
        mutating func djangoSalt() -> String? {
            let start = index
            while index < bytes.count && bytes[index] > 0x20 && bytes[index] < 0x7F && bytes[index] != UInt8(ascii: "$")
            {
                index += 1
            }
            guard index > start else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        /// Consumes base64 as PHC strings carry it and returns it as WorkOS's documented forms want it:
        /// standard alphabet, no `=` padding. With `adapted`, passlib's `.` stands for `+`. `nil` when it is
        /// not base64 that decodes cleanly (at most two `=` completing a group of four, no dangling character).
        mutating func phcBase64(adapted: Bool) -> PHCBase64? {
            let start = index
            var sawDot = false
            while index < bytes.count {
                let byte = bytes[index]
                if PasswordHashFormat.isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") {
                    index += 1
                } else if adapted && byte == UInt8(ascii: ".") {
                    sawDot = true
                    index += 1
                } else {
                    break
                }
            }
            let data = index - start
            var padding = 0
            while index < bytes.count && bytes[index] == UInt8(ascii: "=") && padding < 2 {
                padding += 1
                index += 1
            }
            guard data > 0, data % 4 != 1, padding == 0 || (data + padding) % 4 == 0 else { return nil }
            var text = Array(UnsafeBufferPointer(rebasing: bytes[start..<(start + data)]))
            if sawDot {
                for position in text.indices where text[position] == UInt8(ascii: ".") {
                    text[position] = UInt8(ascii: "+")
                }
            }
            return PHCBase64(
                text: String(decoding: text, as: UTF8.self), bytes: data * 3 / 4, rewritten: sawDot || padding > 0)
        }

        /// Consumes one or more decimal digits.
        mutating func digits() -> Bool {
            let start = index
            while index < bytes.count && PasswordHashFormat.isDigit(bytes[index]) { index += 1 }
            return index > start
        }

        /// Consumes one or more characters of the alphabets pbkdf2 exports use: base64 (standard, URL-safe
        /// or passlib's `.`), padding, or hex.
        mutating func looseBase64() -> Bool {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                guard PasswordHashFormat.isAlphanumeric(byte) || Self.looseSymbols.contains(byte) else { break }
                index += 1
            }
            return index > start
        }

        private static let looseSymbols: [UInt8] = Array("+/._-=".utf8)

        /// Consumes the rest as standard base64 that decodes cleanly (optional `=` padding, no impossible
        /// length) and returns how many bytes it holds, or `nil` when it is not such base64.
        mutating func strictBase64() -> Int? {
            var data = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard PasswordHashFormat.isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
                else { break }
                data += 1
                index += 1
            }
            var padding = 0
            while index < bytes.count && bytes[index] == UInt8(ascii: "=") && padding < 2 {
                padding += 1
                index += 1
            }
            guard data > 0, data % 4 != 1, padding == 0 || (data + padding) % 4 == 0 else { return nil }
            return data * 3 / 4
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
