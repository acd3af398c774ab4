import Foundation
import Testing
import WorkOSEmulator

/// A file with one row of each finding, two rows of one invalid-metadata reason, and rows that are fine.
private let contradictingFile = """
    email,first_name,last_name,external_id,metadata,org_external_id,role_slugs
    ann@example.com,Ann,Lee,u-1,,acme,admin
    bob@example.com,Bob,Roe,u-2,,acme,member
    cat@example.com,Cat,Poe,,{oops,acme,member
    ann@example.com,Ann,Leigh,u-1,,acme,admin
    dan@example.com,Dan,Fox,u-2,,acme,member
    bob@example.com,Bob,Roe,u-2,,acme,admin
    eve@example.com,Eve,Ray,,"{""a"":",acme,member
    bob@example.com,Bob,Roe,u-2,,globex,owner

    """

@Suite("Checks across rows and --map with the real command", .tags(.endToEnd))
struct CrossRowChecksCommandTests {
    @Test("a dry run fails each contradicting row naming both lines, and groups the failures by reason")
    func dryRun() async throws {
        let workspace = try Workspace()
        try workspace.write("users.csv", contradictingFile)
        let text = try await CommandRunner.run(["--csv", "users.csv", "--dry-run"], in: workspace.url)
        #expect(text.exitCode == 1, "\(text.allOutput)")
        #expect(
            text.stdout.contains(
                "line 5 repeats the email of line 2 with different last_name; which row should win is a guess: "
                    + "make them agree"), "\(text.stdout)")
        #expect(text.stdout.contains("line 6 has the external_id of line 3, which has another email"))
        #expect(text.stdout.contains("line 7 repeats the email and organization of line 3 with a different role"))
        #expect(text.stdout.contains("Failures by reason:\n  2 rows: metadata is invalid JSON, first at line 4\n"))

