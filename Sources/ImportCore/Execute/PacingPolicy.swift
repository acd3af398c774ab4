/// How fast a run may go, as the pacing flags (`--rate-limit`, `--read-rate-limit`, `--concurrency`,
/// `--fixed-concurrency`) ask for it, and the budgets and rows in flight that follows from that.
///
/// The defaults are WorkOS's documented limits. The policy lives here rather than in the command so the rules
/// that turn a few numbers into budgets (when the general per-key budget applies, what `off` turns off) are
/// one tested value that every command which sends requests shares.
public struct PacingPolicy: Sendable, Equatable {
    /// A number of requests per second, averaged over the window, or no pacing.
    public enum Rate: Sendable, Equatable {
        case limited(Double)
        case off

        /// The requests per second, or `nil` when off.
        public var requestsPerSecond: Double? {
            if case .limited(let rate) = self { return rate }
            return nil
        }
    }

    /// WorkOS's 500 user-management writes per 10 seconds, as an average.
    public static let defaultWritesPerSecond = 50.0
    /// WorkOS's 1,000 user-management reads per 10 seconds, as an average.
    public static let defaultReadsPerSecond = 100.0
    /// The window rates are averaged over by default: WorkOS's 10 seconds.
    public static let defaultWindowSeconds = 10.0

    /// User-management writes (`--rate-limit`).
    public var writes: Rate
    /// User-management reads (`--read-rate-limit`); `nil` when not given, which means the default unless
    /// writes are `off`.
    public var reads: Rate?
    /// The window the rates are averaged over, in seconds (only an emulator with shorter windows needs
    /// another than WorkOS's 10).
    public var windowSeconds: Double

    /// A policy; every rate not given is WorkOS's.
    public init(
        writes: Rate = .limited(PacingPolicy.defaultWritesPerSecond), reads: Rate? = nil,
        windowSeconds: Double = PacingPolicy.defaultWindowSeconds
    ) {
        self.writes = writes
        self.reads = reads
        self.windowSeconds = windowSeconds
    }

    /// The window limit of each budget. Writes at N per second allow N × window writes per window, reads
    /// likewise; writes `off` without a read rate turns every budget off. The general budget (every request,
    /// 6,000 per 60 s per key at WorkOS) is paced to that limit unless a rate given is above it: then the
    /// user's limits are not WorkOS's defaults, and only the given rates apply.
    public var rates: PacingRates {
        if writes == .off && reads == nil { return .off }
        let window = Duration.milliseconds(Int64((windowSeconds * 1_000).rounded()))
        let writeLimit = writes.requestsPerSecond.map { WindowLimit.average($0, over: window) }
        let readLimit = (reads ?? .limited(Self.defaultReadsPerSecond)).requestsPerSecond.map {
            WindowLimit.average($0, over: window)
        }
        let generalRate = PacingRates.documentedGeneral.averageRate
        let aboveGeneral = [writeLimit, readLimit].contains { ($0?.averageRate ?? 0) > generalRate }
        return PacingRates(
            writes: writeLimit, reads: readLimit, general: aboveGeneral ? nil : PacingRates.documentedGeneral)
    }

    /// The rows-in-flight number for `--concurrency` (`ceiling`, when given) and `--fixed-concurrency`
    /// (`fixed`): the ceiling an adaptive run climbs to, or the pinned number of a fixed one. Without a
    /// ceiling given, a run whose writes are paced may climb to a window's worth of rows, one with
    /// `--rate-limit off` to 64.
    public func concurrency(ceiling: Int?, fixed: Bool) -> Int {
        if let ceiling { return ceiling }
        if fixed { return ImportConfiguration.startingConcurrency }
        return rates.writes == nil ? ImportConfiguration.unpacedConcurrency : ImportConfiguration.defaultConcurrency
    }
}
