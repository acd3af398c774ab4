import Foundation
import WorkOSClient

/// Sends API calls through the run's shared pacer and retries them by the run's retry policy.
///
/// Every request of a run, organization look-ups included, goes through one ``RequestPacer``, so the run
/// never exceeds its rates and a 429 pauses every worker drawing on the same budget. Each attempt is also a
/// sample for the run's ``ConcurrencyControl``, which sets how many rows may be in flight. A failure that leaves the outcome unknown (a timeout,
/// a dropped connection, a 5xx) is *ambiguous*: before such a call is retried, an optional `settle` step asks
/// WorkOS whether the first attempt took effect, which keeps creates exactly-once even when the server
/// ignores `Idempotency-Key`.
public struct RequestRunner: Sendable {
    /// How a call ended after all its attempts.
    public enum Result<Value: Sendable>: Sendable {
        /// An attempt succeeded.
        case success(Value)
        /// An attempt failed ambiguously and `settle` found that it had taken effect.
        case settled(Value)
        /// The call failed for good; `ambiguous` tells whether any attempt may have taken effect.
        case failure(WorkOSClientError, ambiguous: Bool)
    }

    /// What a settle step found.
    public enum Settlement<Value: Sendable>: Sendable {
        /// The earlier attempt took effect; this is its result.
        case found(Value)
        /// The earlier attempt did not take effect; retrying is safe.
        case notFound
    }

    let pacer: RequestPacer
    let policy: RetryPolicy
    let clock: ImportClock
    let control: ConcurrencyControl?

    /// - Parameters:
    ///   - pacer: the run's one pacer.
    ///   - policy: when and how long to wait before retrying.
    ///   - clock: the run's clock: retries wait on it, and a `Retry-After` date is read against it.
    ///   - control: where each attempt's latency and outcome go, to adapt the rows in flight; nil for none.
    public init(
        pacer: RequestPacer, policy: RetryPolicy, clock: ImportClock = .system, control: ConcurrencyControl? = nil
    ) {
        self.pacer = pacer
        self.policy = policy
        self.clock = clock
        self.control = control
    }

    private func sleep(_ duration: Duration) async throws {
        try await clock.sleep(for: duration)
    }

    /// Runs `operation` until it succeeds, fails for good, or the retry policy gives up.
    ///
    /// - Parameters:
    ///   - budget: the rate budget `operation` draws on; `settle` draws on the matching read budget.
    ///   - operation: one attempt.
    ///   - settle: after an ambiguous failure, finds out whether the attempt took effect.
    public func send<Value: Sendable>(
        _ budget: RequestBudget,
        _ operation: @Sendable () async throws(WorkOSClientError) -> Value,
        settle: (@Sendable () async throws(WorkOSClientError) -> Settlement<Value>)? = nil
    ) async -> Result<Value> {
        var attempts = 0
        var ambiguous = false
        var random = SystemRandomNumberGenerator()
        while true {
            if ambiguous, let settle {
                switch await paced(budget.settleBudget, settle) {
                case .success(.found(let value)): return .settled(value)
                case .success(.notFound): ambiguous = false
                case .failure(let error):
                    // The check itself failed; count it as an attempt and try again later.
                    attempts += 1
                    guard let delay = retryDelay(for: error, attempts: attempts, random: &random) else {
                        return .failure(error, ambiguous: true)
                    }
                    guard (try? await sleep(delay)) != nil else { return .failure(error, ambiguous: true) }
                    continue
                }
            }
            attempts += 1
            switch await paced(budget, operation) {
            case .success(let value):
                return .success(value)
            case .failure(let error):
                guard let delay = retryDelay(for: error, attempts: attempts, random: &random) else {
                    return .failure(error, ambiguous: ambiguous || Self.isAmbiguous(error))
                }
                ambiguous = ambiguous || Self.isAmbiguous(error)
                guard (try? await sleep(delay)) != nil else { return .failure(error, ambiguous: ambiguous) }
            }
        }
    }

