import Foundation
import Testing
import WorkOSClient
import WorkOSEmulator

/// `plan`, `verify` and reruns without a journal, against a live emulator: a plan's counts are the import's,
/// neither plan nor verify writes anything, verify finds each kind of drift, and a rerun of a finished
/// import sends no write at all.
@Suite("Before and after: plan, verify, reruns that read", .tags(.endToEnd))
struct BeforeAndAfterTests {
    /// An environment that already holds part of the file: 200 users (every tenth with an old first name),
    /// 6 of the file's 10 organizations, active memberships for users 0-99, inactive ones for 100-109 and
    /// pending invitations for 110-114.
    static var seed: EmulatorSeed {
        EmulatorSeed(
            users: (0..<200).map {
                EmulatorSeed.User(
                    email: "user\($0)@example.com", firstName: $0.isMultiple(of: 10) ? "Old\($0)" : "First\($0)")
            },
            organizations: (0..<6).map {
                EmulatorSeed.Organization(id: "org_seeded_\($0)", name: "Org \($0)", externalID: "org-\($0)")
            },
            memberships: (0..<115).map {
                EmulatorSeed.Membership(
                    userEmail: "user\($0)@example.com", organizationExternalID: "org-\($0 % 6)",
                    roleSlugs: ["member"], status: $0 < 100 ? "active" : ($0 < 110 ? "inactive" : "pending"))
            },
            roles: [EmulatorSeed.Role(slug: "admin"), EmulatorSeed.Role(slug: "billing")])
    }

    /// 400 users on 404 rows: users 0-399 each in organization `i % 6` (so the seeded memberships are met
    /// again) or, for every fourth, in one of the 4 organizations to create; every seventh an admin, every
    /// fifth with a TOTP secret; plus an unknown role, an invalid email and a repeated email.
    static var csv: String {
        var text = "email,first_name,org_external_id,org_name,role_slugs,totp_secret\n"
        for i in 0..<400 {
            let organization = i.isMultiple(of: 4) ? 6 + (i / 4) % 4 : i % 6
            let role = i.isMultiple(of: 7) ? "admin" : "member"
            let secret = i.isMultiple(of: 5) ? IdentityFile.secret(i) : ""
            text += "user\(i)@example.com,First\(i),org-\(organization),Org \(organization),\(role),\(secret)\n"
        }
        text += "ghost@example.com,Ghost,org-1,Org 1,ghost,\n"
        text += "not-an-email,Nobody,org-1,Org 1,member,\n"
        text += "user3@example.com,First3,org-2,Org 2,billing,\n"
        return text
    }

    static func emulator() async throws -> EmulatorFixture {
        try await EmulatorFixture.start {
            $0.multipleRolesEnabled = true
            $0.seed = Self.seed
        }
    }

    /// Requests other than GET the emulator has answered.
    static func writes(_ emulator: EmulatorFixture) -> Int {
        emulator.emulator.snapshot().counters.requests.filter { !$0.key.hasPrefix("GET ") }.values
            .reduce(0) { $0 + $1.values.reduce(0, +) }
    }

    static let flags = ["--csv", "users.csv", "--if-exists", "update", "--create-org-if-missing", "--json"]

