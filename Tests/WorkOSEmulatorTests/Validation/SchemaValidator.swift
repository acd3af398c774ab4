import Foundation

@testable import WorkOSEmulator

/// Checks JSON answers against the response schemas extracted from WorkOS's OpenAPI spec
/// (`Fixtures/response-schemas.json`, made by `scripts/extract-response-schemas.py`).
///
/// Supports what those schemas use: `type` (one or a list, `null` for nullable), `required`,
/// `properties`, `additionalProperties`, `items`, `enum`, `const`, `$ref`, `allOf`, `oneOf`,
/// `anyOf`, `maxProperties`, `maxLength` and `propertyNames.maxLength`.
struct SchemaValidator: Sendable {
    /// The fixture, loaded once.
    static let shared = SchemaValidator()

    private let responses: [String: JSONValue]
    private let components: [String: JSONValue]

    private init() {
        let url = Bundle.module.url(forResource: "response-schemas", withExtension: "json", subdirectory: "Fixtures")!
        let data = try! Data(contentsOf: url)
        let root = try! JSONDecoder().decode(JSONValue.self, from: data)
        responses = root["responses"]?.objectValue ?? [:]
        components = root["components"]?.objectValue ?? [:]
    }

    /// Problems found validating `value` as the `status` answer of `operation`
    /// (e.g. `"POST /user_management/users"`); empty when it conforms.
    func problems(_ value: JSONValue, operation: String, status: Int) -> [String] {
        guard let byStatus = responses[operation]?.objectValue else { return ["no operation \(operation) in fixture"] }
        guard let schema = byStatus[String(status)] else { return ["\(operation) documents no \(status) answer"] }
        if schema == .null { return [] }
        return validate(value, schema, path: "$")
    }

    /// Whether the spec documents `status` for `operation`.
    func documents(operation: String, status: Int) -> Bool {
        responses[operation]?[String(status)] != nil
    }

    private func validate(_ value: JSONValue, _ schema: JSONValue, path: String) -> [String] {
        guard let schema = schema.objectValue else { return [] }
        var problems: [String] = []
        if let ref = schema["$ref"]?.stringValue {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let target = components[name] else { return ["\(path): unknown $ref \(ref)"] }
            problems += validate(value, target, path: path)
        }
        if let all = schema["allOf"]?.arrayValue {
            for sub in all { problems += validate(value, sub, path: path) }
        }
        if let one = schema["oneOf"]?.arrayValue {
            let matches = one.filter { validate(value, $0, path: path).isEmpty }.count
            if matches != 1 { problems.append("\(path): matches \(matches) of oneOf's \(one.count) schemas") }
        }
        if let any = schema["anyOf"]?.arrayValue, !any.contains(where: { validate(value, $0, path: path).isEmpty }) {
            problems.append("\(path): matches none of anyOf")
        }
        if let type = schema["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                return problems + ["\(path): \(value.serialized().prefix(60)) is not \(allowed)"]
            }
        }
        if let constant = schema["const"], constant != value {
            problems.append("\(path): expected \(constant.serialized()), got \(value.serialized())")
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            problems.append("\(path): \(value.serialized()) not in enum")
        }
        if case .string(let text) = value, case .number(let max)? = schema["maxLength"], Double(text.count) > max {
            problems.append("\(path): longer than \(Int(max))")
        }
        if case .object(let members) = value {
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                problems.append("\(path): missing required '\(name)'")
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for (name, member) in members {
                if let sub = properties[name] {
                    problems += validate(member, sub, path: "\(path).\(name)")
                } else if let extra = schema["additionalProperties"], extra.objectValue != nil {
                    problems += validate(member, extra, path: "\(path).\(name)")
                }
                if case .number(let max)? = schema["propertyNames"]?["maxLength"], Double(name.count) > max {
                    problems.append("\(path): key \(name) longer than \(Int(max))")
                }
            }
            if case .number(let max)? = schema["maxProperties"], Double(members.count) > max {
                problems.append("\(path): more than \(Int(max)) properties")
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                problems += validate(item, itemSchema, path: "\(path)[\(index)]")
            }
        }
        return problems
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object):
            return true
        case ("number", .number): return true
        case ("integer", .number(let number)): return number.rounded() == number
        default: return false
        }
    }
}
