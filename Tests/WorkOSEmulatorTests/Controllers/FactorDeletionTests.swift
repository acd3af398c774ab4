import Foundation
import Testing

@testable import WorkOSEmulator

@Suite("Deleting TOTP factors")
struct FactorDeletionTests {
    private let delete = "DELETE /auth/factors/{id}"

    /// Enrolls one factor for each of two users and returns the factor ids.
    private func enrollTwo(_ client: TestEmulator.Client) async throws -> (first: String, second: String) {
        let enroll = #"{"type":"totp","totp_secret":"JBSWY3DPEHPK3PXP"}"#
        let first = try await client.send("POST", "/user_management/users/user_A/auth_factors", json: enroll)
        let second = try await client.send("POST", "/user_management/users/user_B/auth_factors", json: enroll)
        let firstID = try #require(first.json?["authentication_factor"]?["id"]?.stringValue)
        let secondID = try #require(second.json?["authentication_factor"]?["id"]?.stringValue)
        return (firstID, secondID)
    }

    private func harness() throws -> TestEmulator {
        try TestEmulator { configuration in
            configuration.seed = EmulatorSeed(users: [
                .init(id: "user_A", email: "a@example.com"), .init(id: "user_B", email: "b@example.com"),
            ])
        }
    }

    @Test("delete answers 200 with no body and removes only that factor, on the spec's path")
    func deleteFactor() async throws {
        let prefix = "/auth/factors"
        let harness = try harness()
        try await harness.test { client in
            let (first, second) = try await enrollTwo(client)
            let answer = try await client.send("DELETE", "\(prefix)/\(first)")
            #expect(answer.status == 200 && answer.json == nil)
            #expect(problems(answer, delete).isEmpty)
            let listed = try await client.send("GET", "/user_management/users/user_A/auth_factors")
            #expect(listed.json?["data"]?.arrayValue?.isEmpty == true)
            #expect(problems(listed, "GET /user_management/users/{userlandUserId}/auth_factors").isEmpty)
            let snapshot = harness.state.snapshot()
            #expect(snapshot.authFactors(userID: "user_A").isEmpty)
            #expect(snapshot.authFactors(userID: "user_B").map(\.id) == [second])
            let again = try await client.send("DELETE", "\(prefix)/\(first)")
            #expect(again.status == 404)
        }
    }

    @Test("an unknown factor is 404 with the not-found body")
    func unknown() async throws {
        let prefix = "/auth/factors"
        let harness = try harness()
        try await harness.test { client in
            _ = try await enrollTwo(client)
            let answer = try await client.send("DELETE", "\(prefix)/auth_factor_nope")
            #expect(answer.status == 404 && answer.code == "entity_not_found")
            #expect(answer.json?["message"] == .string("Authentication Factor not found: 'auth_factor_nope'."))
            #expect(problems(answer, delete).isEmpty)
            #expect(harness.state.snapshot().authFactors.count == 2)
        }
    }

    @Test("a path the spec lacks (/user_management/auth_factors/{id}) answers 404 like WorkOS and deletes nothing")
    func nonSpecPathIsNotServed() async throws {
        let harness = try harness()
        try await harness.test { client in
            let (first, _) = try await enrollTwo(client)
            let answer = try await client.send("DELETE", "/user_management/auth_factors/\(first)")
            #expect(answer.status == 404)
            #expect(harness.state.snapshot().authFactors(userID: "user_A").map(\.id) == [first])
            #expect(harness.state.snapshot().counters.total("DELETE (unknown route)") == 1)
            let violations = harness.takeViolations()
            #expect(violations.count == 1 && violations.first?.method == "DELETE", "\(violations)")
        }
    }

    @Test("the factor list pages and answers 404 for an unknown user")
    func listFactors() async throws {
        let harness = try harness()
        try await harness.test { client in
            let enroll = #"{"type":"totp"}"#
            for _ in 0..<3 {
                try await client.send("POST", "/user_management/users/user_A/auth_factors", json: enroll)
            }
            let operation = "GET /user_management/users/{userlandUserId}/auth_factors"
            let page = try await client.send("GET", "/user_management/users/user_A/auth_factors?limit=2")
            #expect(page.status == 200)
            #expect(problems(page, operation).isEmpty)
            #expect(page.json?["data"]?.arrayValue?.count == 2)
            #expect(page.json?["list_metadata"]?["after"]?.stringValue != nil)
            #expect(harness.state.snapshot().authFactors(userID: "user_A").count == 3)
            let missing = try await client.send("GET", "/user_management/users/user_nope/auth_factors")
            #expect(missing.status == 404)
        }
    }

    @Test("a seed file's auth_factors are enrolled before the emulator serves, found by user id or email")
    func seededFactors() async throws {
        let seed = try JSONDecoder().decode(
            EmulatorSeed.self,
            from: Data(
                #"{"users":[{"id":"user_S","email":"s@example.com"}],"auth_factors":[{"id":"auth_factor_S","user_email":"S@example.com","issuer":"Acme","secret":"jbswy3dpehpk3pxp"},{"user_id":"user_S"}]}"#
                    .utf8))
        let harness = try TestEmulator { $0.seed = seed }
        try await harness.test { client in
            let listed = try await client.send("GET", "/user_management/users/user_S/auth_factors")
            #expect(problems(listed, "GET /user_management/users/{userlandUserId}/auth_factors").isEmpty)
            let data = listed.json?["data"]?.arrayValue ?? []
            #expect(data.count == 2)
            #expect(data.allSatisfy { $0["totp"]?["secret"] == nil })
            let factors = harness.state.snapshot().authFactors(userID: "user_S")
            #expect(factors.map(\.issuer) == ["Acme", "WorkOS Emulator"])
            #expect(factors.allSatisfy { $0.user == "s@example.com" })
            #expect(try await client.send("DELETE", "/auth/factors/auth_factor_S").status == 200)
            #expect(harness.state.snapshot().authFactors(userID: "user_S").count == 1)
        }
    }

    @Test(
        "a seeded factor of an unknown user or with a secret that is not base32 is refused",
        arguments: [
            EmulatorSeed.AuthFactor(userEmail: "nobody@example.com"),
            EmulatorSeed.AuthFactor(userID: "user_S", secret: "not base32 0189!"),
        ])
    func badSeededFactor(factor: EmulatorSeed.AuthFactor) {
        #expect(throws: EmulatorError.self) {
            _ = try TestEmulator {
                $0.seed = EmulatorSeed(users: [.init(id: "user_S", email: "s@example.com")], authFactors: [factor])
            }
        }
    }
}
