import Foundation
import Testing
import WorkOSEmulator

@Suite("Nothing lost, nothing created twice", .tags(.endToEnd))
struct ResilienceTests {
    /// Checks the emulator holds exactly one user per email of `count` generated rows, each in the org once.
    static func expectExactState(_ emulator: EmulatorFixture, count: Int, organization: Bool) throws {
        let snapshot = emulator.emulator.snapshot()
        let emails = snapshot.users.map { $0.email.lowercased() }
        #expect(emails.count == count)
        #expect(Set(emails).count == emails.count)
        #expect(Set(emails) == Set((1...count).map { "user\($0)@example.com" }))
        if organization {
            let pairs = snapshot.memberships.map { "\($0.userID)|\($0.organizationID)" }
            #expect(pairs.count == count)
            #expect(Set(pairs).count == pairs.count)
            #expect(Set(snapshot.memberships.map(\.userID)) == Set(snapshot.users.map(\.id)))
        }
    }

    static func summary(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("5xx answers are retried until every row is in")
    func retriesServerErrors() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(errorShare: 0.3) }
        ) {
            emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(40))
            // A 30 % fault rate also hits the look-ups that settle an unclear create, and each failed step spends a
            // retry; 20 retries make running out (about 0.3^21 per row) a non-event rather than a 1-in-250 flake.
            let result = try await emulator.run(
                ["--csv", "users.csv", "--json", "--rate-limit", "off", "--max-retries", "20"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(try Self.summary(result)["imported"] as? Int == 40)
            try Self.expectExactState(emulator, count: 40, organization: false)
            #expect(emulator.emulator.snapshot().counters.faults.values.reduce(0, +) > 0)
        }
    }

    @Test("--concurrency bounds the requests in flight")
    func concurrencyBound() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 30) }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(30))
            let result = try await emulator.run(
                ["--csv", "users.csv", "--quiet", "--rate-limit", "off", "--concurrency", "3"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let maxInFlight = emulator.emulator.snapshot().counters.maxInFlight
            #expect(maxInFlight <= 3)
            #expect(maxInFlight >= 2)
        }
    }

    @Test("429 answers pause the run and every row still gets in")
    func rateLimited() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.rateLimits = EmulatorRateLimits(writes: 4, reads: 100, window: 2)
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(16))
            // Eight creates go out together against a window of four, however slow the machine: some are
            // answered 429, whatever the timing.
            let result = try await emulator.run(
                ["--csv", "users.csv", "--json", "--rate-limit", "100", "--concurrency", "8", "--fixed-concurrency"],
                in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(try Self.summary(result)["imported"] as? Int == 16)
            #expect(emulator.emulator.snapshot().counters.rateLimited > 0)
            try Self.expectExactState(emulator, count: 16, organization: false)
        }
    }

    @Test("running a finished import again creates nothing and reports every row as already existed")
    func rerunFinished() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(12))
            let arguments = [
                "--csv", "users.csv", "--json", "--rate-limit", "off", "--org-external-id", "acme",
                "--create-org-if-missing", "--org-name", "Acme",
            ]
            let first = try await emulator.run(arguments, in: workspace)
            #expect(first.exitCode == 0, "\(first.allOutput)")
            let second = try await emulator.run(arguments, in: workspace)
            #expect(second.exitCode == 0, "\(second.allOutput)")
            let summary = try Self.summary(second)
            #expect(summary["alreadyExisted"] as? Int == 12)
            #expect(summary["imported"] as? Int == 0)
            #expect(summary["membershipsCreated"] as? Int == 0)
            try Self.expectExactState(emulator, count: 12, organization: true)
        }
    }

    @Test("Ctrl-C stops after the rows in flight, exits 130 with counts that add up, and the next run finishes")
    func interruptAndResume() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(200))
            // 10 writes a second in windows of 1 s: the 200 rows take 20 s, so the signal lands mid-run even
            // when a loaded machine delays it by seconds (a 10 s window would let them all go at once).
            let arguments = [
                "--csv", "users.csv", "--rate-limit", "10", "--rate-window", "1", "--errors-out", "errors.csv",
            ]
            let running = try CommandRunner.start(
                arguments + ["--json"], in: workspace.url, environment: emulator.environment)
            try await waitUntil("20 users to be imported") { emulator.emulator.snapshot().users.count >= 20 }
            running.signal(SIGINT)
            let interrupted = try await running.wait()
            #expect(interrupted.exitCode == 130, "\(interrupted.allOutput)")
            let summary = try Self.summary(interrupted)
            let imported = try #require(summary["imported"] as? Int)
            let notAttempted = try #require(summary["notAttempted"] as? Int)
            #expect(summary["total"] as? Int == 200)
            #expect(
                imported + notAttempted + (summary["failed"] as? Int ?? -1) + (summary["alreadyExisted"] as? Int ?? -1)
                    == 200)
            #expect(notAttempted > 0)
            #expect(imported == emulator.emulator.snapshot().users.count)
            let endLine = try #require(try workspace.read("users.csv.journal").split(separator: "\n").last)
            let end = try #require(try JSONSerialization.jsonObject(with: Data(endLine.utf8)) as? [String: Any])
            #expect(end["complete"] as? Bool == false)
            let counts = try #require(end["counts"] as? [String: Int])
            #expect(counts["total"] == 200)
            #expect(counts["notAttempted"] == notAttempted)
            #expect(
                counts["imported"]! + counts["alreadyExisted"]! + counts["failed"]! + counts["notAttempted"]! == 200)

            let resumed = try await emulator.run(arguments + ["--json", "--rate-limit", "off"], in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
            #expect(resumed.stderr.contains("Resuming"))
            let final = try Self.summary(resumed)
            #expect(final["total"] as? Int == 200)
            #expect(final["imported"] as? Int == 200)
            #expect(final["notAttempted"] as? Int == 0)
            try Self.expectExactState(emulator, count: 200, organization: false)
        }
    }

    @Test("a journal that does not match the CSV is refused, and --restart starts over")
    func changedFileRefused() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(100))
            let running = try CommandRunner.start(
                ["--csv", "users.csv", "--rate-limit", "50"], in: workspace.url, environment: emulator.environment)
            try await waitUntil("5 users to be imported") { emulator.emulator.snapshot().users.count >= 5 }
            running.signal(SIGKILL)
            _ = try await running.wait()
            try workspace.write("users.csv", CSVText.users(101))
            let refused = try await emulator.run(["--csv", "users.csv"], in: workspace)
            #expect(refused.exitCode == 2)
            #expect(refused.stderr.contains("--restart"))
            let restarted = try await emulator.run(
                ["--csv", "users.csv", "--restart", "--quiet", "--rate-limit", "off"], in: workspace)
            #expect(restarted.exitCode == 0, "\(restarted.allOutput)")
            try Self.expectExactState(emulator, count: 101, organization: false)
        }
    }
}
