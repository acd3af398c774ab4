import Foundation
import ImportCore
import ImportCoreTestSupport
import Synchronization
import Testing
import WorkOSClient

/// Yields until `condition` holds, at most 100,000 times, and records a failure naming `what` otherwise.
private func yieldUntil(_ what: String, _ condition: () async -> Bool) async {
    for _ in 0..<100_000 {
        if await condition() { return }
        await Task.yield()
    }
    Issue.record("gave up waiting until \(what)")
}

@Suite("Request pacer: windows and tickets")
struct WindowPacerTests {
    /// Writes limited to three per 10 s; nothing else paced.
    static let threeWrites = PacingRates(
        writes: WindowLimit(requests: 3, per: .seconds(10)), reads: nil, general: nil, organizationDeletes: nil)

    @Test("with every place in flight, the next request waits for an answer and goes a window after it")
    func waitsForAnswer() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let pacer = RequestPacer(rates: Self.threeWrites, clock: clock.pacerClock)
        var tickets: [PacerTicket] = []
        for _ in 0..<3 { tickets.append(try await pacer.acquire(.userManagementWrite)) }
        #expect(clock.now == start, "the first three go at once")
        let fourth = Task { try await pacer.acquire(.userManagementWrite) }
        await yieldUntil("the fourth request waits for an answer") { await pacer.waitingForAnswer == 1 }
        clock.advance(by: .seconds(2))
        await pacer.complete(tickets[0], .answered)
        let ticket = try await fourth.value
        #expect(clock.now == start + .seconds(12))
        #expect(ticket.waited == .seconds(12))
        #expect(await pacer.inFlight(.userManagementWrite) == 3)
        #expect(await pacer.waitingForAnswer == 0)
    }

    @Test("a request cancelled while it waits for an answer gets CancellationError and holds no place")
    func cancelledWhileWaitingForAnswer() async throws {
        let clock = ManualClock(start: .now)
        let pacer = RequestPacer(rates: Self.threeWrites, clock: clock.pacerClock)
        var tickets: [PacerTicket] = []
        for _ in 0..<3 { tickets.append(try await pacer.acquire(.userManagementWrite)) }
        let waiting = Task { try await pacer.acquire(.userManagementWrite) }
        await yieldUntil("the fourth request waits for an answer") { await pacer.waitingForAnswer == 1 }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(await pacer.waitingForAnswer == 0)
        #expect(await pacer.inFlight(.userManagementWrite) == 3)
        for ticket in tickets { await pacer.complete(ticket, .answered) }
        #expect(await pacer.inFlight(.userManagementWrite) == 0)
    }

    @Test("a request cancelled while it sleeps until its instant gives its place back")
    func cancelledWhileSleeping() async throws {
        let clock = ManualClock(start: .now)
        let pacer = RequestPacer(rates: Self.threeWrites, clock: clock.pacerClock)
        for _ in 0..<3 { try await pacer.pass(.userManagementWrite) }
        // The window is full of answers: the next request books its place and sleeps until the first leaves.
        clock.duringNextSleep { withUnsafeCurrentTask { $0?.cancel() } }
        let task = Task { try await pacer.acquire(.userManagementWrite) }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.wakeUps.count == 1, "the request never slept")
        #expect(await pacer.inFlight(.userManagementWrite) == 0)
    }

    @Test("a ticket completed twice counts once, and does not complete a later request's place")
    func completedOnce() async throws {
        let clock = ManualClock(start: .now)
        let pacer = RequestPacer(rates: Self.threeWrites, clock: clock.pacerClock)
        let first = try await pacer.acquire(.userManagementWrite)
        await pacer.complete(first, .answered)
        let second = try await pacer.acquire(.userManagementWrite)
        await pacer.complete(first, .answered)
        #expect(await pacer.inFlight(.userManagementWrite) == 1)
        await pacer.complete(second, .noAnswer)
        #expect(await pacer.inFlight(.userManagementWrite) == 0)
    }

    @Test(
        "withSlot completes its place whatever the request's outcome",
        arguments: [SlotOutcome.answered, .noAnswer, .throttled(retryAfter: .seconds(1))])
    func withSlotCompletes(outcome: SlotOutcome) async throws {
        let clock = ManualClock(start: .now)
        let pacer = RequestPacer(rates: Self.threeWrites, clock: clock.pacerClock)
        let value = try await pacer.withSlot(.userManagementWrite) { waited in
            #expect(waited == .zero)
            return (7, outcome)
        }
        #expect(value == 7)
        #expect(await pacer.inFlight(.userManagementWrite) == 0)
        #expect(await pacer.isPacedEvenly(.userManagementWrite) == (outcome != .answered && outcome != .noAnswer))
    }

    @Test("a request that failed without an answer counts from when its failure was seen")
    func failureCountsFromWhenSeen() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let pacer = RequestPacer(
            rates: PacingRates(
                writes: WindowLimit(requests: 1, per: .seconds(10)), reads: nil, general: nil,
                organizationDeletes: nil),
            clock: clock.pacerClock)
        let ticket = try await pacer.acquire(.userManagementWrite)
        clock.advance(by: .seconds(5))
        await pacer.complete(ticket, .noAnswer)
        try await pacer.pass(.userManagementWrite)
        #expect(clock.now == start + .seconds(15))
    }

    @Test("the runner completes every place it holds, whatever each attempt ends with")
    func runnerNeverLeaks() async throws {
        let clock = ManualClock(start: .now)
        let pacer = RequestPacer(rates: .default, clock: clock.pacerClock)
        let runner = RequestRunner(pacer: pacer, policy: RetryPolicy(maxRetries: 2), clock: clock.pacerClock)
        let failures: [WorkOSClientError] = [
            .api(WorkOSAPIError(status: 429, message: "slow down")),
            .transport(message: "reset", requestMayHaveBeenProcessed: true),
            .api(WorkOSAPIError(status: 503, message: "busy")),
            .api(WorkOSAPIError(status: 400, message: "bad")),
        ]
        for failure in failures {
            let result = await runner.send(.userManagementWrite) { () throws(WorkOSClientError) -> Int in
                throw failure
            }
            guard case .failure = result else {
                Issue.record("a request that always fails with \(failure) succeeded")
                continue
            }
            #expect(await pacer.inFlight(.userManagementWrite) == 0, "after \(failure)")
            #expect(await pacer.inFlight(.generalOnly) == 0, "after \(failure)")
        }
        let result = await runner.send(.userManagementRead) { () throws(WorkOSClientError) -> Int in 1 }
        guard case .success(1) = result else {
            Issue.record("a request that succeeds failed: \(result)")
            return
        }
        #expect(await pacer.inFlight(.userManagementRead) == 0)
    }
}

