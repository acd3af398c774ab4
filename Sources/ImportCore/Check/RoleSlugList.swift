/// Reads a `role_slugs` cell: `admin,billing`, `admin, billing` or `["admin","billing"]`.
enum RoleSlugList {
    /// Why a cell is not a list of slugs: the message names the slug, the reason does not.
    struct Problem: Error, Equatable {
        var message: String
        var reason: String
    }

    /// The slugs in the order written, without repeats; empty for `[]`.
    static func parse(_ text: String) -> Result<[String], Problem> {
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
        for item in items {
            guard !item.isEmpty else {
                return .failure(
                    Problem(
                        message: "has an empty slug; separate slugs with single commas", reason: "has an empty slug"))
            }
            guard item.utf8.allSatisfy(isSlugByte) else {
                return .failure(
                    Problem(
                        message: "\(DisplayText.quoted(item, limit: 40)) is not a role slug (lower-case letters, "
                            + "digits, - and _)", reason: "is not a list of role slugs"))
            }
            if !slugs.contains(item) { slugs.append(item) }
        }
        return .success(slugs)
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
enum TOTPSecret {
    /// 16 characters are 80 bits, the shortest secret authenticator apps commonly issue.
    static let minimumLength = 16

    /// The secret upper-cased, without spaces, hyphens or `=` padding; nil when it is not Base32 or too short.
    static func normalized(_ text: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var padding = false
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x2D: continue
            case UInt8(ascii: "="):
                padding = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard !padding else { return nil }
                out.append(byte - 0x20)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "2")...UInt8(ascii: "7"):
                guard !padding else { return nil }
                out.append(byte)
            default:
                return nil
            }
        }
        // A Base32 text's length leaves 0, 2, 4, 5 or 7 characters in its last group of eight.
        guard out.count >= minimumLength, [0, 2, 4, 5, 7].contains(out.count % 8) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }
}
