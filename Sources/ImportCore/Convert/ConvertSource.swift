/// A provider whose exports `convert` reads: one ``ExportConverter``, named by what it declares.
///
/// Each provider declares its name, description, export hint and options in its own file (as the
/// ``ExportConverter`` requirements) together with a `ConvertSource` constant; ``allCases`` lists them, and
/// the command's `convert <source>` values and help come from that list.
public struct ConvertSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The converter that reads this source's exports.
    let converter: any ExportConverter.Type

    /// Every source `convert` reads, in the order help and messages list them.
    public static let allCases: [ConvertSource] = [.firebase, .auth0, .clerk, .cognito, .supabase]

    /// The source `converter` reads.
    init(_ converter: any ExportConverter.Type) {
        self.converter = converter
    }

    /// The source named `rawValue` (as `convert <source>` takes it), or `nil`.
    public init?(rawValue: String) {
        guard let source = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = source
    }

    /// The name `convert` takes and files record (`firebase`, the `source` of a skipped line).
    public var rawValue: String { converter.sourceName }

    /// The name as users know it, for sentences ("Firebase").
    public var displayName: String { converter.displayName }

    /// What `convert --help` says the source's files are.
    public var files: String { converter.files }

    /// The provider-specific options this source's converter reads. Every other one is refused when given,
    /// so a mistyped command does not silently do less (`--out`, `--skipped`, `--limits` and `--json` apply
    /// to every source).
    public var options: Set<ConvertOption> { converter.options }

    /// What the export is, for messages ("is not …").
    var exportDescription: String { converter.exportDescription }

    /// How to get the right file, for messages.
    var exportHint: String { converter.exportHint }

    public var description: String { rawValue }

    public static func == (left: ConvertSource, right: ConvertSource) -> Bool {
        left.rawValue == right.rawValue
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawValue)
    }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let source = ConvertSource(rawValue: name) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "no source \(name)"))
        }
        self = source
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A `convert` option that only some sources take (``ConvertSource/options``); the raw value is how the
/// command line spells it.
public enum ConvertOption: String, Sendable, CaseIterable, Comparable {
    case hashConfig = "--hash-config"
    case hashParameters = "--signer-key/--salt-separator/--rounds/--mem-cost"
    case passwords = "--passwords"
    case metadata = "--metadata"
    case orgFrom = "--org-from"
    case orgNameFrom = "--org-name-from"
    case allowUserMetadataOrg = "--allow-user-metadata-org"
    case metadataAttribute = "--metadata-attribute"
    case nameSplit = "--name-split"
    case includeDisabled = "--include-disabled"

    /// In declaration order, so messages list them the same way every time.
    public static func < (left: ConvertOption, right: ConvertOption) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }
}
