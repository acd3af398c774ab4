#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The one clock of an import: the monotonic time that paces requests, spaces retries, flushes the journal and
/// draws progress; the wall-clock time written in files and compared with WorkOS's `created_at`; and sleeping.
///
/// Everything that reads the time or waits takes this value, so a test that injects a manual clock controls
/// every wait of a run and never really sleeps. `RateLimiter` works in `ContinuousClock.Instant`s, which an
/// arbitrary `any Clock<Duration>` cannot produce, hence closures rather than a generic clock.
public struct ImportClock: Sendable {
    /// The current monotonic instant.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// The current wall-clock time.
    public var wallNow: @Sendable () -> Date
    /// Suspends until the given instant; throws `CancellationError` if the task is cancelled meanwhile.
    public var sleepUntil: @Sendable (ContinuousClock.Instant) async throws -> Void

    /// Creates a clock from its operations.
    public init(
        now: @escaping @Sendable () -> ContinuousClock.Instant, wallNow: @escaping @Sendable () -> Date,
        sleepUntil: @escaping @Sendable (ContinuousClock.Instant) async throws -> Void
    ) {
        self.now = now
        self.wallNow = wallNow
        self.sleepUntil = sleepUntil
    }

    /// Suspends for `duration`.
    public func sleep(for duration: Duration) async throws {
        try await sleepUntil(now() + duration)
    }

    /// The machine's clocks, with cancellation-aware sleeping.
    public static var system: ImportClock {
        ImportClock(
            now: { ContinuousClock.now }, wallNow: { Date() },
            sleepUntil: { deadline in
                try await Task.sleep(until: deadline, tolerance: .milliseconds(1), clock: .continuous)
            })
    }
}
