import Foundation
import Testing
import WorkOSEmulator

/// An emulator started in the test process on a free loopback port, with the key the command is given.
///
/// It runs in strict mode: every request the command sends is checked against WorkOS's OpenAPI spec, and
/// ``shutdown()`` fails the test for each request WorkOS would refuse, so a command that works only because
/// the emulator is lenient cannot pass. A test that sends a bad request on purpose takes the violation
/// it expects with ``takeViolations()`` first.
struct EmulatorFixture {
    let emulator: Emulator
    let apiKey: String

    /// Starts an emulator; by default without rate limits, so functional tests run at full speed.
    static func start(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) async throws -> EmulatorFixture {
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.apiKey = "sk_test_e2e_\(UUID().uuidString.prefix(8))"
        configuration.rateLimits = nil
        configuration.strict = true
        configure(&configuration)
        return EmulatorFixture(emulator: try await Emulator.start(configuration), apiKey: configuration.apiKey)
    }

    /// The environment that points the command at this emulator.
    var environment: [String: String] {
        ["WORKOS_SECRET_KEY": apiKey, "WORKOS_BASE_URL": emulator.baseURL]
    }

    /// Runs `workos-import` against this emulator.
    func run(_ arguments: [String], in workspace: borrowing Workspace, extraEnvironment: [String: String] = [:])
        async throws -> CommandResult
    {
        try await CommandRunner.run(
            arguments, in: workspace.url, environment: environment.merging(extraEnvironment) { $1 })
    }

    /// The violations strict mode recorded so far, forgetting them.
    /// Waits until the emulator has answered every request a killed client had sent: nothing in flight, and
    /// no new request counted for half a second. Bounded: fails the test after `timeout`.
    func waitUntilQuiet(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = -1
        while ContinuousClock.now < deadline {
            let counted = emulator.snapshot().counters.requests.values.reduce(0) { $0 + $1.values.reduce(0, +) }
            if counted == last && emulator.requestsInFlight == 0 { return }
            last = counted
            try await Task.sleep(for: .milliseconds(500))
        }
        Issue.record("the emulator was still answering requests after \(timeout)")
    }

    func takeViolations() -> [RequestViolation] {
        emulator.takeViolations()
    }

    /// Stops the emulator, then fails the test for every request it saw that WorkOS would refuse.
    func shutdown() async {
        await emulator.shutdown()
        let left = emulator.takeViolations()
        if !left.isEmpty {
            let listed = left.map(\.description).joined(separator: "\n")
            Issue.record("The command sent requests WorkOS would refuse (strict mode):\n\(listed)")
        }
    }

    /// Starts an emulator with `start`, runs `body` with it, and always awaits its shutdown, whether `body`
    /// returns or throws: no test leaves an emulator serving behind it.
    static func scoped<T>(
        _ start: @autoclosure () async throws -> EmulatorFixture, _ body: (EmulatorFixture) async throws -> T
    ) async throws -> T {
        let fixture = try await start()
        let value: T
        do {
            value = try await body(fixture)
        } catch {
            await fixture.shutdown()
            throw error
        }
        await fixture.shutdown()
        return value
    }
}

/// Builds CSV text for tests.
enum CSVText {
    /// A file of `count` valid users `user1@example.com`…, with names and metadata.
    static func users(_ count: Int, domain: String = "example.com") -> String {
        var text = "email,first_name,last_name,metadata\n"
        for index in 1...count {
            text += "user\(index)@\(domain),First\(index),Last\(index),\"{\"\"n\"\":\"\"\(index)\"\"}\"\n"
        }
        return text
    }
}
