import Testing

@testable import WorkOSEmulator

@Suite("Organization memberships")
struct MembershipEndpointTests {
    private let create = "POST /user_management/organization_memberships"

    /// A harness with one user and one organization (with a custom `billing` role).
    private func setUp(
        _ configure: (inout EmulatorConfiguration) -> Void = { _ in }
    ) async throws -> (TestEmulator, user: String, org: String) {
        let harness = try TestEmulator { configuration in
            configuration.seed = EmulatorSeed(
                users: [.init(id: "user_A", email: "a@example.com")],
                organizations: [.init(id: "org_A", name: "Acme")],
                roles: [.init(slug: "billing", organizationID: "org_A")])
            configure(&configuration)
        }
        return (harness, "user_A", "org_A")
    }

    @Test("create with no role gives member; the user and roles are embedded")
    func createDefault() async throws {
        let (harness, user, org) = try await setUp()
        try await harness.test { client in
            let answer = try await client.createMembership(#"{"user_id":"\#(user)","organization_id":"\#(org)"}"#)
            #expect(answer.status == 201)
            #expect(answer.id.hasPrefix("om_"))
            #expect(problems(answer, create).isEmpty)
            #expect(answer.json?["role"] == .object(["slug": .string("member")]))
            #expect(answer.json?["user"]?["email"] == .string("a@example.com"))
            #expect(answer.json?["status"] == .string("active"))
            #expect(harness.state.snapshot().memberships.first?.roleSlugs == ["member"])
        }
    }

    @Test("role_slug and a single role_slugs entry take environment or organization roles")
    func createWithRoles() async throws {
        let (harness, user, org) = try await setUp()
        try await harness.test { client in
            let answer = try await client.createMembership(
                #"{"user_id":"\#(user)","organization_id":"\#(org)","role_slugs":["billing"]}"#)
            #expect(answer.status == 201)
            #expect(answer.json?["roles"] == .array([.object(["slug": .string("billing")])]))
        }
    }

    @Test("several roles need the multiple-roles switch")
    func multipleRoles() async throws {
        let (off, user, org) = try await setUp()
        try await off.test { client in
            let body = #"{"user_id":"\#(user)","organization_id":"\#(org)","role_slugs":["admin","billing"]}"#
            let refused = try await client.createMembership(body)
            #expect(refused.status == 422 && refused.code == "multiple_roles_not_enabled")
            #expect(problems(refused, create).isEmpty)
        }
        let (on, _, _) = try await setUp { $0.multipleRolesEnabled = true }
        try await on.test { client in
            let body = #"{"user_id":"\#(user)","organization_id":"\#(org)","role_slugs":["admin","billing"]}"#
            let accepted = try await client.createMembership(body)
            #expect(accepted.status == 201)
            #expect(on.state.snapshot().memberships.first?.roleSlugs == ["admin", "billing"])
        }
    }

    @Test(
        "create errors match the spec",
        arguments: [
            (#"{"user_id":"user_A","organization_id":"org_A","role_slug":"owner"}"#, 422, "invalid_role"),
            (
                #"{"user_id":"user_A","organization_id":"org_A","role_slug":"admin","role_slugs":["admin"]}"#, 422,
                "invalid_request_parameters"
            ),
            (#"{"user_id":"user_A"}"#, 422, "invalid_request_parameters"),
            (#"{"user_id":"user_A","organization_id":"org_A","extra":1}"#, 422, "invalid_request_parameters"),
            (#"{"user_id":"user_nope","organization_id":"org_A"}"#, 404, "entity_not_found"),
            (#"{"user_id":"user_A","organization_id":"org_nope"}"#, 404, "entity_not_found"),
        ])
    func createErrors(body: String, status: Int, code: String) async throws {
        let (harness, _, _) = try await setUp()
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let answer = try await client.createMembership(body)
            #expect(answer.status == status)
            #expect(answer.code == code)
            #expect(problems(answer, create).isEmpty)
            #expect(harness.state.snapshot().memberships.isEmpty)
        }
    }

    @Test("an existing active membership is 409 conflict")
    func conflict() async throws {
        let (harness, user, org) = try await setUp()
        try await harness.test { client in
            let body = #"{"user_id":"\#(user)","organization_id":"\#(org)"}"#
            try await client.createMembership(body)
            let again = try await client.createMembership(body)
            #expect(again.status == 409 && again.code == "conflict")
            #expect(harness.state.snapshot().memberships.count == 1)
        }
    }

    @Test("an inactive membership is reactivated with 201; a pending one is 400")
    func reactivation() async throws {
        let harness = try TestEmulator { configuration in
            configuration.seed = EmulatorSeed(
                users: [.init(id: "user_I", email: "i@example.com"), .init(id: "user_P", email: "p@example.com")],
                organizations: [.init(id: "org_A", name: "Acme")],
                memberships: [
                    .init(id: "om_I", userID: "user_I", organizationID: "org_A", status: "inactive"),
                    .init(id: "om_P", userID: "user_P", organizationID: "org_A", status: "pending"),
                ])
        }
        try await harness.test { client in
            let reactivated = try await client.createMembership(
                #"{"user_id":"user_I","organization_id":"org_A","role_slug":"admin"}"#)
            #expect(reactivated.status == 201 && reactivated.id == "om_I")
            #expect(reactivated.json?["status"] == .string("active"))
            let pending = try await client.createMembership(#"{"user_id":"user_P","organization_id":"org_A"}"#)
            #expect(pending.status == 400 && pending.code == "cannot_reactivate_pending_organization_membership")
            #expect(problems(pending, create).isEmpty)
        }
    }

    @Test("list needs a filter, shows active ones by default, and reads statuses in every wire form")
    func list() async throws {
        let harness = try TestEmulator { configuration in
            // Some requests are outside the spec on purpose and this test is about the route's own answers,
            // which strict mode would give first.
            configuration.strict = false
            configuration.seed = EmulatorSeed(
                users: [.init(id: "user_A", email: "a@example.com"), .init(id: "user_B", email: "b@example.com")],
                organizations: [.init(id: "org_A", name: "Acme")],
                memberships: [
                    .init(userID: "user_A", organizationID: "org_A"),
                    .init(userID: "user_B", organizationID: "org_A", status: "inactive"),
                ])
        }
        try await harness.test { client in
            let path = "/user_management/organization_memberships"
            let missing = try await client.send("GET", path)
            #expect(missing.status == 400 && missing.code == "missing_user_id_or_organization_id")
            #expect(problems(missing, "GET \(path)").isEmpty)
            let active = try await client.send("GET", path + "?organization_id=org_A")
            #expect(active.json?["data"]?.arrayValue?.count == 1)
            #expect(problems(active, "GET \(path)").isEmpty)
            for query in [
                "statuses=active,inactive", "statuses=active&statuses=inactive",
                "statuses[]=active&statuses[]=inactive",
            ] {
                let both = try await client.send("GET", path + "?organization_id=org_A&" + query)
                #expect(both.json?["data"]?.arrayValue?.count == 2, "\(query)")
            }
            let byUser = try await client.send("GET", path + "?user_id=user_B&statuses=inactive")
            #expect(byUser.json?["data"]?.arrayValue?.first?["user_id"] == .string("user_B"))
        }
    }

    @Test("get and delete a membership; missing ones are 404")
    func getAndDelete() async throws {
        let (harness, user, org) = try await setUp()
        try await harness.test { client in
            let created = try await client.createMembership(#"{"user_id":"\#(user)","organization_id":"\#(org)"}"#)
            let path = "/user_management/organization_memberships/\(created.id)"
            let got = try await client.send("GET", path)
            #expect(got.status == 200 && got.json == created.json)
            #expect(problems(got, "GET /user_management/organization_memberships/{id}").isEmpty)
            #expect(try await client.send("DELETE", path).status == 200)
            let gone = try await client.send("GET", path)
            #expect(gone.status == 404)
            #expect(problems(gone, "GET /user_management/organization_memberships/{id}").isEmpty)
            #expect(try await client.send("DELETE", path).status == 404)
        }
    }
}
