import Foundation
import Testing
import WorkOSEmulator

@Suite("Pacing and adaptive concurrency", .tags(.endToEnd))
struct PacingTests {
    /// An emulator 500 ms away (plus up to 100 ms of jitter) that allows 48 writes per second.
    static func distantEmulator() async throws -> EmulatorFixture {
        try await EmulatorFixture.start { configuration in
            configuration.faults = EmulatorFaults(latencyMilliseconds: 500, latencyJitterMilliseconds: 100)
            configuration.rateLimits = EmulatorRateLimits(writes: 48, reads: 200, window: 1)
            configuration.seed = EmulatorSeed(organizations: [
                EmulatorSeed.Organization(name: "Acme", externalID: "acme")
            ])
        }
    }

    @Test("far from WorkOS, rows in flight rise above the old fixed 10 and the run stays under the rate")
    func adaptsToLatency() async throws {
        try await EmulatorFixture.scoped(try await Self.distantEmulator()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(150))
            // Each row is two writes of about 550 ms: ten rows in flight would manage about 18 writes/s. The
            // write window is the emulator's own, 48 per second, filled exactly: a request counts from its send
            // until a second after its answer, so however late a loaded machine wakes, no second receives more.
            let result = try await emulator.run(
                [
                    "--csv", "users.csv", "--org-external-id", "acme", "--rate-limit", "48", "--rate-window", "1",
                    "--json",
                ], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.count == 150)
            #expect(snapshot.memberships.count == 150)
            #expect(snapshot.counters.rateLimited == 0, "the run went over the rate: \(snapshot.counters.requests)")
            let summary = try #require(
                JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect((summary["peakRowsInFlight"] as? Int ?? 0) > 10, "\(result.stdout)")
            #expect(
                snapshot.counters.maxInFlight > 10,
                "at most \(snapshot.counters.maxInFlight) requests were in flight; the limit did not grow")
        }
    }

    @Test("far from WorkOS, more requests are in flight than the shell's open-file limit would allow connections")
    func rowsPastOpenFileLimit() async throws {
        let emulator = try await EmulatorFixture.start { configuration in
            configuration.faults = EmulatorFaults(latencyMilliseconds: 400)
        }
        try await EmulatorFixture.scoped(emulator) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(500))
            // 300 rows in flight at once (pinned, so a loaded machine's latency cannot keep the adaptive limit
            // lower), one connection each, 400 ms away; the shell starts the command with a soft limit of 100
            // open files, as a macOS shell starts it at 256. Held to it, the client could not open more than
            // about 95 connections, and the other rows would wait for one of those.
            var environment = ProcessInfo.processInfo.environment.merging(emulator.environment) { $1 }
            environment["NO_COLOR"] = "1"
            let result = try await RunningCommand.start(
                "/bin/sh",
                [
                    "-c", "ulimit -Sn 100 && exec \"$0\" \"$@\"", CommandRunner.executable.path, "--csv", "users.csv",
                    "--fixed-concurrency", "--concurrency", "300", "--json",
                ], in: workspace.url, environment: environment
            ).wait()
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(!result.stderr.lowercased().contains("too many open files"), "\(result.stderr)")
            let summary = try #require(
                JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(summary["imported"] as? Int == 500, "\(result.stdout)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.count == 500)
            #expect(
                snapshot.counters.maxInFlight > 100,
                "at most \(snapshot.counters.maxInFlight) requests were in flight at once: the soft limit held")
        }
    }

    @Test("--fixed-concurrency keeps the rows in flight where it is told")
    func fixedConcurrency() async throws {
        try await EmulatorFixture.scoped(try await Self.distantEmulator()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(40))
            let result = try await emulator.run(
                [
                    "--csv", "users.csv", "--org-external-id", "acme", "--rate-limit", "40", "--fixed-concurrency",
                    "--concurrency", "5", "--quiet",
                ], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.memberships.count == 40)
            #expect(snapshot.counters.maxInFlight <= 5)
            #expect(snapshot.counters.maxInFlight >= 4)
        }
    }

    /// An emulator about 20 ms away whose writes are limited to 50 per second by `model`.
    static func limitedEmulator(_ model: EmulatorLimiterModel, tokenCapacity: Int? = nil) async throws
        -> EmulatorFixture
    {
        try await EmulatorFixture.start { configuration in
            configuration.faults = EmulatorFaults(latencyMilliseconds: 10, latencyJitterMilliseconds: 20)
            configuration.rateLimits = EmulatorRateLimits(
                writes: 50, reads: 200, window: 1, model: model, tokenCapacity: tokenCapacity)
        }
    }

    @Test(
        "filling the window exactly draws no 429 under a sliding or a clock-aligned fixed window",
        arguments: [EmulatorLimiterModel.sliding, .fixed])
    func noRateLimitedAnswers(model: EmulatorLimiterModel) async throws {
        try await EmulatorFixture.scoped(try await Self.limitedEmulator(model)) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(160))
            // 160 writes against 50 per second: the window fills three times over.
            let result = try await emulator.run(
                ["--csv", "users.csv", "--rate-limit", "50", "--rate-window", "1", "--json"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.count == 160)
            #expect(snapshot.counters.rateLimited == 0, "429s under the \(model) window: \(snapshot.counters.requests)")
            #expect(!result.stderr.contains("answered 429"), "\(result.stderr)")
        }
    }

    @Test("under a token bucket smaller than the window, every row gets in with few 429s, and the run says so once")
    func tokenBucketFallsBack() async throws {
        // A window of 20 writes per 10 s enforced by a bucket of 5 refilled at 2 a second: the window allows
        // bursts the bucket refuses. Sixteen creates go out together, so the bucket refuses some however slow
        // the machine is.
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { configuration in
                configuration.faults = EmulatorFaults(latencyMilliseconds: 10, latencyJitterMilliseconds: 20)
                configuration.rateLimits = EmulatorRateLimits(
                    writes: 20, reads: 1_000, window: 10, model: .token, tokenCapacity: 5)
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(30))
            // The requests in flight when the bucket first runs dry are answered 429; after the Retry-After the
            // even pacing stays within the refill rate.
            let result = try await emulator.run(
                ["--csv", "users.csv", "--json", "--rate-limit", "2", "--concurrency", "16", "--fixed-concurrency"],
                in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.count == 30)
            let summary = try #require(
                JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(summary["failed"] as? Int == 0, "\(result.stdout)")
            #expect(snapshot.counters.rateLimited > 0, "the bucket never refused: the test shows nothing")
            #expect(
                snapshot.counters.rateLimited <= 20,
                "\(snapshot.counters.rateLimited) answers were 429 for 30 writes: \(snapshot.counters.requests)")
            let warnings = result.stderr.components(separatedBy: "warning: WorkOS answered 429").count - 1
            #expect(warnings == 1, "\(result.stderr)")
        }
    }

    @Test("under WorkOS's window enforced by a token bucket of 50, every row gets in and the 429s are one volley")
    func tokenBucketOfFifty() async throws {
        // WorkOS's documented 500 writes per 10 s, held by a bucket of 50 refilled at 50 a second: the first
        // window's burst runs the bucket dry once; after the Retry-After the writes are spaced evenly.
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { configuration in
                configuration.faults = EmulatorFaults(latencyMilliseconds: 10, latencyJitterMilliseconds: 20)
                configuration.rateLimits = EmulatorRateLimits(
                    writes: 500, reads: 1_000, window: 10, model: .token, tokenCapacity: 50)
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(300))
            let result = try await emulator.run(
                ["--csv", "users.csv", "--json", "--concurrency", "32"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.count == 300)
            let summary = try #require(
                JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(summary["imported"] as? Int == 300, "\(result.stdout)")
            #expect(summary["failed"] as? Int == 0, "\(result.stdout)")
            // At most the rows in flight when the bucket first ran dry, and a few while the even rate settles.
            #expect(
                snapshot.counters.rateLimited <= 48,
                "\(snapshot.counters.rateLimited) answers were 429 for 300 writes: \(snapshot.counters.requests)")
            let warnings = result.stderr.components(separatedBy: "warning: WorkOS answered 429").count - 1
            #expect(warnings <= 1, "\(result.stderr)")
        }
    }
}
