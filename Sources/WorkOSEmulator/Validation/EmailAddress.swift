/// Email rules the emulator applies: what WorkOS accepts as an address and how addresses compare.
///
/// WorkOS's spec gives `email` as `format: email`, which its NestJS API checks with class-validator's
/// `isEmail`, i.e. validator.js's `isEmail` with default options. ``isValid(_:)`` follows those rules
/// (see the contract §5), so a rehearsal refuses the same addresses WorkOS does. The importer has its
/// own implementation of the same rules, on bytes; a shared table test keeps the two equal.
enum EmailAddress {
    /// The comparison form: trimmed and lowercased. WorkOS treats addresses as unique ignoring case.
    static func normalized(_ email: String) -> String {
        trimmed(email).lowercased()
    }

    /// The stored form: surrounding whitespace removed, case kept.
    static func trimmed(_ email: String) -> String {
        var scalars = Substring(email).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Whether WorkOS accepts `email`: validator.js `isEmail` with its defaults (no display name,
    /// UTF-8 local part allowed, a top-level domain required, no IP domain, no underscores, length limits).
    ///
    /// Works on Unicode scalars, not characters, so a combining mark after `@` or `.` cannot hide it.
    static func isValid(_ email: String) -> Bool {
        let scalars = email.unicodeScalars
        guard email.utf16.count <= 254, let at = scalars.lastIndex(of: "@") else { return false }
        let local = scalars[..<at]
        let domain = scalars[scalars.index(after: at)...]
        guard utf8Count(local) <= 64, utf8Count(domain) <= 254, isDomain(domain) else { return false }
        if local.first == "\"", local.last == "\"" {
            return isQuotedContent(local.dropFirst().dropLast())
        }
        return local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy(isAtomScalar)
        }
    }

    /// validator.js `isFQDN` with `require_tld` and no underscores, numeric top-level domains, trailing
    /// dot or wildcard.
    private static func isDomain(_ domain: Scalars) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last else { return false }
        let punycode =
            top.count >= 4 && top.first.map { $0 == "x" || $0 == "X" } == true
            && top.dropFirst().first.map { $0 == "n" || $0 == "N" } == true
            && top.dropFirst(2).allSatisfy { isASCIIAlphanumeric($0) || $0 == "-" }
        let letters = top.count >= 2 && top.allSatisfy(isTopLevelScalar)
        guard punycode || letters, !top.contains(where: isJavaScriptSpace) else { return false }
        return labels.allSatisfy { label in
            guard !label.isEmpty, utf16Count(label) <= 63 else { return false }
            guard label.first != "-", label.last != "-" else { return false }
            return label.allSatisfy { scalar in
                if scalar.isASCII { return isASCIIAlphanumeric(scalar) || scalar == "-" }
                return scalar.value >= 0xA1 && !(0xFF01...0xFF5E).contains(scalar.value)
            }
        }
    }

    /// A run of an address's Unicode scalars.
    private typealias Scalars = Substring.UnicodeScalarView

    private static func utf8Count(_ scalars: Scalars) -> Int {
        scalars.reduce(0) { $0 + UTF8.width($1) }
    }

    private static func utf16Count(_ scalars: Scalars) -> Int {
        scalars.reduce(0) { $0 + UTF16.width($1) }
    }

    /// The inside of a quoted local part: printable and most control ASCII except `"` and `\`, which
    /// need a backslash; non-ASCII from U+00A0 outside the surrogate, private-use and non-character ranges.
    private static func isQuotedContent(_ scalars: Scalars) -> Bool {
        var iterator = scalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\\" {
                guard let escaped = iterator.next() else { return false }
                if escaped.isASCII {
                    guard escaped.value != 0, escaped != "\n" else { return false }
                } else if !isQuotedNonASCII(escaped) {
                    return false
                }
            } else if scalar.isASCII {
                guard scalar.value != 0, scalar != "\"" else { return false }
            } else if !isQuotedNonASCII(scalar) {
                return false
            }
        }
        return true
    }

    /// A character of an unquoted local part besides the dot.
    private static func isAtomScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return isASCIIAlphanumeric(scalar) || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
        }
        return isLocalNonASCII(scalar)
    }

    private static func isLocalNonASCII(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (0xA1...0xD7FF).contains(value) || (0xF900...0xFDCF).contains(value) || (0xFDF0...0xFFEF).contains(value)
    }

    private static func isQuotedNonASCII(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0xA0 || isLocalNonASCII(scalar)
    }

    /// A letter of a top-level domain: ASCII letters, and non-ASCII as in a local part except U+00A9.
    private static func isTopLevelScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        return scalar.value != 0xA9 && isLocalNonASCII(scalar)
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// JavaScript's `\s`.
    private static func isJavaScriptSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }
}
