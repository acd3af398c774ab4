/// How many rows a run keeps in flight, found by watching the answers, as a pure value.
///
/// The rate budgets, not the number of rows in flight, should be what holds an import back: far from WorkOS's
/// region each request takes hundreds of milliseconds, and a fixed handful of rows cannot fill the write rate.
/// So the limit starts at ``initial``, or where ``start(at:writesAhead:)`` puts it for the latency measured before
/// the first row, and follows a gradient rule in the spirit of Netflix's concurrency-limits:
///
/// - Each answered request is a latency sample. A short average (the last ten or so requests) is compared with a
///   long one (the last hundred or so). While the short one stays within ``tolerance`` of the long one,
///   latency is steady and the limit may grow, by about the square root of itself per round of samples.
///   When it climbs above, the limit shrinks in proportion (at most halving per step), since more rows in
///   flight would only queue at WorkOS.
/// - The limit grows only while the rate budgets are not what holds requests back: when most requests already
///   wait for their rate slot, more rows in flight would only wait longer, so the limit holds.
/// - With a write window to fill (``WindowDemand``), the limit grows only while it is below the rows that
///   send a whole window's writes (or the run's, when it has fewer) within a quarter of a second at the
///   latency seen: near WorkOS a handful of rows does that, and more would only cost memory and, against a
///   limiter stricter than the documented window, draw more 429s at once; far from it, a window's worth may
///   be needed, since the time a window's writes take to go out is added to the end of the run.
/// - A timeout, a dropped connection or a 5xx cuts the limit by ``overloadFactor``, once per latency period
///   but at most twice a second (the rows that were in flight together saw the same trouble), and never below
///   ``floor``.
///
/// A fixed limit (``fixed(_:)``, `--fixed-concurrency`) never moves. The value never reads a clock: the caller
/// passes `now`, so tests drive it with made-up instants and scripted latencies.
public struct AdaptiveConcurrency: Sendable, Equatable {
    /// One finished request, as the limit sees it.
    public struct Sample: Sendable, Equatable {
        /// How the request ended.
        public enum Kind: Sendable, Equatable {
            /// WorkOS answered (any status but 408, 429 and 5xx): `latency` is a fair measure of load.
            case answered
            /// A timeout, a network failure or a 5xx: WorkOS or the path to it is struggling.
            case overloaded
        }

        /// From sending the request to its answer, without the wait for a rate slot.
        public var latency: Duration
        /// How the request ended.
        public var kind: Kind
        /// Whether the request had to wait for its rate slot before it was sent.
        public var waitedForRate: Bool

        /// Creates a sample.
        public init(latency: Duration, kind: Kind = .answered, waitedForRate: Bool = false) {
            self.latency = latency
            self.kind = kind
            self.waitedForRate = waitedForRate
        }
    }

    /// Why the limit is where it is; shown on the progress line.
    public enum Constraint: String, Sendable, Equatable {
        /// Most requests wait for their rate slot: the rate budget is the bound, as it should be.
        case rateLimit = "rate limit"
        /// Latency has climbed, so the limit shrank or holds.
        case latency = "latency"
        /// Timeouts, network failures or 5xx answers cut the limit recently.
        case errors = "errors"
        /// The limit reached the `--concurrency` ceiling.
        case ceiling = "ceiling"
        /// The rows in flight already send a window's writes (or the run's, when fewer) within a quarter of a
        /// second.
        case enough = "enough for the window"
        /// The limit is still growing towards what the rate needs.
        case growing = "growing"
        /// A fixed limit.
        case fixed = "fixed"
    }

    /// The lowest the limit goes.
    public let floor: Int
    /// The highest the limit goes (`--concurrency`).
    public let ceiling: Int
    /// Where the limit starts unless ``start(at:writesAhead:)`` moves it before the first row.
    public let initial: Int
    /// How far the short latency average may rise above the long one before the limit shrinks.
    public let tolerance: Double
    /// The share of the limit kept after an overload.
    public let overloadFactor: Double
    /// The write window the rows in flight should be able to fill, or `nil` when writes are not paced.
    public internal(set) var demand: WindowDemand?

    /// The limit as a real number; ``limit`` is its whole part.
    public internal(set) var estimate: Double
    /// Average latency over about the last ten answered requests, in seconds.
    public private(set) var shortLatency: Double?
    /// Average latency over about the last hundred answered requests, in seconds.
    public private(set) var longLatency: Double?
    /// Average share of recent requests that waited for their rate slot.
    public private(set) var rateBoundShare: Double = 0
    /// When the limit was last cut for an overload.
    public private(set) var lastOverloadCut: ContinuousClock.Instant?
    /// Whether the latest answered sample found latency above tolerance.
    private var latencyHigh = false
    /// Answered samples so far.
    private var answered = 0

    private static let shortWeight = 0.1
    private static let longWeight = 0.01
    private static let rateBoundWeight = 0.1
    private static let smoothing = 0.2
    private static let minimumCutPeriod = 0.5

