import Testing

@testable import ImportCore

/// The load over time the report page draws: a point per second of the injected clock, bounded by thinning.
@Suite("The load series of the report page")
struct LoadSeriesTests {
    static let origin = ContinuousClock.now

    static func at(_ seconds: Double) -> ContinuousClock.Instant {
        origin + .milliseconds(Int64(seconds * 1_000))
    }

    @Test("each second gets the writes sent in it and the most rows in flight during it")
    func pointPerSecond() {
        var series = LoadSeries(origin: Self.origin, writeRateLimit: 50)
        series.record(rowsInFlight: 4, at: Self.at(0.1))
        series.record(writes: 1, at: Self.at(0.2))
        series.record(writes: 1, at: Self.at(0.9))
        series.record(rowsInFlight: 9, at: Self.at(1.5))
        series.record(rowsInFlight: 2, at: Self.at(1.6))
        series.record(writes: 1, at: Self.at(1.7))
        #expect(
            series.points == [
                LoadSeries.Point(second: 0, writesPerSecond: 2, rowsInFlight: 4),
                LoadSeries.Point(second: 1, writesPerSecond: 1, rowsInFlight: 9),
            ])
        #expect(series.writeRateLimit == 50)
        #expect(series.secondsPerPoint == 1)
    }

    @Test("a second with nothing recorded has no writes and carries the rows in flight")
    func quietSecondsCarryTheLevel() {
        var series = LoadSeries(origin: Self.origin)
        series.record(rowsInFlight: 6, at: Self.at(0.5))
        series.record(writes: 3, at: Self.at(3.2))
        #expect(series.points.map(\.rowsInFlight) == [6, 6, 6, 6])
        #expect(series.points.map(\.writesPerSecond) == [0, 0, 0, 3])
    }

    @Test(
        "a long run is thinned to at most the capacity, writes per second and peak rows kept",
        arguments: [(capacity: 10, seconds: 95), (capacity: 600, seconds: 36_000), (capacity: 2, seconds: 7)])
    func thinning(capacity: Int, seconds: Int) {
        var series = LoadSeries(origin: Self.origin, capacity: capacity)
        for second in 0..<seconds {
            series.record(writes: 10, rowsInFlight: second == seconds / 2 ? 99 : 5, at: Self.at(Double(second) + 0.5))
        }
        let points = series.points
        #expect(points.count <= capacity)
        #expect(points.count > capacity / 2 - 1)
        #expect(points.allSatisfy { $0.writesPerSecond == 10 }, "\(points)")
        #expect(points.map(\.rowsInFlight).max() == 99)
        #expect(points.first?.second == 0)
        #expect(points.map(\.second) == points.indices.map { $0 * series.secondsPerPoint })
        #expect(points.last.map { $0.second + series.secondsPerPoint >= seconds } == true)
    }
}
