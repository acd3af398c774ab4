extension AdaptiveConcurrency {
    /// Where Little's law puts the rows in flight for a run that sends `rowsPerSecond` rows, each of
    /// `requestsPerRow` requests one after another, when a request takes `latency`: rows in flight = rows per
    /// second × the time one row takes. Rounded up, so the rate is never short by a fraction of a row.
    ///
    /// Far from WorkOS a start at a fixed handful of rows takes several rounds of answers to grow to this
    /// level, and the run sends below its rate all that time; starting here, the limit only has to adapt to
    /// what the run then sees. Without a rate (`--rate-limit off`) the answer is `nil`: nothing but the
    /// ceiling bounds the rows.
    ///
    /// - Parameters:
    ///   - rowsPerSecond: the rows the write budget allows a second (its average rate over writes per row).
    ///   - latency: how long WorkOS took to answer one request (the preflight's answer time).
    ///   - requestsPerRow: the requests one row sends one after another.
    public static func littlesLawRows(rowsPerSecond: Double?, latency: Duration, requestsPerRow: Int) -> Int? {
        guard let rowsPerSecond, rowsPerSecond.isFinite else { return nil }
        let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18
        let rows = max(0, rowsPerSecond) * max(0, seconds) * Double(max(1, requestsPerRow))
        // Beyond any ceiling a command line can give: keeps the conversion to Int defined.
        return Int(min(rows.rounded(.up), 1_000_000))
    }

    /// Moves the limit to `rows` (within the floor and the ceiling) before the first row: the run's first rows
    /// go out at the level the measured latency calls for, and the limit adapts from there. Near WorkOS that
    /// level is a row or two, below ``initial``: more would only send more requests at once into a limiter
    /// stricter than the documented window before its first 429 could come back. A fixed limit does not
    /// move, nor does a run without a rate to fill (`nil`).
    ///
    /// - Parameter writesAhead: the writes the run's rows send when their users and memberships are new; when
    ///   fewer than a window holds, the rows in flight grow only to what sends those within the demand's
    ///   spread.
    public mutating func start(at rows: Int?, writesAhead: Int? = nil) {
        if let demand, let writesAhead {
            self.demand = WindowDemand(writesPerWindow: min(demand.writesPerWindow, writesAhead))
        }
        guard !isFixed, let rows else { return }
        estimate = Double(min(ceiling, max(floor, rows)))
    }
}
