#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One JSON Schema from WorkOS's spec, compiled once into a tree of small checks, so checking a request
/// walks the tree instead of reading the schema again.
///
/// It supports what the spec's request schemas use: `type` (one or a list, `null` for nullable),
/// `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`, `allOf`, `oneOf`, `anyOf`,
/// `not`, `$ref` (inlined when compiled), `maxLength`, `minLength`, `pattern`, `maxProperties`,
/// `propertyNames`, `minimum`, `maximum` and `format: email`. An object whose schema names its fields
/// (and has no `additionalProperties`) refuses any other field, as WorkOS refuses unknown fields.
final class SchemaCheck: Sendable {
    /// The JSON types a value may have; nil allows any.
    let types: Set<String>?
    /// The values allowed by `enum` or `const`; nil allows any.
    let allowed: [JSONValue]?
    /// Checks of named members.
    let properties: [String: SchemaCheck]
    /// Members that must be present.
    let required: [String]
    /// Check of every member not in `properties` (a free-form map such as `metadata`).
    let additional: SchemaCheck?
    /// Every field name this schema and the schemas it combines declare; nil when any field is allowed.
    let knownFields: Set<String>?
    /// Check of every array element.
    let items: SchemaCheck?
    /// Schemas the value must match all of, exactly one of, at least one of, and not.
    let allOf: [SchemaCheck]
    let oneOf: [SchemaCheck]
    let anyOf: [SchemaCheck]
    let not: SchemaCheck?
    /// Bounds on strings (in characters), objects (member count) and numbers.
    let minLength: Int?
    let maxLength: Int?
    let maxProperties: Int?
    let minimum: Double?
    let maximum: Double?
    /// A string's pattern, compiled once.
    let pattern: CompiledPattern?
    /// Check of each member name.
    let propertyNames: SchemaCheck?
    /// `format: email`: a string with one `@`, neither first nor last.
    let isEmail: Bool
    /// How the schema reads in a message when it is one branch of a choice: its fields (`password_hash +
    /// password_hash_type`), its alternatives (`password or password_hash`), or `no …` for a `not`.
    let label: String

