/// A Firebase project's password hash parameters, which every exported hash needs to be checked.
///
/// `firebase auth:export` writes each user's hash and salt but not the project's signer key, salt
/// separator, rounds and memory cost; the console shows them as a `hash_config { … }` block. Without them
/// no hash can be verified, so a block that is missing a value or has a wrong one is fatal, before any
/// user is converted. The values are secrets: they go into the converted file's hashes (where WorkOS
/// needs them) and nowhere else.
public struct FirebaseHashConfig: Sendable, Equatable {
    /// The project's base64 signer key, in standard base64.
    public private(set) var signerKey: String
    /// The base64 salt separator, in standard base64.
    public private(set) var saltSeparator: String
    /// scrypt rounds (1 to 8 in Firebase).
    public private(set) var rounds: Int
    /// scrypt memory cost (1 to 14 in Firebase).
    public private(set) var memoryCost: Int
    /// The end of every user's firebase-scrypt string, `$sk=…$ss=…$r=…$m=…`, made once.
    private var suffix: [UInt8] = []

    /// Checks and keeps the four values; base64 may be URL-safe.
    ///
    /// An empty value is refused like a missing one: with an empty salt separator no user's hash could be
    /// carried, and converting every user without a password would be the wrong outcome for a typo.
    public init(signerKey: String, saltSeparator: String, rounds: Int, memoryCost: Int) throws(ConvertError) {
        guard !signerKey.trimmingBlanks.isEmpty else { throw .badHashConfig("base64_signer_key has no value") }
        guard !saltSeparator.trimmingBlanks.isEmpty else {
            throw .badHashConfig("base64_salt_separator has no value (Firebase's default is Bw==)")
        }
        guard let key = Base64Text.standard(signerKey), key.utf8.first != UInt8(ascii: "=") else {
            throw .badHashConfig("the signer key is not base64")
        }
        guard let separator = Base64Text.standard(saltSeparator), separator.utf8.first != UInt8(ascii: "=") else {
            throw .badHashConfig("the salt separator is not base64")
        }
        guard (1...8).contains(rounds) else { throw .badHashConfig("rounds is \(rounds), and Firebase uses 1 to 8") }
        guard (1...14).contains(memoryCost) else {
            throw .badHashConfig("mem_cost is \(memoryCost), and Firebase uses 1 to 14")
        }
        self.signerKey = key
        self.saltSeparator = separator
        self.rounds = rounds
        self.memoryCost = memoryCost
        suffix = Array("$sk=\(key)$ss=\(separator)$r=\(rounds)$m=\(memoryCost)".utf8)
    }

