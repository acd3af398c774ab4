import ImportCore
import Testing

@Suite("Adaptive concurrency")
struct AdaptiveConcurrencyTests {
    static let start = ContinuousClock.now

    /// Feeds `count` samples of `latency` (milliseconds), one every `spacing`, and returns the instant after.
    @discardableResult
    static func feed(
        _ limit: inout AdaptiveConcurrency, count: Int, latency: Int, waited: Bool = false,
        kind: AdaptiveConcurrency.Sample.Kind = .answered, from: ContinuousClock.Instant = start,
        spacing: Duration = .milliseconds(20)
    ) -> ContinuousClock.Instant {
        var now = from
        for _ in 0..<count {
            limit.record(.init(latency: .milliseconds(latency), kind: kind, waitedForRate: waited), now: now)
            now += spacing
        }
        return now
    }

    @Test("steady latency with the rate not used up grows the limit, up to the ceiling and no further")
    func growsToCeiling() {
        var limit = AdaptiveConcurrency(initial: 10, ceiling: 64)
        Self.feed(&limit, count: 20, latency: 500)
        #expect(limit.limit > 10)
        #expect(limit.limit < 64, "twenty samples should not reach the ceiling yet")
        Self.feed(&limit, count: 500, latency: 500)
        #expect(limit.limit == 64)
        #expect(limit.constraint(now: Self.start + .seconds(30)) == .ceiling)
    }

    @Test("when most requests wait for their rate slot the limit holds")
    func holdsWhenRateBound() {
        var limit = AdaptiveConcurrency(initial: 10, ceiling: 64)
        var next = Self.feed(&limit, count: 30, latency: 250)
        #expect(limit.limit > 10)
        // Once most recent requests waited for their slot, the limit stops growing.
        next = Self.feed(&limit, count: 20, latency: 250, waited: true, from: next)
        let grown = limit.limit
        Self.feed(&limit, count: 300, latency: 250, waited: true, from: next)
        #expect(limit.limit <= grown, "the rate, not the rows in flight, holds the run back")
        #expect(limit.limit < 64)
        #expect(limit.constraint(now: Self.start + .seconds(30)) == .rateLimit)
    }

    @Test("latency that climbs well above its long average shrinks the limit, at most by half per step")
    func shrinksWhenLatencyClimbs() {
        var limit = AdaptiveConcurrency(initial: 40, ceiling: 64)
        var now = Self.feed(&limit, count: 200, latency: 100, waited: true)
        let settled = limit.limit
        var previous = limit.estimate
        for _ in 0..<60 {
            limit.record(.init(latency: .milliseconds(600)), now: now)
            #expect(limit.estimate >= previous * 0.5)
            previous = limit.estimate
            now += .milliseconds(20)
        }
        #expect(limit.limit < settled / 2, "six times the latency should at least halve the limit")
        #expect(limit.constraint(now: now) == .latency)
    }

    @Test("an overload cuts the limit once per latency period (at most twice a second), never below the floor")
    func overloadCutsOnce() {
        var limit = AdaptiveConcurrency(initial: 40, ceiling: 64, floor: 2)
        let now = Self.feed(&limit, count: 10, latency: 200, waited: true)
        let before = limit.estimate
        // A volley of failures from rows that were in flight together: one cut.
        Self.feed(&limit, count: 5, latency: 0, kind: .overloaded, from: now, spacing: .milliseconds(10))
        #expect(abs(limit.estimate - before * 0.9) < 1e-9)
        #expect(limit.constraint(now: now + .seconds(1)) == .errors)
        // Failures spread out over time keep cutting, down to the floor.
        Self.feed(&limit, count: 200, latency: 0, kind: .overloaded, from: now + .seconds(1), spacing: .seconds(1))
        #expect(limit.limit == 2)
    }

    @Test("after overloads stop and latency is steady again, the limit recovers")
    func recovers() {
        var limit = AdaptiveConcurrency(initial: 30, ceiling: 64)
        var now = Self.feed(&limit, count: 30, latency: 300, kind: .overloaded, spacing: .seconds(1))
        let low = limit.limit
        #expect(low < 10)
        now = Self.feed(&limit, count: 200, latency: 300, from: now + .seconds(11))
        #expect(limit.limit > low * 3)
        #expect(limit.constraint(now: now) != .errors)
    }

    @Test("with a write window, the limit stops where the rows send the window's writes in a quarter second")
    func stopsAtWindowDemand() {
        let demand = AdaptiveConcurrency.WindowDemand(writesPerWindow: 500)
        // Near WorkOS (2 ms a request) the window needs 4 rows: the limit stays where it started.
        var near = AdaptiveConcurrency(initial: 10, ceiling: 500, demand: demand)
        let end = Self.feed(&near, count: 2_000, latency: 2)
        #expect(near.limit == 10)
        #expect(near.constraint(now: end) == .enough)
        // 50 ms away it is 100 rows: the limit grows to them and no further.
        var mid = AdaptiveConcurrency(initial: 10, ceiling: 500, demand: demand)
        Self.feed(&mid, count: 2_000, latency: 50)
        #expect(mid.limit >= 100 && mid.limit < 130, "grew to \(mid.limit)")
        // Half a second away a whole window of rows is needed: the ceiling.
        var far = AdaptiveConcurrency(initial: 10, ceiling: 500, demand: demand)
        let farEnd = Self.feed(&far, count: 2_000, latency: 500)
        #expect(far.limit == 500)
        #expect(far.constraint(now: farEnd) == .ceiling)
        // Without a window (writes not paced) the limit climbs to the ceiling whatever the latency.
        var unpaced = AdaptiveConcurrency(initial: 10, ceiling: 64)
        Self.feed(&unpaced, count: 2_000, latency: 2)
        #expect(unpaced.limit == 64)
    }

