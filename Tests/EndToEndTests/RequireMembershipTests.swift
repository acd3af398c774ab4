import Foundation
import Testing
import WorkOSEmulator

@Suite("--require-membership", .tags(.endToEnd))
struct RequireMembershipTests {
    static let membershipRoute = "POST /user_management/organization_memberships"

    /// An emulator whose membership creates always fail with a 503, and one organization `acme`.
    static func emulator(users: [EmulatorSeed.User] = []) async throws -> EmulatorFixture {
        try await EmulatorFixture.start {
            $0.seed = EmulatorSeed(
                users: users, organizations: [EmulatorSeed.Organization(name: "Acme", externalID: "acme")])
            $0.faults = EmulatorFaults(errorShare: 1, errorStatuses: [503], routes: [membershipRoute])
        }
    }

    @Test("a user this import created is deleted when its membership cannot be created, and the row fails")
    func deletesUserItCreated() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            let result = try await emulator.run(
                [
                    "--csv", "users.csv", "--org-external-id", "acme", "--require-membership", "--max-retries", "2",
                    "--errors-out", "errors.jsonl", "--rate-limit", "off",
                ], in: workspace)
            #expect(result.exitCode == 1)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.isEmpty)
            #expect(snapshot.counters.total("DELETE /user_management/users/{id}") == 2)
            let errors = try workspace.read("errors.jsonl")
            #expect(errors.contains("deleted"))
            #expect(errors.contains("503"))
        }
    }

    @Test("a user that existed before the import is never deleted")
    func keepsExistingUser() async throws {
        try await EmulatorFixture.scoped(
            try await Self.emulator(users: [EmulatorSeed.User(email: "user1@example.com", firstName: "Kept")]
            )
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(1))
            let result = try await emulator.run(
                [
                    "--csv", "users.csv", "--org-external-id", "acme", "--require-membership", "--max-retries", "2",
                    "--errors-out", "errors.jsonl", "--rate-limit", "off",
                ], in: workspace)
            #expect(result.exitCode == 1)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.map(\.email) == ["user1@example.com"])
            #expect(snapshot.counters.total("DELETE /user_management/users/{id}") == 0)
            #expect(try workspace.read("errors.jsonl").contains("existed before this import"))
        }
    }

    @Test("without --require-membership the user stays and the row fails with its user id")
    func keepsUserWithoutFlag() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(1))
            let result = try await emulator.run(
                [
                    "--csv", "users.csv", "--org-external-id", "acme", "--max-retries", "2", "--errors-out",
                    "errors.csv",
                    "--rate-limit", "off",
                ], in: workspace)
            #expect(result.exitCode == 1)
            let user = try #require(emulator.emulator.snapshot().users.first)
            #expect(try workspace.read("errors.csv").contains(user.id))
        }
    }
}
