import Foundation
import Testing
import WorkOSEmulator

/// A journal records the WorkOS environment it was written against (API address, key fingerprint). Every
/// command that acts on a journal, resuming it or taking it back, refuses another environment before a
/// single request leaves: elsewhere every id answers 404, which would pass for "already done".
@Suite("Journals and other environments", .tags(.endToEnd))
struct OtherEnvironmentTests {
    /// A command that writes on the strength of a journal.
    enum JournalCommand: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// Resuming an interrupted import.
        case importResume = "import resume"
        /// Taking a finished import back.
        case undo

        var testDescription: String { rawValue }

        var arguments: [String] {
            switch self {
            case .importResume: return ["--csv", "users.csv", "--json"]
            case .undo: return ["undo", "--csv", "users.csv", "--yes", "--json"]
            }
        }

        /// What the refusal says.
        var refusal: String {
            switch self {
            case .importResume: return "was running against another WorkOS environment"
            case .undo: return "wrote to another WorkOS environment"
            }
        }

        /// Leaves the journal this command acts on, written against `emulator`.
        func prepare(_ emulator: EmulatorFixture, in workspace: borrowing Workspace) async throws {
            switch self {
            case .importResume:
                try workspace.write("users.csv", CSVText.users(100))
                emulator.emulator.setFaults(EmulatorFaults(latencyMilliseconds: 40))
                let running = try CommandRunner.start(
                    ["--csv", "users.csv", "--rate-limit", "off", "--concurrency", "2"], in: workspace.url,
                    environment: emulator.environment)
                try await waitUntil("the first users to be imported") { emulator.emulator.snapshot().users.count >= 4 }
                running.signal(SIGKILL)
                _ = try await running.wait(timeout: .seconds(30))
                // The requests the killed run had sent are still being answered; the state is final after them.
                try await emulator.waitUntilQuiet()
                emulator.emulator.setFaults(.none)
            case .undo:
                try workspace.write("users.csv", CSVText.users(5))
                let imported = try await emulator.run(["--csv", "users.csv", "--quiet"], in: workspace)
                #expect(imported.exitCode == 0, "\(imported.allOutput)")
            }
        }
    }

    /// Where the command is pointed instead of the journal's environment.
    enum Elsewhere: String, CaseIterable, Sendable {
        case otherAddress = "another address"
        case otherKey = "another key"
    }

    static func requests(_ emulator: EmulatorFixture) -> Int {
        emulator.emulator.snapshot().counters.requests.values.reduce(0) { $0 + $1.values.reduce(0, +) }
    }

    @Test(
        "a journal of another environment is refused, exit 2, before any request reaches WorkOS",
        arguments: JournalCommand.allCases, Elsewhere.allCases)
    func refusedBeforeAnyRequest(_ command: JournalCommand, elsewhere: Elsewhere) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { home in
            try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { other in
                let workspace = try Workspace()
                try await command.prepare(home, in: workspace)
                let journal = try workspace.read("users.csv.journal")
                let held = home.emulator.snapshot()
                let homeRequests = Self.requests(home)
                let environment =
                    switch elsewhere {
                    case .otherAddress: other.environment
                    case .otherKey:
                        ["WORKOS_SECRET_KEY": "sk_test_other_key", "WORKOS_BASE_URL": home.emulator.baseURL]
                    }
                let refused = try await CommandRunner.run(
                    command.arguments, in: workspace.url, environment: environment)
                #expect(refused.exitCode == 2, "\(refused.allOutput)")
                #expect(refused.stderr.contains(command.refusal), "\(refused.stderr)")
                #expect(!refused.allOutput.contains("sk_test_other_key"))
                #expect(Self.requests(other) == 0, "a request reached the other environment")
                #expect(Self.requests(home) == homeRequests, "a request was sent with the other key")
                #expect(home.emulator.snapshot().users == held.users)
                #expect(try workspace.read("users.csv.journal") == journal, "the journal changed")
                #expect(!FileManager.default.fileExists(atPath: workspace.path("users.csv.journal.undo")))
            }
        }
    }
}
