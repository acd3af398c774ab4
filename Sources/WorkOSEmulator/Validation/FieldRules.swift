/// Field limits from the contract that are not simple types: metadata and external ids, under the
/// emulator's ``EmulatorFieldLimits`` (the documented limits unless configured otherwise).
enum FieldRules {
    /// Reads `metadata`: nil when absent, `[:]` for `null`; a non-object is a schema error (422),
    /// anything breaking the limits is 400 `invalid_metadata`.
    static func metadata(_ body: RequestBody, limits: EmulatorFieldLimits) throws(APIError) -> [String: String]? {
        guard let value = body.fields["metadata"] else { return nil }
        switch value {
        case .null: return [:]
        case .object(let members):
            guard members.count <= limits.metadataMaxKeys else {
                throw .badRequest("invalid_metadata", "Metadata can have at most \(limits.metadataMaxKeys) keys.")
            }
            var result: [String: String] = [:]
            for (key, member) in members {
                guard key.unicodeScalars.count <= limits.metadataMaxKeyLength else {
                    throw .badRequest(
                        "invalid_metadata",
                        "Metadata key '\(key)' is longer than \(limits.metadataMaxKeyLength) characters.")
                }
                guard case .string(let text) = member else {
                    throw .badRequest("invalid_metadata", "Metadata value for '\(key)' must be a string.")
                }
                guard text.unicodeScalars.count <= limits.metadataMaxValueLength else {
                    throw .badRequest(
                        "invalid_metadata",
                        "Metadata value for '\(key)' is longer than \(limits.metadataMaxValueLength) characters.")
                }
                if limits.metadataMustBeASCII,
                    !key.unicodeScalars.allSatisfy(\.isASCII) || !text.unicodeScalars.allSatisfy(\.isASCII)
                {
                    throw .badRequest("invalid_metadata", "Metadata keys and values must be ASCII.")
                }
                result[key] = text
            }
            return result
        default:
            throw .invalidParameters("metadata must be an object of string values.")
        }
    }

    /// Reads `external_id`: `.some(nil)` for `null`, nil when absent; must be ASCII, 1 to the limit's
    /// length (64 documented, 128 in the spec).
    static func externalID(_ body: RequestBody, limits: EmulatorFieldLimits) throws(APIError) -> String?? {
        guard body.has("external_id") else { return nil }
        guard let value = try body.string("external_id") else { return .some(nil) }
        guard !value.isEmpty, value.utf8.count <= limits.externalIDMaxLength,
            value.unicodeScalars.allSatisfy(\.isASCII)
        else {
            throw .invalidParameters(
                "external_id must be 1 to \(limits.externalIDMaxLength) ASCII characters.")
        }
        return .some(value)
    }
}
