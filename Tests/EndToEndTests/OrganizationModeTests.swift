import Foundation
import Testing
import WorkOSEmulator

@Suite("Organization modes and existing users", .tags(.endToEnd))
struct OrganizationModeTests {
    static func seeded(
        organizations: [(name: String, externalId: String?)] = [], users: [(email: String, firstName: String?)] = []
    ) async throws -> EmulatorFixture {
        try await EmulatorFixture.start { configuration in
            configuration.seed = EmulatorSeed(
                users: users.map { EmulatorSeed.User(email: $0.email, firstName: $0.firstName) },
                organizations: organizations.map { EmulatorSeed.Organization(name: $0.name, externalID: $0.externalId) }
            )
        }
    }

    @Test("--org-id adds every user to an organization that exists")
    func orgById() async throws {
        try await EmulatorFixture.scoped(try await Self.seeded(organizations: [("Acme", "acme")])) { emulator in
            let organization = try #require(emulator.emulator.snapshot().organizations.first)
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            let result = try await emulator.run(
                ["--csv", "users.csv", "--org-id", organization.id, "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(result.stdout.contains("\"membershipsCreated\":3"))
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.memberships.count == 3)
            #expect(snapshot.memberships.allSatisfy { $0.organizationID == organization.id })
        }
    }

    @Test(
        "a missing organization is fatal before any user is created: by --org-id, or by --org-external-id without --create-org-if-missing",
        arguments: [
            (["--org-id", "org_01MISSING"], ["org_01MISSING", "not found"]),
            (["--org-external-id", "nobody"], ["--create-org-if-missing"]),
        ])
    func missingOrganization(flags: [String], sentences: [String]) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            let result = try await emulator.run(["--csv", "users.csv"] + flags, in: workspace)
            #expect(result.exitCode == 2)
            for sentence in sentences {
                #expect(result.stderr.contains(sentence), "\(flags): \(result.stderr)")
            }
            #expect(emulator.emulator.snapshot().users.isEmpty)
        }
    }

    @Test("--create-org-if-missing creates the organization once, and a second run reuses it")
    func createsOrganizationOnce() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(4))
            let arguments = [
                "--csv", "users.csv", "--org-external-id", "acme", "--create-org-if-missing", "--org-name", "Acme Inc",
                "--quiet",
            ]
            let first = try await emulator.run(arguments, in: workspace)
            #expect(first.exitCode == 0, "\(first.allOutput)")
            let second = try await emulator.run(arguments, in: workspace)
            #expect(second.exitCode == 0, "\(second.allOutput)")
            #expect(second.stdout.contains("Already existed"))
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.organizations.count == 1)
            #expect(snapshot.organizations.first?.name == "Acme Inc")
            #expect(snapshot.organizations.first?.externalID == "acme")
            #expect(snapshot.memberships.count == 4)
            #expect(snapshot.users.count == 4)
        }
    }

    @Test("--if-exists skip counts existing users as already existed and still adds the membership")
    func skipExisting() async throws {
        try await EmulatorFixture.scoped(
            try await Self.seeded(
                organizations: [("Acme", "acme")], users: [("user1@example.com", "Original")])
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            let result = try await emulator.run(
                ["--csv", "users.csv", "--org-external-id", "acme", "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(result.stdout.contains("\"alreadyExisted\":1"))
            #expect(result.stdout.contains("\"imported\":1"))
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.first { $0.email == "user1@example.com" }?.firstName == "Original")
            #expect(snapshot.memberships.count == 2)
        }
    }

    @Test("--if-exists update updates the existing user's fields from the row")
    func updateExisting() async throws {
        try await EmulatorFixture.scoped(try await Self.seeded(users: [("user1@example.com", "Original")])) {
            emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(1))
            let result = try await emulator.run(["--csv", "users.csv", "--if-exists", "update"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(result.stdout.contains("updated"))
            let user = try #require(emulator.emulator.snapshot().users.first)
            #expect(user.firstName == "First1")
            #expect(user.metadata == ["n": "1"])
        }
    }

    @Test("--if-exists fail fails the row of an existing user and leaves it alone")
    func failExisting() async throws {
        try await EmulatorFixture.scoped(try await Self.seeded(users: [("user1@example.com", "Original")])) {
            emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            let result = try await emulator.run(
                ["--csv", "users.csv", "--if-exists", "fail", "--errors-out", "errors.jsonl"], in: workspace)
            #expect(result.exitCode == 1)
            #expect(try workspace.read("errors.jsonl").contains("already exists"))
            #expect(
                emulator.emulator.snapshot().users.first { $0.email == "user1@example.com" }?.firstName == "Original")
        }
    }
}
