#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What WorkOS's OpenAPI spec allows a request to send, compiled once from ``specJSON`` (made by
/// `scripts/extract-request-schemas.py`): the spec's operations, and for each operation the emulator
/// serves, its query parameters and its body schema.
///
/// Strict mode (``EmulatorConfiguration/strict``) checks every API request against these rules and records
/// each problem as a ``RequestViolation``, so a test fails when its client sends what WorkOS would refuse.
struct RequestRules: Sendable {
    /// One thing wrong with a request.
    struct Problem: Sendable, Equatable {
        /// What is wrong, in the emulator's usual words (`"Unknown field 'x'. Remove it from the request body."`).
        var message: String
        /// Whether WorkOS refuses it with `422 invalid_request_parameters` before anything else; false for
        /// problems a route answers with its own code (`invalid_metadata`, the password-field conflicts) and
        /// for unknown query parameters, whose answer WorkOS does not document.
        var refuses: Bool

        init(_ message: String, refuses: Bool) {
            self.message = message
            self.refuses = refuses
        }
    }

    /// One query parameter of an operation.
    struct QueryParameter: Sendable {
        /// The value's schema (an array's elements are checked one by one).
        let check: SchemaCheck
        /// Whether the request must send it.
        let required: Bool
        /// An array sent as one comma-separated value (`statuses=active,inactive`); sending the name again
        /// for each element is accepted too.
        let commaSeparated: Bool
    }

    /// What one operation accepts.
    struct Operation: Sendable {
        /// The spec's path template, for messages (`/user_management/users/{id}`).
        let template: String
        /// Its query parameters by name.
        let query: [String: QueryParameter]
        /// The body's schema; nil when the operation takes no body.
        let body: SchemaCheck?
        /// Whether a body must be sent.
        let bodyRequired: Bool
    }

    /// The name a body has in messages about the body as a whole.
    static let bodyName = "The request body"

    /// Routes the emulator serves that WorkOS documents outside the spec file, each with where it is
    /// documented, keyed `"METHOD /path/{param}"`. Their requests are not checked (there is no schema to
    /// check them against) and are not violations. The routes test lists the same routes by name.
    static let documentedOutsideTheSpec: [String: String] = [
        "POST /connections": "WorkOS API reference, SSO: Create a Connection (the SDKs' create_connection)"
    ]

    /// The rules of the spec the emulator was built with, compiled on first use.
    static let spec = RequestRules(json: specJSON)

    /// Operations the emulator serves, by ``key(method:path:)``.
    let operations: [String: Operation]
    /// Every operation of the spec, by ``key(method:path:)``, to its path template.
    let specOperations: [String: String]

    /// Compiles the extracted JSON; a file that does not parse gives no rules (every request a violation),
    /// which the test comparing it with the spec reports.
    init(json: String) {
        let root = (try? JSONValue.decode(Data(json.utf8))) ?? .null
        let components = root["components"]?.objectValue ?? [:]
        var specOperations: [String: String] = [:]
        for name in root["spec_operations"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            specOperations[Self.key(method: parts[0], path: parts[1])] = parts[1]
        }
        var operations: [String: Operation] = [:]
        for (name, described) in root["operations"]?.objectValue ?? [:] {
            let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            var query: [String: QueryParameter] = [:]
            for (parameter, entry) in described["query"]?.objectValue ?? [:] {
                query[parameter] = QueryParameter(
                    check: SchemaCheck(entry["schema"] ?? .object([:]), components: components),
                    required: entry["required"] == .bool(true),
                    commaSeparated: entry["comma_separated"] == .bool(true))
            }
            operations[Self.key(method: parts[0], path: parts[1])] = Operation(
                template: parts[1], query: query,
                body: described["body"].map { SchemaCheck($0, components: components) },
                bodyRequired: described["body_required"] == .bool(true))
        }
        self.operations = operations
        self.specOperations = specOperations
    }

    /// `"METHOD /a/{}/b"`: the method and the path with every parameter segment (`{id}` or `:id`) blanked,
    /// so the spec's templates and the router's match whatever their parameters are called.
    static func key(method: String, path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            segment.hasPrefix("{") || segment.hasPrefix(":") ? "{}" : String(segment)
        }
        return method.uppercased() + " /" + segments.joined(separator: "/")
    }

    /// Whether the spec has `method` on `path` (a template, with parameters as `{name}` or `:name`), or
    /// WorkOS documents it elsewhere.
    func isSpecOperation(method: String, path: String) -> Bool {
        let key = Self.key(method: method, path: path)
        return specOperations[key] != nil || Self.isDocumentedOutsideTheSpec(key)
    }

    /// Whether `key` is one of ``documentedOutsideTheSpec``.
    private static func isDocumentedOutsideTheSpec(_ key: String) -> Bool {
        documentedOutsideTheSpec.keys.contains { name in
            let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
            return parts.count == 2 && Self.key(method: parts[0], path: parts[1]) == key
        }
    }

    /// The problems of a request to the route `path` (the router's template): query parameters as
    /// decoded, and the body as parsed (nil when none was sent).
    func problems(method: String, path: String, query: [String: [String]], body: JSONValue?) -> [Problem] {
        let key = Self.key(method: method, path: path)
        if Self.isDocumentedOutsideTheSpec(key) { return [] }
        guard let operation = operations[key] else {
            let reason =
                specOperations[key] != nil
                ? "The emulator has no request rules for this operation; add it to scripts/extract-request-schemas.py."
                : "WorkOS's API has no \(method.uppercased()) \(path) (it is not in the spec)."
            return [Problem(reason, refuses: false)]
        }
        var found: [Problem] = []
        for name in query.keys.sorted() {
            guard let parameter = operation.query[name] else {
                found.append(Problem("Unknown query parameter '\(name)'.", refuses: false))
                continue
            }
            let values = query[name] ?? []
            if parameter.check.types == ["array"] {
                let elements =
                    parameter.commaSeparated
                    ? values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                    : values
                let item = parameter.check.items
                for element in elements {
                    found += item.map { $0.problems(Self.queryValue(element, for: $0), at: name) } ?? []
                }
            } else {
                if values.count > 1 {
                    found.append(Problem("Query parameter '\(name)' is sent \(values.count) times.", refuses: false))
                }
                for value in values {
                    found += parameter.check.problems(Self.queryValue(value, for: parameter.check), at: name)
                }
            }
        }
        for (name, parameter) in operation.query where parameter.required && query[name] == nil {
            found.append(Problem("Query parameter '\(name)' is required.", refuses: true))
        }
        switch (operation.body, body) {
        case (nil, nil):
            break
        case (nil, _?):
            found.append(Problem("This operation takes no request body.", refuses: false))
        case (let schema?, nil):
            if operation.bodyRequired {
                found.append(Problem("\(Self.bodyName) is required.", refuses: false))
            }
            found += schema.problems(.object([:]), at: Self.bodyName)
        case (let schema?, let value?):
            found += schema.problems(value, at: Self.bodyName)
        }
        return found
    }

    /// A query value as the JSON value its schema expects: a number for an integer or number parameter
    /// when it reads as one, `true`/`false` for a boolean, else the text (which then fails the type check).
    private static func queryValue(_ text: String, for check: SchemaCheck) -> JSONValue {
        let types = check.types ?? ["string"]
        if types.contains("integer") || types.contains("number"), let number = Double(text), number.isFinite {
            return .number(number)
        }
        if types.contains("boolean"), text == "true" || text == "false" {
            return .bool(text == "true")
        }
        return .string(text)
    }
}
