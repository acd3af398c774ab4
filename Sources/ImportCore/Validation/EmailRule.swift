/// The plausibility check for email addresses, done on bytes because it runs once per row.
///
/// It is deliberately loose, matching what WorkOS accepts: exactly one `@`, a non-empty local part, a
/// domain with a dot and no empty label, no whitespace or control characters, at most 320 bytes.
/// Non-ASCII letters are allowed (internationalised addresses).
enum EmailRule {
    /// The longest address accepted, in UTF-8 bytes.
    static let maximumBytes = 320

    /// Why `email` (already trimmed and non-empty) is not plausible, or `nil` when it is.
    static func problem(with email: String) -> String? {
        var email = email
        return email.withUTF8 { check($0) }
    }

    /// The same check on the address's UTF-8 bytes (already trimmed and non-empty).
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.count > maximumBytes { return "it is longer than \(maximumBytes) bytes" }
        var atIndex = -1
        var sawNonASCII = false
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte <= 0x20 || byte == 0x7F {
                return byte == 0x20 || byte == 0x09 ? "it contains a space" : "it contains a control character"
            }
            if byte == 0x40 {
                if atIndex >= 0 { return "it contains more than one \"@\"" }
                atIndex = index
            } else if byte >= 0x80 {
                sawNonASCII = true
            }
        }
        if atIndex < 0 { return "it has no \"@\"" }
        if atIndex == 0 { return "nothing comes before the \"@\"" }
        let domainStart = atIndex + 1
        if domainStart == bytes.count { return "nothing comes after the \"@\"" }
        var sawDot = false
        var previousWasDot = true
        for index in domainStart..<bytes.count {
            if bytes[index] == 0x2E {
                if previousWasDot { return "its domain has an empty part (a leading or doubled dot)" }
                sawDot = true
                previousWasDot = true
            } else {
                previousWasDot = false
            }
        }
        if !sawDot { return "its domain has no dot" }
        if previousWasDot { return "its domain ends with a dot" }
        if sawNonASCII, let reason = unicodeProblem(bytes) { return reason }
        return nil
    }

    /// Whitespace, control and invisible format characters outside ASCII.
    private static func unicodeProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars where scalar.value >= 0x80 {
            if scalar.properties.isWhitespace { return "it contains a space" }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator:
                return "it contains an invisible or control character"
            default:
                continue
            }
        }
        return nil
    }
}