    /// One attempt, holding a place in the pacer's budgets from just before it is sent until its outcome is
    /// known; reports the outcome (answer, 429, failure without an answer) back to the pacer, and the attempt's
    /// latency and outcome to the concurrency control.
    private func paced<Value: Sendable>(
        _ budget: RequestBudget, _ operation: @Sendable () async throws(WorkOSClientError) -> Value
    ) async -> Swift.Result<Value, WorkOSClientError> {
        do {
            return try await pacer.withSlot(budget) { waited in
                await attempt(budget, waited: waited, operation)
            }
        } catch {
            return .failure(.transport(message: "cancelled", requestMayHaveBeenProcessed: false))
        }
    }

    /// Sends one attempt whose place is held, and says how it ended for the pacer.
    private func attempt<Value: Sendable>(
        _ budget: RequestBudget, waited: Duration, _ operation: @Sendable () async throws(WorkOSClientError) -> Value
    ) async -> (Swift.Result<Value, WorkOSClientError>, SlotOutcome) {
        if budget == .userManagementWrite { control?.writeSent() }
        let sent = clock.now()
        let waitedForRate = waited > .milliseconds(1)
        do throws(WorkOSClientError) {
            let value = try await operation()
            control?.record(.init(latency: clock.now() - sent, kind: .answered, waitedForRate: waitedForRate))
            return (.success(value), .answered)
        } catch {
            let latency = clock.now() - sent
            if case .api(let apiError) = error, apiError.status == 429 {
                return (.failure(error), .throttled(retryAfter: retryAfter(apiError)))
            }
            if Self.isTimeout(error) { control?.requestTimedOut() }
            let kind: AdaptiveConcurrency.Sample.Kind = Self.isOverload(error) ? .overloaded : .answered
            control?.record(.init(latency: latency, kind: kind, waitedForRate: waitedForRate))
            return (.failure(error), error.httpStatus != nil ? .answered : .noAnswer)
        }
    }

    /// Whether a request ended without an answer from WorkOS in time: a 408, a timeout or a lost connection.
    static func isTimeout(_ error: WorkOSClientError) -> Bool {
        switch error {
        case .api(let apiError): apiError.status == 408
        case .transport: true
        case .invalidResponse: false
        }
    }

    /// Whether a failure says WorkOS (or the way to it) is struggling: a timeout, a network failure, a 5xx.
    static func isOverload(_ error: WorkOSClientError) -> Bool {
        switch error {
        case .api(let apiError): apiError.status == 408 || (500...599).contains(apiError.status)
        case .transport: true
        case .invalidResponse: false
        }
    }

    private func retryDelay(
        for error: WorkOSClientError, attempts: Int, random: inout SystemRandomNumberGenerator
    ) -> Duration? {
        guard let failure = retryableFailure(error) else { return nil }
        return policy.delay(after: failure, attempt: attempts, random: &random)
    }

    /// Maps a client error to the retry policy's vocabulary; `nil` when retrying cannot help.
    func retryableFailure(_ error: WorkOSClientError) -> RetryableFailure? {
        switch error {
        case .api(let apiError):
            switch apiError.status {
            case 429: return .rateLimited(retryAfter: retryAfter(apiError))
            case 408: return .timeout
            case 500...599: return .serverError(status: apiError.status)
            default: return nil
            }
        case .transport:
            return .transport
        case .invalidResponse:
            return nil
        }
    }

    /// Whether the failed attempt may still have taken effect on the server.
    static func isAmbiguous(_ error: WorkOSClientError) -> Bool {
        switch error {
        case .api(let apiError): apiError.status == 408 || (500...599).contains(apiError.status)
        case .transport(_, let requestMayHaveBeenProcessed): requestMayHaveBeenProcessed
        case .invalidResponse: false
        }
    }

    private func retryAfter(_ error: WorkOSAPIError) -> Duration? {
        let now = clock.wallNow()
        return error.retryAfter.flatMap { RetryPolicy.parseRetryAfter($0, now: now) }
    }
}
