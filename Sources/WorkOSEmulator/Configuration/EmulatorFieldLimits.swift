/// Which limits on metadata and external_id the emulator enforces (`--limits`, `PUT /_emulate/config`).
///
/// WorkOS's documentation and its OpenAPI spec disagree (contract §5). The importer's dry run applies
/// one of the two policies, and a rehearsal must refuse exactly what that dry run refuses, so the
/// emulator offers the same two, with the same default. The importer names the same choice
/// `FieldLimits`; this library does not depend on it, so the values are repeated here and a shared
/// table test keeps them equal.
public enum EmulatorFieldLimits: String, Codable, Sendable, CaseIterable {
    /// WorkOS's documentation: at most 10 metadata keys, keys and values ASCII only; external_id at most
    /// 64 characters.
    case documented
    /// WorkOS's OpenAPI spec: at most 50 metadata keys, any text; external_id at most 128 characters.
    case spec

    /// Most keys a metadata object may have.
    var metadataMaxKeys: Int { self == .documented ? 10 : 50 }
    /// Longest metadata key, in Unicode scalars.
    var metadataMaxKeyLength: Int { 40 }
    /// Longest metadata value, in Unicode scalars.
    var metadataMaxValueLength: Int { 600 }
    /// Whether metadata keys and values must be ASCII.
    var metadataMustBeASCII: Bool { self == .documented }
    /// Longest external id (always ASCII).
    var externalIDMaxLength: Int { self == .documented ? 64 : 128 }
}
