import Foundation
import ImportCoreTestSupport
import Testing
import WorkOSClient

@testable import ImportCore

@Suite("Key fingerprints and journal environments")
struct JournalEnvironmentTests {
    @Test("SHA-256 matches the standard test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("a fingerprint tells keys apart without containing the key")
    func fingerprint() {
        let key = "sk_test_abcdefghijklmnop"
        let print = JournalEnvironment.fingerprint(of: key)
        #expect(print.hasPrefix("sha256:") && print.count == 23)
        #expect(!print.contains("abcdef"))
        #expect(print == JournalEnvironment.fingerprint(of: key))
        #expect(print != JournalEnvironment.fingerprint(of: key + "x"))
    }

    @Test("base URLs are compared without case in scheme and host, or trailing slashes")
    func normalisedURL() {
        #expect(JournalEnvironment.normalise("HTTPS://API.WorkOS.com/") == "https://api.workos.com")
        #expect(JournalEnvironment.normalise("http://127.0.0.1:8080/Base/") == "http://127.0.0.1:8080/Base")
    }

    @Test("a resume against another environment, or one the journal does not name, is refused")
    func decisionRefusesOtherEnvironment() throws {
        var state = JournalState(header: JournalFixtures.header())
        state.apply(JournalEntry(record: 1, outcome: .imported, userId: "user_1"))
        let other = JournalEnvironment(baseURL: "https://api.workos.com", apiKey: "sk_test_other")
        #expect(throws: JournalError.self) {
            try JournalDecision.decide(
                existing: state, csv: JournalFixtures.csv, settings: JournalFixtures.settings, restart: false,
                environment: other)
        }
        var unknown = state
        unknown.header.environment = nil
        do {
            _ = try JournalDecision.decide(
                existing: unknown, csv: JournalFixtures.csv, settings: JournalFixtures.settings, restart: false,
                environment: JournalFixtures.environment)
            Issue.record("a journal without an environment was resumed")
        } catch {
            #expect(error == .environmentUnknown(journalPath: "the journal"))
        }
        let same = try JournalDecision.decide(
            existing: state, csv: JournalFixtures.csv, settings: JournalFixtures.settings, restart: false,
            environment: JournalFixtures.environment)
        guard case .resume = same else {
            Issue.record("the same environment should resume, got \(same)")
            return
        }
    }
}

@Suite("Journal sent marks, checkpoints and the lock")
struct JournalSentAndLockTests {
    @Test("sent lines and output checkpoints replay; a sent row that settled is no longer in doubt")
    func sentAndCheckpoints() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        try writer.recordCheckpoint(OutputCheckpoint(errors: 10, rejects: 20))
        try writer.recordSent(1)
        try writer.recordSent(2)
        try writer.record(JournalEntry(record: 1, outcome: .imported, userId: "user_1"))
        try writer.record(
            JournalEntry(record: 3, outcome: .failed, outputs: OutputCheckpoint(errors: 99, rejects: 120)))
        let state = try #require(try JournalReplay.load(path: path))
        #expect(state.mayHaveBeenSent(2))
        #expect(!state.mayHaveBeenSent(1))
        #expect(!state.mayHaveBeenSent(3))
        #expect(state.outputs == OutputCheckpoint(errors: 99, rejects: 120))
        try writer.finish(complete: false)
    }

    @Test("sent lines are read without a JSON decoder exactly when they have the writer's shape")
    func fastSentLines() throws {
        let written = try JournalLine.makeEncoder().encode(JournalLine.sent(record: 4_217))
        #expect(JournalLine.fastSent(ArraySlice(written)) == 4_217)
        for other in [#"{"record":12,"type":"row"}"#, #"{"record":-1,"type":"sent"}"#, #"{"record":,"type":"sent"}"#] {
            #expect(JournalLine.fastSent(ArraySlice(other.utf8)) == nil, "\(other)")
        }
    }

    @Test("a journal open in one writer is in use; a second writer is refused, and closing frees it")
    func lock() throws {
        let scratch = try JournalScratch()
        let path = scratch.path("j")
        let writer = try JournalWriter.create(path: path, header: JournalFixtures.header())
        #expect(JournalWriter.isInUse(path: path))
        #expect(throws: JournalError.inUse(path: path)) { try JournalWriter.append(path: path) }
        #expect(throws: JournalError.inUse(path: path)) {
            try JournalWriter.create(path: path, header: JournalFixtures.header())
        }
        // The refused create did not empty the journal of the run at work.
        #expect(try JournalReplay.load(path: path)?.header == JournalFixtures.header())
        try writer.finish(complete: true)
        #expect(!JournalWriter.isInUse(path: path))
        let next = try JournalWriter.append(path: path)
        try next.finish(complete: true)
    }
}

