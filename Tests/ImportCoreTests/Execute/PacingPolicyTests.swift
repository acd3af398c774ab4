import ImportCore
import Testing

@Suite("Pacing policy: from the pacing flags to budgets")
struct PacingPolicyTests {
    typealias Rate = PacingPolicy.Rate

    /// `writes`/`reads`/`window` as the flags give them, and the window limits they make (requests per window
    /// in seconds, or nil for an unpaced budget).
    static let cases: [(String, Rate, Rate?, Double, Int?, Int?, Bool)] = [
        ("WorkOS's limits by default", .limited(50), nil, 10, 500, 1_000, true),
        ("a lower write rate keeps the default reads", .limited(20), nil, 10, 200, 1_000, true),
        ("a lower read rate keeps the default writes", .limited(50), .limited(30), 10, 500, 300, true),
        ("--rate-limit off alone turns every budget off", .off, nil, 10, nil, nil, false),
        ("--rate-limit off with a read rate paces only reads and the key", .off, .limited(30), 10, nil, 300, true),
        ("a write rate above the key's limit drops the general budget", .limited(150), nil, 10, 1_500, 1_000, false),
        (
            "a read rate above the key's limit drops the general budget", .limited(50), .limited(200), 10, 500, 2_000,
            false
        ),
        ("a shorter window keeps the rate per second", .limited(50), .limited(100), 1, 50, 100, true),
        ("a rate below one request per window still allows one", .limited(0.1), nil, 1, 1, 100, true),
    ]

    @Test(
        "the rates become window limits, and the general budget applies unless a rate goes above it", arguments: cases)
    func rates(
        _ name: String, writes: Rate, reads: Rate?, window: Double, expectedWrites: Int?, expectedReads: Int?,
        general: Bool
    ) {
        let rates = PacingPolicy(writes: writes, reads: reads, windowSeconds: window).rates
        let windowDuration = Duration.milliseconds(Int64(window * 1_000))
        #expect(rates.writes == expectedWrites.map { WindowLimit(requests: $0, per: windowDuration) }, "\(name)")
        #expect(rates.reads == expectedReads.map { WindowLimit(requests: $0, per: windowDuration) }, "\(name)")
        #expect(rates.general == (general ? PacingRates.documentedGeneral : nil), "\(name)")
        let everyBudgetOff = expectedWrites == nil && expectedReads == nil
        #expect(
            rates.organizationDeletes == (everyBudgetOff ? nil : PacingRates.documentedOrganizationDeletes),
            "\(name)")
    }

    @Test("the default policy is WorkOS's documented limits in full")
    func defaults() {
        #expect(PacingPolicy().rates == PacingRates.default)
        #expect(PacingPolicy.defaultWritesPerSecond * PacingPolicy.defaultWindowSeconds == 500)
        #expect(PacingPolicy.defaultReadsPerSecond * PacingPolicy.defaultWindowSeconds == 1_000)
    }

    @Test(
        "rows in flight: the ceiling given, else a window's 500 to adapt up to (64 unpaced), or 10 pinned",
        arguments: [
            (nil, false, true, 500), (nil, false, false, 64), (nil, true, true, 10), (nil, true, false, 10),
            (20, false, true, 20), (20, true, false, 20),
        ] as [(Int?, Bool, Bool, Int)])
    func concurrency(ceiling: Int?, fixed: Bool, paced: Bool, expected: Int) {
        let policy = PacingPolicy(writes: paced ? .limited(50) : .off)
        #expect(policy.concurrency(ceiling: ceiling, fixed: fixed) == expected)
    }
}
