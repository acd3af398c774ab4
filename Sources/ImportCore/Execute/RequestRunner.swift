import Foundation
import WorkOSClient

/// Sends API calls through the run's shared pacer and retries them by the run's retry policy.
///
/// Every request of a run, organization look-ups included, goes through one ``RequestPacer``, so the run
/// never exceeds its rate and a 429 pauses every worker. A failure that leaves the outcome unknown (a timeout,
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

    /// - Parameters:
    ///   - pacer: the run's one pacer.
    ///   - policy: when and how long to wait before retrying.
    ///   - clock: the run's clock: retries wait on it, and a `Retry-After` date is read against it.
    public init(pacer: RequestPacer, policy: RetryPolicy, clock: ImportClock = .system) {
        self.pacer = pacer
        self.policy = policy
        self.clock = clock
    }

    private func sleep(_ duration: Duration) async throws {
        try await clock.sleep(for: duration)
    }

    /// Runs `operation` until it succeeds, fails for good, or the retry policy gives up.
    public func send<Value: Sendable>(
        _ operation: @Sendable () async throws(WorkOSClientError) -> Value,
        settle: (@Sendable () async throws(WorkOSClientError) -> Settlement<Value>)? = nil
    ) async -> Result<Value> {
        var attempts = 0
        var ambiguous = false
        var random = SystemRandomNumberGenerator()
        while true {
            if ambiguous, let settle {
                switch await paced(settle) {
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
            switch await paced(operation) {
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

    /// One attempt, after waiting for the pacer's slot; reports success and 429s back to the pacer.
    private func paced<Value: Sendable>(
        _ operation: @Sendable () async throws(WorkOSClientError) -> Value
    ) async -> Swift.Result<Value, WorkOSClientError> {
        do {
            try await pacer.acquire()
        } catch {
            return .failure(.transport(message: "cancelled", requestMayHaveBeenProcessed: false))
        }
        do throws(WorkOSClientError) {
            let value = try await operation()
            await pacer.succeeded()
            return .success(value)
        } catch {
            if case .api(let apiError) = error, apiError.status == 429 {
                await pacer.throttled(retryAfter: retryAfter(apiError))
            } else if error.httpStatus != nil {
                await pacer.succeeded()
            }
            return .failure(error)
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
