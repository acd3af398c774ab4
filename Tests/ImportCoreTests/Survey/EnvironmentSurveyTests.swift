import Foundation
import ImportCoreTestSupport
import Synchronization
import Testing
import WorkOSClient

@testable import ImportCore

@Suite("The survey: what WorkOS holds, read page by page into an index on disk")
struct EnvironmentSurveyTests {
    static func runner() -> RequestRunner {
        RequestRunner(pacer: RequestPacer(ratePerSecond: nil), policy: RetryPolicy(maxRetries: 2), clock: .immediate)
    }

    /// The survey never creates anything.
    static let noCreates: @Sendable (CreateUserRequest, Int) throws(WorkOSClientError) -> WorkOSUser = {
        _, _ throws(WorkOSClientError) in
        throw .transport(message: "a survey only reads", requestMayHaveBeenProcessed: false)
    }

    static func user(_ n: Int) -> WorkOSUser {
        WorkOSUser(
            id: "user_\(n)", email: "User\(n)@Example.com", firstName: "F\(n)", createdAt: "2026-01-01T00:00:00.000Z",
            updatedAt: "2026-01-01T00:00:00.000Z")
    }

    /// `count` users, 100 a page, cursors `page1`, `page2`, ….
    static func pages(of count: Int) -> @Sendable (String?) -> WorkOSList<WorkOSUser> {
        { after in
            let page = after.map { Int($0.dropFirst(4))! } ?? 0
            let users = (page * 100..<min(count, page * 100 + 100)).map(user)
            let next = (page + 1) * 100 < count ? "page\(page + 1)" : nil
            return WorkOSList(data: users, listMetadata: .init(after: next))
        }
    }

    @Test("a list read to its end knows every user by email (any case), and knows who is absent")
    func completeList() async throws {
        let api = ScriptedAPI(
            createUser: Self.noCreates,
            userPages: Self.pages(of: 250))
        let (index, report) = await EnvironmentSurvey(api: api, runner: Self.runner()).run(
            organizations: [], pageLimit: 10)
        defer { index.close() }
        #expect(report.pages == 3)
        #expect(report.users == 250)
        #expect(report.usersComplete)
        guard case .present(let found) = index.user(email: "user249@example.COM") else {
            Issue.record("user 249 not found")
            return
        }
        #expect(found.id == "user_249")
        #expect(found.firstName == "F249")
        guard case .absent = index.user(email: "user250@example.com") else {
            Issue.record("user 250 should be absent")
            return
        }
        #expect(api.log.filter { $0 == "listAllUsers" }.count == 3)
    }

    /// 250 users `user_0`… listed oldest first, whose `user_99` (the cursor after the first page) is deleted
    /// right after the first page is read; a cursor naming a deleted user answers an empty page, as WorkOS
    /// does. With `alwaysLost`, every cursor's user is deleted that way.
    static func deletingAPI(alwaysLost: Bool = false) -> ScriptedAPI {
        struct Deletions {
            var gone: Set<String> = []
            var left: Int
        }
        let deleted = Mutex(Deletions(left: alwaysLost ? .max : 1))
        let all = (0..<250).map(user)
        return ScriptedAPI(
            createUser: Self.noCreates,
            userPages: { after in
                deleted.withLock { state in
                    let live = all.filter { !state.gone.contains($0.id) }
                    if let after, !live.contains(where: { $0.id == after }) { return WorkOSList(data: []) }
                    let start = after.map { id in live.firstIndex { $0.id == id }! + 1 } ?? 0
                    let page = Array(live[start..<min(live.count, start + 100)])
                    let next = start + 100 < live.count ? page.last?.id : nil
                    if let next, state.left > 0 {
                        state.gone.insert(next)
                        state.left -= 1
                    }
                    return WorkOSList(data: page, listMetadata: .init(after: next))
                }
            },
            getUser: { id throws(WorkOSClientError) in
                if deleted.withLock({ $0.gone.contains(id) }) {
                    throw .api(WorkOSAPIError(status: 404, message: "User not found: '\(id)'."))
                }
                return Self.user(Int(id.dropFirst(5))!)
            })
    }

