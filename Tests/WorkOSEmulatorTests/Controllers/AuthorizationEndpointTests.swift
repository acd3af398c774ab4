import Testing

@testable import WorkOSEmulator

@Suite("Permissions and role definitions")
struct AuthorizationEndpointTests {
    @Test("a permission is created once, listed, read, renamed and deleted, in the spec's shapes")
    func permissionLifecycle() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let created = try await client.send(
                "POST", "/authorization/permissions", json: #"{"slug":"documents:read","name":"Read documents"}"#)
            #expect(created.status == 201)
            #expect(problems(created, "POST /authorization/permissions").isEmpty)
            #expect(created.json?["id"]?.stringValue?.hasPrefix("perm_") == true)
            #expect(created.json?["system"] == .bool(false))

            let again = try await client.send(
                "POST", "/authorization/permissions", json: #"{"slug":"documents:read","name":"Other"}"#)
            #expect(again.status == 409)
            #expect(again.json?["code"] == .string("permission_slug_conflict"))
            #expect(problems(again, "POST /authorization/permissions").isEmpty)

            let listed = try await client.send("GET", "/authorization/permissions")
            #expect(problems(listed, "GET /authorization/permissions").isEmpty)
            #expect(listed.json?["data"]?.arrayValue?.compactMap { $0["slug"]?.stringValue } == ["documents:read"])

            let renamed = try await client.send(
                "PATCH", "/authorization/permissions/documents:read", json: #"{"name":"View documents"}"#)
            #expect(renamed.status == 200)
            #expect(renamed.json?["name"] == .string("View documents"))
            #expect(problems(renamed, "PATCH /authorization/permissions/{slug}").isEmpty)

            let deleted = try await client.send("DELETE", "/authorization/permissions/documents:read")
            #expect(deleted.status == 204)
            let gone = try await client.send("GET", "/authorization/permissions/documents:read")
            #expect(gone.status == 404)
            #expect(problems(gone, "GET /authorization/permissions/{slug}").isEmpty)
        }
    }

    @Test(
        "bad permission and role bodies are 422 invalid_request_parameters",
        arguments: [
            ("/authorization/permissions", #"{"slug":"Documents:Read","name":"x"}"#),
            ("/authorization/permissions", #"{"slug":"a b","name":"x"}"#),
            ("/authorization/permissions", #"{"slug":"docs:read"}"#),
            ("/authorization/permissions", #"{"slug":"docs:read","name":"x","color":"red"}"#),
            ("/authorization/roles", #"{"name":"Editor"}"#),
            ("/authorization/roles", #"{"slug":"editor","name":"\#(String(repeating: "n", count: 49))"}"#),
            ("/authorization/organizations/org_A/roles", #"{"slug":"billing","name":"Billing"}"#),
            ("/authorization/organizations/org_A/roles", #"{"slug":"org-Billing","name":"Billing"}"#),
            ("/authorization/organizations/org_A/roles", #"{"slug":"org-billing"}"#),
        ])
    func badBodies(path: String, body: String) async throws {
        let harness = try TestEmulator { $0.seed = EmulatorSeed(organizations: [.init(id: "org_A", name: "A")]) }
        try await harness.test { client in
            let answer = try await client.send("POST", path, json: body)
            #expect(answer.status == 422)
            #expect(answer.json?["code"] == .string("invalid_request_parameters"))
            // A body outside the spec's schema is refused by strict mode itself; the others by the route.
            _ = harness.takeViolations()
        }
    }

    @Test("an environment role is created with permissions set and added, and its slug is unique")
    func environmentRole() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            for slug in ["billing:read", "billing:write"] {
                try await client.send(
                    "POST", "/authorization/permissions", json: #"{"slug":"\#(slug)","name":"\#(slug)"}"#)
            }
            let created = try await client.send(
                "POST", "/authorization/roles", json: #"{"slug":"finance","name":"Finance","description":"Money"}"#)
            #expect(created.status == 201)
            #expect(problems(created, "POST /authorization/roles").isEmpty)
            #expect(created.json?["type"] == .string("EnvironmentRole"))
            #expect(created.json?["permissions"] == .array([]))

            let duplicate = try await client.send(
                "POST", "/authorization/roles", json: #"{"slug":"finance","name":"F"}"#)
            #expect(duplicate.status == 409)
            #expect(duplicate.json?["code"] == .string("role_slug_conflict"))

            let set = try await client.send(
                "PUT", "/authorization/roles/finance/permissions", json: #"{"permissions":["billing:read"]}"#)
            #expect(set.status == 200)
            #expect(problems(set, "PUT /authorization/roles/{slug}/permissions").isEmpty)
            #expect(set.json?["permissions"] == .array([.string("billing:read")]))

            let added = try await client.send(
                "POST", "/authorization/roles/finance/permissions", json: #"{"slug":"billing:write"}"#)
            let addedAgain = try await client.send(
                "POST", "/authorization/roles/finance/permissions", json: #"{"slug":"billing:write"}"#)
            #expect(added.status == 200 && addedAgain.status == 200)
            #expect(addedAgain.json?["permissions"] == .array([.string("billing:read"), .string("billing:write")]))

            let unknown = try await client.send(
                "PUT", "/authorization/roles/finance/permissions", json: #"{"permissions":["nope"]}"#)
            #expect(unknown.status == 404)
            let read = try await client.send("GET", "/authorization/roles/finance")
            #expect(read.json?["permissions"]?.arrayValue?.count == 2)
            #expect(problems(read, "GET /authorization/roles/{slug}").isEmpty)

            let renamed = try await client.send(
                "PATCH", "/authorization/roles/finance", json: #"{"name":"Finance team"}"#)
            #expect(renamed.json?["name"] == .string("Finance team"))
            #expect(problems(renamed, "PATCH /authorization/roles/{slug}").isEmpty)

            let listed = try await client.send("GET", "/authorization/roles")
            #expect(
                listed.json?["data"]?.arrayValue?.compactMap { $0["slug"]?.stringValue } == [
                    "admin", "member", "finance",
                ])
        }
    }

    @Test("an organization role needs the org- prefix, applies to its organization only, and is kept while assigned")
    func organizationRole() async throws {
        let harness = try TestEmulator {
            $0.seed = EmulatorSeed(
                users: [.init(email: "ann@example.com")],
                organizations: [.init(id: "org_A", name: "A"), .init(id: "org_B", name: "B")])
        }
        try await harness.test { client in
            try await client.send("POST", "/authorization/permissions", json: #"{"slug":"reports:view","name":"View"}"#)
            let base = "/authorization/organizations/org_A/roles"
            let created = try await client.send("POST", base, json: #"{"slug":"org-auditor","name":"Auditor"}"#)
            #expect(created.status == 201)
            #expect(problems(created, "POST /authorization/organizations/{organizationId}/roles").isEmpty)
            #expect(created.json?["type"] == .string("OrganizationRole"))

            let generated = try await client.send("POST", base, json: #"{"name":"Billing Admin!"}"#)
            let slug = try #require(generated.json?["slug"]?.stringValue)
            #expect(slug.hasPrefix("org-billing-admin-") && slug.count == "org-billing-admin-".count + 6)

            let conflict = try await client.send("POST", base, json: #"{"slug":"org-auditor","name":"Again"}"#)
            #expect(conflict.status == 409)
            #expect(conflict.json?["code"] == .string("organization_role_slug_conflict"))
            let otherOrganization = try await client.send(
                "POST", "/authorization/organizations/org_B/roles", json: #"{"slug":"org-auditor","name":"B's"}"#)
            #expect(otherOrganization.status == 201)

            let permissions = try await client.send(
                "PUT", base + "/org-auditor/permissions", json: #"{"permissions":["reports:view"]}"#)
            #expect(permissions.json?["permissions"] == .array([.string("reports:view")]))
            #expect(
                problems(permissions, "PUT /authorization/organizations/{organizationId}/roles/{slug}/permissions")
                    .isEmpty)
            let removed = try await client.send("DELETE", base + "/org-auditor/permissions/reports:view")
            #expect(removed.status == 200)
            #expect(removed.json?["permissions"] == .array([]))

            let environmentRole = try await client.send("GET", base + "/member")
            #expect(environmentRole.status == 200)
            #expect(environmentRole.json?["type"] == .string("EnvironmentRole"))
            let notThroughOrganization = try await client.send(
                "PATCH", base + "/member", json: #"{"name":"Changed"}"#)
            #expect(notThroughOrganization.status == 404)

            let user = try #require(harness.state.snapshot().users.first)
            let membership = try await client.createMembership(
                #"{"user_id":"\#(user.id)","organization_id":"org_A","role_slug":"org-auditor"}"#)
            #expect(membership.status == 201)
            let refused = try await client.send("DELETE", base + "/org-auditor")
            #expect(refused.status == 409)
            #expect(refused.json?["code"] == .string("role_has_assignments"))
            let deleted = try await client.send("DELETE", base + "/\(slug)")
            #expect(deleted.status == 204)
            let roles = harness.state.snapshot().roles.filter { $0.organizationID == "org_A" }
            #expect(roles.map(\.slug) == ["org-auditor"])
        }
    }
}
