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
}
