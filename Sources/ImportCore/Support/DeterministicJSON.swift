import Foundation

/// The one setup of `JSONEncoder` for everything the tool writes as JSON (journals, summaries, reports,
/// error and skipped-record files): keys sorted, so the same value always gives the same bytes and users'
/// scripts and diffs see a stable order; slashes left as they are, so paths and URLs read as written.
///
/// Types keep their explicit `CodingKeys`: the names are the file formats' contract, this only fixes the
/// order and the escaping.
public enum DeterministicJSON {
    /// A new encoder with the shared settings; callers add only what is theirs (a date strategy).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `value` as one line of JSON text, or `fallback` when it cannot be encoded (plain numbers and
    /// strings always can; the fallback keeps output valid JSON regardless).
    public static func string(_ value: some Encodable, fallback: String = "{}") -> String {
        guard let data = try? makeEncoder().encode(value) else { return fallback }
        return String(decoding: data, as: UTF8.self)
    }
}
