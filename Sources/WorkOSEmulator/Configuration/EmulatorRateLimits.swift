/// Request limits modelled on WorkOS's published ones.
///
/// WorkOS counts AuthKit reads and writes on `/user_management/*` separately per environment, and
/// every request against a general per-key limit. Windows are fixed: a window starts with its
/// first request and the counts reset when it ends.
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

    /// WorkOS's limits: 500 writes and 1,000 reads per 10 s, and 6,000 requests per 60 s.
    public static let workOSDefaults = EmulatorRateLimits(
        writes: 500, reads: 1_000, window: 10, general: 6_000, generalWindow: 60)

    /// Creates limits; see the properties for what each number means.
    public init(writes: Int, reads: Int, window: Double = 10, general: Int? = nil, generalWindow: Double = 60) {
        self.writes = writes
        self.reads = reads
        self.window = window
        self.general = general
        self.generalWindow = generalWindow
    }

    private enum CodingKeys: String, CodingKey {
        case writes, reads
        case window = "window_seconds"
        case general
        case generalWindow = "general_window_seconds"
    }
}
