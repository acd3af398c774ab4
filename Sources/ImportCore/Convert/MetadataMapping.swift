/// Turns a provider's metadata objects into WorkOS metadata, by the contract's rules (§5), and says what
/// could not be carried.
///
/// WorkOS metadata is a flat map of strings: at most 10 keys, ASCII only, under the documented limits (50
/// keys of any text under `--limits spec`), keys up to 40 characters, values up to 600. So:
/// - strings are carried as they are; numbers and booleans as their text;
/// - objects and arrays as their compact JSON text, as WorkOS's own importer does;
/// - a `null`, a key or value over its length, non-ASCII text under the documented limits, a key that an
///   earlier source already gave, or keys past the count limit are not carried, and the user's outcome
///   lists each of them, so nothing disappears without a word.
///
/// Sources come in priority order: with Auth0's `--metadata both`, `app_metadata` first, so a user cannot
/// override what the application set.
struct MetadataMapping {
    /// The limits the values must meet.
    var limits: FieldLimits

    /// The grouping sentence for every metadata loss.
    static let lossSummary = "some metadata could not be carried (see the metadata rules in docs/convert.md)"

    /// The metadata and, when anything was left out, one reason naming every key and why.
    func map(_ sources: [[JSONValue.Member]]) -> (values: [String: String], loss: ConversionReason?) {
        var values: [String: String] = [:]
        var problems: [String] = []
        for members in sources {
            for member in members {
                let key = member.key
                let shown = DisplayText.quoted(key, limit: 40)
                let text: String
                switch member.value {
                case .string(let string): text = string
                case .number(let number): text = number
                case .bool(let bool): text = bool ? "true" : "false"
                case .null:
                    problems.append("\(shown) is null")
                    continue
                case .array, .object: text = member.value.jsonText
                }
                if values[key] != nil {
                    problems.append("\(shown) is given twice (the first is kept)")
                    continue
                }
                if key.isEmpty {
                    problems.append("an empty key")
                    continue
                }
                if key.unicodeScalars.count > limits.maximumMetadataKeyLength {
                    problems.append("\(shown) is a key longer than \(limits.maximumMetadataKeyLength) characters")
                    continue
                }
                let length = text.unicodeScalars.count
                if length > limits.maximumMetadataValueLength {
                    problems.append(
                        "\(shown) has a value of \(length) characters (at most \(limits.maximumMetadataValueLength))")
                    continue
                }
                if limits.metadataMustBeASCII
                    && !(key.utf8.allSatisfy { $0 < 0x80 } && text.utf8.allSatisfy { $0 < 0x80 })
                {
                    problems.append("\(shown) has non-ASCII text (--limits spec allows it)")
                    continue
                }
                if values.count == limits.maximumMetadataKeys {
                    problems.append("\(shown) is past the \(limits.maximumMetadataKeys)-key limit")
                    continue
                }
                values[key] = text
            }
        }
        guard !problems.isEmpty else { return (values, nil) }
        return (values, ConversionReason(Self.lossSummary, detail: "metadata " + problems.joined(separator: ", ")))
    }
}
