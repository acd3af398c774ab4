import Testing

@testable import WorkOSEmulator

@Suite("Organization membership update, deactivate and reactivate")
struct MembershipUpdateTests {
    private let update = "PUT /user_management/organization_memberships/{id}"
    private let deactivate = "PUT /user_management/organization_memberships/{id}/deactivate"
    private let reactivate = "PUT /user_management/organization_memberships/{id}/reactivate"
    private let path = "/user_management/organization_memberships"

    /// One organization (with a custom `billing` role) and three members: `om_A` active as member,
    /// `om_I` inactive as admin, `om_P` pending. A second organization has its own `auditor` role.
    private func harness(
        _ configure: (inout EmulatorConfiguration) -> Void = { _ in }
    ) throws -> TestEmulator {
        try TestEmulator { configuration in
            configuration.seed = EmulatorSeed(
                users: [
                    .init(id: "user_A", email: "a@example.com"), .init(id: "user_I", email: "i@example.com"),
                    .init(id: "user_P", email: "p@example.com"),
                ],
                organizations: [.init(id: "org_A", name: "Acme"), .init(id: "org_B", name: "Globex")],
                memberships: [
                    .init(id: "om_A", userID: "user_A", organizationID: "org_A"),
                    .init(
                        id: "om_I", userID: "user_I", organizationID: "org_A", roleSlugs: ["admin"], status: "inactive"),
                    .init(id: "om_P", userID: "user_P", organizationID: "org_A", status: "pending"),
                ],
                roles: [
                    .init(slug: "billing", organizationID: "org_A"), .init(slug: "auditor", organizationID: "org_B"),
                ])
            configure(&configuration)
        }
    }

    private func slugs(_ answer: Answer) -> [String]? {
        answer.json?["roles"]?.arrayValue?.compactMap { $0["slug"]?.stringValue }
    }