    @Test(
        "a window's demand: W × latency / a quarter second, at least 1, at most W",
        arguments: [
            (500, 0.0, 1), (500, 0.002, 4), (500, 0.05, 100), (500, 0.25, 500), (500, 2.0, 500), (100, 0.1, 40),
        ]
            as [(Int, Double, Int)])
    func windowDemandRows(writes: Int, latency: Double, rows: Int) {
        #expect(AdaptiveConcurrency.WindowDemand(writesPerWindow: writes).rows(latency: latency) == rows)
    }

    @Test("a fixed limit never moves")
    func fixedNeverMoves() {
        var limit = AdaptiveConcurrency.fixed(10)
        Self.feed(&limit, count: 100, latency: 500)
        Self.feed(&limit, count: 100, latency: 5_000, kind: .overloaded, spacing: .seconds(1))
        #expect(limit.limit == 10)
        #expect(limit.isFixed)
        #expect(limit.constraint(now: Self.start) == .fixed)
    }

    @Test("a control shares the limit and reports rows in flight, their peak and writes sent")
    func controlSnapshot() {
        let clock = ManualClock(start: Self.start)
        let control = ConcurrencyControl(
            limit: AdaptiveConcurrency(initial: 10, ceiling: 64), writeRateTarget: 49, clock: clock.pacerClock)
        control.setRowsInFlight(7)
        control.setRowsInFlight(3)
        control.writeSent()
        control.writeSent()
        for _ in 0..<50 {
            control.record(.init(latency: .milliseconds(400)))
            clock.advance(by: .milliseconds(20))
        }
        let snapshot = control.snapshot()
        #expect(snapshot.rowsInFlight == 3)
        #expect(snapshot.peakRowsInFlight == 7)
        #expect(snapshot.writesSent == 2)
        #expect(snapshot.limit == control.limit)
        #expect(snapshot.limit > 10)
        #expect(snapshot.writeRateTarget == 49)
    }
}

@Suite("Request pacer: budgets")
struct RequestPacerBudgetTests {
    @Test("writes and reads are paced each to its own window, so a look-up never spends write budget")
    func separateBudgets() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let fivePerSecond = WindowLimit(requests: 5, per: .seconds(1))
        let pacer = RequestPacer(
            rates: PacingRates(writes: fivePerSecond, reads: fivePerSecond, general: nil), clock: clock.pacerClock)
        for _ in 0..<10 {
            try await pacer.pass(.userManagementWrite)
            try await pacer.pass(.userManagementRead)
        }
        // Ten of each at five per second each: the second five of both go after one second, not the two seconds
        // (four windows of five) that one shared budget would take.
        #expect(clock.now == start + .seconds(1))
    }

    @Test("the general budget bounds every request together")
    func generalBoundsAll() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let fivePerSecond = WindowLimit(requests: 5, per: .seconds(1))
        let pacer = RequestPacer(
            rates: PacingRates(
                writes: fivePerSecond, reads: fivePerSecond, general: WindowLimit(requests: 6, per: .seconds(1))),
            clock: clock.pacerClock)
        for _ in 0..<3 {
            try await pacer.pass(.userManagementWrite)
            try await pacer.pass(.userManagementRead)
        }
        // Six requests fill the general window, though neither the writes' nor the reads' is full.
        #expect(clock.now == start)
        try await pacer.pass(.generalOnly)
        #expect(clock.now == start + .seconds(1))
    }

    @Test("a 429 on a write pauses writes only; reads go on, and acquire says how long it waited")
    func throttlePausesItsBudget() async throws {
        let start = ContinuousClock.now
        let clock = ManualClock(start: start)
        let pacer = RequestPacer(
            rates: PacingRates(writes: .average(10), reads: .average(10), general: nil), clock: clock.pacerClock)
        let write = try await pacer.acquire(.userManagementWrite)
        await pacer.complete(write, .throttled(retryAfter: .seconds(3)))
        let read = try await pacer.acquire(.userManagementRead)
        #expect(read.waited == .zero)
        #expect(clock.now == start)
        let writeAgain = try await pacer.acquire(.userManagementWrite)
        #expect(writeAgain.waited == .seconds(3))
        #expect(await pacer.currentWriteRate < 10)
    }
}

@Suite("Concurrency control: is the write rate used up")
struct ConcurrencyControlRateTests {
    @Test("requests that go at once let the limit grow, even above the average rate; waits for the window hold it")
    func rateUsedUp() {
        let clock = ManualClock(start: .now)
        let control = ConcurrencyControl(
            limit: AdaptiveConcurrency(initial: 10, ceiling: 64), writeRateTarget: 50, clock: clock.pacerClock)
        // A first window with room: 100 writes a second, twice the average rate, none waiting for its place.
        for _ in 0..<60 {
            for _ in 0..<10 {
                control.writeSent()
                control.record(.init(latency: .milliseconds(100)))
            }
            clock.advance(by: .milliseconds(100))
        }
        #expect(control.limit == 64, "the window had room, so the limit should have grown to the ceiling")
        #expect(control.snapshot().constraint == .ceiling, "writes above the average rate are not yet the bound")
        // Now the window is full and requests wait for their place: the limit holds.
        for _ in 0..<300 {
            control.writeSent()
            control.record(.init(latency: .milliseconds(100), waitedForRate: true))
            clock.advance(by: .milliseconds(20))
        }
        let held = control.limit
        for _ in 0..<300 {
            control.writeSent()
            control.record(.init(latency: .milliseconds(100), waitedForRate: true))
            clock.advance(by: .milliseconds(20))
        }
        #expect(control.limit <= held)
        #expect(control.snapshot().constraint == .rateLimit)
        #expect(control.snapshot().writesSent == 1_200)
    }
}
