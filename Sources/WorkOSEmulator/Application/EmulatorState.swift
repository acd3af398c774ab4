import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Everything the emulator knows and counts, behind one lock: the store, the counters, the limiter, the
/// fault settings and the idempotency cache. Controllers and middleware share one instance.
///
/// The store is a value mutated only inside ``withStore(_:)``, so each operation is atomic: two simultaneous
/// creates of one email give one user and one 400.
final class EmulatorState: Sendable {
    private struct Values: Sendable {
        var store: EmulatorStore
        var counters = EmulatorCounters()
        var limiter: RateLimiter
        var faults: EmulatorFaults
        var honorsIdempotencyKeys: Bool
        var idempotency = IdempotencyCache()
        var inFlight = 0
        var requestIDs = IdentifierGenerator()
        var lostUserCursors = 0
        var strict: Bool
        var violations = ViolationLog()

        var settings: EmulatorSnapshot.Settings {
            .init(
                faults: faults, rateLimits: limiter.limits, honorsIdempotencyKeys: honorsIdempotencyKeys,
                limits: store.fieldLimits, strict: strict)
        }
    }

    private let values: Mutex<Values>
    /// The only key accepted as `Authorization: Bearer <key>`.
    let apiKey: String
    /// Seconds since 1970, for timestamps and rate windows.
    let clock: @Sendable () -> Double
    /// Values in 0..<1, for fault draws.
    let random: @Sendable () -> Double
    /// Waits out injected latency.
    let sleep: @Sendable (Duration) async -> Void

    /// State for `configuration`. `clock`, `random` and `sleep` are injectable so tests neither wait nor
    /// gamble.
    init(
        configuration: EmulatorConfiguration,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) throws(EmulatorError) {
        try configuration.faults.validate()
        let store = try EmulatorStore(configuration: configuration, now: clock())
        values = Mutex(
            Values(
                store: store, limiter: RateLimiter(limits: configuration.rateLimits), faults: configuration.faults,
                honorsIdempotencyKeys: configuration.honorsIdempotencyKeys, strict: configuration.strict))
        apiKey = configuration.apiKey
        self.clock = clock
        self.random = random
        self.sleep = sleep
    }

    // MARK: The store

    /// Runs one store operation under the lock, with the current time.
    func withStore<Result: Sendable>(_ operation: (inout EmulatorStore, Double) throws(APIError) -> Result)
        throws(APIError)
        -> Result
    {
        let now = clock()
        return try values.withLock { values throws(APIError) in try operation(&values.store, now) }
    }

    /// The whole state and counters.
    func snapshot() -> EmulatorSnapshot {
        values.withLock { $0.store.snapshot(counters: $0.counters, settings: $0.settings) }
    }

    /// Only the counters: cheap to read while the store holds a million users.
    var counters: EmulatorCounters {
        values.withLock { $0.counters }
    }

    // MARK: Settings

    /// The run-time settings in force.
    var settings: EmulatorSnapshot.Settings {
        values.withLock { $0.settings }
    }

    /// Replaces the fault settings.
    func setFaults(_ faults: EmulatorFaults) {
        values.withLock { $0.faults = faults }
    }

    /// Replaces the rate limits (nil = off); windows start afresh.
    func setRateLimits(_ limits: EmulatorRateLimits?) {
        values.withLock { $0.limiter = RateLimiter(limits: limits) }
    }

    /// Turns `Idempotency-Key` replays on or off.
    func setHonorsIdempotencyKeys(_ on: Bool) {
        values.withLock { $0.honorsIdempotencyKeys = on }
    }

    /// Turns the creation of SSO connections on or off (off: `POST /connections` answers 404).
    func setSSOConnectionsEnabled(_ on: Bool) {
        values.withLock { $0.store.ssoConnectionsEnabled = on }
    }

    /// Switches the metadata and external_id limits for the requests that follow.
    func setFieldLimits(_ limits: EmulatorFieldLimits) {
        values.withLock { $0.store.fieldLimits = limits }
    }

    /// Makes the next `count` user lists asked with an `after` cursor behave as if someone deleted the
    /// cursor's user between pages and WorkOS lost its place: the user is deleted and the page is empty.
    func loseUserCursors(_ count: Int) {
        values.withLock { $0.lostUserCursors = max(0, count) }
    }

    /// Whether this user list (with a cursor) is one whose cursor is lost; counts it.
    func takeLostUserCursor() -> Bool {
        values.withLock { values in
            guard values.lostUserCursors > 0 else { return false }
            values.lostUserCursors -= 1
            return true
        }
    }