    @Test("an empty page after a cursor whose user was deleted is a lost cursor: the page before is read again")
    func lostCursor() async throws {
        let api = Self.deletingAPI()
        let (index, report) = await EnvironmentSurvey(api: api, runner: Self.runner()).run(
            organizations: [], pageLimit: 10)
        defer { index.close() }
        #expect(report.usersComplete)
        #expect(!report.cursorLost)
        #expect(report.users == 249)
        guard case .present(let last) = index.user(email: "user249@example.com") else {
            Issue.record("the users after the lost cursor were not read")
            return
        }
        #expect(last.id == "user_249")
        // The deleted user is not taken as there, nor as absent: rows ask WorkOS.
        guard case .unknown = index.user(email: "user99@example.com") else {
            Issue.record("the deleted cursor's user must be unknown")
            return
        }
        #expect(api.log.filter { $0 == "getUser" }.count == 1)
    }

    @Test("cursors lost again and again leave the list unknown, and the line says why")
    func cursorLostForGood() async throws {
        let (index, report) = await EnvironmentSurvey(api: Self.deletingAPI(alwaysLost: true), runner: Self.runner())
            .run(organizations: [], pageLimit: 20)
        defer { index.close() }
        #expect(!report.usersComplete)
        #expect(report.cursorLost)
        guard case .unknown = index.user(email: "user1@example.com") else {
            Issue.record("a list whose cursor is lost must be unknown")
            return
        }
        #expect(report.line(seconds: 1, pageLimit: 20)?.contains("deleted while the list was read") == true)
    }

    @Test(
        "the survey's line counts in the right number",
        arguments: [
            (1, 1, 1, "1 user and 1 membership of 1 organization (1 page, "),
            (2, 3, 2, "2 users and 3 memberships of 2 organizations (2 pages, "),
        ])
    func surveyLine(count: Int, memberships: Int, organizations: Int, expected: String) {
        var report = EnvironmentSurvey.Report()
        report.users = count
        report.usersComplete = true
        report.memberships = memberships
        report.organizationsSurveyed = organizations
        report.pages = count
        #expect(report.line(seconds: 1, pageLimit: 5)?.contains(expected) == true)
        var partial = EnvironmentSurvey.Report()
        partial.pages = 1
        partial.organizationsGivenUp = 1
        let text = partial.line(seconds: 1, pageLimit: 1) ?? ""
        #expect(text.contains("more users than 1 page holds"), "\(text)")
        #expect(text.contains("1 organization has more members"), "\(text)")
    }

