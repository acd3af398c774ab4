/// Field limits from the spec that are not simple types: metadata and external ids.
enum FieldRules {
    /// Most metadata keys an object may have (the spec says 50; the docs' guidance is 10).
    static let metadataMaxKeys = 50
    /// Longest metadata key.
    static let metadataMaxKeyLength = 40
    /// Longest metadata value.
    static let metadataMaxValueLength = 600
    /// Longest external id.
    static let externalIDMaxLength = 128

    /// Reads `metadata`: nil when absent, `[:]` for `null`; a non-object is a schema error (422),
    /// anything breaking the limits is 400 `invalid_metadata`.
    static func metadata(_ body: RequestBody) throws(APIError) -> [String: String]? {
        guard let value = body.fields["metadata"] else { return nil }
        switch value {
        case .null: return [:]
        case .object(let members):
            guard members.count <= metadataMaxKeys else {
                throw .badRequest("invalid_metadata", "Metadata can have at most \(metadataMaxKeys) keys.")
            }
            var result: [String: String] = [:]
            for (key, member) in members {
                guard key.count <= metadataMaxKeyLength else {
                    throw .badRequest(
                        "invalid_metadata", "Metadata key '\(key)' is longer than \(metadataMaxKeyLength) characters.")
                }
                guard case .string(let text) = member else {
                    throw .badRequest("invalid_metadata", "Metadata value for '\(key)' must be a string.")
                }
                guard text.count <= metadataMaxValueLength else {
                    throw .badRequest(
                        "invalid_metadata",
                        "Metadata value for '\(key)' is longer than \(metadataMaxValueLength) characters.")
                }
                result[key] = text
            }
            return result
        default:
            throw .invalidParameters("metadata must be an object of string values.")
        }
    }

    /// Reads `external_id`: `.some(nil)` for `null`, nil when absent; must be ASCII, 1...128 long.
    static func externalID(_ body: RequestBody) throws(APIError) -> String?? {
        guard body.has("external_id") else { return nil }
        guard let value = try body.string("external_id") else { return .some(nil) }
        guard !value.isEmpty, value.utf8.count <= externalIDMaxLength, value.unicodeScalars.allSatisfy(\.isASCII)
        else {
            throw .invalidParameters(
                "external_id must be 1 to \(externalIDMaxLength) ASCII characters.")
        }
        return .some(value)
    }
}
