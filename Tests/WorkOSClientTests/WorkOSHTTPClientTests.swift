import Foundation
import Testing
import WorkOSClient
import WorkOSEmulator

@Suite("The HTTP client against the emulator over loopback")
struct WorkOSHTTPClientTests {
    static func start(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) async throws -> (
        Emulator, WorkOSHTTPClient
    ) {
        var configuration = EmulatorConfiguration()
        configuration.port = 0
        configuration.rateLimits = nil
        configuration.strict = true
        configure(&configuration)
        let emulator = try await Emulator.start(configuration)
        return (emulator, WorkOSHTTPClient(baseURL: emulator.baseURL + "/", apiKey: configuration.apiKey))
    }

    /// Stops `emulator`, then fails the test for every request the client sent that WorkOS would refuse
    /// (the emulator runs in strict mode).
    static func finish(_ emulator: Emulator) async {
        await emulator.shutdown()
        let left = emulator.takeViolations()
        if !left.isEmpty {
            let listed = left.map(\.description).joined(separator: "\n")
            Issue.record("The client sent requests WorkOS would refuse:\n\(listed)")
        }
    }

    @Test("requests leave out nil fields and use the contract's snake_case names")
    func requestJSON() throws {
        let request = CreateUserRequest(
            email: "a@example.com", firstName: "Ada", passwordHashType: "bcrypt", emailVerified: true,
            externalId: "x1", metadata: ["k": "v"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(request)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "email", "first_name", "password_hash_type", "email_verified", "external_id", "metadata",
            ])
        #expect(try JSONEncoder().encode(UpdateUserRequest()) == Data("{}".utf8))
        #expect(UpdateUserRequest().isEmpty)
    }

    @Test("a user is created, found by email, updated and deleted")
    func userLifecycle() async throws {
        let (emulator, client) = try await Self.start()
        let created = try await client.createUser(
            CreateUserRequest(email: "ada@example.com", firstName: "Ada", metadata: ["team": "math"]),
            idempotencyKey: "key-1")
        #expect(created.id.hasPrefix("user_"))
        #expect(created.metadata == ["team": "math"])
        #expect(try await client.listUsers(email: "ADA@example.com").map(\.id) == [created.id])
        let updated = try await client.updateUser(id: created.id, UpdateUserRequest(lastName: "Lovelace"))
        #expect(updated.lastName == "Lovelace")
        try await client.deleteUser(id: created.id)
        #expect(try await client.listUsers(email: "ada@example.com").isEmpty)
        await client.shutdown()
        await Self.finish(emulator)
    }

    @Test("every user is read page by page, 100 a page, each once; the environment's roles are listed")
    func usersPageByPage() async throws {
        let (emulator, client) = try await Self.start {
            $0.seed = EmulatorSeed(
                users: (0..<250).map { EmulatorSeed.User(email: "u\($0)@example.com") },
                roles: [EmulatorSeed.Role(slug: "admin")])
        }
        var emails: [String] = []
        var pages = 0
        var after: String?
        repeat {
            let page = try await client.listUsers(after: after)
            pages += 1
            emails += page.data.map(\.email)
            after = page.listMetadata?.after
        } while after != nil && pages < 10
        #expect(pages == 3)
        #expect(emails.count == 250)
        #expect(Set(emails) == Set((0..<250).map { "u\($0)@example.com" }))
        let roles = try await client.listEnvironmentRoles().map(\.slug)
        #expect(roles.contains("admin"))
        #expect(roles.contains("member"))
        await client.shutdown()
        await Self.finish(emulator)
    }

