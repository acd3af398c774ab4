import Foundation
import Testing

@testable import WorkOSEmulator

@Suite("Webhook endpoints")
struct WebhookEndpointTests {
    private let list = "GET /webhook_endpoints"

    @Test("seeded endpoints are listed in the spec's shape, newest first, paged by after")
    func listed() async throws {
        let harness = try TestEmulator {
            $0.seed = EmulatorSeed(webhookEndpoints: [
                EmulatorSeed.WebhookEndpoint(
                    id: "we_1", endpointURL: "https://a.example.com", events: ["user.created"]),
                EmulatorSeed.WebhookEndpoint(
                    id: "we_2", endpointURL: "https://b.example.com", status: "disabled", events: []),
                EmulatorSeed.WebhookEndpoint(id: "we_3", endpointURL: "https://c.example.com", secret: "whsec_3"),
            ])
        }
        try await harness.test { client in
            let first = try await client.send("GET", "/webhook_endpoints?limit=2")
            #expect(first.status == 200)
            #expect(problems(first, list).isEmpty)
            let ids = first.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            #expect(ids == ["we_3", "we_2"])
            #expect(first.json?["data"]?.arrayValue?.first?["secret"] == .string("whsec_3"))
            #expect(first.json?["data"]?.arrayValue?.last?["status"] == .string("disabled"))
            let after = try #require(first.json?["list_metadata"]?["after"]?.stringValue)
            let second = try await client.send("GET", "/webhook_endpoints?limit=2&after=\(after)")
            #expect(problems(second, list).isEmpty)
            #expect(second.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["we_1"])
            #expect(second.json?["list_metadata"]?["after"] == .null)
        }
    }

    @Test("a key that may not read webhooks gets 403")
    func forbidden() async throws {
        let harness = try TestEmulator { $0.forbidsWebhookList = true }
        try await harness.test { client in
            let answer = try await client.send("GET", "/webhook_endpoints")
            #expect(answer.status == 403)
        }
    }
}
