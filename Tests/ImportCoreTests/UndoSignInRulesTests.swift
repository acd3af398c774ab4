import Foundation
import Testing

@testable import ImportCore

@Suite("Undo: who signed in since the import")
struct UndoSignInRulesTests {
    static let plan = UndoPlan(
        runId: "run-1", users: [], memberships: [], factors: [], organizations: [],
        lastRecordedAt: Date(timeIntervalSince1970: 1_767_225_610))  // 2026-01-01T00:00:10Z

    @Test(
        "a sign-in no earlier than the user's creation counts; none, or an unreadable time, does not",
        arguments: [
            ("2026-01-01T00:00:20.000Z", true), ("2026-01-01T00:00:05.000Z", true),
            ("2026-01-01T00:00:04.999Z", false), (nil, false), ("soon", false),
        ] as [(String?, Bool)])
    func signedIn(lastSignInAt: String?, expected: Bool) {
        #expect(Self.plan.signedIn(createdAt: "2026-01-01T00:00:05.000Z", lastSignInAt: lastSignInAt) == expected)
    }

    @Test("an updated_at the sign-in moved is the sign-in's own change; a later one is someone else's")
    func changedOnlyBySignIn() {
        // Created at 5 s, signed in (and touched) at 20 s: changed after the journal's end, but only by the sign-in.
        #expect(Self.plan.wasChanged(createdAt: "2026-01-01T00:00:05.000Z", updatedAt: "2026-01-01T00:00:20.000Z"))
        #expect(
            Self.plan.changedOnlyBySignIn(
                updatedAt: "2026-01-01T00:00:20.000Z", lastSignInAt: "2026-01-01T00:00:20.000Z"))
        #expect(
            !Self.plan.changedOnlyBySignIn(
                updatedAt: "2026-01-01T00:00:21.000Z", lastSignInAt: "2026-01-01T00:00:20.000Z"))
        #expect(!Self.plan.changedOnlyBySignIn(updatedAt: "2026-01-01T00:00:21.000Z", lastSignInAt: nil))
    }
}