        let json = try await CommandRunner.run(["--csv", "users.csv", "--dry-run", "--json"], in: workspace.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["failed"] as? Int == 5)
        #expect(object["usersToCreate"] as? Int == 2)
        #expect(object["repeatedEmails"] as? Int == 1)
        let groups = try #require(object["failuresByReason"] as? [[String: Any]])
        #expect(
            groups.map { $0["reason"] as? String } == [
                "metadata is invalid JSON", "repeats an earlier row's email with different user fields",
                "has the external_id of an earlier row with another email",
                "repeats an earlier row's email and organization with a different role",
            ])
        #expect(groups.map { $0["count"] as? Int } == [2, 1, 1, 1])
        #expect(groups.map { $0["firstLine"] as? Int } == [4, 5, 6, 7])
    }

    @Test("an import fails contradicting rows before any request; the first rows win, also on a rerun")
    func importFailsContradictions() async throws {
        let seeded = try await EmulatorFixture.start { configuration in
            configuration.seed = EmulatorSeed(
                organizations: [
                    EmulatorSeed.Organization(name: "Acme", externalID: "acme"),
                    EmulatorSeed.Organization(name: "Globex", externalID: "globex"),
                ], roles: [EmulatorSeed.Role(slug: "admin"), EmulatorSeed.Role(slug: "owner")])
        }
        try await EmulatorFixture.scoped(seeded) { emulator in
            let workspace = try Workspace()
            try workspace.write("users.csv", contradictingFile)
            let result = try await emulator.run(
                ["--csv", "users.csv", "--json", "--errors-out", "errors.csv", "--rejects", "rejects.csv"],
                in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["failed"] as? Int == 5)
            #expect(object["imported"] as? Int == 2)
            #expect(object["alreadyExisted"] as? Int == 1)
            let groups = try #require(object["failuresByReason"] as? [[String: Any]])
            #expect(groups.first?["reason"] as? String == "metadata is invalid JSON")
            #expect(groups.first?["count"] as? Int == 2)
            #expect(groups.count == 4)

            // Only the first rows' users exist, with the first rows' fields; dan (line 6) was never sent.
            let users = emulator.emulator.snapshot().users
            #expect(Set(users.map(\.email)) == ["ann@example.com", "bob@example.com"])
            #expect(users.first { $0.email == "ann@example.com" }?.lastName == "Lee")
            let errors = try workspace.read("errors.csv")
            #expect(errors.contains("line 5 repeats the email of line 2 with different last_name"))
            #expect(errors.contains("line 6 has the external_id of line 3"))
            let rejects = try workspace.read("rejects.csv")
            #expect(rejects.hasPrefix("email,first_name,last_name,external_id,metadata,org_external_id,role_slugs\n"))
            #expect(rejects.contains("dan@example.com,Dan,Fox,u-2"))

            // A rerun of the finished import fails the same rows, whatever reached WorkOS the first time.
            let again = try await emulator.run(["--csv", "users.csv", "--json"], in: workspace)
            let second = try #require(
                try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
            #expect(second["failed"] as? Int == 5)
            #expect(emulator.emulator.snapshot().users.count == 2)
        }
    }

    @Test("--map reads their columns as ours; the error and rejects files keep the file's own header")
    func mapsColumns() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "okta.csv",
                """
                Primary Email,Given Name,last_name,Custom
                ann@example.com,Ann,Lee,x
                not-an-email,Bob,Roe,y

                """)
            let result = try await emulator.run(
                [
                    "--csv", "okta.csv", "--map", "email=Primary Email", "--map", "first_name=Given Name",
                    "--errors-out", "errors.csv", "--rejects", "rejects.csv", "--json",
                ], in: workspace)
            #expect(result.exitCode == 1, "\(result.allOutput)")
            let ann = try #require(emulator.emulator.snapshot().users.first { $0.email == "ann@example.com" })
            #expect(ann.firstName == "Ann")
            #expect(ann.lastName == "Lee")
            #expect(try workspace.read("rejects.csv").hasPrefix("Primary Email,Given Name,last_name,Custom\n"))
            #expect(try workspace.read("errors.csv").contains("Primary Email"))
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["ignoredColumns"] as? [String] == ["Custom"])
            let groups = try #require(object["failuresByReason"] as? [[String: Any]])
            #expect(groups.first?["reason"] as? String == "email is not a valid address")
            #expect(groups.first?["firstLine"] as? Int == 3)
        }
    }

    @Test(
        "bad maps exit 2 with a sentence",
        arguments: [
            (["--map", "emial=Primary Email"], "is not one of our columns"),
            (["--map", "email=E-mail"], "names a column the file does not have"),
            (["--map", "email=Primary Email", "--map", "email=Given Name"], "gives the column email twice"),
        ])
    func badMaps(arguments: [String], expected: String) async throws {
        let workspace = try Workspace()
        try workspace.write("okta.csv", "Primary Email,Given Name\nann@example.com,Ann\n")
        let result = try await CommandRunner.run(["--csv", "okta.csv", "--dry-run"] + arguments, in: workspace.url)
        #expect(result.exitCode == 2, "\(result.allOutput)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test("a resume with other maps is refused like any changed setting")
    func resumeWithOtherMaps() async throws {
        try await EmulatorFixture.scoped(try await EmulatorFixture.start()) { emulator in
            let workspace = try Workspace()
            try workspace.write(
                "okta.csv", "Primary Email,Given Name,Nick\nnot-an-email,Ann,A\nbob@example.com,Bob,B\n")
            let first = try await emulator.run(
                ["--csv", "okta.csv", "--map", "email=Primary Email", "--max-failures", "1", "--quiet"], in: workspace)
            #expect(first.exitCode == 1, "\(first.allOutput)")
            #expect(emulator.emulator.snapshot().users.isEmpty)
            let resumed = try await emulator.run(
                ["--csv", "okta.csv", "--map", "email=Primary Email", "--map", "first_name=Nick", "--quiet"],
                in: workspace)
            #expect(resumed.exitCode == 2, "\(resumed.allOutput)")
            #expect(
                resumed.stderr.contains(
                    "--map (journal: email=Primary Email, now: email=Primary Email, first_name=Nick)"))
            // The same maps continue, and the summary still counts the first run's failure under its reason.
            let same = try await emulator.run(
                ["--csv", "okta.csv", "--map", "email=Primary Email", "--json"], in: workspace)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [String: Any])
            #expect(object["imported"] as? Int == 1, "\(same.allOutput)")
            let groups = try #require(object["failuresByReason"] as? [[String: Any]])
            #expect(groups.first?["reason"] as? String == "email is not a valid address")
            #expect(groups.first?["count"] as? Int == 1)
            #expect(groups.first?["firstLine"] as? Int == 2)
        }
    }
}
