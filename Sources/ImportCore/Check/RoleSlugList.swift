/// Reads a `role_slugs` cell: `admin,billing`, `admin, billing` or `["admin","billing"]`.
///
/// Slugs are lower case at WorkOS, so `Admin` is read as `admin`, and an empty entry (`auditor ,`, a trailing
/// comma from a spreadsheet) is left out; either way the row goes on and ``Parsed/normalized`` says so, for a
/// warning. Anything else that is not a slug (`admin billing`, `admin;member`) fails the row.
enum RoleSlugList {
    /// Why a cell is not a list of slugs: the message names the slug, the reason does not.
    struct Problem: Error, Equatable {
        var message: String
        var reason: String
    }

    /// A cell read as slugs.
    struct Parsed: Equatable {
        /// The slugs in the order written, lower-cased, without repeats or empty entries.
        var slugs: [String]
        /// Whether the cell had to be changed to get them (upper-case letters, empty entries).
        var normalized: Bool
    }

    /// The slugs in the order written, without repeats; empty for `[]`.
    static func parse(_ text: String) -> Result<Parsed, Problem> {
        let items: [String]
        if text.hasPrefix("[") {
            guard let array = jsonArray(text) else {
                return .failure(
                    Problem(
                        message: "starts with [ but is not a JSON array of strings, such as [\"admin\",\"billing\"]",
                        reason: "is not a JSON array of strings"))
            }
            items = array
        } else {
            items = text.split(separator: ",", omittingEmptySubsequences: false).map { CellText.trim(String($0)) }
        }
        var slugs: [String] = []
        var normalized = false
        for item in items {
            guard !item.isEmpty else {
                normalized = true
                continue
            }
            let lowered = String(decoding: item.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            guard lowered.utf8.allSatisfy(isSlugByte) else {
                return .failure(
                    Problem(
                        message: "\(DisplayText.quoted(item, limit: 40)) is not a role slug (lower-case letters, "
                            + "digits, - and _)", reason: "is not a list of role slugs"))
            }
            if lowered != item { normalized = true }
            if !slugs.contains(lowered) { slugs.append(lowered) }
        }
        if slugs.isEmpty && !items.isEmpty && normalized {
            return .failure(
                Problem(
                    message: "has only empty entries; give slugs separated by commas, or leave the cell blank",
                    reason: "has only empty entries"))
        }
        return .success(Parsed(slugs: slugs, normalized: normalized))
    }

    private static func isSlugByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
    }

    /// A JSON array of plain strings (no escapes needed in slugs), or nil.
    private static func jsonArray(_ text: String) -> [String]? {
        var bytes = Substring(text).utf8[...]
        func skipSpace() { while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() } }
        guard bytes.first == UInt8(ascii: "[") else { return nil }
        bytes = bytes.dropFirst()
        var items: [String] = []
        skipSpace()
        if bytes.first == UInt8(ascii: "]") {
            bytes = bytes.dropFirst()
            skipSpace()
            return bytes.isEmpty ? [] : nil
        }
        while true {
            skipSpace()
            guard bytes.first == UInt8(ascii: "\"") else { return nil }
            bytes = bytes.dropFirst()
            guard let close = bytes.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            let item = bytes[..<close]
            if item.contains(UInt8(ascii: "\\")) { return nil }
            items.append(CellText.trim(String(decoding: item, as: UTF8.self)))
            bytes = bytes[bytes.index(after: close)...]
            skipSpace()
            guard let next = bytes.first else { return nil }
            bytes = bytes.dropFirst()
            if next == UInt8(ascii: "]") { break }
            guard next == UInt8(ascii: ",") else { return nil }
        }
        skipSpace()
        return bytes.isEmpty ? items : nil
    }
}

/// TOTP secrets as WorkOS takes them: Base32 (RFC 4648), SHA-1, 6 digits, 30 s (contract §4.5).
///
/// The rule, after spaces and hyphens are dropped, case is ignored and `=` padding at the end is taken off:
/// - only the Base32 letters A-Z and digits 2-7;
/// - at least ``minimumLength`` characters;
/// - a length that whole bytes encode to. Base32 writes 5 bytes as 8 characters, and 1, 2, 3 or 4 bytes
///   left over as 2, 4, 5 or 7, so a length of a multiple of 8 plus 1, 3 or 6 (17, 19, 22, 25, 27, 30…)
///   is no secret's: it was cut or copied with a character too many, and a strict decoder refuses it. The
///   codes it would give (if a lenient decoder took it) could not match the user's app.
enum TOTPSecret {
    /// 16 characters are 80 bits, the shortest secret authenticator apps commonly issue.
    static let minimumLength = 16

    /// What Base32 leaves in the last group of eight characters for 0 to 4 bytes left over.
    static let validRemainders: Set<Int> = [0, 2, 4, 5, 7]

    /// Why a secret is refused: the message and the reason never hold the secret.
    struct Problem: Error, Equatable {
        var message: String
        var reason: String
    }

    /// The secret upper-cased, without spaces, hyphens or `=` padding; nil when it breaks the rule.
    static func normalized(_ text: String) -> String? {
        try? read(text).get()
    }

    /// The secret upper-cased, without spaces, hyphens or `=` padding, or which part of the rule it breaks.
    static func read(_ text: String) -> Result<String, Problem> {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var padding = false
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x2D: continue
            case UInt8(ascii: "="):
                padding = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "2")...UInt8(ascii: "7"):
                guard !padding else {
                    return .failure(
                        Problem(
                            message: "totp_secret has = padding before its end; padding only ends Base32 text",
                            reason: "totp_secret is not Base32"))
                }
                out.append(byte >= UInt8(ascii: "a") ? byte - 0x20 : byte)
            default:
                return .failure(
                    Problem(
                        message:
                            "totp_secret is not a Base32 secret: it may hold only letters A-Z and digits 2-7 (spaces, "
                            + "hyphens and = padding at the end are ignored)", reason: "totp_secret is not Base32"))
            }
        }
        guard out.count >= minimumLength else {
            return .failure(
                Problem(
                    message: "totp_secret has \(out.count) Base32 characters; at least \(minimumLength) are needed "
                        + "(80 bits, the shortest secret authenticator apps issue)",
                    reason: "totp_secret is shorter than \(minimumLength) characters"))
        }
        guard validRemainders.contains(out.count % 8) else {
            return .failure(
                Problem(
                    message: "totp_secret has \(out.count) Base32 characters, a length no secret has: Base32 "
                        + "writes whole bytes as a multiple of 8 characters, or 2, 4, 5 or 7 more (16, 18, 20, 21, 23, "
                        + "24, 26, 28, 29, 31, 32…); check that it was copied whole",
                    reason: "totp_secret has a length no Base32 secret has"))
        }
        return .success(String(decoding: out, as: UTF8.self))
    }
}
