import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import WorkOSEmulator

/// Sends one request to a running ``Emulator`` over a new loopback connection; throws when the
/// connection fails or closes without an answer.
private func send(
    _ emulator: Emulator, _ method: HTTPRequest.Method, _ path: String, json: String? = nil,
    apiKey: String? = "sk_test_default"
) async throws -> Answer {
    try await TestClient.withClient(
        host: emulator.host, port: emulator.port, configuration: .init(timeout: .seconds(30))
    ) { client in
        var headers = HTTPFields()
        if let apiKey { headers[.authorization] = "Bearer " + apiKey }
        let response = try await client.execute(
            .init(path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }))
        let bytes = Data((response.body ?? ByteBuffer()).readableBytesView)
        return Answer(
            status: Int(response.status.code),
            json: bytes.isEmpty ? nil : try? JSONDecoder().decode(JSONValue.self, from: bytes), headers: [:])
    }
}

@Suite("Emulator over loopback")
struct LiveServerTests {
    /// Starts an emulator on a free loopback port with rate limits off unless configured.
    private func start(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) async throws -> Emulator {
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.rateLimits = nil
        configuration.strict = true
        configure(&configuration)
        return try await Emulator.start(configuration)
    }

    @Test("port 0 binds a free port, the base URL names it, and /health answers without a key")
    func startsOnFreePort() async throws {
        let emulator = try await start()
        #expect(emulator.port > 0)
        #expect(emulator.baseURL == "http://127.0.0.1:\(emulator.port)")
        let health = try await send(emulator, .get, "/health", apiKey: nil)
        #expect(health.status == 200 && health.json == .object(["status": .string("ok")]))
        #expect(emulator.violations().isEmpty)
        await emulator.shutdown()
    }

    @Test("a wrong key gets 401 with the API's body and an X-Request-ID header")
    func unauthorizedOverHTTP() async throws {
        try await TestEmulator().test(.live) { client in
            let answer = try await client.send("GET", "/user_management/users", apiKey: "sk_wrong")
            #expect(answer.status == 401)
            #expect(answer.json?["code"] == .string("unauthorized"))
            #expect(answer.headers["x-request-id"]?.hasPrefix("req_") == true)
            #expect(answer.headers["content-type"] == "application/json")
        }
    }

