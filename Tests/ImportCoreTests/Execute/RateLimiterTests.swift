import ImportCore
import Testing

/// An arbitrary fixed origin; every instant in these tests is `origin + .seconds(x)`.
private let origin = ContinuousClock.now

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test(
        "N requests made at once are spread evenly over (N-1)/rate seconds",
        arguments: [(50.0, 100), (4.0, 9), (10.0, 2), (1.0, 5), (49.0, 49)])
    func evenSpacing(rate: Double, count: Int) {
        var limiter = RateLimiter(ratePerSecond: rate)
        let slots = (0..<count).map { _ in limiter.reserve(now: origin) }
        #expect(slots.first == origin)
        let span = slots.first!.duration(to: slots.last!).seconds
        #expect(abs(span - Double(count - 1) / rate) < 1e-6)
        for (earlier, later) in zip(slots, slots.dropFirst()) {
            #expect(abs(earlier.duration(to: later).seconds - 1 / rate) < 1e-6)
        }
    }

    @Test("No two requests start closer than 1/rate, however irregularly they arrive", arguments: [1, 2, 3])
    func neverCloserThanInterval(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var limiter = RateLimiter(ratePerSecond: 20)
        var now = origin
        var slots: [ContinuousClock.Instant] = []
        for _ in 0..<500 {
            now = now + .milliseconds(Int.random(in: 0...120, using: &random))
            let slot = limiter.reserve(now: now)
            #expect(slot >= now)
            slots.append(slot)
        }
        let gaps = zip(slots, slots.dropFirst()).map { $0.duration(to: $1).seconds }
        #expect(gaps.allSatisfy { $0 >= 0.05 - 1e-9 })
    }

    @Test("A request after an idle period starts at once, without a burst of saved-up slots")
    func idleDoesNotBurst() {
        var limiter = RateLimiter(ratePerSecond: 10)
        _ = limiter.reserve(now: origin)
        let later = origin + .seconds(30)
        #expect(limiter.reserve(now: later) == later)
        #expect(limiter.reserve(now: later) == later + .milliseconds(100))
    }

    @Test("A burst allowance lets that many requests start together after idling, then spaces the rest")
    func burstAllowance() {
        var limiter = RateLimiter(ratePerSecond: 10, burst: 3)
        let slots = (0..<5).map { _ in limiter.reserve(now: origin) }
        #expect(slots == [origin, origin, origin, origin + .milliseconds(100), origin + .milliseconds(200)])
    }

    @Test("A 429 moves every later request past the Retry-After pause")
    func throttlePausesEveryone() {
        var limiter = RateLimiter(ratePerSecond: 50)
        for _ in 0..<10 { _ = limiter.reserve(now: origin) }
        let hit = origin + .milliseconds(150)
        limiter.throttled(retryAfter: .seconds(2), now: hit)
        #expect(limiter.isPaused(at: hit + .seconds(1)))
        let slots = (0..<20).map { _ in limiter.reserve(now: hit) }
        #expect(slots.allSatisfy { $0 >= hit + .seconds(2) })
        #expect(slots.first == hit + .seconds(2))
        let gaps = zip(slots, slots.dropFirst()).map { $0.duration(to: $1).seconds }
        #expect(gaps.allSatisfy { $0 >= 1 / 50 - 1e-9 })
    }

    @Test(
        "The pause lasts the Retry-After, 1 s when there is none, and never more than the cap",
        arguments: [
            (Duration?.some(.seconds(3)), Duration.seconds(3)),
            (nil, .seconds(1)),
            (.seconds(600), .seconds(60)),
            (.zero, .zero),
        ])
    func pauseLength(retryAfter: Duration?, expected: Duration) {
        var limiter = RateLimiter(ratePerSecond: 10)
        limiter.throttled(retryAfter: retryAfter, now: origin)
        #expect(limiter.reserve(now: origin) == origin + expected)
    }

    @Test("A 429 cuts the rate to 70 %, and a volley of 429s during one pause cuts it only once")
    func multiplicativeDecrease() {
        var limiter = RateLimiter(ratePerSecond: 40)
        limiter.throttled(retryAfter: .seconds(1), now: origin)
        #expect(abs(limiter.currentRate - 28) < 1e-9)
        for step in 1...5 {
            limiter.throttled(retryAfter: .seconds(1), now: origin + .milliseconds(step * 10))
        }
        #expect(abs(limiter.currentRate - 28) < 1e-9)
        limiter.throttled(retryAfter: .seconds(1), now: origin + .seconds(5))
        #expect(abs(limiter.currentRate - 19.6) < 1e-9)
    }

    @Test("Spacing follows the reduced rate after a 429")
    func spacingFollowsReducedRate() {
        var limiter = RateLimiter(ratePerSecond: 10)
        limiter.throttled(retryAfter: .seconds(1), now: origin)
        let first = limiter.reserve(now: origin)
        let second = limiter.reserve(now: origin)
        #expect(abs(first.duration(to: second).seconds - 1 / 7) < 1e-6)
    }

    @Test("Repeated 429s never push the rate below 5 % of the target")
    func rateFloor() {
        var limiter = RateLimiter(ratePerSecond: 49)
        for step in 0..<100 {
            limiter.throttled(retryAfter: .seconds(1), now: origin + .seconds(step * 2))
        }
        #expect(abs(limiter.currentRate - 49 * 0.05) < 1e-9)
    }

    @Test("After a 429 the rate eases back to the target within about 100 successes, never above it")
    func additiveRecovery() {
        var limiter = RateLimiter(ratePerSecond: 49)
        limiter.throttled(retryAfter: .seconds(1), now: origin)
        var now = origin + .seconds(1)
        var successes = 0
        var rates: [Double] = []
        while limiter.currentRate < 49 && successes < 1000 {
            now = limiter.reserve(now: now)
            limiter.succeeded(now: now)
            rates.append(limiter.currentRate)
            successes += 1
        }
        #expect(limiter.currentRate == 49)
        #expect(successes <= 101)
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 <= $1 })
        limiter.succeeded(now: now)
        #expect(limiter.currentRate == 49)
    }

    @Test("Successes answered during a pause do not speed the run back up")
    func successesDuringPauseIgnored() {
        var limiter = RateLimiter(ratePerSecond: 10)
        limiter.throttled(retryAfter: .seconds(2), now: origin)
        for step in 1...50 { limiter.succeeded(now: origin + .milliseconds(step * 10)) }
        #expect(abs(limiter.currentRate - 7) < 1e-9)
        limiter.succeeded(now: origin + .seconds(3))
        #expect(limiter.currentRate > 7)
    }

    @Test("Without a rate limit requests are not spaced, but a 429 still pauses them")
    func unlimited() {
        var limiter = RateLimiter(ratePerSecond: .infinity)
        #expect((0..<5).map { _ in limiter.reserve(now: origin) } == Array(repeating: origin, count: 5))
        limiter.throttled(retryAfter: .seconds(2), now: origin)
        #expect(limiter.reserve(now: origin) == origin + .seconds(2))
        #expect(limiter.reserve(now: origin) == origin + .seconds(2))
    }

    @Test("At 49 requests/s no 10-second window ever holds more than WorkOS's 500 writes")
    func defaultRateStaysUnderWriteLimit() {
        var limiter = RateLimiter(ratePerSecond: 49)
        var random = SeededGenerator(seed: 7)
        var now = origin
        var slots: [ContinuousClock.Instant] = []
        for _ in 0..<3000 {
            now = now + .microseconds(Int.random(in: 0...25_000, using: &random))
            slots.append(limiter.reserve(now: now))
        }
        var windowStart = 0
        var busiest = 0
        for (index, slot) in slots.enumerated() {
            while slots[windowStart].duration(to: slot) >= .seconds(10) { windowStart += 1 }
            busiest = max(busiest, index - windowStart + 1)
        }
        #expect(busiest <= 491)
        #expect(busiest >= 450)
    }
}
