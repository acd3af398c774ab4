import Foundation
import Testing
import WorkOSEmulator

/// The reads before the first write (the preflight, the survey of what exists and the webhook endpoints) go
/// out together, so far from WorkOS they cost one round trip; the preflight still speaks first.
@Suite("The reads before the first write", .tags(.endToEnd))
struct FirstReadsTests {
    /// An emulator a second away, with one enabled endpoint that receives the import's events.
    static func distantEmulator() async throws -> EmulatorFixture {
        try await EmulatorFixture.start { configuration in
            configuration.faults = EmulatorFaults(latencyMilliseconds: 1000)
            configuration.seed = EmulatorSeed(webhookEndpoints: [
                EmulatorSeed.WebhookEndpoint(endpointURL: "https://hooks.example.com/a", events: ["user.created"])
            ])
        }
    }

    @Test("the preflight, the survey and the webhook list are in flight at once, and each is said as before")
    func together() async throws {
        try await EmulatorFixture.scoped(try await Self.distantEmulator()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(1))
            let result = try await emulator.run(["--csv", "users.csv"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let counters = emulator.emulator.snapshot().counters
            // One after another, no two of them (nor the row's one write) would ever be in flight together.
            #expect(
                counters.maxInFlight >= 3,
                "at most \(counters.maxInFlight) requests were in flight: the first reads went one after another")
            #expect(counters.requests["GET /webhook_endpoints"]?.values.reduce(0, +) == 1)
            #expect(emulator.emulator.snapshot().users.count == 1)
            #expect(result.stderr.contains("Webhooks: this import will send about 1 user.created"), "\(result.stderr)")
        }
    }

    @Test("a refused key: only the preflight's sentence, nothing of the reads that went beside it")
    func refusedKeySpeaksAlone() async throws {
        try await EmulatorFixture.scoped(try await Self.distantEmulator()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            let result = try await emulator.run(
                ["--csv", "users.csv"], in: workspace, extraEnvironment: ["WORKOS_SECRET_KEY": "sk_test_wrong"])
            #expect(result.exitCode == 2, "\(result.allOutput)")
            #expect(result.stderr.contains("refused the API key"), "\(result.stderr)")
            #expect(!result.stderr.lowercased().contains("webhook"), "\(result.stderr)")
            #expect(!result.stderr.contains("Read what WorkOS holds"), "\(result.stderr)")
            #expect(emulator.emulator.snapshot().users.isEmpty)
        }
    }
}
