/// A JSON request body checked against the fields an operation accepts.
///
/// Unknown fields and wrong types are the API's `422 invalid_request_parameters`; the accessors
/// throw exactly that, naming the field, so each route reads like its schema.
struct RequestBody {
    /// The body's members.
    let fields: [String: JSONValue]

    /// Wraps a parsed body, refusing anything but an object and any field outside `allowed`.
    init(_ body: JSONValue?, allowed: Set<String>) throws(APIError) {
        switch body {
        case .none:
            fields = [:]
        case .object(let object)?:
            fields = object
        case .some:
            throw .invalidParameters("The request body must be a JSON object.")
        }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalidParameters("Unknown field '\(unknown)'. Remove it from the request body.")
        }
    }

    /// Whether the field was sent at all (even as `null`).
    func has(_ key: String) -> Bool {
        fields[key] != nil
    }

    /// Whether the field was sent with a non-null value.
    func hasValue(_ key: String) -> Bool {
        if let value = fields[key], value != .null { return true }
        return false
    }

    /// A string field; nil when absent or `null` (and `null` allowed).
    func string(_ key: String, nullable: Bool = true) throws(APIError) -> String? {
        switch fields[key] {
        case .none: return nil
        case .null?:
            if nullable { return nil }
            throw .invalidParameters("\(key) must be a string.")
        case .string(let value)?: return value
        case .some: throw .invalidParameters("\(key) must be a string.")
        }
    }

    /// A required, non-null string field.
    func requiredString(_ key: String) throws(APIError) -> String {
        guard let value = try string(key, nullable: false) else {
            throw .invalidParameters("\(key) is required.")
        }
        return value
    }

    /// A boolean field; nil when absent or `null` (and `null` allowed).
    func bool(_ key: String, nullable: Bool = true) throws(APIError) -> Bool? {
        switch fields[key] {
        case .none: return nil
        case .null?:
            if nullable { return nil }
            throw .invalidParameters("\(key) must be a boolean.")
        case .bool(let value)?: return value
        case .some: throw .invalidParameters("\(key) must be a boolean.")
        }
    }

    /// An array-of-strings field; nil when absent or `null`.
    func stringArray(_ key: String) throws(APIError) -> [String]? {
        switch fields[key] {
        case .none, .null?: return nil
        case .array(let values)?:
            var strings: [String] = []
            for value in values {
                guard case .string(let text) = value else {
                    throw .invalidParameters("\(key) must be an array of strings.")
                }
                strings.append(text)
            }
            return strings
        case .some: throw .invalidParameters("\(key) must be an array of strings.")
        }
    }

    /// A value that must be one of `allowed`; nil when absent.
    func enumeration(_ key: String, allowed: [String]) throws(APIError) -> String? {
        guard let value = try string(key, nullable: false) else { return nil }
        guard allowed.contains(value) else {
            throw .invalidParameters("\(key) must be one of: \(allowed.joined(separator: ", ")).")
        }
        return value
    }
}