    /// Applies a `PUT /_emulate/config` body: faults merge into those in force, other fields replace.
    /// Throws ``EmulatorError`` when the merged faults are out of range, changing nothing.
    func apply(_ update: EmulatorSettingsUpdate) throws(EmulatorError) -> EmulatorSnapshot.Settings {
        try values.withLock { values throws(EmulatorError) in
            if let patch = update.faults {
                let faults = patch.applied(to: values.faults)
                try faults.validate()
                values.faults = faults
            }
            if let limits = update.rateLimits { values.limiter = RateLimiter(limits: limits) }
            if let honors = update.honorsIdempotencyKeys { values.honorsIdempotencyKeys = honors }
            if let limits = update.limits { values.store.fieldLimits = limits }
            if let strict = update.strict { values.strict = strict }
            if let on = update.ssoConnections { values.store.ssoConnectionsEnabled = on }
            return values.settings
        }
    }

    // MARK: Strict mode

    /// Whether requests are checked against the spec.
    var isStrict: Bool {
        values.withLock { $0.strict }
    }

    /// Turns checking requests against the spec on or off.
    func setStrict(_ on: Bool) {
        values.withLock { $0.strict = on }
    }

    /// Records problems strict mode found.
    func recordViolations(_ violations: [RequestViolation]) {
        values.withLock { $0.violations.append(violations) }
    }

    /// The violations recorded so far, and how many there were in all (the log keeps the first ones).
    var violations: ViolationLog {
        values.withLock { $0.violations }
    }

    /// The violations recorded so far, forgetting them.
    func takeViolations() -> ViolationLog {
        values.withLock { values in
            defer { values.violations = ViolationLog() }
            return values.violations
        }
    }

    // MARK: What middleware asks

    /// A new `req_…` id for an answer whose request sent none.
    func makeRequestID() -> String {
        let now = clock()
        return values.withLock { $0.requestIDs.make("req", now: now) }
    }

    /// Counts one answer of `route` with `status` (an HTTP status, or `reset` / `dropped`).
    func record(_ route: String, status: String) {
        values.withLock { $0.counters.record(route, status: status) }
    }

    /// Marks an API request as started and returns how many others were in flight when it arrived.
    func enter() -> Int {
        values.withLock { values in
            let others = values.inFlight
            values.inFlight += 1
            values.counters.maxInFlight = max(values.counters.maxInFlight, values.inFlight)
            return others
        }
    }

    /// How many API requests are being answered now.
    var requestsInFlight: Int {
        values.withLock { $0.inFlight }
    }

    /// Marks an API request as finished.
    func leave() {
        values.withLock { $0.inFlight -= 1 }
    }

    /// Asks the limiter about one request now; a refusal is counted.
    func admit(_ kind: RateLimiter.Kind) -> RateLimiter.Decision {
        let now = clock()
        return values.withLock { values in
            let decision = values.limiter.admit(kind, now: now)
            if case .limited = decision { values.counters.rateLimited += 1 }
            return decision
        }
    }

    /// The faults that apply to a request on `route`.
    func faults(for route: String) -> EmulatorFaults {
        values.withLock { $0.faults.applying(to: route) }
    }

    /// Counts one injected fault of `kind` (`latency`, `reset`, `error_503`, `commit_then_drop`, ...).
    func countFault(_ kind: String) {
        values.withLock { $0.counters.faults[kind, default: 0] += 1 }
    }

    /// Whether a repeated `Idempotency-Key` replays the first answer.
    var honorsIdempotencyKeys: Bool {
        values.withLock { $0.honorsIdempotencyKeys }
    }

    /// Claims `key` on `route`: nil when the caller is the first and must do the work, else the stored
    /// answer (counted as a replay). A caller that finds the key taken by a request still in progress waits
    /// for it, so a key's work is done once even when its retries overlap.
    func claimIdempotencyKey(route: String, key: String) async -> IdempotencyCache.Answer? {
        while true {
            let claim = await withCheckedContinuation { (waiter: CheckedContinuation<IdempotencyCache.Claim, Never>) in
                values.withLock { values in
                    let claim = values.idempotency.claim(route: route, key: key, waiter: waiter)
                    if case .replay = claim { values.counters.idempotentReplays += 1 }
                    if let claim { waiter.resume(returning: claim) }
                }
            }
            switch claim {
            case .owner: return nil
            case .replay(let answer): return answer
            case .retry: continue
            }
        }
    }

    /// Stores the first answer for a claimed key, or releases the claim when `answer` is nil.
    func finishIdempotencyKey(route: String, key: String, answer: IdempotencyCache.Answer?) {
        values.withLock { $0.idempotency.finish(route: route, key: key, answer: answer) }
    }
}
