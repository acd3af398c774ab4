/// Request limits modelled on WorkOS's published ones.
///
/// WorkOS counts AuthKit reads and writes on `/user_management/*` separately per environment,
/// organization deletes (`DELETE /organizations/*`) on their own, and every request against a general
/// per-key limit. Windows are fixed: a window starts with its first request and the counts reset when
/// it ends.
public struct EmulatorRateLimits: Sendable, Codable, Equatable {
    /// Writes (non-GET requests) on `/user_management/*` allowed per ``window``.
    public var writes: Int
    /// Reads (GET requests) on `/user_management/*` allowed per ``window``.
    public var reads: Int
    /// Length in seconds of the read and write windows.
    public var window: Double
    /// Requests on any API path allowed per ``generalWindow``; nil leaves this limit off.
    public var general: Int?
    /// Length in seconds of the general window.
    public var generalWindow: Double
    /// Organization deletes allowed per ``organizationDeleteWindow``; nil leaves this limit off.
    public var organizationDeletes: Int?
    /// Length in seconds of the organization-delete window.
    public var organizationDeleteWindow: Double

    /// WorkOS's published organization-delete limit: 50 per 60 s per API key.
    public static let publishedOrganizationDeletes = 50

    /// WorkOS's limits: 500 writes and 1,000 reads per 10 s, 6,000 requests per 60 s, and 50
    /// organization deletes per 60 s.
    public static let workOSDefaults = EmulatorRateLimits(
        writes: 500, reads: 1_000, window: 10, general: 6_000, generalWindow: 60)

    /// Creates limits; see the properties for what each number means. The organization-delete budget
    /// is the published one unless given.
    public init(
        writes: Int, reads: Int, window: Double = 10, general: Int? = nil, generalWindow: Double = 60,
        organizationDeletes: Int? = EmulatorRateLimits.publishedOrganizationDeletes,
        organizationDeleteWindow: Double = 60
    ) {
        self.writes = writes
        self.reads = reads
        self.window = window
        self.general = general
        self.generalWindow = generalWindow
        self.organizationDeletes = organizationDeletes
        self.organizationDeleteWindow = organizationDeleteWindow
    }

    /// Decodes limits; a body or state file without the organization-delete fields gets the published
    /// budget (`"organization_deletes": null` turns it off).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        writes = try container.decode(Int.self, forKey: .writes)
        reads = try container.decode(Int.self, forKey: .reads)
        window = try container.decode(Double.self, forKey: .window)
        general = try container.decodeIfPresent(Int.self, forKey: .general)
        generalWindow = try container.decode(Double.self, forKey: .generalWindow)
        organizationDeletes =
            try container.contains(.organizationDeletes)
            ? container.decodeIfPresent(Int.self, forKey: .organizationDeletes)
            : Self.publishedOrganizationDeletes
        organizationDeleteWindow =
            try container.decodeIfPresent(Double.self, forKey: .organizationDeleteWindow) ?? 60
    }

    /// Encodes every field; an absent budget is written as `null`, so it reads back as off.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(writes, forKey: .writes)
        try container.encode(reads, forKey: .reads)
        try container.encode(window, forKey: .window)
        try container.encodeIfPresent(general, forKey: .general)
        try container.encode(generalWindow, forKey: .generalWindow)
        try container.encode(organizationDeletes, forKey: .organizationDeletes)
        try container.encode(organizationDeleteWindow, forKey: .organizationDeleteWindow)
    }

    private enum CodingKeys: String, CodingKey {
        case writes, reads
        case window = "window_seconds"
        case general
        case generalWindow = "general_window_seconds"
        case organizationDeletes = "organization_deletes"
        case organizationDeleteWindow = "organization_delete_window_seconds"
    }
}
