/// The two clock operations the pacer needs: read the time, and sleep until an instant.
///
/// `RateLimiter` works in `ContinuousClock.Instant`s, which an arbitrary `any Clock<Duration>` cannot
/// produce, so the pacer takes this pair of closures instead. Production code uses `.continuous`; tests pass
/// a manual clock whose sleep advances a shared instant immediately, so no test ever really waits.
public struct PacerClock: Sendable {
    /// Returns the current instant.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// Suspends until the given instant; throws `CancellationError` if the task is cancelled meanwhile.
    public var sleepUntil: @Sendable (ContinuousClock.Instant) async throws -> Void

    /// Creates a clock from its two operations.
    public init(
        now: @escaping @Sendable () -> ContinuousClock.Instant,
        sleepUntil: @escaping @Sendable (ContinuousClock.Instant) async throws -> Void
    ) {
        self.now = now
        self.sleepUntil = sleepUntil
    }

    /// The real monotonic clock, unaffected by wall-clock changes, with cancellation-aware sleeping.
    public static var continuous: PacerClock {
        PacerClock(
            now: { ContinuousClock.now },
            sleepUntil: { deadline in
                try await Task.sleep(until: deadline, tolerance: .milliseconds(1), clock: .continuous)
            }
        )
    }
}
