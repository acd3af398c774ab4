/// One JSON value as ``JSONStreamReader`` builds it: small trees, one user record at a time.
///
/// Objects keep their members in file order as an array rather than a dictionary: a user record has a
/// dozen keys, a linear look-up is as fast as hashing, and the order is what the export wrote, which keeps
/// converted metadata deterministic. Numbers keep their text, so `42` and `4.20` survive as written.
public indirect enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as written in the file.
    case number(String)
    /// A string, unescaped.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object's members in file order; a repeated key keeps both members, and look-ups find the first.
    case object([Member])

    /// One key and value of an object.
    public struct Member: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue

        /// A member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// A key this object's members name more than once (the first such), or `nil`; converters skip such a
    /// user, since a look-up would take the first value silently.
    public var repeatedKey: String? {
        guard case .object(let members) = self, members.count > 1 else { return nil }
        var seen: Set<String> = []
        for member in members where !seen.insert(member.key).inserted { return member.key }
        return nil
    }

    /// The value of the first member named `key`, or `nil` when this is not an object or has no such member.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// The value at a dotted path (`org.id`), looked up member by member.
    public func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            current = current?[String(part)]
        }
        return current
    }

    /// The string, or `nil` for any other kind of value.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A boolean; also the strings `"true"` and `"false"`, which some exports write.
    public var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .string("true"): return true
        case .string("false"): return false
        default: return nil
        }
    }

    /// The members of an object, or `nil`.
    public var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// What kind of value this is, for messages ("a number", "an object").
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Compact JSON text for this value, keys in their stored order; used to carry a nested metadata value
    /// as a string, as WorkOS's own importer does.
    public var jsonText: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let text): output += text
        case .string(let text): Self.writeString(text, to: &output)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.key, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
