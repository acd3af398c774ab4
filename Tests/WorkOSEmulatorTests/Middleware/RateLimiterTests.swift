import Foundation
import Testing

@testable import WorkOSEmulator

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test("writes and reads have separate budgets that reset with the window")
    func separateBudgets() {
        var limiter = RateLimiter(limits: EmulatorRateLimits(writes: 2, reads: 3, window: 10))
        #expect(limiter.admit(.userManagementWrite, now: 0) == .allowed)
        #expect(limiter.admit(.userManagementWrite, now: 1) == .allowed)
        #expect(limiter.admit(.userManagementWrite, now: 2) == .limited(retryAfter: 8))
        for _ in 0..<3 { #expect(limiter.admit(.userManagementRead, now: 2) == .allowed) }
        #expect(limiter.admit(.userManagementRead, now: 2) == .limited(retryAfter: 10))
        #expect(limiter.admit(.userManagementWrite, now: 10) == .allowed)
    }

    @Test("Retry-After is whole seconds rounded up and at least 1")
    func retryAfterRounding() {
        var limiter = RateLimiter(limits: EmulatorRateLimits(writes: 1, reads: 1, window: 10))
        _ = limiter.admit(.userManagementWrite, now: 0)
        #expect(limiter.admit(.userManagementWrite, now: 7.2) == .limited(retryAfter: 3))
        #expect(limiter.admit(.userManagementWrite, now: 9.99) == .limited(retryAfter: 1))
    }

    @Test("the general limit counts every API path; nil limits allow everything")
    func generalAndOff() {
        var limiter = RateLimiter(limits: EmulatorRateLimits(writes: 100, reads: 100, general: 2))
        #expect(limiter.admit(.other, now: 0) == .allowed)
        #expect(limiter.admit(.userManagementRead, now: 0) == .allowed)
        #expect(limiter.admit(.other, now: 0) == .limited(retryAfter: 60))
        var off = RateLimiter(limits: nil)
        for _ in 0..<10_000 { #expect(off.admit(.userManagementWrite, now: 0) == .allowed) }
    }

    @Test("organizations paths only count toward the general limit")
    func kinds() {
        #expect(RateLimiter.kind(method: "GET", path: "/user_management/users") == .userManagementRead)
        #expect(RateLimiter.kind(method: "POST", path: "/user_management/users") == .userManagementWrite)
        #expect(RateLimiter.kind(method: "POST", path: "/organizations") == .other)
    }

    @Test("over the limit the API answers 429 with the documented body and Retry-After, and counts it")
    func engine429() async throws {
        let harness = try TestEmulator { $0.rateLimits = EmulatorRateLimits(writes: 2, reads: 100, window: 10) }
        try await harness.test { client in
            #expect(try await client.createUser(#"{"email":"a@example.com"}"#).status == 201)
            #expect(try await client.createUser(#"{"email":"b@example.com"}"#).status == 201)
            let limited = try await client.createUser(#"{"email":"c@example.com"}"#)
            #expect(limited.status == 429)
            #expect(
                limited.json
                    == .object(["message": .string("Too many requests."), "code": .string("rate_limit_exceeded")]))
            #expect(limited.headers["retry-after"] == "10")
            #expect(
                SchemaValidator.shared.problems(limited.json!, operation: "POST /audit_logs/events", status: 429)
                    .isEmpty)
            #expect(try await client.send("GET", "/user_management/users").status == 200)
            harness.clock.advance(by: 10)
            #expect(try await client.createUser(#"{"email":"c@example.com"}"#).status == 201)
            let snapshot = harness.state.snapshot()
            #expect(snapshot.counters.rateLimited == 1)
            #expect(snapshot.counters.count("POST /user_management/users", status: 429) == 1)
            #expect(snapshot.users.count == 3)
        }
    }

    @Test("limits can be changed or turned off at run time")
    func runtimeChange() async throws {
        let harness = try TestEmulator { $0.rateLimits = EmulatorRateLimits(writes: 1, reads: 1, window: 10) }
        try await harness.test { client in
            try await client.createUser(#"{"email":"a@example.com"}"#)
            #expect(try await client.createUser(#"{"email":"b@example.com"}"#).status == 429)
            harness.state.setRateLimits(nil)
            #expect(try await client.createUser(#"{"email":"b@example.com"}"#).status == 201)
            #expect(harness.state.snapshot().settings.rateLimits == nil)
        }
    }

    @Test("deletes under /user_management count as writes; organization deletes have their own budget")
    func organizationDeletes() {
        #expect(RateLimiter.kind(method: "DELETE", path: "/user_management/users/x") == .userManagementWrite)
        #expect(RateLimiter.kind(method: "DELETE", path: "/auth/factors/x") == .other)
        #expect(RateLimiter.kind(method: "DELETE", path: "/organizations/org_1") == .organizationDelete)
        #expect(RateLimiter.kind(method: "PUT", path: "/organizations/org_1") == .other)
        var limiter = RateLimiter(limits: EmulatorRateLimits(writes: 1, reads: 1, organizationDeletes: 2))
        #expect(limiter.admit(.organizationDelete, now: 0) == .allowed)
        #expect(limiter.admit(.organizationDelete, now: 1) == .allowed)
        #expect(limiter.admit(.organizationDelete, now: 2) == .limited(retryAfter: 58))
        #expect(limiter.admit(.userManagementWrite, now: 2) == .allowed)
        var off = RateLimiter(limits: EmulatorRateLimits(writes: 1, reads: 1, organizationDeletes: nil))
        for _ in 0..<100 { #expect(off.admit(.organizationDelete, now: 0) == .allowed) }
    }

    @Test("limits written before the organization-delete budget read back with the published one; null turns it off")
    func organizationDeleteDecoding() throws {
        let old = #"{"writes":5,"reads":6,"window_seconds":10,"general_window_seconds":60}"#
        let decoded = try JSONDecoder().decode(EmulatorRateLimits.self, from: Data(old.utf8))
        #expect(decoded.organizationDeletes == 50 && decoded.organizationDeleteWindow == 60)
        #expect(decoded.writes == 5 && decoded.reads == 6 && decoded.general == nil)
        let off = #"{"writes":5,"reads":6,"window_seconds":10,"general_window_seconds":60,"organization_deletes":null}"#
        #expect(try JSONDecoder().decode(EmulatorRateLimits.self, from: Data(off.utf8)).organizationDeletes == nil)
        for limits in [
            EmulatorRateLimits.workOSDefaults, EmulatorRateLimits(writes: 1, reads: 2, organizationDeletes: nil),
        ] {
            let data = try JSONEncoder().encode(limits)
            #expect(try JSONDecoder().decode(EmulatorRateLimits.self, from: data) == limits)
        }
    }

    @Test("sliding window: at most N in any window of T, a place freeing exactly T after the admission it follows")
    func slidingWindow() {
        var limiter = RateLimiter(limits: EmulatorRateLimits(writes: 3, reads: 100, window: 10))
        for now in [0.0, 4, 8] { #expect(limiter.admit(.userManagementWrite, now: now) == .allowed) }
        #expect(limiter.admit(.userManagementWrite, now: 9) == .limited(retryAfter: 1))
        #expect(limiter.admit(.userManagementWrite, now: 10) == .allowed, "the admission at 0 has left the window")
        #expect(limiter.admit(.userManagementWrite, now: 11) == .limited(retryAfter: 3), "4, 8 and 10 are inside")
        #expect(limiter.admit(.userManagementWrite, now: 14) == .allowed)
    }

    @Test("sliding window: whatever the arrivals, no window of T admits more than N", arguments: [1, 2, 3])
    func slidingWindowProperty(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var limiter = RateLimiter(limits: EmulatorRateLimits(writes: 5, reads: 100, window: 1))
        var now = 0.0
        var admitted: [Double] = []
        for _ in 0..<2_000 {
            now += Double(Int.random(in: 0...100, using: &random)) / 1_000
            if limiter.admit(.userManagementWrite, now: now) == .allowed { admitted.append(now) }
        }
        #expect(admitted.count > 100)
        for index in admitted.indices.dropLast(5) {
            #expect(admitted[index + 5] - admitted[index] >= 1, "six admitted within one second at \(admitted[index])")
        }
    }

    @Test("fixed window: N per window aligned to the clock, the count resetting at each boundary")
    func fixedWindow() {
        var limiter = RateLimiter(limits: EmulatorRateLimits(writes: 3, reads: 100, window: 10, model: .fixed))
        for now in [7.0, 8, 9] { #expect(limiter.admit(.userManagementWrite, now: now) == .allowed) }
        #expect(limiter.admit(.userManagementWrite, now: 9.5) == .limited(retryAfter: 1))
        // The window [10, 20) starts with a full count, though three were admitted less than 10 s before.
        for now in [10.0, 10, 11] { #expect(limiter.admit(.userManagementWrite, now: now) == .allowed) }
        #expect(limiter.admit(.userManagementWrite, now: 12) == .limited(retryAfter: 8))
        #expect(limiter.admit(.userManagementWrite, now: 20) == .allowed)
    }

    @Test("token bucket: a burst up to the capacity, then the refill rate of N per window")
    func tokenBucket() {
        var limiter = RateLimiter(
            limits: EmulatorRateLimits(writes: 10, reads: 100, window: 1, model: .token, tokenCapacity: 3))
        for _ in 0..<3 { #expect(limiter.admit(.userManagementWrite, now: 0) == .allowed) }
        #expect(limiter.admit(.userManagementWrite, now: 0) == .limited(retryAfter: 1))
        #expect(limiter.admit(.userManagementWrite, now: 0.1) == .allowed, "one token refilled in 0.1 s at 10/s")
        #expect(limiter.admit(.userManagementWrite, now: 0.15) == .limited(retryAfter: 1))
        // Idle for a second: the bucket is full again, but never holds more than its capacity.
        for _ in 0..<3 { #expect(limiter.admit(.userManagementWrite, now: 5) == .allowed) }
        #expect(limiter.admit(.userManagementWrite, now: 5) == .limited(retryAfter: 1))
        // Without a capacity the bucket holds the budget's limit.
        var plain = RateLimiter(limits: EmulatorRateLimits(writes: 5, reads: 100, window: 1, model: .token))
        for _ in 0..<5 { #expect(plain.admit(.userManagementWrite, now: 0) == .allowed) }
        #expect(plain.admit(.userManagementWrite, now: 0) == .limited(retryAfter: 1))
    }

    @Test("the limiter model and token capacity read back; an older body without them is a sliding window")
    func modelDecoding() throws {
        let old = #"{"writes":5,"reads":6,"window_seconds":10,"general_window_seconds":60}"#
        #expect(try JSONDecoder().decode(EmulatorRateLimits.self, from: Data(old.utf8)).model == .sliding)
        let token =
            #"{"writes":5,"reads":6,"window_seconds":1,"general_window_seconds":60,"limiter":"token","token_capacity":50}"#
        let decoded = try JSONDecoder().decode(EmulatorRateLimits.self, from: Data(token.utf8))
        #expect(decoded.model == .token && decoded.tokenCapacity == 50)
        #expect(try JSONDecoder().decode(EmulatorRateLimits.self, from: JSONEncoder().encode(decoded)) == decoded)
        let unknown = #"{"writes":5,"reads":6,"window_seconds":1,"general_window_seconds":60,"limiter":"leaky"}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EmulatorRateLimits.self, from: Data(unknown.utf8))
        }
    }

    @Test("PUT /_emulate/config switches the limiter model")
    func modelAtRunTime() async throws {
        let harness = try TestEmulator { $0.rateLimits = EmulatorRateLimits(writes: 1, reads: 1, window: 10) }
        try await harness.test { client in
            let body =
                #"{"rate_limits":{"writes":2,"reads":5,"window_seconds":10,"general_window_seconds":60,"limiter":"token","token_capacity":1}}"#
            let update = try await client.send("PUT", "/_emulate/config", json: body, apiKey: nil)
            #expect(update.status == 200)
            #expect(harness.state.snapshot().settings.rateLimits?.model == .token)
            #expect(harness.state.snapshot().settings.rateLimits?.tokenCapacity == 1)
            #expect(try await client.createUser(#"{"email":"a@example.com"}"#).status == 201)
            // Two writes per window, but a bucket of one token: the second write at once is refused.
            #expect(try await client.createUser(#"{"email":"b@example.com"}"#).status == 429)
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
private struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
