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
        /// When the most recent writes were sent, a ring of ``writeWindow`` entries, to tell whether the write
        /// rate is used up; `nextWrite` is where the next one goes (and, once the ring is full, the oldest).
        var recentWrites: [ContinuousClock.Instant] = []
        var nextWrite = 0
    }

    /// How many recent writes the write rate is measured over.
    private let writeWindow: Int

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
        self.state = Mutex(State(limit: limit))
        self.writeRateTarget = writeRateTarget
        self.clock = clock
        // About two seconds of writes at the target rate, and never fewer than 20.
        self.writeWindow = max(20, Int(min(writeRateTarget ?? 0, 5_000) * 2))
    }

    /// The most rows that may be in flight now.
    public var limit: Int { state.withLock { $0.limit.limit } }

    /// Records one finished request.
    ///
    /// With a write rate to pace to, "the rate holds the run back" means the recent writes go out at 95 % of
    /// it or more; a request that waited for its slot says only that rows arrived together, not that the
    /// budget is used up. Without one, the request's own wait for its slot is the signal.
    public func record(_ sample: AdaptiveConcurrency.Sample) {
        let now = clock.now()
        let window = writeWindow
        let target = writeRateTarget
        state.withLock { state in
            var sample = sample
            if let target {
                sample.waitedForRate = Self.writeRate(state, window: window) >= 0.95 * target
            }
            state.limit.record(sample, now: now)
        }
    }

    /// Counts a request that timed out or lost its connection before an answer.
    public func requestTimedOut() {
        state.withLock { $0.requestTimeouts += 1 }
    }

    /// Counts a user-management write about to be sent.
    public func writeSent() {
        let now = clock.now()
        let window = writeWindow
        state.withLock { state in
            state.writesSent += 1
            if state.recentWrites.count < window {
                state.recentWrites.append(now)
            } else {
                state.recentWrites[state.nextWrite] = now
            }
            state.nextWrite = (state.nextWrite + 1) % window
        }
    }

    /// Writes per second over a full window of recent writes; 0 until the window is full.
    private static func writeRate(_ state: State, window: Int) -> Double {
        guard state.recentWrites.count >= window else { return 0 }
        let oldest = state.recentWrites[state.nextWrite]
        let newest = state.recentWrites[(state.nextWrite + window - 1) % window]
        guard newest > oldest else { return 0 }
        let span = newest - oldest
        let seconds = Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
        return Double(window - 1) / seconds
    }

    /// Sets how many rows are in flight now.
    public func setRowsInFlight(_ rows: Int) {
        state.withLock {
            $0.rowsInFlight = rows
            $0.peakRowsInFlight = max($0.peakRowsInFlight, rows)
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
