import HummingbirdTesting
import Synchronization
import Testing

@testable import WorkOSEmulator

@Suite("Faults and idempotency")
struct FaultAndIdempotencyTests {
    @Test("an error share of 1 answers with a configured 5xx and does no work", arguments: [500, 502, 503])
    func injectedErrors(status: Int) async throws {
        let harness = try TestEmulator {
            $0.faults = EmulatorFaults(errorShare: 1, errorStatuses: [status])
        }
        try await harness.test { client in
            let answer = try await client.createUser(#"{"email":"a@example.com"}"#)
            #expect(answer.status == status)
            #expect(answer.json?["message"]?.stringValue != nil)
            let snapshot = harness.state.snapshot()
            #expect(snapshot.users.isEmpty)
            #expect(snapshot.counters.faults("error_\(status)") == 1)
            #expect(snapshot.counters.count("POST /user_management/users", status: status) == 1)
        }
    }

    @Test("a reset closes the connection before any work")
    func reset() async throws {
        let harness = try TestEmulator { $0.faults = EmulatorFaults(resetShare: 1) }
        try await harness.test(.live) { client in
            await #expect(throws: (any Error).self) {
                try await client.createUser(#"{"email":"a@example.com"}"#)
            }
            let snapshot = harness.state.snapshot()
            #expect(snapshot.users.isEmpty)
            #expect(snapshot.counters.faults("reset") == 1)
            #expect(snapshot.counters.count("POST /user_management/users", status: "reset") == 1)
        }
    }

    @Test("commit then drop does the work, then closes without answering")
    func commitThenDrop() async throws {
        let harness = try TestEmulator { $0.faults = EmulatorFaults(commitThenDropShare: 1) }
        try await harness.test(.live) { client in
            await #expect(throws: (any Error).self) {
                try await client.createUser(#"{"email":"a@example.com"}"#)
            }
            let snapshot = harness.state.snapshot()
            #expect(snapshot.users.map(\.email) == ["a@example.com"])
            #expect(snapshot.counters.faults("commit_then_drop") == 1)
            #expect(snapshot.counters.count("POST /user_management/users", status: "dropped") == 1)
        }
    }

    @Test("faults limited to some routes leave the other routes alone")
    func routeScopedFaults() async throws {
        let harness = try TestEmulator {
            $0.faults = EmulatorFaults(errorShare: 1, routes: ["GET /user_management/users"])
        }
        try await harness.test { client in
            let created = try await client.createUser(#"{"email":"a@example.com"}"#)
            let listed = try await client.send("GET", "/user_management/users")
            #expect(created.status == 201)
            #expect(listed.status >= 500)
            #expect(harness.state.snapshot().counters.faults.values.reduce(0, +) == 1)
        }
    }

    @Test("shares are drawn per request: below the share faults, above it does not")
    func shareDraws() async throws {
        let below = try TestEmulator({ $0.faults = EmulatorFaults(errorShare: 0.3) }, random: { 0.29 })
        try await below.test { client in
            let answer = try await client.createUser(#"{"email":"a@example.com"}"#)
            #expect(answer.status >= 500)
        }
        let above = try TestEmulator({ $0.faults = EmulatorFaults(errorShare: 0.3) }, random: { 0.31 })
        try await above.test { client in
            let answer = try await client.createUser(#"{"email":"a@example.com"}"#)
            #expect(answer.status == 201)
        }
    }

    @Test("latency is counted for every faulted request and faults can be changed at run time")
    func latencyAndRuntime() async throws {
        let harness = try TestEmulator {
            $0.faults = EmulatorFaults(latencyMilliseconds: 1, latencyJitterMilliseconds: 2)
        }
        try await harness.test { client in
            try await client.createUser(#"{"email":"a@example.com"}"#)
            try await client.send("GET", "/user_management/users")
            #expect(harness.state.snapshot().counters.faults("latency") == 2)
            harness.state.setFaults(.none)
            try await client.send("GET", "/user_management/users")
            #expect(harness.state.snapshot().counters.faults("latency") == 2)
        }
    }

    @Test("latency_per_in_flight_ms, set through PUT /_emulate/config, adds its share per other request in flight")
    func latencyGrowsWithLoad() async throws {
        let sleeps = SleepRecorder()
        let harness = try TestEmulator({ $0.faults = EmulatorFaults(latencyMilliseconds: 1) }, sleep: sleeps.sleep)
        try await harness.test { client in
            let update = try await client.send(
                "PUT", "/_emulate/config", json: #"{"faults":{"latency_per_in_flight_ms":5}}"#, apiKey: nil)
            #expect(update.status == 200)
            #expect(update.json?["faults"]?["latency_per_in_flight_ms"] == .number(5))
            #expect(harness.state.snapshot().settings.faults.latencyMilliseconds == 1)
            // The first request is held in its sleep, so the next ones find it (and each other) in flight.
            let first = Task { try await client.send("GET", "/user_management/users") }
            try await sleeps.waitForSleepers(1)
            let second = Task { try await client.send("GET", "/organizations") }
            try await sleeps.waitForSleepers(2)
            #expect(try await client.send("POST", "/organizations", json: #"{"name":"A"}"#).status == 201)
            sleeps.release()
            let firstStatus = try await first.value.status
            let secondStatus = try await second.value.status
            #expect(firstStatus == 200 && secondStatus == 200)
            #expect(try await client.send("GET", "/organizations").status == 200)
        }
        #expect(sleeps.delays == [.milliseconds(1), .milliseconds(6), .milliseconds(11), .milliseconds(1)])
        #expect(harness.state.snapshot().counters.faults("latency") == 4)
    }

    @Test(
        "invalid fault settings are refused",
        arguments: [
            EmulatorFaults(errorShare: 1.5), EmulatorFaults(resetShare: -0.1),
            EmulatorFaults(errorShare: 0.5, errorStatuses: [404]),
            EmulatorFaults(latencyMilliseconds: -1), EmulatorFaults(latencyPerInFlightMilliseconds: -1),
        ])
    func invalidFaults(faults: EmulatorFaults) {
        #expect(throws: EmulatorError.self) { try faults.validate() }
    }

    @Test("a repeated Idempotency-Key on POST replays the first answer without doing the work again")
    func replay() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let key = ["idempotency-key": "row-1"]
            let first = try await client.send(
                "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
            let second = try await client.send(
                "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
            #expect(first.status == 201 && second.status == 201)
            #expect(second.json == first.json)
            let other = try await client.send("POST", "/organizations", json: #"{"name":"A"}"#, headers: key)
            #expect(other.status == 201 && other.id.hasPrefix("org_"))
            let snapshot = harness.state.snapshot()
            #expect(snapshot.users.count == 1)
            #expect(snapshot.counters.idempotentReplays == 1)
        }
    }

    @Test("a key after commit-then-drop replays the committed answer")
    func replayAfterDrop() async throws {
        let harness = try TestEmulator { $0.faults = EmulatorFaults(commitThenDropShare: 1) }
        try await harness.test(.ahc(.http)) { client in
            let key = ["idempotency-key": "row-7"]
            await #expect(throws: (any Error).self) {
                try await client.send(
                    "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
            }
            #expect(harness.state.snapshot().counters.count("POST /user_management/users", status: "dropped") == 1)
            harness.state.setFaults(.none)
            let retried = try await client.send(
                "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
            #expect(retried.status == 201)
            #expect(retried.headers["idempotent-replayed"] == "true")
        }
    }

    @Test("with keys ignored a retry does the work again and meets the duplicate error")
    func ignoredKeys() async throws {
        let harness = try TestEmulator { $0.honorsIdempotencyKeys = false }
        try await harness.test { client in
            let key = ["idempotency-key": "row-1"]
            try await client.send("POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
            let second = try await client.send(
                "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
            #expect(second.status == 400 && second.firstErrorCode == "email_not_available")
            #expect(harness.state.snapshot().counters.idempotentReplays == 0)
            harness.state.setHonorsIdempotencyKeys(true)
            #expect(harness.state.snapshot().settings.honorsIdempotencyKeys)
        }
    }

    @Test(
        "auth: a missing or wrong key is 401 and nothing is done", arguments: [nil, "sk_test_wrong", ""] as [String?])
    func unauthorized(key: String?) async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let answer = try await client.send(
                "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, apiKey: key)
            #expect(answer.status == 401)
            #expect(answer.json?["message"] == .string("Unauthorized"))
            #expect(harness.state.snapshot().users.isEmpty)
        }
    }

    @Test("every answer carries X-Request-ID, echoing the caller's when sent")
    func requestID() async throws {
        let harness = try TestEmulator()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let made = try await client.send("GET", "/user_management/users")
            #expect(made.headers["x-request-id"]?.hasPrefix("req_") == true)
            let echoed = try await client.send("GET", "/nope", headers: ["x-request-id": "abc"])
            #expect(echoed.status == 404 && echoed.headers["x-request-id"] == "abc")
            #expect(echoed.json == .object(["message": .string("Not Found"), "code": .string("not_found")]))
        }
    }
}

/// Records the delays the fault middleware asks for and holds the first two sleepers until released.
private final class SleepRecorder: Sendable {
    private let state = Mutex<(delays: [Duration], waiting: [CheckedContinuation<Void, Never>], released: Bool)>(
        ([], [], false))

    /// The delays asked for, in order.
    var delays: [Duration] { state.withLock { $0.delays } }

    /// The sleep to inject: records the delay, and holds the first two callers until ``release()``.
    var sleep: @Sendable (Duration) async -> Void {
        { [self] delay in
            await withCheckedContinuation { continuation in
                state.withLock { state in
                    state.delays.append(delay)
                    if state.released || state.delays.count > 2 {
                        continuation.resume()
                    } else {
                        state.waiting.append(continuation)
                    }
                }
            }
        }
    }

    /// Waits until `count` requests have asked to sleep; fails after 60 s (a loaded machine can be slow to
    /// start them).
    func waitForSleepers(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while state.withLock({ $0.delays.count }) < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("only \(delays.count) of \(count) requests reached the latency step within 60 s")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Lets every held sleeper go on, and the ones after them.
    func release() {
        let waiting = state.withLock { state in
            state.released = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
