import ImportCore
import Testing

/// An arbitrary fixed origin; every instant in these tests is `origin + something`.
private let origin = ContinuousClock.now

@Suite("Window budget")
struct WindowBudgetTests {
    @Test("the first W go at once; the W+1st waits for an answer, then goes exactly T after the first answer")
    func firstWindow() {
        var budget = WindowBudget(capacity: 5, window: .seconds(10))
        for _ in 0..<5 {
            #expect(budget.earliestStart(now: origin) == origin)
            budget.started()
        }
        #expect(budget.earliestStart(now: origin) == nil, "all five are in flight: only an answer frees a place")
        budget.finished(at: origin + .seconds(1))
        #expect(budget.earliestStart(now: origin + .seconds(1)) == origin + .seconds(11))
        // No margin either way: one nanosecond earlier is too early, the instant itself is allowed.
        #expect(!budget.allows(now: origin + .seconds(11) - .nanoseconds(1)))
        #expect(budget.allows(now: origin + .seconds(11)))
        #expect(budget.counted(now: origin + .seconds(11)) == 4)
    }

    @Test("answers leave the window one by one, each freeing one place exactly T after it arrived")
    func answersLeaveInOrder() throws {
        var budget = WindowBudget(capacity: 3, window: .seconds(10))
        for _ in 0..<3 { budget.started() }
        budget.finished(at: origin + .seconds(1))
        budget.finished(at: origin + .seconds(2))
        budget.finished(at: origin + .seconds(4))
        var now = origin + .seconds(4)
        var starts: [ContinuousClock.Instant] = []
        for _ in 0..<3 {
            let start = try #require(budget.earliestStart(now: now))
            starts.append(start)
            now = start
            budget.started()
        }
        #expect(starts == [origin + .seconds(11), origin + .seconds(12), origin + .seconds(14)])
        #expect(budget.earliestStart(now: now) == nil)
    }

    @Test("a budget with room answers now, whatever the answers before")
    func roomMeansNow() {
        var budget = WindowBudget(capacity: 4, window: .seconds(10))
        budget.started()
        budget.finished(at: origin)
        budget.started()
        let later = origin + .milliseconds(300)
        #expect(budget.earliestStart(now: later) == later)
        #expect(budget.counted(now: later) == 2)
        #expect(budget.counted(now: origin + .seconds(10)) == 1, "the answer at the origin has left the window")
    }

    @Test("several budgets booked together: a request starts when every budget it draws on allows it")
    func severalBudgets() {
        // A write draws on the write budget and the general one; reads only on the general one here.
        var writes = WindowBudget(capacity: 4, window: .seconds(10))
        var general = WindowBudget(capacity: 6, window: .seconds(60))
        var now = origin
        var writeStarts: [ContinuousClock.Instant] = []
        for index in 0..<8 {
            let isWrite = index % 2 == 0
            let ownStart = isWrite ? writes.earliestStart(now: now) : now
            guard let own = ownStart, let shared = general.earliestStart(now: now) else {
                Issue.record("request \(index) found a budget with every place in flight")
                return
            }
            let start = max(own, shared)
            now = start
            if isWrite { writes.started() }
            general.started()
            // Each request is answered 100 ms after it starts.
            now = now + .milliseconds(100)
            if isWrite {
                writes.finished(at: now)
                writeStarts.append(start)
            }
            general.finished(at: now)
        }
        // Six requests fit the general budget at once; the seventh (a write) waits a whole minute for the first
        // general answer to leave, though the write budget alone would have let it go.
        #expect(writeStarts[0..<3] == [origin, origin + .milliseconds(200), origin + .milliseconds(400)])
        #expect(writeStarts[3] == origin + .seconds(60) + .milliseconds(100))
    }

    @Test("memory stays at W answer times however many requests pass", arguments: [1, 7, 500])
    func boundedMemory(capacity: Int) {
        var budget = WindowBudget(capacity: capacity, window: .seconds(1))
        var now = origin
        for _ in 0..<5_000 {
            guard let start = budget.earliestStart(now: now) else {
                Issue.record("a budget with nothing in flight must give an instant")
                return
            }
            now = start
            budget.started()
            now = now + .milliseconds(3)
            budget.finished(at: now)
            #expect(budget.keptAnswers <= capacity)
        }
        #expect(budget.keptAnswers == capacity)
        #expect(budget.inFlight == 0)
    }

    @Test("with no latency, N requests take T × (ceil(N / W) − 1): the physical limit, and no more")
    func physicalLimit() {
        var budget = WindowBudget(capacity: 500, window: .seconds(10))
        var now = origin
        var last = origin
        for _ in 0..<2_000 {
            guard let start = budget.earliestStart(now: now) else {
                Issue.record("a budget with nothing in flight must give an instant")
                return
            }
            now = start
            last = start
            budget.started()
            budget.finished(at: now)
        }
        #expect(last == origin + .seconds(30))
    }

    @Test(
        "whatever the latencies, reorderings and lost answers, no window of T on the server receives more than W",
        arguments: [1, 2, 3, 4, 5, 6])
    func neverMoreThanWOnTheServer(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let capacity = Int.random(in: 1...12, using: &random)
        let window = Duration.milliseconds(Int.random(in: 50...2_000, using: &random))
        var budget = WindowBudget(capacity: capacity, window: window)
        /// A request in flight: when the server receives it (nil: lost on the way) and when its answer, or the
        /// failure seen without one, reaches the client.
        var pending: [(arrival: ContinuousClock.Instant?, answer: ContinuousClock.Instant)] = []
        var arrivals: [ContinuousClock.Instant] = []
        var now = origin
        var sent = 0
        while sent < 400 || !pending.isEmpty {
            // Answers due by now come back first, in the order they arrive.
            pending.sort { $0.answer < $1.answer }
            while let first = pending.first, first.answer <= now {
                budget.finished(at: first.answer)
                if let arrival = first.arrival { arrivals.append(arrival) }
                pending.removeFirst()
            }
            let start = sent < 400 ? budget.earliestStart(now: now) : nil
            if start == now {
                budget.started()
                sent += 1
                // Up to three windows' worth of delay each way, so answers overtake each other freely.
                let toServer = Duration.milliseconds(Int.random(in: 0...600, using: &random))
                let back = Duration.milliseconds(Int.random(in: 0...600, using: &random))
                let lost = Int.random(in: 0..<10, using: &random) == 0
                pending.append((arrival: lost ? nil : now + toServer, answer: now + toServer + back))
                continue
            }
            let nextAnswer = pending.map(\.answer).min()
            switch (start, nextAnswer) {
            case (let start?, let answer?): now = min(start, answer)
            case (let start?, nil): now = start
            case (nil, let answer?): now = answer
            case (nil, nil): break
            }
        }
        arrivals.sort()
        #expect(arrivals.count > 300)
        // W + 1 consecutive arrivals never fit in one window of T.
        for index in arrivals.indices.dropLast(capacity) {
            let span = arrivals[index + capacity] - arrivals[index]
            #expect(span >= window, "W = \(capacity) and \(capacity + 1) arrivals within \(span) < \(window)")
        }
    }
}
