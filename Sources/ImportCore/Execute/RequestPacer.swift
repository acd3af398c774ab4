/// The one gate every WorkOS request of a run passes through, organization look-ups included.
///
/// A thin shell around `RateLimiter`: it reads the clock, books a slot and sleeps until it. Workers call
/// `acquire()` before each request and report the answer with `succeeded()` or `throttled(retryAfter:)`, so
/// a 429 seen by one worker pauses all of them. Being an actor, slot booking is atomic; the sleep happens
/// outside the actor's critical section, so many workers can wait at once.
public actor RequestPacer {
    /// The pacing state; `.infinity` when the run is not rate limited (pauses after a 429 still apply).
    private var limiter: RateLimiter
    /// Where the time comes from; injected so tests never sleep.
    private let clock: ImportClock

    /// Creates the pacer of a run.
    ///
    /// - Parameters:
    ///   - ratePerSecond: the `--rate-limit`; nil means no spacing (a 429 still pauses the run).
    ///   - clock: the time source; the real monotonic clock unless a test injects its own.
    public init(ratePerSecond: Double?, clock: ImportClock = .system) {
        self.limiter = RateLimiter(ratePerSecond: ratePerSecond ?? .infinity)
        self.clock = clock
    }

    /// Creates a pacer around a limiter configured by the caller (burst, easing factors).
    public init(limiter: RateLimiter, clock: ImportClock = .system) {
        self.limiter = limiter
        self.clock = clock
    }

    /// Waits until this request may start.
    ///
    /// If a 429 arrives while the caller is waiting for a slot booked before it, the caller waits for the
    /// pause to end and books a fresh slot, so nothing is sent during a pause.
    /// - Throws: `CancellationError` when the task is cancelled (Ctrl-C), before or while waiting.
    public func acquire() async throws {
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            let slot = limiter.reserve(now: now)
            if slot > now {
                try await clock.sleepUntil(slot)
            }
            try Task.checkCancellation()
            if !limiter.isPaused(at: clock.now()) { return }
        }
    }

    /// Reports a 429: pauses every worker for `retryAfter` (or the default pause) and slows the run down.
    public func throttled(retryAfter: Duration?) {
        limiter.throttled(retryAfter: retryAfter, now: clock.now())
    }

    /// Reports a request that was not rate limited, easing the rate back towards the target.
    public func succeeded() {
        limiter.succeeded(now: clock.now())
    }

    /// The rate the pacer is currently aiming for, in requests per second (for progress and logs).
    public var currentRate: Double { limiter.currentRate }
}