    /// A limit that adapts between `floor` and `ceiling`, starting at `initial` (clamped into that range).
    public init(
        initial: Int = 10, ceiling: Int, floor: Int = 1, tolerance: Double = 1.5, overloadFactor: Double = 0.9,
        demand: WindowDemand? = nil
    ) {
        precondition(floor >= 1 && ceiling >= floor, "the concurrency range must be 1 <= floor <= ceiling")
        precondition(tolerance >= 1, "the latency tolerance must be at least 1")
        precondition(overloadFactor > 0 && overloadFactor < 1, "the overload factor must be between 0 and 1")
        self.floor = floor
        self.ceiling = ceiling
        self.initial = min(ceiling, max(floor, initial))
        self.tolerance = tolerance
        self.overloadFactor = overloadFactor
        self.demand = demand
        self.estimate = Double(self.initial)
    }

    /// A limit pinned at `rows`.
    public static func fixed(_ rows: Int) -> AdaptiveConcurrency {
        AdaptiveConcurrency(initial: rows, ceiling: rows, floor: rows)
    }

    /// Whether the limit can move at all.
    public var isFixed: Bool { floor == ceiling }

    /// The most rows in flight right now.
    public var limit: Int { min(ceiling, max(floor, Int(estimate.rounded(.down)))) }

    /// What holds the limit where it is.
    public func constraint(now: ContinuousClock.Instant) -> Constraint {
        if isFixed { return .fixed }
        if let cut = lastOverloadCut, now - cut < .seconds(10) { return .errors }
        if rateBoundShare >= 0.5 { return .rateLimit }
        if latencyHigh { return .latency }
        if limit >= ceiling { return .ceiling }
        if demandMet { return .enough }
        return .growing
    }

    /// Takes one finished request into account.
    public mutating func record(_ sample: Sample, now: ContinuousClock.Instant) {
        guard !isFixed else { return }
        rateBoundShare += Self.rateBoundWeight * ((sample.waitedForRate ? 1 : 0) - rateBoundShare)
        switch sample.kind {
        case .overloaded:
            // Half a second at least: on a fast link the latency period is a few milliseconds, and a burst of
            // errors would otherwise cut the limit to the floor before any retry has had a chance.
            let period = Self.duration(seconds: max(Self.minimumCutPeriod, shortLatency ?? 0))
            if let last = lastOverloadCut, now - last < period { return }
            lastOverloadCut = now
            estimate = max(Double(floor), estimate * overloadFactor)
        case .answered:
            let seconds = max(1e-6, Self.seconds(sample.latency))
            // Until there are enough samples, both averages are the plain mean so far, so a fast or slow
            // first answer does not pass for a change of latency.
            answered += 1
            let shortWeight = max(Self.shortWeight, 1 / Double(answered))
            let longWeight = max(Self.longWeight, 1 / Double(answered))
            let short = shortLatency.map { $0 + shortWeight * (seconds - $0) } ?? seconds
            var long = longLatency.map { $0 + longWeight * (seconds - $0) } ?? seconds
            // Latency that fell far below the long average means the base latency changed: learn it faster.
            if long > 2 * short { long = long * 0.95 + short * 0.05 }
            shortLatency = short
            longLatency = long
            let gradient = min(1, max(0.5, tolerance * long / short))
            latencyHigh = gradient < 1
            let mayGrow = rateBoundShare < 0.5 && !latencyHigh && !demandMet
            let target = estimate * gradient + (mayGrow ? estimate.squareRoot() : 0)
            let next = estimate * (1 - Self.smoothing) + target * Self.smoothing
            estimate = min(Double(ceiling), max(Double(floor), next))
        }
    }

    /// Whether the limit already reaches the rows its write window needs at the short latency.
    private var demandMet: Bool {
        guard let demand, let shortLatency else { return false }
        return estimate >= Double(demand.rows(latency: shortLatency))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func duration(seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}

extension AdaptiveConcurrency {
    /// The rows in flight a write window asks for: enough to send the window's writes within ``spread``.
    ///
    /// Under "at most W writes in any window of T" the run is done when its last window's writes are back,
    /// and the time a window's writes take to go out is added to that end once. With each request taking
    /// `latency`, Little's law puts the requests in flight that send W writes within ``spread`` at
    /// W × latency / spread; each row has one request in flight at a time, so that many rows. More than W
    /// rows could not all send a write in one window.
    public struct WindowDemand: Sendable, Equatable {
        /// The writes a window allows (W).
        public var writesPerWindow: Int

        /// How long a window's writes may take to go out, in seconds.
        public static let spread = 0.25

        /// The demand of a window of `writesPerWindow` writes.
        public init(writesPerWindow: Int) {
            self.writesPerWindow = max(1, writesPerWindow)
        }

        /// The rows in flight that send a window's writes within ``spread`` when a request takes `latency`
        /// seconds; at least 1, at most a window's writes.
        public func rows(latency: Double) -> Int {
            let rows = Double(writesPerWindow) * max(0, latency) / Self.spread
            return min(writesPerWindow, max(1, Int(min(rows, 1e9).rounded(.up))))
        }
    }
}
