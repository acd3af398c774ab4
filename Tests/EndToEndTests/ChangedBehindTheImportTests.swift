import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSClient
import WorkOSEmulator

/// What others do to the environment while an import is down or running (sign up with a file's email,
/// delete an organization, delete users between two pages of a survey), and what a killed survey leaves
/// behind: the import counts, journals and undoes only what it made, and reads what is really there.
@Suite("Changed behind the import's back", .tags(.endToEnd))
struct ChangedBehindTheImportTests {
    /// The JSON summary on the last line of stdout.
    static func summary(_ result: CommandResult) throws -> [String: Any] {
        try ResilienceTests.summary(result)
    }

    @Test("a user someone signed up with while the import was down is not the import's: undo leaves it")
    func signedUpWhileDown() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                // Every user create is reset before WorkOS does anything: the create is journaled as sent,
                // and never reaches WorkOS.
                $0.faults = EmulatorFaults(resetShare: 1, routes: ["POST /user_management/users"])
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", "email,first_name,last_name\nada@example.com,Ada,Lovelace\n")
            let arguments = ["--csv", "users.csv", "--max-retries", "50", "--json"]
            let running = try CommandRunner.start(arguments, in: workspace.url, environment: emulator.environment)
            defer { if running.process.isRunning { running.signal(SIGKILL) } }
            try await waitUntil("the create to be journaled as sent") {
                ((try? workspace.read("users.csv.journal")) ?? "").contains("\"type\":\"sent\"")
            }
            running.signal(SIGKILL)
            _ = try await running.wait()
            // A retry the emulator had read but not yet answered is answered (reset) before the faults end.
            try await emulator.waitUntilQuiet()
            emulator.emulator.setFaults(.none)
            #expect(emulator.emulator.snapshot().users.isEmpty, "the reset create must not have taken effect")

            // Somebody signs up with the email before the import is resumed.
            let client = WorkOSHTTPClient(baseURL: emulator.emulator.baseURL, apiKey: emulator.apiKey)
            let signedUp: Result<WorkOSUser, any Error>
            do {
                signedUp = .success(
                    try await client.createUser(
                        CreateUserRequest(email: "ada@example.com", firstName: "Augusta", lastName: "King"),
                        idempotencyKey: nil))
            } catch {
                signedUp = .failure(error)
            }
            await client.shutdown()
            let theirs = try signedUp.get()

