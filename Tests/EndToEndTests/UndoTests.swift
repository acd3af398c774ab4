import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSClient
import WorkOSEmulator

/// `undo` against the in-process emulator: an environment with existing users, organizations and a
/// membership, an import that adds users, memberships (to new and existing users, in seeded and created
/// organizations), roles and TOTP factors, and an undo that must leave exactly the seeded state.
@Suite("undo: take an import back", .tags(.endToEnd))
struct UndoTests {
    /// Two existing users, two existing organizations, one existing membership, the roles the file uses.
    static var seed: EmulatorSeed {
        EmulatorSeed(
            users: [
                EmulatorSeed.User(id: "user_old_1", email: "old1@example.com", firstName: "Old1"),
                EmulatorSeed.User(id: "user_old_2", email: "old2@example.com", firstName: "Old2"),
            ],
            organizations: [
                EmulatorSeed.Organization(id: "org_seeded_0", name: "Org 0", externalID: "org-0"),
                EmulatorSeed.Organization(id: "org_seeded_1", name: "Org 1", externalID: "org-1"),
            ],
            memberships: [
                EmulatorSeed.Membership(
                    userEmail: "old1@example.com", organizationExternalID: "org-0", roleSlugs: ["member"])
            ],
            roles: [EmulatorSeed.Role(slug: "billing")])
    }

    /// New users in seeded and created organizations, existing users given new memberships and a factor,
    /// and `extraUsers` more new users in organization org-5 (for an undo long enough to be killed).
    static func csv(extraUsers: Int = 0) -> String {
        var text = "email,first_name,org_external_id,org_name,role_slugs,totp_secret,totp_issuer\n"
        text += "new1@example.com,New1,org-0,Org 0,member,\(IdentityFile.secret(1)),Acme\n"
        text += "new1@example.com,New1,org-2,Org 2,admin,\(IdentityFile.secret(1)),Acme\n"
        text += "new2@example.com,New2,org-2,Org 2,\"admin,billing\",,\n"
        text += "new3@example.com,New3,org-3,Org 3,member,\(IdentityFile.secret(3)),Acme\n"
        text += "old1@example.com,Old1,org-1,Org 1,admin,\(IdentityFile.secret(11)),Acme\n"
        text += "old1@example.com,Old1,org-0,Org 0,member,\(IdentityFile.secret(11)),Acme\n"
        text += "old2@example.com,Old2,org-2,Org 2,member,,\n"
        text += "new4@example.com,New4,org-4,Org 4,billing,,\n"
        for index in 0..<extraUsers {
            text += "extra\(index)@example.com,Extra,org-5,Org 5,member,,\n"
        }
        return text
    }

    static func emulator() async throws -> EmulatorFixture {
        try await EmulatorFixture.start {
            $0.multipleRolesEnabled = true
            $0.seed = Self.seed
        }
    }

    static let importArguments = [
        "--csv", "users.csv", "--create-org-if-missing", "--journal", "users.csv.journal", "--json",
        "--rate-limit", "400", "--read-rate-limit", "600",
    ]

    /// The parts of the emulator's state an undo must restore, each sorted by id.
    struct Held: Equatable {
        var users: [EmulatorSnapshot.User]
        var organizations: [EmulatorSnapshot.Organization]
        var memberships: [EmulatorSnapshot.Membership]
        var factors: [String]

        init(_ snapshot: EmulatorSnapshot) {
            users = snapshot.users.sorted { $0.id < $1.id }
            organizations = snapshot.organizations.sorted { $0.id < $1.id }
            memberships = snapshot.memberships.sorted { $0.id < $1.id }
            factors = snapshot.authFactors.map(\.id).sorted()
        }
    }

    static func json(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last, "no output: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Imports the file and checks it added what the test counts on.
    static func importFile(
        _ emulator: EmulatorFixture, in workspace: borrowing Workspace, extraUsers: Int = 0
    ) async throws {
        try workspace.write("users.csv", csv(extraUsers: extraUsers))
        let result = try await emulator.run(importArguments, in: workspace)
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        let snapshot = emulator.emulator.snapshot()
        #expect(snapshot.users.count == 6 + extraUsers)
        #expect(snapshot.organizations.count == 4 + (extraUsers > 0 ? 2 : 1))
        #expect(snapshot.authFactors.count == 3)
    }

    @Test("undo --yes deletes exactly what the import created; a second undo deletes nothing")
    func undoRestoresTheSeed() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            let before = Held(emulator.emulator.snapshot())
            try await Self.importFile(emulator, in: workspace)

            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 0, "\(undo.stdout)\n\(undo.stderr)")
            let report = try Self.json(undo)
            #expect(report["usersDeleted"] as? Int == 4)
            // old1 in org-1, old2 in org-2; old1's org-0 membership was there before.
            #expect(report["membershipsDeleted"] as? Int == 2)
            #expect(report["factorsDeleted"] as? Int == 1)
            #expect(report["organizationsDeleted"] as? Int == 3)
            #expect((report["left"] as? [Any])?.isEmpty == true)
            #expect(report["status"] as? String == "complete")
            #expect(undo.stderr.contains("This undo will delete"))
            #expect(Held(emulator.emulator.snapshot()) == before)
            #expect(try workspace.permissions("users.csv.journal.undo") == 0o600)

