import Foundation
import ImportCore
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    /// The failures that back off exponentially.
    static let backoffFailures: [RetryableFailure] = [
        .timeout, .serverError(status: 503), .transport, .rateLimited(retryAfter: nil),
    ]

    @Test("Backoff delays never shrink from one retry to the next", arguments: [1, 2, 3, 42] as [UInt64])
    func delaysGrow(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let policy = RetryPolicy(maxRetries: 6, baseDelay: .milliseconds(500), maxDelay: .seconds(60))
        for failure in Self.backoffFailures {
            let delays = (1...6).compactMap { policy.delay(after: failure, attempt: $0, random: &random) }
            #expect(delays.count == 6)
            #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(delays.last! > delays.first! * 8)
        }
    }

    @Test("Each backoff is between half and all of base·2^(attempt-1), capped", arguments: backoffFailures)
    func jitterBounds(failure: RetryableFailure) {
        var random = SeededGenerator(seed: 9)
        let policy = RetryPolicy(maxRetries: 20, baseDelay: .milliseconds(500), maxDelay: .seconds(30))
        for attempt in 1...20 {
            for _ in 0..<50 {
                let delay = policy.delay(after: failure, attempt: attempt, random: &random)!.seconds
                let ceiling = min(30, 0.5 * Double(1 << (attempt - 1)))
                #expect(delay >= ceiling / 2 - 1e-9 && delay <= ceiling + 1e-9)
            }
        }
    }

    @Test("Jitter spreads workers that failed together")
    func jitterVaries() {
        var random = SeededGenerator(seed: 5)
        let policy = RetryPolicy()
        let delays = Set((0..<20).map { _ in policy.delay(after: .transport, attempt: 3, random: &random)! })
        #expect(delays.count > 10)
    }

    @Test(
        "A 429's Retry-After is used as is, capped at 60 s",
        arguments: [
            (Duration.seconds(3), Duration.seconds(3)),
            (.milliseconds(1500), .milliseconds(1500)),
            (.seconds(61), .seconds(60)),
            (.seconds(3600), .seconds(60)),
            (.zero, .zero),
        ])
    func retryAfterWins(retryAfter: Duration, expected: Duration) {
        var random = SeededGenerator(seed: 1)
        let policy = RetryPolicy()
        for attempt in 1...5 {
            #expect(
                policy.delay(after: .rateLimited(retryAfter: retryAfter), attempt: attempt, random: &random) == expected
            )
        }
    }

    @Test("The request gets maxRetries retries after the first attempt, then gives up", arguments: [2, 3, 5, 10])
    func givesUp(maxRetries: Int) {
        var random = SeededGenerator(seed: 3)
        let policy = RetryPolicy(maxRetries: maxRetries)
        #expect(policy.maxAttempts == maxRetries + 1)
        for failure in Self.backoffFailures + [.rateLimited(retryAfter: .seconds(1))] {
            for attempt in 1...maxRetries {
                #expect(policy.delay(after: failure, attempt: attempt, random: &random) != nil)
            }
            #expect(policy.delay(after: failure, attempt: maxRetries + 1, random: &random) == nil)
        }
    }

    @Test("The default policy allows 6 attempts, and at least 3 attempts are always possible")
    func defaults() {
        #expect(RetryPolicy().maxAttempts == 6)
        #expect(RetryPolicy.minimumRetries + 1 >= 3)
    }

    @Test("A policy with no retries never retries")
    func noRetries() {
        var random = SeededGenerator(seed: 3)
        #expect(RetryPolicy(maxRetries: 0).delay(after: .transport, attempt: 1, random: &random) == nil)
    }
}
