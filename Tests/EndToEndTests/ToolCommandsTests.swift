import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSEmulator

@Suite("The other commands and the README's first command", .tags(.endToEnd))
struct ToolCommandsTests {
    /// The repository root, found from this file's path, for the committed examples.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test("--emulator imports the example file into a built-in emulator and shows what it holds")
    func emulatorFlag() async throws {
        let workspace = try Workspace()
        let example = Self.repositoryRoot.appendingPathComponent("examples/example-input.csv").path
        let result = try await CommandRunner.run(["--csv", example, "--emulator"], in: workspace.url)
        #expect(result.exitCode == 0, "\(result.allOutput)")
        #expect(result.stdout.contains("The emulator now holds 10 users"))
        #expect(result.stdout.contains("Success"))
        #expect(!FileManager.default.fileExists(atPath: example + ".journal"))
    }

    @Test(
        "emulate serves until Ctrl-C, prints its URL first, takes fault flags, and writes the final state 0600")
    func emulateCommand() async throws {
        let workspace = try Workspace()
        let server = try CommandRunner.start(
            [
                "emulate", "--port", "0", "--api-key", "sk_test_cmd", "--state-out", "state.json", "--no-rate-limits",
                "--latency-per-in-flight-ms", "3",
            ], in: workspace.url)
        // However the test ends, the server process does not outlive it.
        defer { if server.process.isRunning { server.signal(SIGKILL) } }
        var baseURL: String { server.stdoutSoFar.split(separator: "\n").first.map(String.init) ?? "" }
        try await waitUntil("emulate to print its base URL", timeout: .seconds(30)) { !baseURL.isEmpty }
        #expect(baseURL.hasPrefix("http://127.0.0.1:"))
        try workspace.write("users.csv", CSVText.users(3))
        let imported = try await CommandRunner.run(
            ["--csv", "users.csv", "--base-url", baseURL, "--quiet"], in: workspace.url,
            environment: ["WORKOS_SECRET_KEY": "sk_test_cmd"])
        #expect(imported.exitCode == 0, "\(imported.allOutput)")
        let refused = try await CommandRunner.run(
            ["--csv", "users.csv", "--base-url", baseURL, "--restart"], in: workspace.url,
            environment: ["WORKOS_SECRET_KEY": "sk_test_other"])
        #expect(refused.exitCode == 2)
        server.signal(SIGINT)
        let stopped = try await server.wait()
        #expect(stopped.exitCode == 0)
        #expect(try workspace.permissions("state.json") == 0o600)
        let state = try #require(
            try JSONSerialization.jsonObject(with: Data(workspace.read("state.json").utf8)) as? [String: Any])
        #expect((state["users"] as? [Any])?.count == 3)
        let faults = (state["settings"] as? [String: Any])?["faults"] as? [String: Any]
        #expect(faults?["latency_per_in_flight_ms"] as? Int == 3)
    }

    @Test("generate writes the same file for the same seed, and --with-errors rows fail a dry run")
    func generateCommand() async throws {
        let workspace = try Workspace()
        for name in ["a.csv", "b.csv"] {
            let result = try await CommandRunner.run(["generate", "200", name, "--seed", "7"], in: workspace.url)
            #expect(result.exitCode == 0, "\(result.allOutput)")
        }
        #expect(try workspace.read("a.csv") == workspace.read("b.csv"))
        #expect(try workspace.read("a.csv").split(separator: "\n").count == 201)
        #expect(try workspace.permissions("a.csv") == 0o600)
        let clean = try await CommandRunner.run(["--csv", "a.csv", "--dry-run", "--json"], in: workspace.url)
        #expect(clean.exitCode == 0, "\(clean.allOutput)")
        #expect(clean.stdout.contains("\"usersToCreate\":200"))

        _ = try await CommandRunner.run(
            ["generate", "200", "bad.csv", "--with-errors", "--seed", "7"], in: workspace.url)
        let dirty = try await CommandRunner.run(["--csv", "bad.csv", "--dry-run", "--json"], in: workspace.url)
        #expect(dirty.exitCode == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(dirty.stdout.utf8)) as? [String: Any])
        #expect((object["failed"] as? Int ?? 0) > 0)
    }

    @Test("a second Ctrl-C exits at once with 130, and the next run still ends in the exact state")
    func secondInterrupt() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 3_000) }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(20))
            let running = try CommandRunner.start(
                ["--csv", "users.csv", "--quiet", "--rate-limit", "off", "--concurrency", "4"], in: workspace.url,
                environment: emulator.environment)
            try await waitUntil("4 requests in flight") { emulator.emulator.snapshot().counters.maxInFlight >= 4 }
            running.signal(SIGINT)
            try await waitUntil("the first Ctrl-C to be taken") { running.stderrSoFar.contains("Stopping:") }
            running.signal(SIGINT)
            let stopped = try await running.wait()
            #expect(stopped.exitCode == 130)
            #expect(stopped.stderr.contains("Stopped at once"))

            emulator.emulator.setFaults(.none)
            let resumed = try await emulator.run(
                ["--csv", "users.csv", "--json", "--rate-limit", "off"], in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
            try ResilienceTests.expectExactState(emulator, count: 20, organization: false)
        }
    }
}
