import Foundation
import ImportCoreTestSupport
import Synchronization
import Testing
import WorkOSClient

@testable import ImportCore

@Suite("Undo run against a scripted WorkOS")
struct UndoRunTests {
    static func runner() -> RequestRunner {
        RequestRunner(
            pacer: RequestPacer(rates: .off, clock: .immediate), policy: RetryPolicy(maxRetries: 2), clock: .immediate)
    }

    static let plan = UndoPlan(
        runId: "run-1", users: ["user_a", "user_gone"],
        memberships: [UndoPlan.Membership(id: "om_1", userId: "user_old", organizationId: "org_1")],
        factors: [UndoPlan.Factor(id: "auth_factor_1", userId: "user_old")],
        organizations: [UndoPlan.Organization(id: "org_new", externalId: "new")],
        lastRecordedAt: Date(timeIntervalSince1970: 1_772_366_400))

    @Test("a 404 on a delete counts as deleted; each deletion is journaled once, and a second run sends none")
    func notFoundIsDeletedAndRerunSendsNothing() async throws {
        let scratch = try JournalScratch()
        let path = scratch.path("users.csv.journal.undo")
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in
                throw .transport(message: "unused", requestMayHaveBeenProcessed: false)
            },
            deleteUser: { id throws(WorkOSClientError) in
                if id == "user_gone" { throw .api(WorkOSAPIError(status: 404, message: "User not found")) }
            })
        do {
            let journal = try UndoJournal.open(path: path, runId: "run-1", now: Date())
            let report = await UndoRun(
                plan: Self.plan, journal: journal, api: api, runner: Self.runner(), concurrency: 2
            )
            .run()
            #expect(report.usersDeleted == 2)
            #expect(report.membershipsDeleted == 1)
            #expect(report.factorsDeleted == 1)
            #expect(report.organizationsDeleted == 1)
            #expect(report.isComplete)
            journal.close()
        }
        let lines = try scratch.read(path).split(separator: "\n")
        #expect(lines.count == 1 + 5)
        #expect(lines.first?.contains(#""runId":"run-1""#) == true)
        let sent = api.log.count

        let journal = try UndoJournal.open(path: path, runId: "run-1", now: Date())
        #expect(journal.done.count == 5)
        let again = await UndoRun(plan: Self.plan, journal: journal, api: api, runner: Self.runner(), concurrency: 2)
            .run()
        #expect(again.usersDeleted + again.membershipsDeleted + again.factorsDeleted + again.organizationsDeleted == 0)
        #expect(again.alreadyDeleted == 5)
        #expect(api.log.count == sent)
    }

    @Test("an organization with a member left is not deleted, and says why")
    func organizationWithMembersIsLeft() async throws {
        let scratch = try JournalScratch()
        let api = ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in
                throw .transport(message: "unused", requestMayHaveBeenProcessed: false)
            },
            listMemberships: {
                [WorkOSMembership(id: "om_other", userId: "user_other", organizationId: "org_new", status: "active")]
            })
        let journal = try UndoJournal.open(path: scratch.path("u.undo"), runId: "run-1", now: Date())
        let report = await UndoRun(plan: Self.plan, journal: journal, api: api, runner: Self.runner(), concurrency: 1)
            .run()
        #expect(report.organizationsDeleted == 0)
        #expect(
            report.left == [
                .init(
                    kind: .organization, id: "org_new",
                    reason: "it still holds 1 member the import did not add (e.g. user user_other)")
            ])
        #expect(!api.log.contains("deleteOrganization"))
        #expect(report.json.contains(#""status":"incomplete""#))
    }

    static func api() -> ScriptedAPI {
        ScriptedAPI(createUser: { _, _ throws(WorkOSClientError) in
            throw .transport(message: "unused", requestMayHaveBeenProcessed: false)
        })
    }

    static func factorOnly(_ factor: UndoPlan.Factor) -> UndoPlan {
        UndoPlan(
            runId: "run-1", users: [], memberships: [], factors: [factor], organizations: [],
            lastRecordedAt: Date(timeIntervalSince1970: 1_772_366_400))
    }

    /// How a factor's deletion is decided from the user's factor list and the delete's answer.
    struct FactorCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// The user's list: nil answers 404 (no such user).
        var listed: [String]?
        /// The delete answers 404.
        var deleteNotFound: Bool
        var deleted: Bool
        var deleteSent: Bool
        var testDescription: String { name }
    }

    @Test(
        "a factor counts as gone only when its user is there and the user's list lacks it; a 404 alone never does",
        arguments: [
            FactorCase(
                name: "listed, deleted", listed: ["auth_factor_1"], deleteNotFound: false, deleted: true,
                deleteSent: true),
            FactorCase(
                name: "listed, but the delete answers 404", listed: ["auth_factor_1"], deleteNotFound: true,
                deleted: false, deleteSent: true),
            FactorCase(
                name: "not listed: already gone", listed: ["auth_factor_9"], deleteNotFound: true, deleted: true,
                deleteSent: false),
            FactorCase(
                name: "the user answers 404", listed: nil, deleteNotFound: true, deleted: false, deleteSent: false),
        ])
    func factorGoneOnlyWhenConfirmed(_ example: FactorCase) async throws {
        let scratch = try JournalScratch()
        let api = Self.api()
        let listed = example.listed
        let notFound = example.deleteNotFound
        api.factors.withLock {
            $0.list = { userId throws(WorkOSClientError) in
                guard let listed else { throw .api(WorkOSAPIError(status: 404, message: "User not found")) }
                return listed.map { WorkOSAuthFactor(id: $0, type: "totp", userId: userId) }
            }
            $0.delete = { _ throws(WorkOSClientError) in
                if notFound { throw .api(WorkOSAPIError(status: 404, message: "Not Found")) }
            }
        }
        let journal = try UndoJournal.open(path: scratch.path("u.undo"), runId: "run-1", now: Date())
        let report = await UndoRun(
            plan: Self.factorOnly(UndoPlan.Factor(id: "auth_factor_1", userId: "user_old")), journal: journal,
            api: api, runner: Self.runner(), concurrency: 1
        ).run()
        journal.close()
        #expect(report.factorsDeleted == (example.deleted ? 1 : 0))
        #expect(report.isComplete == example.deleted)
        #expect(api.log.contains("deleteAuthFactor") == example.deleteSent)
        let text = try scratch.read(scratch.path("u.undo"))
        #expect(text.contains(#""kind":"factor""#) == example.deleted, "journaled as deleted only when confirmed")
        if !example.deleted { #expect(report.left.first?.kind == .factor) }
    }

    @Test("a membership the import reactivated is deactivated, not deleted, and journaled as such")
    func reactivatedMembershipIsDeactivated() async throws {
        let scratch = try JournalScratch()
        let api = Self.api()
        let plan = UndoPlan(
            runId: "run-1", users: [],
            memberships: [
                UndoPlan.Membership(id: "om_new", userId: "user_old", organizationId: "org_1"),
                UndoPlan.Membership(id: "om_back", userId: "user_old", organizationId: "org_2", reactivated: true),
            ], factors: [], organizations: [], lastRecordedAt: Date(timeIntervalSince1970: 1_772_366_400))
        let path = scratch.path("u.undo")
        let journal = try UndoJournal.open(path: path, runId: "run-1", now: Date())
        let report = await UndoRun(plan: plan, journal: journal, api: api, runner: Self.runner(), concurrency: 1).run()
        journal.close()
        #expect(report.membershipsDeleted == 1)
        #expect(report.membershipsDeactivated == 1)
        #expect(api.log.filter { $0 == "deleteMembership" }.count == 1)
        #expect(api.log.filter { $0 == "deactivateMembership" }.count == 1)
        let text = try scratch.read(path)
        #expect(text.contains(#"{"id":"om_back","kind":"membership","type":"deactivated"}"#))
        #expect(text.contains(#"{"id":"om_new","kind":"membership","type":"deleted"}"#))
        #expect(report.json.contains(#""membershipsDeactivated":1"#))
        let preview = UndoPreview(plan: plan, done: [])
        #expect(preview.memberships == ["om_new"])
        #expect(preview.reactivatedMemberships == ["om_back"])
        #expect(preview.text.contains("reactivated"))

        let again = try UndoJournal.open(path: path, runId: "run-1", now: Date())
        #expect(again.done.contains(UndoItem(kind: .membership, id: "om_back")))
        again.close()
    }

    @Test("after a stop, no new deletion starts: the rest is counted as not attempted and the status says so")
    func stopStartsNothingNew() async throws {
        let scratch = try JournalScratch()
        let api = Self.api()
        let stop = StopSignal()
        stop.request()
        let journal = try UndoJournal.open(path: scratch.path("u.undo"), runId: "run-1", now: Date())
        let report = await UndoRun(
            plan: Self.plan, journal: journal, api: api, runner: Self.runner(), concurrency: 2, stop: stop
        ).run()
        journal.close()
        #expect(api.log.isEmpty)
        #expect(report.interrupted)
        #expect(report.notAttempted == 5)
        #expect(!report.isComplete)
        #expect(report.json.contains(#""status":"interrupted""#))
        #expect(report.text.contains("Interrupted: 5 deletions not attempted"))
        #expect(!report.text.contains("Everything this import created is gone"))
    }

    @Test("an undo is refused for another environment, or a journal that does not record one")
    func environmentChecked() throws {
        let recorded = JournalEnvironment(baseURL: "https://api.workos.com", apiKey: "sk_live_a")
        try UndoPlan.checkEnvironment(
            recorded, against: JournalEnvironment(baseURL: "HTTPS://api.workos.com/", apiKey: "sk_live_a"),
            journalPath: "j")
        #expect(throws: UndoError.self) {
            try UndoPlan.checkEnvironment(
                recorded, against: JournalEnvironment(baseURL: "https://api.workos.com", apiKey: "sk_test_b"),
                journalPath: "j")
        }
        #expect(throws: UndoError.environmentUnknown(journalPath: "j")) {
            try UndoPlan.checkEnvironment(nil, against: recorded, journalPath: "j")
        }
        let plan = try #require(
            UndoPlan.make([.header(JournalFixtures.header(runId: "run-1"), version: 1)]))
        #expect(plan.environment == JournalFixtures.header(runId: "run-1").environment)
    }

    @Test("an undo journal of another import is refused")
    func otherImportsJournal() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("u.undo")
        _ = try UndoJournal.open(path: path, runId: "run-1", now: Date())
        #expect(throws: UndoError.undoJournalOfAnotherImport(path: path, runId: "run-1")) {
            try UndoJournal.open(path: path, runId: "run-2", now: Date())
        }
    }
}
