/// Which limits on metadata and external_id a dry run and an import hold rows to (`--limits`).
///
/// WorkOS's documentation and its OpenAPI spec disagree (contract §5): the docs allow 10 metadata keys,
/// ASCII only, and external_ids of 64 characters; the spec allows 50 keys, any text, and 128
/// characters. A row that passed the looser check and then failed at the API was a failure the dry run
/// should have shown, so the documented limits are the default and the spec's are a choice. Over a limit
/// is a row error either way, and the emulator enforces the same choice, so a rehearsal cannot hide it.
public enum FieldLimits: String, Sendable, CaseIterable, Codable {
    /// WorkOS's documentation: at most 10 metadata keys, ASCII only; external_id at most 64 characters.
    case documented
    /// WorkOS's OpenAPI spec: at most 50 metadata keys, any text; external_id at most 128 characters.
    case spec

    /// The most keys a metadata object may have.
    public var maximumMetadataKeys: Int {
        switch self {
        case .documented: 10
        case .spec: 50
        }
    }

    /// The longest metadata key, in characters (Unicode scalars); the same under both policies.
    public var maximumMetadataKeyLength: Int { 40 }

    /// The longest metadata value, in characters (Unicode scalars); the same under both policies.
    public var maximumMetadataValueLength: Int { 600 }

    /// Whether metadata keys and values must be ASCII.
    public var metadataMustBeASCII: Bool { self == .documented }

    /// The longest external_id, in characters (it is always ASCII).
    public var maximumExternalIdLength: Int {
        switch self {
        case .documented: 64
        case .spec: 128
        }
    }
}
