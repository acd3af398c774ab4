/// The one gate every WorkOS request of a run passes through, organization look-ups included.
///
/// A thin shell around three `RateLimiter`s, one per budget WorkOS counts (``RequestBudget``): a request
/// books a slot in its own budget and in the general one, starting at the later of the two. Workers call
/// ``acquire(_:)`` before each request and report the answer with ``succeeded(_:)`` or
/// ``throttled(_:retryAfter:)``: a 429 pauses the budget it was counted against, for every worker, and the
/// other budgets go on. Being an actor, slot booking is atomic; the sleep happens outside the actor's critical
/// section, so many workers can wait at once.
public actor RequestPacer {
    private var writes: RateLimiter
    private var reads: RateLimiter
    private var general: RateLimiter
    private var organizationDeletes: RateLimiter
    /// Where the time comes from; injected so tests never sleep.
    private let clock: ImportClock
    /// User-management writes are not sent (a plan), so they wait for nothing.
    private let writesAreFree: Bool

    /// Creates the pacer of a run.
    ///
    /// - Parameters:
    ///   - rates: the rate of each budget; nil leaves that budget unpaced (a 429 still pauses it).
    ///   - clock: the time source; the real monotonic clock unless a test injects its own.
    public init(rates: PacingRates, clock: ImportClock = .system) {
        self.writes = RateLimiter(ratePerSecond: rates.writes ?? .infinity)
        self.reads = RateLimiter(ratePerSecond: rates.reads ?? .infinity)
        self.general = RateLimiter(ratePerSecond: rates.general ?? .infinity)
        self.organizationDeletes = Self.organizationDeleteLimiter(rates.organizationDeletes)
        self.clock = clock
        self.writesAreFree = !rates.writesAreSent
    }

    /// Creates a pacer that spaces every request, whatever its budget, at `ratePerSecond` (nil: unpaced).
    public init(ratePerSecond: Double?, clock: ImportClock = .system) {
        self.init(limiter: RateLimiter(ratePerSecond: ratePerSecond ?? .infinity), clock: clock)
    }

    /// Creates a pacer whose general budget is a limiter configured by the caller (burst, easing factors);
    /// the user-management budgets are unpaced; organization deletes keep their default pacing.
    public init(limiter: RateLimiter, clock: ImportClock = .system) {
        self.writes = RateLimiter(ratePerSecond: .infinity)
        self.reads = RateLimiter(ratePerSecond: .infinity)
        self.general = limiter
        self.organizationDeletes = Self.organizationDeleteLimiter(PacingRates.default.organizationDeletes)
        self.clock = clock
        self.writesAreFree = false
    }

    /// The organization-delete limiter: always on by default, since WorkOS's 50 per 60 s is far below any
    /// other budget.
    private static func organizationDeleteLimiter(_ rate: Double?) -> RateLimiter {
        guard let rate else { return RateLimiter(ratePerSecond: .infinity) }
        return RateLimiter(ratePerSecond: rate, burst: PacingRates.organizationDeleteBurst)
    }

    /// Waits until a request of `budget` may start, and returns how long it waited for its slot.
    ///
    /// If a 429 arrives while the caller is waiting for a slot booked before it, the caller waits for the
    /// pause to end and books a fresh slot, so nothing is sent during a pause.
    /// - Throws: `CancellationError` when the task is cancelled (Ctrl-C), before or while waiting.
    @discardableResult
    public func acquire(_ budget: RequestBudget = .generalOnly) async throws -> Duration {
        let started = clock.now()
        if writesAreFree, budget == .userManagementWrite { return .zero }
        while true {
            try Task.checkCancellation()
            let now = clock.now()
            var slot = general.earliestSlot(now: now)
            if let own = limiter(budget)?.earliestSlot(now: now), own > slot { slot = own }
            general.book(slot)
            if budget != .generalOnly { update(budget) { $0.book(slot) } }
            if slot > now {
                try await clock.sleepUntil(slot)
            }
            try Task.checkCancellation()
            let at = clock.now()
            if !general.isPaused(at: at) && !(limiter(budget)?.isPaused(at: at) ?? false) { return at - started }
        }
    }

    /// Reports a 429 on a request of `budget`: pauses that budget for `retryAfter` (or the default pause)
    /// and slows it down.
    public func throttled(_ budget: RequestBudget = .generalOnly, retryAfter: Duration?) {
        let now = clock.now()
        if budget == .generalOnly {
            general.throttled(retryAfter: retryAfter, now: now)
        } else {
            update(budget) { $0.throttled(retryAfter: retryAfter, now: now) }
        }
    }

    /// Reports a request that was not rate limited, easing its budgets back towards their targets.
    public func succeeded(_ budget: RequestBudget = .generalOnly) {
        let now = clock.now()
        general.succeeded(now: now)
        if budget != .generalOnly { update(budget) { $0.succeeded(now: now) } }
    }

    /// The rate the write budget is aiming for right now, in requests per second (lowered after a 429).
    public var currentWriteRate: Double { writes.currentRate }

    /// The rate the general budget is aiming for right now, in requests per second.
    public var currentRate: Double { general.currentRate }

    private func limiter(_ budget: RequestBudget) -> RateLimiter? {
        switch budget {
        case .userManagementWrite: writes
        case .userManagementRead: reads
        case .organizationDelete: organizationDeletes
        case .generalOnly: nil
        }
    }

    private func update(_ budget: RequestBudget, _ change: (inout RateLimiter) -> Void) {
        switch budget {
        case .userManagementWrite: change(&writes)
        case .userManagementRead: change(&reads)
        case .organizationDelete: change(&organizationDeletes)
        case .generalOnly: change(&general)
        }
    }
}
