import Testing

@testable import WorkOSEmulator

@Suite("Organization update and delete")
struct OrganizationUpdateTests {
    private let update = "PUT /organizations/{id}"

    /// Two organizations (`org_A` as `acme`, `org_B` as `globex`), a custom role on `org_A`, and a user who
    /// is a member of both.
    private func harness(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) throws -> TestEmulator {
        try TestEmulator { configuration in
            configuration.seed = EmulatorSeed(
                users: [.init(id: "user_A", email: "a@example.com")],
                organizations: [
                    .init(id: "org_A", name: "Acme", externalID: "acme", metadata: ["tier": "gold"]),
                    .init(id: "org_B", name: "Globex", externalID: "globex"),
                ],
                memberships: [
                    .init(id: "om_A", userID: "user_A", organizationID: "org_A", roleSlugs: ["billing"]),
                    .init(id: "om_B", userID: "user_A", organizationID: "org_B"),
                ],
                roles: [.init(slug: "billing", organizationID: "org_A")])
            configure(&configuration)
        }
    }

    @Test("update changes only the fields sent and answers 200 Organization")
    func updateFields() async throws {
        let harness = try harness()
        try await harness.test { client in
            harness.clock.advance(by: 5)
            let answer = try await client.send(
                "PUT", "/organizations/org_A",
                json: #"{"name":"Acme Corp","metadata":{"tier":"platinum"},"stripe_customer_id":"cus_1"}"#)
            #expect(answer.status == 200)
            #expect(problems(answer, update).isEmpty)
            #expect(answer.json?["name"] == .string("Acme Corp"))
            #expect(answer.json?["external_id"] == .string("acme"))
            #expect(answer.json?["stripe_customer_id"] == .string("cus_1"))
            #expect(answer.json?["updated_at"] != answer.json?["created_at"])
            let stored = try #require(harness.state.snapshot().organization(externalID: "acme"))
            #expect(stored.name == "Acme Corp" && stored.metadata == ["tier": "platinum"])
            let got = try await client.send("GET", "/organizations/org_A")
            #expect(got.json == answer.json)
            #expect(problems(got, "GET /organizations/{id}").isEmpty)
        }
    }

    @Test("a new external id moves the lookup; null clears it")
    func externalID() async throws {
        let harness = try harness()
        try await harness.test { client in
            let moved = try await client.send("PUT", "/organizations/org_A", json: #"{"external_id":"acme-2"}"#)
            #expect(moved.status == 200 && moved.json?["external_id"] == .string("acme-2"))
            #expect(try await client.send("GET", "/organizations/external_id/acme").status == 404)
            #expect(try await client.send("GET", "/organizations/external_id/acme-2").id == "org_A")
            let cleared = try await client.send("PUT", "/organizations/org_A", json: #"{"external_id":null}"#)
            #expect(cleared.status == 200 && cleared.json?["external_id"] == .null)
            #expect(problems(cleared, update).isEmpty)
            #expect(try await client.send("GET", "/organizations/external_id/acme-2").status == 404)
            let reused = try await client.send("PUT", "/organizations/org_B", json: #"{"external_id":"acme"}"#)
            #expect(reused.status == 200)
            let same = try await client.send("PUT", "/organizations/org_B", json: #"{"external_id":"acme"}"#)
            #expect(same.status == 200)
        }
    }

    @Test("domain_data replaces the domains")
    func domains() async throws {
        let harness = try harness()
        try await harness.test { client in
            try await client.send(
                "PUT", "/organizations/org_A", json: #"{"domain_data":[{"domain":"old.test","state":"pending"}]}"#)
            let answer = try await client.send(
                "PUT", "/organizations/org_A", json: #"{"domain_data":[{"domain":"acme.test","state":"verified"}]}"#)
            #expect(answer.status == 200)
            #expect(problems(answer, update).isEmpty)
            let domains = answer.json?["domains"]?.arrayValue ?? []
            #expect(domains.compactMap { $0["domain"]?.stringValue } == ["acme.test"])
            #expect(domains.first?["state"] == .string("verified"))
            #expect(harness.state.snapshot().organization(externalID: "acme")?.domains == ["acme.test"])
        }
    }

    @Test(
        "update errors match the spec and change nothing",
        arguments: [
            ("org_A", #"{"external_id":"globex"}"#, 400, "external_id_already_used"),
            ("org_A", #"{"stripe_customer_id":"cus_B"}"#, 400, "stripe_customer_id_already_used"),
            ("org_A", #"{"metadata":{"k":true}}"#, 400, "invalid_metadata"),
            ("org_A", #"{"name":"  "}"#, 422, "invalid_request_parameters"),
            ("org_A", #"{"name":null}"#, 422, "invalid_request_parameters"),
            ("org_A", #"{"colour":"red"}"#, 422, "invalid_request_parameters"),
            ("org_A", #"{"external_id":""}"#, 422, "invalid_request_parameters"),
            ("org_nope", #"{"name":"X"}"#, 404, "entity_not_found"),
        ])
    func updateErrors(id: String, body: String, status: Int, code: String) async throws {
        let harness = try harness()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            #expect(
                try await client.send("PUT", "/organizations/org_B", json: #"{"stripe_customer_id":"cus_B"}"#).status
                    == 200)
            let before = harness.state.snapshot().organizations
            let answer = try await client.send("PUT", "/organizations/\(id)", json: body)
            #expect(answer.status == status)
            #expect(answer.code == code)
            #expect(problems(answer, update).isEmpty)
            #expect(harness.state.snapshot().organizations == before)
            #expect(try await client.send("GET", "/organizations/org_A").json?["name"] == .string("Acme"))
        }
    }

    @Test("delete answers 200 and removes the organization, its memberships and its own roles")
    func delete() async throws {
        let harness = try harness()
        try await harness.test { client in
            let answer = try await client.send("DELETE", "/organizations/org_A")
            #expect(answer.status == 200)
            #expect(problems(answer, "DELETE /organizations/{id}").isEmpty)
            #expect(try await client.send("GET", "/organizations/org_A").status == 404)
            #expect(try await client.send("GET", "/organizations/external_id/acme").status == 404)
            #expect(try await client.send("GET", "/user_management/organization_memberships/om_A").status == 404)
            let left = try await client.send("GET", "/user_management/organization_memberships?user_id=user_A")
            #expect(left.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["om_B"])
            let snapshot = harness.state.snapshot()
            #expect(snapshot.organizations.map(\.id) == ["org_B"])
            #expect(snapshot.memberships.map(\.id) == ["om_B"])
            #expect(!snapshot.roles.contains { $0.organizationID == "org_A" })
            #expect(snapshot.counters.count("DELETE /organizations/{id}", status: 200) == 1)
            let recreated = try await client.createOrganization(#"{"name":"Acme again","external_id":"acme"}"#)
            #expect(recreated.status == 201)
        }
    }

    @Test("deleting an unknown organization is 404 with the not-found body")
    func deleteUnknown() async throws {
        let harness = try harness()
        try await harness.test { client in
            let answer = try await client.send("DELETE", "/organizations/org_nope")
            #expect(answer.status == 404 && answer.code == "entity_not_found")
            #expect(answer.json?["message"] == .string("Organization not found: 'org_nope'."))
            #expect(harness.state.snapshot().organizations.count == 2)
        }
    }

    @Test("organization deletes have their own budget of 50 a minute, answered with 429 and Retry-After")
    func deleteBudget() async throws {
        let organizations = (0..<51).map { EmulatorSeed.Organization(id: "org_\($0)", name: "Org \($0)") }
        let harness = try TestEmulator { configuration in
            configuration.rateLimits = EmulatorRateLimits(writes: 1_000, reads: 1_000, window: 10)
            configuration.seed = EmulatorSeed(organizations: organizations)
        }
        try await harness.test { client in
            for index in 0..<50 {
                #expect(try await client.send("DELETE", "/organizations/org_\(index)").status == 200)
            }
            let limited = try await client.send("DELETE", "/organizations/org_50")
            #expect(limited.status == 429 && limited.code == "rate_limit_exceeded")
            #expect(limited.headers["retry-after"] == "60")
            #expect(try await client.send("GET", "/organizations/org_50").status == 200)
            #expect(try await client.createOrganization().status == 201)
            harness.clock.advance(by: 60)
            #expect(try await client.send("DELETE", "/organizations/org_50").status == 200)
        }
    }
}
