import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSEmulator

/// Every subcommand that works for more than a moment stops the same way on SIGINT, SIGTERM and SIGHUP:
/// no new work after the signal (only what was in flight), its journal closed, its summary printed, exit
/// 130, and a rerun that finishes with nothing done twice.
///
/// One table for every such command: a command added later (`convert`, an export) is one more case of
/// ``LongCommand`` with its own preparation, start condition and rerun check.
@Suite("Stopping any long command", .tags(.endToEnd))
struct StopSignalTests {
    /// The rows of each file: enough that a slowed run is still at work when the signal comes.
    static let rows = 150

    /// A command run long enough to be stopped, with what it needs before and checks after.
    enum LongCommand: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case importRun = "import"
        case plan
        case verify
        case undo
        case export

        var testDescription: String { rawValue }

        /// Writes the file (and for undo, imports it first), then slows the emulator.
        func prepare(_ emulator: EmulatorFixture, in workspace: borrowing Workspace) async throws {
            try workspace.write("users.csv", CSVText.users(StopSignalTests.rows))
            if self == .undo || self == .export {
                let imported = try await emulator.run(
                    ["--csv", "users.csv", "--quiet", "--rate-limit", "off"], in: workspace)
                #expect(imported.exitCode == 0, "\(imported.allOutput)")
            }
            // An export reads a page of 100 users a request, so each must be slow for it to be stopped mid-way.
            emulator.emulator.setFaults(EmulatorFaults(latencyMilliseconds: self == .export ? 1_000 : 25))
        }

        /// The command line: two at a time, paced, so it runs for seconds.
        var arguments: [String] {
            switch self {
            case .importRun:
                return [
                    "--csv", "users.csv", "--json", "--concurrency", "2", "--fixed-concurrency", "--rate-limit", "20",
                ]
            case .plan, .verify:
                return [
                    rawValue, "--csv", "users.csv", "--json", "--no-survey", "--concurrency", "2", "--read-rate-limit",
                    "20",
                ]
            case .undo:
                return ["undo", "--csv", "users.csv", "--yes", "--json", "--concurrency", "2"]
            case .export:
                return ["export", "--out", "export.csv", "--json"]
            }
        }

        /// The same command, unpaced, for the rerun.
        var rerunArguments: [String] {
            switch self {
            case .importRun: return ["--csv", "users.csv", "--json", "--rate-limit", "off"]
            case .plan, .verify:
                return [rawValue, "--csv", "users.csv", "--json", "--no-survey", "--read-rate-limit", "off"]
            case .undo, .export: return arguments
            }
        }

        /// The most requests the work in flight at the signal may still send: twice the rows (or deletions)
        /// in flight times the requests each makes, for what starts while the signal is being delivered.
        /// Verify checks 16 rows at once, whatever --concurrency says; the rest of the file is far more.
        var inFlightBound: Int {
            switch self {
            case .importRun, .plan: return 2 * 2 * 3
            case .verify: return 2 * 16 * 2
            case .undo: return 2 * 2 * 2
            case .export: return 1
            }
        }

        /// Whether it is well into its work (so the signal lands mid-work).
        func isWorking(_ emulator: EmulatorFixture, in workspace: borrowing Workspace) -> Bool {
            let counters = emulator.emulator.snapshot().counters
            switch self {
            case .importRun: return counters.total("POST /user_management/users") >= 5
            case .plan, .verify: return counters.total("GET /user_management/users") >= 6
            case .undo: return counters.total("DELETE /user_management/users/{id}") >= 5
            // The import before it has finished, so a request in flight is the export's (each takes a second).
            case .export: return emulator.emulator.requestsInFlight > 0
            }
        }