    /// Reads the block as the console shows it:
    /// `hash_config { algorithm: SCRYPT, base64_signer_key: …, base64_salt_separator: …, rounds: 8, mem_cost: 14, }`.
    ///
    /// Keys may come in any order, separated by commas or line breaks (LF or CRLF); quotes around values
    /// are allowed. A key given twice is refused rather than one value silently chosen.
    public init(block text: String) throws(ConvertError) {
        var body = Substring(text)
        if let open = body.firstIndex(of: "{") {
            body = body[body.index(after: open)...]
            if let close = body.lastIndex(of: "}") { body = body[..<close] }
        }
        var values: [String: String] = [:]
        // "\r\n" is one Character in Swift, so line breaks are found with isNewline, not by comparing.
        for entry in body.split(whereSeparator: { $0 == "," || $0.isNewline }) {
            guard let colon = entry.firstIndex(of: ":") else {
                if entry.allSatisfy(\.isWhitespace) { continue }
                throw .badHashConfig("the line \"\(entry.trimmingBlanks)\" has no \"key: value\"")
            }
            let key = entry[..<colon].trimmingBlanks.lowercased()
            var value = entry[entry.index(after: colon)...].trimmingBlanks
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = String(value.dropFirst().dropLast())
            }
            if values[key] != nil {
                throw .badHashConfig("\(key) is given twice; keep the one line the Firebase console shows")
            }
            values[key] = value
        }
        if let algorithm = values["algorithm"], algorithm.uppercased() != "SCRYPT" {
            throw .badHashConfig(
                "the algorithm is \(algorithm), and only Firebase's SCRYPT has a WorkOS equivalent (firebase-scrypt)")
        }
        guard let key = values["base64_signer_key"] else { throw .badHashConfig("base64_signer_key is missing") }
        guard let separator = values["base64_salt_separator"] else {
            throw .badHashConfig("base64_salt_separator is missing")
        }
        guard let roundsText = values["rounds"], let rounds = Int(roundsText) else {
            throw .badHashConfig("rounds is missing or not a number")
        }
        guard let memoryText = values["mem_cost"], let memory = Int(memoryText) else {
            throw .badHashConfig("mem_cost is missing or not a number")
        }
        try self.init(signerKey: key, saltSeparator: separator, rounds: rounds, memoryCost: memory)
    }

    /// The contract's firebase-scrypt string for one user's hash and salt (both base64, either alphabet),
    /// or `nil` when either is not base64 or holds no base64 letter (empty, or padding alone).
    ///
    /// What it returns is exactly what ``PasswordHashFormat`` accepts as firebase-scrypt, so a converted
    /// hash never fails the dry run; the check itself is not run again for each of a million users, since
    /// every part is known to have its form (a test holds the two to each other).
    public func passwordHash(hash: String, salt: String) -> String? {
        // Each base64 part needs a letter before any padding; the rounds and memory cost are always digits.
        func hasLetter(_ text: String) -> Bool { text.utf8.first.map { $0 != UInt8(ascii: "=") } ?? false }
        guard hasLetter(hash), hasLetter(salt), hasLetter(signerKey), hasLetter(saltSeparator) else { return nil }
        // Written straight into the string's storage: this runs for every user of a large export.
        let prefix: StaticString = "$firebase-scrypt$hash="
        let saltPrefix: StaticString = "$salt="
        let capacity =
            prefix.utf8CodeUnitCount + hash.utf8.count + saltPrefix.utf8CodeUnitCount + salt.utf8.count
            + suffix.count
        var valid = true
        let text = String(unsafeUninitializedCapacity: capacity) { output in
            var count = 0
            func append(_ bytes: UnsafeBufferPointer<UInt8>) {
                UnsafeMutableRawPointer(output.baseAddress! + count).copyMemory(
                    from: bytes.baseAddress!, byteCount: bytes.count)
                count += bytes.count
            }
            append(UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
            let hashStart = count
            guard Base64Text.appendStandard(hash, to: output, at: &count), count > hashStart else {
                valid = false
                return 0
            }
            append(UnsafeBufferPointer(start: saltPrefix.utf8Start, count: saltPrefix.utf8CodeUnitCount))
            guard Base64Text.appendStandard(salt, to: output, at: &count) else {
                valid = false
                return 0
            }
            suffix.withUnsafeBufferPointer { append($0) }
            return count
        }
        return valid ? text : nil
    }
}

/// Base64 text in either alphabet, rewritten to the standard one.
enum Base64Text {
    /// `text` with `-` and `_` turned into `+` and `/`, or `nil` when it is not base64 in either alphabet
    /// (letters, digits, one of the two pairs, and up to two `=` at the end).
    static func standard(_ text: String) -> String? {
        var valid = true
        let converted = String(unsafeUninitializedCapacity: text.utf8.count) { output in
            var count = 0
            valid = appendStandard(text, to: output, at: &count)
            return valid ? count : 0
        }
        return valid ? converted : nil
    }

    /// Writes `text` in the standard alphabet into `output` from `count` on (which has room for all of
    /// it) and moves `count` past it; `false` when it is not base64.
    static func appendStandard(
        _ text: String, to output: UnsafeMutableBufferPointer<UInt8>, at count: inout Int
    ) -> Bool {
        var text = text
        let base = output.baseAddress! + count
        let written = text.withUTF8 { bytes -> Int? in
            var padding = 0
            for (offset, byte) in bytes.enumerated() {
                let mapped = standardByte[Int(byte)]
                if mapped == 0 {
                    guard byte == UInt8(ascii: "="), padding < 2 else { return nil }
                    padding += 1
                    base[offset] = byte
                } else {
                    guard padding == 0 else { return nil }
                    base[offset] = mapped
                }
            }
            return bytes.count
        }
        guard let written else { return false }
        count += written
        return true
    }

    /// For each byte, the standard-alphabet byte it stands for (`-` and `_` for `+` and `/`), or 0 for a
    /// byte that is not a base64 letter.
    private static let standardByte: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            return byte
        case UInt8(ascii: "-"): return UInt8(ascii: "+")
        case UInt8(ascii: "_"): return UInt8(ascii: "/")
        default: return 0
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing blanks, by the cells' own rule (``CellText``).
    var trimmingBlanks: String {
        CellText.trim(String(self))
    }
}
