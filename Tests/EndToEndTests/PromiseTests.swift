import Foundation
import Testing
import WorkOSEmulator

/// The promises a hostile first user once broke: who created a user, repeated emails, journals that belong to
/// one environment and one run at a time, a start that checks the environment, and runs that stop when every
/// row fails.
@Suite("Exactly once and honest counts", .tags(.endToEnd))
struct PromiseTests {
    static func summary(_ result: CommandResult) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last, "no stdout: \(result.allOutput)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("a user whose created_at is after the import's start, but who answered 'email taken', is never deleted")
    func skewedUserIsNotOurs() async throws {
        let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3_600))
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.seed = EmulatorSeed(
                    users: [EmulatorSeed.User(email: "user1@example.com", firstName: "Early", createdAt: future)],
                    organizations: [EmulatorSeed.Organization(name: "Acme", externalID: "acme")])
                $0.faults = EmulatorFaults(
                    errorShare: 1, errorStatuses: [503], routes: ["POST /user_management/organization_memberships"])
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(1))
            let result = try await emulator.run(
                [
                    "--csv", "users.csv", "--org-external-id", "acme", "--require-membership", "--max-retries", "2",
                    "--errors-out", "errors.jsonl", "--rate-limit", "off",
                ], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let snapshot = emulator.emulator.snapshot()
            #expect(snapshot.users.map(\.firstName) == ["Early"])
            #expect(snapshot.counters.total("DELETE /user_management/users/{id}") == 0)
            #expect(try workspace.read("errors.jsonl").contains("existed before this import"))
        }
    }

    @Test("rows of one email are applied in file order: the first creates, later ones name its line")
    func repeatedEmails() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 20) }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,first_name
                ada@example.com,Ada
                bob@example.com,Bob
                " ADA@example.com ",Ada
                ada@EXAMPLE.com,Ada
                carol@example.com,Carol

                """)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--rate-limit", "off", "--concurrency", "8"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            let users = emulator.emulator.snapshot().users
            #expect(users.count == 3)
            #expect(users.first { $0.email.lowercased() == "ada@example.com" }?.firstName == "Ada")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.filter { $0.contains("line 2 of this file") }.count == 2, "\(result.stdout)")
            // One create per user: the repeats used what line 2 found instead of trying and failing.
            #expect(emulator.emulator.snapshot().counters.total("POST /user_management/users") == 3)

            let json = try await emulator.run(["--csv", "users.csv", "--json", "--restart"], in: workspace)
            let summary = try Self.summary(json)
            #expect(summary["alreadyExisted"] as? Int == 5)
        }
    }

    @Test("with --if-exists fail, a repeated email fails naming the first line, in the dry run and the import")
    func repeatedEmailsFail() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", "email\nada@example.com\nbob@example.com\nAda@Example.com\n")
            let dry = try await emulator.run(
                ["--csv", "users.csv", "--dry-run", "--if-exists", "fail", "--errors-out", "dry.jsonl", "--json"],
                in: workspace)
            #expect(dry.exitCode == 1, "\(dry.allOutput)")
            let drySummary = try Self.summary(dry)
            #expect(drySummary["failed"] as? Int == 1)
            #expect(drySummary["usersToCreate"] as? Int == 2)
            #expect(try workspace.read("dry.jsonl").contains("line 2 of this file"))

            let skipDry = try await emulator.run(["--csv", "users.csv", "--dry-run", "--json"], in: workspace)
            #expect(try Self.summary(skipDry)["repeatedEmails"] as? Int == 1)
            #expect(skipDry.stderr.contains("also on line 2"))

            let result = try await emulator.run(
                ["--csv", "users.csv", "--if-exists", "fail", "--errors-out", "errors.jsonl", "--json"], in: workspace)
            #expect(result.exitCode == 1)
            let summary = try Self.summary(result)
            #expect(summary["imported"] as? Int == 2)
            #expect(summary["failed"] as? Int == 1)
            #expect(try workspace.read("errors.jsonl").contains("line 2 of this file"))
            #expect(emulator.emulator.snapshot().users.count == 2)
        }
    }

    @Test("a journal is not resumed against another environment")
    func otherEnvironmentRefused() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 40) }
        ) { first in
            try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { second in
                let workspace = try Workspace()
                try workspace.write("users.csv", CSVText.users(100))
                let running = try CommandRunner.start(
                    ["--csv", "users.csv", "--rate-limit", "off", "--concurrency", "2"], in: workspace.url,
                    environment: first.environment)
                try await waitUntil("the first users to be imported") { first.emulator.snapshot().users.count >= 4 }
                running.signal(SIGKILL)
                _ = try await running.wait()

                let refused = try await second.run(["--csv", "users.csv"], in: workspace)
                #expect(refused.exitCode == 2, "\(refused.allOutput)")
                #expect(refused.stderr.contains("another WorkOS environment"))
                #expect(!refused.allOutput.contains(second.apiKey))
                #expect(second.emulator.snapshot().users.isEmpty)

                // The same address with another key is another environment too.
                let otherKey = try await CommandRunner.run(
                    ["--csv", "users.csv"], in: workspace.url,
                    environment: ["WORKOS_SECRET_KEY": "sk_test_other", "WORKOS_BASE_URL": first.emulator.baseURL])
                #expect(otherKey.exitCode == 2)
                #expect(otherKey.stderr.contains("the secret key"))

                let resumed = try await first.run(
                    ["--csv", "users.csv", "--quiet", "--rate-limit", "off"], in: workspace)
                #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
                #expect(first.emulator.snapshot().users.count == 100)
            }
        }
    }

    @Test("a second run on a journal in use is refused, and a killed run leaves no lock behind")
    func concurrentRunsRefused() async throws {
        try await EmulatorFixture.scoped(
            // Slow enough (two rows at a time, 250 ms each) that the first run is still at work, on any
            // machine, when the second one starts.
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 250) }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(60))
            let running = try CommandRunner.start(
                ["--csv", "users.csv", "--rate-limit", "off", "--concurrency", "2"], in: workspace.url,
                environment: emulator.environment)
            try await waitUntil("the first run to start importing") { emulator.emulator.snapshot().users.count >= 2 }
            let second = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            #expect(second.exitCode == 2, "\(second.allOutput)")
            #expect(second.stderr.contains("running on the journal"))
            // stdout still carries one JSON object that says why.
            #expect(try Self.summary(second)["status"] as? String == "error")
            running.signal(SIGKILL)
            _ = try await running.wait()
            emulator.emulator.setFaults(.none)
            let resumed = try await emulator.run(
                ["--csv", "users.csv", "--quiet", "--rate-limit", "off"], in: workspace)
            #expect(resumed.exitCode == 0, "\(resumed.allOutput)")
            #expect(emulator.emulator.snapshot().users.count == 60)
        }
    }

    @Test(
        "the environment is checked before the first row, and a failed start leaves no journal",
        arguments: [
            ("wrong key", "", "refused the API key"),
            ("path in the base URL", "/v1", "without a path such as /v1"),
            ("https to a plain port", "https", "secure connection"),
        ])
    func preflight(_ name: String, change: String, message: String) async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(3))
            var environment = emulator.environment
            switch change {
            case "": environment["WORKOS_SECRET_KEY"] = "sk_test_wrong"
            case "https":
                environment["WORKOS_BASE_URL"] = emulator.emulator.baseURL.replacingOccurrences(
                    of: "http:", with: "https:")
            default: environment["WORKOS_BASE_URL"] = emulator.emulator.baseURL + change
            }
            let result = try await CommandRunner.run(
                ["--csv", "users.csv", "--max-retries", "2"], in: workspace.url, environment: environment)
            #expect(result.exitCode == 2, "\(name): \(result.allOutput)")
            #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
            #expect(!result.stderr.contains(".swift"), "\(name): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: workspace.path("users.csv.journal")))
            #expect(emulator.emulator.snapshot().counters.total("POST /user_management/users") == 0)
            // The base URL with a path is wrong on purpose: the preflight's request goes to a route WorkOS does
            // not have, and so may the reads beside it (the user list, the webhook list); nothing else is sent.
            let paths = Set(emulator.takeViolations().map(\.path))
            if change == "/v1" {
                #expect(paths.contains("/v1/user_management/users"), "\(paths)")
                #expect(paths.isSubset(of: ["/v1/user_management/users", "/v1/webhook_endpoints"]), "\(paths)")
            } else {
                #expect(paths.isEmpty, "\(paths)")
            }
        }
    }

    @Test("--max-failures stops a run whose rows keep failing, and the next run continues after them")
    func maxFailures() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start {
                $0.seed = EmulatorSeed(users: (1...10).map { EmulatorSeed.User(email: "user\($0)@example.com") })
            }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(10))
            let arguments = [
                "--csv", "users.csv", "--if-exists", "fail", "--max-failures", "3", "--concurrency", "1", "--json",
            ]
            let first = try await emulator.run(arguments, in: workspace)
            #expect(first.exitCode == 1, "\(first.allOutput)")
            #expect(first.stderr.contains("Stopped after 3 failed rows"))
            let summary = try Self.summary(first)
            #expect(summary["failed"] as? Int == 3)
            #expect(summary["notAttempted"] as? Int == 7)
            let second = try await emulator.run(arguments, in: workspace)
            let next = try Self.summary(second)
            #expect(next["failed"] as? Int == 6)
            #expect(next["notAttempted"] as? Int == 4)
            #expect(second.stderr.contains("Resuming"))
        }
    }
}

@Suite("Output files are safe", .tags(.endToEnd))
struct OutputSafetyTests {
    @Test("an output that is the input through a link, or two outputs in one file, are refused before reading")
    func aliasesRefused() async throws {
        let workspace = try Workspace()
        let csv = CSVText.users(2)
        try workspace.write("users.csv", csv)
        try FileManager.default.createSymbolicLink(
            atPath: workspace.path("link.csv"), withDestinationPath: workspace.path("users.csv"))
        let linked = try await CommandRunner.run(
            ["--csv", "users.csv", "--dry-run", "--errors-out", "link.csv"], in: workspace.url)
        #expect(linked.exitCode == 2, "\(linked.allOutput)")
        #expect(linked.stderr.contains("names the input CSV itself"))
        #expect(try workspace.read("users.csv") == csv)

        let spelled = try await CommandRunner.run(
            ["--csv", "users.csv", "--dry-run", "--rejects", "./sub/../users.csv"], in: workspace.url)
        #expect(spelled.exitCode == 2)

        let same = try await CommandRunner.run(
            ["--csv", "users.csv", "--dry-run", "--errors-out", "out.csv", "--rejects", "./out.csv"],
            in: workspace.url)
        #expect(same.exitCode == 2, "\(same.allOutput)")
        #expect(same.stderr.contains("name the same file"))
    }

    @Test("a device named as an output keeps its mode; a file this run writes is 0600")
    func deviceModeUntouched() async throws {
        let before = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int
        defer { if let before { chmod("/dev/null", mode_t(before)) } }
        let workspace = try Workspace()
        try workspace.write("users.csv", "email\nnot-an-email\n")
        let result = try await CommandRunner.run(
            ["--csv", "users.csv", "--dry-run", "--errors-out", "/dev/null", "--rejects", "fix.csv"],
            in: workspace.url)
        #expect(result.exitCode == 1, "\(result.allOutput)")
        let after = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int
        #expect(after == before)
        #expect(try workspace.permissions("fix.csv") == 0o600)
    }

    @Test("after kills and resumes, the error and rejects files hold each failed row exactly once")
    func failedRowsExactlyOnce() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 15) }
        ) { emulator in
            let workspace = try Workspace()
            var text = "email,first_name\n"
            for index in 1...120 {
                text += index % 4 == 0 ? "bad-address-\(index),X\n" : "user\(index)@example.com,U\(index)\n"
            }
            try workspace.write("users.csv", text)
            let arguments = [
                "--csv", "users.csv", "--errors-out", "errors.jsonl", "--rejects", "fix.csv", "--rate-limit", "off",
                "--concurrency", "2", "--quiet",
            ]
            for round in 1...2 {
                let running = try CommandRunner.start(arguments, in: workspace.url, environment: emulator.environment)
                try await waitUntil("round \(round) to import more users") {
                    emulator.emulator.snapshot().users.count >= round * 25
                }
                running.signal(SIGKILL)
                _ = try await running.wait()
            }
            // A dry run must not touch the files of the interrupted import.
            let dry = try await emulator.run(
                ["--csv", "users.csv", "--dry-run", "--errors-out", "errors.jsonl"], in: workspace)
            #expect(dry.exitCode == 2, "\(dry.allOutput)")
            #expect(dry.stderr.contains("belongs to the interrupted import"))

            let finished = try await emulator.run(arguments, in: workspace)
            #expect(finished.exitCode == 1, "\(finished.allOutput)")
            let records = try workspace.read("errors.jsonl").split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["recordNumber"]
                    as? Int
            }
            #expect(records.count == 30)
            #expect(Set(records.compactMap { $0 }) == Set(stride(from: 4, through: 120, by: 4)))
            let rejects = try workspace.read("fix.csv").split(separator: "\n")
            #expect(rejects.count == 31)
            #expect(Set(rejects.dropFirst()).count == 30)
            #expect(emulator.emulator.snapshot().users.count == 90)
        }
    }
}

@Suite("What a person sees", .tags(.endToEnd))
struct SmallPromiseTests {
    @Test(
        "flag mistakes name the flag and the accepted range",
        arguments: [
            (["--concurrency", "-1"], "--concurrency must be between 1 and 500 rows in flight, got -1"),
            (["--rate-limit", "100000"], "between 0.1 and 10000"),
            (["--org-external-id", ""], "--org-external-id is empty"),
            (["--org-id", " "], "--org-id is empty"),
            (["--max-failures", "0"], "--max-failures must be"),
        ])
    func flagMessages(_ flags: [String], message: String) async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(1))
        let result = try await CommandRunner.run(["--csv", "users.csv", "--dry-run"] + flags, in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("--user-export warns once; a header-only file says why it failed; the summary names the files")
    func summaryDetails() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            let result = try await emulator.run(
                ["--user-export", "users.csv", "--quiet", "--errors-out", "errors.csv"], in: workspace)
            #expect(result.exitCode == 0, "\(result.allOutput)")
            #expect(result.stderr.components(separatedBy: "deprecated").count == 2)
            #expect(result.stdout.contains("errors.csv"))
            #expect(result.stdout.contains("users.csv.journal"))
            #expect(result.stdout.contains("Users created        2"))

            let again = try await emulator.run(["--csv", "users.csv", "--quiet", "--json"], in: workspace)
            let summary = try PromiseTests.summary(again)
            #expect(summary["alreadyExisted"] as? Int == 2)
            #expect(summary["imported"] as? Int == 0)
            #expect(summary["updated"] as? Int == 0)
            // Unchanged rows leave their users alone; changed names are updated.
            let same = try await emulator.run(
                ["--csv", "users.csv", "--quiet", "--if-exists", "update"], in: workspace)
            #expect(same.stdout.contains("Updated              0"), "\(same.stdout)")
            try workspace.write("users.csv", CSVText.users(2).replacingOccurrences(of: ",First", with: ",Given"))
            let box = try await emulator.run(["--csv", "users.csv", "--quiet", "--if-exists", "update"], in: workspace)
            #expect(box.stdout.contains("Updated              2"), "\(box.stdout)")
            #expect(box.stdout.contains("Users created        0"))

            try workspace.write("empty.csv", "email,first_name\n")
            let empty = try await emulator.run(["--csv", "empty.csv", "--quiet"], in: workspace)
            #expect(empty.exitCode == 1)
            #expect(empty.stdout.contains("the file has no data rows"))
        }
    }

    @Test("a non-ASCII external id is named as the problem, never reported as a network problem")
    func nonASCIIExternalId() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(1))
            let create = try await emulator.run(
                ["--csv", "users.csv", "--org-external-id", "société", "--create-org-if-missing", "--org-name", "S"],
                in: workspace)
            #expect(create.exitCode == 2, "\(create.allOutput)")
            #expect(create.stderr.contains("must be ASCII"), "\(create.stderr)")
            let lookUp = try await emulator.run(["--csv", "users.csv", "--org-external-id", "société"], in: workspace)
            #expect(lookUp.exitCode == 2, "\(lookUp.allOutput)")
            #expect(lookUp.stderr.contains("société"), "\(lookUp.stderr)")
            for result in [create, lookUp] { #expect(!result.stderr.contains("network")) }
            #expect(emulator.emulator.snapshot().users.isEmpty)
        }
    }

    @Test(
        "SIGHUP and SIGTERM end the run like Ctrl-C: summary printed, journal closed, exit 130",
        arguments: [SIGHUP, SIGTERM])
    func hangUp(_ signal: Int32) async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 30) }
        ) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(80))
            let running = try CommandRunner.start(
                ["--csv", "users.csv", "--json", "--concurrency", "2", "--rate-limit", "off"], in: workspace.url,
                environment: emulator.environment)
            try await waitUntil("the first users") { emulator.emulator.snapshot().users.count >= 3 }
            running.signal(signal)
            let result = try await running.wait()
            #expect(result.exitCode == 130, "\(result.allOutput)")
            let summary = try PromiseTests.summary(result)
            #expect((summary["notAttempted"] as? Int ?? 0) > 0)
            let last = try #require(try workspace.read("users.csv.journal").split(separator: "\n").last)
            #expect(last.contains(#""type":"end""#))
        }
    }
}

@Suite("On a terminal", .tags(.endToEnd))
struct TerminalTests {
    @Test("row lines never land on the live progress line, and failures are kept apart from it")
    func rowLinesAndProgress() async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { $0.faults = EmulatorFaults(latencyMilliseconds: 30) }
        ) { emulator in
            let workspace = try Workspace()
            var text = "email\n"
            for index in 1...24 { text += index % 6 == 0 ? "bad-\(index)\n" : "user\(index)@example.com\n" }
            try workspace.write("users.csv", text)
            // `script` runs the command under a pseudo-terminal, so stdout and stderr are a terminal, as for a person.
            let command = [
                CommandRunner.executable.path, "--csv", "users.csv", "--concurrency", "1", "--rate-limit", "off",
            ]
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            var environment = ProcessInfo.processInfo.environment
            environment.merge(emulator.environment) { $1 }
            environment["NO_COLOR"] = "1"
            let running = try RunningCommand.start(
                "/usr/bin/script", ["-qfec", command, "/dev/null"], in: workspace.url, environment: environment)
            let screen = try await running.wait().stdout
            #expect(screen.contains("rows/s"), "no live progress line was drawn: \(screen)")
            let marks = screen.ranges(of: "✓ line") + screen.ranges(of: "✗ line")
            #expect(marks.count == 24, "\(screen)")
            for mark in marks {
                // Compared as bytes: a terminal ends lines with "\r\n", which Swift reads as one character.
                let before = Array(screen[..<mark.lowerBound].utf8.suffix(4))
                let clean = before.isEmpty || before.last == 0x0A || before == Array("\r\u{1B}[K".utf8)
                #expect(
                    clean, "a row line starts mid-line: \(String(decoding: before, as: UTF8.self).debugDescription)")
            }
        }
    }
}
