import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

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

/// One answer, parsed.
struct Answer: Sendable {
    var status: Int
    var json: JSONValue?
    /// Headers by lower-case name.
    var headers: [String: String]

    /// `code` of an error body.
    var code: String? { json?["code"]?.stringValue }
    /// `errors[0].code` of an error body.
    var firstErrorCode: String? { json?["errors"]?.arrayValue?.first?["code"]?.stringValue }
    /// `id` of an object body.
    var id: String { json?["id"]?.stringValue ?? "" }
}

/// The emulator's Hummingbird application with a manual clock and fixed fault draws, tested through
/// HummingbirdTesting: ``test(_:_:)`` runs the router without a socket by default, or on a real port.
///
/// It runs in strict mode unless told otherwise, and ``test(_:_:)`` fails the test when a request broke
/// the spec and the test did not take the violation with ``takeViolations()``. A test of a route's own
/// answer to a bad request (which strict mode would answer first) passes `strict: false`.
struct TestEmulator: Sendable {
    /// The application's state, to read snapshots and change settings between requests.
    let state: EmulatorState
    /// The clock the state reads.
    let clock = ManualClock()

    /// An emulator with rate limits off unless `configure` turns them on. `random` feeds fault draws and
    /// `sleep` waits out injected latency.
    init(
        strict: Bool = true,
        _ configure: (inout EmulatorConfiguration) -> Void = { _ in },
        random: @escaping @Sendable () -> Double = { 0.5 },
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) throws {
        var configuration = EmulatorConfiguration()
        configuration.rateLimits = nil
        configuration.strict = strict
        configure(&configuration)
        let clock = self.clock
        state = try EmulatorState(configuration: configuration, clock: { clock.now }, random: random, sleep: sleep)
    }

    /// Runs `body` with a client of the application: `.router` calls the handlers in process, `.live`
    /// serves on a free loopback port over one connection, `.ahc(.http)` over a pool of connections.
    @discardableResult
    func test<Value: Sendable>(_ setup: TestingSetup = .router, _ body: @Sendable (Client) async throws -> Value)
        async throws -> Value
    {
        let application = EmulatorApplication.make(state: state, host: "127.0.0.1", port: 0)
        let value = try await application.test(setup) { client in try await body(Client(client: client)) }
        expectNoViolations()
        return value
    }

    /// ``test(_:_:)`` for a body that returns nothing.
    func test(_ setup: TestingSetup = .router, _ body: @Sendable (Client) async throws -> Void) async throws {
        let application = EmulatorApplication.make(state: state, host: "127.0.0.1", port: 0)
        try await application.test(setup) { client in try await body(Client(client: client)) }
        expectNoViolations()
    }

    /// The violations strict mode recorded so far, forgetting them.
    func takeViolations() -> [RequestViolation] {
        state.takeViolations().violations
    }

    /// Fails the test when a request broke the spec and the test did not take the violation.
    private func expectNoViolations() {
        let left = takeViolations()
        if !left.isEmpty {
            let listed = left.map(\.description).joined(separator: "\n")
            Issue.record("Requests WorkOS would refuse (strict mode):\n\(listed)")
        }
    }

    /// Sends requests the way the importer does.
    struct Client: Sendable {
        let client: any TestClientProtocol

        /// Sends one request; `json` is the raw body text. Throws when the connection fails or closes
        /// without an answer.
        @discardableResult
        func send(
            _ method: String, _ target: String, json: String? = nil,
            apiKey: String? = "sk_test_default", headers: [String: String] = [:]
        ) async throws -> Answer {
            var fields = HTTPFields()
            if let apiKey { fields[.authorization] = "Bearer " + apiKey }
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            if json != nil { fields[.contentType] = "application/json" }
            let body = json.map { ByteBuffer(string: $0) }
            return try await client.execute(
                uri: target, method: HTTPRequest.Method(method)!, headers: fields, body: body
            ) {
                response in
                let bytes = Data(response.body.readableBytesView)
                var headers: [String: String] = [:]
                for field in response.headers { headers[field.name.canonicalName] = field.value }
                return Answer(
                    status: Int(response.status.code),
                    json: bytes.isEmpty ? nil : try? JSONDecoder().decode(JSONValue.self, from: bytes),
                    headers: headers)
            }
        }

        /// Creates a user from a JSON body.
        @discardableResult
        func createUser(_ json: String) async throws -> Answer {
            try await send("POST", "/user_management/users", json: json)
        }

        /// Creates an organization.
        @discardableResult
        func createOrganization(_ json: String = #"{"name":"Acme"}"#) async throws -> Answer {
            try await send("POST", "/organizations", json: json)
        }

        /// Creates a membership.
        @discardableResult
        func createMembership(_ json: String) async throws -> Answer {
            try await send("POST", "/user_management/organization_memberships", json: json)
        }
    }
}

/// Schema problems of an answer, for `#expect(problems(...).isEmpty)`.
func problems(_ answer: Answer, _ operation: String) -> [String] {
    SchemaValidator.shared.problems(answer.json ?? .null, operation: operation, status: answer.status)
}

extension JSONValue {
    /// Compact JSON with sorted keys, as the emulator writes it.
    func serialized() -> String {
        String(decoding: (try? JSONResponseEncoder.data(self)) ?? Data(), as: UTF8.self)
    }

    /// Parses JSON text.
    static func parse(_ text: String) throws -> JSONValue {
        try JSONValue.decode(Data(text.utf8))
    }
}
