import Foundation
import Testing

@testable import ImportCore

@Suite("Undo plan from journal lines")
struct UndoPlanTests {
    static let header = JournalLine.header(JournalFixtures.header(runId: "run-1"), version: 1)
    static let end = Date(timeIntervalSince1970: 1_772_370_000)

    static func plan(_ lines: [JournalLine]) throws -> UndoPlan {
        try #require(UndoPlan.make([header] + lines))
    }

    @Test("a created user is deleted with its memberships and factor; a user that existed or was updated is not")
    func usersByOutcome() throws {
        let plan = try Self.plan([
            .row(
                JournalEntry(
                    record: 1, outcome: .imported, userId: "user_new", membership: .created, organizationId: "org_a",
                    membershipId: "om_new", factor: .enrolled, factorId: "auth_factor_new")),
            .row(JournalEntry(record: 2, outcome: .existed, userId: "user_old")),
            .row(JournalEntry(record: 3, outcome: .updated, userId: "user_upd")),
            .row(
                JournalEntry(
                    record: 4, outcome: .existed, userId: "user_new", membership: .created, organizationId: "org_b",
                    membershipId: "om_new_b")),
        ])
        #expect(plan.users == ["user_new"])
        #expect(plan.memberships.isEmpty)
        #expect(plan.factors.isEmpty)
        #expect(plan.runId == "run-1")
    }

    @Test("memberships created or reactivated and factors enrolled for users that existed are listed; found ones not")
    func effectsOnExistingUsers() throws {
        let plan = try Self.plan([
            .row(
                JournalEntry(
                    record: 1, outcome: .existed, userId: "user_a", membership: .created, organizationId: "org_a",
                    membershipId: "om_a", factor: .enrolled, factorId: "auth_factor_a")),
            .row(
                JournalEntry(
                    record: 2, outcome: .updated, userId: "user_b", membership: .reactivated, organizationId: "org_a",
                    membershipId: "om_b", factor: .existing)),
            .row(
                JournalEntry(
                    record: 3, outcome: .existed, userId: "user_c", membership: .existing, organizationId: "org_a")),
            .row(
                JournalEntry(
                    record: 4, outcome: .existed, userId: "user_d", membership: .rolesUpdated, organizationId: "org_a",
                    membershipId: "om_d")),
        ])
        #expect(plan.users.isEmpty)
        #expect(plan.memberships.map(\.id) == ["om_a", "om_b"])
        // om_b was inactive before the import: it is deactivated again, not deleted.
        #expect(plan.createdMemberships.map(\.id) == ["om_a"])
        #expect(plan.reactivatedMemberships.map(\.id) == ["om_b"])
        #expect(plan.factors.map(\.id) == ["auth_factor_a"])
    }

    @Test("a failed row's effects count: the user it made, the membership and factor it added")
    func failedRowEffects() throws {
        let plan = try Self.plan([
            .row(
                JournalEntry(
                    record: 1, outcome: .failed, userId: "user_made", membership: .created, organizationId: "org_a",
                    membershipId: "om_made", line: 2, reason: "the TOTP factor failed", userCreated: true)),
            .row(
                JournalEntry(
                    record: 2, outcome: .failed, userId: "user_there", membership: .created, organizationId: "org_a",
                    membershipId: "om_there", line: 3, reason: "the TOTP factor failed")),
            .row(JournalEntry(record: 3, outcome: .failed, line: 4, reason: "email is invalid")),
        ])
        #expect(plan.users == ["user_made"])
        #expect(plan.memberships.map(\.id) == ["om_there"])
    }

    @Test("organizations come from organization lines, each once; the last recorded time is the latest line's")
    func organizationsAndTime() throws {
        let plan = try Self.plan([
            .organizationSent(externalId: "acme"),
            .organizationCreated(id: "org_acme", externalId: "acme"),
            .resume(at: Self.end.addingTimeInterval(-60)),
            .organizationCreated(id: "org_acme", externalId: "acme"),
            .organizationCreated(id: "org_beta", externalId: "beta"),
            .end(at: Self.end, complete: true, counts: nil),
        ])
        #expect(plan.organizations.map(\.id) == ["org_acme", "org_beta"])
        #expect(plan.lastRecordedAt == Self.end)
    }

    @Test("an organization-missing line forgets the organizations journaled for that external id before it")
    func missingOrganization() throws {
        let plan = try Self.plan([
            .organizationSent(externalId: "acme"),
            .organizationCreated(id: "org_old", externalId: "acme"),
            .organizationCreated(id: "org_beta", externalId: "beta"),
            .organizationMissing(externalId: "acme"),
            .organizationSent(externalId: "acme"),
            .organizationCreated(id: "org_new", externalId: "acme"),
        ])
        #expect(plan.organizations.map(\.id) == ["org_beta", "org_new"])
    }

    @Test("a user created on a later line than another row's membership of it still takes that membership")
    func laterCreation() throws {
        let plan = try Self.plan([
            .row(
                JournalEntry(
                    record: 2, outcome: .existed, userId: "user_x", membership: .created, organizationId: "org_a",
                    membershipId: "om_x")),
            .row(JournalEntry(record: 1, outcome: .imported, userId: "user_x")),
        ])
        #expect(plan.users == ["user_x"])
        #expect(plan.memberships.isEmpty)
    }

    @Test("no header, no plan")
    func noHeader() {
        #expect(UndoPlan.make([JournalLine.row(JournalEntry(record: 1, outcome: .imported, userId: "u"))]) == nil)
    }

    @Test(
        "a created user counts as changed only when updated_at is later than both its created_at and the journal",
        arguments: [
            ("2026-03-01T13:00:00.000Z", "2026-03-01T13:00:00.000Z", false),
            ("2026-03-01T11:00:00.000Z", "2026-03-01T11:30:00.000Z", false),
            ("2026-03-01T11:00:00.000Z", "2026-03-01T13:00:00.000Z", true),
            ("2026-03-01T13:00:00.000Z", "2026-03-01T13:00:00.001Z", true),
        ])
    func changedRule(createdAt: String, updatedAt: String, changed: Bool) throws {
        // The journal's last time: 2026-03-01T12:00:00Z.
        let plan = try Self.plan([.end(at: Date(timeIntervalSince1970: 1_772_366_400), complete: true, counts: nil)])
        #expect(plan.wasChanged(createdAt: createdAt, updatedAt: updatedAt) == changed)
    }

    @Test("a failed row's userCreated mark round-trips through the journal's fast and full readers")
    func userCreatedRoundTrip() throws {
        let entry = JournalEntry(
            record: 7, outcome: .failed, userId: "user_1", membership: .created, organizationId: "org_1",
            membershipId: "om_1", line: 8, reason: "x", userCreated: true)
        let data = try JournalLine.makeEncoder().encode(JournalLine.row(entry))
        #expect(String(decoding: data, as: UTF8.self).hasSuffix(#","user":"user_1","userCreated":true}"#))
        #expect(JournalLine.fastRow([UInt8](data)[...]) == entry)
        #expect(try JournalLine.makeDecoder().decode(JournalLine.self, from: data) == .row(entry))
    }
}