    @Test(
        "role_slug and role_slugs set the roles; the answer is 200 with role and roles",
        arguments: [
            (#"{"role_slug":"admin"}"#, ["admin"]),
            (#"{"role_slugs":["billing"]}"#, ["billing"]),
            (#"{"role_slugs":[]}"#, ["member"]),
        ])
    func updateRoles(body: String, expected: [String]) async throws {
        let harness = try harness()
        try await harness.test { client in
            harness.clock.advance(by: 5)
            let answer = try await client.send("PUT", "\(path)/om_A", json: body)
            #expect(answer.status == 200)
            #expect(answer.id == "om_A")
            #expect(problems(answer, update).isEmpty)
            #expect(slugs(answer) == expected)
            #expect(answer.json?["role"] == .object(["slug": .string(expected[0])]))
            #expect(answer.json?["updated_at"] != answer.json?["created_at"])
            #expect(
                harness.state.snapshot().membership(userID: "user_A", organizationID: "org_A")?.roleSlugs == expected)
            let got = try await client.send("GET", "\(path)/om_A")
            #expect(got.json == answer.json)
        }
    }

    @Test("several roles need the multiple-roles switch, as on create")
    func updateMultipleRoles() async throws {
        let off = try harness()
        try await off.test { client in
            let refused = try await client.send("PUT", "\(path)/om_A", json: #"{"role_slugs":["admin","billing"]}"#)
            #expect(refused.status == 422 && refused.code == "multiple_roles_not_enabled")
            #expect(problems(refused, update).isEmpty)
            #expect(off.state.snapshot().membership(userID: "user_A", organizationID: "org_A")?.roleSlugs == ["member"])
        }
        let on = try harness { $0.multipleRolesEnabled = true }
        try await on.test { client in
            let accepted = try await client.send(
                "PUT", "\(path)/om_A", json: #"{"role_slugs":["billing","admin","billing"]}"#)
            #expect(accepted.status == 200)
            #expect(problems(accepted, update).isEmpty)
            #expect(slugs(accepted) == ["billing", "admin"])
            #expect(accepted.json?["role"] == .object(["slug": .string("billing")]))
            #expect(
                on.state.snapshot().membership(userID: "user_A", organizationID: "org_A")?.roleSlugs == [
                    "billing", "admin",
                ])
        }
    }

    @Test("an empty body keeps the roles")
    func updateWithoutRoles() async throws {
        let harness = try harness()
        try await harness.test { client in
            let answer = try await client.send("PUT", "\(path)/om_I", json: "{}")
            #expect(answer.status == 200)
            #expect(problems(answer, update).isEmpty)
            #expect(slugs(answer) == ["admin"])
            #expect(answer.json?["status"] == .string("inactive"))
        }
    }

    @Test(
        "update errors match the spec and change nothing",
        arguments: [
            ("om_A", #"{"role_slug":"owner"}"#, 422, "invalid_role"),
            ("om_A", #"{"role_slugs":["auditor"]}"#, 422, "invalid_role"),
            ("om_A", #"{"role_slug":"admin","role_slugs":["admin"]}"#, 422, "invalid_request_parameters"),
            ("om_A", #"{"role_slug":7}"#, 422, "invalid_request_parameters"),
            ("om_A", #"{"role_slug":"admin","metadata":{}}"#, 422, "invalid_request_parameters"),
            ("om_nope", #"{"role_slug":"admin"}"#, 404, "entity_not_found"),
        ])
    func updateErrors(id: String, body: String, status: Int, code: String) async throws {
        let harness = try harness()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let before = harness.state.snapshot().memberships
            let answer = try await client.send("PUT", "\(path)/\(id)", json: body)
            #expect(answer.status == status)
            #expect(answer.code == code)
            #expect(problems(answer, update).isEmpty)
            if status == 404 {
                #expect(answer.json?["message"] == .string("Organization Membership not found: 'om_nope'."))
            }
            #expect(harness.state.snapshot().memberships == before)
        }
    }

    @Test("deactivate makes an active membership inactive; it leaves the list of active ones and keeps its roles")
    func deactivateActive() async throws {
        let harness = try harness()
        try await harness.test { client in
            let answer = try await client.send("PUT", "\(path)/om_A/deactivate")
            #expect(answer.status == 200)
            #expect(problems(answer, deactivate).isEmpty)
            #expect(answer.json?["status"] == .string("inactive"))
            #expect(slugs(answer) == ["member"])
            let active = try await client.send("GET", "\(path)?user_id=user_A")
            #expect(active.json?["data"]?.arrayValue?.isEmpty == true)
            let inactive = try await client.send("GET", "\(path)?user_id=user_A&statuses=inactive")
            #expect(inactive.json?["data"]?.arrayValue?.first?["id"] == .string("om_A"))
            #expect(
                harness.state.snapshot().membership(userID: "user_A", organizationID: "org_A")?.status == "inactive")
        }
    }

    @Test(
        "deactivating an inactive membership, or reactivating an active one, is a no-op that answers 200",
        arguments: [("om_I", "deactivate"), ("om_A", "reactivate")])
    func noOp(membership: String, action: String) async throws {
        let harness = try harness()
        let operation = action == "deactivate" ? deactivate : reactivate
        try await harness.test { client in
            let before = try await client.send("GET", "\(path)/\(membership)")
            harness.clock.advance(by: 5)
            let answer = try await client.send("PUT", "\(path)/\(membership)/\(action)")
            #expect(answer.status == 200)
            #expect(problems(answer, operation).isEmpty)
            #expect(answer.json == before.json)
        }
    }

    @Test("reactivate makes an inactive membership active with its earlier roles")
    func reactivateInactive() async throws {
        let harness = try harness()
        try await harness.test { client in
            let answer = try await client.send("PUT", "\(path)/om_I/reactivate")
            #expect(answer.status == 200)
            #expect(problems(answer, reactivate).isEmpty)
            #expect(answer.json?["status"] == .string("active"))
            #expect(slugs(answer) == ["admin"])
            let stored = harness.state.snapshot().membership(userID: "user_I", organizationID: "org_A")
            #expect(stored?.status == "active" && stored?.roleSlugs == ["admin"])
        }
    }

    @Test(
        "a pending membership can be neither deactivated nor reactivated",
        arguments: [
            ("deactivate", "cannot_deactivate_pending_organization_membership"),
            ("reactivate", "cannot_reactivate_pending_organization_membership"),
        ])
    func pending(action: String, code: String) async throws {
        let harness = try harness()
        try await harness.test { client in
            let answer = try await client.send("PUT", "\(path)/om_P/\(action)")
            #expect(answer.status == 400 && answer.code == code)
            #expect(problems(answer, "PUT /user_management/organization_memberships/{id}/\(action)").isEmpty)
            #expect(harness.state.snapshot().membership(userID: "user_P", organizationID: "org_A")?.status == "pending")
        }
    }

    @Test(
        "deactivate and reactivate: 404 for an unknown id, 422 for a body with fields",
        arguments: ["deactivate", "reactivate"])
    func statusErrors(action: String) async throws {
        let harness = try harness()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let operation = "PUT /user_management/organization_memberships/{id}/\(action)"
            let missing = try await client.send("PUT", "\(path)/om_nope/\(action)")
            #expect(missing.status == 404 && missing.code == "entity_not_found")
            #expect(problems(missing, operation).isEmpty)
            let before = harness.state.snapshot().memberships
            let withBody = try await client.send("PUT", "\(path)/om_A/\(action)", json: #"{"status":"inactive"}"#)
            #expect(withBody.status == 422 && withBody.code == "invalid_request_parameters")
            #expect(problems(withBody, operation).isEmpty)
            #expect(harness.state.snapshot().memberships == before)
            let emptyBody = try await client.send("PUT", "\(path)/om_A/\(action)", json: "{}")
            #expect(emptyBody.status == 200)
        }
    }

    @Test("the counters name the new routes by their templates")
    func counted() async throws {
        let harness = try harness()
        try await harness.test { client in
            try await client.send("PUT", "\(path)/om_A", json: #"{"role_slug":"admin"}"#)
            try await client.send("PUT", "\(path)/om_A/deactivate")
            try await client.send("PUT", "\(path)/om_P/reactivate")
            let counters = harness.state.snapshot().counters
            #expect(counters.count(update, status: 200) == 1)
            #expect(counters.count(deactivate, status: 200) == 1)
            #expect(counters.count(reactivate, status: 400) == 1)
        }
    }
}
