/// A Firebase project's password hash parameters, which every exported hash needs to be checked.
///
/// `firebase auth:export` writes each user's hash and salt but not the project's signer key, salt
/// separator, rounds and memory cost; the console shows them as a `hash_config { … }` block. Without them
/// no hash can be verified, so a block that is missing a value or has a wrong one is fatal, before any
/// user is converted. The values are secrets: they go into the converted file's hashes (where WorkOS
/// needs them) and nowhere else.
public struct FirebaseHashConfig: Sendable, Equatable {
    /// The project's base64 signer key, in standard base64.
    public var signerKey: String
    /// The base64 salt separator, in standard base64.
    public var saltSeparator: String
    /// scrypt rounds (1 to 8 in Firebase).
    public var rounds: Int
    /// scrypt memory cost (1 to 14 in Firebase).
    public var memoryCost: Int

    /// Checks and keeps the four values; base64 may be URL-safe.
    public init(signerKey: String, saltSeparator: String, rounds: Int, memoryCost: Int) throws(ConvertError) {
        guard let key = Base64Text.standard(signerKey), !key.isEmpty else {
            throw .badHashConfig("the signer key is not base64")
        }
        guard let separator = Base64Text.standard(saltSeparator) else {
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
    }

    /// Reads the block as the console shows it:
    /// `hash_config { algorithm: SCRYPT, base64_signer_key: …, base64_salt_separator: …, rounds: 8, mem_cost: 14, }`.
    ///
    /// Keys may come in any order, separated by commas or line breaks; quotes around values are allowed.
    public init(block text: String) throws(ConvertError) {
        var body = Substring(text)
        if let open = body.firstIndex(of: "{") {
            body = body[body.index(after: open)...]
            if let close = body.lastIndex(of: "}") { body = body[..<close] }
        }
        var values: [String: String] = [:]
        for entry in body.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == "\r" }) {
            guard let colon = entry.firstIndex(of: ":") else {
                if entry.allSatisfy(\.isWhitespace) { continue }
                throw .badHashConfig("the line \"\(entry.trimmingBlanks)\" has no \"key: value\"")
            }
            let key = entry[..<colon].trimmingBlanks.lowercased()
            var value = entry[entry.index(after: colon)...].trimmingBlanks
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = String(value.dropFirst().dropLast())
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
    /// or `nil` when either is not base64.
    public func passwordHash(hash: String, salt: String) -> String? {
        guard let hash = Base64Text.standard(hash), !hash.isEmpty, let salt = Base64Text.standard(salt) else {
            return nil
        }
        return
            "$firebase-scrypt$hash=\(hash)$salt=\(salt)$sk=\(signerKey)$ss=\(saltSeparator)$r=\(rounds)$m=\(memoryCost)"
    }
}

/// Base64 text in either alphabet, rewritten to the standard one.
enum Base64Text {
    /// `text` with `-` and `_` turned into `+` and `/`, or `nil` when it is not base64 in either alphabet
    /// (letters, digits, one of the two pairs, and up to two `=` at the end).
    static func standard(_ text: String) -> String? {
        var output = [UInt8]()
        output.reserveCapacity(text.utf8.count)
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                guard padding == 0 else { return nil }
                output.append(byte)
            case UInt8(ascii: "-"):
                guard padding == 0 else { return nil }
                output.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"):
                guard padding == 0 else { return nil }
                output.append(UInt8(ascii: "/"))
            case UInt8(ascii: "="):
                padding += 1
                guard padding <= 2 else { return nil }
                output.append(byte)
            default:
                return nil
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmingBlanks: String {
        let blanks: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !blanks($0) }), let last = lastIndex(where: { !blanks($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
