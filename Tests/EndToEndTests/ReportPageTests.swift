import Foundation
import ImportCore
import ImportCoreTestSupport
import Testing
import WorkOSEmulator

/// `--report`: the page `import`, `plan` and `verify` write for whoever approves the cutover, checked from
/// the real command against the emulator: what it says, what it never says (the key, a password), its mode,
/// and that a stop still leaves a page that says so.
@Suite("The report page, end to end", .tags(.endToEnd))
struct ReportPageEndToEndTests {
    static let password = "Correct-Horse-Battery-9"

    /// Four valid rows (one with a password) and one whose email is not an address, at line 6.
    static let csv =
        "email,first_name,last_name,password\n"
        + "ann@example.com,Ann,Lee,\(password)\n"
        + "bob@example.com,Bob,,\n"
        + "cy@example.com,Cy,Ng,\n"
        + "di@example.com,,Ox,\n"
        + "not-an-email,Eve,Ray,\n"

    static func summary(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last, "no stdout: \(result.allOutput)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// The checks every page must pass: the target by fingerprint only, no secret, mode 0600, no leftovers.
    static func checkCommon(
        _ page: String, name: String, emulator: EmulatorFixture, in workspace: borrowing Workspace
    ) throws {
        let fingerprint = TargetLineTests.fingerprint(emulator.apiKey)
        #expect(page.contains("<dd>\(emulator.emulator.baseURL), test environment (sk_test_ key)"), "\(page)")
        #expect(page.contains("fingerprint \(fingerprint).</dd>"))
        #expect(!page.contains(emulator.apiKey), "the key is in the page")
        #expect(!page.contains(Self.password), "a password is in the page")
        #expect(try workspace.permissions(name) == 0o600)
        let files = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path)
        #expect(!files.contains { $0.hasSuffix(".partial") }, "\(files)")
    }

    @Test("import --report: target, file, counts, failures with their first line, coverage and the load chart")
    func importPage() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", Self.csv)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--json", "--rate-limit", "40", "--report", "run.html"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let page = try workspace.read("run.html")
            try Self.checkCommon(page, name: "run.html", emulator: emulator, in: workspace)
            #expect(page.contains("<h1>Import of users.csv</h1>"))
            #expect(page.contains("class=\"verdict warning\" id=\"verdict\">Completed with errors</p>"))
            #expect(page.contains("<td>Users created</td><td class=\"n\">4</td>"))
            let reasons = try #require(try Self.summary(result)["failuresByReason"] as? [[String: Any]])
            let reason = try #require(reasons.first?["reason"] as? String)
            #expect(page.contains("<td class=\"n\">1</td><td>\(HTMLText.escape(reason))</td><td class=\"n\">6</td>"))
            #expect(page.contains("<td>password (plaintext)</td><td class=\"n\">1</td><td class=\"n\">25%</td>"))
            #expect(page.contains("Of 4 rows."))
            #expect(page.contains("<polyline id=\"series-writes\""))
            #expect(page.contains("<polyline id=\"series-rows-in-flight\""))
            #expect(page.contains("<title>Rate limit: 40.0 writes per second</title>"))
        }
    }

    @Test("plan --report: what the import would do, with the coverage and no chart")
    func planPage() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", Self.csv)
            let result = try await emulator.run(["plan", "--csv", "users.csv", "--report", "plan.html"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let page = try workspace.read("plan.html")
            try Self.checkCommon(page, name: "plan.html", emulator: emulator, in: workspace)
            #expect(page.contains("<h1>Plan of users.csv</h1>"))
            #expect(page.contains(">Some rows would fail</p>"))
            #expect(page.contains("<td>Users to create</td><td class=\"n\">4</td>"))
            #expect(page.contains("<h2>Rows that would fail, by reason</h2>"))
            #expect(page.contains("<td>first_name</td><td class=\"n\">3</td><td class=\"n\">75%</td>"))
            #expect(!page.contains("<svg"))
            #expect(emulator.emulator.snapshot().users.isEmpty, "the plan wrote to WorkOS")
        }
    }

    @Test("verify --report: the differences by kind after a partial import")
    func verifyPage() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("first.csv", "email,first_name\nann@example.com,Ann\nbob@example.com,Bob\n")
            let imported = try await emulator.run(["--csv", "first.csv", "--quiet"], in: workspace)
            #expect(imported.exitCode == 0, "\(imported.allOutput)")
            try workspace.write("users.csv", "email,first_name\nann@example.com,Ann\nbob@example.com,Robert\n")
            let result = try await emulator.run(
                ["verify", "--csv", "users.csv", "--quiet", "--report", "verify.html"], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let page = try workspace.read("verify.html")
            try Self.checkCommon(page, name: "verify.html", emulator: emulator, in: workspace)
            #expect(page.contains("<h1>Verify of users.csv</h1>"))
            #expect(page.contains("class=\"verdict bad\" id=\"verdict\">WorkOS differs from the file</p>"))
            #expect(page.contains("<td>Matching</td><td class=\"n\">1</td>"))
            #expect(page.contains("<td class=\"n\">1</td><td>first_name</td>"))
        }
    }

    @Test("an interrupted import still writes its page, which says it was interrupted")
    func interruptedImport() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(150))
            emulator.emulator.setFaults(EmulatorFaults(latencyMilliseconds: 25))
            let running = try CommandRunner.start(
                [
                    "--csv", "users.csv", "--quiet", "--concurrency", "2", "--fixed-concurrency", "--rate-limit", "20",
                    "--report", "run.html",
                ], in: workspace.url, environment: emulator.environment)
            defer { if running.process.isRunning { running.signal(SIGKILL) } }
            try await waitUntil("the import to be at work") {
                emulator.emulator.snapshot().counters.total("POST /user_management/users") >= 5
                    || !running.process.isRunning
            }
            #expect(running.process.isRunning, "the import ended before it could be stopped: \(running.stderrSoFar)")
            running.signal(SIGINT)
            let stopped = try await running.wait(timeout: .seconds(60))
            #expect(stopped.exitCode == 130, "\(stopped.allOutput)")
            let page = try workspace.read("run.html")
            try Self.checkCommon(page, name: "run.html", emulator: emulator, in: workspace)
            #expect(page.contains("id=\"verdict\">Interrupted</p>"))
            #expect(page.contains("<p id=\"interrupted\">The run was interrupted"))
            #expect(page.contains("<polyline id=\"series-writes\""))
        }
    }

    @Test("a report in a folder that does not exist stops the command before any request, exit 2")
    func missingFolder() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            for arguments in [
                ["--csv", "users.csv"], ["plan", "--csv", "users.csv"], ["verify", "--csv", "users.csv"],
            ] {
                let result = try await emulator.run(arguments + ["--report", "nowhere/run.html"], in: workspace)
                #expect(result.exitCode == 2, "\(arguments): \(result.allOutput)")
                #expect(
                    result.stderr.contains(
                        "--report nowhere/run.html: the folder nowhere does not exist; create it, or choose a path"),
                    "\(arguments): \(result.stderr)")
            }
            let samePath = try await emulator.run(["--csv", "users.csv", "--report", "users.csv"], in: workspace)
            #expect(samePath.exitCode == 2)
            #expect(samePath.stderr.contains("--report users.csv names the input CSV itself"), "\(samePath.stderr)")
            #expect(StopSignalTests.requests(emulator) == 0, "a request was sent")
        }
    }
}
