/// The email rule WorkOS applies, done on bytes because it runs once per row.
///
/// The spec gives `email` as `format: email`, and WorkOS's API applies that the way a NestJS API does:
/// class-validator's `isEmail`, which is validator.js's `isEmail` with its default options. A looser
/// check here let addresses such as `a..b@example.com` or `a@example.c` pass a dry run and then fail
/// at the API, so this rule reproduces those defaults exactly:
/// - at most 254 characters in all (counted in UTF-16 code units, as JavaScript counts), at most 64
///   UTF-8 bytes before the last `@` and 254 after it;
/// - no display name or angle brackets, no IP address as the domain;
/// - the part before the `@` is either dot-separated atoms (letters, digits, ``!#$%&'*+-/=?^_`{|}~``
///   and most non-ASCII characters; no empty atom, so no leading, trailing or doubled dot) or one
///   quoted string;
/// - the domain has at least two labels of at most 63 characters, each made of letters, digits,
///   hyphens and non-ASCII characters, no underscore, no full-width forms, not starting or ending with a
///   hyphen; the last label (the top-level domain) is at least two letters, or `xn--` punycode.
///
/// Plus-addresses (`a+tag@example.com`) and international domains (`user@bücher.de`) pass. The same
/// rules are implemented, independently, by the emulator's `EmailAddress`; a shared table test proves
/// the two agree. Each reason completes the sentence `email "…" is not a valid address (…)`.
enum EmailRule {
    /// The longest address accepted, in UTF-16 code units (validator.js counts JavaScript characters).
    static let maximumLength = 254
    /// The longest part before the `@`, in UTF-8 bytes.
    static let maximumLocalPartBytes = 64
    /// The longest domain, in UTF-8 bytes.
    static let maximumDomainBytes = 254
    /// The longest label of the domain, in UTF-16 code units.
    static let maximumLabelLength = 63

    /// Why `email` (already trimmed and non-empty) is not an address WorkOS accepts, or `nil` when it is.
    static func problem(with email: String) -> String? {
        var email = email
        return email.withUTF8 { check($0) }
    }

