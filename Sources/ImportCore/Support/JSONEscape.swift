/// The one decoder of JSON string escapes (`\n`, `\"`, `\u00e9`, surrogate pairs), shared by the metadata
/// cell parser and the streaming reader of provider exports, so both read the same text as the same string.
///
/// Each reader keeps its own way of fetching bytes and its own messages; this decides what an escape
/// means and why it is refused.
enum JSONEscape {
    /// Why an escape is not valid JSON.
    enum Failure: Error, Equatable {
        /// The input ends right after the backslash.
        case endOfInput
        /// The input ends inside the four hex digits of a `\u` escape.
        case shortUnicode
        /// A `\u` escape has a character that is not a hex digit.
        case badUnicode
        /// A high surrogate is not followed by a `\u` escape, or a low surrogate comes alone.
        case unpairedSurrogate
        /// A high surrogate is followed by a `\u` escape that is not a low surrogate.
        case notLowSurrogate
        /// The byte after the backslash starts no escape.
        case unknown(UInt8)
    }

    /// Decodes one escape whose backslash was just read: `next` returns the following bytes one by one,
    /// `nil` at the end of the input. Returns the character the escape stands for.
    static func decode(next: () -> UInt8?) throws(Failure) -> Unicode.Scalar {
        guard let escape = next() else { throw .endOfInput }
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(escape)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): break
        default: throw .unknown(escape)
        }
        var value = try hex4(next)
        if (0xD800..<0xDC00).contains(value) {
            // A high surrogate must be followed by an escaped low one; together they are one scalar.
            guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else { throw .unpairedSurrogate }
            let low = try hex4(next)
            guard (0xDC00..<0xE000).contains(low) else { throw .notLowSurrogate }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(value) {
            throw .unpairedSurrogate
        }
        // Surrogates are handled above, and four hex digits (or a pair) never pass U+10FFFF.
        guard let scalar = Unicode.Scalar(value) else { throw .badUnicode }
        return scalar
    }

    /// Four hex digits: all four are read before any is judged, so input that ends within them is
    /// `shortUnicode` whatever came before the end.
    private static func hex4(_ next: () -> UInt8?) throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        var bad = false
        for _ in 0..<4 {
            guard let byte = next() else { throw .shortUnicode }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
            default: bad = true
            }
        }
        if bad { throw .badUnicode }
        return value
    }
}