        /// Checks the stopped run's own report.
        func checkStopped(_ summary: [String: Any], in workspace: borrowing Workspace) throws {
            switch self {
            case .importRun:
                #expect((summary["notAttempted"] as? Int ?? 0) > 0)
                let last = try #require(try workspace.read("users.csv.journal").split(separator: "\n").last)
                #expect(last.contains(#""type":"end""#), "the journal was not closed with its end line")
            case .plan:
                #expect(summary["interrupted"] as? Bool == true)
                #expect((summary["notAttempted"] as? Int ?? 0) > 0)
            case .verify:
                #expect(summary["interrupted"] as? Bool == true)
                #expect((summary["total"] as? Int ?? StopSignalTests.rows) < StopSignalTests.rows)
            case .undo:
                #expect(summary["status"] as? String == "interrupted")
                #expect((summary["notAttempted"] as? Int ?? 0) > 0)
            case .export:
                #expect(summary["status"] as? String == "interrupted")
                let files = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path)
                #expect(!files.contains { $0.hasPrefix("export.csv") || $0.hasSuffix(".partial") }, "\(files)")
            }
        }

        /// Runs it again, unslowed, and checks it finishes with nothing done twice.
        func checkRerun(_ emulator: EmulatorFixture, in workspace: borrowing Workspace) async throws {
            emulator.emulator.setFaults(.none)
            let again = try await emulator.run(rerunArguments, in: workspace)
            let summary = try StopSignalTests.summary(again)
            let snapshot = emulator.emulator.snapshot()
            let rows = StopSignalTests.rows
            switch self {
            case .importRun:
                #expect(again.exitCode == 0, "\(again.allOutput)")
                #expect(again.stderr.contains("Resuming the interrupted import"))
                #expect(snapshot.users.count == rows)
                #expect(snapshot.counters.total("POST /user_management/users") == rows, "a user was created twice")
            case .plan:
                #expect(again.exitCode == 0, "\(again.allOutput)")
                #expect(summary["interrupted"] as? Bool == false)
                #expect(summary["usersToCreate"] as? Int == rows)
            case .verify:
                // Nothing was imported, so every row differs; the point is that it ran to the end.
                #expect(again.exitCode == 1, "\(again.allOutput)")
                #expect(summary["interrupted"] as? Bool == false)
                #expect(summary["total"] as? Int == rows)
            case .undo:
                #expect(again.exitCode == 0, "\(again.allOutput)")
                #expect(snapshot.users.isEmpty)
                #expect(
                    snapshot.counters.total("DELETE /user_management/users/{id}") == rows, "a user was deleted twice")
                let deleted = try workspace.read("users.csv.journal.undo").split(separator: "\n")
                    .filter { $0.contains(#""type":"deleted""#) }
                #expect(deleted.count == rows)
                #expect(Set(deleted).count == deleted.count, "a deletion recorded twice")
            case .export:
                #expect(again.exitCode == 0, "\(again.allOutput)")
                #expect(summary["status"] as? String == "complete")
                #expect(summary["users"] as? Int == rows)
                #expect(try workspace.read("export.csv").split(separator: "\n").count == rows + 1)
            }
        }
    }

    static func summary(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last, "no stdout: \(result.allOutput)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Every request the emulator answered (or closed), on any route.
    static func requests(_ emulator: EmulatorFixture) -> Int {
        emulator.emulator.snapshot().counters.requests.values.reduce(0) { $0 + $1.values.reduce(0, +) }
    }

    @Test(
        "SIGINT, SIGTERM and SIGHUP stop the command: work in flight only, summary, exit 130, a rerun finishes",
        arguments: LongCommand.allCases, [SIGINT, SIGTERM, SIGHUP])
    func stops(_ command: LongCommand, signal: Int32) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try await command.prepare(emulator, in: workspace)
            let running = try CommandRunner.start(
                command.arguments, in: workspace.url, environment: emulator.environment)
            defer { if running.process.isRunning { running.signal(SIGKILL) } }
            try await waitUntil("\(command) to be at work", timeout: .seconds(180)) {
                command.isWorking(emulator, in: workspace) || !running.process.isRunning
            }
            #expect(running.process.isRunning, "\(command) ended before it could be stopped: \(running.stderrSoFar)")
            let atSignal = Self.requests(emulator)
            running.signal(signal)
            let stopped = try await running.wait(timeout: .seconds(180))
            #expect(stopped.exitCode == 130, "\(stopped.allOutput)")
            #expect(stopped.stderr.contains("Stopping: finishing"))
            // Only what was in flight went out after the signal, not the rest of the file.
            let afterSignal = Self.requests(emulator) - atSignal
            #expect(afterSignal <= command.inFlightBound, "\(afterSignal) requests after the signal")
            try command.checkStopped(try Self.summary(stopped), in: workspace)
            try await command.checkRerun(emulator, in: workspace)
        }
    }
}
