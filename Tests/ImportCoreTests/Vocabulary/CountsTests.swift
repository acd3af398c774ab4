import Foundation
import Testing

@testable import ImportCore

@Suite("Counts: one set of counts, in the words of what happened or what would")
struct CountsTests {
    static let sample: Counts = {
        var counts = Counts()
        counts.total = 20
        counts.created = 9
        counts.existing = 4
        counts.updated = 2
        counts.failed = 3
        counts.notAttempted = 2
        counts.membershipsCreated = 7
        counts.membershipsExisting = 5
        counts.membershipsUpdated = 1
        counts.organizationsCreated = 2
        counts.factorsEnrolled = 6
        return counts
    }()

    @Test(
        "each tense writes its published keys with the right values",
        arguments: [
            (
                Counts.Tense.happened,
                [
                    "total": 20, "imported": 9, "alreadyExisted": 6, "updated": 2, "failed": 3, "notAttempted": 2,
                    "membershipsCreated": 7, "membershipsUpdated": 1, "organizationsCreated": 2, "factorsEnrolled": 6,
                ]
            ),
            (
                .planned,
                [
                    "total": 20, "usersToCreate": 9, "usersExisting": 4, "usersToUpdate": 2, "failed": 3,
                    "notAttempted": 2, "membershipsToCreate": 7, "membershipsExisting": 5, "membershipsToUpdate": 1,
                    "organizationsToCreate": 2, "factorsToEnroll": 6,
                ]
            ),
            (
                .checked,
                [
                    "total": 20, "usersToCreate": 9, "repeatedEmails": 4, "membershipsToCreate": 7,
                    "factorsToEnroll": 6, "failed": 3,
                ]
            ),
        ])
    func keys(tense: Counts.Tense, expected: [String: Int]) {
        let fields = Self.sample.fields(tense)
        #expect(Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.value) }) == expected)
        #expect(fields.count == expected.count, "a key is written twice")
    }

    @Test("the journal's end line round-trips, and one written before most counts existed reads them as zero")
    func journalLine() throws {
        var sample = Self.sample
        sample.membershipsExisting = 0  // not a count the import publishes
        let encoded = try DeterministicJSON.makeEncoder().encode(sample)
        #expect(try JSONDecoder().decode(Counts.self, from: encoded) == sample)

        let old = #"{"alreadyExisted":1,"failed":1,"imported":2,"notAttempted":0,"total":4}"#
        let counts = try JSONDecoder().decode(Counts.self, from: Data(old.utf8))
        #expect(counts.created == 2 && counts.existing == 1 && counts.updated == 0 && counts.failed == 1)
        #expect(counts.membershipsCreated == 0 && counts.factorsEnrolled == 0)
        #expect(counts.addUp)
    }

    @Test(
        "a row counts its user, membership and factor; a count taken back leaves nothing",
        arguments: [
            // The users as [created, existing, updated, failed].
            (UserOutcome.imported, MembershipOutcome.created, FactorOutcome.enrolled, [1, 0, 0, 0]),
            (.existed, .reactivated, .none, [0, 1, 0, 0]),
            (.updated, .rolesUpdated, .none, [0, 0, 1, 0]),
            (.failed, .none, .none, [0, 0, 0, 1]),
        ])
    func rowCounts(outcome: UserOutcome, membership: MembershipOutcome, factor: FactorOutcome, users: [Int]) {
        var counts = Counts()
        counts.count(outcome)
        counts.count(membership)
        counts.count(factor)
        #expect([counts.created, counts.existing, counts.updated, counts.failed] == users)
        #expect(counts.succeeded + counts.failed == 1)
        #expect(counts.membershipsCreated == (membership == .created || membership == .reactivated ? 1 : 0))
        #expect(counts.membershipsUpdated == (membership == .rolesUpdated ? 1 : 0))
        #expect(counts.factorsEnrolled == (factor == .enrolled ? 1 : 0))
        counts.count(outcome, sign: -1)
        counts.count(membership, sign: -1)
        counts.count(factor, sign: -1)
        #expect(counts == Counts())
    }
}
