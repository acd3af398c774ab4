/// How the emulator's limiter counts requests against a limit of N per window of T seconds.
///
/// WorkOS documents its limits as windows without saying which algorithm enforces them, so the emulator can
/// play each plausible one, and a client can be shown to stay within all of them.
public enum EmulatorLimiterModel: String, Sendable, Codable, Equatable, CaseIterable {
    /// At most N requests in any T seconds: a request is refused while N were admitted in the T seconds before it.
    case sliding
    /// At most N requests in each window of T seconds aligned to the clock (`[kT, (k+1)T)`); the count resets at
    /// each boundary, so up to 2N can land within T seconds across one.
    case fixed
    /// A token bucket refilled at N per T seconds, holding at most the token capacity (N unless set): bursts
    /// larger than the capacity are refused even when the window would allow them.
    case token
}

/// Request limits modelled on WorkOS's published ones.
///
/// WorkOS counts AuthKit reads and writes on `/user_management/*` separately per environment,
/// organization deletes (`DELETE /organizations/*`) on their own, and every request against a general
/// per-key limit. ``model`` says how a limit of N per window is enforced: a sliding window by default,
/// a clock-aligned fixed window, or a token bucket.
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
    /// How every limit is enforced.
    public var model: EmulatorLimiterModel
    /// With the token-bucket model, the most tokens each budget's bucket holds; nil: the budget's limit.
    public var tokenCapacity: Int?

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
        organizationDeleteWindow: Double = 60, model: EmulatorLimiterModel = .sliding, tokenCapacity: Int? = nil
    ) {
        self.writes = writes
        self.reads = reads
        self.window = window
        self.general = general
        self.generalWindow = generalWindow
        self.organizationDeletes = organizationDeletes
        self.organizationDeleteWindow = organizationDeleteWindow
        self.model = model
        self.tokenCapacity = tokenCapacity
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
        model = try container.decodeIfPresent(EmulatorLimiterModel.self, forKey: .model) ?? .sliding
        tokenCapacity = try container.decodeIfPresent(Int.self, forKey: .tokenCapacity)
        if let tokenCapacity, tokenCapacity < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: .tokenCapacity, in: container, debugDescription: "token_capacity must be at least 1")
        }
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
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(tokenCapacity, forKey: .tokenCapacity)
    }

    private enum CodingKeys: String, CodingKey {
        case writes, reads
        case window = "window_seconds"
        case general
        case generalWindow = "general_window_seconds"
        case organizationDeletes = "organization_deletes"
        case organizationDeleteWindow = "organization_delete_window_seconds"
        case model = "limiter"
        case tokenCapacity = "token_capacity"
    }
}
