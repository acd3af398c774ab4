import Testing

@testable import WorkOSEmulator

@Suite("Faults and idempotency")
struct FaultAndIdempotencyTests {
    @Test("an error share of 1 answers with a configured 5xx and does no work", arguments: [500, 502, 503])
    func injectedErrors(status: Int) async throws {
        let harness = try EngineHarness {
            $0.faults = EmulatorFaults(errorShare: 1, errorStatuses: [status])
        }
        let answer = await harness.createUser(#"{"email":"a@example.com"}"#)
        #expect(answer.status == status)
        #expect(answer.json?["message"]?.stringValue != nil)
        let snapshot = harness.engine.snapshot()
        #expect(snapshot.users.isEmpty)
        #expect(snapshot.counters.faults("error_\(status)") == 1)
        #expect(snapshot.counters.count("POST /user_management/users", status: status) == 1)
    }

    @Test("a reset closes the connection before any work")
    func reset() async throws {
        let harness = try EngineHarness { $0.faults = EmulatorFaults(resetShare: 1) }
        let answer = await harness.createUser(#"{"email":"a@example.com"}"#)
        #expect(answer.action == .reset)
        let snapshot = harness.engine.snapshot()
        #expect(snapshot.users.isEmpty)
        #expect(snapshot.counters.faults("reset") == 1)
        #expect(snapshot.counters.count("POST /user_management/users", status: "reset") == 1)
    }

    @Test("commit then drop does the work, then closes without answering")
    func commitThenDrop() async throws {
        let harness = try EngineHarness { $0.faults = EmulatorFaults(commitThenDropShare: 1) }
        let answer = await harness.createUser(#"{"email":"a@example.com"}"#)
        #expect(answer.action == .drop)
        let snapshot = harness.engine.snapshot()
        #expect(snapshot.users.map(\.email) == ["a@example.com"])
        #expect(snapshot.counters.faults("commit_then_drop") == 1)
        #expect(snapshot.counters.count("POST /user_management/users", status: "dropped") == 1)
    }

    @Test("faults limited to some routes leave the other routes alone")
    func routeScopedFaults() async throws {
        let harness = try EngineHarness {
            $0.faults = EmulatorFaults(errorShare: 1, routes: ["GET /user_management/users"])
        }
        #expect(await harness.createUser(#"{"email":"a@example.com"}"#).status == 201)
        #expect(await harness.send("GET", "/user_management/users").status >= 500)
        #expect(harness.engine.snapshot().counters.faults.values.reduce(0, +) == 1)
    }

    @Test("shares are drawn per request: below the share faults, above it does not")
    func shareDraws() async throws {
        let below = try EngineHarness({ $0.faults = EmulatorFaults(errorShare: 0.3) }, random: { 0.29 })
        #expect(await below.createUser(#"{"email":"a@example.com"}"#).status >= 500)
        let above = try EngineHarness({ $0.faults = EmulatorFaults(errorShare: 0.3) }, random: { 0.31 })
        #expect(await above.createUser(#"{"email":"a@example.com"}"#).status == 201)
    }

    @Test("latency is counted for every faulted request and faults can be changed at run time")
    func latencyAndRuntime() async throws {
        let harness = try EngineHarness {
            $0.faults = EmulatorFaults(latencyMilliseconds: 1, latencyJitterMilliseconds: 2)
        }
        await harness.createUser(#"{"email":"a@example.com"}"#)
        await harness.send("GET", "/user_management/users")
        #expect(harness.engine.snapshot().counters.faults("latency") == 2)
        harness.engine.setFaults(.none)
        await harness.send("GET", "/user_management/users")
        #expect(harness.engine.snapshot().counters.faults("latency") == 2)
    }

    @Test(
        "invalid fault settings are refused",
        arguments: [
            EmulatorFaults(errorShare: 1.5), EmulatorFaults(resetShare: -0.1),
            EmulatorFaults(errorShare: 0.5, errorStatuses: [404]),
            EmulatorFaults(latencyMilliseconds: -1),
        ])
    func invalidFaults(faults: EmulatorFaults) {
        #expect(throws: EmulatorError.self) { try faults.validate() }
    }

    @Test("a repeated Idempotency-Key on POST replays the first answer without doing the work again")
    func replay() async throws {
        let harness = try EngineHarness()
        let key = ["idempotency-key": "row-1"]
        let first = await harness.send(
            "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
        let second = await harness.send(
            "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
        #expect(first.status == 201 && second.status == 201)
        #expect(second.json == first.json)
        let other = await harness.send("POST", "/organizations", json: #"{"name":"A"}"#, headers: key)
        #expect(other.status == 201 && other.id.hasPrefix("org_"))
        let snapshot = harness.engine.snapshot()
        #expect(snapshot.users.count == 1)
        #expect(snapshot.counters.idempotentReplays == 1)
    }

    @Test("a key after commit-then-drop replays the committed answer")
    func replayAfterDrop() async throws {
        let harness = try EngineHarness { $0.faults = EmulatorFaults(commitThenDropShare: 1) }
        let key = ["idempotency-key": "row-7"]
        let dropped = await harness.send(
            "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
        #expect(dropped.action == .drop)
        harness.engine.setFaults(.none)
        let retried = await harness.send(
            "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
        #expect(retried.status == 201 && retried.action == .respond)
        #expect(retried.headers["idempotent-replayed"] == "true")
    }

    @Test("with keys ignored a retry does the work again and meets the duplicate error")
    func ignoredKeys() async throws {
        let harness = try EngineHarness { $0.honorsIdempotencyKeys = false }
        let key = ["idempotency-key": "row-1"]
        await harness.send("POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
        let second = await harness.send(
            "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, headers: key)
        #expect(second.status == 400 && second.firstErrorCode == "email_not_available")
        #expect(harness.engine.snapshot().counters.idempotentReplays == 0)
        harness.engine.setHonorsIdempotencyKeys(true)
        #expect(harness.engine.snapshot().settings.honorsIdempotencyKeys)
    }

    @Test(
        "auth: a missing or wrong key is 401 and nothing is done", arguments: [nil, "sk_test_wrong", ""] as [String?])
    func unauthorized(key: String?) async throws {
        let harness = try EngineHarness()
        let answer = await harness.send(
            "POST", "/user_management/users", json: #"{"email":"a@example.com"}"#, apiKey: key)
        #expect(answer.status == 401)
        #expect(answer.json?["message"] == .string("Unauthorized"))
        #expect(harness.engine.snapshot().users.isEmpty)
    }

    @Test("every answer carries X-Request-ID, echoing the caller's when sent")
    func requestID() async throws {
        let harness = try EngineHarness()
        let made = await harness.send("GET", "/user_management/users")
        #expect(made.headers["x-request-id"]?.hasPrefix("req_") == true)
        let echoed = await harness.send("GET", "/nope", headers: ["x-request-id": "abc"])
        #expect(echoed.status == 404 && echoed.headers["x-request-id"] == "abc")
        #expect(echoed.json == .object(["message": .string("Not Found"), "code": .string("not_found")]))
    }
}
