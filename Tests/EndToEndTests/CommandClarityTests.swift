import Foundation
import Testing
import WorkOSEmulator

/// What the commands say: each lists only the flags it takes, refuses a target that cannot work with a
/// sentence naming what is wrong, and shows real values where it groups rows.
@Suite("Commands say what is wrong", .tags(.endToEnd))
struct CommandClarityTests {
    /// The import's own flags, which `plan` and `verify` do not take.
    static let importOnlyFlags = [
        "--dry-run", "--journal", "--restart", "--max-failures", "--errors-out", "--rejects", "--emulator",
    ]
    /// The flags all three take.
    static let sharedFlags = [
        "--csv", "--map", "--org-external-id", "--if-exists", "--limits", "--no-survey", "--concurrency",
        "--fixed-concurrency", "--rate-limit", "--read-rate-limit", "--max-retries", "--base-url", "--timeout",
    ]

    @Test("plan and verify --help list only the flags they take; the import's help keeps every flag")
    func helpListsOnlyWhatApplies() async throws {
        let workspace = try Workspace()
        for command in ["plan", "verify"] {
            let help = try await CommandRunner.run([command, "--help"], in: workspace.url)
            #expect(help.exitCode == 0, "\(help.allOutput)")
            for flag in Self.importOnlyFlags {
                #expect(
                    !help.stdout.contains(flag + " ") && !help.stdout.contains(flag + "\n"), "\(command) lists \(flag)")
            }
            for flag in Self.sharedFlags {
                #expect(help.stdout.contains(flag), "\(command) does not list \(flag)")
            }
        }
        let help = try await CommandRunner.run(["import", "--help"], in: workspace.url)
        for flag in Self.importOnlyFlags + Self.sharedFlags + ["--quiet", "--json"] {
            #expect(help.stdout.contains(flag), "import does not list \(flag)")
        }
    }

    @Test(
        "--encoding and --delimiter list their values with what each means, in the help of every command that reads a file",
        arguments: ["import", "plan", "verify"])
    func helpListsValues(command: String) async throws {
        let workspace = try Workspace()
        let help = try await CommandRunner.run([command, "--help"], in: workspace.url)
        #expect(help.exitCode == 0, "\(help.allOutput)")
        let lines = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for (value, meaning) in [
            ("utf-8", "UTF-8"), ("cp1252", "Windows-1252"), ("latin1", "ISO-8859-1"), (",", "comma"),
            (";", "semicolon"), ("|", "pipe"), ("tab", "a tab character"),
        ] {
            #expect(
                lines.contains { $0.hasPrefix(value + " ") && $0.contains("- " + meaning) },
                "\(command) --help does not list \(value): \(help.stdout)")
        }
    }

    @Test("plain --help lists every other command with its own abstract, and how to get its help")
    func otherCommands() async throws {
        let workspace = try Workspace()
        let help = try await CommandRunner.run(["--help"], in: workspace.url)
        #expect(help.exitCode == 0, "\(help.allOutput)")
        let section = try #require(help.stdout.components(separatedBy: "OTHER COMMANDS:").last)
        for (command, abstract) in [
            ("plan", "Show what an import would do in WorkOS, row by row, writing nothing there"),
            ("verify", "Check that WorkOS holds what a file says, and list every difference"),
            ("convert", "Convert a Firebase, Auth0, Clerk, Cognito or Supabase export into a CSV file to import"),
            ("emulate", "Serve a local WorkOS User Management emulator for tests and rehearsals"),
            ("generate", "Write a CSV file of realistic test users"),
            ("undo", "Delete what an import created, as its journal records it"),
        ] {
            #expect(
                section.contains("\(command)") && section.contains("\(abstract) (workos-import \(command) --help)."),
                "\(command): \(section)")
        }
        #expect(!section.contains("  import "), "the default command is listed as another one: \(section)")
    }

    @Test("plan and verify refuse --emulator and the import's other flags with a sentence, before any request")
    func importFlagsRefused() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", CSVText.users(2))
            for command in ["plan", "verify"] {
                for (flags, sentence) in [
                    (["--emulator"], "holds nothing, so every row would read as new"),
                    (["--max-failures", "5"], "drop --max-failures"),
                    (["--errors-out", "e.csv"], "drop --errors-out and --rejects"),
                    (["--restart"], "keeps no journal"),
                ] {
                    let result = try await emulator.run([command, "--csv", "users.csv"] + flags, in: workspace)
                    #expect(result.exitCode == 2, "\(command) \(flags): \(result.allOutput)")
                    #expect(result.stderr.contains(sentence), "\(command) \(flags): \(result.stderr)")
                }
            }
            #expect(emulator.emulator.snapshot().counters.requests.isEmpty, "a refused command sent a request")
        }
    }

    @Test(
        "an address without a scheme, or of another one, is named as such (exit 2) by every command",
        arguments: [
            ("api.workos.com", "has no scheme"), ("localhost:8080", "has no scheme"),
            ("ftp://api.workos.com", "not https:// or http://"), ("https://", "names no host"),
            ("https://api.workos.com:99999", "has a port that is not a number"),
            ("https://api.workos.com?x=1", "has a query or a fragment"),
        ])
    func baseURLWithoutScheme(address: String, sentence: String) async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(1))
        let key = ["WORKOS_SECRET_KEY": "sk_test_clarity"]
        for arguments in [
            ["--csv", "users.csv", "--base-url", address], ["plan", "--csv", "users.csv", "--base-url", address],
            ["verify", "--csv", "users.csv", "--base-url", address],
        ] {
            let result = try await CommandRunner.run(arguments, in: workspace.url, environment: key)
            #expect(result.exitCode == 2, "\(arguments): \(result.allOutput)")
            #expect(result.stderr.contains("--base-url"), "\(result.stderr)")
            #expect(result.stderr.contains(sentence), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Check the network"), "\(result.stderr)")
        }
        let fromEnvironment = try await CommandRunner.run(
            ["plan", "--csv", "users.csv"], in: workspace.url,
            environment: key.merging(["WORKOS_BASE_URL": address]) { $1 })
        #expect(fromEnvironment.exitCode == 2, "\(fromEnvironment.allOutput)")
        #expect(fromEnvironment.stderr.contains("WORKOS_BASE_URL"), "\(fromEnvironment.stderr)")
        #expect(fromEnvironment.stderr.contains(sentence), "\(fromEnvironment.stderr)")
    }

    @Test("a host whose name does not resolve is named as not found, not as a network to check")
    func hostNotFound() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", CSVText.users(1))
        for command in [["import"], ["plan"]] {
            let result = try await CommandRunner.run(
                command + [
                    "--csv", "users.csv", "--base-url", "https://no-such-host.invalid", "--connect-timeout", "1",
                    "--max-retries", "2",
                ], in: workspace.url, environment: ["WORKOS_SECRET_KEY": "sk_test_clarity"])
            #expect(result.exitCode == 2, "\(result.allOutput)")
            #expect(result.stderr.contains("The host no-such-host.invalid was not found"), "\(result.stderr)")
            #expect(!result.stderr.contains("continues where it stopped"), "\(result.stderr)")
        }
    }

    @Test("role slugs in another case or with an empty entry are read as slugs, with a warning, in every path")
    func roleSlugsNormalised() async throws {
        let fixture = try await EmulatorFixture.start {
            $0.multipleRolesEnabled = true
            $0.seed = EmulatorSeed(
                organizations: [EmulatorSeed.Organization(id: "org_acme", name: "Acme", externalID: "acme")],
                roles: [EmulatorSeed.Role(slug: "admin"), EmulatorSeed.Role(slug: "auditor")])
        }
        try await EmulatorFixture.scoped(fixture) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "users.csv",
                """
                email,org_external_id,role_slugs
                ann@example.com,acme,Admin
                bob@example.com,acme,"auditor ,"
                cat@example.com,acme," ADMIN , Auditor "

                """)
            let arguments = ["--csv", "users.csv", "--rate-limit", "off"]
            for command in [["--dry-run"], ["plan"], []] {
                let result = try await emulator.run(
                    (command == ["plan"] ? command + arguments : arguments + command), in: workspace)
                #expect(result.exitCode == 0, "\(command): \(result.allOutput)")
                let warnings = result.stderr.split(separator: "\n")
                #expect(
                    warnings.contains { $0.contains("line 2") && $0.contains(#"role_slugs "Admin" read as admin "#) })
                #expect(
                    warnings.contains {
                        $0.contains("line 3") && $0.contains(#"role_slugs "auditor ," read as auditor "#)
                    })
                #expect(warnings.contains { $0.contains("line 4") && $0.contains("read as admin,auditor ") })
            }
            let snapshot = emulator.emulator.snapshot()
            func roles(_ email: String) -> [String] {
                guard let user = snapshot.users.first(where: { $0.email == email }) else { return ["(no user)"] }
                return snapshot.memberships(userID: user.id).first?.roleSlugs.sorted() ?? ["(no membership)"]
            }
            #expect(roles("ann@example.com") == ["admin"])
            #expect(roles("bob@example.com") == ["auditor"])
            #expect(roles("cat@example.com") == ["admin", "auditor"])
        }
    }

    @Test("the dry run's failures by reason show the first row's real numbers beside the numberless group")
    func failureGroupsShowAnExample() async throws {
        let workspace = try Workspace()
        try workspace.write(
            "users.csv",
            """
            email,first_name,last_name
            ann@example.com,Ann,Lee
            bob@example.com,Bob
            cat@example.com
            dan@example.com,Dan,Lee,extra,more
            eve@example.com,Eve,Lee,extra

            """)
        let text = try await CommandRunner.run(["--csv", "users.csv", "--dry-run"], in: workspace.url)
        #expect(text.exitCode == 1, "\(text.allOutput)")
        #expect(
            text.stdout.contains("  4 rows: expected N fields, found N, first at line 3 (expected 3 fields, found 2)"),
            "\(text.stdout)")
        let json = try await CommandRunner.run(["--csv", "users.csv", "--dry-run", "--json"], in: workspace.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let groups = try #require(object["failuresByReason"] as? [[String: Any]])
        #expect(groups.first?["reason"] as? String == "expected N fields, found N")
        #expect(groups.first?["example"] as? String == "expected 3 fields, found 2")
        #expect(groups.first?["firstLine"] as? Int == 3)
    }
}
