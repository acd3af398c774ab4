/// A small JSON parser for one thing: a flat object of metadata, as found in a CSV cell.
///
/// A general JSON library would build a tree of boxed values for every row; this reads the bytes once
/// and produces the string-to-string map WorkOS wants directly. Numbers and booleans become their text
/// (`42`, `true`) and are reported so the row gets one warning; `null` values are reported and left out;
/// objects and arrays as values are an error, which also keeps the parser free of recursion.
struct MetadataParser {
    /// What was parsed.
    struct Output {
        /// The metadata to send, every value a string.
        var values: [String: String]
        /// Keys whose number or boolean value was turned into a string, in file order.
        var coercedKeys: [String] = []
        /// Keys whose value was `null` and which were left out, in file order.
        var nullKeys: [String] = []
        /// Whether any key or value has a non-ASCII character.
        var hasNonASCII = false
    }

    /// Why the cell is not usable metadata. Messages complete the sentence "metadata ...".
    enum Failure: Error, Equatable {
        /// Not JSON at all; `detail` says where and what.
        case invalidJSON(detail: String)
        /// Valid JSON, but not an object; `found` names what it is.
        case notAnObject(found: String)
        /// A value is an object or an array.
        case nestedValue(key: String, found: String)
        /// The same key appears twice.
        case duplicateKey(String)
        /// A key is the empty string.
        case emptyKey

        /// The kind of problem without the row's own values, for grouping failures in the summary.
        var reason: String {
            switch self {
            case .invalidJSON: "metadata is invalid JSON"
            case .notAnObject: "metadata is not a JSON object"
            case .nestedValue: "metadata has a value that is not a string, number or boolean"
            case .duplicateKey: "metadata has a key more than once"
            case .emptyKey: "metadata has an empty key"
            }
        }

        var message: String {
            switch self {
            case .invalidJSON(let detail):
                return "metadata is invalid JSON (\(detail)); write a JSON object like {\"plan\":\"pro\"}"
            case .notAnObject(let found):
                return "metadata must be a JSON object like {\"plan\":\"pro\"}, not \(found)"
            case .nestedValue(let key, let found):
                return "metadata value for \(DisplayText.quoted(key, limit: 40)) is \(found); values must be "
                    + "strings, numbers or booleans"
            case .duplicateKey(let key):
                return "metadata has the key \(DisplayText.quoted(key, limit: 40)) more than once"
            case .emptyKey:
                return "metadata has an empty key"
            }
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses `text`, which must hold one JSON object and nothing else but whitespace.
    static func parse(_ text: String) throws(Failure) -> Output {
        var text = text
        let result: Result<Output, Failure> = text.withUTF8 { bytes in
            var parser = MetadataParser(bytes: bytes)
            do throws(Failure) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private mutating func parseDocument() throws(Failure) -> Output {
        skipWhitespace()
        guard index < bytes.count else { throw .invalidJSON(detail: "it is empty") }
        guard bytes[index] == UInt8(ascii: "{") else {
            if let kind = try valueKindAhead() { throw .notAnObject(found: kind) }
            throw invalid("expected \"{\"")
        }
        index += 1
        var output = Output(values: [String: String](minimumCapacity: 4))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            try expectEnd()
            return output
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw invalid("expected a key in double quotes") }
            let key = try parseString(&output.hasNonASCII)
            if key.isEmpty { throw .emptyKey }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw invalid("expected \":\" after a key") }
            index += 1
            skipWhitespace()
            guard let first = peek() else { throw invalid("expected a value") }
            let value: String?
            var coerced = true
            switch first {
            case UInt8(ascii: "\""):
                value = try parseString(&output.hasNonASCII)
                coerced = false
            case UInt8(ascii: "{"):
                throw .nestedValue(key: key, found: "an object")
            case UInt8(ascii: "["):
                throw .nestedValue(key: key, found: "an array")
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = "true"
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = "false"
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = nil
            default:
                value = try parseNumber()
            }
            if output.values[key] != nil || (!output.nullKeys.isEmpty && output.nullKeys.contains(key)) {
                throw .duplicateKey(key)
            }
            if let value {
                output.values[key] = value
                if coerced { output.coercedKeys.append(key) }
            } else {
                output.nullKeys.append(key)
            }
            skipWhitespace()
            guard let separator = peek() else { throw invalid("the object is not closed with \"}\"") }
            index += 1
            if separator == UInt8(ascii: "}") { break }
            if separator != UInt8(ascii: ",") {
                index -= 1
                throw invalid("expected \",\" or \"}\"")
            }
        }
        try expectEnd()
        return output
    }

    // MARK: - Pieces

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
            index += 1
        }
    }

    private mutating func expectEnd() throws(Failure) {
        skipWhitespace()
        if index < bytes.count { throw invalid("unexpected text after the closing \"}\"") }
    }

    private func invalid(_ what: String) -> Failure {
        .invalidJSON(detail: "\(what) at character \(index + 1)")
    }

    /// Names the JSON value starting at `index`, for the "not an object" message.
    private mutating func valueKindAhead() throws(Failure) -> String? {
        switch bytes[index] {
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""):
            var ignored = false
            _ = try parseString(&ignored)
            try expectEnd()
            return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            try expectLiteral(bytes[index] == UInt8(ascii: "t") ? "true" : "false")
            try expectEnd()
            return "a boolean"
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            try expectEnd()
            return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try parseNumber()
            try expectEnd()
            return "a number"
        default:
            return nil
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw invalid("unexpected end") }
        let expected = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw invalid("unexpected character")
        }
        index += count
    }

    /// A JSON number; returns its text as written.
    private mutating func parseNumber() throws(Failure) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw invalid("unexpected character") }
        index += 1
        if first != UInt8(ascii: "0") {
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let byte = peek(), isDigit(byte) else { throw invalid("expected a digit after \".\"") }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let byte = peek(), isDigit(byte) else { throw invalid("expected a digit in the exponent") }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// A JSON string starting at the opening quote; decodes escapes.
    private mutating func parseString(_ hasNonASCII: inout Bool) throws(Failure) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw invalid("a control character inside a string") }
            if byte >= 0x80 { hasNonASCII = true }
            index += 1
        }
        guard index < bytes.count else { throw invalid("a string is not closed") }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            }
            if byte < 0x20 { throw invalid("a control character inside a string") }
            if byte >= 0x80 { hasNonASCII = true }
            if byte != UInt8(ascii: "\\") {
                scalars.append(byte)
                index += 1
                continue
            }
            index += 1
            let decoded: Unicode.Scalar
            do throws(JSONEscape.Failure) {
                decoded = try JSONEscape.decode {
                    guard index < bytes.count else { return nil }
                    defer { index += 1 }
                    return bytes[index]
                }
            } catch {
                switch error {
                case .endOfInput: throw invalid("a string is not closed")
                case .shortUnicode: throw invalid("a short \\u escape")
                case .badUnicode: throw invalid("a bad \\u escape")
                case .unpairedSurrogate: throw invalid("an unpaired surrogate in a \\u escape")
                case .notLowSurrogate: throw invalid("an unpaired surrogate")
                case .unknown(let escape): throw invalid("an unknown escape \\\(Character(Unicode.Scalar(escape)))")
                }
            }
            if decoded.value >= 0x80 { hasNonASCII = true }
            scalars.append(contentsOf: String(Character(decoded)).utf8)
        }
        throw invalid("a string is not closed")
    }
}