    /// Compiles `schema`, inlining the `$ref`s it reaches from `components`. A schema nested deeper than a
    /// few dozen levels (a reference cycle) stops being checked there.
    init(_ schema: JSONValue, components: [String: JSONValue], depth: Int = 0) {
        var object = schema.objectValue ?? [:]
        if let ref = object["$ref"]?.stringValue, depth < 32,
            let target = components[String(ref.split(separator: "/").last ?? "")]?.objectValue
        {
            object.removeValue(forKey: "$ref")
            object.merge(target) { own, _ in own }
        }
        func compile(_ value: JSONValue) -> SchemaCheck {
            SchemaCheck(value, components: components, depth: depth + 1)
        }
        func list(_ key: String) -> [SchemaCheck] {
            depth < 32 ? (object[key]?.arrayValue ?? []).map(compile) : []
        }
        func number(_ key: String) -> Double? {
            if case .number(let value)? = object[key] { return value }
            return nil
        }
        switch object["type"] {
        case .string(let type)?: types = [type]
        case .array(let list)?: types = Set(list.compactMap(\.stringValue))
        default: types = nil
        }
        if let values = object["enum"]?.arrayValue {
            allowed = values
        } else if let value = object["const"] {
            allowed = [value]
        } else {
            allowed = nil
        }
        var properties: [String: SchemaCheck] = [:]
        for (name, value) in object["properties"]?.objectValue ?? [:] where depth < 32 {
            properties[name] = compile(value)
        }
        self.properties = properties
        required = object["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        additional = object["additionalProperties"].flatMap { $0.objectValue == nil || depth >= 32 ? nil : compile($0) }
        items = object["items"].flatMap { depth < 32 ? compile($0) : nil }
        let allOf = list("allOf")
        let oneOf = list("oneOf")
        let anyOf = list("anyOf")
        let not = object["not"].flatMap { depth < 32 ? compile($0) : nil }
        self.allOf = allOf
        self.oneOf = oneOf
        self.anyOf = anyOf
        self.not = not
        minLength = number("minLength").map { Int($0) }
        maxLength = number("maxLength").map { Int($0) }
        maxProperties = number("maxProperties").map { Int($0) }
        minimum = number("minimum")
        maximum = number("maximum")
        pattern = object["pattern"]?.stringValue.flatMap(CompiledPattern.init)
        propertyNames = object["propertyNames"].flatMap { depth < 32 ? compile($0) : nil }
        isEmail = object["format"]?.stringValue == "email"
        var known = Set(properties.keys)
        for branch in allOf + oneOf + anyOf { known.formUnion(branch.knownFields ?? []) }
        let freeForm = object["additionalProperties"] != nil && object["additionalProperties"] != .bool(false)
        knownFields = freeForm || known.isEmpty ? nil : known
        if !properties.isEmpty {
            label = properties.keys.sorted().joined(separator: " + ")
        } else if !anyOf.isEmpty {
            label = anyOf.map(\.label).joined(separator: " or ")
        } else if let not {
            label = "no " + not.label
        } else {
            label = "anything"
        }
    }

    /// What is wrong with `value`, in order; empty when it conforms. `at` names the value in messages
    /// (`"email"`, `"domain_data[0].state"`, or `"The request body"`).
    func problems(_ value: JSONValue, at name: String) -> [RequestRules.Problem] {
        var found: [RequestRules.Problem] = []
        collect(value, at: name, into: &found, refusing: true, checksUnknown: true)
        return found
    }

    /// Whether `value` conforms.
    func accepts(_ value: JSONValue) -> Bool {
        var found: [RequestRules.Problem] = []
        collect(value, at: "", into: &found, refusing: false, checksUnknown: false)
        return found.isEmpty
    }

    /// Adds the problems of `value` to `found`. `refusing` says whether a type, enum or missing-field
    /// problem found here is one WorkOS answers with `422 invalid_request_parameters` before anything
    /// else (false inside a free-form map or a choice of field groups, whose problems the routes answer with
    /// their own codes, such as `invalid_metadata`). `checksUnknown` is false in the branches of a
    /// combination, which see only part of the fields.
    private func collect(
        _ value: JSONValue, at name: String, into found: inout [RequestRules.Problem], refusing: Bool,
        checksUnknown: Bool
    ) {
        if let types, !types.contains(where: { Self.matches(value, type: $0) }) {
            found.append(.init("\(name) must be \(Self.describe(types)).", refuses: refusing))
            return
        }
        if let allowed, !allowed.contains(value) {
            let shown = allowed.map { $0.stringValue ?? "\($0)" }.joined(separator: ", ")
            found.append(.init("\(name) must be one of: \(shown).", refuses: refusing))
        }
        switch value {
        case .string(let text):
            let length = text.count
            if let minLength, length < minLength {
                found.append(.init("\(name) must be at least \(minLength) characters.", refuses: false))
            }
            if let maxLength, length > maxLength {
                found.append(.init("\(name) must be at most \(maxLength) characters.", refuses: false))
            }
            if let pattern, !pattern.matches(text) {
                found.append(.init("\(name) must match \(pattern.source).", refuses: false))
            }
            if isEmail, !Self.looksLikeEmail(text) {
                found.append(.init("\(name) must be an email address.", refuses: false))
            }
        case .number(let number):
            if let minimum, number < minimum {
                found.append(.init("\(name) must be at least \(Self.integerText(minimum)).", refuses: refusing))
            }
            if let maximum, number > maximum {
                found.append(.init("\(name) must be at most \(Self.integerText(maximum)).", refuses: refusing))
            }
        case .array(let elements):
            if let items {
                for (index, element) in elements.enumerated() {
                    items.collect(
                        element, at: "\(name)[\(index)]", into: &found, refusing: refusing, checksUnknown: true)
                }
            }
        case .object(let members):
            collectMembers(members, at: name, into: &found, refusing: refusing, checksUnknown: checksUnknown)
        case .null, .bool:
            break
        }
        for branch in allOf {
            branch.collect(value, at: name, into: &found, refusing: refusing, checksUnknown: false)
        }
        if !oneOf.isEmpty {
            let matching = oneOf.filter { $0.accepts(value) }
            if matching.count != 1 {
                found.append(choiceProblem(value, at: name, matching: matching.count))
            }
        }
        if !anyOf.isEmpty, !anyOf.contains(where: { $0.accepts(value) }) {
            found.append(
                .init("\(name) matches none of: \(anyOf.map(\.label).joined(separator: "; ")).", refuses: false))
        }
        if let not, not.accepts(value) {
            found.append(.init("\(name) must not have \(not.label).", refuses: false))
        }
    }

    private func collectMembers(
        _ members: [String: JSONValue], at name: String, into found: inout [RequestRules.Problem], refusing: Bool,
        checksUnknown: Bool
    ) {
        let prefix = name == RequestRules.bodyName ? "" : name + "."
        if checksUnknown, let knownFields {
            for key in members.keys.sorted() where !knownFields.contains(key) {
                found.append(
                    .init("Unknown field '\(prefix)\(key)'. Remove it from the request body.", refuses: refusing))
            }
        }
        for key in required where members[key] == nil {
            found.append(.init("\(prefix)\(key) is required.", refuses: refusing))
        }
        if let maxProperties, members.count > maxProperties {
            found.append(.init("\(name) must have at most \(maxProperties) members.", refuses: false))
        }
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            if let check = properties[key] {
                check.collect(member, at: prefix + key, into: &found, refusing: refusing, checksUnknown: true)
            } else if let additional {
                // A free-form map (metadata): the routes answer its problems with their own codes.
                additional.collect(member, at: prefix + key, into: &found, refusing: false, checksUnknown: true)
            }
            if let propertyNames {
                propertyNames.collect(
                    .string(key), at: "\(name) key '\(key)'", into: &found, refusing: false, checksUnknown: false)
            }
        }
    }

