import Foundation
import ImportCore
import ImportCoreTestSupport
import Synchronization
import Testing
import WorkOSClient

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
        // The files are off the disk once built: nothing of the users is left for a killed run to leave.
        let directory = try #require(index.directory)
        #expect(!FileManager.default.fileExists(atPath: directory))
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
        var rates = PacingRates(writes: tenPerSecond, reads: tenPerSecond, general: tenPerSecond)
        rates.writesAreSent = sent
        let (clock, now) = Self.virtualClock()
        let pacer = RequestPacer(rates: rates, clock: clock)
        let start = now()
        for _ in 0..<50 { try await pacer.pass(.userManagementWrite) }
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