    @Test("a duplicate email is an API error carrying the nested code and the request id")
    func duplicateEmail() async throws {
        let (emulator, client) = try await Self.start()
        _ = try await client.createUser(CreateUserRequest(email: "ada@example.com"), idempotencyKey: nil)
        await #expect {
            _ = try await client.createUser(CreateUserRequest(email: "ada@example.com"), idempotencyKey: nil)
        } throws: { error in
            guard case .api(let apiError) = error as? WorkOSClientError else { return false }
            return apiError.status == 400 && apiError.code == "user_creation_error"
                && apiError.hasCode("email_not_available") && apiError.requestId != nil
        }
        await client.shutdown()
        await Self.finish(emulator)
    }

    @Test("a TOTP factor is enrolled, listed and deleted at the spec's DELETE /auth/factors/{id}")
    func factorLifecycle() async throws {
        let (emulator, client) = try await Self.start()
        let user = try await client.createUser(CreateUserRequest(email: "f@example.com"), idempotencyKey: nil)
        let factor = try await client.enrollTOTPFactor(
            userId: user.id, EnrollTOTPRequest(secret: "JBSWY3DPEHPK3PXP", issuer: "Acme"), idempotencyKey: "f-1")
        #expect(try await client.listAuthFactors(userId: user.id).map(\.id) == [factor.id])
        try await client.deleteAuthFactor(id: factor.id)
        #expect(try await client.listAuthFactors(userId: user.id).isEmpty)
        #expect(emulator.snapshot().counters.count("DELETE /auth/factors/{id}", status: 200) == 1)
        await client.shutdown()
        await Self.finish(emulator)
    }

    @Test("organizations and memberships round-trip; a missing organization is a 404")
    func organizationsAndMemberships() async throws {
        let (emulator, client) = try await Self.start()
        let organization = try await client.createOrganization(
            CreateOrganizationRequest(name: "Acme", externalId: "acme/eu"), idempotencyKey: "org-1")
        #expect(try await client.getOrganization(externalId: "acme/eu").id == organization.id)
        #expect(try await client.getOrganization(id: organization.id).name == "Acme")
        let user = try await client.createUser(CreateUserRequest(email: "b@example.com"), idempotencyKey: nil)
        let membership = try await client.createMembership(
            CreateMembershipRequest(userId: user.id, organizationId: organization.id), idempotencyKey: "m-1")
        #expect(membership.id.hasPrefix("om_"))
        #expect(
            try await client.listMemberships(userId: user.id, organizationId: organization.id, statuses: []).count == 1)
        await #expect {
            _ = try await client.getOrganization(id: "org_01MISSING")
        } throws: { error in
            (error as? WorkOSClientError)?.httpStatus == 404
        }
        await client.shutdown()
        await Self.finish(emulator)
    }

    @Test("a 429 carries Retry-After; a refused connection is known not to have reached the server")
    func rateLimitAndTransport() async throws {
        let (emulator, client) = try await Self.start {
            $0.rateLimits = EmulatorRateLimits(writes: 1, reads: 100, window: 60, general: nil)
        }
        _ = try await client.createUser(CreateUserRequest(email: "c@example.com"), idempotencyKey: nil)
        await #expect {
            _ = try await client.createUser(CreateUserRequest(email: "d@example.com"), idempotencyKey: nil)
        } throws: { error in
            guard case .api(let apiError) = error as? WorkOSClientError else { return false }
            return apiError.status == 429 && apiError.retryAfter != nil && apiError.code == "rate_limit_exceeded"
        }
        await client.shutdown()
        let port = emulator.port
        await Self.finish(emulator)

        let closed = WorkOSHTTPClient(baseURL: "http://127.0.0.1:\(port)", apiKey: "sk_test")
        await #expect {
            _ = try await closed.listUsers(email: "x@example.com")
        } throws: { error in
            guard case .transport(_, let mayHaveBeenProcessed) = error as? WorkOSClientError else { return false }
            return !mayHaveBeenProcessed
        }
        await closed.shutdown()
    }

    @Test("a wrong key is a 401 and the key never appears in the error")
    func wrongKey() async throws {
        let (emulator, rightKey) = try await Self.start()
        await rightKey.shutdown()
        let client = WorkOSHTTPClient(baseURL: emulator.baseURL, apiKey: "sk_test_wrong_secret")
        await #expect {
            _ = try await client.listUsers(email: "x@example.com")
        } throws: { error in
            guard let error = error as? WorkOSClientError else { return false }
            return error.httpStatus == 401 && !error.summary.contains("sk_test_wrong_secret")
        }
        await client.shutdown()
        await Self.finish(emulator)
    }

    @Test(
        "a key the HTTP library refuses to send never appears in the error, escaped or not",
        arguments: ["\r", "\n", "\u{01}", "\r\n"])
    func unsendableKey(character: String) async throws {
        let (emulator, rightKey) = try await Self.start()
        await rightKey.shutdown()
        let key = "sk_test_unsendable_1234" + character + "more_key_5678"
        let client = WorkOSHTTPClient(baseURL: emulator.baseURL, apiKey: key)
        await #expect {
            try await client.checkAccess()
        } throws: { error in
            guard let error = error as? WorkOSClientError else { return false }
            let text = "\(error) \(error.summary)"
            return !text.contains("sk_test_unsendable_1234") && !text.contains("more_key_5678")
                && text.contains(SecretRedaction.mask)
        }
        await client.shutdown()
        await emulator.shutdown()
    }

    @Test("a secret is masked whole and in each printable piece, however a library escaped it")
    func redaction() {
        let redaction = SecretRedaction(["sk_live_abcdef\r", ""])
        #expect(
            redaction.apply(#"invalidHeaderFieldValues(["Bearer sk_live_abcdef\r"])"#)
                == #"invalidHeaderFieldValues(["Bearer [redacted]\r"])"#)
        #expect(redaction.apply("x sk_live_abcdef\r y") == "x [redacted] y")
        #expect(SecretRedaction(["ab\u{01}cdefgh"]).apply("ab cdefgh") == "ab [redacted]", "short pieces stay")
        let error = WorkOSClientError.api(
            WorkOSAPIError(
                status: 400, message: "bad sk_live_abcdef", errors: [.init(code: "c", message: "sk_live_abcdef")]))
        #expect(!error.redacting(redaction).summary.contains("sk_live_abcdef"))
    }

    @Test("a host whose name does not resolve is a failure that names the host and was certainly not sent")
    func hostNotFound() async {
        let client = WorkOSHTTPClient(
            baseURL: "https://no-such-host.invalid", apiKey: "sk_test", connectTimeout: .seconds(1))
        await #expect {
            try await client.checkAccess()
        } throws: { error in
            guard let error = error as? WorkOSClientError, case .transport(_, let processed) = error else {
                return false
            }
            return error.unresolvedHost == "no-such-host.invalid" && !processed
        }
        await client.shutdown()
    }
}
