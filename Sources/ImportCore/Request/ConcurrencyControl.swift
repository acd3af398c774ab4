import Synchronization

/// The run's shared, live view of its load: the adaptive limit on rows in flight, how many are in flight, and
/// how many writes were sent.
///
/// The request runner feeds it a sample per finished request; the pipeline asks it how many rows may be in
/// flight before starting one, and tells it how many are; the progress line reads a ``Snapshot``. State sits
/// behind a mutex, so every task of the run can share it without awaiting.
public final class ConcurrencyControl: Sendable {
    /// What the progress line shows.
    public struct Snapshot: Sendable, Equatable {
        /// Rows being worked on now.
        public var rowsInFlight: Int
        /// The most rows allowed in flight now.
        public var limit: Int
        /// The `--concurrency` ceiling.
        public var ceiling: Int
        /// User-management writes sent so far.
        public var writesSent: Int
        /// The write rate the run paces to, if any (`--rate-limit`).
        public var writeRateTarget: Double?
        /// What holds the limit where it is.
        public var constraint: AdaptiveConcurrency.Constraint
        /// The most rows that were in flight at once.
        public var peakRowsInFlight: Int
        /// Requests that timed out or lost their connection before an answer (each was retried or settled).
        public var requestTimeouts: Int = 0
    }

    private struct State {
        var limit: AdaptiveConcurrency
        var rowsInFlight = 0
        var peakRowsInFlight = 0
        var writesSent = 0
        var requestTimeouts = 0
        var series: LoadSeries
    }

    private let state: Mutex<State>
    private let clock: ImportClock
    private let writeRateTarget: Double?

    /// Creates the control of a run.
    ///
    /// - Parameters:
    ///   - limit: the adaptive (or fixed) limit to start from.
    ///   - writeRateTarget: the write rate the run paces to, shown next to the measured one.
    ///   - clock: the run's clock.
    public init(limit: AdaptiveConcurrency, writeRateTarget: Double? = nil, clock: ImportClock = .system) {
        self.state = Mutex(
            State(limit: limit, series: LoadSeries(origin: clock.now(), writeRateLimit: writeRateTarget)))
        self.writeRateTarget = writeRateTarget
        self.clock = clock
    }

    /// The most rows that may be in flight now.
    public var limit: Int { state.withLock { $0.limit.limit } }

    /// Starts the limit at `rows` before the first row (``AdaptiveConcurrency/start(at:writesAhead:)``): where
    /// Little's law puts the rows in flight for the latency the preflight measured, growing at most to what
    /// sends `writesAhead` (the run's writes, when fewer than a window holds) within the demand's spread.
    public func start(at rows: Int?, writesAhead: Int? = nil) {
        state.withLock { $0.limit.start(at: rows, writesAhead: writesAhead) }
    }

    /// Records one finished request.
    ///
    /// "The rate holds the run back" is the request's own wait for its place: the window pacer makes a request
    /// wait only when its window is full (or, after a 429, to space requests evenly), so a request that went
    /// at once says the window still has room, and more rows in flight would fill it sooner, even when the
    /// writes already go out faster than the window's average rate (the first window of a run may go at once).
    public func record(_ sample: AdaptiveConcurrency.Sample) {
        let now = clock.now()
        state.withLock { $0.limit.record(sample, now: now) }
    }

    /// Counts a request that timed out or lost its connection before an answer.
    public func requestTimedOut() {
        state.withLock { $0.requestTimeouts += 1 }
    }

    /// Counts a user-management write about to be sent.
    public func writeSent() {
        let now = clock.now()
        state.withLock {
            $0.writesSent += 1
            $0.series.record(writes: 1, at: now)
        }
    }

    /// Sets how many rows are in flight now.
    public func setRowsInFlight(_ rows: Int) {
        let now = clock.now()
        state.withLock {
            $0.series.record(rowsInFlight: rows, at: now)
            $0.rowsInFlight = rows
            $0.peakRowsInFlight = max($0.peakRowsInFlight, rows)
        }
    }

    /// The writes per second and rows in flight so far, a point per second (thinned on a long run), with the
    /// write rate the run paces to: the report page's chart.
    public func series() -> LoadSeries {
        let now = clock.now()
        return state.withLock {
            $0.series.record(at: now)
            return $0.series
        }
    }

    /// The current load, for the progress line and the summary.
    public func snapshot() -> Snapshot {
        let now = clock.now()
        return state.withLock {
            Snapshot(
                rowsInFlight: $0.rowsInFlight, limit: $0.limit.limit, ceiling: $0.limit.ceiling,
                writesSent: $0.writesSent, writeRateTarget: writeRateTarget, constraint: $0.limit.constraint(now: now),
                peakRowsInFlight: $0.peakRowsInFlight, requestTimeouts: $0.requestTimeouts)
        }
    }
}
