import Synchronization

/// Shows how far an import has got, on stderr.
///
/// On a terminal it keeps one live line, redrawn at most ten times a second and cleared by ``finish()``.
/// Elsewhere (a log file, CI) it prints a plain line every five seconds. ``update(done:ok:failed:bytesFraction:)``
/// is cheap enough to call for every row: it only formats text when a draw is due.
///
/// The clock is injected so tests drive time without sleeping. State sits behind a mutex, which makes the
/// reporter `Sendable`, so the pipeline's tasks can share it.
public final class ProgressReporter: Sendable {
    /// Shortest gap between two draws of the live line on a terminal.
    public static let terminalInterval: Duration = .milliseconds(100)
    /// Gap between two plain progress lines when stderr is not a terminal.
    public static let plainInterval: Duration = .seconds(5)

    private struct State {
        var total: Int?
        var start: ContinuousClock.Instant
        var lastDraw: ContinuousClock.Instant?
        var hasLiveLine = false
        var finished = false
        var done = 0
        var ok = 0
        var failed = 0
        var bytesFraction: Double?
        /// Recent (instant, writes sent) marks, at least a second apart, for the recent write rate.
        var writeMarks: [(instant: ContinuousClock.Instant, writes: Int)] = []
    }

    /// How long back the write rate on the progress line looks.
    static let writeRateWindow: Duration = .seconds(10)

    private let sink: any TextSink
    private let isTerminal: Bool
    private let maxWidth: Int?
    private let now: @Sendable () -> ContinuousClock.Instant
    private let load: (@Sendable () -> ConcurrencyControl.Snapshot)?
    private let state: Mutex<State>

    /// Starts the clock for the rate and ETA.
    ///
    /// - Parameters:
    ///   - sink: where progress goes (stderr in the command).
    ///   - isTerminal: whether `sink` is a terminal: live line and fast redraws, or plain lines.
    ///   - total: data rows in the file, from the pre-scan; `nil` when unknown (then the byte fraction is used).
    ///   - now: the clock, injected for tests.
    ///   - maxWidth: the terminal's width (``TerminalDetection/columns(_:)``); the live line is cut to fit,
    ///     since a wrapped line cannot be redrawn in place.
    ///   - load: the run's live load (writes sent, rows in flight, what holds the run back), shown on the line.
    public init(
        sink: any TextSink, isTerminal: Bool, total: Int?, maxWidth: Int? = nil,
        load: (@Sendable () -> ConcurrencyControl.Snapshot)? = nil,
        now: @escaping @Sendable () -> ContinuousClock.Instant
    ) {
        self.sink = sink
        self.isTerminal = isTerminal
        self.maxWidth = maxWidth
        self.load = load
        self.now = now
        self.state = Mutex(State(total: total, start: now()))
    }

    /// Sets the row total once a pre-scan running alongside the import has counted it.
    public func setTotal(_ total: Int?) {
        state.withLock { $0.total = total }
    }

    /// Records the latest counts and draws if a draw is due.
    ///
    /// - Parameters:
    ///   - done: rows settled so far (ok + failed, including rows settled by an earlier run when resuming).
    ///   - bytesFraction: share of the file's bytes read (0...1), used when the total is unknown.
    public func update(done: Int, ok: Int, failed: Int, bytesFraction: Double?) {
        let instant = now()
        let text: String? = state.withLock { state in
            state.done = done
            state.ok = ok
            state.failed = failed
            state.bytesFraction = bytesFraction
            return drawIfDue(&state, at: instant)
        }
        if let text { sink.write(text) }
    }

    /// Clears the live line so a row's line can be printed on a clean line of the terminal; the progress line
    /// comes back at its next draw, below it.
    public func clearLine() {
        let clear = state.withLock { state -> Bool in
            defer { state.hasLiveLine = false }
            return state.hasLiveLine
        }
        if clear { sink.write("\r\u{1B}[K") }
    }

    /// Stops drawing and clears the live line, so the summary starts on a clean line.
    public func finish() {
        let clear = state.withLock { state -> Bool in
            defer {
                state.finished = true
                state.hasLiveLine = false
            }
            return !state.finished && state.hasLiveLine
        }
        if clear { sink.write("\r\u{1B}[K") }
    }

