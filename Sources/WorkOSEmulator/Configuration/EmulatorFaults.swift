/// Faults the emulator injects into API requests, to rehearse an importer against a bad network.
///
/// Shares are probabilities from 0 to 1, drawn independently per request in this order: a
/// connection reset before any work, an error answer before any work, and "commit then drop"
/// (the work is done and stored, then the connection closes without an answer). Latency is added
/// to every API request before anything else: the fixed part, the jitter, and a part that grows with
/// load (``latencyPerInFlightMilliseconds`` for each other API request in flight when it arrives). The control endpoint and `/health` are never faulted.
public struct EmulatorFaults: Sendable, Codable, Equatable {
    /// Fixed delay added to every API request, in milliseconds.
    public var latencyMilliseconds: Int
    /// Extra random delay, uniformly 0...this many milliseconds, added on top of the fixed one.
    public var latencyJitterMilliseconds: Int
    /// Extra delay for each other API request in flight when a request arrives, in milliseconds, so the
    /// emulator slows down under load the way an overloaded server does.
    public var latencyPerInFlightMilliseconds: Int
    /// Share of requests answered with a server error picked from ``errorStatuses``.
    public var errorShare: Double
    /// Statuses an injected error may have.
    public var errorStatuses: [Int]
    /// Share of requests whose connection is reset (TCP RST) before the work is done.
    public var resetShare: Double
    /// Share of requests that are carried out and then dropped without an answer.
    public var commitThenDropShare: Double
    /// Route templates the faults apply to, e.g. `POST /user_management/organization_memberships`;
    /// `nil` applies them to every API route. Lets a rehearsal break one step of an import and not the others.
    public var routes: [String]?

    /// No faults at all.
    public static let none = EmulatorFaults()

    /// Creates a fault set; every argument defaults to "off".
    public init(
        latencyMilliseconds: Int = 0,
        latencyJitterMilliseconds: Int = 0,
        errorShare: Double = 0,
        errorStatuses: [Int] = [500, 502, 503],
        resetShare: Double = 0,
        commitThenDropShare: Double = 0,
        routes: [String]? = nil,
        latencyPerInFlightMilliseconds: Int = 0
    ) {
        self.latencyPerInFlightMilliseconds = latencyPerInFlightMilliseconds
        self.latencyMilliseconds = latencyMilliseconds
        self.latencyJitterMilliseconds = latencyJitterMilliseconds
        self.errorShare = errorShare
        self.errorStatuses = errorStatuses
        self.resetShare = resetShare
        self.commitThenDropShare = commitThenDropShare
        self.routes = routes
    }

    /// Whether any latency setting is on, so requests are delayed (and counted as `latency`).
    var addsLatency: Bool {
        latencyMilliseconds > 0 || latencyJitterMilliseconds > 0 || latencyPerInFlightMilliseconds > 0
    }

    /// The faults that apply to a request on `template`: these, or none when ``routes`` leaves it out.
    func applying(to template: String) -> EmulatorFaults {
        guard let routes, !routes.contains(template) else { return self }
        return .none
    }

    /// Checks that shares are within 0...1 and error statuses are 5xx, so a typo fails loudly.
    public func validate() throws(EmulatorError) {
        for (name, share) in [
            ("error_share", errorShare), ("reset_share", resetShare), ("commit_then_drop_share", commitThenDropShare),
        ] where !(0...1).contains(share) {
            throw .invalidConfiguration("\(name) must be between 0 and 1, got \(share)")
        }
        if latencyMilliseconds < 0 || latencyJitterMilliseconds < 0 || latencyPerInFlightMilliseconds < 0 {
            throw .invalidConfiguration("latency must not be negative")
        }
        if errorShare > 0, errorStatuses.isEmpty || errorStatuses.contains(where: { !(500...599).contains($0) }) {
            throw .invalidConfiguration("error_statuses must be a non-empty list of 5xx statuses")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case latencyMilliseconds = "latency_ms"
        case latencyJitterMilliseconds = "latency_jitter_ms"
        case latencyPerInFlightMilliseconds = "latency_per_in_flight_ms"
        case errorShare = "error_share"
        case errorStatuses = "error_statuses"
        case resetShare = "reset_share"
        case commitThenDropShare = "commit_then_drop_share"
        case routes
    }

    /// Decodes a partial object: missing keys stay off, so `{"reset_share":0.1}` is enough.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            latencyMilliseconds: try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0,
            latencyJitterMilliseconds: try container.decodeIfPresent(Int.self, forKey: .latencyJitterMilliseconds) ?? 0,
            errorShare: try container.decodeIfPresent(Double.self, forKey: .errorShare) ?? 0,
            errorStatuses: try container.decodeIfPresent([Int].self, forKey: .errorStatuses) ?? [500, 502, 503],
            resetShare: try container.decodeIfPresent(Double.self, forKey: .resetShare) ?? 0,
            commitThenDropShare: try container.decodeIfPresent(Double.self, forKey: .commitThenDropShare) ?? 0,
            routes: try container.decodeIfPresent([String].self, forKey: .routes),
            latencyPerInFlightMilliseconds: try container.decodeIfPresent(
                Int.self, forKey: .latencyPerInFlightMilliseconds) ?? 0
        )
    }
}
