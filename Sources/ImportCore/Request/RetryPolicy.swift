/// When to send a failed request again, and how long to wait first: a pure function of the failure, the
/// attempt count and a random number generator, so tests replay it with a seeded generator.
///
/// - 408, 5xx and transport errors back off exponentially: `baseDelay * 2^(attempt-1)`, capped at
///   `maxDelay`, then scaled by a random factor in [0.5, 1] ("equal jitter"). The jitter keeps workers that
///   failed together from retrying together; the half that is kept makes every delay at least as long as the
///   previous attempt's longest, so delays never shrink while under the cap.
/// - A 429 with Retry-After waits exactly that long (capped at `retryAfterCap`), with no jitter: the
///   `RequestPacer` pauses every worker until the same instant, so jitter would only delay this request past
///   the pause without spreading load. A 429 without Retry-After backs off like the others.
public struct RetryPolicy: Sendable, Equatable {
    /// The smallest `--max-retries` the CLI accepts: 2 retries make the 3 attempts the import promises.
    public static let minimumRetries = 2

    /// Retries allowed after the first attempt (`--max-retries`); 5 means up to 6 attempts.
    public var maxRetries: Int
    /// The backoff before the first retry, before jitter.
    public var baseDelay: Duration
    /// The longest backoff before jitter.
    public var maxDelay: Duration
    /// The longest Retry-After honoured; WorkOS SDKs use 60 s.
    public var retryAfterCap: Duration

    /// Creates a policy; the defaults follow the contract's recommendation (5 retries, 500 ms doubling to 30 s).
    public init(
        maxRetries: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        retryAfterCap: Duration = .seconds(60)
    ) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.retryAfterCap = retryAfterCap
    }

    /// The total number of attempts a request may get.
    public var maxAttempts: Int { maxRetries + 1 }

    /// How long to wait before sending the request again, or nil to give up.
    ///
    /// - Parameters:
    ///   - failure: what went wrong with the latest attempt.
    ///   - attempt: how many attempts were made so far, counting the one that just failed (1 after the first).
    ///   - random: the source of jitter; pass a seeded generator in tests.
    public func delay(
        after failure: RetryableFailure, attempt: Int, random: inout some RandomNumberGenerator
    ) -> Duration? {
        guard attempt >= 1, attempt <= maxRetries else { return nil }
        if case .rateLimited(let retryAfter?) = failure {
            if retryAfter < .zero { return .zero }
            return min(retryAfter, retryAfterCap)
        }
        let base = Self.seconds(baseDelay)
        let cap = Self.seconds(maxDelay)
        let exponent = Double(min(attempt - 1, 60))
        let backoff = min(cap, base * Double.pow2(exponent))
        let jitter = Double.random(in: 0.5...1.0, using: &random)
        return .nanoseconds(Int64((backoff * jitter * 1e9).rounded()))
    }

    /// A duration in seconds, as a `Double`, for the backoff arithmetic.
    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}

extension Double {
    /// 2 raised to `exponent`, without importing a math library.
    fileprivate static func pow2(_ exponent: Double) -> Double {
        Double(sign: .plus, exponent: Int(exponent), significand: 1)
    }
}