@Suite("Request pacer: falling back after a 429")
struct PacerFallbackTests {
    @Test("a 429 inside the window: the budget waits for Retry-After, then spaces requests evenly, and says so once")
    func fallsBackToEvenPacing() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let reports = Mutex<[RequestBudget]>([])
        let pacer = RequestPacer(
            rates: PacingRates(writes: .average(10), reads: .average(10), general: nil), clock: clock.pacerClock
        ) { budget in reports.withLock { $0.append(budget) } }
        #expect(await !pacer.isPacedEvenly(.userManagementWrite))
        let first = try await pacer.acquire(.userManagementWrite)
        await pacer.complete(first, .throttled(retryAfter: .seconds(2)))
        // The rate is cut to 70 % of the 10 per second average.
        #expect(abs(await pacer.currentWriteRate - 7) < 1e-9)
        var starts: [ContinuousClock.Instant] = []
        for _ in 0..<5 {
            try await pacer.pass(.userManagementWrite)
            starts.append(clock.now)
        }
        #expect(starts.first == start + .seconds(2), "nothing is sent before the Retry-After ends")
        // Evenly spaced at that rate (eased up a little by each success), where the window alone would have sent
        // all five at once.
        for (earlier, later) in zip(starts, starts.dropFirst()) {
            #expect(later - earlier > .seconds(1 / 7.2) && later - earlier <= .milliseconds(143), "\(later - earlier)")
        }
        // Reads were not touched, and a second 429 is not reported again.
        #expect(await !pacer.isPacedEvenly(.userManagementRead))
        let second = try await pacer.acquire(.userManagementWrite)
        await pacer.complete(second, .throttled(retryAfter: nil))
        #expect(reports.withLock { $0 } == [.userManagementWrite])
        #expect(
            RequestPacer.fallbackWarning(.userManagementWrite).hasPrefix("warning: WorkOS answered 429"),
            "the line the run writes to stderr")
    }

    @Test("after a 429 the even rate recovers to the budget's average with successes, and spacing follows it")
    func recovers() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let pacer = RequestPacer(
            rates: PacingRates(writes: .average(10), reads: nil, general: nil), clock: clock.pacerClock)
        let first = try await pacer.acquire(.userManagementWrite)
        await pacer.complete(first, .throttled(retryAfter: .seconds(1)))
        var rates: [Double] = []
        var starts: [ContinuousClock.Instant] = []
        for _ in 0..<150 {
            try await pacer.pass(.userManagementWrite)
            starts.append(clock.now)
            rates.append(await pacer.currentWriteRate)
        }
        #expect(rates.first.map { $0 < 10 } == true)
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 <= $1 }, "the rate only climbs back")
        #expect(rates.last == 10)
        // Back at the full rate, requests go 100 ms apart, which 100 per 10 s allows.
        let lastGap = starts[starts.count - 1] - starts[starts.count - 2]
        #expect(lastGap == .milliseconds(100))
    }
}
