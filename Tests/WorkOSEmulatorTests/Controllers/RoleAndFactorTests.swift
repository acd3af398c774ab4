import Testing

@testable import WorkOSEmulator

@Suite("Roles and TOTP factors")
struct RoleAndFactorTests {
    @Test("environment roles default to admin and member, and are configurable")
    func environmentRoles() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let answer = try await client.send("GET", "/authorization/roles")
            #expect(answer.status == 200)
            #expect(problems(answer, "GET /authorization/roles").isEmpty)
            let slugs = answer.json?["data"]?.arrayValue?.compactMap { $0["slug"]?.stringValue }
            #expect(slugs == ["admin", "member"])
        }
        let custom = try TestEmulator { $0.environmentRoles = ["owner", "viewer"] }
        try await custom.test { client in
            let customSlugs = try await client.send("GET", "/authorization/roles").json?["data"]?.arrayValue?
                .compactMap { $0["slug"]?.stringValue }
            #expect(customSlugs == ["owner", "viewer"])
            let org = try await client.createOrganization()
            let membership = try await client.createMembership(#"{"user_id":"x","organization_id":"\#(org.id)"}"#)
            #expect(membership.status == 404)
        }
    }

    @Test("an organization's roles are the environment roles plus its own")
    func organizationRoles() async throws {
        let harness = try TestEmulator { configuration in
            configuration.seed = EmulatorSeed(
                organizations: [.init(id: "org_A", name: "A"), .init(id: "org_B", name: "B")],
                roles: [.init(slug: "billing", organizationID: "org_A"), .init(slug: "other", organizationID: "org_B")])
        }
        try await harness.test { client in
            for path in ["/authorization/organizations/org_A/roles"] {
                let answer = try await client.send("GET", path)
                #expect(answer.status == 200)
                #expect(problems(answer, "GET /authorization/organizations/{organizationId}/roles").isEmpty)
                let data = answer.json?["data"]?.arrayValue ?? []
                #expect(data.compactMap { $0["slug"]?.stringValue } == ["admin", "member", "billing"])
                #expect(data.last?["type"] == .string("OrganizationRole"))
                #expect(data.allSatisfy { $0["id"]?.stringValue?.hasPrefix("role_") == true })
            }
            let missing = try await client.send("GET", "/authorization/organizations/org_nope/roles")
            #expect(missing.status == 404)
        }
    }

    @Test("TOTP enrollment returns the factor with secret and uri, and a challenge")
    func enroll() async throws {
        let harness = try TestEmulator()
        try await harness.test { client in
            let user = try await client.createUser(#"{"email":"t@example.com"}"#)
            let operation = "POST /user_management/users/{userlandUserId}/auth_factors"
            let answer = try await client.send(
                "POST", "/user_management/users/\(user.id)/auth_factors",
                json: #"{"type":"totp","totp_issuer":"Acme","totp_secret":"JBSWY3DPEHPK3PXP"}"#)
            #expect(answer.status == 201)
            #expect(problems(answer, operation).isEmpty)
            let factor = answer.json?["authentication_factor"]
            #expect(factor?["id"]?.stringValue?.hasPrefix("auth_factor_") == true)
            #expect(factor?["totp"]?["secret"] == .string("JBSWY3DPEHPK3PXP"))
            #expect(factor?["totp"]?["user"] == .string("t@example.com"))
            #expect(
                factor?["totp"]?["uri"]?.stringValue?.hasPrefix(
                    "otpauth://totp/Acme:t%40example.com?secret=JBSWY3DPEHPK3PXP") == true)
            #expect(answer.json?["authentication_challenge"]?["authentication_factor_id"] == factor?["id"])
            let stored = try #require(harness.state.snapshot().authFactors.first)
            #expect(stored.userID == user.id && stored.issuer == "Acme")
            let generated = try await client.send(
                "POST", "/user_management/users/\(user.id)/auth_factors", json: #"{"type":"totp"}"#)
            let secret = try #require(generated.json?["authentication_factor"]?["totp"]?["secret"]?.stringValue)
            #expect(AuthFactorRecord.isBase32(secret) && secret.count == 32)
            let listed = try await client.send("GET", "/user_management/users/\(user.id)/auth_factors")
            #expect(listed.json?["data"]?.arrayValue?.count == 2)
            #expect(listed.json?["data"]?.arrayValue?.first?["totp"]?["secret"] == nil)
        }
    }

    @Test(
        "enrollment errors: bad secret or type is 422, unknown user is 404",
        arguments: [
            ("user_T", #"{"type":"totp","totp_secret":"not base32 0189!"}"#, 422),
            ("user_T", #"{"type":"sms"}"#, 422),
            ("user_T", #"{}"#, 422),
            ("user_nope", #"{"type":"totp"}"#, 404),
        ])
    func enrollErrors(user: String, body: String, status: Int) async throws {
        let harness = try TestEmulator { $0.seed = EmulatorSeed(users: [.init(id: "user_T", email: "t@example.com")]) }
        // The request is bad on purpose and this test is about the route's own answer, which strict mode
        // would give first.
        harness.state.setStrict(false)
        try await harness.test { client in
            let answer = try await client.send("POST", "/user_management/users/\(user)/auth_factors", json: body)
            #expect(answer.status == status)
            if status == 422 {
                #expect(problems(answer, "POST /user_management/users/{userlandUserId}/auth_factors").isEmpty)
            }
            #expect(harness.state.snapshot().authFactors.isEmpty)
        }
    }
}
