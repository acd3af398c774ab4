#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The WorkOS environment a journal was written against: the API address and a fingerprint of the key.
///
/// A journal records which rows are settled *in one environment*. Resumed against another (staging instead
/// of production, another key, another `--base-url`), it would skip rows that were never imported there and
/// report success, so a resume is refused when the environment differs. The key itself is never stored:
/// only the first 16 hex digits of a SHA-256 over a fixed label and the key, which identify it without
/// revealing it.
public struct JournalEnvironment: Codable, Sendable, Equatable {
    /// The API's base URL, normalised (lowercase scheme and host, no trailing slash).
    public var baseURL: String
    /// `sha256:` and 16 hex digits derived from the secret key.
    public var keyFingerprint: String

    /// Describes an environment from its base URL and secret key.
    public init(baseURL: String, apiKey: String) {
        self.baseURL = Self.normalise(baseURL)
        self.keyFingerprint = Self.fingerprint(of: apiKey)
    }

    /// Creates an environment from recorded values.
    public init(baseURL: String, keyFingerprint: String) {
        self.baseURL = baseURL
        self.keyFingerprint = keyFingerprint
    }

    /// Stable JSON keys, independent of property names.
    private enum CodingKeys: String, CodingKey {
        case baseURL = "baseUrl"
        case keyFingerprint
    }

    /// The fingerprint of a secret key: enough to tell two keys apart, useless for recovering one.
    public static func fingerprint(of apiKey: String) -> String {
        "sha256:" + SHA256.hex("workos-import journal key fingerprint\u{0}" + apiKey).prefix(16)
    }

    /// What differs from `other`, described for an error message; empty when equal.
    public func differences(from other: JournalEnvironment) -> [String] {
        var changes: [String] = []
        if baseURL != other.baseURL { changes.append("the API address (journal: \(baseURL), now: \(other.baseURL))") }
        if keyFingerprint != other.keyFingerprint {
            changes.append("the secret key (journal: key \(keyFingerprint), now: key \(other.keyFingerprint))")
        }
        return changes
    }

    /// Lowercases the scheme and host and drops trailing slashes, so `HTTPS://API.workos.com/` and
    /// `https://api.workos.com` are the same environment.
    static func normalise(_ url: String) -> String {
        var text = url.trimmingSpaces()
        while text.hasSuffix("/") { text.removeLast() }
        guard let schemeEnd = text.firstRange(of: "://") else { return text }
        let authorityEnd = text[schemeEnd.upperBound...].firstIndex(of: "/") ?? text.endIndex
        return text[..<authorityEnd].lowercased() + text[authorityEnd...]
    }
}