            let again = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(again.exitCode == 0, "\(again.stderr)")
            let second = try Self.json(again)
            for key in ["usersDeleted", "membershipsDeleted", "factorsDeleted", "organizationsDeleted"] {
                #expect(second[key] as? Int == 0, "\(key)")
            }
            #expect(second["alreadyDeleted"] as? Int == 10)
            #expect(Held(emulator.emulator.snapshot()) == before)
        }
    }

    @Test("an undo killed with SIGKILL midway and run again ends in the seeded state, each deletion once")
    func killedUndoResumes() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            let before = Held(emulator.emulator.snapshot())
            let extra = 300
            try await Self.importFile(emulator, in: workspace, extraUsers: extra)

            // The undo paces its deletes at WorkOS's write rate (49/s), so 300 users take seconds.
            let running = try CommandRunner.start(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json", "--concurrency", "4"],
                in: workspace.url, environment: emulator.environment)
            try await waitUntil("the undo to record 30 deletions", timeout: .seconds(30)) {
                let text = (try? workspace.read("users.csv.journal.undo")) ?? ""
                return text.components(separatedBy: "\"type\":\"deleted\"").count > 30
            }
            #expect(running.process.isRunning, "the undo ended before it could be killed")
            running.signal(SIGKILL)
            _ = try await running.wait(timeout: .seconds(10))
            #expect(emulator.emulator.snapshot().users.count > before.users.count)

            let resumed = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.stdout)\n\(resumed.stderr)")
            let report = try Self.json(resumed)
            #expect((report["alreadyDeleted"] as? Int ?? 0) > 0)
            #expect(Held(emulator.emulator.snapshot()) == before)
            let deleted = try workspace.read("users.csv.journal.undo").split(separator: "\n")
                .filter { $0.contains("\"type\":\"deleted\"") }
            #expect(Set(deleted).count == deleted.count, "a deletion recorded twice")
            #expect(deleted.count == 4 + extra + 2 + 1 + 4)
        }
    }

    @Test("users made by rows that failed later (their factor refused) are taken back too")
    func failedRowsEffectsAreUndone() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.multipleRolesEnabled = true
                $0.seed = Self.seed
                $0.faults = EmulatorFaults(
                    errorShare: 1, errorStatuses: [503], routes: ["POST /user_management/users/{id}/auth_factors"])
            }
        ) { emulator in
            let workspace = try Workspace()
            let before = Held(emulator.emulator.snapshot())
            try workspace.write("users.csv", Self.csv())
            let imported = try await emulator.run(Self.importArguments + ["--max-retries", "2"], in: workspace)
            #expect(imported.exitCode == 1, "\(imported.stdout)\n\(imported.stderr)")
            #expect(emulator.emulator.snapshot().users.count == 6)
            #expect(emulator.emulator.snapshot().authFactors.isEmpty)
            #expect(try workspace.read("users.csv.journal").contains(#""userCreated":true"#))
            emulator.emulator.setFaults(.none)

            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 0, "\(undo.stdout)\n\(undo.stderr)")
            let report = try Self.json(undo)
            #expect(report["usersDeleted"] as? Int == 4)
            #expect(report["membershipsDeleted"] as? Int == 2)
            #expect(report["factorsDeleted"] as? Int == 0)
            #expect(report["organizationsDeleted"] as? Int == 3)
            #expect(Held(emulator.emulator.snapshot()) == before)
        }
    }

    @Test("a created user changed after the import is left and listed, and so is the organization it holds")
    func changedUserIsLeft() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try await Self.importFile(emulator, in: workspace)
            let changed = try #require(emulator.emulator.snapshot().users.first { $0.email == "new3@example.com" })
            // Milliseconds: the change must come after the journal's last line.
            try await Task.sleep(for: .milliseconds(5))
            let client = WorkOSHTTPClient(baseURL: emulator.emulator.baseURL, apiKey: emulator.apiKey)
            var failure: WorkOSClientError?
            do throws(WorkOSClientError) {
                _ = try await client.updateUser(id: changed.id, UpdateUserRequest(firstName: "Renamed"))
            } catch {
                failure = error
            }
            await client.shutdown()
            if let failure { throw failure }

            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 1, "\(undo.stdout)\n\(undo.stderr)")
            let report = try Self.json(undo)
            #expect(report["status"] as? String == "incomplete")
            #expect(report["usersDeleted"] as? Int == 3)
            #expect(report["organizationsDeleted"] as? Int == 2)
            let left = try #require(report["left"] as? [[String: Any]])
            #expect(left.count == 2)
            let user = try #require(left.first { $0["kind"] as? String == "user" })
            #expect(user["id"] as? String == changed.id)
            #expect((user["reason"] as? String)?.contains("changed after the import") == true)
            let organization = try #require(left.first { $0["kind"] as? String == "organization" })
            #expect((organization["reason"] as? String)?.contains("users this undo left") == true)
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.contains { $0.id == changed.id && $0.firstName == "Renamed" })
            #expect(snapshot.organizations.contains { $0.externalID == "org-3" })
        }
    }

    @Test("an organization the import created that someone else joined since is left with the reason")
    func foreignMemberKeepsOrganization() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try await Self.importFile(emulator, in: workspace)
            let organization = try #require(
                emulator.emulator.snapshot().organizations.first { $0.externalID == "org-4" })
            let client = WorkOSHTTPClient(baseURL: emulator.emulator.baseURL, apiKey: emulator.apiKey)
            var failure: WorkOSClientError?
            do throws(WorkOSClientError) {
                _ = try await client.createMembership(
                    CreateMembershipRequest(userId: "user_old_2", organizationId: organization.id),
                    idempotencyKey: nil)
            } catch {
                failure = error
            }
            await client.shutdown()
            if let failure { throw failure }

            let undo = try await emulator.run(["undo", "--journal", "users.csv.journal", "--yes"], in: workspace)
            #expect(undo.exitCode == 1, "\(undo.stdout)\n\(undo.stderr)")
            #expect(
                undo.stdout.contains("organization \(organization.id): it still holds 1 member the import did not add"))
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.organizations.contains { $0.id == organization.id })
            #expect(snapshot.memberships.contains { $0.userID == "user_old_2" && $0.organizationID == organization.id })
        }
    }

    @Test("without --yes and without a terminal, undo refuses with exit 2 and deletes nothing")
    func refusesWithoutConfirmation() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try await Self.importFile(emulator, in: workspace)
            let held = Held(emulator.emulator.snapshot())
            let undo = try await emulator.run(["undo", "--journal", "users.csv.journal"], in: workspace)
            #expect(undo.exitCode == 2)
            #expect(undo.stderr.contains("--yes"))
            #expect(Held(emulator.emulator.snapshot()) == held)
        }
    }

    @Test("undo refuses, exit 2, while the import is still running on the journal")
    func refusesWhileImportRuns() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 200) }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(100))
            let running = try CommandRunner.start(
                ["--csv", "users.csv", "--journal", "users.csv.journal", "--concurrency", "1", "--fixed-concurrency"],
                in: workspace.url, environment: emulator.environment)
            defer { if running.process.isRunning { running.signal(SIGKILL) } }
            try await waitUntil("the import to start") { emulator.emulator.snapshot().users.count >= 1 }
            let undo = try await emulator.run(["undo", "--journal", "users.csv.journal", "--yes"], in: workspace)
            #expect(running.process.isRunning, "the import ended before the undo was tried")
            #expect(undo.exitCode == 2, "\(undo.allOutput)")
            #expect(undo.stderr.contains("still running on the journal"))
            #expect(!FileManager.default.fileExists(atPath: workspace.path("users.csv.journal.undo")))
            running.signal(SIGKILL)
            _ = try await running.wait(timeout: .seconds(10))
        }
    }

    @Test("a membership that was inactive before the import and that it reactivated is deactivated, not deleted")
    func reactivatedMembershipIsRestored() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.seed = EmulatorSeed(
                    users: [EmulatorSeed.User(id: "user_old_1", email: "old1@example.com", firstName: "Old1")],
                    organizations: [EmulatorSeed.Organization(id: "org_seeded_0", name: "Org 0", externalID: "org-0")],
                    memberships: [
                        EmulatorSeed.Membership(
                            id: "om_inactive", userEmail: "old1@example.com", organizationExternalID: "org-0",
                            status: "inactive")
                    ])
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", "email,first_name,org_external_id\nold1@example.com,Old1,org-0\n")
            let imported = try await emulator.run(["--csv", "users.csv", "--quiet"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            #expect(emulator.emulator.snapshot().memberships.first { $0.id == "om_inactive" }?.status == "active")
            #expect(try workspace.read("users.csv.journal").contains(#""membership":"reactivated""#))

            let undo = try await emulator.run(["undo", "--csv", "users.csv", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 0, "\(undo.allOutput)")
            #expect(undo.stderr.contains("1 memberships reactivated by the import"), "\(undo.stderr)")
            let report = try Self.json(undo)
            #expect(report["membershipsDeactivated"] as? Int == 1)
            #expect(report["membershipsDeleted"] as? Int == 0)
            let memberships = emulator.emulator.snapshot().memberships
            #expect(memberships.map(\.id) == ["om_inactive"], "the membership the import found was deleted")
            #expect(memberships.first?.status == "inactive")
            #expect(
                emulator.emulator.snapshot().counters.total(
                    "PUT /user_management/organization_memberships/{id}/deactivate") == 1)
        }
    }

    @Test("a key or address that fails the import's first read stops undo with the import's sentence, exit 2")
    func preflightBeforeAnything() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try await Self.importFile(emulator, in: workspace)
            let held = Held(emulator.emulator.snapshot())
            emulator.emulator.setFaults(
                EmulatorFaults(errorShare: 1, errorStatuses: [503], routes: ["GET /user_management/users"]))
            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--max-retries", "2"], in: workspace)
            #expect(undo.exitCode == 2, "\(undo.allOutput)")
            #expect(undo.stderr.contains("error: "), "\(undo.stderr)")
            #expect(undo.stderr.contains(emulator.emulator.baseURL), "the sentence names the address")
            #expect(!undo.stderr.contains("This undo will delete"))
            #expect(Held(emulator.emulator.snapshot()) == held)
            #expect(!FileManager.default.fileExists(atPath: workspace.path("users.csv.journal.undo")))
        }
    }

    @Test("running a finished import again keeps its journal as <journal>.1, and undo --run 1 takes that run back")
    func keptJournalOfEarlierRun() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            let before = Held(emulator.emulator.snapshot())
            try await Self.importFile(emulator, in: workspace)
            let first = try workspace.read("users.csv.journal")
            let again = try await emulator.run(Self.importArguments, in: workspace)
            #expect(again.exitCode == 0, "\(again.allOutput)")
            #expect(again.stderr.contains("kept as users.csv.journal.1"), "\(again.stderr)")
            #expect(try workspace.read("users.csv.journal.1") == first)
            #expect(try workspace.permissions("users.csv.journal.1") == 0o600)

            // The second run created nothing, so undoing it deletes nothing.
            let latest = try await emulator.run(["undo", "--csv", "users.csv", "--yes", "--json"], in: workspace)
            #expect(latest.exitCode == 0, "\(latest.allOutput)")
            #expect(try Self.json(latest)["usersDeleted"] as? Int == 0)
            let earlier = try await emulator.run(
                ["undo", "--csv", "users.csv", "--run", "1", "--yes", "--json"], in: workspace)
            #expect(earlier.exitCode == 0, "\(earlier.allOutput)")
            #expect(try Self.json(earlier)["usersDeleted"] as? Int == 4)
            #expect(Held(emulator.emulator.snapshot()) == before)
            #expect(FileManager.default.fileExists(atPath: workspace.path("users.csv.journal.1.undo")))
        }
    }

    @Test("undo without --journal or --csv says how to name the import, exit 2; --help says the same")
    func journalOrCSVNeeded() async throws {
        let workspace = try Workspace()
        let undo = try await CommandRunner.run(["undo", "--yes"], in: workspace.url)
        #expect(undo.exitCode == 2)
        #expect(undo.stderr.contains("--journal <path>") && undo.stderr.contains("--csv <path>"), "\(undo.stderr)")
        let help = try await CommandRunner.run(["undo", "--help"], in: workspace.url)
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("Default: <csv path>.journal, with --csv."), "\(help.stdout)")
    }

    @Test("a missing journal is a sentence and exit 2")
    func missingJournal() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            let undo = try await emulator.run(["undo", "--journal", "nothing.journal", "--yes"], in: workspace)
            #expect(undo.exitCode == 2)
            #expect(undo.stderr.contains("There is no import journal at nothing.journal"))
        }
    }
}
