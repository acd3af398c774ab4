/// How a request that held a pacer slot ended, which decides how it counts afterwards.
public enum SlotOutcome: Sendable, Equatable {
    /// WorkOS answered with anything but a 429 (a success, a 4xx, a 5xx).
    case answered
    /// WorkOS answered 429: the budget pauses for `retryAfter` (or a default) and falls back to even pacing.
    case throttled(retryAfter: Duration?)
    /// The request failed without an answer (a timeout, a lost connection, a cancellation): it may have reached
    /// WorkOS at any moment before, so it counts as if answered when the failure was seen.
    case noAnswer
}

/// A place held in the pacer's budgets by one request, from ``RequestPacer/acquire(_:)`` until
/// ``RequestPacer/complete(_:_:)``.
///
/// Every ticket must be completed exactly once, or its place stays counted as in flight; callers use
/// ``RequestPacer/withSlot(_:_:)``, which cannot leak one. Completing a ticket twice is ignored.
public struct PacerTicket: Sendable, Hashable {
    /// Identifies the ticket within its pacer.
    let id: UInt64
    /// The budget the request draws on.
    public let budget: RequestBudget
    /// How long the request waited for its place.
    public let waited: Duration
}

/// The one gate every WorkOS request of a run passes through, organization look-ups included.
///
/// One ``WindowBudget`` per budget WorkOS counts (``RequestBudget``): writes, reads, the general per-key budget
/// and organization deletes. A request holds a place in its own budget and in the general one from just before
/// it is sent until its answer, and its answer then counts for one window more; it starts as soon as every
/// budget it draws on has room (``WindowBudget`` explains why that never exceeds a window on WorkOS's side).
///
/// If WorkOS answers 429 anyway (another client on the same environment, or a stricter limiter than the
/// documented one), the budget it hit pauses for the Retry-After, for every worker, and from then on also
/// spaces its requests evenly with the AIMD ``RateLimiter``: cut on each 429, eased back with each success
/// towards the budget's average rate. The other budgets go on.
///
/// Waiting costs nothing: a request that waits for a place to free at a known instant sleeps on the injected
/// clock until then; one that waits for an answer (every place in flight) is resumed by the next completion.
/// Being an actor, booking is atomic; the waits happen outside its critical sections.
public actor RequestPacer {
    /// What one budget knows: its window, and the even pacing and pauses that 429s order.
    struct Lane {
        /// The window limit; nil leaves the budget unpaced by windows.
        var window: WindowBudget?
        /// Pauses after a 429 and, once ``evenPacing`` is on, even spacing at an AIMD rate.
        var even: RateLimiter
        /// Whether requests are also spaced evenly: after a 429, or from the start for a fixed rate.
        var evenPacing: Bool

        /// The earliest instant a request may start at; nil when it must wait for an answer.
        func earliestStart(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
            var slot = now
            if let window {
                guard let open = window.earliestStart(now: now) else { return nil }
                slot = max(slot, open)
            }
            if evenPacing {
                slot = max(slot, even.earliestSlot(now: now))
            } else if let pause = even.pausedUntil, pause > slot {
                slot = pause
            }
            return slot
        }

        /// Holds a place for a request that starts at `slot`.
        mutating func book(_ slot: ContinuousClock.Instant) {
            window?.started()
            if evenPacing { even.book(slot) }
        }

        /// Gives back a place held by a request that was never sent.
        mutating func release() {
            window?.withdrawn()
        }
    }

    private var writes: Lane
    private var reads: Lane
    private var general: Lane
    private var organizationDeletes: Lane
    /// Where the time comes from; injected so tests never sleep.
    private let clock: ImportClock
    /// Tickets handed out and not yet completed, by id.
    private var open: [UInt64: RequestBudget] = [:]
    private var nextTicket: UInt64 = 0
    /// Requests waiting for an answer to free a place, by waiter id.
    private var answerWaiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    private var nextWaiter: UInt64 = 0
    /// Told once, the first time a 429 makes a budget fall back to even pacing.
    private var onFallback: (@Sendable (RequestBudget) -> Void)?

    /// Creates the pacer of a run.
    ///
    /// - Parameters:
    ///   - rates: the window limit of each budget; nil leaves that budget unpaced (a 429 still pauses it).
    ///   - clock: the time source; the real monotonic clock unless a test injects its own.
    ///   - onFallback: called once, the first time a 429 makes any budget fall back to even pacing.
    public init(
        rates: PacingRates, clock: ImportClock = .system, onFallback: (@Sendable (RequestBudget) -> Void)? = nil
    ) {
        self.writes = Self.makeLane(rates.writes)
        self.reads = Self.makeLane(rates.reads)
        self.general = Self.makeLane(rates.general)
        self.organizationDeletes = Self.makeLane(rates.organizationDeletes)
        self.clock = clock
        self.onFallback = onFallback
    }

    /// Creates a pacer that spaces every request, whatever its budget, evenly at `ratePerSecond` (nil:
    /// unpaced); organization deletes keep their default window.
    public init(ratePerSecond: Double?, clock: ImportClock = .system) {
        self.init(limiter: RateLimiter(ratePerSecond: ratePerSecond ?? .infinity), clock: clock)
    }

    /// Creates a pacer whose general budget spaces requests evenly with a limiter configured by the caller
    /// (burst, easing factors); the user-management budgets are unpaced; organization deletes keep their
    /// default window.
    public init(limiter: RateLimiter, clock: ImportClock = .system) {
        self.writes = Self.makeLane(nil)
        self.reads = Self.makeLane(nil)
        self.general = Lane(window: nil, even: limiter, evenPacing: true)
        self.organizationDeletes = Self.makeLane(PacingRates.default.organizationDeletes)
        self.clock = clock
        self.onFallback = nil
    }

    /// The lane of a budget limited by `limit`: windowed, with an even fallback at the limit's average rate.
    private static func makeLane(_ limit: WindowLimit?) -> Lane {
        guard let limit else {
            return Lane(window: nil, even: RateLimiter(ratePerSecond: .infinity), evenPacing: false)
        }
        return Lane(
            window: WindowBudget(capacity: limit.requests, window: limit.window),
            even: RateLimiter(ratePerSecond: limit.averageRate), evenPacing: false)
    }

    /// Runs `body` holding a place in `budget`, and completes the place with the outcome `body` returns, so no
    /// place is ever left counted as in flight.
    ///
    /// `body` gets how long the request waited for its place, and cannot throw: a failure is a value it
    /// returns along with the ``SlotOutcome`` that says how the request ended.
    /// - Throws: `CancellationError` when the task is cancelled while waiting for a place; `body` then never runs.
    public nonisolated func withSlot<Value: Sendable>(
        _ budget: RequestBudget, _ body: (Duration) async -> (Value, SlotOutcome)
    ) async throws -> Value {
        let ticket = try await acquire(budget)
        let (value, outcome) = await body(ticket.waited)
        await complete(ticket, outcome)
        return value
    }

    /// Waits until a request of `budget` may start, and holds its place: the caller must send it and then
    /// call ``complete(_:_:)`` exactly once. Prefer ``withSlot(_:_:)``.
    ///
    /// If a 429 arrives while the caller is waiting for its instant, the caller gives its place back, waits for
    /// the pause to end and books afresh, so nothing is sent during a pause.
    /// - Throws: `CancellationError` when the task is cancelled (Ctrl-C), before or while waiting; no place is
    ///   then held.
    @discardableResult
    public func acquire(_ budget: RequestBudget = .generalOnly) async throws -> PacerTicket {
        let started = clock.now()
        if budget == .unsentWrite { return issue(budget, waited: .zero) }
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            guard let slot = earliestStart(budget, now: now) else {
                try await waitForAnswer()
                continue
            }
            general.book(slot)
            if budget != .generalOnly { update(budget) { $0.book(slot) } }
            if slot > now {
                do {
                    try await clock.sleepUntil(slot)
                    try Task.checkCancellation()
                } catch {
                    release(budget)
                    throw error
                }
            }
            let at = clock.now()
            if !general.even.isPaused(at: at) && !lane(budget).even.isPaused(at: at) {
                return issue(budget, waited: at - started)
            }
            // A 429 ordered a pause while this request waited: it was not sent, so its place goes back.
            release(budget)
        }
    }

    /// Completes a ticket from ``acquire(_:)``: its places stop counting as in flight and start counting as
    /// answered now, and a 429 pauses and slows its budget. A ticket completed before is ignored.
    public func complete(_ ticket: PacerTicket, _ outcome: SlotOutcome) {
        guard open.removeValue(forKey: ticket.id) != nil else { return }
        let budget = ticket.budget
        if budget == .unsentWrite { return }
        let now = clock.now()
        general.window?.finished(at: now)
        if budget != .generalOnly { update(budget) { $0.window?.finished(at: now) } }
        switch outcome {
        case .answered: succeeded(budget)
        case .throttled(let retryAfter): throttled(budget, retryAfter: retryAfter)
        case .noAnswer: break
        }
        wakeAnswerWaiters()
    }

    /// Records a 429 on a request of `budget`: pauses that budget for `retryAfter` (or the default pause), slows
    /// it down, and from then on spaces its requests evenly. The first such fallback of the run is reported
    /// through `onFallback`.
    public func throttled(_ budget: RequestBudget = .generalOnly, retryAfter: Duration?) {
        let now = clock.now()
        update(budget) { lane in
            lane.even.throttled(retryAfter: retryAfter, now: now)
            lane.evenPacing = true
        }
        if let report = onFallback {
            onFallback = nil
            report(budget)
        }
    }

    /// Reports a request that was not rate limited, easing its budgets back towards their average rates.
    public func succeeded(_ budget: RequestBudget = .generalOnly) {
        let now = clock.now()
        general.even.succeeded(now: now)
        if budget != .generalOnly { update(budget) { $0.even.succeeded(now: now) } }
    }

    /// The rate the write budget spaces requests at after a 429, in requests per second (its average rate
    /// until the first 429, lowered by each 429 and eased back by successes).
    public var currentWriteRate: Double { writes.even.currentRate }

    /// The even rate of the general budget, in requests per second.
    public var currentRate: Double { general.even.currentRate }

    /// The line a run writes to stderr the first time a 429 makes a budget fall back to even pacing.
    public static func fallbackWarning(_ budget: RequestBudget) -> String {
        let name =
            switch budget {
            case .userManagementWrite, .unsentWrite: "a user-management write"
            case .userManagementRead: "a user-management read"
            case .organizationDelete: "an organization delete"
            case .generalOnly: "a request"
            }
        return
            "warning: WorkOS answered 429 to \(name) although the run kept within WorkOS's documented limits "
            + "(another client may be using the same environment, or its limiter is stricter); the run waits for "
            + "Retry-After and from now on spaces those requests evenly, slowing down after each 429. "
            + "No row fails for it.\n"
    }

    /// Whether a 429 has made `budget` space its requests evenly.
    public func isPacedEvenly(_ budget: RequestBudget) -> Bool { lane(budget).evenPacing }

    /// How many requests of `budget` hold a place right now (sent or about to be, and not yet completed).
    public func inFlight(_ budget: RequestBudget) -> Int { lane(budget).window?.inFlight ?? 0 }

    /// How many requests are waiting for an answer to free a place (every place of a budget they need is in
    /// flight).
    public var waitingForAnswer: Int { answerWaiters.count }

    // MARK: - Internals

    /// The later of the instants the general budget and `budget`'s own allow; nil if either must wait for an
    /// answer.
    private func earliestStart(_ budget: RequestBudget, now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let shared = general.earliestStart(now: now) else { return nil }
        guard budget != .generalOnly else { return shared }
        guard let own = lane(budget).earliestStart(now: now) else { return nil }
        return max(shared, own)
    }

    /// Hands out a ticket for a request that holds its places.
    private func issue(_ budget: RequestBudget, waited: Duration) -> PacerTicket {
        nextTicket += 1
        open[nextTicket] = budget
        return PacerTicket(id: nextTicket, budget: budget, waited: waited)
    }

    /// Gives back the places of a request that was booked but never sent.
    private func release(_ budget: RequestBudget) {
        general.release()
        if budget != .generalOnly { update(budget) { $0.release() } }
        wakeAnswerWaiters()
    }

    /// Suspends until the next completion (or release) frees a place somewhere.
    private func waitForAnswer() async throws {
        nextWaiter += 1
        let id = nextWaiter
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    answerWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Resumes a cancelled waiter with `CancellationError`, if it is still waiting.
    private func cancelWaiter(_ id: UInt64) {
        answerWaiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    /// Lets every request that waits for an answer look again.
    private func wakeAnswerWaiters() {
        guard !answerWaiters.isEmpty else { return }
        let waiters = answerWaiters.values
        answerWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    private func lane(_ budget: RequestBudget) -> Lane {
        switch budget {
        case .userManagementWrite, .unsentWrite: writes
        case .userManagementRead: reads
        case .organizationDelete: organizationDeletes
        case .generalOnly: general
        }
    }

    private func update(_ budget: RequestBudget, _ change: (inout Lane) -> Void) {
        switch budget {
        case .userManagementWrite, .unsentWrite: change(&writes)
        case .userManagementRead: change(&reads)
        case .organizationDelete: change(&organizationDeletes)
        case .generalOnly: change(&general)
        }
    }
}