    /// The same check on the address's UTF-8 bytes (already trimmed, non-empty and valid UTF-8).
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if isPlainValid(bytes) { return nil }
        let count = bytes.count
        var lastAt = -1
        var atCount = 0
        for index in 0..<count where bytes[index] == at {
            lastAt = index
            atCount += 1
        }
        if lastAt < 0 { return "it has no \"@\"" }
        if startsWithMailto(bytes) { return "it starts with \"mailto:\"; give only the address" }
        if bytes[0] == UInt8(ascii: "<") || bytes[count - 1] == UInt8(ascii: ">") {
            return "it has angle brackets; give only the address, without a name or <>"
        }
        if lastAt == 0 { return "nothing comes before the \"@\"" }
        if lastAt == count - 1 { return "nothing comes after the \"@\"" }
        guard let base = bytes.baseAddress else { return "it has no \"@\"" }
        let local = UnsafeBufferPointer(start: base, count: lastAt)
        let domain = UnsafeBufferPointer(start: base + lastAt + 1, count: count - lastAt - 1)
        let quoted = local[0] == quote && local[local.count - 1] == quote
        if atCount > 1 && !quoted { return "it contains more than one \"@\"" }
        if count > maximumLength && utf16Length(bytes) > maximumLength {
            return "it is longer than \(maximumLength) characters"
        }
        if local.count > maximumLocalPartBytes {
            return "the part before the \"@\" is longer than \(maximumLocalPartBytes) bytes"
        }
        if domain.count > maximumDomainBytes { return "its domain is longer than \(maximumDomainBytes) bytes" }
        if let reason = quoted ? quotedLocalPartProblem(local) : localPartProblem(local) { return reason }
        return domainProblem(domain)
    }

    // MARK: - The common case

    /// Whether `bytes` is an ordinary ASCII address that certainly passes every rule, decided in one
    /// pass: dot-separated atoms, one `@`, labels of letters, digits and inner hyphens, and a top-level
    /// domain of letters, all within the length limits. Anything else (quoted parts, non-ASCII, punycode,
    /// any mistake) answers `false`, and the full check decides and explains. This keeps the check cheap
    /// for the rows that make up nearly every file.
    @inline(__always)
    private static func isPlainValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count <= maximumLength else { return false }
        var index = 0
        var previousWasDot = true
        while index < count {
            let byte = bytes[index]
            if byte == at { break }
            if byte == dot {
                if previousWasDot { return false }
                previousWasDot = true
            } else {
                guard isAtomASCII(byte) else { return false }
                previousWasDot = false
            }
            index += 1
        }
        guard index > 0, index < count, index <= maximumLocalPartBytes, !previousWasDot else { return false }
        index += 1
        var labelStart = index
        var labels = 0
        var lettersOnly = true
        var previous = dot
        while index < count {
            let byte = bytes[index]
            if byte == dot {
                let length = index - labelStart
                guard length > 0, length <= maximumLabelLength, previous != hyphen else { return false }
                labels += 1
                labelStart = index + 1
                lettersOnly = true
            } else if !isLetter(byte) {
                guard (byte >= zero && byte <= nine) || (byte == hyphen && previous != dot) else { return false }
                lettersOnly = false
            }
            previous = byte
            index += 1
        }
        let topLength = count - labelStart
        return labels > 0 && lettersOnly && topLength >= 2 && topLength <= maximumLabelLength
    }

    // MARK: - Before the "@"

    /// Dot-separated atoms: validator.js's `emailUserUtf8Part` for each piece between dots.
    private static func localPartProblem(_ local: UnsafeBufferPointer<UInt8>) -> String? {
        if local[0] == dot { return "it starts with a dot" }
        if local[local.count - 1] == dot { return "a dot comes right before the \"@\"" }
        var index = 0
        var previousWasDot = false
        while index < local.count {
            let byte = local[index]
            if byte == dot {
                if previousWasDot { return "two dots in a row before the \"@\"" }
                previousWasDot = true
                index += 1
                continue
            }
            previousWasDot = false
            if byte < 0x80 {
                guard isAtomASCII(byte) else { return asciiProblem(byte, place: "the part before the \"@\"") }
                index += 1
            } else {
                let (scalar, length) = decode(local, at: index)
                guard isLocalNonASCII(scalar) else {
                    return nonASCIIProblem(scalar, place: "the part before the \"@\"")
                }
                index += length
            }
        }
        return nil
    }

    /// A quoted local part (`"…"@example.com`): validator.js's `quotedEmailUserUtf8` for what is inside.
    private static func quotedLocalPartProblem(_ local: UnsafeBufferPointer<UInt8>) -> String? {
        let end = local.count - 1
        var index = 1
        while index < end {
            let byte = local[index]
            if byte == backslash {
                guard index + 1 < end else {
                    return "its quoted part before the \"@\" ends with a backslash that escapes nothing"
                }
                let next = local[index + 1]
                if next < 0x80 {
                    guard next != 0x00, next != 0x0A else { return "it contains a control character" }
                    index += 2
                } else {
                    let (scalar, length) = decode(local, at: index + 1)
                    guard isQuotedNonASCII(scalar) else {
                        return nonASCIIProblem(scalar, place: "its quoted part before the \"@\"")
                    }
                    index += 1 + length
                }
            } else if byte < 0x80 {
                if byte == quote { return "its quoted part before the \"@\" has a \" that is not escaped with \\" }
                if byte == 0x00 { return "it contains a control character" }
                index += 1
            } else {
                let (scalar, length) = decode(local, at: index)
                guard isQuotedNonASCII(scalar) else {
                    return nonASCIIProblem(scalar, place: "its quoted part before the \"@\"")
                }
                index += length
            }
        }
        return nil
    }

    // MARK: - The domain

    /// validator.js's `isFQDN` with `require_tld`, and without underscores, numeric top-level domains,
    /// a trailing dot or wildcards.
    private static func domainProblem(_ domain: UnsafeBufferPointer<UInt8>) -> String? {
        if domain[domain.count - 1] == dot { return "its domain ends with a dot" }
        var lastDot = -1
        for index in 0..<domain.count where domain[index] == dot { lastDot = index }
        if lastDot < 0 { return "its domain has no dot" }
        var start = 0
        for index in 0...domain.count where index == domain.count || domain[index] == dot {
            if index == start { return "its domain has an empty part (a leading or doubled dot)" }
            if let reason = labelProblem(domain, start, index) { return reason }
            start = index + 1
        }
        return topLevelDomainProblem(domain, lastDot + 1, domain.count)
    }

    /// One label: validator.js's `/^[a-z_\u00a1-\uffff0-9-]+$/i`, then no full-width forms, no hyphen at
    /// either end, no underscore, at most 63 characters.
    private static func labelProblem(_ domain: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String? {
        var index = start
        var units = 0
        while index < end {
            let byte = domain[index]
            if byte < 0x80 {
                if byte == UInt8(ascii: "_") { return "its domain contains an underscore" }
                guard isAlphanumeric(byte) || byte == hyphen else { return asciiProblem(byte, place: "its domain") }
                units += 1
                index += 1
            } else {
                let (scalar, length) = decode(domain, at: index)
                if scalar < 0xA1 { return nonASCIIProblem(scalar, place: "its domain") }
                if (0xFF01...0xFF5E).contains(scalar) {
                    return "its domain contains full-width characters; write them in their normal width"
                }
                units += scalar >= 0x10000 ? 2 : 1
                index += length
            }
        }
        if units > maximumLabelLength {
            return "a part of its domain is longer than \(maximumLabelLength) characters"
        }
        if domain[start] == hyphen || domain[end - 1] == hyphen {
            return "a part of its domain starts or ends with a hyphen"
        }
        return nil
    }

    /// The last label: at least two letters (ASCII or most non-ASCII), or `xn--` punycode; no spaces.
    private static func topLevelDomainProblem(_ domain: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
        -> String?
    {
        guard let base = domain.baseAddress else { return nil }
        let label = UnsafeBufferPointer(start: base + start, count: end - start)
        var text: String { DisplayText.quoted(String(decoding: label, as: UTF8.self), limit: 20) }
        if label.count >= 4, label[0] | 0x20 == UInt8(ascii: "x"), label[1] | 0x20 == UInt8(ascii: "n"),
            label[2...].allSatisfy({ isAlphanumeric($0) || $0 == hyphen })
        {
            return nil
        }
        var letters = 0
        var index = 0
        while index < label.count {
            let byte = label[index]
            if byte < 0x80 {
                guard isLetter(byte) else {
                    if label.allSatisfy({ $0 >= zero && $0 <= nine }) {
                        return "its domain ends in a number; WorkOS needs a domain name like example.com, "
                            + "not an IP address"
                    }
                    return "its top-level domain \(text) may only hold letters"
                }
                index += 1
            } else {
                let (scalar, length) = decode(label, at: index)
                if isWhitespace(scalar) { return "it contains a space" }
                guard isTopLevelNonASCII(scalar) else {
                    return "its top-level domain \(text) may only hold letters"
                }
                index += length
            }
            letters += 1
        }
        if letters < 2 {
            return "its top-level domain \(text) is shorter than 2 letters"
        }
        return nil
    }

    // MARK: - Character classes

    private static let at = UInt8(ascii: "@")
    private static let dot = UInt8(ascii: ".")
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let hyphen = UInt8(ascii: "-")
    private static let zero = UInt8(ascii: "0")
    private static let nine = UInt8(ascii: "9")

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= zero && byte <= nine)
    }

    /// ASCII characters of an unquoted local part, besides the dot: letters, digits and
    /// ``!#$%&'*+-/=?^_`{|}~``.
    @inline(__always)
    private static func isAtomASCII(_ byte: UInt8) -> Bool {
        // One bit per ASCII character: bits 0-63 in the first mask, 64-127 in the second.
        byte < 64
            ? (0xA3FF_ACFA_0000_0000 as UInt64) >> byte & 1 == 1
            : byte < 128 && (0x7FFF_FFFF_C7FF_FFFE as UInt64) >> (byte - 64) & 1 == 1
    }

    /// Non-ASCII characters of an unquoted local part: U+00A1–U+D7FF, U+F900–U+FDCF, U+FDF0–U+FFEF.
    private static func isLocalNonASCII(_ scalar: UInt32) -> Bool {
        (0xA1...0xD7FF).contains(scalar) || (0xF900...0xFDCF).contains(scalar) || (0xFDF0...0xFFEF).contains(scalar)
    }

    /// Non-ASCII characters inside a quoted local part, escaped or not: as unquoted, plus U+00A0.
    private static func isQuotedNonASCII(_ scalar: UInt32) -> Bool {
        scalar == 0xA0 || isLocalNonASCII(scalar)
    }

    /// Non-ASCII characters of a top-level domain: U+00A1–U+00A8, U+00AA–U+D7FF, U+F900–U+FDCF,
    /// U+FDF0–U+FFEF (the other rules then exclude spaces and full-width forms).
    private static func isTopLevelNonASCII(_ scalar: UInt32) -> Bool {
        scalar != 0xA9 && isLocalNonASCII(scalar)
    }

    /// JavaScript's `\s` beyond ASCII.
    private static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }

    // MARK: - Reasons

    private static func asciiProblem(_ byte: UInt8, place: String) -> String {
        if byte == 0x20 || byte == 0x09 { return "it contains a space" }
        if byte < 0x20 || byte == 0x7F { return "it contains a control character" }
        let character = byte == quote ? "'\"'" : "\"" + String(UnicodeScalar(byte)) + "\""
        return "\(place) contains \(character)"
    }

    private static func nonASCIIProblem(_ scalar: UInt32, place: String) -> String {
        if isWhitespace(scalar) { return "it contains a space" }
        if scalar < 0xA0 { return "it contains a control character" }
        let hex = String(scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return "\(place) contains the character \(code), which WorkOS does not accept there"
    }

    // MARK: - Bytes

    /// Whether the address starts with `mailto:` in any case.
    private static func startsWithMailto(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let prefix: StaticString = "mailto:"
        let count = prefix.utf8CodeUnitCount
        guard bytes.count > count else { return false }
        let expected = prefix.utf8Start
        for offset in 0..<count where bytes[offset] | 0x20 != expected[offset] | 0x20 { return false }
        return true
    }

    /// The scalar starting at `index` of valid UTF-8, and how many bytes it takes.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[index])
        if lead < 0xE0 {
            return ((lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2)
        }
        if lead < 0xF0 {
            return ((lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
        }
        return (
            (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
                | UInt32(bytes[index + 3] & 0x3F), 4
        )
    }

    /// The length JavaScript gives the text: one unit per scalar, two for those above U+FFFF.
    private static func utf16Length(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var units = 0
        for byte in bytes where byte & 0xC0 != 0x80 { units += byte >= 0xF0 ? 2 : 1 }
        return units
    }
}
