import Foundation
import ImportCore
import Testing
import WorkOSClient
import WorkOSEmulator

/// The importer's row rules and the emulator's request rules are two implementations of WorkOS's rules;
/// these tests run one table through both and require the same verdict on every row.
@Suite("The dry run and the emulator agree", .tags(.endToEnd))
struct RuleParityTests {
    /// What the importer sends for a row: its validated row when it passes, else the cells as they are
    /// (trimmed, the type and salt position lowercased), which is what a looser importer would have sent.
    private static func request(for fields: [String], row: ImportRow?) throws -> CreateUserRequest {
        if let row {
            return CreateUserRequest(
                email: row.email, passwordHash: row.passwordHash, passwordHashType: row.passwordHashType?.rawValue,
                passwordSaltPosition: row.passwordSaltPosition?.rawValue, externalId: row.externalId,
                metadata: row.metadata)
        }
        func cell(_ column: String) -> String? {
            let value = fields[ParityTable.header.firstIndex(of: column)!].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        let metadata = try cell("metadata").map { text in
            try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        }
        return CreateUserRequest(
            email: cell("email") ?? "", passwordHash: cell("password_hash"),
            passwordHashType: cell("password_hash_type")?.lowercased(),
            passwordSaltPosition: cell("password_salt_position")?.lowercased(), externalId: cell("external_id"),
            metadata: metadata)
    }

    @Test(
        "every row the validator passes, the emulator's HTTP endpoint accepts, and every row it fails, the endpoint refuses",
        arguments: FieldLimits.allCases)
    func validatorAndEndpointAgree(limits: FieldLimits) async throws {
        let fixture = try await EmulatorFixture.start { configuration in
            configuration.fieldLimits = limits == .spec ? .spec : .documented
        }
        let client = WorkOSHTTPClient(baseURL: fixture.emulator.baseURL, apiKey: fixture.apiKey)
        let validator = try RowValidator(header: ParityTable.header, limits: limits)
        var disagreements: [String] = []
        for (index, parityCase) in ParityTable.cases.enumerated() {
            let fields = ParityTable.fields(parityCase, index: index)
            let verdict = validator.validate(
                CSVRecord(recordNumber: index + 1, line: index + 2, byteOffset: 0, fields: fields))
            var row: ImportRow?
            var reason = ""
            switch verdict {
            case .valid(let valid, _): row = valid
            case .invalid(let problem, _): reason = problem.message
            }
            #expect(
                (row != nil) == parityCase.passes(under: limits),
                "\(parityCase.name) under \(limits): the validator said \(row != nil ? "valid" : reason)")
            let request = try Self.request(for: fields, row: row)
            let answer: String
            do throws(WorkOSClientError) {
                _ = try await client.createUser(request, idempotencyKey: nil)
                answer = "accepted"
            } catch {
                answer = "refused: \(error.summary)"
            }
            if (answer == "accepted") != (row != nil) {
                disagreements.append(
                    "\(parityCase.name): validator \(row != nil ? "passes" : "fails (\(reason))"), emulator \(answer)")
            }
            // A row the validator fails is sent here on purpose, as a looser importer would send it; a row it
            // passes must be sent as the spec allows.
            let violations = fixture.takeViolations()
            #expect(
                row == nil || violations.isEmpty,
                "\(parityCase.name): the request for a valid row breaks the spec: \(violations)")
        }
        await client.shutdown()
        await fixture.shutdown()
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }

    @Test(
        "the dry run and an import agree on every bad row, and no request is sent for a row the dry run fails",
        arguments: FieldLimits.allCases)
    func dryRunAndImportAgree(limits: FieldLimits) async throws {
        try await EmulatorFixture.scoped(
            try await EmulatorFixture.start { configuration in
                configuration.fieldLimits = limits == .spec ? .spec : .documented
            }
        ) { fixture in
            let workspace = try Workspace()
            try workspace.write("users.csv", ParityTable.csv())
            let expectedPassing = Set(
                ParityTable.cases.indices.filter { ParityTable.cases[$0].passes(under: limits) }.map { $0 + 1 })

            let dryRun = try await CommandRunner.run(
                [
                    "--csv", "users.csv", "--dry-run", "--limits", limits.rawValue, "--errors-out", "dry.jsonl",
                    "--json",
                ],
                in: workspace.url)
            #expect(dryRun.exitCode == 1, "\(dryRun.allOutput)")
            let dryFailed = try Self.failedRecords(workspace.read("dry.jsonl"))

            let run = try await fixture.run(
                ["--csv", "users.csv", "--limits", limits.rawValue, "--errors-out", "run.jsonl", "--quiet"],
                in: workspace)
            #expect(run.exitCode == 1, "\(run.allOutput)")
            let runFailed = try Self.failedRecords(workspace.read("run.jsonl"))

            let all = Set(1...ParityTable.cases.count)
            #expect(all.subtracting(dryFailed.keys) == expectedPassing, "dry run: \(dryFailed)")
            #expect(Set(runFailed.keys) == Set(dryFailed.keys))
            // Every failure of the import is the dry run's own validation failure: none came from the emulator.
            #expect(runFailed.values.allSatisfy { $0 == "validation" }, "\(runFailed)")
            let snapshot = fixture.emulator.snapshot()
            #expect(snapshot.users.count == expectedPassing.count)
            #expect(snapshot.counters.total("POST /user_management/users") == expectedPassing.count)
        }
    }

    @Test("an --emulator rehearsal starts its emulator with the import's --limits")
    func rehearsalUsesTheLimits() async throws {
        let workspace = try Workspace()
        let eleven = "{" + (1...11).map { "\"\"k\($0)\"\":\"\"v\"\"" }.joined(separator: ",") + "}"
        try workspace.write("users.csv", "email,metadata\nann@example.com,\"\(eleven)\"\n")
        let spec = try await CommandRunner.run(
            ["--csv", "users.csv", "--emulator", "--limits", "spec", "--quiet"], in: workspace.url)
        #expect(spec.exitCode == 0, "\(spec.allOutput)")
        #expect(spec.stdout.contains("Success"))
        let documented = try await CommandRunner.run(
            ["--csv", "users.csv", "--emulator"], in: workspace.url)
        #expect(documented.exitCode == 1)
        #expect(documented.allOutput.contains("metadata has 11 keys; WorkOS documents at most 10"))
    }

    /// Record number → stage of every line of a JSON Lines error file.
    private static func failedRecords(_ text: String) throws -> [Int: String] {
        var failed: [Int: String] = [:]
        for line in text.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let record = try #require(object["recordNumber"] as? Int)
            failed[record] = object["stage"] as? String ?? "?"
        }
        return failed
    }
}