    private func drawIfDue(_ state: inout State, at instant: ContinuousClock.Instant) -> String? {
        guard !state.finished else { return nil }
        if isTerminal {
            if let last = state.lastDraw, instant - last < Self.terminalInterval { return nil }
        } else {
            if instant - (state.lastDraw ?? state.start) < Self.plainInterval { return nil }
        }
        state.lastDraw = instant
        let loadLine = load.map { snapshot -> LoadLine in
            let current = snapshot()
            return LoadLine(
                load: current, writeRate: Self.recentWriteRate(&state, writes: current.writesSent, at: instant))
        }
        let line = Self.line(
            done: state.done, total: state.total, ok: state.ok, failed: state.failed,
            bytesFraction: state.bytesFraction, elapsed: instant - state.start, load: loadLine)
        if isTerminal {
            state.hasLiveLine = true
            let fitted = maxWidth.map { String(line.prefix(max(1, $0 - 1))) } ?? line
            return "\r" + fitted + "\u{1B}[K"
        }
        return line + "\n"
    }

    /// The progress text, e.g. `12,340 / 100,000 rows (12%)  48.9 rows/s  ETA 29m54s  ok 12,300  failed 40`.
    ///
    /// Without a total, the percentage and ETA come from `bytesFraction`; without either they are left out.
    public static func line(
        done: Int, total: Int?, ok: Int, failed: Int, bytesFraction: Double?, elapsed: Duration, load: LoadLine? = nil
    ) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var parts: [String] = []
        var fraction: Double?
        var eta: Double?
        if let total, total > 0 {
            fraction = min(1, Double(done) / Double(total))
            if rate > 0 { eta = Double(max(0, total - done)) / rate }
            parts.append("\(ReportText.grouped(done)) / \(ReportText.grouped(total)) rows (\(percent(fraction!)))")
        } else if let bytesFraction, bytesFraction > 0, bytesFraction.isFinite {
            let clamped = min(1, bytesFraction)
            fraction = clamped
            if seconds > 0 { eta = seconds * (1 - clamped) / clamped }
            parts.append("\(ReportText.grouped(done)) rows (\(percent(clamped)))")
        } else {
            parts.append("\(ReportText.grouped(done)) rows")
        }
        parts.append("\(ReportText.rate(rate)) rows/s")
        if let load { parts.append(load.text) }
        if fraction != nil { parts.append("ETA " + (eta.map(ReportText.eta) ?? "--")) }
        parts.append("ok \(ReportText.grouped(ok))")
        parts.append("failed \(ReportText.grouped(failed))")
        return parts.joined(separator: "  ")
    }

    /// What the progress line says about the run's load.
    public struct LoadLine: Sendable, Equatable {
        /// The run's load when the line was drawn.
        public var load: ConcurrencyControl.Snapshot
        /// User-management writes per second over the last few seconds; nil until a second has passed.
        public var writeRate: Double?

        /// Creates the load part of a line.
        public init(load: ConcurrencyControl.Snapshot, writeRate: Double?) {
            self.load = load
            self.writeRate = writeRate
        }

        /// E.g. `writes 48.9/s of 49  in flight 23/64 (rate limit)`.
        var text: String {
            var parts: [String] = []
            let rate = writeRate.map(ReportText.rate) ?? "--"
            if let target = load.writeRateTarget {
                let shown = target == target.rounded() && target < 1e6 ? String(Int(target)) : ReportText.rate(target)
                parts.append("writes \(rate)/s of \(shown)")
            } else {
                parts.append("writes \(rate)/s")
            }
            let flight =
                load.constraint == .fixed
                ? "in flight \(load.rowsInFlight) (fixed)"
                : "in flight \(load.rowsInFlight)/\(load.limit) (\(load.constraint.rawValue))"
            parts.append(flight)
            return parts.joined(separator: "  ")
        }
    }

    /// The write rate over about the last ``writeRateWindow``, from marks kept at most once a second.
    private static func recentWriteRate(_ state: inout State, writes: Int, at instant: ContinuousClock.Instant)
        -> Double?
    {
        if state.writeMarks.last.map({ instant - $0.instant >= .seconds(1) }) ?? true {
            state.writeMarks.append((instant, writes))
        }
        while state.writeMarks.count > 2, instant - state.writeMarks[1].instant >= writeRateWindow {
            state.writeMarks.removeFirst()
        }
        guard let oldest = state.writeMarks.first, instant - oldest.instant >= .seconds(1) else { return nil }
        let elapsed = instant - oldest.instant
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(writes - oldest.writes) / seconds
    }

    private static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded(.down)))%"
    }
}
