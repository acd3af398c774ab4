import Foundation
import Testing
import WorkOSEmulator

/// Before the first write the import lists the environment's webhook endpoints and, when enabled ones will
/// receive its events, says how many of which type and that WorkOS recommends pausing delivery.
@Suite("Webhooks before a bulk import", .tags(.endToEnd))
struct WebhookWarningTests {
    static let secret = "whsec_e2e_\(UUID().uuidString.prefix(12))"

    static var endpoints: [EmulatorSeed.WebhookEndpoint] {
        [
            EmulatorSeed.WebhookEndpoint(
                endpointURL: "https://hooks.example.com/a",
                events: ["user.created", "organization_membership.created"],
                secret: secret),
            EmulatorSeed.WebhookEndpoint(
                endpointURL: "https://hooks.example.com/b", events: ["user.created", "dsync.user.created"]),
            EmulatorSeed.WebhookEndpoint(
                endpointURL: "https://hooks.example.com/c", status: "disabled", events: ["user.created"]),
        ]
    }

    static func object(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("enabled endpoints: how many events of which type to how many endpoints, on stderr and in --json")
    func enabledEndpointsAreAnnounced() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.seed = EmulatorSeed(webhookEndpoints: Self.endpoints) }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(5))
            let result = try await emulator.run(
                [
                    "--csv", "users.csv", "--org-external-id", "acme", "--create-org-if-missing", "--org-name", "Acme",
                    "--json",
                ], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(
                result.stderr.contains(
                    "Webhooks: this import will send about 5 user.created and about 5 organization_membership.created "
                        + "(to 1 endpoint) events to 2 enabled webhook endpoints. WorkOS recommends pausing webhook "
                        + "delivery during a bulk import"), "\(result.stderr)")
            let warning = try #require(try Self.object(result)["webhookWarning"] as? [String: Any])
            #expect(warning["endpoints"] as? Int == 2)
            let events = try #require(warning["events"] as? [[String: Any]])
            #expect(events.map { $0["type"] as? String } == ["user.created", "organization_membership.created"])
            #expect(events.map { $0["about"] as? Int } == [5, 5])
            #expect(events.map { $0["endpoints"] as? Int } == [2, 1])
            #expect((warning["message"] as? String)?.hasPrefix("Webhooks: this import will send") == true)
            #expect(!result.allOutput.contains(Self.secret), "a webhook signing secret was printed")
            let listed = emulator.emulator.snapshot().counters.requests["GET /webhook_endpoints"]?.values.reduce(0, +)
            #expect(listed == 1)
        }
    }

    @Test("no enabled endpoint, or none subscribed to the run's events: nothing said, webhookWarning null")
    func quietWithoutDeliveries() async throws {
        let seed = EmulatorSeed(webhookEndpoints: [
            EmulatorSeed.WebhookEndpoint(
                endpointURL: "https://hooks.example.com/off", status: "disabled", events: ["user.created"]),
            EmulatorSeed.WebhookEndpoint(
                endpointURL: "https://hooks.example.com/sso", events: ["connection.activated"]),
        ])
        try await EmulatorFixture.scoped(try await EmulatorFixture.start { $0.seed = seed }) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            let result = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(!result.stderr.contains("Webhooks:"), "\(result.stderr)")
            #expect(try Self.object(result)["webhookWarning"] is NSNull)
        }
    }

    @Test("a key that may not list webhook endpoints (403) is not an error: the import runs and says so once")
    func forbiddenListIsANote() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start { $0.forbidsWebhookList = true }) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            let result = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(
                result.stderr.components(separatedBy: "may not list webhook endpoints (HTTP 403)").count == 2,
                "\(result.stderr)")
            #expect(try Self.object(result)["imported"] as? Int == 3)
            #expect(emulator.emulator.snapshot().users.count == 3)
        }
    }
}