@Suite("Rows that repeat an email")
struct DuplicateEmailsTests {
    static func scan(_ text: String) throws -> DuplicateEmails {
        try DuplicateEmails.scan { () throws -> (CSVReader, RowValidator) in
            let reader = try CSVReader(bytes: Array(text.utf8))
            return (reader, try RowValidator(header: reader.header))
        }
    }

    @Test("addresses are compared ignoring case and surrounding spaces; the first row names the group")
    func groups() throws {
        let found = try Self.scan(
            "email,first_name\na@example.com,1\nb@example.com,2\n\" A@Example.COM \",3\nc@example.com,4\na@example.com,5\n"
        )
        #expect(found.repeatedRows == 2)
        #expect(found.group(of: 1) == 1)
        #expect(found.group(of: 2) == nil)
        #expect(found.group(of: 3) == 1)
        #expect(found.group(of: 5) == 1)
        #expect(found.earlier(than: 3)?.line == 2)
        #expect(found.earlier(than: 1) == nil)
        #expect(found.earlier(than: 4) == nil)
    }

    @Test("a file without repeats keeps nothing")
    func none() throws {
        let found = try Self.scan("email\nx@example.com\ny@example.com\n\n")
        #expect(found.repeatedRows == 0)
        #expect(found.group(of: 1) == nil)
    }
}

@Suite("Output files")
struct OutputFileSafetyTests {
    @Test("the input through a link, or two outputs naming one file, are found; distinct files pass")
    func aliases() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("users.csv").path
        try "email\n".write(toFile: input, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        #expect(OutputPaths.problem(input: input, outputs: [("--errors-out", link)]) != nil)
        let fresh = folder.appendingPathComponent("out.csv").path
        let sameFresh = folder.appendingPathComponent("sub/../out.csv").path
        try FileManager.default.createDirectory(
            atPath: folder.appendingPathComponent("sub").path, withIntermediateDirectories: true)
        #expect(OutputPaths.problem(input: input, outputs: [("--errors-out", fresh), ("--rejects", sameFresh)]) != nil)
        let other = folder.appendingPathComponent("fix.csv").path
        #expect(OutputPaths.problem(input: input, outputs: [("--errors-out", fresh), ("--rejects", other)]) == nil)
        #expect(
            OutputPaths.problem(input: input, outputs: [("--errors-out", "/dev/null"), ("--rejects", "/dev/null")])
                == nil)
    }

    @Test("a regular file this run writes becomes 0600, whether created, truncated or continued")
    func modes() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        func mode(_ path: String) throws -> Int {
            try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1
        }
        let created = folder.appendingPathComponent("new").path
        try SecureFile.close(try SecureFile.open(path: created, append: false), path: created)
        #expect(try mode(created) == 0o600)
        let appended = folder.appendingPathComponent("shared").path
        try "x\n".write(toFile: appended, atomically: true, encoding: .utf8)
        chmod(appended, 0o644)
        try SecureFile.close(try SecureFile.open(path: appended, append: true), path: appended)
        #expect(try mode(appended) == 0o600)
        #expect(try String(contentsOfFile: appended, encoding: .utf8) == "x\n")
    }

    @Test("a resumed file is cut back to the journal's checkpoint, and a shorter one is refused")
    func checkpointCut() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("errors.jsonl").path
        func failure(_ record: Int) -> RowFailure {
            RowFailure(
                recordNumber: record, line: record + 1, email: "r\(record)@example.com", stage: .validation,
                message: "bad", timestamp: Date(timeIntervalSince1970: 0))
        }
        let first = try ErrorFileWriter(path: path, header: ["email"], append: false)
        try first.write(failure(1), fields: ["r1@example.com"])
        let checkpoint = first.size
        try first.write(failure(2), fields: ["r2@example.com"])
        try first.close()
        let resumed = try ErrorFileWriter(path: path, header: ["email"], append: true, keeping: checkpoint)
        try resumed.write(failure(3), fields: ["r3@example.com"])
        try resumed.close()
        let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(records.count == 2)
        #expect(records[0].contains("r1@example.com") && records[1].contains("r3@example.com"))
        #expect(throws: OutputFileError.self) {
            try ErrorFileWriter(path: path, header: ["email"], append: true, keeping: 100_000)
        }
    }
}

