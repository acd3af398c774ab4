import Testing

@testable import WorkOSEmulator

@Suite("Organizations")
struct OrganizationEndpointTests {
    @Test("create answers 201 with an Organization, domains included")
    func create() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let answer = try await client.createOrganization(
                #"{"name":"Acme","external_id":"acme-1","metadata":{"tier":"gold"},"domain_data":[{"domain":"acme.test","state":"verified"}]}"#
            )
            #expect(answer.status == 201)
            #expect(answer.id.hasPrefix("org_"))
            #expect(problems(answer, "POST /organizations").isEmpty)
            let domain = answer.json?["domains"]?.arrayValue?.first
            #expect(domain?["state"] == .string("verified"))
            #expect(domain?["id"]?.stringValue?.hasPrefix("org_domain_") == true)
            let stored = try #require(harness.state.snapshot().organization(externalID: "acme-1"))
            #expect(stored.name == "Acme" && stored.metadata == ["tier": "gold"] && stored.domains == ["acme.test"])
        }
    }

    @Test(
        "create errors match the spec",
        arguments: [
            (#"{"external_id":"x"}"#, 422, "invalid_request_parameters"),
            (#"{"name":"  "}"#, 422, "invalid_request_parameters"),
            (#"{"name":"A","colour":"red"}"#, 422, "invalid_request_parameters"),
            (#"{"name":"A","domain_data":[{"domain":"a.test","state":"bogus"}]}"#, 422, "invalid_request_parameters"),
            (#"{"name":"A","metadata":{"k":true}}"#, 400, "invalid_metadata"),
            (#"{"name":"A","external_id":"taken"}"#, 400, "external_id_already_used"),
        ])
    func createErrors(body: String, status: Int, code: String) async throws {
        let harness = try TestEmulator()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            try await client.createOrganization(#"{"name":"First","external_id":"taken"}"#)
            let answer = try await client.createOrganization(body)
            #expect(answer.status == status)
            #expect(answer.code == code)
            #expect(problems(answer, "POST /organizations").isEmpty)
            #expect(harness.state.snapshot().organizations.count == 1)
        }
    }

    @Test("get, get by external id, 404, and list with search")
    func readAndList() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let acme = try await client.createOrganization(#"{"name":"Acme Corp","external_id":"acme"}"#)
            try await client.createOrganization(#"{"name":"Globex"}"#)
            let byID = try await client.send("GET", "/organizations/\(acme.id)")
            #expect(byID.status == 200 && byID.json == acme.json)
            #expect(problems(byID, "GET /organizations/{id}").isEmpty)
            let byExternal = try await client.send("GET", "/organizations/external_id/acme")
            #expect(byExternal.id == acme.id)
            #expect(problems(byExternal, "GET /organizations/external_id/{external_id}").isEmpty)
            let missing = try await client.send("GET", "/organizations/org_nope")
            #expect(missing.status == 404)
            #expect(missing.json?["message"] == .string("Organization not found: 'org_nope'."))
            #expect(problems(missing, "GET /organizations/{id}").isEmpty)
            let list = try await client.send("GET", "/organizations?limit=1")
            #expect(problems(list, "GET /organizations").isEmpty)
            #expect(list.json?["data"]?.arrayValue?.count == 1)
            #expect(list.json?["list_metadata"]?["after"]?.stringValue != nil)
            let search = try await client.send("GET", "/organizations?search=acme")
            #expect(search.json?["data"]?.arrayValue?.map { $0["id"] } == [.string(acme.id)])
        }
    }
}
