import Foundation
import ImportCore
import Synchronization
import Testing

/// A clock that never really sleeps: sleeping jumps the time forward and records the wake-up.
final class ManualClock: Sendable {
    /// The current instant, the wake-ups so far, and a hook run once at the next sleep.
    private let state: Mutex<(now: ContinuousClock.Instant, wakeUps: [ContinuousClock.Instant])>
    /// Something to do while the next sleeper is suspended, e.g. deliver a 429.
    private let hook = Mutex<(@Sendable () async -> Void)?>(nil)

    /// Starts the clock at `start`.
    init(start: ContinuousClock.Instant) {
        state = Mutex((start, []))
    }

    /// The current instant.
    var now: ContinuousClock.Instant { state.withLock { $0.now } }
    /// Every instant a sleeper asked to wake at, in order.
    var wakeUps: [ContinuousClock.Instant] { state.withLock { $0.wakeUps } }

    /// Moves the time forward.
    func advance(by duration: Duration) {
        state.withLock { $0.now = $0.now + duration }
    }

    /// Runs `action` during the next sleep, before the time jumps.
    func duringNextSleep(_ action: @escaping @Sendable () async -> Void) {
        hook.withLock { $0 = action }
    }

    /// The clock as the pacer sees it.
    var pacerClock: ImportClock {
        ImportClock(
            now: { self.now }, wallNow: { Date(timeIntervalSince1970: 1_800_000_000) },
            sleepUntil: { deadline in
                try Task.checkCancellation()
                let action = self.hook.withLock { hook in
                    defer { hook = nil }
                    return hook
                }
                await action?()
                self.state.withLock { state in
                    state.wakeUps.append(deadline)
                    if deadline > state.now { state.now = deadline }
                }
            })
    }
}

extension RequestPacer {
    /// Acquires a place in `budget` and completes it at once, as a request answered without latency.
    func pass(_ budget: RequestBudget) async throws {
        let ticket = try await acquire(budget)
        complete(ticket, .answered)
    }
}

@Suite("Request pacer")
struct RateLimiterPacerTests {
    @Test("Requests through the pacer start 1/rate apart")
    func spacesRequests() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let pacer = RequestPacer(ratePerSecond: 10, clock: clock.pacerClock)
        for _ in 0..<5 { try await pacer.acquire() }
        #expect(clock.wakeUps == (1...4).map { start + .milliseconds(100 * $0) })
        #expect(clock.now == start + .milliseconds(400))
    }

    @Test("Organization deletes go 50 at once, then one a minute after each answer: never more than 50 in any 60 s")
    func organizationDeletesStayUnderTheirLimit() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let pacer = RequestPacer(rates: .default, clock: clock.pacerClock)
        var starts: [ContinuousClock.Instant] = []
        for _ in 0..<150 {
            try await pacer.pass(.organizationDelete)
            starts.append(clock.now)
        }
        #expect(starts.prefix(50).allSatisfy { $0 == start })
        let busiest = try #require(
            starts.map { from in starts.filter { $0 >= from && $0 < from + .seconds(60) }.count }.max())
        // WorkOS's 50 exactly: the window is filled, and never overfilled.
        #expect(busiest == 50)
        #expect(starts.last == start + .seconds(120))
        // The writes' own budget is not held back by the organization deletes.
        let before = clock.now
        try await pacer.pass(.userManagementWrite)
        #expect(clock.now - before < .milliseconds(50))
    }

    @Test("Without a rate limit the pacer never waits")
    func unlimitedNeverWaits() async throws {
        let clock = ManualClock(start: .now)
        let pacer = RequestPacer(ratePerSecond: nil, clock: clock.pacerClock)
        for _ in 0..<100 { try await pacer.acquire() }
        #expect(clock.wakeUps.isEmpty)
    }

    @Test("A 429 reported by one worker makes the next request wait for the Retry-After")
    func throttleDelaysNextAcquire() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let pacer = RequestPacer(ratePerSecond: 10, clock: clock.pacerClock)
        try await pacer.acquire()
        await pacer.throttled(retryAfter: .seconds(3))
        try await pacer.acquire()
        #expect(clock.now == start + .seconds(3))
        #expect(await pacer.currentRate < 10)
    }

    @Test("A request already waiting for its slot when a 429 arrives waits for the pause too")
    func waitingRequestHonoursNewPause() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let pacer = RequestPacer(ratePerSecond: 10, clock: clock.pacerClock)
        try await pacer.acquire()
        clock.duringNextSleep { await pacer.throttled(retryAfter: .seconds(2)) }
        try await pacer.acquire()
        #expect(clock.wakeUps == [start + .milliseconds(100), start + .seconds(2)])
        #expect(clock.now == start + .seconds(2))
    }

    @Test("Success reports bring the rate back to the limit")
    func successesRecover() async throws {
        let clock = ManualClock(start: .now)
        let pacer = RequestPacer(ratePerSecond: 20, clock: clock.pacerClock)
        await pacer.throttled(retryAfter: .seconds(1))
        clock.advance(by: .seconds(1))
        for _ in 0..<200 {
            try await pacer.acquire()
            await pacer.succeeded()
        }
        #expect(await pacer.currentRate == 20)
    }

    @Test("A cancelled task stops waiting and gets CancellationError")
    func cancellation() async {
        let clock = ManualClock(start: .now)
        let pacer = RequestPacer(ratePerSecond: 1, clock: clock.pacerClock)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await pacer.acquire()
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }

}
