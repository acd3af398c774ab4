#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where a command's writes and reads go, told to the person before the first request: the API address, the
/// environment the key names, where the key came from, and a short fingerprint of it (never the key).
///
/// A journal binds a run to one environment only once the run has started; this is the same fact made visible
/// first, so a production key in a shell meant for staging is seen before anything is written. The
/// fingerprint is the start of the journal's own key fingerprint, so the two can be compared by eye.
public struct TargetDescription: Sendable, Equatable {
    /// What the key's prefix says about the environment.
    public enum Environment: String, Sendable, Equatable {
        /// `sk_live_…`.
        case production
        /// `sk_test_…`.
        case test
        /// Any other key: WorkOS keys start with one of the two prefixes, so this is worth a look.
        case unknown

        /// Reads the prefix; the rest of the key is not looked at.
        public init(key: String) {
            if key.hasPrefix("sk_live_") {
                self = .production
            } else if key.hasPrefix("sk_test_") {
                self = .test
            } else {
                self = .unknown
            }
        }
    }

    /// Where the key came from.
    public enum KeySource: Sendable, Equatable {
        /// `WORKOS_SECRET_KEY` in the environment.
        case environment
        /// `WORKOS_SECRET_KEY` in this `.env` file (an absolute path).
        case dotEnv(path: String)
        /// The built-in emulator's own key (`--emulator`).
        case builtInEmulator

        /// The key source as `--json` names it.
        var jsonName: String {
            switch self {
            case .environment: "environment"
            case .dotEnv: "dotenv"
            case .builtInEmulator: "emulator"
            }
        }
    }

    /// The API address, normalised as the journal records it.
    public var baseURL: String
    /// What the key's prefix says.
    public var environment: Environment
    /// Where the key came from.
    public var keySource: KeySource
    /// The first 8 hex digits of the journal's key fingerprint.
    public var keyFingerprint: String

    /// Describes a target; `apiKey` is read for its prefix and fingerprint and not kept.
    public init(baseURL: String, apiKey: String, keySource: KeySource) {
        let journal = JournalEnvironment(baseURL: baseURL, apiKey: apiKey)
        self.baseURL = journal.baseURL
        self.environment = Environment(key: apiKey)
        self.keySource = keySource
        self.keyFingerprint = Self.shortFingerprint(journal.keyFingerprint)
    }

    /// The 8 hex digits after `sha256:` of a journal fingerprint.
    static func shortFingerprint(_ journalFingerprint: String) -> String {
        let hex =
            journalFingerprint.hasPrefix("sha256:") ? journalFingerprint.dropFirst(7) : Substring(journalFingerprint)
        return String(hex.prefix(8))
    }

    /// Where a key found by ``SecretKeySource`` came from; a `.env` path is made absolute against `folder`, so
    /// the line says which folder's file it was.
    public static func keySource(_ origin: SecretKeySource.Origin, folder: String) -> KeySource {
        switch origin {
        case .environment:
            return .environment
        case .dotEnv(let path):
            if path.hasPrefix("/") { return .dotEnv(path: path) }
            let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
            return .dotEnv(path: base + "/" + relative)
        }
    }

    /// The one stderr line, with its newline, e.g.
    /// `Target: https://api.workos.com, production environment (sk_live_ key), key from WORKOS_SECRET_KEY in
    /// the environment, fingerprint 1a2b3c4d.`
    public var line: String {
        let address = keySource == .builtInEmulator ? "\(baseURL) (the built-in emulator)" : baseURL
        let environmentText =
            switch environment {
            case .production: "production environment (sk_live_ key)"
            case .test: "test environment (sk_test_ key)"
            case .unknown: "unknown environment (the key starts with neither sk_live_ nor sk_test_)"
            }
        let source =
            switch keySource {
            case .environment: "key from \(SecretKeySource.variable) in the environment"
            case .dotEnv(let path): "key from \(SecretKeySource.variable) in \(ReportText.singleLine(path))"
            case .builtInEmulator: "the emulator's own key"
            }
        return "Target: \(address), \(environmentText), \(source), fingerprint \(keyFingerprint).\n"
    }

    /// The `target` object of `--json`:
    /// `{"baseUrl","environment","keyFile","keyFingerprint","keySource"}`, `keyFile` the `.env` path or null.
    public var json: String {
        SummaryFormatter.encode(TargetJSON(self))
    }
}

/// The `--json` shape of a ``TargetDescription``, with explicit keys.
private struct TargetJSON: Encodable {
    let baseUrl: String
    let environment: String
    let keySource: String
    let keyFile: String?
    let keyFingerprint: String

    enum CodingKeys: String, CodingKey {
        case baseUrl, environment, keySource, keyFile, keyFingerprint
    }

    init(_ target: TargetDescription) {
        baseUrl = target.baseURL
        environment = target.environment.rawValue
        keySource = target.keySource.jsonName
        if case .dotEnv(let path) = target.keySource { keyFile = path } else { keyFile = nil }
        keyFingerprint = target.keyFingerprint
    }

    /// Writes `keyFile` as `null` when the key came from elsewhere, so the key set is fixed.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(baseUrl, forKey: .baseUrl)
        try container.encode(environment, forKey: .environment)
        try container.encode(keySource, forKey: .keySource)
        try container.encode(keyFile, forKey: .keyFile)
        try container.encode(keyFingerprint, forKey: .keyFingerprint)
    }
}