    @Test(
        "a plan writes nothing, and the import that follows does exactly what it predicted", arguments: [false, true])
    func planPredictsTheImport(survey: Bool) async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", Self.csv)
            let extra = survey ? [] : ["--no-survey"]
            let before = Self.writes(emulator)
            let planned = try await emulator.run(["plan"] + Self.flags + extra + ["--out", "plan.csv"], in: workspace)
            #expect(planned.exitCode == 1, "rows are meant to fail: \(planned.stderr)")
            #expect(Self.writes(emulator) == before, "the plan wrote to WorkOS")
            let plan = try ResilienceTests.summary(planned)
            #expect(try workspace.permissions("plan.csv") == 0o600)
            let planLines = try workspace.read("plan.csv").split(separator: "\n")
            #expect(planLines.first == "line,email,user,organization,membership,factor,changes,reason")
            #expect(planLines.count == 404, "a line for each of the 403 rows")
            #expect(
                planLines.contains {
                    $0.hasPrefix("2,user0@example.com,update,") && $0.hasSuffix(",create,enroll,first_name,")
                }, "\(planLines.prefix(3))")

            let imported = try await emulator.run(Self.flags + extra + ["--journal", "import.journal"], in: workspace)
            #expect(imported.exitCode == 1, "\(imported.stderr)")
            let summary = try ResilienceTests.summary(imported)
            #expect(plan["total"] as? Int == summary["total"] as? Int)
            #expect(plan["usersToCreate"] as? Int == summary["imported"] as? Int)
            #expect(plan["usersToUpdate"] as? Int == summary["updated"] as? Int)
            #expect(
                (plan["usersExisting"] as? Int ?? -1) + (plan["usersToUpdate"] as? Int ?? -1)
                    == summary["alreadyExisted"] as? Int)
            #expect(plan["organizationsToCreate"] as? Int == summary["organizationsCreated"] as? Int)
            #expect(plan["membershipsToCreate"] as? Int == summary["membershipsCreated"] as? Int)
            #expect(plan["membershipsToUpdate"] as? Int == summary["membershipsUpdated"] as? Int)
            #expect(plan["factorsToEnroll"] as? Int == summary["factorsEnrolled"] as? Int)
            #expect(plan["failed"] as? Int == summary["failed"] as? Int, "\(planned.stdout)")
            // The numbers themselves, so a plan and an import that agreed on nothing cannot pass.
            #expect(plan["usersToCreate"] as? Int == 200)
            #expect(plan["usersToUpdate"] as? Int == 19, "every tenth seeded user but one whose membership fails")
            #expect(plan["organizationsToCreate"] as? Int == 4)
            #expect(plan["failed"] as? Int == 6, "unknown role, invalid email, 4 pending invitations")
            #expect(plan["factorsToEnroll"] as? Int == 79)
            let reasons = (plan["failuresByReason"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
            #expect(reasons.contains { $0.contains("role") })

            // Planned again after the import: only what still cannot be done is left.
            let again = try ResilienceTests.summary(
                try await emulator.run(["plan"] + Self.flags + extra, in: workspace))
            #expect(again["usersToCreate"] as? Int == 0)
            #expect(again["usersToUpdate"] as? Int == 0)
            #expect(again["membershipsToCreate"] as? Int == 0)
            #expect(again["organizationsToCreate"] as? Int == 0)
            #expect(again["factorsToEnroll"] as? Int == 0)
        }
    }

    /// 300 users in 10 organizations, with roles and some TOTP secrets: a file that imports cleanly.
    static var cleanCSV: String {
        var text = "email,first_name,last_name,org_external_id,org_name,role_slugs,totp_secret\n"
        for i in 0..<300 {
            let secret = i.isMultiple(of: 3) ? IdentityFile.secret(i) : ""
            text +=
                "clean\(i)@example.com,First\(i),Last\(i),org-\(i % 10),Org \(i % 10),"
                + "\(i.isMultiple(of: 2) ? "admin" : "member"),\(secret)\n"
        }
        return text
    }

    @Test("verify says WorkOS holds a clean import, then names each difference made behind its back")
    func verifyFindsDrift() async throws {
        try await EmulatorFixture.scoped(try await Self.emulator()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", Self.cleanCSV)
            let flags = ["--csv", "users.csv", "--json"]
            let imported = try await emulator.run(flags + ["--create-org-if-missing"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.stderr)")

            let before = Self.writes(emulator)
            let clean = try await emulator.run(["verify"] + flags, in: workspace)
            #expect(clean.exitCode == 0, "\(clean.stdout)\(clean.stderr)")
            let verdict = try ResilienceTests.summary(clean)
            #expect(verdict["total"] as? Int == 300)
            #expect(verdict["matching"] as? Int == 300)
            #expect(verdict["drifted"] as? Int == 0)

            // Behind the import's back: a renamed user, a removed membership, changed roles, a removed factor.
            let client = WorkOSHTTPClient(baseURL: emulator.emulator.baseURL, apiKey: emulator.apiKey)
            let snapshot = emulator.emulator.snapshot()
            let userId = { (email: String) in snapshot.users.first { $0.email == email }!.id }
            _ = try await client.updateUser(id: userId("clean1@example.com"), UpdateUserRequest(firstName: "Renamed"))
            let memberships = { (email: String) in snapshot.memberships.filter { $0.userID == userId(email) } }
            try await client.deleteMembership(id: memberships("clean2@example.com")[0].id)
            _ = try await client.updateMembership(
                id: memberships("clean4@example.com")[0].id, UpdateMembershipRequest(roleSlugs: ["billing"]))
            let factor = snapshot.authFactors.first { $0.userID == userId("clean6@example.com") }!
            try await client.deleteAuthFactor(id: factor.id)
            await client.shutdown()
            let changedAt = Self.writes(emulator)

            let drifted = try await emulator.run(["verify", "--csv", "users.csv", "--out", "drift.csv"], in: workspace)
            #expect(drifted.exitCode == 1, "\(drifted.stderr)")
            #expect(
                drifted.stdout.contains(
                    "✗ line 3  clean1@example.com  first_name: expected \"First1\", found \"Renamed\""))
            let json = try ResilienceTests.summary(
                try await emulator.run(["verify"] + flags, in: workspace))
            #expect(json["drifted"] as? Int == 4)
            #expect(json["matching"] as? Int == 296)
            let byKind = json["byKind"] as? [String: Int] ?? [:]
            #expect(byKind == ["first_name": 1, "membership-missing": 1, "roles": 1, "factor-missing": 1])
            #expect(try workspace.permissions("drift.csv") == 0o600)
            let lines = try workspace.read("drift.csv").split(separator: "\n")
            #expect(lines.first == "line,email,difference,expected,found")
            #expect(lines.contains("6,clean4@example.com,roles,admin,billing"))
            #expect(lines.count == 5)
            #expect(Self.writes(emulator) == changedAt, "verify wrote to WorkOS")
            #expect(before == changedAt - 4)
        }
    }

    @Test("a plan predicts the organization --create-org-if-missing makes for the run, and creates none")
    func planPredictsRunOrganization() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(5))
            let flags = [
                "--csv", "users.csv", "--org-external-id", "acme", "--create-org-if-missing", "--org-name", "Acme",
                "--json",
            ]
            let planned = try await emulator.run(["plan"] + flags, in: workspace)
            #expect(planned.exitCode == 0, "\(planned.stderr)")
            #expect(Self.writes(emulator) == 0, "the plan wrote to WorkOS")
            #expect(!planned.stderr.contains("Created organization"), "\(planned.stderr)")
            let plan = try ResilienceTests.summary(planned)
            #expect(plan["organizationsToCreate"] as? Int == 1)
            #expect(plan["membershipsToCreate"] as? Int == 5)
            #expect(plan["usersToCreate"] as? Int == 5)

            let imported = try await emulator.run(flags, in: workspace)
            #expect(imported.exitCode == 0, "\(imported.stderr)")
            let summary = try ResilienceTests.summary(imported)
            #expect(summary["organizationsCreated"] as? Int == plan["organizationsToCreate"] as? Int)
            #expect(summary["membershipsCreated"] as? Int == 5)
            let replanned = try ResilienceTests.summary(try await emulator.run(["plan"] + flags, in: workspace))
            #expect(replanned["organizationsToCreate"] as? Int == 0, "the organization is there now")
            #expect(replanned["membershipsToCreate"] as? Int == 0)
        }
    }

    @Test("a rerun without the journal of a finished import into one organization sends no write")
    func rerunWithoutJournalSendsNoWrite() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2_000))
            let flags = [
                "--csv", "users.csv", "--org-external-id", "acme", "--create-org-if-missing", "--org-name", "Acme",
                "--json",
            ]
            let first = try await emulator.run(flags + ["--journal", "first.journal"], in: workspace)
            #expect(first.exitCode == 0, "\(first.stderr)")
            let afterImport = Self.writes(emulator)
            #expect(afterImport == 4_001, "2,000 users, 2,000 memberships and the organization")

            let rerun = try await emulator.run(flags + ["--journal", "second.journal"], in: workspace)
            #expect(rerun.exitCode == 0, "\(rerun.stderr)")
            let summary = try ResilienceTests.summary(rerun)
            #expect(summary["imported"] as? Int == 0)
            #expect(summary["alreadyExisted"] as? Int == 2_000)
            #expect(summary["membershipsCreated"] as? Int == 0)
            #expect(Self.writes(emulator) == afterImport, "the rerun wrote to WorkOS")
            let pages = emulator.emulator.snapshot().counters.requests
                .filter { $0.key.hasPrefix("GET /user_management/") }.values.reduce(0) { $0 + $1.values.reduce(0, +) }
            #expect(pages < 100, "read page by page, not user by user: \(pages) reads")
        }
    }

    @Test("plan and verify refuse the import's journal and dry-run flags, and a missing file, with exit 2")
    func refusals() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            for command in ["plan", "verify"] {
                let journal = try await emulator.run([command, "--csv", "users.csv", "--journal", "j"], in: workspace)
                #expect(journal.exitCode == 2)
                #expect(journal.stderr.contains("\(command) keeps no journal"), "\(journal.stderr)")
                let dry = try await emulator.run([command, "--csv", "users.csv", "--dry-run"], in: workspace)
                #expect(dry.exitCode == 2)
                #expect(dry.stderr.contains("drop --dry-run"), "\(dry.stderr)")
                let missing = try await emulator.run([command, "--csv", "nowhere.csv"], in: workspace)
                #expect(missing.exitCode == 2)
                #expect(missing.allOutput.contains("nowhere.csv"), "\(missing.allOutput)")
                let same = try await emulator.run([command, "--csv", "users.csv", "--out", "users.csv"], in: workspace)
                #expect(same.exitCode == 2)
            }
            #expect(Self.writes(emulator) == 0)
        }
    }
}