    /// The problem of a `oneOf` that `matching` (not exactly one) of its branches accept, with the first
    /// problem of the branch the value comes closest to: the one with most of its required fields present.
    private func choiceProblem(_ value: JSONValue, at name: String, matching: Int) -> RequestRules.Problem {
        let choices = oneOf.map(\.label).joined(separator: "; ")
        guard matching == 0 else {
            return .init("\(name) matches more than one of: \(choices).", refuses: false)
        }
        let members = value.objectValue ?? [:]
        let closest = oneOf.max { first, second in
            first.required.filter { members[$0] != nil }.count < second.required.filter { members[$0] != nil }.count
        }
        let detail = closest.flatMap { branch -> String? in
            var found: [RequestRules.Problem] = []
            branch.collect(value, at: name, into: &found, refusing: false, checksUnknown: false)
            return found.first?.message
        }
        return .init(
            "\(name) must have exactly one of: \(choices)" + (detail.map { " (\($0))" } ?? "."), refuses: false)
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
            ("object", .object):
            return true
        case ("integer", .number(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    private static func describe(_ types: Set<String>) -> String {
        let names: [String: String] = [
            "null": "null", "boolean": "a boolean", "number": "a number", "integer": "an integer",
            "string": "a string", "array": "an array", "object": "an object",
        ]
        let order = ["string", "integer", "number", "boolean", "array", "object", "null"]
        let shown = order.filter(types.contains).map { names[$0] ?? $0 }
        return shown.count > 1 ? shown.dropLast().joined(separator: ", ") + " or " + shown.last! : shown.first ?? ""
    }

    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
    }

    private static func integerText(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}

/// A schema's `pattern`, compiled once with the standard library's `Regex` (no ICU needed), matching Unicode
/// scalar by scalar as a JSON Schema pattern (and the old `NSRegularExpression`) reads text: a character made
/// of two scalars is two code points to the pattern.
struct CompiledPattern: @unchecked Sendable {
    /// The pattern as the spec writes it.
    let source: String
    private let expression: Regex<AnyRegexOutput>

    /// Compiles `source`; nil when it is not a valid expression (then nothing is checked).
    init?(_ source: String) {
        guard let expression = try? Regex(source) else { return nil }
        self.source = source
        self.expression = expression.matchingSemantics(.unicodeScalar)
    }

    /// Whether `text` has a match.
    func matches(_ text: String) -> Bool {
        (try? expression.firstMatch(in: text)) != nil
    }
}
