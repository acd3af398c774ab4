/// A run's load over time, a point per second: the user-management writes sent in that second and the most
/// rows in flight during it, for the report page's chart.
///
/// A pure value fed by ``ConcurrencyControl`` with the instants of its own clock, so a test drives it with
/// made-up instants and never sleeps. Memory is bounded whatever the run's length: once a point would be
/// the ``capacity``-th, neighbours are merged in pairs (their writes added, their rows in flight the larger)
/// and each point then covers twice the seconds, so a ten-hour run still draws at most ``capacity`` points.
public struct LoadSeries: Sendable, Equatable {
    /// One point of the chart.
    public struct Point: Sendable, Equatable {
        /// Seconds from the start of the run to the start of the point's span.
        public var second: Int
        /// Writes sent during the span, per second of it.
        public var writesPerSecond: Double
        /// The most rows in flight during the span.
        public var rowsInFlight: Int

        /// A point.
        public init(second: Int, writesPerSecond: Double, rowsInFlight: Int) {
            self.second = second
            self.writesPerSecond = writesPerSecond
            self.rowsInFlight = rowsInFlight
        }
    }

    /// What one span has counted so far.
    private struct Bucket: Sendable, Equatable {
        var writes: Int
        var rowsInFlight: Int
    }

    /// The most points kept.
    public static let defaultCapacity = 600

    /// The instant second 0 starts at.
    public let origin: ContinuousClock.Instant
    /// The most points kept before neighbours are merged (at least 2).
    public let capacity: Int
    /// The write rate the run's pacing allows, per second (`--rate-limit`), or `nil` when writes are not paced.
    public let writeRateLimit: Double?
    /// Seconds each point covers: 1, then 2, 4, … as the run grows longer than ``capacity`` seconds.
    public private(set) var secondsPerPoint = 1
    private var buckets: [Bucket] = []
    /// The rows in flight now, carried into the seconds that record nothing.
    private var rowsNow = 0
    /// Seconds from the origin to the latest instant recorded, for the last point's own span.
    private var lastSecond = 0

    /// An empty series starting at `origin`.
    public init(origin: ContinuousClock.Instant, writeRateLimit: Double? = nil, capacity: Int = defaultCapacity) {
        self.origin = origin
        self.writeRateLimit = writeRateLimit
        self.capacity = max(2, capacity)
    }

    /// Counts `writes` sent at `now`, and, when given, the rows in flight from `now` on.
    public mutating func record(writes: Int = 0, rowsInFlight: Int? = nil, at now: ContinuousClock.Instant) {
        let second = max(0, Int((now - origin).components.seconds))
        lastSecond = max(lastSecond, second)
        while second / secondsPerPoint >= capacity { thin() }
        let index = second / secondsPerPoint
        while buckets.count <= index { buckets.append(Bucket(writes: 0, rowsInFlight: rowsNow)) }
        buckets[index].writes += writes
        if let rowsInFlight {
            rowsNow = rowsInFlight
            buckets[index].rowsInFlight = max(buckets[index].rowsInFlight, rowsInFlight)
        }
    }

    /// Merges neighbouring spans in pairs, doubling the seconds a point covers.
    private mutating func thin() {
        var merged: [Bucket] = []
        merged.reserveCapacity(buckets.count / 2 + 1)
        var index = 0
        while index < buckets.count {
            var bucket = buckets[index]
            if index + 1 < buckets.count {
                bucket.writes += buckets[index + 1].writes
                bucket.rowsInFlight = max(bucket.rowsInFlight, buckets[index + 1].rowsInFlight)
            }
            merged.append(bucket)
            index += 2
        }
        buckets = merged
        secondsPerPoint *= 2
    }

    /// The points in time order; the last one's rate is over the seconds it has covered so far.
    public var points: [Point] {
        buckets.enumerated().map { index, bucket in
            let start = index * secondsPerPoint
            let span = index == buckets.count - 1 ? min(secondsPerPoint, lastSecond - start + 1) : secondsPerPoint
            return Point(
                second: start, writesPerSecond: Double(bucket.writes) / Double(max(1, span)),
                rowsInFlight: bucket.rowsInFlight)
        }
    }
}
