/// The pacing decisions of a run, as a pure value: which instant each request may start at.
///
/// The limiter spaces requests evenly, `1 / currentRate` apart, instead of letting them burst: WorkOS counts
/// writes in fixed windows (500 per 10 s), and an even stream at just under that rate never trips the window
/// limit, whatever the window boundaries are. It is a generic cell rate algorithm (GCRA): `nextSlot` is the
/// theoretical arrival time of the next request, advanced by one interval per booked slot.
///
/// On a 429 the whole run pauses (every later slot starts after the pause), the rate is cut multiplicatively
/// and then eased back additively, one step per successful request, never above the target (AIMD). Several
/// 429s that arrive during one pause cut the rate only once: they are the same overload seen by several
/// requests that were already in flight.
///
/// The limiter never reads a clock; its caller passes `now`, so tests drive it with made-up instants.
/// `RequestPacer` is the shell that reads the clock and sleeps.
public struct RateLimiter: Sendable {
    /// The rate the run aims for, in requests per second (`--rate-limit`). `.infinity` means no spacing;
    /// pauses after a 429 still apply.
    public let targetRate: Double
    /// How many requests may start back to back after an idle period; 1 means strictly even spacing.
    public let burst: Int
    /// The rate right now, lowered after a 429 and eased back towards `targetRate`.
    public private(set) var currentRate: Double
    /// The end of the pause ordered by the latest 429, if one was ever received.
    public private(set) var pausedUntil: ContinuousClock.Instant?

    /// The factor applied to the rate on a 429 (multiplicative decrease).
    public let decreaseFactor: Double
    /// How much each successful request adds back to the rate, as a fraction of the target (additive increase).
    /// The default 0.003 brings the rate from 70 % back to 100 % of the target in 100 successful requests.
    public let increaseFraction: Double
    /// The pause used when a 429 carries no usable Retry-After.
    public let defaultPause: Duration
    /// The longest pause a single 429 can order, so a wild Retry-After cannot stall the run for hours.
    public let maxPause: Duration

    /// Theoretical arrival time of the next request (GCRA); nil before the first reservation.
    private var nextSlot: ContinuousClock.Instant?

    /// Creates a limiter that aims for `ratePerSecond` requests per second.
    ///
    /// - Parameters:
    ///   - ratePerSecond: the target rate; must be positive. `.infinity` disables spacing but keeps pauses.
    ///   - burst: requests allowed back to back after idling; 1 (the default) spaces every request.
    ///   - decreaseFactor: the rate multiplier applied on a 429, in (0, 1).
    ///   - increaseFraction: the fraction of the target added back per success.
    ///   - defaultPause: the pause when a 429 has no Retry-After.
    ///   - maxPause: the cap on any single pause (WorkOS SDKs cap Retry-After at 60 s).
    public init(
        ratePerSecond: Double, burst: Int = 1, decreaseFactor: Double = 0.7, increaseFraction: Double = 0.003,
        defaultPause: Duration = .seconds(1), maxPause: Duration = .seconds(60)
    ) {
        precondition(ratePerSecond > 0, "the rate limit must be positive")
        precondition(burst >= 1, "the burst must be at least 1")
        precondition(decreaseFactor > 0 && decreaseFactor < 1, "the decrease factor must be between 0 and 1")
        self.targetRate = ratePerSecond
        self.burst = burst
        self.currentRate = ratePerSecond
        self.decreaseFactor = decreaseFactor
        self.increaseFraction = max(0, increaseFraction)
        self.defaultPause = defaultPause
        self.maxPause = maxPause
    }

    /// The lowest rate repeated 429s can push the limiter to, so it always makes progress.
    public var minimumRate: Double { targetRate * 0.05 }

    /// The spacing between two requests at the current rate.
    public var interval: Duration { Self.duration(seconds: 1 / currentRate) }

    /// Books the next slot and returns the instant at which this request may start.
    ///
    /// The returned instant is never before `now`, never inside a pause, and at least one interval after the
    /// previous booked slot (less the burst allowance). Call it once per request, just before sending it.
    public mutating func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let slot = earliestSlot(now: now)
        book(slot)
        return slot
    }

    /// The instant ``reserve(now:)`` would return, without booking it.
    ///
    /// A request that draws on several budgets asks each for its earliest slot, starts at the latest of
    /// them, and books that instant in every budget with ``book(_:)``.
    public func earliestSlot(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        var slot = now
        if let next = nextSlot {
            let earliest = next - interval * (burst - 1)
            if earliest > slot { slot = earliest }
        }
        if let pause = pausedUntil, pause > slot { slot = pause }
        return slot
    }

    /// Books a request starting at `slot`, which must be no earlier than ``earliestSlot(now:)``: the next
    /// request may start one interval later.
    public mutating func book(_ slot: ContinuousClock.Instant) {
        let base = max(nextSlot ?? slot, slot)
        nextSlot = base + interval
    }

    /// Records a 429: pauses every later request until `now + retryAfter` and cuts the rate.
    ///
    /// `retryAfter` is capped at `maxPause`; when nil, `defaultPause` is used. The rate is cut only if the
    /// limiter was not already paused at `now`, so a volley of 429s from in-flight requests counts once.
    public mutating func throttled(retryAfter: Duration?, now: ContinuousClock.Instant) {
        var pause = retryAfter ?? defaultPause
        if pause > maxPause { pause = maxPause }
        if pause < .zero { pause = .zero }
        let alreadyPaused = pausedUntil.map { now < $0 } ?? false
        if !alreadyPaused {
            currentRate = max(minimumRate, currentRate * decreaseFactor)
        }
        let end = now + pause
        if pausedUntil.map({ end > $0 }) ?? true { pausedUntil = end }
        if let next = nextSlot, next < end { nextSlot = end }
    }

    /// Records a successful request, easing the rate back towards the target.
    ///
    /// Successes that land during a pause do not count: they were sent before the 429 and say nothing about
    /// whether the server has recovered.
    public mutating func succeeded(now: ContinuousClock.Instant) {
        if let pause = pausedUntil, now < pause { return }
        guard currentRate < targetRate else { return }
        currentRate = min(targetRate, currentRate + targetRate * increaseFraction)
    }

    /// Whether a request that is about to start at `now` falls inside a pause ordered after it was booked.
    public func isPaused(at now: ContinuousClock.Instant) -> Bool {
        pausedUntil.map { now < $0 } ?? false
    }

    /// Converts seconds to a `Duration` without trapping on infinities (no spacing) or tiny values.
    private static func duration(seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
