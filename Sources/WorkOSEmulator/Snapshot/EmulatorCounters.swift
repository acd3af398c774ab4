/// What the emulator has been asked and how it answered, for tests and rehearsal reports.
public struct EmulatorCounters: Codable, Sendable, Equatable {
    /// Answers per `"METHOD /route-template"` (e.g. `POST /user_management/users`) and status.
    ///
    /// The status key is the HTTP status as text, or `reset` / `dropped` when a fault closed the
    /// connection without an answer.
    public var requests: [String: [String: Int]] = [:]
    /// Requests refused with 429 by the rate limiter.
    public var rateLimited: Int = 0
    /// Faults injected, by kind: `latency`, `error_500`, `error_502`, `error_503`, `reset`,
    /// `commit_then_drop`.
    public var faults: [String: Int] = [:]
    /// POSTs answered by replaying the stored answer for a repeated `Idempotency-Key`.
    public var idempotentReplays: Int = 0
    /// The most API requests that were being handled at the same moment.
    public var maxInFlight: Int = 0

    /// Creates empty counters.
    public init() {}

    /// How many answers `route` got with `status` (an HTTP status, or `reset` / `dropped`).
    public func count(_ route: String, status: String) -> Int {
        requests[route]?[status] ?? 0
    }

    /// How many answers `route` got with HTTP `status`.
    public func count(_ route: String, status: Int) -> Int {
        count(route, status: String(status))
    }

    /// How many requests `route` got, whatever the outcome.
    public func total(_ route: String) -> Int {
        requests[route]?.values.reduce(0, +) ?? 0
    }

    /// Injected faults of one kind.
    public func faults(_ kind: String) -> Int {
        faults[kind] ?? 0
    }

    /// Counts one answer of `route` with `status`.
    mutating func record(_ route: String, status: String) {
        requests[route, default: [:]][status, default: 0] += 1
    }

    private enum CodingKeys: String, CodingKey {
        case requests, faults
        case rateLimited = "rate_limited"
        case idempotentReplays = "idempotent_replays"
        case maxInFlight = "max_in_flight"
    }
}
