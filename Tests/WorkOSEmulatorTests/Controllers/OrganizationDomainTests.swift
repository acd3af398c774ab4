import Testing

@testable import WorkOSEmulator

@Suite("Organization domains")
struct OrganizationDomainTests {
    @Test("a domain is added pending, verified once, read and removed, in the spec's shapes")
    func lifecycle() async throws {
        let harness = try TestEmulator { $0.seed = EmulatorSeed(organizations: [.init(id: "org_A", name: "A")]) }
        try await harness.test { client in
            let created = try await client.send(
                "POST", "/organization_domains", json: #"{"domain":"acme.com","organization_id":"org_A"}"#)
            #expect(created.status == 201)
            #expect(problems(created, "POST /organization_domains").isEmpty)
            #expect(created.json?["state"] == .string("pending"))
            let id = try #require(created.json?["id"]?.stringValue)

            let twice = try await client.send(
                "POST", "/organization_domains", json: #"{"domain":"ACME.com","organization_id":"org_A"}"#)
            #expect(twice.status == 409)
            #expect(twice.json?["code"] == .string("domain_already_exists"))
            #expect(problems(twice, "POST /organization_domains").isEmpty)

            let verified = try await client.send("POST", "/organization_domains/\(id)/verify")
            #expect(verified.status == 201)
            #expect(verified.json?["state"] == .string("verified"))
            #expect(problems(verified, "POST /organization_domains/{id}/verify").isEmpty)
            let again = try await client.send("POST", "/organization_domains/\(id)/verify")
            #expect(again.status == 400)
            #expect(again.json?["code"] == .string("domain_already_verified"))

            let read = try await client.send("GET", "/organization_domains/\(id)")
            #expect(problems(read, "GET /organization_domains/{id}").isEmpty)
            #expect(harness.state.snapshot().organizations.first?.domainStates == ["acme.com": "verified"])

            let deleted = try await client.send("DELETE", "/organization_domains/\(id)")
            #expect(deleted.status == 204)
            #expect(try await client.send("GET", "/organization_domains/\(id)").status == 404)
            #expect(harness.state.snapshot().organizations.first?.domains == [])
        }
    }

    @Test("a domain may be pending in several organizations but verified by one only")
    func verifiedByOne() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let first = try await client.createOrganization(
                #"{"name":"A","domain_data":[{"domain":"shared.com","state":"verified"}]}"#)
            #expect(first.status == 201)
            let claim = try await client.createOrganization(
                #"{"name":"B","domain_data":[{"domain":"shared.com","state":"verified"}]}"#)
            #expect(claim.status == 409)
            #expect(problems(claim, "POST /organizations").isEmpty)
            let pending = try await client.createOrganization(
                #"{"name":"B","domain_data":[{"domain":"shared.com","state":"pending"}]}"#)
            #expect(pending.status == 201)
            let domainID = try #require(pending.json?["domains"]?.arrayValue?.first?["id"]?.stringValue)
            let verify = try await client.send("POST", "/organization_domains/\(domainID)/verify")
            #expect(verify.status == 400)
            #expect(verify.json?["code"] == .string("domain_already_verified"))
        }
    }

    @Test("consumer mail domains are refused", arguments: ["gmail.com", "Outlook.com", "icloud.com"])
    func consumerDomains(domain: String) async throws {
        let harness = try TestEmulator { $0.seed = EmulatorSeed(organizations: [.init(id: "org_A", name: "A")]) }
        try await harness.test { client in
            let added = try await client.send(
                "POST", "/organization_domains", json: #"{"domain":"\#(domain)","organization_id":"org_A"}"#)
            #expect(added.status == 422)
            let created = try await client.createOrganization(
                #"{"name":"B","domain_data":[{"domain":"\#(domain)","state":"pending"}]}"#)
            #expect(created.status == 422)
        }
    }
}
