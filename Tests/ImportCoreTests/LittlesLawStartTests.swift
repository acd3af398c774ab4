import ImportCore
import Testing

@Suite("Little's-law start of the rows in flight")
struct LittlesLawStartTests {
    @Test(
        "rows in flight = rows per second × requests per row × latency, rounded up; no rate, no answer",
        arguments: [
            (25.0, 500, 2, 25),  // 1,000 users into an organization at 500 ms: 50 writes/s, two per row
            (50.0, 500, 1, 25),  // users only at 500 ms
            (50.0, 250, 1, 13),  // 12.5 rounds up, so the rate is never short by part of a row
            (25.0, 250, 2, 13),
            (50.0, 0, 1, 0),  // no latency: Little's law asks for nothing, and the start is the floor
            (50.0, 20, 1, 1),
        ])
    func rows(example: (rate: Double, latencyMilliseconds: Int, requestsPerRow: Int, expected: Int)) {
        let rows = AdaptiveConcurrency.littlesLawRows(
            rowsPerSecond: example.rate, latency: .milliseconds(example.latencyMilliseconds),
            requestsPerRow: example.requestsPerRow)
        #expect(rows == example.expected)
    }

    @Test("without a rate (--rate-limit off) there is no level to compute")
    func noRate() {
        #expect(
            AdaptiveConcurrency.littlesLawRows(rowsPerSecond: nil, latency: .milliseconds(500), requestsPerRow: 2)
                == nil)
        #expect(
            AdaptiveConcurrency.littlesLawRows(
                rowsPerSecond: .infinity, latency: .milliseconds(500), requestsPerRow: 2) == nil)
    }

    @Test(
        "the start stays within the floor and the ceiling, below the initial limit too when WorkOS is near",
        arguments: [(25, 25), (200, 64), (3, 3), (0, 1), (64, 64)])
    func startClamps(rows: Int, expected: Int) {
        var limit = AdaptiveConcurrency(initial: 10, ceiling: 64)
        limit.start(at: rows)
        #expect(limit.limit == expected)
    }

    @Test("a run with fewer writes than a window holds grows only to what sends those within the spread")
    func writesAheadCapTheDemand() {
        // 2 ms answers: a window of 500 writes within a quarter second asks for 4 rows; 100 writes for 1.
        let demand = AdaptiveConcurrency.WindowDemand(writesPerWindow: 500)
        var whole = AdaptiveConcurrency(initial: 10, ceiling: 500, demand: demand)
        whole.start(at: 1)
        var few = AdaptiveConcurrency(initial: 10, ceiling: 500, demand: demand)
        few.start(at: 1, writesAhead: 100)
        var many = AdaptiveConcurrency(initial: 10, ceiling: 500, demand: demand)
        many.start(at: 1, writesAhead: 20_000)
        let start = ContinuousClock.now
        for answer in 0..<200 {
            let now = start.advanced(by: .milliseconds(2 * answer))
            whole.record(.init(latency: .milliseconds(2)), now: now)
            few.record(.init(latency: .milliseconds(2)), now: now)
            many.record(.init(latency: .milliseconds(2)), now: now)
        }
        #expect(few.demand == AdaptiveConcurrency.WindowDemand(writesPerWindow: 100))
        #expect(few.limit == 1, "100 writes 2 ms away need one row, not \(few.limit)")
        #expect(whole.limit == 4, "a window's 500 writes 2 ms away need four rows, not \(whole.limit)")
        #expect(many == whole, "more writes than a window holds leave the window's demand")
    }

    @Test("a fixed limit keeps its rows whatever the writes ahead")
    func writesAheadLeaveFixed() {
        var fixed = AdaptiveConcurrency.fixed(5)
        fixed.start(at: 1, writesAhead: 3)
        #expect(fixed.limit == 5)
    }

    @Test("a fixed limit, or a run without a rate, keeps its limit")
    func startLeavesFixedAndUnpaced() {
        var fixed = AdaptiveConcurrency.fixed(5)
        fixed.start(at: 40)
        #expect(fixed.limit == 5)
        var unpaced = AdaptiveConcurrency(initial: 10, ceiling: 64)
        unpaced.start(at: nil)
        #expect(unpaced.limit == 10)
    }

    @Test("the configuration's start: the write budget's average rate shared by the writes of a row")
    func configurationStart() {
        let usersOnly = ImportConfiguration()
        #expect(usersOnly.startingRows(latency: .milliseconds(500)) == 25)
        let intoOrganization = ImportConfiguration(organization: .id("org_1"))
        #expect(intoOrganization.startingRows(latency: .milliseconds(500)) == 25)
        #expect(intoOrganization.startingRows(latency: .milliseconds(250)) == 13)
        let slower = ImportConfiguration(
            organization: .id("org_1"), rates: PacingRates(writes: .average(20), reads: nil, general: nil))
        #expect(slower.startingRows(latency: .milliseconds(500)) == 10)
        #expect(ImportConfiguration(rates: .off).startingRows(latency: .milliseconds(500)) == nil)
    }

    @Test("started at Little's level, a run far away sends its first round at the rate instead of below it")
    func startSavesTheRamp() {
        // 500 ms requests, users into an organization (two each) at 50 writes/s: 25 rows fill the rate. The
        // first round of rows goes out before any answer can move the limit.
        let configuration = ImportConfiguration(organization: .id("org_1"))
        var started = configuration.concurrencyLimit
        started.start(at: configuration.startingRows(latency: .milliseconds(500)))
        #expect(started.limit == 25)
        #expect(configuration.concurrencyLimit.limit == 10, "without the start the first round is 10 rows")
        // From there it adapts as before: steady answers with room in the window let it grow.
        for _ in 0..<50 { started.record(.init(latency: .milliseconds(500)), now: .now) }
        #expect(started.limit > 25)
    }
}