@Suite("Who created a user")
struct CreatedByThisImportTests {
    static let runStart = Date(timeIntervalSince1970: 1_800_000_000)
    static let later = "2027-01-15T08:00:00.000Z"

    static func executor(_ api: ScriptedAPI, sent: RecordSet = RecordSet()) -> RowExecutor {
        var journal = ExecutionJournal.none
        journal.usersSent = sent
        return RowExecutor(
            api: api,
            runner: RequestRunner(
                pacer: RequestPacer(ratePerSecond: nil), policy: RetryPolicy(maxRetries: 2), clock: .immediate),
            configuration: ImportConfiguration(organization: .id("org_1"), requireMembership: true),
            organizationId: "org_1", runId: "run", runStartedAt: runStart, journal: journal)
    }

    static let taken = WorkOSClientError.api(
        WorkOSAPIError(
            status: 400, code: "user_creation_error", message: "Could not create user.",
            errors: [.init(code: "email_not_available")]))

    static let row = ImportRow(recordNumber: 1, line: 2, email: "ada@example.com")

    static func api() -> ScriptedAPI {
        ScriptedAPI(
            createUser: { _, _ throws(WorkOSClientError) in throw Self.taken },
            listUsers: { _ in [WorkOSUser(id: "user_1", email: "ada@example.com", createdAt: later, updatedAt: later)]
            },
            createMembership: { _ throws(WorkOSClientError) in
                throw .api(WorkOSAPIError(status: 422, code: "invalid_role", message: "no"))
            })
    }

    @Test("a plain 'email taken' is somebody else's user, whatever its created_at: never deleted")
    func plainTakenIsNotOurs() async {
        let api = Self.api()
        let result = await Self.executor(api).execute(Self.row)
        #expect(result.failure?.message.contains("existed before this import") == true)
        #expect(!api.log.contains("deleteUser"))
    }

    @Test("a row an earlier run had sent may be ours: found after the start, it counts as created")
    func sentByEarlierRunMayBeOurs() async {
        let api = Self.api()
        let result = await Self.executor(api, sent: RecordSet([1])).execute(Self.row)
        #expect(api.log.contains("deleteUser"))
        #expect(result.failure?.message.contains("was deleted") == true)
    }

    @Test("with a known earlier row of the same email, no create is sent; with --if-exists fail, none at all")
    func earlierRow() async {
        let api = ScriptedAPI(createUser: { _, _ in WorkOSUser(id: "x", email: "x", createdAt: "", updatedAt: "") })
        let executor = RowExecutor(
            api: api,
            runner: RequestRunner(
                pacer: RequestPacer(ratePerSecond: nil), policy: RetryPolicy(maxRetries: 2), clock: .immediate),
            configuration: ImportConfiguration(), organizationId: nil, runId: "run", runStartedAt: Self.runStart,
            journal: .none)
        let result = await executor.execute(Self.row, earlier: .init(line: 2, userId: "user_9"))
        #expect(result.outcome == .existed)
        #expect(result.userId == "user_9")
        #expect(result.note == "line 2 of this file")
        #expect(api.log.isEmpty)

        let failing = RowExecutor(
            api: api,
            runner: RequestRunner(
                pacer: RequestPacer(ratePerSecond: nil), policy: RetryPolicy(maxRetries: 2), clock: .immediate),
            configuration: ImportConfiguration(ifExists: .fail), organizationId: nil, runId: "run",
            runStartedAt: Self.runStart, journal: .none)
        let failed = await failing.execute(Self.row, earlier: .init(line: 2, userId: nil))
        #expect(failed.failure?.message.contains("also on line 2") == true)
        #expect(api.log.isEmpty)
    }
}
