import Foundation
import ImportCoreTestSupport
import Synchronization
import Testing
import WorkOSClient

@testable import ImportCore

/// ``ImportRun`` in process: a scripted WorkOS, captured output, an immediate clock, and the real files.
@Suite("Import run in process")
struct ImportRunTests {
    /// A small in-memory WorkOS: users by email, created once each.
    final class Directory: Sendable {
        let users = Mutex<[String: WorkOSUser]>([:])
        /// Creates after which every create answers 401 (the key was revoked mid-run); nil never.
        let revokeAfter: Int?
        /// Called on every create, with how many creates came before.
        let onCreate: @Sendable (Int) -> Void

        init(revokeAfter: Int? = nil, onCreate: @escaping @Sendable (Int) -> Void = { _ in }) {
            self.revokeAfter = revokeAfter
            self.onCreate = onCreate
        }

        var count: Int { users.withLock { $0.count } }

        func api() -> ScriptedAPI {
            ScriptedAPI(
                createUser: { request, _ throws(WorkOSClientError) in
                    let created = self.users.withLock { $0.count }
                    self.onCreate(created)
                    if let revokeAfter = self.revokeAfter, created >= revokeAfter {
                        throw .api(WorkOSAPIError(status: 401, message: "Unauthorized"))
                    }
                    let user = WorkOSUser(
                        id: "user_\(request.email)", email: request.email, createdAt: "2030-01-01T00:00:00.000Z",
                        updatedAt: "2030-01-01T00:00:00.000Z")
                    let inserted = self.users.withLock { users in
                        users[request.email] == nil
                            ? {
                                users[request.email] = user
                                return true
                            }() : false
                    }
                    guard inserted else {
                        throw .api(
                            WorkOSAPIError(
                                status: 400, code: "user_creation_error", message: "Could not create user.",
                                errors: [.init(code: "email_not_available")]))
                    }
                    return user
                },
                listUsers: { email in self.users.withLock { $0[email].map { [$0] } ?? [] } })
        }
    }

