import Foundation
import Testing
import WorkOSEmulator

/// Undo and sign-ins: a user the import created who has signed in since is someone using the account, so
/// the preview counts them and the undo keeps them unless `--include-signed-in`.
@Suite("undo: users who signed in since the import", .tags(.endToEnd))
struct UndoSignedInTests {
    @Test("the preview counts users who signed in; undo keeps them and lists why; --include-signed-in deletes them")
    func signedInUsersAreKept() async throws {
        try await EmulatorFixture.scoped(try await UndoTests.emulator()) { emulator in
            let workspace = try Workspace()
            let before = UndoTests.Held(emulator.emulator.snapshot())
            try await UndoTests.importFile(emulator, in: workspace)
            let signedIn = try #require(emulator.emulator.snapshot().users.first { $0.email == "new1@example.com" })
            try emulator.emulator.signIn(user: "new1@example.com")

            let undo = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json"], in: workspace)
            #expect(undo.exitCode == 1, "\(undo.stdout)\n\(undo.stderr)")
            #expect(
                undo.stderr.contains(
                    "  1 of them signed in since the import, kept and listed (add --include-signed-in to delete them "
                        + "too) (\(signedIn.id))"), "\(undo.stderr)")
            let report = try UndoTests.json(undo)
            #expect(report["usersDeleted"] as? Int == 3)
            let left = try #require(report["left"] as? [[String: Any]])
            let user = try #require(left.first { $0["kind"] as? String == "user" }, "\(left)")
            #expect(user["id"] as? String == signedIn.id)
            #expect((user["reason"] as? String)?.contains("signed in since the import (last_sign_in_at ") == true)
            // new1 is still a member of the organization the import created for it, so that stays too.
            #expect(left.contains { $0["kind"] as? String == "organization" }, "\(left)")
            #expect(emulator.emulator.snapshot().users.contains { $0.id == signedIn.id })

            let all = try await emulator.run(
                ["undo", "--journal", "users.csv.journal", "--yes", "--json", "--include-signed-in"], in: workspace)
            #expect(all.exitCode == 0, "\(all.stdout)\n\(all.stderr)")
            #expect(all.stderr.contains("1 of them signed in since the import, deleted too (--include-signed-in)"))
            let second = try UndoTests.json(all)
            #expect(second["usersDeleted"] as? Int == 1)
            #expect(second["status"] as? String == "complete")
            #expect(UndoTests.Held(emulator.emulator.snapshot()) == before)
        }
    }
}
