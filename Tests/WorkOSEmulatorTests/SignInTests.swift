import Foundation
import Testing

@testable import WorkOSEmulator

@Suite("Sign-ins: last_sign_in_at, seeded or set through the control endpoint")
struct SignInTests {
    @Test("a seeded last_sign_in_at is served; POST /_emulate/sign_in sets it and leaves updated_at alone")
    func signIn() async throws {
        let harness = try TestEmulator {
            $0.seed = EmulatorSeed(users: [
                EmulatorSeed.User(
                    id: "user_seeded", email: "seeded@example.com", lastSignInAt: "2026-01-02T03:04:05.000Z"),
                EmulatorSeed.User(id: "user_never", email: "never@example.com"),
            ])
        }
        try await harness.test { client in
            let seeded = try await client.send("GET", "/user_management/users/user_seeded")
            #expect(seeded.json?["last_sign_in_at"] == .string("2026-01-02T03:04:05.000Z"))
            #expect(problems(seeded, "GET /user_management/users/{id}").isEmpty)
            let never = try await client.send("GET", "/user_management/users/user_never")
            #expect(never.json?["last_sign_in_at"] == .null)

            let byEmail = try await client.send(
                "POST", "/_emulate/sign_in", json: #"{"user":"NEVER@example.com","at":"2026-03-04T05:06:07.000Z"}"#,
                apiKey: nil)
            #expect(byEmail.status == 200)
            let read = try await client.send("GET", "/user_management/users/user_never")
            #expect(read.json?["last_sign_in_at"] == .string("2026-03-04T05:06:07.000Z"))
            #expect(read.json?["updated_at"] == never.json?["updated_at"])
            #expect(problems(read, "GET /user_management/users/{id}").isEmpty)

            let now = try await client.send("POST", "/_emulate/sign_in", json: #"{"user":"user_seeded"}"#, apiKey: nil)
            #expect(now.status == 200)
            #expect(now.json?["last_sign_in_at"] != .string("2026-01-02T03:04:05.000Z"))

            let unknown = try await client.send(
                "POST", "/_emulate/sign_in", json: #"{"user":"user_nobody"}"#, apiKey: nil)
            #expect(unknown.status == 404)
            let badTime = try await client.send(
                "POST", "/_emulate/sign_in", json: #"{"user":"user_seeded","at":"yesterday"}"#, apiKey: nil)
            #expect(badTime.status == 400)
        }
    }
}