    @Test("a rate-limited answer carries Retry-After over the wire")
    func retryAfterHeader() async throws {
        let emulator = try TestEmulator { $0.rateLimits = EmulatorRateLimits(writes: 1, reads: 100, window: 10) }
        try await emulator.test(.live) { client in
            #expect(try await client.createUser(#"{"email":"a@example.com"}"#).status == 201)
            let limited = try await client.createUser(#"{"email":"b@example.com"}"#)
            #expect(limited.status == 429)
            #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        }
    }

    /// Eight at a time, the test client's connections to one host: a request queued behind the others for a
    /// connection fails after its deadline on a loaded machine, which says nothing about the emulator.
    @Test("two dozen creates of one email, eight at once, give exactly one user and 400 for the rest")
    func concurrentDuplicates() async throws {
        let emulator = try TestEmulator()
        let statuses = try await emulator.test(.ahc(.http)) { client in
            var statuses: [Int] = []
            for _ in 0..<3 {
                statuses += try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<8 {
                        group.addTask { try await client.createUser(#"{"email":"same@example.com"}"#).status }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
            }
            return statuses
        }
        #expect(statuses.filter { $0 == 201 }.count == 1)
        #expect(statuses.filter { $0 == 400 }.count == 23)
        let snapshot = emulator.state.snapshot()
        #expect(snapshot.users.count == 1)
        #expect(snapshot.counters.count("POST /user_management/users", status: 400) == 23)
    }

    @Test("a reset reaches the client as a failed connection and nothing is created")
    func resetOverHTTP() async throws {
        let emulator = try await start { $0.faults = EmulatorFaults(resetShare: 1) }
        await #expect(throws: (any Error).self) {
            _ = try await send(emulator, .post, "/user_management/users", json: #"{"email":"r@example.com"}"#)
        }
        #expect(emulator.snapshot().users.isEmpty)
        #expect(emulator.snapshot().counters.faults("reset") >= 1)
        #expect(emulator.violations().isEmpty)
        await emulator.shutdown()
    }

    @Test("commit then drop: the client gets no answer but the user exists")
    func dropOverHTTP() async throws {
        let emulator = try await start { $0.faults = EmulatorFaults(commitThenDropShare: 1) }
        await #expect(throws: (any Error).self) {
            _ = try await send(emulator, .post, "/user_management/users", json: #"{"email":"d@example.com"}"#)
        }
        #expect(emulator.snapshot().user(email: "d@example.com") != nil)
        #expect(emulator.violations().isEmpty)
        await emulator.shutdown()
    }

    @Test("a config update merges into the faults in force, and an unknown key is refused with 400")
    func configMerges() async throws {
        let emulator = try TestEmulator()
        try await emulator.test(.live) { control in
            #expect(
                try await control.send("PUT", "/_emulate/config", json: #"{"faults":{"latency_ms":7}}"#, apiKey: nil)
                    .status == 200)
            #expect(
                try await control.send(
                    "PUT", "/_emulate/config", json: #"{"faults":{"reset_share":0.25}}"#, apiKey: nil
                ).status == 200)
            let faults = emulator.state.snapshot().settings.faults
            #expect(faults.latencyMilliseconds == 7)
            #expect(faults.resetShare == 0.25)
            let typo = try await control.send(
                "PUT", "/_emulate/config", json: #"{"faults":{"error_rate":0.5}}"#, apiKey: nil)
            #expect(typo.status == 400)
            #expect(typo.json?.serialized().contains("error_rate") == true)
            let topLevel = try await control.send("PUT", "/_emulate/config", json: #"{"fault":{}}"#, apiKey: nil)
            #expect(topLevel.status == 400)
            #expect(emulator.state.snapshot().settings.faults.errorShare == 0)
        }
    }

    @Test("the control endpoint returns the snapshot and changes settings at run time, without a key")
    func controlEndpoint() async throws {
        let emulator = try TestEmulator()
        try await emulator.test(.live) { client in
            try await client.createUser(#"{"email":"c@example.com","password":"secret-password-1"}"#)
            let changed = try await client.send(
                "PUT", "/_emulate/config",
                json:
                    #"{"faults":{"error_share":1,"error_statuses":[503]},"rate_limits":null,"honors_idempotency_keys":false}"#,
                apiKey: nil)
            #expect(changed.status == 200)
            #expect(try await client.send("GET", "/user_management/users").status == 503)
            let bad = try await client.send(
                "PUT", "/_emulate/config", json: #"{"faults":{"error_share":3}}"#, apiKey: nil)
            #expect(bad.status == 400)
            let state = try await client.send("GET", "/_emulate/state", apiKey: nil)
            #expect(state.status == 200)
            let text = state.json?.serialized() ?? ""
            #expect(!text.contains("secret-password-1"))
            let decoded = try JSONDecoder().decode(EmulatorSnapshot.self, from: Data(text.utf8))
            #expect(decoded.users.map(\.email) == ["c@example.com"])
            #expect(decoded.settings.faults.errorShare == 1 && decoded.settings.honorsIdempotencyKeys == false)
            #expect(decoded.counters.count("GET /user_management/users", status: 503) == 1)
            let countersOnly = try await client.send("GET", "/_emulate/counters", apiKey: nil)
            let counters = try JSONDecoder().decode(
                EmulatorCounters.self, from: Data((countersOnly.json?.serialized() ?? "").utf8))
            #expect(counters == emulator.state.snapshot().counters)
            #expect(countersOnly.json?.serialized().contains("c@example.com") == false)
        }
    }

    @Test("requests in flight at once are counted")
    func inFlight() async throws {
        let emulator = try TestEmulator { $0.faults = EmulatorFaults(latencyMilliseconds: 200) }
        try await emulator.test(.ahc(.http)) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await client.send("GET", "/user_management/users") }
                }
                try await group.waitForAll()
            }
        }
        #expect(emulator.state.snapshot().counters.maxInFlight >= 2)
    }

    @Test("after shutdown the port no longer answers; the state file is written with mode 0600")
    func shutdownAndStateFile() async throws {
        let emulator = try await start()
        _ = try await send(emulator, .post, "/organizations", json: #"{"name":"A"}"#)
        #expect(emulator.violations().isEmpty)
        await emulator.shutdown()
        await #expect(throws: (any Error).self) {
            _ = try await send(emulator, .get, "/health")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-state-\(emulator.port).json")
            .path
        try emulator.snapshot().write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let reread = try JSONDecoder().decode(EmulatorSnapshot.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(reread.organizations.map(\.name) == ["A"])
    }

    @Test("an address in use is a bind error a user can act on")
    func bindFailure() async throws {
        let first = try await start()
        await #expect(throws: EmulatorError.self) {
            _ = try await start { $0.port = first.port }
        }
        await first.shutdown()
    }
}
