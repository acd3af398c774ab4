import Synchronization

@testable import WorkOSEmulator

/// A clock tests move by hand, so rate-limit windows pass without sleeping.
final class ManualClock: Sendable {
    private let seconds = Mutex<Double>(1_800_000_000)

    /// The current time in seconds since 1970.
    var now: Double { seconds.withLock { $0 } }

    /// Moves the clock forward.
    func advance(by interval: Double) {
        seconds.withLock { $0 += interval }
    }
}

/// One answer from the engine, parsed.
struct Answer: Sendable {
    var status: Int
    var json: JSONValue?
    var headers: [String: String]
    var action: EmulatorReply.Action

    /// `code` of an error body.
    var code: String? { json?["code"]?.stringValue }
    /// `errors[0].code` of an error body.
    var firstErrorCode: String? { json?["errors"]?.arrayValue?.first?["code"]?.stringValue }
    /// `id` of an object body.
    var id: String { json?["id"]?.stringValue ?? "" }
}

/// Drives an ``EmulatorEngine`` without a network, with a manual clock and fixed fault draws.
struct EngineHarness {
    let engine: EmulatorEngine
    let clock = ManualClock()

    /// An engine with rate limits off unless `configure` turns them on. `random` feeds fault draws.
    init(
        _ configure: (inout EmulatorConfiguration) -> Void = { _ in },
        random: @escaping @Sendable () -> Double = { 0.5 }
    ) throws {
        var configuration = EmulatorConfiguration()
        configuration.rateLimits = nil
        configure(&configuration)
        let clock = self.clock
        engine = try EmulatorEngine(configuration: configuration, clock: { clock.now }, random: random)
    }

    /// Sends one request; `json` is the raw body text.
    @discardableResult
    func send(
        _ method: String, _ target: String, json: String? = nil, apiKey: String? = "sk_test_default",
        headers: [String: String] = [:]
    ) async -> Answer {
        var all = headers
        if let apiKey { all["authorization"] = "Bearer " + apiKey }
        let reply = await engine.handle(
            EmulatorRequest(method: method, target: target, headers: all, body: Array((json ?? "").utf8)))
        let bytes = reply.bodyBytes
        let parsed = bytes.isEmpty ? nil : try? JSONParser.parse(bytes)
        var replyHeaders: [String: String] = [:]
        for (name, value) in reply.headers { replyHeaders[name.lowercased()] = value }
        return Answer(status: reply.status, json: parsed, headers: replyHeaders, action: reply.action)
    }

    /// Creates a user from a JSON body and returns the answer.
    @discardableResult
    func createUser(_ json: String) async -> Answer {
        await send("POST", "/user_management/users", json: json)
    }

    /// Creates an organization named `name`.
    @discardableResult
    func createOrganization(_ json: String = #"{"name":"Acme"}"#) async -> Answer {
        await send("POST", "/organizations", json: json)
    }

    /// Creates a membership.
    @discardableResult
    func createMembership(_ json: String) async -> Answer {
        await send("POST", "/user_management/organization_memberships", json: json)
    }
}

/// Schema problems of an answer, for `#expect(problems(...).isEmpty)`.
func problems(_ answer: Answer, _ operation: String) -> [String] {
    SchemaValidator.shared.problems(answer.json ?? .null, operation: operation, status: answer.status)
}