    /// A folder with a CSV of `count` users.
    final class Folder {
        let url: URL
        init(users count: Int, extra: String = "") throws {
            url = try makeTemporaryDirectory()
            var text = "email,first_name\n"
            for index in 1...count { text += "user\(index)@example.com,U\(index)\n" }
            try (text + extra).write(to: url.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    }

    static let environment = JournalEnvironment(baseURL: "https://api.workos.com", apiKey: "sk_test_run")

    static func run(
        _ folder: Folder, api: ScriptedAPI, stop: StopSignal = StopSignal(), errorsOut: String? = nil,
        concurrency: Int = 4
    ) -> (ImportRun, CapturedText) {
        let stderr = CapturedText()
        let options = ImportRunOptions(
            csvPath: folder.path("users.csv"),
            configuration: ImportConfiguration(concurrency: concurrency, fixedConcurrency: true, rates: .off),
            errorsOut: errorsOut,
            rowLines: false, environment: environment)
        let context = ImportContext(
            api: api, clock: .immediate, stdout: CapturedText(), stderr: stderr, stop: stop,
            makeRunId: { "run-fixed" })
        return (ImportRun(options: options, context: context), stderr)
    }

    @Test("a key revoked mid-run halts the import; the rest stays unsettled, and a resume finishes exactly once")
    func haltAndResume() async throws {
        let folder = try Folder(users: 30)
        let directory = Directory(revokeAfter: 12)
        do {
            _ = try await Self.run(folder, api: directory.api()).0.run()
            Issue.record("a revoked key did not stop the run")
        } catch {
            guard case .unauthorized = error else {
                Issue.record("expected an unauthorized stop, got \(error)")
                return
            }
        }
        #expect(directory.count == 12)
        let journal = try #require(try JournalReplay.load(path: folder.path("users.csv.journal")))
        #expect(journal.settled.count == 12)
        #expect(journal.header.runId == "run-fixed")

        let healthy = Directory()
        healthy.users.withLock { $0 = directory.users.withLock { $0 } }
        let (resumed, stderr) = Self.run(folder, api: healthy.api())
        let summary = try await resumed.run()
        #expect(stderr.text.contains("Resuming"))
        #expect(summary.counts.total == 30)
        #expect(summary.counts.created == 30)
        #expect(healthy.count == 30)
    }

    @Test("a stop lets the rows in flight finish; the counts add up and a resume imports the rest once")
    func stopAndResume() async throws {
        let folder = try Folder(users: 40)
        let stop = StopSignal()
        let directory = Directory(onCreate: { created in if created == 9 { stop.request() } })
        let summary = try await Self.run(folder, api: directory.api(), stop: stop).0.run()
        #expect(summary.interrupted)
        #expect(summary.counts.notAttempted > 0)
        #expect(summary.counts.created == directory.count)
        #expect(summary.counts.created + summary.counts.notAttempted == 40)
        let api = Directory()
        api.users.withLock { $0 = directory.users.withLock { $0 } }
        let scripted = api.api()
        let final = try await Self.run(folder, api: scripted).0.run()
        #expect(!final.interrupted)
        #expect(final.counts.created == 40)
        #expect(api.count == 40)
        // Only the rows the first run never reached were sent again.
        #expect(scripted.log.filter { $0 == "createUser" }.count == 40 - summary.counts.created)
    }

    @Test("an error file that cannot be created stops the run before any request, and leaves no journal")
    func failedOutput() async throws {
        let folder = try Folder(users: 3, extra: "not-an-email,X\n")
        let api = Directory().api()
        do {
            _ = try await Self.run(folder, api: api, errorsOut: folder.path("missing/errors.csv")).0.run()
            Issue.record("the run went on without its error file")
        } catch {
            guard case .output = error else {
                Issue.record("expected an output error, got \(error)")
                return
            }
        }
        #expect(!api.log.contains("createUser"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("users.csv.journal")))
    }

    @Test("a dry run sends nothing: the context's API is never called")
    func dryRunIsOffline() throws {
        let folder = try Folder(users: 5)
        let api = Directory().api()
        let summary = try Self.run(folder, api: api).0.dryRun()
        #expect(summary.counts.created == 5)
        #expect(api.log.isEmpty)
    }

    @Test("the writes a row may send: its user, a membership when it joins an organization, a TOTP factor")
    func writesPerRow() throws {
        let usersOnly = ImportConfiguration()
        let emails = try RowValidator(header: ["email"])
        #expect(ImportRun.writesPerRow(usersOnly, emails) == 1)
        #expect(ImportRun.writesPerRow(ImportConfiguration(organization: .id("org_1")), emails) == 2)
        let perRow = try RowValidator(header: ["email", "org_external_id"])
        #expect(ImportRun.writesPerRow(usersOnly, perRow) == 2, "the rows name their own organizations")
        let withFactors = try RowValidator(header: ["email", "org_external_id", "totp_secret"])
        #expect(ImportRun.writesPerRow(usersOnly, withFactors) == 3)
    }

    @Test("with an organization given by id, its memberships are read beside the preflight, not after its answer")
    func membershipsBesideThePreflight() async throws {
        let folder = try Folder(users: 3)
        let api = Directory().api()
        let readFirst = Mutex(false)
        // The preflight's answer waits until the memberships are asked for, for two seconds at most.
        api.beforeAccessAnswer.withLock {
            $0 = { [weak api] in
                for _ in 0..<200 {
                    if api?.log.contains("listMembershipsOfOrganization") == true {
                        readFirst.withLock { $0 = true }
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
        }
        let options = ImportRunOptions(
            csvPath: folder.path("users.csv"),
            configuration: ImportConfiguration(
                organization: .id("org_1"), concurrency: 4, fixedConcurrency: true, rates: .off),
            errorsOut: nil, rowLines: false, environment: Self.environment)
        let context = ImportContext(
            api: api, clock: .immediate, stdout: CapturedText(), stderr: CapturedText(), makeRunId: { "run-fixed" })
        let summary = try await ImportRun(options: options, context: context).run()
        #expect(summary.counts.created == 3)
        #expect(
            readFirst.withLock { $0 },
            "the memberships were read only after the preflight answered: \(api.log.prefix(4))")
    }
}
