#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A JSON document as a value: what request bodies decode into and what responses are built from.
///
/// Request bodies decode into this instead of into fixed `Codable` types because the API's validation needs
/// what a fixed type loses: a missing field is not `null`, `1` is not `true`, and an unknown field is
/// reported by name. Foundation's `JSONDecoder` reads it, trying each JSON type in turn; a boolean never
/// decodes as a number or the other way round.
enum JSONValue: Sendable, Equatable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// Any JSON number; integers survive the round trip while they fit in a `Double` exactly.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; the emulator's encoder writes keys in sorted order so output is deterministic.
    case object([String: JSONValue])

    /// Decodes a whole JSON document with Foundation's `JSONDecoder`, which alone lets a trailing comma
    /// (`{"a":1,}`) through; RFC 8259 and the API refuse one, and so does this.
    static func decode(_ data: Data) throws -> JSONValue {
        if hasTrailingComma(data) {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "A trailing comma."))
        }
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Whether a `,` outside strings is followed, after whitespace, by `}` or `]`.
    private static func hasTrailingComma(_ data: Data) -> Bool {
        var inString = false
        var escaped = false
        var afterComma = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if afterComma { return true }
            case UInt8(ascii: "\""): inString = true
            default: break
            }
            afterComma = byte == UInt8(ascii: ",")
        }
        return false
    }

    /// Decodes whichever JSON type the input holds.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Strings first, then objects: most members of a request body are strings and the body itself is an
        // object, so a body decodes with few failed attempts. A boolean never decodes as a number, nor a
        // number as a boolean.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    /// Encodes the value; whole numbers are written without a fraction.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }

    /// The string payload, or nil when this is not a string.
    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object payload, or nil when this is not an object.
    var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The array payload, or nil when this is not an array.
    var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// Looks up a key when this is an object.
    subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// A string or `null`.
    static func optionalString(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }
}