    @Test("a temporary folder that is missing is named as the problem, not taken for a large environment")
    func missingTemporaryFolder() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("gone-\(UUID().uuidString)").path
        let problem = try #require(EnvironmentSurvey.problem(with: missing))
        #expect(problem.contains("does not exist") && problem.contains(missing))
        var report = EnvironmentSurvey.Report()
        report.temporaryFolderProblem = problem
        let text = report.line(seconds: 0, pageLimit: 1) ?? ""
        #expect(text.contains("TMPDIR"))
        #expect(!text.contains("more users than"))
        #expect(EnvironmentSurvey.problem(with: FileManager.default.temporaryDirectory.path) == nil)
    }

    @Test("a list longer than the page limit is given up: every user is unknown, so rows ask WorkOS")
    func givenUp() async throws {
        let api = ScriptedAPI(
            createUser: Self.noCreates,
            userPages: Self.pages(of: 1_000))
        let (index, report) = await EnvironmentSurvey(api: api, runner: Self.runner()).run(
            organizations: [], pageLimit: 4)
        defer { index.close() }
        #expect(report.pages == 4)
        #expect(!report.usersComplete)
        guard case .unknown = index.user(email: "user1@example.com") else {
            Issue.record("a user of a list given up must be unknown")
            return
        }
        #expect(report.line(seconds: 1, pageLimit: 4)?.contains("one at a time") == true)
    }

    @Test("memberships are known for the organizations read to the end, unknown for the others")
    func memberships() async throws {
        let api = ScriptedAPI(
            createUser: Self.noCreates,
            membershipPages: { organization, after in
                let pages = organization == "org_big" ? 9 : 2
                let page = after.map { Int($0)! } ?? 0
                let data = [
                    WorkOSMembership(
                        id: "om_\(organization)_\(page)", userId: "user_\(page)", organizationId: organization,
                        status: page == 1 ? "inactive" : "active")
                ]
                return WorkOSList(data: data, listMetadata: .init(after: page + 1 < pages ? "\(page + 1)" : nil))
            })
        let (index, report) = await EnvironmentSurvey(api: api, runner: Self.runner()).run(
            organizations: ["org_small", "org_big", "org_small"], pageLimit: 5)
        defer { index.close() }
        #expect(report.organizationsSurveyed == 1)
        #expect(report.organizationsGivenUp == 1)
        guard case .present(let inactive) = index.membership(userId: "user_1", organizationId: "org_small") else {
            Issue.record("the inactive membership was not found")
            return
        }
        #expect(inactive.status == "inactive")
        guard case .absent = index.membership(userId: "user_5", organizationId: "org_small"),
            case .unknown = index.membership(userId: "user_0", organizationId: "org_big")
        else {
            Issue.record("absent in a surveyed organization, unknown in one given up")
            return
        }
    }

    @Test("a read that fails for good leaves the list unknown instead of failing the run")
    func failedRead() async throws {
        let api = ScriptedAPI(
            createUser: Self.noCreates,
            userPages: { _ throws(WorkOSClientError) in throw .api(WorkOSAPIError(status: 500, message: "boom")) })
        let (index, report) = await EnvironmentSurvey(api: api, runner: Self.runner()).run(
            organizations: [], pageLimit: 10)
        defer { index.close() }
        #expect(!report.usersComplete)
        guard case .unknown = index.user(email: "user1@example.com") else {
            Issue.record("a failed read must leave users unknown")
            return
        }
    }

    @Test("--if-exists update changes only columns that differ; a password always counts")
    func changedColumns() {
        let user = WorkOSUser(
            id: "user_1", email: "a@example.com", firstName: "Ada", lastName: "Lovelace", emailVerified: true,
            externalId: "x1", metadata: ["team": "math"], createdAt: "", updatedAt: "")
        let same = ImportRow(
            recordNumber: 1, line: 2, email: "a@example.com", firstName: "Ada", emailVerified: true,
            metadata: ["team": "math"])
        #expect(RowExecutor.changes(to: user, from: same).isEmpty)
        let changed = ImportRow(
            recordNumber: 1, line: 2, email: "a@example.com", firstName: "Ada", lastName: "Byron", password: "pw-1",
            externalId: "x2", metadata: ["team": "math", "extra": "1"])
        #expect(RowExecutor.changes(to: user, from: changed) == ["last_name", "external_id", "metadata", "password"])
    }
}

@Suite("A plan's pacing")
struct PlanPacingTests {
    /// A clock whose sleeps move its time forward at once.
    static func virtualClock() -> (ImportClock, @Sendable () -> ContinuousClock.Instant) {
        let time = Mutex(ContinuousClock.now)
        let now: @Sendable () -> ContinuousClock.Instant = { time.withLock { $0 } }
        let clock = ImportClock(
            now: now, wallNow: { Date() }, sleepUntil: { until in time.withLock { $0 = max($0, until) } })
        return (clock, now)
    }

    @Test("writes a plan answers without sending wait for no budget; sent ones are paced", arguments: [false, true])
    func unsentWritesAreFree(sent: Bool) async throws {
        let tenPerSecond = WindowLimit(requests: 10, per: .seconds(1))
        let rates = PacingRates(writes: tenPerSecond, reads: tenPerSecond, general: tenPerSecond)
        let (clock, now) = Self.virtualClock()
        let pacer = RequestPacer(rates: rates, clock: clock)
        let start = now()
        let writes: RequestBudget = sent ? .userManagementWrite : .unsentWrite
        for _ in 0..<50 { try await pacer.pass(writes) }
        let elapsed = now() - start
        if sent {
            #expect(elapsed == .seconds(4), "50 writes at 10 per second take four windows after the first")
        } else {
            #expect(elapsed == .zero, "unsent writes waited \(elapsed)")
        }
        // Reads are paced either way.
        let readsStart = now()
        for _ in 0..<20 { try await pacer.pass(.userManagementRead) }
        #expect(now() - readsStart >= .seconds(1))
    }
}