            let resumed = try await emulator.run(arguments, in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
            let counts = try Self.summary(resumed)
            #expect(counts["imported"] as? Int == 0)
            #expect(counts["alreadyExisted"] as? Int == 1)

            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 0, "\(undo.allOutput)")
            #expect(try Self.summary(undo)["usersDeleted"] as? Int == 0)
            let users = emulator.emulator.snapshot().users
            #expect(users.map(\.id) == [theirs.id], "undo deleted the account someone else created")
            #expect(users.first?.firstName == "Augusta")
        }
    }

    @Test("the organization --create-org-if-missing makes for the run is journaled, counted and undone")
    func runOrganizationIsJournaled() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            let imported = try await emulator.run(
                [
                    "--csv", "users.csv", "--org-external-id", "acme", "--create-org-if-missing", "--org-name", "Acme",
                    "--json",
                ], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            #expect(try Self.summary(imported)["organizationsCreated"] as? Int == 1)
            let journal = try workspace.read("users.csv.journal")
            #expect(journal.contains("{\"external\":\"acme\",\"type\":\"organization-sent\"}"))
            #expect(journal.contains("\"type\":\"organization\""))

            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 0, "\(undo.allOutput)")
            #expect(try Self.summary(undo)["organizationsDeleted"] as? Int == 1)
            let snapshot = emulator.emulator.snapshot()
            #expect(!snapshot.organizations.contains { $0.externalID == "acme" })
            #expect(snapshot.users.isEmpty)
        }
    }

    @Test("an organization deleted between a killed run and its resume is made again under a new key")
    func organizationDeletedBeforeResume() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.faults = EmulatorFaults(latencyMilliseconds: 100, routes: ["POST /user_management/users"])
            }
        ) { emulator in
            let workspace = try Workspace()
            var csv = "email,first_name,org_external_id,org_name\n"
            for index in 1...30 { csv += "user\(index)@example.com,First\(index),acme,Acme\n" }
            try workspace.write("users.csv", csv)
            let arguments = [
                "--csv", "users.csv", "--create-org-if-missing", "--concurrency", "1", "--fixed-concurrency", "--json",
            ]
            let running = try CommandRunner.start(arguments, in: workspace.url, environment: emulator.environment)
            defer { if running.process.isRunning { running.signal(SIGKILL) } }
            try await waitUntil("the organization and a row to be journaled") {
                let text = (try? workspace.read("users.csv.journal")) ?? ""
                return text.contains("\"type\":\"organization\"") && text.contains("\"type\":\"row\"")
            }
            running.signal(SIGKILL)
            _ = try await running.wait()
            emulator.emulator.setFaults(.none)
            let first = try #require(emulator.emulator.snapshot().organizations.first { $0.externalID == "acme" })
            let client = WorkOSHTTPClient(baseURL: emulator.emulator.baseURL, apiKey: emulator.apiKey)
            let deleted: Result<Void, any Error>
            do {
                try await client.deleteOrganization(id: first.id)
                deleted = .success(())
            } catch {
                deleted = .failure(error)
            }
            await client.shutdown()
            try deleted.get()

            let resumed = try await emulator.run(arguments, in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
            let counts = try Self.summary(resumed)
            #expect(counts["failed"] as? Int == 0)
            #expect(counts["organizationsCreated"] as? Int == 1)
            let organizations = emulator.emulator.snapshot().organizations.filter { $0.externalID == "acme" }
            #expect(organizations.count == 1)
            let second = try #require(organizations.first)
            #expect(second.id != first.id)
            #expect(try workspace.read("users.csv.journal").contains("\"type\":\"organization-missing\""))
            let memberships = emulator.emulator.snapshot().memberships
            #expect(!memberships.isEmpty && memberships.allSatisfy { $0.organizationID == second.id })

            // Undo removes the organization that exists, and does not count the deleted one.
            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 0, "\(undo.allOutput)")
            #expect(try Self.summary(undo)["organizationsDeleted"] as? Int == 1)
            #expect(emulator.emulator.snapshot().organizations.isEmpty)
        }
    }

    @Test("a user deleted between two pages of the survey loses no other user: verify and plan read them all")
    func cursorLostBetweenPages() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(250))
            let imported = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")

            emulator.emulator.loseUserCursors(1)
            let verify = try await emulator.run(["verify", "--csv", "users.csv", "--json"], in: workspace)
            #expect(emulator.emulator.snapshot().users.count == 249, "the cursor's user was not deleted")
            let drift = try Self.summary(verify)
            #expect(drift["drifted"] as? Int == 1, "\(verify.allOutput)")
            #expect(drift["byKind"] as? [String: Int] == ["user-missing": 1])

            emulator.emulator.loseUserCursors(1)
            let plan = try await emulator.run(["plan", "--csv", "users.csv", "--json"], in: workspace)
            #expect(plan.exitCode == 0, "\(plan.allOutput)")
            #expect(emulator.emulator.snapshot().users.count == 248)
            let predicted = try Self.summary(plan)
            #expect(predicted["usersToCreate"] as? Int == 2, "\(plan.allOutput)")
            #expect(predicted["usersExisting"] as? Int == 248)
        }
    }

    @Test("a plan or verify killed with SIGKILL during its survey leaves nothing in the temporary folder")
    func killedSurveyLeavesNoFile() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.seed = EmulatorSeed(users: (1...400).map { EmulatorSeed.User(email: "user\($0)@example.com") })
                $0.faults = EmulatorFaults(latencyMilliseconds: 300, routes: ["GET /user_management/users"])
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(400))
            let temporary = workspace.path("tmp")
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            for command in ["plan", "verify"] {
                let before = emulator.emulator.snapshot().counters.total("GET /user_management/users")
                let running = try CommandRunner.start(
                    [command, "--csv", "users.csv"], in: workspace.url,
                    environment: emulator.environment.merging(["TMPDIR": temporary]) { $1 })
                defer { if running.process.isRunning { running.signal(SIGKILL) } }
                try await waitUntil("\(command) to read two pages of users") {
                    emulator.emulator.snapshot().counters.total("GET /user_management/users") >= before + 2
                }
                #expect(running.process.isRunning, "\(command) ended before it could be killed")
                running.signal(SIGKILL)
                _ = try await running.wait()
                let left = try FileManager.default.contentsOfDirectory(atPath: temporary)
                #expect(left.isEmpty, "\(command) left \(left) in the temporary folder")
            }
        }
    }

    @Test("plan predicts the refusal of an external id another user holds, as the import meets it")
    func planSeesTakenExternalId() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.seed = EmulatorSeed(users: [EmulatorSeed.User(email: "holder@example.com", externalID: "ext-1")])
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", "email,external_id\nnew@example.com,ext-1\nfree@example.com,ext-2\n")
            let plan = try await emulator.run(["plan", "--csv", "users.csv", "--json"], in: workspace)
            let predicted = try Self.summary(plan)
            #expect(predicted["usersToCreate"] as? Int == 1, "\(plan.allOutput)")
            #expect(predicted["failed"] as? Int == 1)

            let imported = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            let counts = try Self.summary(imported)
            #expect(counts["imported"] as? Int == 1, "\(imported.allOutput)")
            #expect(counts["failed"] as? Int == 1)
        }
    }
}
