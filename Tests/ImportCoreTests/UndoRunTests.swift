import Foundation
import ImportCoreTestSupport
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
